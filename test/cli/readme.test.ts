// Every `claude-load ...` and `npm run ...` command in the README's shell code blocks runs, in-process,
// and exits 0: a README that shows an invalid command fails the build. Load tests are shortened and
// pointed at the simulator; paths under .claude-load/ go to a temporary folder. Synopses with
// [optional] parts belong in ```text blocks: ```sh blocks hold commands a reader can paste.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type SimulatorHandle } from '../../src/core/index';
import { cli, ensureReportBuilt, root, testIo } from './harness';

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** Splits a shell line into words (double and single quotes; no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** The commands of the README's sh/bash code blocks: continuations joined, comments and `&&` split. */
export function readmeCommands(text: string): string[][] {
  const commands: string[][] = [];
  for (const block of text.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    const lines = block[1]!.replace(/\\\n\s*/g, ' ').split('\n');
    for (const line of lines) {
      for (const part of line.replace(/(^|\s)#.*$/, '').split('&&')) {
        const w = words(part.trim());
        if (w[0] === 'claude-load' || (w[0] === 'npm' && w[1] === 'run')) commands.push(w);
      }
    }
  }
  return commands;
}

const tmp = mkdtempSync(join(tmpdir(), 'readme-'));
let sim: SimulatorHandle;

before(async () => {
  ensureReportBuilt();
  sim = await startSimulator({ port: 0, latency: 'fast' });
  // The plan-file example, saved under the name the README's commands use.
  const plan = /```jsonc\n([\s\S]*?)```/.exec(readme);
  assert.ok(plan, 'the README shows a plan file');
  // Fast simulated latency, as the flags get below: a realistic 300-token drain is seconds of waiting.
  writeFileSync(
    join(tmp, 'checkout.claudeload.json'),
    plan[1]!.replace('"latency": "realistic"', '"latency": "fast"'),
  );
});
after(() => sim.close());

/** Shortens and redirects one claude-load command line so it runs here in seconds. */
function adapt(args: string[]): string[] {
  const a = args.map((w) =>
    w.startsWith('.claude-load/')
      ? join(tmp, w.slice('.claude-load/'.length))
      : w.endsWith('.claudeload.json')
        ? join(tmp, w)
        : w === 'http://127.0.0.1:4010'
          ? sim.url
          : w,
  );
  const set = (flag: string, value: string) => {
    const i = a.indexOf(flag);
    if (i >= 0) a[i + 1] = value;
    else a.push(flag, value);
  };
  const [command] = a;
  if (command === 'run') {
    const target = a.includes('--simulate') || a.includes('--base-url') || a.some((w) => w.endsWith('.json'));
    if (!target) a.push('--simulate');
    if (a.includes('--simulate') && !a.includes('--sim-latency')) a.push('--sim-latency', 'fast');
    if (a.includes('--duration') || a.some((w) => w.endsWith('.json'))) set('--duration', '2s');
    const r = a.indexOf('--requests');
    if (r >= 0 && Number(a[r + 1]) > 20) a[r + 1] = '20';
  }
  if (command === 'demo') {
    set('--duration', '2s');
    // Its realistic 200-token replies are ~5 s of draining; test/cli/run.test.ts runs that one.
    if (!a.includes('--sim-latency')) a.push('--sim-latency', 'fast');
    if (!a.includes('--out')) a.push('--out', join(tmp, 'runs', 'demo-default'));
  }
  if (command === 'simulate') set('--port', '0');
  if (command === 'sweep') {
    set('--step-duration', '1s');
    set('--warmup', '0s');
  }
  return a;
}

async function runClaudeLoad(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = testIo({ ANTHROPIC_API_KEY: 'readme-test-key-not-secret' });
  if (args[0] !== 'simulate') return cli(args, {}, io);
  // A server runs until Ctrl-C: send it once it listens.
  const write = io.stdout.write;
  io.stdout.write = (s: string) => {
    if (s.includes('listening on')) setImmediate(() => io.signals.emit('SIGINT'));
    return write(s);
  };
  return cli(args, {}, io);
}

const commands = readmeCommands(readme);

test('the README shows commands, among them the plan synopsis with a cached prefix', () => {
  assert.ok(commands.length >= 10, `${commands.length} commands`);
  assert.ok(commands.some((c) => c.includes('plan') && c.includes('--cached-tokens')));
});

/** Where a command writes (its --out) and what it reads (a saved run's folder), after adapt(). */
function paths(args: string[]): { writes?: string; reads: string[] } {
  const out = args.indexOf('--out');
  const reads =
    args[0] === 'report' || args[0] === 'compare' ? args.slice(1).filter((w) => w.startsWith(tmp)) : [];
  return { writes: out >= 0 && args[0] !== 'report' ? args[out + 1] : undefined, reads };
}

// The commands mostly wait on simulated latency, so they run side by side (wall time is the longest
// one, not the sum); a command that reads a saved run waits for the command that writes it.
const written = new Map<string, Promise<unknown>>();

test('every command of the README exits 0', { concurrency: true }, async (t) => {
  const all: Promise<unknown>[] = [];
  for (const command of commands) {
    let args: string[] | undefined;
    if (command[0] === 'npm') {
      const script = scripts[command[2]!];
      // Scripts that are the CLI run here in-process; the others (build, lint, ...) are only looked up.
      const m = script ? /node dist\/cli\.js(.*)$/.exec(script) : null;
      const extra = command.indexOf('--') >= 0 ? command.slice(command.indexOf('--') + 1) : [];
      if (m) args = adapt([...words(m[1]!.trim()), ...extra]);
    } else {
      args = adapt(command.slice(1));
    }
    const io = args ? paths(args) : { reads: [] };
    const ran = t.test(command.join(' '), async () => {
      if (command[0] === 'npm') assert.ok(scripts[command[2]!], `package.json has no script "${command[2]}"`);
      if (!args) return;
      await Promise.all(io.reads.map((r) => written.get(r)));
      const r = await runClaudeLoad(args);
      // Simulated latency is real time in this process: on a loaded machine a latency threshold
      // (the demo's, or an example's) may fail with exit 1. That is the machine, not the README;
      // every other failure counts.
      const fails = [...r.stdout.matchAll(/^\s+FAIL\s+(\S+)/gm)].map((m) => m[1]!);
      const loadOnly =
        r.code === 1 &&
        fails.length > 0 &&
        fails.every((f) => f.startsWith('ttft.') || f.startsWith('latency.'));
      if (!loadOnly) assert.equal(r.code, 0, `exit ${r.code}\n${r.stderr}\n${r.stdout.slice(0, 2000)}`);
    });
    if (io.writes) written.set(io.writes, ran);
    all.push(ran);
  }
  await Promise.all(all);
});

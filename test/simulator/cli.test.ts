// `claude-load simulate` as a process: listening line, traffic, per-second summary, clean SIGTERM.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../../src/cli/cliError';
import { parseSimulateArgs } from '../../src/cli/commands/simulate';

const CLI = 'dist/cli.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

before(() => {
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newestMtime('src')) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    assert.equal(r.status, 0, 'build failed');
  }
});

/** Resolves with the first stdout line matching `re` (bounded in time). */
function waitForLine(lines: string[], onLine: Set<() => void>, re: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const hit = lines.find((l) => re.test(l));
      if (hit !== undefined) {
        clearTimeout(timer);
        onLine.delete(check);
        resolve(hit);
      }
    };
    const timer = setTimeout(() => {
      onLine.delete(check);
      reject(new Error(`no line matching ${re} within ${ms} ms; got ${JSON.stringify(lines)}`));
    }, ms);
    onLine.add(check);
    check();
  });
}

test('simulate: prints the listening line, serves, logs per second, exits 0 on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [CLI, 'simulate', '--port', '0', '--latency', 'zero', '--seed', '3'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffer += d;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
    }
    for (const l of [...listeners]) l();
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const line = await waitForLine(lines, listeners, /^Simulator listening on /, 10_000);
    const m = /^Simulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
    assert.ok(m, line);
    const res = await fetch(`${m[1]}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2026-10-21' },
      body: JSON.stringify({
        model: 'claude-haiku-5-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'Respond with exactly: OK' }],
      }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { content: { text: string }[] }).content[0]!.text, 'OK');
    await waitForLine(lines, listeners, /req\/s .*ok 1/, 3_000);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /SIGTERM: closing/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('simulate: bad flags are refused with a message naming the flag (exit 2)', () => {
  // As a process: a flag checked by the command and one checked by the core.
  for (const [args, re] of [
    [['--port', '70000'], /--port/],
    [['--tier', 'gold', '--port', '0'], /--tier.*gold/],
  ] as const) {
    const r = spawnSync(process.execPath, [CLI, 'simulate', ...args], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  const cases: [string[], RegExp][] = [
    [['--latency', 'slow'], /--latency/],
    [['--fault-rate', '2'], /--fault-rate/],
    [['--fault', 'boom', '--fault-rate', '0.1'], /--fault /],
    [['--fault', '529'], /--fault needs --fault-rate/],
    [['--time-scale', '0'], /--time-scale/],
    [['--rpm', 'many'], /--rpm/],
    [['--seed', '1.5'], /--seed/],
    [['--tier', 'custom', '--rpm', '5'], /--tier custom needs --rpm, --itpm and --otpm/],
    [['--nope'], /nope/],
  ];
  for (const [args, re] of cases) {
    assert.throws(
      () => parseSimulateArgs(args),
      (e: Error) => e instanceof CliError && re.test(e.message),
      args.join(' '),
    );
  }
});

test('parseSimulateArgs maps flags to options', () => {
  const { options } = parseSimulateArgs([
    '--tier',
    'scale',
    '--rpm',
    '100',
    '--time-scale',
    '60',
    '--fault-rate',
    '0.2',
    '--fault',
    '529,stream-error',
    '--otpm-mode',
    'max-tokens-estimate',
  ]);
  assert.equal(options.tier, 'scale');
  assert.deepEqual(options.limits, { rpm: 100 });
  assert.equal(options.timeScale, 60);
  assert.deepEqual(options.faults, { '529': 0.1, 'stream-error': 0.1 });
  assert.equal(options.otpmMode, 'max-tokens-estimate');
  assert.equal(options.port, 4010);
});

test('parseSimulateArgs: connection timeouts and the connection cap', () => {
  const { options } = parseSimulateArgs([
    '--request-timeout',
    '5000',
    '--headers-timeout',
    '2000',
    '--keep-alive-timeout',
    '1000',
    '--max-connections',
    '64',
  ]);
  assert.equal(options.requestTimeoutMs, 5000);
  assert.equal(options.headersTimeoutMs, 2000);
  assert.equal(options.keepAliveTimeoutMs, 1000);
  assert.equal(options.maxConnections, 64);
  assert.throws(() => parseSimulateArgs(['--max-connections', '0']), /--max-connections/);
  assert.throws(() => parseSimulateArgs(['--request-timeout', '1.5']), /--request-timeout/);
});

test('simulate: --burst-seconds, --acceleration-limit and --batch-latency reach the simulator; bad values name the flag', () => {
  const { options } = parseSimulateArgs([
    '--burst-seconds',
    '1',
    '--acceleration-limit',
    '--batch-latency',
    '2m',
  ]);
  assert.equal(options.burstSeconds, 1);
  assert.equal(options.accelerationLimit, true);
  assert.equal(options.batchLatencyMs, 120_000);
  assert.throws(
    () => parseSimulateArgs(['--burst-seconds', '0']),
    /--burst-seconds must be a number of seconds above 0/,
  );
  assert.throws(() => parseSimulateArgs(['--burst-seconds', '61']), /--burst-seconds/);
  assert.throws(
    () => parseSimulateArgs(['--batch-latency', '10']),
    /--batch-latency: use a number with a unit/,
  );
});

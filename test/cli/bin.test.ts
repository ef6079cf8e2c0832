// The one process-level test of the CLI: the built binary runs, and a real Ctrl-C halfway through a run
// stops it, saves and prints the partial results, and exits 130. Everything else is in-process.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './harness';

const cli = join(root, 'dist', 'cli.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

before(() => {
  if (existsSync(cli) && statSync(cli).mtimeMs >= newest(join(root, 'src'))) return;
  const res = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(res.status, 0, `build failed: ${res.stderr}`);
});

test('the binary: Ctrl-C halfway saves, prints the summary and exits 130', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'cli-bin-')), 'out');
  const child = spawn(
    process.execPath,
    [cli, 'run', '--simulate', '--sim-latency', 'fast', '--rate', '10', '--duration', '60s', '--out', out],
    { cwd: root, env: { ...process.env, ANTHROPIC_API_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  const started = new Promise<void>((resolve) =>
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.includes('sending to')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const guard = setTimeout(() => child.kill('SIGKILL'), 40_000);
  await started;
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGINT');
  const code = await exited;
  clearTimeout(guard);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /SIGINT: stopping/);
  assert.match(stdout, /interrupted by SIGINT: partial results/);
  assert.match(stdout, /requests \d+: ok [1-9]/);
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.ok(run.summary.requests.ok > 0);
});

test('the binary: a reader that closes the pipe early (| head) is no crash', async () => {
  const child = spawn(process.execPath, [cli, 'run', '--help'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
});

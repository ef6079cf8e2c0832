// `claude-load run` and `claude-load demo` end to end: the built CLI against the in-process simulator
// and a scripted server; exit codes 0/1/2/3, the --json summary, saved files, and no key in any output.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startScriptedServer } from '../fixtures/scriptedServer';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const secret = 'sk-ant-api03-CLITESTKEYTHATMUSTNOTAPPEAR_abcdefghijklmnop';

before(() => {
  if (existsSync(cli) && existsSync(join(root, 'dist', 'webview', 'report.js'))) return;
  const res = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(res.status, 0, `build failed: ${res.stderr}`);
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Async spawn: the scripted server runs in this process and must keep serving. */
function cliRun(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: { ...process.env, ANTHROPIC_API_KEY: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('--simulate --json: the documented summary fields, every request ok', async () => {
  const r = await cliRun([
    'run',
    '--simulate',
    '--sim-latency',
    'fast',
    '--concurrency',
    '3',
    '--requests',
    '12',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  for (const k of [
    'total',
    'ok',
    'rateLimited',
    'overloaded',
    'serverErrors',
    'clientErrors',
    'timeouts',
    'networkErrors',
    'streamErrors',
    'aborted',
  ]) {
    assert.equal(typeof s.requests[k], 'number', `requests.${k}`);
  }
  assert.equal(s.requests.total, 12);
  assert.equal(s.requests.ok, 12);
  for (const k of ['latencyMs', 'sendLagMs', 'ttftMs', 'tpotMs']) {
    for (const p of ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'])
      assert.equal(typeof s[k][p], 'number', `${k}.${p}`);
  }
  assert.equal(s.latencyUncorrectedMs, null, 'closed loop');
  assert.deepEqual(Object.keys(s.tokens).sort(), ['cacheRead', 'cacheWrite', 'input', 'output']);
  assert.equal(typeof s.costUsd, 'number');
  assert.equal(typeof s.throughput.rps, 'number');
  assert.equal(typeof s.throughput.outputTokensPerSec, 'number');
  assert.ok(s.durationS > 0);
  assert.deepEqual(s.thresholds, []);
});

test('open loop reports corrected and uncorrected latency; a failed threshold exits 1', async () => {
  const r = await cliRun([
    'run',
    '--simulate',
    '--sim-latency',
    'fast',
    '--rate',
    '20',
    '--requests',
    '20',
    '--json',
    '--threshold',
    'latency.p99<100000',
    '--threshold',
    'ttft.p50<0.001',
  ]);
  assert.equal(r.code, 1, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(typeof s.latencyUncorrectedMs.p99, 'number');
  assert.deepEqual(
    s.thresholds.map((t: { expr: string; pass: boolean }) => [t.expr, t.pass]),
    [
      ['latency.p99<100000', true],
      ['ttft.p50<0.001', false],
    ],
  );
});

test('bad input exits 2 and names the flag or field', async () => {
  let r = await cliRun(['run', '--simulate', '--concurrency', 'many']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--concurrency must be an integer >= 1 \(got "many"\)/);
  r = await cliRun(['run', '--simulate', '--model', 'claude-sonnet-4-20250514']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /model: .*older guides.*claude-sonnet-5-5/);
  r = await cliRun(['run', '--simulate', '--threshold', 'latency.p42<5']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown metric "latency.p42"/);
  const dir = mkdtempSync(join(tmpdir(), 'cli-run-'));
  writeFileSync(join(dir, 'bad.claudeload.json'), '{ "requests": 5, "load": { "type": "rate", "rps": -2 } }');
  r = await cliRun(['run', join(dir, 'bad.claudeload.json')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /load.rps must be > 0/);
});

test('no key for the real API, or an unreachable target: exit 3', async () => {
  let r = await cliRun(['run', '--requests', '1']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /ANTHROPIC_API_KEY/);
  r = await cliRun(['run', '--base-url', 'http://127.0.0.1:9', '--requests', '1'], {
    ANTHROPIC_API_KEY: secret,
  });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /cannot reach http:\/\/127.0.0.1:9/);
  assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret));
});

test('a plan file run with --out saves run.json, CSV and HTML, and the key appears nowhere', async () => {
  const server = await startScriptedServer(() => ({ status: 401, errorMessage: `bad key ${secret}` }));
  try {
    const dir = mkdtempSync(join(tmpdir(), 'cli-run-'));
    const plan = join(dir, 'api.claudeload.json');
    writeFileSync(
      plan,
      JSON.stringify({
        name: 'key-check',
        target: { baseUrl: server.url },
        requests: 3,
        model: 'claude-haiku-4-5',
      }),
    );
    const out = join(dir, 'out');
    const r = await cliRun(['run', plan, '--out', out], { ANTHROPIC_API_KEY: secret });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /4xx 3/);
    for (const f of ['run.json', 'timeseries.csv', 'report.html']) {
      const text = readFileSync(join(out, f), 'utf8');
      assert.ok(!text.includes(secret) && !text.includes('CLITESTKEY'), `${f} contains the key`);
    }
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.equal(run.schemaVersion, 1);
    assert.equal(run.summary.requests.clientErrors, 3);
    // The SDK sent the key to the server it was meant for.
    assert.ok(server.requests.length >= 3);
  } finally {
    await server.close();
  }
});

test('demo: plans, load-tests the simulator and writes the report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-demo-'));
  const r = await cliRun(['demo', '--duration', '2s', '--out', dir]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.match(r.stdout, /Capacity plan/);
  assert.match(r.stdout, /requests \d+: ok \d+/);
  assert.match(r.stdout, /report.html/);
  assert.ok(existsSync(join(dir, 'report.html')));
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  assert.ok(run.summary.requests.ok > 0);
});

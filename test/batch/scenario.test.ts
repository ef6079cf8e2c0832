// A "via": "batches" plan end to end on the simulator (official SDK, 127.0.0.1): runBatchScenario and
// claude-load batch take the plan's batch section (poll, latency, the 300K-output beta).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinCatalog, parseScenario, runBatchScenario } from '../../src/core/index';
import type { BatchEvent, BatchReport } from '../../src/core/index';
import { batchCommand } from '../../src/cli/commands/batch';
import type { CliIo } from '../../src/cli/cliError';
import { cli } from '../cli/harness';

function captureIo() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (s: string) => ((out.stdout += s), true) },
    stderr: { write: (s: string) => ((out.stderr += s), true) },
    env: {},
  } as unknown as CliIo;
  return { io, out };
}

const batchPlan = {
  name: 'long-reports',
  // A simulated hour per real second: a 1-minute median takes ~17 ms.
  target: { simulator: { tier: 'build', timeScale: 3600 } },
  model: 'claude-sonnet-5-5',
  prompt: 'Write the quarterly report.',
  maxTokens: 200_000,
  requests: 20,
  via: 'batches',
  batch: { poll: '20ms', latency: '1m', output300k: true },
};

test("runBatchScenario: the plan's batch section drives the run; the 300K beta lets 200K max_tokens succeed", async () => {
  const scenario = parseScenario(batchPlan);
  const events: BatchEvent[] = [];
  let baseUrl = '';
  const report = await runBatchScenario(scenario, {
    catalog: builtinCatalog,
    onEvent: (e) => events.push(e),
    onTarget: (t) => (baseUrl = t.baseUrl),
  });
  assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(report.requests, 20);
  assert.deepEqual(report.outcomes, { succeeded: 20, errored: 0, canceled: 0, expired: 0 });
  // Turnaround is on the simulated timeline: the slowest of 20 draws around a 1-minute median.
  assert.ok(
    report.turnaroundMs !== null && report.turnaroundMs > 10_000 && report.turnaroundMs < 10 * 60_000,
  );
  const last = events.filter((e) => e.type === 'progress').at(-1);
  assert.equal(last?.type === 'progress' && last.counts.succeeded, 20);
});

test('without the beta the same requests are errored by the API (400), not refused up front', async () => {
  // parseScenario refuses maxTokens above 128K without the beta: bypass it to see what the API does.
  const scenario = { ...parseScenario(batchPlan), batch: { pollMs: 20, latencyMs: 60_000 } };
  const report: BatchReport = await runBatchScenario(scenario, { catalog: builtinCatalog });
  assert.equal(report.outcomes.errored, 20);
  assert.deepEqual(report.errors, { invalid_request_error: 20 });
  assert.equal(report.cost.batchUsd, 0);
});

test('claude-load batch: a batch plan file, --output-300k on a load-test plan (its duration dropped)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-load-batchx-'));
  const plan = join(dir, 'reports.claudeload.json');
  writeFileSync(plan, JSON.stringify(batchPlan));
  const a = captureIo();
  assert.equal(await batchCommand({ planFile: plan, json: true }, a.io), 0);
  const r = JSON.parse(a.out.stdout) as BatchReport;
  assert.equal(r.name, 'long-reports');
  assert.equal(r.outcomes.succeeded, 20);

  // A load-test plan (duration, no via): runs as a batch; --output-300k adds the beta.
  const loadPlan = join(dir, 'load.claudeload.json');
  const { via: _v, batch: _b, requests: _r, ...rest } = batchPlan;
  writeFileSync(loadPlan, JSON.stringify({ ...rest, duration: '30s', maxTokens: 150_000 }));
  const b = captureIo();
  const code = await batchCommand(
    { planFile: loadPlan, requests: 5, pollMs: 20, batchLatencyMs: 60_000, json: true, output300k: true },
    b.io,
  );
  assert.equal(code, 0, b.out.stderr);
  assert.equal((JSON.parse(b.out.stdout) as BatchReport).outcomes.succeeded, 5);
  // Without the flag the plan's 150K max_tokens is refused before anything is sent, naming the field.
  await assert.rejects(
    batchCommand({ planFile: loadPlan, requests: 5, pollMs: 20, json: true }, captureIo().io),
    /maxTokens: 150000 > 128000/,
  );
});

test('claude-load run refuses a batch plan, naming the command that runs it (exit 2, nothing sent)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-load-batchx-run-'));
  const plan = join(dir, 'b.claudeload.json');
  writeFileSync(plan, JSON.stringify(batchPlan));
  const r = await cli(['run', plan]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /says "via": "batches": run it with claude-load batch .*b\.claudeload\.json/);
  assert.equal(r.stdout, '');
});

// claude-load sweep in-process: --rates on the simulator, the --json object, the files under --out,
// thresholds on the sweep, early stops (error budget, spend budget, over-saturation) and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testIo } from '../cli/harness';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../../src/cli/cliError';
import { sweepCommand, type SweepCommandOptions } from '../../src/cli/commands/sweep';
import { parseScenario } from '../../src/core/index';
import { startScriptedServer } from '../fixtures/scriptedServer';
import { evaluateSweepThresholds, parseSweepFile, startSweep } from '../../src/core/sweep/index';

function io() {
  const t = testIo();
  return { io: t, out: () => t.out.stdout, err: () => t.out.stderr };
}

const base: SweepCommandOptions = {
  stepDurationMs: 1500,
  warmupMs: 300,
  rampMs: 300,
  simulate: 'build',
  simLatency: 'fast',
  timeScale: 15,
  model: 'claude-sonnet-5-5',
  inputTokens: 50,
  outputTokens: 20,
  burstSeconds: 2,
  reportCss: 'body{color:#123}',
};

test('--rates --json --out: steps, max sustainable rate, binding, files and a CI threshold', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-cmd-'));
  try {
    // A plan file for the limits (flags cannot set them): 120 RPM = 2 simulated req/s.
    const plan = join(dir, 'p.claudeload.json');
    writeFileSync(
      plan,
      JSON.stringify({
        name: 'rpm-plan',
        target: { simulator: { tier: 'build', latency: 'fast', timeScale: 15, limits: { rpm: 120 } } },
      }),
    );
    const t = io();
    const code = await sweepCommand(
      {
        ...base,
        simulate: undefined,
        plan,
        rates: [1, 1.5, 3],
        out: dir,
        json: true,
        thresholds: ['maxSustainableRpm>=80'],
      },
      t.io,
    );
    assert.equal(code, 0, t.err());
    const j = JSON.parse(t.out()) as Record<string, unknown> & { steps: Record<string, unknown>[] };
    assert.equal(j.steps.length, 3);
    for (const k of [
      'offeredRps',
      'achievedRps',
      'goodputRps',
      'rateLimitedRate',
      'errorsRate',
      'latency',
      'ttft',
      'costUsd',
    ])
      assert.ok(k in j.steps[0]!, k);
    assert.equal(j.maxSustainableRpm, 90);
    assert.deepEqual(j.binding, { kind: 'rate-limit', bucket: 'sonnet-5-5', limit: 'requests' });
    assert.equal(j.predictedMaxRpm, 120);
    assert.equal(j.predictionErrorPct, -25);
    assert.equal(j.stopReason, 'completed');
    assert.ok((j.steps[2]!.rateLimitedRate as number) > 0.2);
    assert.match(t.err(), /step 1 \(rates\): 1\.000 req\/s/);
    // Files: sweep.json parses back; CSV has a row per step; the HTML is offline with the 3 charts.
    const saved = parseSweepFile(readFileSync(join(dir, 'sweep.json'), 'utf8'), 'sweep.json');
    assert.equal(saved.maxSustainableRpm, 90);
    assert.equal(readFileSync(join(dir, 'sweep.csv'), 'utf8').trim().split('\n').length, 4);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(html, /Achieved and goodput vs offered rate/);
    assert.match(html, /Latency percentiles vs offered rate/);
    assert.match(html, /429 and 529 share vs offered rate/);
    assert.match(
      html,
      /Sustains 90 RPM under your SLO; requests per minute \(bucket sonnet-5-5\) binds at 180 RPM/,
    );
    assert.doesNotMatch(html, /<script(?! type="application\/json")/);
    // A CI threshold the sweep misses fails.
    const failed = evaluateSweepThresholds(['maxSustainableRpm>=500'], saved);
    assert.equal(failed[0]!.pass, false);
    assert.equal(failed[0]!.value, 90);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a target that cannot start exits 3; a bad simulator option is bad input', async () => {
  await assert.rejects(
    sweepCommand({ ...base, simulate: undefined, baseUrl: 'http://127.0.0.1:9', rates: [1] }, io().io),
    (e: unknown) => e instanceof CliError && e.exitCode === 3 && /no API key/.test(e.message),
  );
  await assert.rejects(
    sweepCommand({ ...base, rates: [1], burstSeconds: -1 }, io().io),
    (e: unknown) => e instanceof CliError && e.exitCode === 2 && /burstSeconds/.test(e.message),
  );
});

test('bad input names the flag', async () => {
  const t = io();
  await assert.rejects(
    sweepCommand({ ...base }, t.io),
    (e: unknown) => e instanceof CliError && /--rates.*--auto/.test(e.message),
  );
  await assert.rejects(
    sweepCommand({ ...base, auto: true, slo: ['latency.p95<abc'] }, t.io),
    (e: unknown) => e instanceof CliError && /--slo/.test(e.message),
  );
  await assert.rejects(
    sweepCommand({ ...base, auto: true, thresholds: ['nonsense>=1'] }, t.io),
    (e: unknown) => e instanceof CliError && /maxSustainableRpm/.test(e.message),
  );
});

function scenario(sim: Record<string, unknown>) {
  return parseScenario({
    name: 'stops',
    target: { simulator: { tier: 'build', latency: 'fast', timeScale: 15, ...sim } },
    model: 'claude-sonnet-5-5',
    prompts: { type: 'synthetic', inputTokens: 50 },
    maxTokens: 20,
    duration: '1s',
  });
}
const fast = { mode: 'rates' as const, stepDurationMs: 1000, warmupMs: 200, rampMs: 0 };

test('early stops are named: error budget, spend budget', async () => {
  const errors = await startSweep({
    ...fast,
    scenario: scenario({ faultRate: 0.6, fault: '500' }),
    rates: [1, 2, 3],
  }).done;
  assert.equal(errors.stopReason, 'error-budget');
  assert.equal(errors.steps.length, 1);
  assert.match(errors.stopDetail ?? '', /errors other than 429/);

  const spend = await startSweep({ ...fast, scenario: scenario({}), rates: [1, 2, 3], maxCostUsd: 0.001 })
    .done;
  assert.equal(spend.stopReason, 'spend-budget');
  assert.ok(spend.steps.length < 3);
});

test('over-saturation: a target whose queue keeps growing stops the sweep', async () => {
  // Each reply takes 15 ms longer than the one before: at 20 req/s the requests in flight only grow.
  const server = await startScriptedServer((i) => ({ totalMs: 40 + i * 15, ttftMs: 10, outputTokens: 5 }));
  try {
    const s = parseScenario({
      name: 'saturate',
      target: { baseUrl: server.url },
      model: 'claude-sonnet-5-5',
      prompt: 'hi',
      maxTokens: 20,
      duration: '1s',
    });
    const r = await startSweep(
      { ...fast, scenario: s, rates: [20, 40], stepDurationMs: 1500 },
      { apiKey: 'test-key' },
    ).done;
    assert.equal(
      r.stopReason,
      'over-saturation',
      JSON.stringify(r.steps.map((x) => [x.inFlightMax, x.overSaturated])),
    );
    assert.equal(r.steps.length, 1);
    assert.equal(r.steps[0]!.pass, false);
    assert.deepEqual(r.binding, { kind: 'saturation' });
  } finally {
    await server.close();
  }
});

test('achieved below 98 % of offered is flagged: an in-flight cap holds sends back', async () => {
  // 100 ms per reply and at most 2 in flight: ~20 req/s can leave, 40 are offered.
  const server = await startScriptedServer(() => ({ totalMs: 100, ttftMs: 10, outputTokens: 5 }));
  try {
    const s = parseScenario({
      name: 'capped',
      target: { baseUrl: server.url },
      model: 'claude-sonnet-5-5',
      prompt: 'hi',
      maxTokens: 20,
      duration: '1s',
    });
    const r = await startSweep({ ...fast, scenario: s, rates: [40], maxInFlight: 2 }, { apiKey: 'test-key' })
      .done;
    const step = r.steps[0]!;
    assert.ok(step.achievedRps < 0.7 * 40, String(step.achievedRps));
    assert.equal(step.achievedShortfall, true);
    assert.ok(
      r.warnings.some((w) => /achieved .* of 40\.00 offered/.test(w)),
      r.warnings.join('\n'),
    );
  } finally {
    await server.close();
  }
});

test('abort keeps the steps measured so far and names the stop', async () => {
  const run = startSweep({ ...fast, scenario: scenario({}), rates: [1, 1, 1, 1] });
  run.on('step', (e) => {
    if (e.step.index === 0) run.abort();
  });
  const r = await run.done;
  assert.equal(r.stopReason, 'aborted');
  assert.ok(r.steps.length >= 1 && r.steps.length < 4);
});

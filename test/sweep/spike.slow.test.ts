// Spikes: k6-style stages, the planner-derived spike shape, and the spike analysis on a real run
// against the simulator (a 4x spike over a 120 RPM limit draws 429s during it, none before).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseScenario,
  planCapacity,
  reportHooks,
  startLoadTest,
  startSimulator,
} from '../../src/core/index';
import {
  analyzeSpike,
  describeSpike,
  parseStages,
  spikeFromPlan,
  spikeShape,
  spikeWindowOf,
  StageError,
} from '../../src/core/sweep/index';
import { cli } from '../cli/harness';

test('parseStages: k6-style DURATION:RATE flags; bad input names --stage', () => {
  assert.deepEqual(parseStages(['30s:5', '10s:50', '30s:5']), {
    type: 'ramp',
    startRps: 0,
    stages: [
      { durationMs: 30_000, rps: 5 },
      { durationMs: 10_000, rps: 50 },
      { durationMs: 30_000, rps: 5 },
    ],
    maxInFlight: 1000,
  });
  assert.throws(
    () => parseStages(['30s']),
    (e: unknown) => e instanceof StageError && /--stage: "30s" must look like/.test(e.message),
  );
  assert.throws(() => parseStages(['soon:5']), /--stage: "soon:5"/);
  assert.throws(() => parseStages([]), /at least one stage/);
});

test('spike shape from the planner: baseline = average Messages rate, peak = peak factor x baseline', () => {
  const plan = planCapacity({
    model: 'claude-sonnet-5-5',
    rpm: 120,
    peakFactor: 3,
    inputTokens: 500,
    outputTokens: 200,
    cachedTokens: 0,
    cacheHitRate: 0,
    cacheTtl: '5m',
    batchShare: 0,
    duplicateShare: 0,
  });
  const s = spikeFromPlan(plan, { baselineMs: 10_000, spikeMs: 5000, afterMs: 10_000, jumpMs: 100 });
  assert.equal(s.load.startRps, 2);
  assert.deepEqual(
    s.load.stages.map((x) => x.rps),
    [2, 6, 6, 2, 2],
  );
  assert.deepEqual(s.spike, { startS: 10.1, endS: 15.1 });
  assert.equal(s.durationMs, 25_200);
});

test('a spike over the limit: 429s during it, none before, latency and recovery reported', async () => {
  // 120 RPM at time scale 15 = 30 real req/s; a bucket of 2 simulated seconds barely absorbs a burst.
  const sim = await startSimulator({
    tier: 'build',
    latency: 'fast',
    timeScale: 15,
    limits: { rpm: 120 },
    burstSeconds: 2,
  });
  try {
    const shape = spikeShape({
      baselineRps: 15,
      peakFactor: 4,
      baselineMs: 2000,
      spikeMs: 2000,
      afterMs: 3000,
      jumpMs: 20,
    });
    const scenario = parseScenario({
      name: 'spike',
      target: { baseUrl: sim.url },
      model: 'claude-sonnet-5-5',
      prompts: { type: 'synthetic', inputTokens: 50 },
      maxTokens: 20,
      load: { type: 'rate', rps: 1 },
      duration: '1s',
    });
    const run = await startLoadTest(
      { ...scenario, load: shape.load, durationMs: undefined },
      { ...reportHooks, apiKey: 'k' },
    ).done;
    const a = analyzeSpike(run.timeseries, shape.spike);
    assert.equal(a.before.rateLimited, 0, JSON.stringify(a));
    assert.ok(a.during.rateLimitedRate > 0.2, JSON.stringify(a));
    assert.ok(a.before.requests > 20 && a.during.requests > 60, JSON.stringify(a));
    assert.ok(a.during.latencyP95Ms !== null && a.before.latencyP95Ms !== null);
    assert.ok(a.recoverS !== null && a.recoverS <= 3, JSON.stringify(a));
    assert.match(describeSpike(a), new RegExp(`spike: ${a.during.rateLimited} 429s`));
    // Phases partition the run's windows.
    const total = run.timeseries.reduce((x, w) => x + w.completed, 0);
    assert.ok(a.before.requests + a.during.requests + a.after.requests <= total);
  } finally {
    await sim.close();
  }
});

test('spikeWindowOf: the half-height window of --stage ramps and spike shapes; none for steady loads', () => {
  // k6 example: 0 -> 5 over 30 s, 5 -> 50 over 10 s, 50 -> 5 over 30 s: above 27.5 req/s from 35 s to 55 s.
  const k6 = spikeWindowOf(parseStages(['30s:5', '10s:50', '30s:5']));
  assert.deepEqual(k6, { startS: 35, endS: 55, baselineRps: 5, peakRps: 50 });
  const shape = spikeShape({
    baselineRps: 2,
    peakFactor: 3,
    baselineMs: 10_000,
    spikeMs: 5000,
    afterMs: 10_000,
    jumpMs: 100,
  });
  const w = spikeWindowOf(shape.load)!;
  assert.ok(Math.abs(w.startS - 10.05) < 1e-9 && Math.abs(w.endS - 15.15) < 1e-9, JSON.stringify(w));
  assert.equal(spikeWindowOf({ type: 'rate', rps: 5, arrival: 'constant', maxInFlight: 10 }), null);
  // A plain ramp up (no return to a baseline) and a bump under 1.5x are not spikes.
  assert.equal(spikeWindowOf(parseStages(['10s:5', '10s:50'])), null);
  assert.equal(spikeWindowOf(parseStages(['10s:10', '10s:12', '10s:10'])), null);
});

test('claude-load run --stage prints what the spike cost (text and --json)', async () => {
  const argv = [
    'run',
    '--simulate',
    'build',
    '--sim-latency',
    'fast',
    '--time-scale',
    '15',
    '--model',
    'claude-sonnet-5-5',
    '--input-tokens',
    '50',
    '--max-tokens',
    '20',
    '--stage',
    '1s:10',
    '--stage',
    '10ms:40',
    '--stage',
    '1s:40',
    '--stage',
    '10ms:10',
    '--stage',
    '1500ms:10',
  ];
  const text = await cli(argv);
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stdout,
    /spike from 1\.0s to 2\.0s: \d+ 429s \([\d.]+ %\) and \d+ 529s \([\d.]+ %\) during it, \d+ 429s and \d+ 529s after it; latency p95 \d+ ms before, \d+ ms during, (\d+ ms|-) after; /,
  );
  const json = await cli([...argv, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout) as {
    spike: {
      window: { startS: number; endS: number };
      during: { requests: number };
      before: { requests: number };
    };
  };
  assert.ok(Math.abs(parsed.spike.window.startS - 1.005) < 1e-9, JSON.stringify(parsed.spike.window));
  assert.ok(Math.abs(parsed.spike.window.endS - 2.015) < 1e-9, JSON.stringify(parsed.spike.window));
  // 40 req/s for a second vs 10 req/s: the spike's phase holds more requests than the second before it.
  assert.ok(parsed.spike.during.requests > parsed.spike.before.requests, JSON.stringify(parsed.spike));
  // Steady runs print no spike line.
  const steady = await cli([
    'run',
    '--simulate',
    '--sim-latency',
    'zero',
    '--requests',
    '3',
    '--max-tokens',
    '5',
  ]);
  assert.equal(steady.code, 0, steady.stderr);
  assert.doesNotMatch(steady.stdout, /spike/);
});

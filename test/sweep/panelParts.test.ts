// The pure parts behind the sweep UI: Find Max Throughput's input checks, the Run History entry of a
// sweep, the sweep panel's messages and chart model, and the planner's measured-vs-predicted match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planCapacity, type PlanInput } from '../../src/core/index';
import { measuredVsPredicted } from '../../src/core/sweep/index';
import {
  checkRates,
  checkSlo,
  checkSweepDuration,
  parseRates,
  parseSweepDuration,
} from '../../src/extension/commands/sweepInputs';
import {
  resultAnalysis,
  sweepPanelAnalysis,
  sweepPanelInfo,
} from '../../src/extension/panels/sweepPanelModel';
import { sweepHistoryEntry, sweepVerdict } from '../../src/extension/views/runHistoryModel';
import { isHostToSweep, isSweepToHost } from '../../src/shared/protocol/guards';
import { hLine, ratedSteps, sloBounds, topOf, vLine } from '../../webview/sweep/model';
import { makeSampleSweep, makeStep } from '../fixtures/sampleSweep';

test('Find Max Throughput inputs: each bad value is refused with a message naming its field', () => {
  assert.equal(checkSlo(''), undefined);
  assert.equal(checkSlo('latency.p95<8000, ttft.p95<2000, errors.rate<0.05'), undefined);
  assert.match(checkSlo('latency.p95<fast') ?? '', /^SLO/);
  assert.match(checkSlo('errors.rate<2') ?? '', /^SLO: .*between 0 and 1/);
  assert.match(checkSlo('throughput.rps>5') ?? '', /^SLO: .*cannot be judged request by request/);
  assert.deepEqual(parseSweepDuration('30s', 'Step length'), { ms: 30_000 });
  assert.deepEqual(parseSweepDuration('2m', 'Step length'), { ms: 120_000 });
  assert.deepEqual(parseSweepDuration('0s', 'Warm-up'), { ms: 0 });
  assert.match(checkSweepDuration('0s', 'Step length') ?? '', /^Step length: /);
  assert.match(checkSweepDuration('500ms', 'Step length') ?? '', /^Step length: at least 1s/);
  assert.match(checkSweepDuration('thirty', 'Warm-up') ?? '', /^Warm-up: use a number with a unit/);
  assert.match(checkSweepDuration('2h', 'Step length') ?? '', /^Step length: at most 1h/);
  assert.deepEqual(parseRates('1, 2,5'), [1, 2, 5]);
  assert.match(checkRates('1,-2') ?? '', /^Rates: positive numbers/);
  assert.match(checkRates('') ?? '', /^Rates: /);
  assert.equal(checkRates('0.5,1'), undefined);
});

test('Run History: a sweep shows its max sustainable RPM, what binds, cost and a verdict', () => {
  const s = makeSampleSweep();
  const e = sweepHistoryEntry(s, new Date('2026-11-28T12:00:00Z'));
  assert.equal(e.label, 'Sweep: checkout');
  assert.match(e.description, /max 45 RPM · \$\d/);
  assert.match(e.tooltip, /binds: requests per minute \(bucket sonnet-5-5\)/);
  assert.match(e.tooltip, /planner predicted 50 RPM/);
  assert.equal(e.verdict, 'passed');
  assert.equal(sweepVerdict({ ...s, stopReason: 'aborted' }), 'stopped');
  assert.equal(sweepVerdict({ ...s, maxSustainableRpm: null }), 'failed');
  assert.equal(sweepVerdict({ ...s, stopReason: 'spend-budget' }), 'warning');
  assert.match(sweepHistoryEntry({ ...s, maxSustainableRpm: null }).description, /no rate passed/);
});

test('sweep panel messages: guards accept the protocol and refuse malformed payloads', () => {
  const s = makeSampleSweep();
  const analysis = { maxSustainableRps: 0.75, bindingRps: 1, binding: 'requests per minute', kneeRps: 0.75 };
  assert.ok(isSweepToHost({ type: 'sweep/ready' }));
  assert.ok(isSweepToHost({ type: 'sweep/stop' }));
  assert.ok(isSweepToHost({ type: 'sweep/openReport' }));
  assert.ok(!isSweepToHost({ type: 'sweep/delete' }));
  const info = {
    name: 'x',
    target: 'simulator (build)',
    mode: 'rates',
    slo: [],
    startedAt: '',
    stepDurationMs: 1,
    warmupMs: 0,
  };
  assert.ok(isHostToSweep({ type: 'sweep/show', info, steps: [], analysis }));
  assert.ok(!isHostToSweep({ type: 'sweep/show', info, steps: {}, analysis }));
  assert.ok(!isHostToSweep({ type: 'sweep/show', info, steps: [] }));
  assert.ok(isHostToSweep({ type: 'sweep/step', step: s.steps[0], analysis }));
  assert.ok(!isHostToSweep({ type: 'sweep/step', step: {}, analysis }));
  assert.ok(isHostToSweep({ type: 'sweep/done', result: s, sentence: 'x', saved: true, analysis }));
  assert.ok(!isHostToSweep({ type: 'sweep/done', result: s, saved: true, analysis }));
  assert.ok(isHostToSweep({ type: 'sweep/progress', progress: { index: 1 } }));
  assert.ok(isHostToSweep({ type: 'theme/changed' }));
});

test('sweep chart model: rated steps in rate order, SLO bounds per metric, marker lines', () => {
  const steps = [makeStep(0, 2, 0), { ...makeStep(1, 1, 0), offeredRps: null }, makeStep(2, 1.5, 0)];
  assert.deepEqual(
    ratedSteps(steps).map((s) => s.offeredRps),
    [1.5, 2],
  );
  assert.deepEqual(
    sloBounds(['errors.rate<0.01', 'latency.p95<8000', 'ttft.p99<=2000', 'latency.p50 < 900'], 'latency'),
    [
      { expr: 'latency.p95<8000', ms: 8000 },
      { expr: 'latency.p50 < 900', ms: 900 },
    ],
  );
  assert.deepEqual(sloBounds(['ttft.p99<=2000'], 'ttft'), [{ expr: 'ttft.p99<=2000', ms: 2000 }]);
  const rated = ratedSteps(steps);
  assert.deepEqual(hLine(rated, 8000), [
    { x: 1.5, y: 8000 },
    { x: 2, y: 8000 },
  ]);
  assert.deepEqual(hLine([], 1), []);
  assert.deepEqual(vLine(1, 10), [
    { x: 1, y: 0 },
    { x: 1, y: 10 },
  ]);
  assert.deepEqual(vLine(null, 10), []);
  assert.equal(topOf([1, NaN, 3], 0), 3);
  assert.equal(topOf([], 0.05), 0.05);
});

const planInput: PlanInput = {
  model: 'claude-sonnet-5-5',
  rpm: 10,
  peakFactor: 2,
  inputTokens: 520,
  outputTokens: 190,
  cachedTokens: 0,
  cacheHitRate: 0,
  cacheTtl: '5m',
  batchShare: 0,
  duplicateShare: 0,
};

test('planner: the newest matching sweep beside the planner maximum for the plan on that tier', () => {
  const plan = planCapacity(planInput);
  const build = plan.tiers.find((t) => t.name === 'build')!;
  const u = build.utilization;
  const expected = plan.traffic.peakMessagesRpm / Math.max(u.rpm, u.itpm, u.otpm);
  const older = makeSampleSweep({ endedAt: '2026-11-27T10:00:00.000Z', maxSustainableRpm: 30 });
  const newer = makeSampleSweep();
  const m = measuredVsPredicted(plan, [older, newer])!;
  assert.ok(m, 'a match');
  assert.equal(m.sweep, newer);
  assert.equal(m.tier, 'build');
  assert.equal(m.measuredRpm, 45);
  assert.ok(Math.abs(m.predictedRpm - expected) < 1e-9);
  assert.ok(Math.abs(m.gapPct - ((45 - expected) / expected) * 100) < 1e-9);
  // Doubling the plan's traffic does not change the maximum (utilisation is linear in traffic).
  const twice = measuredVsPredicted(planCapacity({ ...planInput, rpm: 20 }), [newer])!;
  assert.ok(Math.abs(twice.predictedRpm - m.predictedRpm) < 1e-6);
});

test('planner: no measured line for another model, another workload, an overridden tier or no passing rate', () => {
  const s = makeSampleSweep();
  assert.equal(measuredVsPredicted(planCapacity({ ...planInput, model: 'claude-haiku-4-5' }), [s]), null);
  assert.equal(measuredVsPredicted(planCapacity({ ...planInput, inputTokens: 2000 }), [s]), null);
  assert.equal(measuredVsPredicted(planCapacity({ ...planInput, tier: 'scale' }), [s]), null);
  assert.equal(measuredVsPredicted(planCapacity(planInput), [{ ...s, maxSustainableRpm: null }]), null);
  const overridden = makeSampleSweep();
  overridden.scenario = {
    ...overridden.scenario,
    target: {
      ...(overridden.scenario.target as Extract<typeof overridden.scenario.target, { kind: 'simulator' }>),
      limits: { rpm: 10 },
    },
  };
  assert.equal(measuredVsPredicted(planCapacity(planInput), [overridden]), null);
});

test('sweep panel markers: from the core analysis of the steps so far, and the result’s own at the end', () => {
  const s = makeSampleSweep();
  assert.deepEqual(sweepPanelAnalysis(s.steps.slice(0, 2)), {
    maxSustainableRps: 0.5,
    bindingRps: null,
    binding: null,
    kneeRps: null,
  });
  const all = sweepPanelAnalysis(s.steps);
  assert.equal(all.maxSustainableRps, 0.75);
  assert.equal(all.bindingRps, 1);
  assert.equal(all.binding, 'requests per minute (bucket sonnet-5-5)');
  assert.deepEqual(resultAnalysis(s), {
    maxSustainableRps: 0.75,
    bindingRps: 1,
    binding: 'requests per minute (bucket sonnet-5-5)',
    kneeRps: 0.75,
  });
  assert.equal(resultAnalysis({ ...s, binding: { kind: 'none' } }).binding, null);
  const info = sweepPanelInfo(s);
  assert.deepEqual(
    [info.target, info.mode, info.stepDurationMs, info.warmupMs],
    ['simulator (build)', 'rates', 60_000, 5000],
  );
});

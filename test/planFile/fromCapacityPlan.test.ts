// Planner -> plan file (the planner panel's "Save as plan file" and "Load test this plan"), and back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog, parseScenario, planCapacity, validatePlanInput } from '../../src/core/index';
import type { PlanResult } from '../../src/core/index';
import {
  PlanToScenarioError,
  answerPlanInput,
  defaultPlanInput,
  defaultPlanName,
  maxTokensFor,
  planInputFromPlanFile,
  planToPlanFile,
} from '../../src/core/planFile/fromCapacityPlan';

function plan(raw: Record<string, unknown>): PlanResult {
  return planCapacity(validatePlanInput(raw, builtinCatalog), { catalog: builtinCatalog });
}

const worked = { model: 'claude-sonnet-5-5', rpm: 100, inputTokens: 500, outputTokens: 200 };

test('a single-model plan becomes a runnable simulator plan at the peak Messages rate', () => {
  const result = plan({ ...worked, peakFactor: 3 });
  const file = planToPlanFile(result, { defaultTier: 'build' });
  assert.equal(file.name, 'claude-sonnet-5-5-100rpm');
  assert.deepEqual(file.target, { simulator: { tier: result.recommendedTier } });
  assert.equal(file.model, 'claude-sonnet-5-5');
  assert.equal(file.mix, undefined);
  assert.equal(file.maxTokens, 300);
  assert.deepEqual(file.prompts, { type: 'synthetic', inputTokens: { mean: 500 } });
  assert.deepEqual(file.load, { type: 'rate', rps: 300 / 60, arrival: 'poisson' });
  assert.equal(file.duration, '60s');

  const s = parseScenario(JSON.parse(JSON.stringify(file)), { catalog: builtinCatalog });
  assert.equal(s.name, 'claude-sonnet-5-5-100rpm');
  assert.deepEqual(s.target.kind === 'simulator' && s.target.tier, result.recommendedTier);
  assert.deepEqual(s.models, [{ model: 'claude-sonnet-5-5', share: 1 }]);
  assert.equal(s.maxTokens, 300);
  assert.deepEqual(s.prompts, { type: 'synthetic', inputTokens: { mean: 500, sd: 0 } });
  assert.equal(s.load.type, 'rate');
  assert.equal(s.load.type === 'rate' && s.load.rps, result.traffic.peakMessagesRpm / 60);
  assert.equal(s.load.type === 'rate' && s.load.arrival, 'poisson');
  assert.equal(s.durationMs, 60_000);
  assert.equal(s.thresholds['errors.rate'], '<0.01');
  assert.equal(s.thresholds['rateLimited.rate'], '<0.01');
  assert.match(s.thresholds['latency.p95'] ?? '', /^<\d+$/);
});

test('the plan section round-trips to the same planner input', () => {
  const result = plan({ ...worked, cachedTokens: 300, cacheHitRate: 0.9, cacheTtl: '1h', latencyS: 2.5 });
  const file = planToPlanFile(result, { defaultTier: 'build' });
  const back = planInputFromPlanFile(JSON.parse(JSON.stringify(file)), {});
  assert.ok(back);
  assert.deepEqual(validatePlanInput(back.input, builtinCatalog), result.input);
  // Latency given: the p95 threshold is twice it.
  assert.equal((file.thresholds as Record<string, string>)['latency.p95'], '<5000');
});

test('batched and coalesced requests are not load tested; a mix keeps its shares', () => {
  const result = plan({
    mix: [
      { model: 'claude-haiku-4-5', share: 0.7 },
      { model: 'claude-sonnet-5-5', share: 0.3 },
    ],
    rpm: 600,
    peakFactor: 2,
    inputTokens: 1000,
    outputTokens: 101,
    batchShare: 0.5,
    duplicateShare: 0.2,
  });
  const file = planToPlanFile(result, { defaultTier: 'build', name: 'mixed' });
  // 600 arriving, 20 % coalesced -> 480, half of it batched -> 240 RPM on Messages, x2 at peak.
  assert.equal(result.traffic.peakMessagesRpm, 480);
  assert.deepEqual(file.load, { type: 'rate', rps: 8, arrival: 'poisson' });
  assert.equal(file.model, undefined);
  assert.equal(file.maxTokens, maxTokensFor(101));
  assert.equal(maxTokensFor(101), 152);
  const s = parseScenario(file, { catalog: builtinCatalog });
  assert.deepEqual(
    s.models.map((m) => m.model),
    ['claude-haiku-4-5', 'claude-sonnet-5-5'],
  );
  assert.ok(Math.abs(s.models.reduce((a, m) => a + m.share, 0) - 1) < 1e-9);
  assert.equal(defaultPlanName(result.input), 'mix-600rpm');
});

test('when no standard tier fits, the simulator uses the default tier', () => {
  const result = plan({ ...worked, rpm: 50_000 });
  assert.equal(result.recommendedTier, 'custom');
  const file = planToPlanFile(result, { defaultTier: 'scale' });
  assert.deepEqual(file.target, { simulator: { tier: 'scale' } });
  parseScenario(file, { catalog: builtinCatalog });
});

test('a custom tier the user typed becomes the simulator limits of the plan file', () => {
  const result = plan({ ...worked, tier: 'custom', customLimits: { rpm: 120, itpm: 90_000, otpm: 30_000 } });
  const file = planToPlanFile(result, { defaultTier: 'build' });
  assert.deepEqual(file.target, {
    simulator: { tier: result.recommendedTier, limits: { rpm: 120, itpm: 90_000, otpm: 30_000 } },
  });
  const s = parseScenario(file, { catalog: builtinCatalog });
  assert.deepEqual(s.target.kind === 'simulator' && s.target.limits, {
    rpm: 120,
    itpm: 90_000,
    otpm: 30_000,
  });
});

test('nothing on the Messages API cannot be load tested', () => {
  assert.throws(
    () => planToPlanFile(plan({ ...worked, batchShare: 1 }), { defaultTier: 'build' }),
    (e: unknown) => e instanceof PlanToScenarioError && /Nothing to load test/.test(e.message),
  );
  assert.throws(
    () => planToPlanFile(plan({ ...worked, rpm: 0 }), { defaultTier: 'build' }),
    PlanToScenarioError,
  );
});

test('a plan file without a plan section offers its own workload over the defaults, never the last input', () => {
  const defaults = defaultPlanInput('claude-sonnet-5-5');
  assert.deepEqual(defaults, {
    model: 'claude-sonnet-5-5',
    rpm: 100,
    peakFactor: 1,
    inputTokens: 500,
    outputTokens: 200,
  });
  // A rate load and synthetic prompts: 8 req/s is 480 RPM, 200 input tokens, 64 output (maxTokens).
  const journey = planInputFromPlanFile(
    {
      model: 'claude-haiku-4-5',
      target: { simulator: { tier: 'build', latency: 'fast' } },
      maxTokens: 64,
      prompts: { type: 'synthetic', inputTokens: 200 },
      load: { type: 'rate', rps: 8, arrival: 'constant' },
      duration: '8s',
    },
    defaults,
  );
  assert.ok(journey);
  assert.deepEqual(journey.input, {
    model: 'claude-haiku-4-5',
    rpm: 480,
    peakFactor: 1,
    inputTokens: 200,
    outputTokens: 64,
    cachedTokens: 0,
    cacheHitRate: 0,
    tier: 'build',
  });
  assert.match(journey.notes.join('; '), /480 RPM from load\.rps 8/);
  // A ramp 0 -> 10 req/s over 60 s, then 10 req/s for 60 s: 7.5 req/s on average (450 RPM), peak 10/7.5.
  const ramp = planInputFromPlanFile(
    {
      model: 'claude-haiku-4-5',
      outputTokens: 150,
      load: {
        type: 'ramp',
        stages: [
          { duration: '60s', rps: 10 },
          { duration: '1m', rps: 10 },
        ],
      },
    },
    defaults,
  );
  assert.equal(ramp?.input.rpm, 450);
  assert.equal(ramp?.input.peakFactor, 1.33);
  assert.equal(ramp?.input.outputTokens, 150);
  // A cached system prompt is a prefix every request after the first reads (4 chars a token).
  const cachedSystem = planInputFromPlanFile(
    {
      model: 'claude-haiku-4-5',
      system: { text: 'x'.repeat(4000), cacheControl: '1h' },
      prompt: 'y'.repeat(400),
      maxTokens: 100,
      requests: 3,
    },
    defaults,
  );
  assert.deepEqual(
    {
      inputTokens: cachedSystem?.input.inputTokens,
      cachedTokens: cachedSystem?.input.cachedTokens,
      cacheHitRate: cachedSystem?.input.cacheHitRate,
      cacheTtl: cachedSystem?.input.cacheTtl,
      rpm: cachedSystem?.input.rpm,
    },
    // No rate in the file (requests only): the RPM is the default, not anything remembered.
    { inputTokens: 1100, cachedTokens: 1000, cacheHitRate: 1, cacheTtl: '1h', rpm: 100 },
  );
  const mix = [{ model: 'claude-haiku-4-5', share: 1 }];
  assert.deepEqual(
    planInputFromPlanFile({ mix, prompts: { type: 'synthetic', inputTokens: 500 } }, defaults)?.input,
    {
      rpm: 100,
      peakFactor: 1,
      inputTokens: 500,
      outputTokens: 200,
      cachedTokens: 0,
      cacheHitRate: 0,
      mix,
    },
  );
  // A closed loop has no rate of its own: the default RPM stays, and the note says why.
  const closed = planInputFromPlanFile(
    { model: 'claude-haiku-4-5', load: { type: 'concurrency', concurrency: 4 }, requests: 10 },
    defaults,
  );
  assert.equal(closed?.input.rpm, 100);
  assert.match(closed?.notes.join('; ') ?? '', /no rate: 4 concurrent requests/);
  assert.equal(planInputFromPlanFile({ requests: 3 }, defaults), undefined);
  assert.equal(planInputFromPlanFile([1, 2], defaults), undefined);
  assert.deepEqual(planInputFromPlanFile({ model: 'x', plan: { rpm: 5 } }, defaults)?.input, { rpm: 5 });
});

test('"Load test this plan" keeps prompt caching: the prefix and hit rate go into the plan file and back', () => {
  const result = plan({
    ...worked,
    inputTokens: 3000,
    cachedTokens: 2000,
    cacheHitRate: 0.8,
    cacheTtl: '1h',
  });
  const file = planToPlanFile(result, { defaultTier: 'build' });
  assert.deepEqual(file.prompts, {
    type: 'synthetic',
    inputTokens: { mean: 3000 },
    cachedPrefix: { tokens: 2000, hitRate: 0.8, ttl: '1h' },
  });
  const s = parseScenario(JSON.parse(JSON.stringify(file)), { catalog: builtinCatalog });
  assert.deepEqual(s.prompts, {
    type: 'synthetic',
    inputTokens: { mean: 3000, sd: 0 },
    cachedPrefix: { tokens: 2000, hitRate: 0.8, ttl: '1h' },
  });
  // Without the plan section, the file's own prompts give the same caching back.
  const { plan: _section, ...withoutPlan } = file;
  const back = planInputFromPlanFile(withoutPlan, defaultPlanInput('claude-sonnet-5-5'));
  assert.deepEqual(
    [back?.input.inputTokens, back?.input.cachedTokens, back?.input.cacheHitRate, back?.input.cacheTtl],
    [3000, 2000, 0.8, '1h'],
  );
  assert.throws(
    () =>
      parseScenario({
        model: 'claude-sonnet-5-5',
        requests: 1,
        prompts: { type: 'synthetic', inputTokens: 100, cachedPrefix: { tokens: 100, hitRate: 1 } },
      }),
    /cachedPrefix\.tokens \(100\) must be below prompts\.inputTokens \(100\)/,
  );
});

test('raw form values are answered with a result or the field to fix', () => {
  const ok = answerPlanInput(
    { model: 'claude-sonnet-5-5', rpm: '100', inputTokens: '500', outputTokens: '200' },
    builtinCatalog,
  );
  assert.ok(ok.ok);
  assert.equal(ok.ok && ok.result.cost.perMonthUsd, 12_960);
  assert.deepEqual(
    answerPlanInput(
      { model: 'claude-sonnet-5-5', rpm: '-1', inputTokens: '1', outputTokens: '1' },
      builtinCatalog,
    ),
    {
      ok: false,
      field: 'rpm',
      message: 'rpm must be a number >= 0 (got "-1")',
    },
  );
  const mix = answerPlanInput(
    {
      mix: [
        { model: 'claude-haiku-4-5', share: '0.5' },
        { model: 'nope', share: '0.5' },
      ],
      rpm: '1',
      inputTokens: '1',
      outputTokens: '1',
    },
    builtinCatalog,
  );
  assert.equal(!mix.ok && mix.field, 'mix[1].model');
  // Hostile input still names a field.
  const hostile = answerPlanInput(
    new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    ),
    builtinCatalog,
  );
  assert.equal(!hostile.ok && hostile.field, 'input');
});

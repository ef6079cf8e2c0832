// Planner arithmetic. Every expected number is worked out by hand in the comments (prices per million tokens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  builtinCatalog,
  formatPlanMarkdown,
  formatPlanTable,
  planCapacity,
  validatePlanInput,
} from '../../src/core/index';
import type { Catalog, PlanResult, TierEvaluation } from '../../src/core/index';

/** The worked example: Sonnet 5.5 ($2 in / $10 out), 100 RPM, 500 in / 200 out. */
const worked = { model: 'claude-sonnet-5-5', rpm: 100, inputTokens: 500, outputTokens: 200 };

function plan(raw: Record<string, unknown>, catalog: Catalog = builtinCatalog): PlanResult {
  return planCapacity(validatePlanInput(raw, catalog), { catalog });
}

function near(actual: number | null | undefined, expected: number, what = 'value'): void {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: got ${actual}, expected ${expected}`,
  );
}

/** [RPM, ITPM, OTPM] on average and at peak. */
const avg = (r: PlanResult): number[] => [r.requirements.rpm, r.requirements.itpm, r.requirements.otpm];
const peak = (r: PlanResult): number[] => [
  r.requirements.peakRpm,
  r.requirements.peakItpm,
  r.requirements.peakOtpm,
];
const names = (list: { name?: string; id?: string }[]): string => list.map((x) => x.name ?? x.id).join(',');

function tier(r: PlanResult, name: string): TierEvaluation {
  const t = r.tiers.find((x) => x.name === name);
  assert.ok(t, `tier ${name} evaluated`);
  return t;
}

test('worked example: Sonnet 5.5 at 100 RPM costs $12,960 a month and needs Scale because of the spend caps', () => {
  const r = plan(worked);
  // Per request: input 500 * $2/1e6 = $0.001; output 200 * $10/1e6 = $0.002; total $0.003.
  near(r.cost.breakdown.inputUsd, 0.001, 'input');
  near(r.cost.breakdown.outputUsd, 0.002, 'output');
  near(r.cost.breakdown.cacheWriteUsd, 0, 'cache write');
  near(r.cost.breakdown.cacheReadUsd, 0, 'cache read');
  near(r.cost.perRequestUsd, 0.003, 'per request');
  // Per day: 100 RPM * 1,440 min = 144,000 requests * $0.003 = $432; month: 30 * $432 = $12,960.
  near(r.cost.perDayUsd, 432, 'per day');
  near(r.cost.perMonthUsd, 12_960, 'per month');
  near(r.cost.breakdownPerMonth.inputUsd, 4_320, 'input per month'); // 0.001 * 4,320,000 requests
  assert.equal(r.monthDays, 30);
  assert.equal(r.cost.monthDays, 30);
  assert.equal(r.model, 'claude-sonnet-5-5');
  assert.equal(r.asOf, builtinCatalog.asOf);
  // Requirements: 100 RPM; ITPM 100 * 500 = 50,000; OTPM 100 * 200 = 20,000; peak factor 1.
  assert.deepEqual(avg(r), [100, 50_000, 20_000]);
  assert.deepEqual(peak(r), [100, 50_000, 20_000]);
  assert.equal(r.requirements.buckets.length, 1);
  assert.equal(r.requirements.buckets[0]!.bucket, 'sonnet-5-5');
  // Start: $12,960 / $500 = 25.92; Build: $12,960 / $1,000 = 12.96; both fail on spend.
  const start = tier(r, 'start');
  assert.equal(start.fits, false);
  assert.equal(start.binding, 'spend');
  near(start.utilization.spend, 25.92, 'start spend');
  near(start.utilization.rpm, 0.1, 'start rpm'); // 100 / 1,000
  near(start.utilization.itpm, 0.025, 'start itpm'); // 50,000 / 2,000,000
  near(start.utilization.otpm, 0.05, 'start otpm'); // 20,000 / 400,000
  const build = tier(r, 'build');
  assert.equal(build.fits, false);
  assert.equal(build.binding, 'spend');
  near(build.utilization.spend, 12.96, 'build spend');
  // Scale: spend $12,960 / $200,000 = 0.0648 beats RPM 100 / 10,000 = 0.01 and OTPM 20,000 / 2M = 0.01.
  const scale = tier(r, 'scale');
  assert.equal(scale.fits, true);
  assert.equal(scale.binding, 'spend');
  near(scale.utilization.spend, 0.0648, 'scale spend');
  assert.equal(r.recommendedTier, 'scale');
  assert.match(r.recommendedReason, /Start: monthly cost \$12,960\.00 > \$500\.00 cap/);
  // Every catalog tier is evaluated by default, legacy ones too.
  assert.equal(names(r.tiers), names(builtinCatalog.tiers));
});

test('peak factor multiplies RPM / ITPM / OTPM but not the cost (a day is the average rate)', () => {
  const r = plan({ ...worked, peakFactor: 2 });
  // Peak: 100 * 2 = 200 RPM; 50,000 * 2 = 100,000 ITPM; 20,000 * 2 = 40,000 OTPM.
  assert.deepEqual(peak(r), [200, 100_000, 40_000]);
  assert.equal(r.requirements.rpm, 100);
  near(r.cost.perMonthUsd, 12_960, 'month unchanged');
  // Start at peak: 200 / 1,000 = 0.2; 100,000 / 2M = 0.05; 40,000 / 400,000 = 0.1.
  const start = tier(r, 'start');
  near(start.utilization.rpm, 0.2, 'rpm');
  near(start.utilization.itpm, 0.05, 'itpm');
  near(start.utilization.otpm, 0.1, 'otpm');
  // Concurrency doubles with the peak: 200/60 req/s * 3.6646428... s (see the concurrency test) = 12.2154...
  near(r.concurrency, (200 / 60) * 3.6646428571428573, 'concurrency');
});

test('a rate limit at peak, not the spend cap, can decide the tier', () => {
  // Haiku 5.5 ($0.10 in / $0.50 out), 2 RPM, 50,000 in / 100 out, peak factor 25.
  const r = plan({
    model: 'claude-haiku-5-5',
    rpm: 2,
    inputTokens: 50_000,
    outputTokens: 100,
    peakFactor: 25,
  });
  // Per request: 50,000 * 0.1/1e6 = $0.005 + 100 * 0.5/1e6 = $0.00005 = $0.00505.
  // Month: 2 * 1,440 * 30 = 86,400 requests * $0.00505 = $436.32 (within Start's $500 cap).
  near(r.cost.perMonthUsd, 436.32, 'month');
  // Peak: 2 * 25 = 50 RPM; ITPM 50 * 50,000 = 2,500,000 > Start's 2,000,000; OTPM 50 * 100 = 5,000.
  assert.deepEqual(peak(r), [50, 2_500_000, 5_000]);
  const start = tier(r, 'start');
  assert.equal(start.fits, false);
  assert.equal(start.withinSpendCap, true);
  assert.equal(start.binding, 'itpm');
  near(start.utilization.itpm, 1.25, 'start itpm'); // 2.5M / 2M
  assert.match(start.reason, /ITPM at peak 2,500,000 > 2,000,000/);
  const build = tier(r, 'build');
  assert.equal(build.fits, true);
  assert.equal(build.binding, 'itpm'); // 2.5M / 5M = 0.5 > spend 436.32 / 1,000 = 0.43632
  near(build.utilization.itpm, 0.5, 'build itpm');
  near(build.utilization.spend, 0.43632, 'build spend');
  assert.equal(r.recommendedTier, 'build');
});

test('prompt caching: every price component, and ITPM counts uncached input + cache writes but not reads', () => {
  // Sonnet 5.5: input $2, 5m write $2.50, 1h write $4, cache read $0.10, output $10.
  // 10 RPM, 10,000 in of which an 8,000-token prefix, 90 % hits, 500 out.
  const raw = {
    model: 'claude-sonnet-5-5',
    rpm: 10,
    inputTokens: 10_000,
    outputTokens: 500,
    cachedTokens: 8_000,
    cacheHitRate: 0.9,
    cacheTtl: '5m',
  };
  const r = plan(raw);
  // Uncached rest 2,000 * 2/1e6 = $0.004
  near(r.cost.breakdown.inputUsd, 0.004, 'input');
  // Misses write the prefix: 8,000 * 0.1 = 800 tokens * 2.5/1e6 = $0.002
  near(r.cost.breakdown.cacheWriteUsd, 0.002, 'cache write 5m');
  // Hits read it: 8,000 * 0.9 = 7,200 tokens * 0.1/1e6 = $0.00072
  near(r.cost.breakdown.cacheReadUsd, 0.00072, 'cache read');
  // Output 500 * 10/1e6 = $0.005
  near(r.cost.breakdown.outputUsd, 0.005, 'output');
  // Total 0.004 + 0.002 + 0.00072 + 0.005 = $0.01172; month 10 * 1,440 * 30 = 432,000 req -> $5,063.04.
  near(r.cost.perRequestUsd, 0.01172, 'per request');
  near(r.cost.perDayUsd, 168.768, 'per day'); // 14,400 * 0.01172
  near(r.cost.perMonthUsd, 5_063.04, 'per month');
  // ITPM per request: 2,000 uncached + 800 written = 2,800 (the 7,200 read tokens do not count).
  near(r.requirements.itpm, 28_000, 'itpm'); // 10 * 2,800
  near(r.requirements.cacheReadTokensPerMinute, 72_000, 'cache reads per minute'); // 10 * 7,200
  near(r.requirements.otpm, 5_000, 'otpm');

  // 1-hour TTL: the 800 written tokens cost 800 * 4/1e6 = $0.0032 -> total 0.004 + 0.0032 + 0.00072 + 0.005.
  const hour = plan({ ...raw, cacheTtl: '1h' });
  near(hour.cost.breakdown.cacheWriteUsd, 0.0032, 'cache write 1h');
  near(hour.cost.perRequestUsd, 0.01292, 'per request 1h');

  // Saving vs no caching: 10,000 * 2/1e6 + 0.005 = $0.025 per request; (0.025 - 0.01172) * 432,000 = $5,736.96.
  const rec = r.recommendations.find((x) => x.id === 'prompt-caching');
  assert.ok(rec);
  near(rec.savingUsdPerMonth, 5_736.96, 'caching saving');
  assert.match(rec.message, /\$5,736\.96/);
  assert.match(rec.message, /from 100,000 to 28,000/); // no-cache ITPM 10 * 10,000

  // A 0 % hit rate: every request writes the 8,000 tokens at $2.50 where no caching would bill them at $2:
  // 8,000 * 0.5/1e6 = $0.004 more per request; * 432,000 requests a month = $1,728 more.
  const zero = plan({ ...raw, cacheHitRate: 0 });
  const worse = zero.recommendations.find((x) => x.id === 'prompt-caching');
  near(worse?.savingUsdPerMonth, -1_728, 'negative saving');
  assert.match(worse?.message ?? '', /costs \$1,728\.00 per month more/);
});

test('Message Batches: batched requests leave the Messages limits and get 50 % off input and output', () => {
  const r = plan({ ...worked, batchShare: 0.5 });
  // Messages API: 100 * (1 - 0.5) = 50 RPM; ITPM 50 * 500 = 25,000; OTPM 50 * 200 = 10,000.
  assert.deepEqual(avg(r), [50, 25_000, 10_000]);
  assert.equal(r.traffic.batchRpm, 50);
  // Input: $0.001 * (0.5 full + 0.5 * 0.5 discounted) = $0.00075; output: $0.002 * 0.75 = $0.0015.
  near(r.cost.breakdown.inputUsd, 0.00075, 'input');
  near(r.cost.breakdown.outputUsd, 0.0015, 'output');
  // Total $0.00225 * 4,320,000 requests a month = $9,720.
  near(r.cost.perMonthUsd, 9_720, 'month');
  // Concurrency counts only the Messages share: 50/60 req/s * 3.6646428... s.
  near(r.concurrency, (50 / 60) * 3.6646428571428573, 'concurrency');
  assert.equal(
    r.recommendations.some((x) => x.id === 'batches'),
    false,
    'no batches advice when already batching',
  );

  // All batched, with caching: the discount applies to input and output only; cache prices stay full.
  const all = plan({
    model: 'claude-sonnet-5-5',
    rpm: 10,
    inputTokens: 10_000,
    outputTokens: 500,
    cachedTokens: 8_000,
    cacheHitRate: 0.9,
    batchShare: 1,
  });
  near(all.cost.breakdown.inputUsd, 0.002, 'input'); // 2,000 * 2/1e6 * 0.5
  near(all.cost.breakdown.outputUsd, 0.0025, 'output'); // 500 * 10/1e6 * 0.5
  near(all.cost.breakdown.cacheWriteUsd, 0.002, 'cache write full price'); // 800 * 2.5/1e6
  near(all.cost.breakdown.cacheReadUsd, 0.00072, 'cache read full price'); // 7,200 * 0.1/1e6
  near(all.cost.perRequestUsd, 0.00722, 'total');
  assert.deepEqual(peak(all), [0, 0, 0]);
  assert.equal(all.concurrency, 0);
});

test('coalescing removes duplicates first, then the batch share applies to what remains', () => {
  const r = plan({ ...worked, duplicateShare: 0.2, batchShare: 0.5 });
  // 100 RPM -> 80 unique -> 40 batched + 40 to the Messages API.
  assert.equal(r.traffic.coalescedRpm, 20);
  near(r.traffic.batchRpm, 40, 'batch rpm');
  near(r.requirements.rpm, 40, 'messages rpm');
  near(r.requirements.itpm, 20_000, 'itpm'); // 40 * 500
  // Per arriving request: 0.8 sent * (0.5 * $0.003 + 0.5 * $0.0015) = 0.8 * $0.00225 = $0.0018.
  near(r.cost.perRequestUsd, 0.0018, 'per request');
  near(r.cost.perMonthUsd, 7_776, 'month'); // 0.0018 * 4,320,000
  // Without coalescing the month is $9,720 (batches test): saving $9,720 - $7,776 = $1,944.
  const rec = r.recommendations.find((x) => x.id === 'coalescing');
  near(rec?.savingUsdPerMonth, 1_944, 'coalescing saving');
});

test('a model mix splits requests by share; each model goes to its own bucket', () => {
  const r = plan({
    mix: [
      { model: 'claude-haiku-4-5', share: 0.7 },
      { model: 'claude-sonnet-5-5', share: 0.3 },
    ],
    rpm: 100,
    inputTokens: 500,
    outputTokens: 200,
  });
  assert.equal(r.model, 'claude-haiku-4-5:0.7,claude-sonnet-5-5:0.3');
  // Haiku 4.5 ($1 / $5): 500 * 1/1e6 + 200 * 5/1e6 = 0.0005 + 0.001 = $0.0015; Sonnet 5.5: $0.003.
  // Input 0.7 * 0.0005 + 0.3 * 0.001 = $0.00065; output 0.7 * 0.001 + 0.3 * 0.002 = $0.0013.
  near(r.cost.breakdown.inputUsd, 0.00065, 'input');
  near(r.cost.breakdown.outputUsd, 0.0013, 'output');
  near(r.cost.perRequestUsd, 0.00195, 'per request'); // 0.7 * 0.0015 + 0.3 * 0.003
  near(r.cost.perMonthUsd, 8_424, 'month'); // 0.00195 * 4,320,000
  near(r.cost.byModel[0]!.perMonthUsd, 4_536, 'haiku month'); // 0.7 * 0.0015 * 4,320,000
  const [haiku, sonnet] = r.requirements.buckets;
  assert.equal(haiku?.bucket, 'haiku-4-5');
  near(haiku?.rpm, 70, 'haiku rpm');
  near(haiku?.itpm, 35_000, 'haiku itpm'); // 70 * 500
  near(haiku?.otpm, 14_000, 'haiku otpm'); // 70 * 200
  assert.equal(sonnet?.bucket, 'sonnet-5-5');
  near(sonnet?.rpm, 30, 'sonnet rpm');
  near(sonnet?.itpm, 15_000, 'sonnet itpm');
  near(r.requirements.rpm, 100, 'total rpm');
  // Latency: Haiku 400 + 6 * 0.5 + 200/150 * 1000 = 1,736.33 ms; Sonnet 3,664.64 ms (see below).
  // Weighted 0.7 * 1.7363333 + 0.3 * 3.6646429 = 2.3148262 s; concurrency 100/60 * that = 3.858044.
  near(r.latency.seconds, 0.7 * 1.7363333333333333 + 0.3 * 3.6646428571428573, 'latency');
  near(r.concurrency, (100 / 60) * (0.7 * 1.7363333333333333 + 0.3 * 3.6646428571428573), 'concurrency');
  assert.equal(
    r.recommendations.some((x) => x.id === 'model-routing'),
    false,
    'already routed',
  );
  // $8,424 > Build's $1,000 cap -> Scale.
  assert.equal(r.recommendedTier, 'scale');
});

test('models that share a bucket are summed in it', () => {
  const r = plan({
    mix: [
      { model: 'claude-opus-4-8', share: 0.5 },
      { model: 'claude-opus-4-6', share: 0.5 },
    ],
    rpm: 1_200,
    inputTokens: 1_000,
    outputTokens: 100,
  });
  assert.equal(r.requirements.buckets.length, 1);
  const b = r.requirements.buckets[0]!;
  assert.equal(b.bucket, 'opus-4');
  assert.deepEqual(b.models, ['claude-opus-4-8', 'claude-opus-4-6']);
  // 600 + 600 RPM = 1,200 > Start's 1,000 RPM; ITPM 1,200 * 1,000 = 1.2M.
  near(b.peakRpm, 1_200, 'rpm');
  near(b.peakItpm, 1_200_000, 'itpm');
  const start = tier(r, 'start');
  assert.equal(start.buckets[0]!.fits, false);
  near(start.utilization.rpm, 1.2, 'start rpm');
});

test('the spend cap sends an otherwise fitting load to custom, with a warning', () => {
  // 2,000 RPM of the worked example: 2,000 * 1,440 * 30 * $0.003 = $259,200 > Scale's $200,000.
  // Limits still fit Scale: 2,000 / 10,000 RPM; 1M / 10M ITPM; 400,000 / 2M OTPM.
  const r = plan({ ...worked, rpm: 2_000 });
  near(r.cost.perMonthUsd, 259_200, 'month');
  const scale = tier(r, 'scale');
  assert.equal(scale.fits, false);
  assert.equal(scale.binding, 'spend');
  near(scale.utilization.spend, 1.296, 'scale spend');
  assert.equal(scale.buckets[0]!.fits, true, 'every bucket fits');
  assert.equal(r.recommendedTier, 'custom');
  assert.match(r.recommendedReason, /Scale: monthly cost \$259,200\.00 > \$200,000\.00 cap/);
  // $8,640 a day reaches $200,000 after 23.1 days: on day 24.
  const w = r.warnings.find((x) => x.id === 'spend-cap');
  assert.match(w?.message ?? '', /reached on day 24/);
});

test('--tier evaluates one tier and still recommends among the standard tiers', () => {
  const r = plan({ ...worked, tier: 'build' });
  assert.equal(names(r.tiers), 'build');
  assert.equal(r.tiers[0]!.fits, false);
  assert.equal(r.recommendedTier, 'scale');
  // $432 a day reaches Build's $1,000 cap after 2.3 days: on day 3.
  assert.match(r.warnings.find((x) => x.id === 'spend-cap')?.message ?? '', /Build.*reached on day 3/);
  // Legacy presets apply one figure to every bucket: Tier 1 has 50 RPM, 30K ITPM, 8K OTPM.
  const t1 = plan({ ...worked, tier: 'tier1' }).tiers[0]!;
  near(t1.utilization.otpm, 2.5, 'tier1 otpm'); // 20,000 / 8,000
  near(t1.utilization.spend, 129.6, 'tier1 spend'); // 12,960 / 100
  assert.equal(t1.binding, 'spend');
});

test('a custom tier uses the given limits for every bucket and may have no spend cap', () => {
  const r = plan({ ...worked, tier: 'custom', customLimits: { rpm: 150, itpm: 100_000, otpm: 25_000 } });
  const t = r.tiers[0]!;
  assert.equal(t.name, 'custom');
  assert.equal(t.fits, true);
  // 100 / 150 = 0.667; 50,000 / 100,000 = 0.5; 20,000 / 25,000 = 0.8 -> OTPM binds; no cap -> spend null.
  near(t.utilization.otpm, 0.8, 'otpm');
  assert.equal(t.utilization.spend, null);
  assert.equal(t.binding, 'otpm');
  const capped = plan({
    ...worked,
    tier: 'custom',
    customLimits: { rpm: 150, itpm: 100_000, otpm: 25_000 },
    customSpendCapUsd: 10_000,
  }).tiers[0]!;
  assert.equal(capped.fits, false); // $12,960 > $10,000
  assert.equal(capped.binding, 'spend');
});

test("concurrency: Little's law with the speed profile or a given latency", () => {
  const r = plan(worked);
  // Sonnet profile: 800 ms + 15 ms * 500/1000 + 200 tok / 70 tok/s * 1000 = 800 + 7.5 + 2,857.142857 = 3,664.642857 ms.
  near(r.latency.seconds, 3.6646428571428573, 'latency');
  assert.equal(r.latency.source, 'speed-profile-estimate');
  // 100/60 req/s * 3.6646428 s = 6.1077381 -> 7 for display.
  near(r.concurrency, 6.107738095238095, 'concurrency');
  assert.equal(r.concurrencyRoundedUp, 7);
  const given = plan({ ...worked, latencyS: 4, peakFactor: 1.5 });
  // 150/60 = 2.5 req/s * 4 s = 10 exactly -> 10.
  near(given.concurrency, 10, 'given');
  assert.equal(given.concurrencyRoundedUp, 10);
  assert.equal(given.latency.source, 'input');
});

test('recommendations are triggered by the numbers, with their savings', () => {
  const r = plan(worked);
  const byId = new Map(r.recommendations.map((x) => [x.id, x]));
  assert.match(byId.get('queue')?.message ?? '', /100 RPM sustained/);
  // Routing 70 % to Haiku 5.5 ($0.10 / $0.50): 500 * 0.1/1e6 + 200 * 0.5/1e6 = $0.00015 per request;
  // mix 0.7 * 0.00015 + 0.3 * 0.003 = $0.001005 * 4,320,000 = $4,341.60; saving $12,960 - $4,341.60 = $8,618.40.
  near(byId.get('model-routing')?.savingUsdPerMonth, 8_618.4, 'routing');
  assert.match(byId.get('model-routing')?.message ?? '', /claude-haiku-5-5.*\$4,341\.60.*\$8,618\.40/);
  // 30 % batched at half price on input and output: 0.3 * 0.5 * $12,960 = $1,944.
  near(byId.get('batches')?.savingUsdPerMonth, 1_944, 'batches');
  assert.match(byId.get('batches')?.message ?? '', /if 30 % of this is offline work/);
  // Coalescing hint: 10 % fewer requests = 0.1 * $12,960 = $1,296.
  near(byId.get('coalescing')?.savingUsdPerMonth, 1_296, 'coalescing hint');
  // 500 input tokens are below the 1,024 minimum: no caching hint.
  assert.equal(byId.has('prompt-caching'), false);

  // 2,000 input tokens: 1,000 cached at 90 % saves per request 1,000 * 2/1e6 = $0.002 minus
  // (100 written * 2.5/1e6 + 900 read * 0.1/1e6 = $0.00034) = $0.00166; * 4,320,000 = $7,171.20.
  const longer = plan({ ...worked, inputTokens: 2_000 });
  near(longer.recommendations.find((x) => x.id === 'prompt-caching')?.savingUsdPerMonth, 7_171.2, 'hint');

  // 50 RPM is not "above 50"; Haiku is not routed; $6.48 a month is not worth batching.
  const small = plan({ model: 'claude-haiku-5-5', rpm: 1, inputTokens: 500, outputTokens: 200 });
  near(small.cost.perMonthUsd, 6.48, 'small month'); // 0.00015 * 43,200
  assert.equal(names(small.recommendations), 'coalescing');
  assert.equal(
    plan({ ...worked, rpm: 50 }).recommendations.some((x) => x.id === 'queue'),
    false,
  );
});

test('warnings: deprecated and legacy models, the Haiku 5.5 long-prompt band, unconfirmed figures once', () => {
  const dep = plan({ ...worked, model: 'claude-sonnet-4-5' });
  const w = dep.warnings.find((x) => x.id === 'deprecated-model');
  assert.match(w?.message ?? '', /2026-11-30.*claude-sonnet-5-5/);
  const legacy = plan({ ...worked, model: 'claude-opus-5' });
  assert.match(legacy.warnings.find((x) => x.id === 'legacy-model')?.message ?? '', /claude-opus-5-5/);

  // 120,000 > 100,000 tokens: the whole request at $0.50 / $2.50.
  // 120,000 * 0.5/1e6 = $0.06 input + 1,000 * 2.5/1e6 = $0.0025 output = $0.0625.
  const long = plan({ model: 'claude-haiku-5-5', rpm: 1, inputTokens: 120_000, outputTokens: 1_000 });
  near(long.cost.breakdown.inputUsd, 0.06, 'band input');
  near(long.cost.perRequestUsd, 0.0625, 'band total');
  assert.equal(long.models[0]!.longPromptBand, true);
  assert.match(
    long.warnings.find((x) => x.id === 'long-prompt-band')?.message ?? '',
    /\$0\.50 \/ \$2\.50 .* instead of \$0\.10 \/ \$0\.50/,
  );
  // Exactly 100,000 stays in the base band: 100,000 * 0.1/1e6 + 1,000 * 0.5/1e6 = $0.0105.
  const edge = plan({ model: 'claude-haiku-5-5', rpm: 1, inputTokens: 100_000, outputTokens: 1_000 });
  near(edge.cost.perRequestUsd, 0.0105, 'base band');
  assert.equal(
    edge.warnings.some((x) => x.id === 'long-prompt-band'),
    false,
  );

  // The worked example lands on Scale, whose Sonnet 5.5 limits are assumed: one warning, not one per tier.
  const unconfirmed = plan(worked).warnings.filter((x) => x.id === 'unconfirmed');
  assert.equal(unconfirmed.length, 1);
  assert.match(unconfirmed[0]!.message, /Sonnet 5\.5 limits on Scale/);
  assert.match(
    plan({ ...worked, model: 'claude-fable-5-2' }).warnings.find((x) => x.id === 'unconfirmed')?.message ??
      '',
    /claude-fable-5-2 prices/,
  );
});

test('zero traffic gives zeros, not NaN, and fits the smallest tier', () => {
  const r = plan({ ...worked, rpm: 0 });
  assert.equal(r.cost.perMonthUsd, 0);
  assert.equal(r.concurrency, 0);
  assert.equal(r.concurrencyRoundedUp, 0);
  assert.equal(r.recommendedTier, 'start');
  const numbers: number[] = [];
  JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && numbers.push(v), v));
  assert.ok(numbers.length > 50 && numbers.every(Number.isFinite), 'every number finite');
});

test('the table and the Markdown show the rounded numbers (the CLI test checks the rest)', () => {
  const r = plan({ ...worked, peakFactor: 2 });
  assert.match(formatPlanTable(r), /start\s+no\s+20%\s+5%\s+10%\s+2,592%\s+\$500\.00\s+spend/);
  assert.match(formatPlanMarkdown(r), /\| total \| \$0\.003 \| \$432\.00 \| \$12,960\.00 \|/);
});

// validatePlanInput: defaults, form strings, and every rejection names its field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlanInputError, builtinCatalog, planCapacity, validatePlanInput } from '../../src/core/index';

const ok = { model: 'claude-sonnet-5-5', rpm: 100, inputTokens: 500, outputTokens: 200 };

function rejects(raw: unknown, field: string, message: RegExp): void {
  assert.throws(
    () => validatePlanInput(raw),
    (e: unknown) => {
      assert.ok(e instanceof PlanInputError, `PlanInputError, got ${String(e)}`);
      assert.equal(e.field, field);
      assert.match(e.message, message);
      return true;
    },
  );
}

test('defaults are applied and numeric strings from form fields are accepted', () => {
  assert.deepEqual(validatePlanInput({ ...ok, rpm: '100', inputTokens: ' 500 ', peakFactor: '' }), {
    model: 'claude-sonnet-5-5',
    rpm: 100,
    peakFactor: 1,
    inputTokens: 500,
    outputTokens: 200,
    cachedTokens: 0,
    cacheHitRate: 0,
    cacheTtl: '5m',
    batchShare: 0,
    duplicateShare: 0,
  });
  const full = validatePlanInput({
    ...ok,
    cachedTokens: 400,
    cacheHitRate: '0.9',
    cacheTtl: '1h',
    latencyS: '4',
    tier: 'Scale',
  });
  assert.equal(full.cacheTtl, '1h');
  assert.equal(full.latencyS, 4);
  assert.equal(full.tier, 'scale');
});

test('a mix replaces the model and its shares are normalised to sum to exactly 1', () => {
  const input = validatePlanInput({
    ...ok,
    mix: [
      { model: 'claude-haiku-4-5', share: '0.333' },
      { model: 'claude-sonnet-5-5', share: 0.333 },
      { model: 'claude-opus-5-5', share: 0.334 },
    ],
  });
  assert.equal(input.model, undefined);
  assert.equal(input.mix?.length, 3);
  assert.equal(
    input.mix?.reduce((s, m) => s + m.share, 0),
    1,
  );
  // An empty mix list from a form counts as no mix.
  assert.equal(validatePlanInput({ ...ok, mix: [] }).model, 'claude-sonnet-5-5');
});

test('numbers: negative, NaN, non-numeric, infinite and missing values are rejected by field', () => {
  rejects({ ...ok, rpm: -1 }, 'rpm', /^rpm must be a number >= 0 \(got -1\)/);
  rejects({ ...ok, rpm: 'abc' }, 'rpm', /rpm must be a number >= 0 \(got "abc"\)/);
  rejects({ ...ok, inputTokens: Number.NaN }, 'inputTokens', /inputTokens must be a number >= 0 \(got NaN\)/);
  rejects({ ...ok, outputTokens: Number.POSITIVE_INFINITY }, 'outputTokens', /outputTokens must be a number/);
  rejects({ ...ok, outputTokens: true }, 'outputTokens', /got true/);
  rejects({ model: ok.model, inputTokens: 1, outputTokens: 1 }, 'rpm', /rpm is required/);
  rejects({ ...ok, inputTokens: '' }, 'inputTokens', /inputTokens is required/);
  rejects({ ...ok, outputTokens: undefined }, 'outputTokens', /outputTokens is required/);
  rejects(
    { ...ok, peakFactor: 0.5 },
    'peakFactor',
    /peakFactor must be a number >= 1.*peak RPM \/ average RPM/,
  );
  rejects({ ...ok, latencyS: 0 }, 'latencyS', /latencyS must be a number > 0/);
  rejects({ ...ok, cachedTokens: -5 }, 'cachedTokens', /cachedTokens must be a number >= 0/);
});

test('shares above 1 or below 0 are rejected with the fraction hint', () => {
  rejects(
    { ...ok, batchShare: 1.5 },
    'batchShare',
    /batchShare must be a number between 0 and 1 .*0\.3 for 30 %/,
  );
  rejects(
    { ...ok, duplicateShare: -0.1 },
    'duplicateShare',
    /duplicateShare must be a number between 0 and 1/,
  );
  rejects(
    { ...ok, cachedTokens: 100, cacheHitRate: 90 },
    'cacheHitRate',
    /cacheHitRate must be a number between 0 and 1/,
  );
});

test('caching fields: prefix larger than the prompt, missing hit rate, bad TTL', () => {
  rejects(
    { ...ok, cachedTokens: 600 },
    'cachedTokens',
    /cachedTokens \(600\) must not exceed inputTokens \(500\)/,
  );
  rejects({ ...ok, cachedTokens: 400 }, 'cacheHitRate', /cacheHitRate is required when cachedTokens > 0/);
  rejects({ ...ok, cacheTtl: '10m' }, 'cacheTtl', /cacheTtl must be 5m or 1h \(got "10m"\)/);
});

test('models: unknown, retired, old-guide ids and a missing model are rejected with the current ids', () => {
  rejects({ ...ok, model: 'claude-sonet-5-5' }, 'model', /model: unknown model "claude-sonet-5-5"/);
  rejects({ ...ok, model: 'claude-opus-4-1' }, 'model', /retired.*claude-opus-5-5/);
  rejects({ ...ok, model: 'claude-haiku-4-20250514' }, 'model', /older guides.*claude-haiku-5-5/);
  rejects({ ...ok, model: 42 }, 'model', /model must be a model id/);
  rejects({ rpm: 1, inputTokens: 1, outputTokens: 1 }, 'model', /model is required/);
});

test('mix: bad entries, bad shares, duplicates and sums other than 1 are rejected by index', () => {
  const mix = (...m: unknown[]) => ({ ...ok, mix: m });
  rejects(
    mix({ model: 'claude-haiku-4-5', share: 0.3 }, { model: 'claude-sonnet-5-5', share: 70 }),
    'mix[1].share',
    /mix\[1\]\.share must be a number between 0 and 1 \(got 70\)/,
  );
  rejects(
    mix({ model: 'claude-haiku-4-5', share: 0.7 }, { model: 'claude-sonnet-5-5', share: 0.2 }),
    'mix',
    /mix shares must sum to 1 \(they sum to 0\.9\)/,
  );
  rejects(mix({ model: 'gpt-4', share: 1 }), 'mix[0].model', /mix\[0\]\.model: unknown model "gpt-4"/);
  rejects(
    mix({ model: 'claude-haiku-4-5', share: 0.5 }, { model: 'claude-haiku-4-5', share: 0.5 }),
    'mix[1].model',
    /appears twice/,
  );
  rejects(mix({ model: 'claude-haiku-4-5' }), 'mix[0].share', /mix\[0\]\.share is required/);
  rejects(mix('claude-haiku-4-5'), 'mix[0]', /mix\[0\] must be \{ model, share \}/);
  rejects({ ...ok, mix: 'claude-haiku-4-5:1' }, 'mix', /mix must be a list/);
});

test('tiers: unknown names and a custom tier without its limits', () => {
  rejects({ ...ok, tier: 'gold' }, 'tier', /tier: unknown tier "gold"/);
  rejects({ ...ok, tier: 'custom' }, 'customLimits', /customLimits is required for the custom tier/);
  rejects(
    { ...ok, tier: 'custom', customLimits: { rpm: 10, itpm: 0, otpm: 5 } },
    'customLimits.itpm',
    /customLimits\.itpm must be a number > 0/,
  );
  rejects(
    { ...ok, tier: 'custom', customLimits: { rpm: 10, itpm: 10, otpm: 5 }, customSpendCapUsd: -1 },
    'customSpendCapUsd',
    /customSpendCapUsd must be a number > 0/,
  );
});

test('whatever the form sends, only PlanInputError is thrown; planCapacity validates too', () => {
  const hostile = [
    null,
    undefined,
    42,
    'rpm=100',
    [],
    {},
    { ...ok, mix: [null] },
    { ...ok, mix: {} },
    { ...ok, customLimits: 'x', tier: 'custom' },
    { ...ok, tier: 5 },
    {
      get model(): string {
        throw new Error('boom');
      },
    },
    Object.create(null),
  ];
  hostile.forEach((raw, i) => {
    assert.throws(
      () => validatePlanInput(raw, builtinCatalog),
      (e: unknown) => e instanceof PlanInputError && typeof e.field === 'string',
      `hostile input #${i}`,
    );
  });
  // A getter that throws something that cannot even be printed.
  const nasty = Object.defineProperty({ ...ok }, 'rpm', {
    get(): number {
      throw Object.create(null);
    },
  });
  assert.throws(() => validatePlanInput(nasty), PlanInputError);
  assert.throws(
    () => planCapacity({ ...validatePlanInput(ok), batchShare: 2 }),
    (e: unknown) => e instanceof PlanInputError && e.field === 'batchShare',
  );
});

test('validation is cheap enough for every keystroke', () => {
  const start = performance.now();
  for (let i = 0; i < 2_000; i++) validatePlanInput({ ...ok, rpm: String(i) });
  assert.ok(performance.now() - start < 1_000, 'well under 0.5 ms per call');
});

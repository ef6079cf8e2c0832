import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyCatalogOverride,
  CatalogError,
  OUTPUT_300K_BETA,
  builtinCatalog,
  contextWindowProblem,
  findTier,
  limitsFor,
  maxTokensProblem,
  parseCatalogOverride,
  parseScenario,
  pricesFor,
  resolveModel,
  validatePlanInput,
} from '../../src/core/index';

test('every model has a complete, non-negative price table and a known bucket', () => {
  const buckets = new Set(builtinCatalog.buckets.map((b) => b.id));
  for (const m of builtinCatalog.models) {
    for (const v of Object.values(m.prices)) assert.ok(Number.isFinite(v) && v >= 0, `${m.id} price`);
    if (m.status !== 'retired') assert.ok(buckets.has(m.bucket), `${m.id} bucket ${m.bucket}`);
    assert.equal(m.speed.estimate, true);
  }
});

test('prices follow the reference table', () => {
  const sonnet = resolveModel(builtinCatalog, 'claude-sonnet-5-5');
  assert.deepEqual(sonnet.prices, {
    input: 2,
    output: 10,
    cacheWrite5m: 2.5,
    cacheWrite1h: 4,
    cacheRead: 0.1,
  });
  const fable = resolveModel(builtinCatalog, 'claude-fable-5-1');
  assert.deepEqual(fable.prices, {
    input: 10,
    output: 50,
    cacheWrite5m: 12.5,
    cacheWrite1h: 20,
    cacheRead: 0.25,
  });
  const opus55 = resolveModel(builtinCatalog, 'claude-opus-5-5');
  assert.equal(opus55.prices.cacheRead, 0.2);
  const haiku45 = resolveModel(builtinCatalog, 'claude-haiku-4-5');
  assert.deepEqual(haiku45.prices, {
    input: 1,
    output: 5,
    cacheWrite5m: 1.25,
    cacheWrite1h: 2,
    cacheRead: 0.1,
  });
  assert.equal(builtinCatalog.batchDiscount, 0.5);
});

test('Haiku 5.5 long-prompt band applies above 100K input tokens', () => {
  const haiku = resolveModel(builtinCatalog, 'claude-haiku-5-5');
  assert.equal(pricesFor(haiku, 100_000).input, 0.1);
  assert.deepEqual(pricesFor(haiku, 100_001), {
    input: 0.5,
    output: 2.5,
    cacheWrite5m: 0.625,
    cacheWrite1h: 1,
    cacheRead: 0.05,
  });
});

test('models that share a bucket share it; tiers give their limits', () => {
  const ids = ['claude-opus-4-8', 'claude-opus-4-7', 'claude-opus-4-6', 'claude-opus-4-5'];
  assert.deepEqual(new Set(ids.map((id) => resolveModel(builtinCatalog, id).bucket)), new Set(['opus-4']));
  assert.equal(
    resolveModel(builtinCatalog, 'claude-fable-5').bucket,
    resolveModel(builtinCatalog, 'claude-fable-5-1').bucket,
  );
  const start = findTier(builtinCatalog, 'start');
  assert.deepEqual(limitsFor(start, 'fable-5'), { rpm: 1000, itpm: 500_000, otpm: 100_000 });
  const scale = findTier(builtinCatalog, 'scale');
  assert.equal(limitsFor(scale, 'sonnet-5-5')?.unconfirmed, 'assumed as Sonnet 5');
  assert.equal(scale.monthlySpendCapUsd, 200_000);
  assert.deepEqual(limitsFor(findTier(builtinCatalog, 'tier1'), 'haiku-4-5'), {
    rpm: 50,
    itpm: 30_000,
    otpm: 8_000,
  });
});

test('old-guide and retired ids name current replacements', () => {
  assert.throws(
    () => resolveModel(builtinCatalog, 'claude-sonnet-4-20250514'),
    (e: unknown) => e instanceof CatalogError && /claude-sonnet-5-5/.test(e.message) && e.field === 'model',
  );
  assert.throws(() => resolveModel(builtinCatalog, 'claude-haiku-4-20250514'), /claude-haiku-5-5/);
  assert.throws(() => resolveModel(builtinCatalog, 'claude-opus-4-1'), /retired.*claude-opus-5-5/);
  assert.throws(() => resolveModel(builtinCatalog, 'claude-sonet-5-5'), /unknown model/);
  assert.throws(() => findTier(builtinCatalog, 'gold'), /tier: unknown tier "gold"/);
});

test('a catalog override merges prices and rejects a bad field by name', () => {
  const c = parseCatalogOverride(
    builtinCatalog,
    JSON.stringify({ asOf: '2027-01-01', models: [{ id: 'claude-sonnet-5-5', prices: { input: 1.5 } }] }),
  );
  assert.equal(c.asOf, '2027-01-01');
  assert.equal(resolveModel(c, 'claude-sonnet-5-5').prices.input, 1.5);
  assert.equal(resolveModel(c, 'claude-sonnet-5-5').prices.output, 10);
  assert.equal(resolveModel(builtinCatalog, 'claude-sonnet-5-5').prices.input, 2, 'built-in untouched');
  assert.throws(
    () =>
      parseCatalogOverride(
        builtinCatalog,
        JSON.stringify({ models: [{ id: 'x', prices: { input: -1 } }] }),
        'my.json',
      ),
    (e: unknown) => e instanceof CatalogError && e.field === 'my.json.models[0].prices.input',
  );
  assert.throws(() => parseCatalogOverride(builtinCatalog, '{', 'my.json'), /my.json: not valid JSON/);
  assert.throws(
    () => parseCatalogOverride(builtinCatalog, JSON.stringify({ modles: [] }), 'my.json'),
    /my.json.modles is not a known field/,
  );
  const added = parseCatalogOverride(
    builtinCatalog,
    JSON.stringify({
      models: [{ id: 'my-model', family: 'haiku', bucket: 'mine', prices: { input: 1, output: 2 } }],
    }),
  );
  assert.equal(resolveModel(added, 'my-model').prices.cacheRead, 0.1);
});

test('model limits: every served model has a context window, max output, thinking modes and a release date', () => {
  for (const m of builtinCatalog.models) {
    assert.match(m.releaseDate ?? '', /^\d{4}-\d{2}-\d{2}$/, `${m.id} releaseDate`);
    if (m.status === 'retired') continue;
    assert.ok(m.contextWindow === 1_000_000 || m.contextWindow === 200_000, `${m.id} contextWindow`);
    assert.ok(m.maxOutputTokens === 128_000 || m.maxOutputTokens === 64_000, `${m.id} maxOutputTokens`);
    assert.ok(m.thinking && (m.thinking.adaptive || m.thinking.enabled), `${m.id} thinking`);
  }
  const haiku = resolveModel(builtinCatalog, 'claude-haiku-4-5');
  assert.equal(maxTokensProblem(haiku, 64_000), null);
  assert.equal(
    maxTokensProblem(haiku, 64_001, 'maxTokens'),
    'maxTokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5',
  );
  assert.equal(contextWindowProblem(haiku, 200_000), null);
  assert.match(
    contextWindowProblem(haiku, 200_001) ?? '',
    /^prompt is too long: 200001 tokens > 200000 maximum/,
  );
});

test('planner input and plan files reject sizes above the model limits, naming the field and the limit', () => {
  const base = { model: 'claude-haiku-4-5', rpm: 10, inputTokens: 1000, outputTokens: 500 };
  validatePlanInput(base);
  assert.throws(
    () => validatePlanInput({ ...base, outputTokens: 1e9 }),
    (e: Error & { field?: string }) => e.field === 'outputTokens' && /> 64000/.test(e.message),
  );
  assert.throws(
    () => validatePlanInput({ ...base, inputTokens: 300_000 }),
    (e: Error & { field?: string }) => e.field === 'inputTokens' && /200000/.test(e.message),
  );
  const plan = { model: 'claude-sonnet-5-5', requests: 1, prompts: { type: 'synthetic', inputTokens: 100 } };
  parseScenario({ ...plan, maxTokens: 128_000 });
  assert.throws(
    () => parseScenario({ ...plan, maxTokens: 200_000 }),
    (e: Error & { field?: string }) =>
      e.field === 'maxTokens' && /maxTokens: 200000 > 128000, .*claude-sonnet-5-5/.test(e.message),
  );
});

test('300K-output batch beta: Sonnet 5 and 5.5 only (reference), and only with the beta', () => {
  const with300k = builtinCatalog.models.filter((m) => m.batchMaxOutputTokens !== undefined).map((m) => m.id);
  assert.deepEqual(with300k.sort(), ['claude-sonnet-5', 'claude-sonnet-5-5']);
  const sonnet = resolveModel(builtinCatalog, 'claude-sonnet-5-5');
  assert.equal(OUTPUT_300K_BETA, 'output-300k-2026-03-24');
  assert.match(maxTokensProblem(sonnet, 300_000) ?? '', /300000 > 128000/);
  assert.equal(maxTokensProblem(sonnet, 300_000, 'max_tokens', true), null);
  assert.match(maxTokensProblem(sonnet, 300_001, 'max_tokens', true) ?? '', /300001 > 300000/);
  // A model without the beta keeps its Messages limit even when the header is sent.
  const haiku = resolveModel(builtinCatalog, 'claude-haiku-4-5');
  assert.match(maxTokensProblem(haiku, 64_001, 'max_tokens', true) ?? '', /64001 > 64000/);
});

test('prompt-cache minimums: not in the reference, so every figure is marked unconfirmed', () => {
  const withMin = builtinCatalog.models.filter((m) => m.promptCacheMinTokens !== undefined);
  assert.ok(withMin.length >= 5);
  for (const m of withMin) {
    assert.match(m.promptCacheMinUnconfirmed ?? '', /not in the reference; from third-party docs/, m.id);
    assert.ok([512, 1024, 2048, 4096].includes(m.promptCacheMinTokens!), m.id);
  }
  assert.equal(resolveModel(builtinCatalog, 'claude-haiku-4-5').promptCacheMinTokens, 4096);
  // Models no source names have no figure rather than an invented one.
  assert.equal(resolveModel(builtinCatalog, 'claude-opus-5-5').promptCacheMinTokens, undefined);
  // An override with a figure of the user's own drops the built-in note.
  const confirmed = applyCatalogOverride(builtinCatalog, {
    models: [{ id: 'claude-haiku-4-5', promptCacheMinTokens: 2048 }],
  });
  const haiku = resolveModel(confirmed, 'claude-haiku-4-5');
  assert.equal(haiku.promptCacheMinTokens, 2048);
  assert.equal(haiku.promptCacheMinUnconfirmed, undefined);
});

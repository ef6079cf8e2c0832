// A cached prefix shorter than the model's minimum cacheable length would not be cached: the planner
// says so (its costs assume caching), and says nothing when the prefix is long enough.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog, planCapacity, validatePlanInput } from '../../src/core/index';

const plan = (model: string, cachedTokens: number) =>
  planCapacity(
    validatePlanInput(
      { model, rpm: 60, inputTokens: 6000, outputTokens: 100, cachedTokens, cacheHitRate: 0.9 },
      builtinCatalog,
    ),
    { catalog: builtinCatalog },
  );

test('a 2,000-token prefix on a 4,096-minimum model is flagged; 5,000 tokens or a 1,024-minimum model is not', () => {
  const min = builtinCatalog.models.find((m) => m.id === 'claude-haiku-4-5')!.promptCacheMinTokens;
  assert.equal(min, 4096);
  const short = plan('claude-haiku-4-5', 2000).warnings.filter((w) => w.id === 'cache-below-minimum');
  assert.equal(short.length, 1);
  assert.match(short[0]!.message, /2,000-token cached prefix is below .* \(4,096 tokens, not confirmed/);
  assert.deepEqual(
    plan('claude-haiku-4-5', 5000).warnings.filter((w) => w.id === 'cache-below-minimum'),
    [],
  );
  assert.deepEqual(
    plan('claude-sonnet-4-5', 2000).warnings.filter((w) => w.id === 'cache-below-minimum'),
    [],
  );
});

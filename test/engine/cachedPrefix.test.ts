// Prompt caching from a capacity plan, rehearsed on the simulator: the share of requests that read the
// cached prefix is the plan's hit rate, and the measured cost per request is the planner's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  builtinCatalog,
  parseScenario,
  planCapacity,
  reportHooks,
  startLoadTest,
  validatePlanInput,
} from '../../src/core/index';
import { planToPlanFile } from '../../src/core/planFile/fromCapacityPlan';

test('a plan with a cached prefix at 80 % hits is rehearsed at 80 % hits and the planned cost per request', async () => {
  const input = validatePlanInput(
    {
      // A 2,000-token prefix is above Sonnet 4.5's minimum cacheable length (1,024; Haiku 4.5's is 4,096).
      model: 'claude-sonnet-4-5',
      rpm: 60,
      inputTokens: 3000,
      outputTokens: 40,
      cachedTokens: 2000,
      cacheHitRate: 0.8,
      cacheTtl: '5m',
    },
    builtinCatalog,
  );
  const plan = planCapacity(input, { catalog: builtinCatalog });
  const file = planToPlanFile(plan, { defaultTier: 'build' });
  const scenario = parseScenario(
    {
      ...file,
      // Fast and sequential (each write is stored before the next request), exact reply length.
      target: { simulator: { tier: 'scale', latency: 'zero' } },
      load: { type: 'concurrency', concurrency: 1 },
      requests: 200,
      duration: undefined,
      stream: false,
      outputTokens: 40,
      maxTokens: 40,
    },
    { catalog: builtinCatalog },
  );
  const result = await startLoadTest(scenario, reportHooks).done;
  const s = result.summary;
  assert.equal(s.requests.ok, 200);
  const cachedShare = s.tokens.cacheRead / (s.tokens.cacheRead + s.tokens.cacheWrite);
  assert.ok(Math.abs(cachedShare - 0.8) < 0.08, `cache read share ${cachedShare}`);
  const perRequest = s.costUsd / s.requests.ok;
  const planned = plan.cost.perRequestUsd;
  assert.ok(
    Math.abs(perRequest - planned) / planned < 0.1,
    `measured $${perRequest.toFixed(6)} per request vs planned $${planned.toFixed(6)}`,
  );
});

// Per-model metrics of a mix run, from a real run on the simulator: every request counted once, costs
// add up to the run's, latency per model from its own requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, reportHooks, startLoadTest } from '../../src/core/index';
import { ModelBreakdown } from '../../src/core/sweep/index';

test('a mix run: requests, outcomes, latency and cost per model', async () => {
  const scenario = parseScenario({
    name: 'mix',
    target: { simulator: { tier: 'scale', latency: 'fast' } },
    mix: [
      { model: 'claude-haiku-4-5', share: 0.7 },
      { model: 'claude-sonnet-5-5', share: 0.3 },
    ],
    prompts: { type: 'synthetic', inputTokens: 100 },
    maxTokens: 30,
    load: { type: 'concurrency', concurrency: 4 },
    requests: 60,
  });
  const b = new ModelBreakdown();
  const run = startLoadTest(scenario, reportHooks);
  run.on('sample', (e) => b.record(e.sample));
  const r = await run.done;
  const stats = b.stats();
  assert.deepEqual(stats.map((s) => s.model).sort(), ['claude-haiku-4-5', 'claude-sonnet-5-5']);
  assert.equal(
    stats.reduce((a, s) => a + s.requests, 0),
    r.summary.requests.total,
  );
  assert.ok(Math.abs(stats.reduce((a, s) => a + s.costUsd, 0) - r.summary.costUsd) < 1e-12);
  assert.equal(
    stats.reduce((a, s) => a + s.latencyMs.count, 0),
    r.summary.latencyMs.count,
  );
  // Sonnet costs more per request than Haiku at the same tokens.
  const per = (m: string) => {
    const s = stats.find((x) => x.model === m)!;
    return s.costUsd / s.requests;
  };
  assert.ok(per('claude-sonnet-5-5') > per('claude-haiku-4-5'));
});

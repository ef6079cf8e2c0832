// Per-model metrics of a mix run, from a real run on the simulator: every request counted once, costs
// add up to the run's, latency per model from its own requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, reportHooks, startLoadTest } from '../../src/core/index';
import { ModelBreakdown, type ModelStats } from '../../src/core/sweep/index';
import { jsonSummary, summaryText } from '../../src/cli/runOutput';

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

test('run.json of a mix run carries summary.byModel; the CLI summary and --json show it', async () => {
  const scenario = parseScenario({
    name: 'mix-json',
    target: { simulator: { tier: 'scale', latency: 'fast' } },
    mix: [
      { model: 'claude-haiku-4-5', share: 0.5 },
      { model: 'claude-sonnet-5-5', share: 0.5 },
    ],
    prompts: { type: 'synthetic', inputTokens: 100 },
    maxTokens: 30,
    load: { type: 'concurrency', concurrency: 4 },
    requests: 40,
  });
  const r = await startLoadTest(scenario, reportHooks).done;
  const by = r.summary.byModel;
  assert.ok(by, 'summary.byModel on a mix run');
  assert.deepEqual(by.map((m) => m.model).sort(), ['claude-haiku-4-5', 'claude-sonnet-5-5']);
  const sum = (f: (m: ModelStats) => number) => by.reduce((a, m) => a + f(m), 0);
  assert.equal(
    sum((m) => m.requests),
    r.summary.requests.total,
  );
  assert.equal(
    sum((m) => m.outcomes.ok),
    r.summary.requests.ok,
  );
  assert.equal(
    sum((m) => m.inputTokens),
    r.summary.tokens.input,
  );
  assert.equal(
    sum((m) => m.outputTokens),
    r.summary.tokens.output,
  );
  assert.ok(Math.abs(sum((m) => m.costUsd) - r.summary.costUsd) < 1e-12);
  assert.equal(
    sum((m) => m.latencyMs.count),
    r.summary.latencyMs.count,
  );
  // Survives the run.json round trip.
  const saved = JSON.parse(JSON.stringify(r)) as typeof r;
  assert.deepEqual(saved.summary.byModel, by);
  const text = summaryText(r);
  const haiku = by.find((m) => m.model === 'claude-haiku-4-5')!;
  assert.match(text, /per model:/);
  assert.match(text, new RegExp(`claude-haiku-4-5\\s+${haiku.requests}\\s+${haiku.outcomes.ok}\\s`));
  assert.deepEqual((jsonSummary(r) as { byModel: unknown }).byModel, by);
});

test('a single-model run has no byModel (the totals already are that model)', async () => {
  const scenario = parseScenario({
    name: 'one',
    target: { simulator: { tier: 'scale', latency: 'zero' } },
    model: 'claude-haiku-4-5',
    maxTokens: 10,
    load: { type: 'concurrency', concurrency: 2 },
    requests: 6,
  });
  const r = await startLoadTest(scenario, reportHooks).done;
  assert.equal(r.summary.byModel, undefined);
  assert.doesNotMatch(summaryText(r), /per model:/);
});

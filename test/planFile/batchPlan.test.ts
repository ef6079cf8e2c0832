// Plan files with "via": "batches": the schema, the "batch" section, and every refusal names its field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  builtinCatalog,
  parseScenario,
  planCapacity,
  planToBatchPlanFile,
  ScenarioError,
  validatePlanInput,
} from '../../src/core/index';

const base = { model: 'claude-sonnet-5-5', prompt: 'Summarise.', maxTokens: 256, requests: 500 };

function problem(raw: Record<string, unknown>): { field: string; message: string } {
  try {
    parseScenario(raw);
  } catch (e) {
    assert.ok(e instanceof ScenarioError, String(e));
    return { field: e.field, message: e.message };
  }
  assert.fail('the plan was accepted');
}

test('"via": "batches" with a batch section parses into the scenario', () => {
  const s = parseScenario({
    ...base,
    via: 'batches',
    batch: { poll: '2s', latency: '5m', compareLive: true },
  });
  assert.equal(s.via, 'batches');
  assert.deepEqual(s.batch, { pollMs: 2000, latencyMs: 300_000, compareLive: true });
  assert.equal(s.requests, 500);
  // The default stays a load test.
  assert.equal(parseScenario(base).via, undefined);
  assert.equal(parseScenario({ ...base, via: 'messages' }).via, undefined);
});

test('bad "via" and batch fields: the schema names the field and the choices', () => {
  const via = problem({ ...base, via: 'batch' });
  assert.equal(via.field, 'via');
  assert.match(via.message, /^via must be one of messages, batches$/);
  const typo = problem({ ...base, via: 'batches', batch: { compareLve: true } });
  assert.equal(typo.field, 'batch.compareLve');
  assert.match(typo.message, /did you mean "compareLive"/);
  assert.match(
    problem({ ...base, via: 'batches', batch: { poll: 'soon' } }).message,
    /batch.poll must be a duration/,
  );
});

test('a batch run needs "requests" and takes no "duration"', () => {
  const { requests: _r, ...noRequests } = base;
  const missing = problem({ ...noRequests, via: 'batches' });
  assert.equal(missing.field, 'requests');
  assert.match(missing.message, /"via": "batches" needs "requests"/);
  const duration = problem({ ...base, via: 'batches', duration: '1m' });
  assert.equal(duration.field, 'duration');
  assert.match(duration.message, /duration does not apply to "via": "batches"/);
});

test('"batch" without "via": "batches", and batch.latency against the API, are refused', () => {
  const orphan = problem({ ...base, batch: { compareLive: true } });
  assert.equal(orphan.field, 'batch');
  assert.match(orphan.message, /add "via": "batches" or remove "batch"/);
  const api = problem({ ...base, target: 'anthropic', via: 'batches', batch: { latency: '1m' } });
  assert.equal(api.field, 'batch.latency');
  assert.match(api.message, /applies only to the simulator/);
});

test('the 300K-output beta: Sonnet 5 / 5.5 only, and maxTokens above 128K needs it', () => {
  const big = { ...base, via: 'batches', maxTokens: 300_000 };
  const without = problem(big);
  assert.equal(without.field, 'maxTokens');
  assert.match(without.message, /maxTokens: 300000 > 128000/);
  const s = parseScenario({ ...big, batch: { output300k: true } });
  assert.deepEqual(s.batch, { output300k: true });
  assert.equal(s.maxTokens, 300_000);
  assert.match(
    problem({ ...big, maxTokens: 300_001, batch: { output300k: true } }).message,
    /300001 > 300000/,
  );
  const haiku = problem({ ...base, model: 'claude-haiku-4-5', via: 'batches', batch: { output300k: true } });
  assert.equal(haiku.field, 'batch.output300k');
  assert.match(haiku.message, /claude-haiku-4-5 has no 300K-output batch beta \(output-300k-2026-03-24\)/);
  // The live comparison goes through the Messages API, which stops at 128K.
  const live = problem({ ...big, batch: { output300k: true, compareLive: true } });
  assert.equal(live.field, 'batch.compareLive');
  assert.match(live.message, /Messages API, which refuses them: maxTokens: 300000 > 128000/);
});

test("the planner's batch share becomes a runnable batch plan: one hour of it on the simulator", () => {
  const plan = (batchShare: number) =>
    planCapacity(
      validatePlanInput(
        { model: 'claude-haiku-4-5', rpm: 100, inputTokens: 500, outputTokens: 200, batchShare },
        builtinCatalog,
      ),
      { catalog: builtinCatalog },
    );
  const result = plan(0.3);
  assert.equal(result.traffic.batchRpm, 30);
  const file = planToBatchPlanFile(result, { defaultTier: 'build' });
  const s = parseScenario(file);
  assert.equal(s.via, 'batches');
  assert.equal(s.requests, 1800); // 30 RPM for an hour
  assert.deepEqual(s.models, [{ model: 'claude-haiku-4-5', share: 1 }]);
  assert.equal(s.maxTokens, 300);
  assert.deepEqual(s.prompts, { type: 'synthetic', inputTokens: { mean: 500, sd: 0 } });
  assert.ok(s.target.kind === 'simulator' && s.target.timeScale === 3600);
  assert.deepEqual(s.batch, { pollMs: 200 });
  assert.throws(() => planToBatchPlanFile(plan(0), { defaultTier: 'build' }), /Set "Batch share" above 0/);
});

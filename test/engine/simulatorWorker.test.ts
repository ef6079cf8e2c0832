// The simulator in a worker thread (the engine's default): same answers as in-process, closes cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMainThread } from 'node:worker_threads';
import { parseScenario, reportHooks, startLoadTest } from '../../src/core/index';
import { startSimulatorInWorker } from '../../src/core/simulator/workerHost';
import { SimulatorConfigError } from '../../src/core/simulator/index';

test('a simulator target runs in a worker thread by default and answers like in-process', async () => {
  const scenario = parseScenario({
    target: { simulator: { tier: 'scale', latency: 'zero' } },
    model: 'claude-haiku-4-5',
    load: { type: 'concurrency', concurrency: 4 },
    requests: 20,
    stream: true,
  });
  const viaWorker = await startLoadTest(scenario, reportHooks).done;
  scenario.target = { ...scenario.target, simulatorIn: 'in-process' } as typeof scenario.target;
  const inProcess = await startLoadTest(scenario, reportHooks).done;
  assert.equal(viaWorker.summary.requests.ok, 20);
  assert.equal(inProcess.summary.requests.ok, 20);
  // Same seed, same replies: the worker is the same simulator.
  assert.equal(viaWorker.summary.tokens.output, inProcess.summary.tokens.output);
  assert.ok(isMainThread);
});

test('a bad simulator option from the worker keeps its field name; close() twice is safe', async () => {
  await assert.rejects(startSimulatorInWorker({ tier: 'no-such-tier' }), (e: unknown) => {
    assert.ok(e instanceof SimulatorConfigError, String(e));
    assert.equal(e.field, 'tier');
    return true;
  });
  const sim = await startSimulatorInWorker({ latency: 'zero' });
  const res = await fetch(`${sim.url}/v1/models`, {
    headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
  });
  assert.equal(res.status, 200);
  await Promise.all([sim.close(), sim.close()]);
});

test('stopping a run cuts its own connections: in-flight streams end as aborted, promptly', async () => {
  // Requests no longer carry the run's AbortSignal (one listener per request was the engine's main
  // overhead over a bare SDK loop); the run's connection pool is destroyed instead.
  const scenario = parseScenario({
    target: { simulator: { tier: 'scale', latency: 'realistic' } },
    model: 'claude-haiku-4-5',
    outputTokens: 2000,
    load: { type: 'concurrency', concurrency: 6 },
    requests: 6,
    stream: true,
  });
  const run = startLoadTest(scenario, reportHooks);
  run.on('start', () => setTimeout(() => run.abort(), 400));
  const t0 = Date.now();
  const r = await run.done;
  assert.ok(Date.now() - t0 < 10_000, `stopped in ${Date.now() - t0} ms`);
  assert.equal(r.summary.requests.aborted, 6, JSON.stringify(r.summary.requests));
  assert.equal(r.summary.requests.networkErrors + r.summary.requests.streamErrors, 0);
});

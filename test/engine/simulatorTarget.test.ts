// The engine against the built-in simulator (real SDK, real HTTP on 127.0.0.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  builtinCatalog,
  parseScenario,
  reportHooks,
  resolveModel,
  startLoadTest,
} from '../../src/core/index';

test("a burst above the tier RPM is seen as 429s on the bucket's request limit", async () => {
  // tier1: 50 RPM; the simulator's bucket holds a minute of requests, so ~50 pass, then 429s.
  const scenario = parseScenario({
    target: { simulator: { tier: 'tier1', latency: 'zero' } },
    model: 'claude-sonnet-5-5',
    load: { type: 'concurrency', concurrency: 8 },
    requests: 80,
    // Short replies: the simulator answers "at least N words" with exactly max_tokens, and 50 replies of
    // the default length would exhaust tier1's OTPM before its RPM.
    maxTokens: 50,
    stream: false,
  });
  const r = await startLoadTest(scenario, reportHooks).done;
  const s = r.summary;
  assert.equal(s.requests.total, 80);
  assert.ok(s.requests.rateLimited >= 25, `429s: ${s.requests.rateLimited}`);
  assert.equal(s.requests.ok + s.requests.rateLimited, 80);
  assert.equal(s.rateLimitedBy[0]?.bucket, 'sonnet-5-5');
  assert.equal(s.rateLimitedBy[0]?.limit, 'requests');
  assert.ok(
    r.diagnosis.some((d) => /429/.test(d.title + d.detail)),
    'diagnosis names the 429s',
  );
  // Headroom reaches 0 on requests in some window.
  assert.ok(r.timeseries.some((w) => w.headroom.requests === 0));
});

test('cost equals the catalog math on the server usage; events arrive in order', async () => {
  const scenario = parseScenario({
    target: { simulator: { tier: 'scale', latency: 'fast' } },
    model: 'claude-haiku-4-5',
    prompts: { type: 'synthetic', inputTokens: 300 },
    maxTokens: 50,
    load: { type: 'rate', rps: 40 },
    requests: 40,
  });
  const run = startLoadTest(scenario, reportHooks);
  const types: string[] = [];
  let samples = 0;
  let sampleCost = 0;
  run.on('start', () => types.push('start'));
  run.on('tick', () => types.push('tick'));
  run.on('sample', (e) => {
    samples++;
    sampleCost += e.sample.costUsd;
  });
  run.on('done', () => types.push('done'));
  const r = await run.done;
  const s = r.summary;
  assert.equal(types[0], 'start');
  assert.equal(types.at(-1), 'done');
  assert.ok(types.includes('tick'));
  assert.equal(samples, 40);
  const p = resolveModel(builtinCatalog, 'claude-haiku-4-5').prices;
  const expected = (s.tokens.input * p.input + s.tokens.output * p.output) / 1e6;
  assert.ok(Math.abs(s.costUsd - expected) < 1e-12, `${s.costUsd} vs ${expected}`);
  assert.ok(Math.abs(sampleCost - s.costUsd) < 1e-12);
  assert.ok(s.tokens.input >= 40 * 250, `input tokens ${s.tokens.input}`);
  assert.ok(s.tokens.output > 0 && s.tokens.output <= 40 * 50);
  const last = r.timeseries.at(-1)!;
  assert.ok(Math.abs(last.costUsd - s.costUsd) < 1e-12, 'the last window carries the total cost');
  assert.equal(
    r.timeseries.reduce((a, w) => a + w.completed, 0),
    40,
  );
  assert.equal(
    r.timeseries.reduce((a, w) => a + w.sent, 0),
    40,
  );
});

test('simulator faults map to outcome classes', async () => {
  for (const [fault, key] of [
    ['529', 'overloaded'],
    ['500', 'serverErrors'],
    ['stream-error', 'streamErrors'],
    ['disconnect', 'streamErrors'],
  ] as const) {
    const scenario = parseScenario({
      target: { simulator: { tier: 'scale', latency: 'zero', faultRate: 1, fault } },
      requests: 4,
    });
    const r = await startLoadTest(scenario, reportHooks).done;
    const got = r.summary.requests[key as keyof typeof r.summary.requests];
    // A disconnect before headers is a network error; after them, a stream error.
    const alt = fault === 'disconnect' ? r.summary.requests.networkErrors : 0;
    assert.equal(got + alt, 4, `${fault}: ${JSON.stringify(r.summary.requests)}`);
  }
});

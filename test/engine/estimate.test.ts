import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog, estimateScenarioCost, parseScenario } from '../../src/core/index';

test('worst-case cost: requests x (input estimate x price + max_tokens x output price)', () => {
  // "Respond with exactly: OK" as one user message: JSON of the messages array is 55 characters -> 14 tokens.
  const s = parseScenario({ target: 'anthropic', model: 'claude-sonnet-5-5', maxTokens: 100, requests: 50 });
  const e = estimateScenarioCost(s, builtinCatalog);
  assert.equal(e.requests, 50);
  // Per request: 14 tokens x $4/M (1h cache-write price, the highest input price) + 100 x $10/M = $0.001056.
  assert.ok(Math.abs(e.worstCaseUsd - (50 * (14 * 4 + 100 * 10)) / 1e6) < 1e-12, String(e.worstCaseUsd));
});

test('request counts from rate x duration, ramps and the smaller of requests and time', () => {
  const rate = parseScenario({ target: 'anthropic', load: { type: 'rate', rps: 5 }, duration: '1m' });
  assert.equal(estimateScenarioCost(rate, builtinCatalog).requests, 300);
  const both = parseScenario({
    target: 'anthropic',
    load: { type: 'rate', rps: 5 },
    duration: '1m',
    requests: 40,
  });
  assert.equal(estimateScenarioCost(both, builtinCatalog).requests, 40);
  const ramp = parseScenario({
    target: 'anthropic',
    load: {
      type: 'ramp',
      stages: [
        { duration: '10s', rps: 10 },
        { duration: '10s', rps: 10 },
      ],
    },
  });
  // 0 -> 10 rps over 10 s = 50, then 10 rps for 10 s = 100.
  assert.equal(estimateScenarioCost(ramp, builtinCatalog).requests, 150);
});

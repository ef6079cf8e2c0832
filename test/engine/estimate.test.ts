import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  builtinCatalog,
  estimateRequestTokens,
  estimateScenarioCost,
  parseScenario,
  resolveModel,
} from '../../src/core/index';

test('worst-case cost: requests x (input estimate x price + max_tokens x output price)', () => {
  // The input is counted as the simulator bills it: "Respond with exactly: OK" in one user message is
  // 15 tokens there (text plus message and request framing).
  const s = parseScenario({
    target: 'anthropic',
    model: 'claude-sonnet-5-5',
    maxTokens: 100,
    requests: 50,
    prompt: 'Respond with exactly: OK',
  });
  const entry = resolveModel(builtinCatalog, 'claude-sonnet-5-5');
  const body = {
    model: 'claude-sonnet-5-5',
    max_tokens: 100,
    messages: [{ role: 'user', content: s.prompts.type === 'fixed' ? s.prompts.text : '' }],
  };
  assert.equal(estimateRequestTokens(body, entry.tokenizer), 15);
  const e = estimateScenarioCost(s, builtinCatalog);
  assert.equal(e.requests, 50);
  // Per request: 15 tokens x $4/M (1h cache-write price, the highest input price) + 100 x $10/M = $0.00106.
  assert.ok(Math.abs(e.worstCaseUsd - (50 * (15 * 4 + 100 * 10)) / 1e6) < 1e-12, String(e.worstCaseUsd));
});

test('tool definitions and images count in the worst case (the budget reserved 18x too little without them)', () => {
  const tools = Array.from({ length: 20 }, (_, i) => ({
    name: `tool_${i}`,
    description:
      'Looks something up in a large internal system and returns a long structured answer. '.repeat(5),
    input_schema: { type: 'object', properties: { query: { type: 'string', description: 'x'.repeat(400) } } },
  }));
  const bare = parseScenario({ target: 'anthropic', model: 'claude-sonnet-5-5', maxTokens: 10, requests: 1 });
  const withTools = parseScenario(
    {
      target: 'anthropic',
      model: 'claude-sonnet-5-5',
      maxTokens: 10,
      requests: 1,
      prompts: { type: 'jsonl', file: 'tools.jsonl' },
    },
    { readFile: () => JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], tools }) },
  );
  const a = estimateScenarioCost(bare, builtinCatalog).worstCaseUsd;
  const b = estimateScenarioCost(withTools, builtinCatalog).worstCaseUsd;
  const entry = resolveModel(builtinCatalog, 'claude-sonnet-5-5');
  const toolTokens = estimateRequestTokens(
    { messages: [{ role: 'user', content: 'hi' }], tools },
    entry.tokenizer,
  );
  assert.ok(toolTokens > 2000, String(toolTokens));
  assert.ok(Math.abs(b - (toolTokens * 4 + 10 * 10) / 1e6) < 1e-12, `${b} vs ${toolTokens}`);
  assert.ok(b > 10 * a);
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

// Agentic and thinking workloads: tools, tool_choice and thinking from the plan file reach the API;
// tool_use replies are ok; TTFT (first text) and time to first content (any kind) are both measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, reportHooks, ScenarioError, startLoadTest } from '../../src/core/index';
import { startScriptedServer, type ScriptedReply } from '../fixtures/scriptedServer';

const weather = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

async function run(plan: Record<string, unknown>, reply: ScriptedReply) {
  const server = await startScriptedServer(() => reply);
  try {
    const scenario = parseScenario({ target: { baseUrl: server.url }, model: 'claude-sonnet-5-5', ...plan });
    const result = await startLoadTest(scenario, { ...reportHooks, apiKey: 'test-key' }).done;
    return { result, requests: server.requests };
  } finally {
    await server.close();
  }
}

test('tools and tool_choice from the plan file are sent; a tool_use reply is ok, with first content but no TTFT', async () => {
  const { result, requests } = await run(
    {
      requests: 4,
      load: { type: 'concurrency', concurrency: 2 },
      tools: [weather],
      toolChoice: { type: 'tool', name: 'get_weather' },
    },
    { toolUse: { name: 'get_weather', input: { city: 'Paris' } }, ttftMs: 40, outputTokens: 20 },
  );
  assert.deepEqual(requests[0]!.body.tools, [weather]);
  assert.deepEqual(requests[0]!.body.tool_choice, { type: 'tool', name: 'get_weather' });
  const s = result.summary;
  assert.equal(s.requests.ok, 4);
  assert.equal(s.toolUseReplies, 4);
  assert.equal(s.ttftMs.count, 0, 'a tool-only reply has no text');
  assert.equal(s.firstContentMs?.count, 4);
  assert.ok(s.firstContentMs!.p50 >= 40, `first content p50 ${s.firstContentMs!.p50}`);
});

test('thinking: first content (thinking) comes before TTFT (text); thinking tokens are split out; TPOT is over text', async () => {
  const thinkingText = 'Let me weigh the options carefully. '.repeat(20); // 720 characters
  const { result, requests } = await run(
    {
      requests: 3,
      load: { type: 'concurrency', concurrency: 1 },
      maxTokens: 4000,
      thinking: { type: 'enabled', budgetTokens: 2048 },
    },
    { thinking: thinkingText, ttftMs: 120, totalMs: 200, outputTokens: 400 },
  );
  assert.deepEqual(requests[0]!.body.thinking, { type: 'enabled', budget_tokens: 2048 });
  const s = result.summary;
  assert.equal(s.requests.ok, 3);
  // Sonnet 5.5 uses the newer tokenizer: ceil(720 x 3 / 10) = 216 thinking tokens per request.
  assert.equal(s.tokens.thinking, 3 * 216);
  assert.ok(s.firstContentMs!.p50 < 60, `thinking arrives at once: ${s.firstContentMs!.p50}`);
  assert.ok(s.ttftMs.p50 >= 120, `text after 120 ms: ${s.ttftMs.p50}`);
  // TPOT = (e2e - TTFT) / (400 - 216 - 1): ~80 ms over 183 text tokens, ~0.44 ms.
  assert.ok(s.tpotMs.p50 > 0.3 && s.tpotMs.p50 < 1, `tpot ${s.tpotMs.p50}`);
});

test('adaptive thinking sends its effort in output_config', async () => {
  const { requests } = await run(
    {
      requests: 1,
      load: { type: 'concurrency', concurrency: 1 },
      thinking: { type: 'adaptive', effort: 'high' },
    },
    {},
  );
  assert.deepEqual(requests[0]!.body.thinking, { type: 'adaptive' });
  assert.deepEqual(requests[0]!.body.output_config, { effort: 'high' });
});

test('plan-file checks for agentic fields name the field and the fix', () => {
  const base = { target: 'anthropic', model: 'claude-sonnet-5-5', requests: 1 };
  const err = (plan: Record<string, unknown>) => {
    try {
      parseScenario({ ...base, ...plan });
    } catch (e) {
      assert.ok(e instanceof ScenarioError);
      return e.message;
    }
    assert.fail('expected an error');
  };
  assert.match(
    err({ tools: [weather], toolChoice: { type: 'tool', name: 'get_wether' } }),
    /toolChoice\.name: no tool named "get_wether"/,
  );
  assert.match(err({ toolChoice: { type: 'any' } }), /toolChoice needs "tools"/);
  assert.match(err({ tools: [weather, weather] }), /tools\[1\]\.name: "get_weather" is defined twice/);
  assert.match(
    err({ maxTokens: 2000, thinking: { type: 'enabled', budgetTokens: 2048 } }),
    /thinking\.budgetTokens \(2048\) must be below maxTokens \(2000\)/,
  );
  assert.match(err({ thinking: { type: 'enabled', budgetTokens: 100 } }), /budgetTokens/);
});

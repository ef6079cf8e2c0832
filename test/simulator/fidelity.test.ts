// Tool use, thinking, model limits, unknown fields and the models endpoint, driven by the real SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { builtinCatalog, estimateRequestTokens, findModel } from '../../src/core/index';
import { MODEL, raw, userMessage, withSim } from './simHelpers';

const WEATHER = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: {
      city: { type: 'string', minLength: 2 },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      days: { type: 'integer', minimum: 1, maximum: 7 },
      where: {
        type: 'object',
        properties: { lat: { type: 'number' }, lon: { type: 'number' } },
        required: ['lat', 'lon'],
      },
      tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
    },
    required: ['city', 'unit', 'days', 'where', 'tags'],
  },
};

function assertWeatherInput(input: unknown): void {
  const i = input as Record<string, unknown>;
  assert.equal(typeof i.city, 'string');
  assert.ok((i.city as string).length >= 2);
  assert.ok(['celsius', 'fahrenheit'].includes(i.unit as string));
  assert.ok(Number.isInteger(i.days) && (i.days as number) >= 1 && (i.days as number) <= 7);
  const w = i.where as Record<string, unknown>;
  assert.equal(typeof w.lat, 'number');
  assert.equal(typeof w.lon, 'number');
  assert.ok(Array.isArray(i.tags) && i.tags.length >= 2 && i.tags.every((t) => typeof t === 'string'));
}

async function badRequest(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof Anthropic.BadRequestError, `expected 400, got ${String(e)}`);
    assert.equal(e.type, 'invalid_request_error');
    return e.apiMessage ?? '';
  }
  assert.fail('expected a 400');
}

test('tool_choice tool/any: a tool_use block valid against input_schema, stop_reason tool_use', async () => {
  await withSim({ seed: 7 }, async (_sim, client) => {
    for (const tool_choice of [{ type: 'tool' as const, name: 'get_weather' }, { type: 'any' as const }]) {
      const m = await client.messages.create({
        ...userMessage('Weather in Paris?', 500),
        tools: [WEATHER],
        tool_choice,
      });
      assert.equal(m.stop_reason, 'tool_use');
      assert.equal(m.content.length, 1);
      const block = m.content[0]!;
      assert.equal(block.type, 'tool_use');
      if (block.type !== 'tool_use') return;
      assert.match(block.id, /^toolu_01[0-9A-Za-z]{22}$/);
      assert.equal(block.name, 'get_weather');
      assertWeatherInput(block.input);
      // The input JSON is what was generated, token for token.
      const tokenizer = findModel(builtinCatalog, MODEL)!.tokenizer;
      assert.equal(
        m.usage.output_tokens,
        Math.max(1, Math.ceil(JSON.stringify(block.input).length * (tokenizer === 'new' ? 0.3 : 0.25))),
      );
    }
  });
});

test('streaming tool use: empty input at content_block_start, input_json_delta chunks concatenate to the input', async () => {
  await withSim({ seed: 3 }, async (_sim, client) => {
    const stream = client.messages.stream({
      ...userMessage('Weather?', 500),
      tools: [WEATHER],
      tool_choice: { type: 'any' },
    });
    let json = '';
    let startInput: unknown = null;
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_start' && e.content_block.type === 'tool_use')
        startInput = e.content_block.input;
      if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta')
        json += e.delta.partial_json;
    });
    const m = await stream.finalMessage();
    assert.deepEqual(startInput, {});
    assert.equal(m.stop_reason, 'tool_use');
    const block = m.content[0]!;
    assert.equal(block.type, 'tool_use');
    assert.deepEqual(JSON.parse(json), (block as { input: unknown }).input);
    assertWeatherInput(JSON.parse(json));
  });
});

test('tool_result in the next turn is accepted; auto after a result answers in text; none never calls', async () => {
  await withSim({}, async (_sim, client) => {
    const first = await client.messages.create({
      ...userMessage('Weather?', 500),
      tools: [WEATHER],
      tool_choice: { type: 'tool', name: 'get_weather' },
    });
    const call = first.content[0] as Anthropic.ToolUseBlock;
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 200,
      tools: [WEATHER],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny, 21 C' }] },
      ],
    });
    assert.equal(second.content[0]!.type, 'text');
    assert.notEqual(second.stop_reason, 'tool_use');
    for (let i = 0; i < 10; i++) {
      const m = await client.messages.create({
        ...userMessage('hi', 200),
        tools: [WEATHER],
        tool_choice: { type: 'none' },
      });
      assert.equal(m.content[0]!.type, 'text');
    }
  });
});

test('tool_choice auto calls a tool some of the time (seeded, repeatable)', async () => {
  const kinds = async (): Promise<string[]> => {
    const out: string[] = [];
    await withSim({ seed: 11 }, async (_sim, client) => {
      for (let i = 0; i < 12; i++) {
        const m = await client.messages.create({ ...userMessage('hi', 300), tools: [WEATHER] });
        out.push(m.stop_reason!);
      }
    });
    return out;
  };
  const a = await kinds();
  assert.deepEqual(await kinds(), a);
  assert.ok(a.includes('tool_use') && a.some((k) => k !== 'tool_use'), a.join(','));
});

test('tool definitions count as input tokens in usage and count_tokens alike; bad tool_choice is a 400', async () => {
  await withSim({}, async (_sim, client) => {
    const body = { ...userMessage('hi', 50), tools: [WEATHER], tool_choice: { type: 'none' as const } };
    const m = await client.messages.create(body);
    const plain = await client.messages.create({ ...userMessage('hi', 50) });
    const { input_tokens } = await client.messages.countTokens({
      model: MODEL,
      messages: body.messages,
      tools: body.tools,
    });
    assert.equal(m.usage.input_tokens, input_tokens);
    assert.ok(m.usage.input_tokens > plain.usage.input_tokens + 300);
    assert.equal(
      m.usage.input_tokens,
      estimateRequestTokens(body, findModel(builtinCatalog, MODEL)!.tokenizer),
    );
    assert.match(
      await badRequest(client.messages.create({ ...body, tool_choice: { type: 'tool', name: 'nope' } })),
      /tool_choice: Tool 'nope' not found/,
    );
  });
});

/** Words of a reply (each simulated output token of filler is one word). */
const words = (s: string) => s.split(' ').filter((w) => w.length > 0).length;

test('thinking: a signed thinking block precedes the text; thinking tokens are output tokens', async () => {
  await withSim({}, async (_sim, client) => {
    const m = await client.messages.create({
      ...userMessage('Write at least 50 words about load tests', 4000),
      model: 'claude-haiku-4-5',
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    assert.deepEqual(
      m.content.map((b) => b.type),
      ['thinking', 'text'],
    );
    const t = m.content[0] as Anthropic.ThinkingBlock;
    assert.ok(t.signature.length > 20);
    assert.equal(words((m.content[1] as Anthropic.TextBlock).text), 50);
    assert.equal(m.usage.output_tokens, words(t.thinking) + 50);
    assert.ok(words(t.thinking) <= 1024);

    const adaptive = await client.messages.create({
      ...userMessage('Write at least 20 words', 2000),
      thinking: { type: 'adaptive' },
      output_config: { effort: 'low' },
    } as never);
    assert.equal((adaptive as Anthropic.Message).content[0]!.type, 'thinking');
  });
});

test('thinking streams thinking_delta then signature_delta, and is accepted back in a later turn', async () => {
  await withSim({}, async (_sim, client) => {
    const stream = client.messages.stream({
      ...userMessage('Write at least 10 words', 3000),
      model: 'claude-sonnet-4-6',
      thinking: { type: 'enabled', budget_tokens: 1500 },
    });
    const deltas: string[] = [];
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_delta') deltas.push(`${e.index}:${e.delta.type}`);
    });
    const m = await stream.finalMessage();
    const firstText = deltas.indexOf('1:text_delta');
    assert.equal(deltas[0], '0:thinking_delta');
    assert.equal(deltas[firstText - 1], '0:signature_delta');
    assert.ok(deltas.slice(0, firstText - 1).every((d) => d === '0:thinking_delta'));
    assert.equal((m.content[0] as Anthropic.ThinkingBlock).signature.length > 20, true);
    assert.equal(m.usage.output_tokens, words((m.content[0] as Anthropic.ThinkingBlock).thinking) + 10);
    const next = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 3000,
      thinking: { type: 'enabled', budget_tokens: 1500 },
      messages: [
        { role: 'user', content: 'Write at least 10 words' },
        { role: 'assistant', content: m.content },
        { role: 'user', content: 'again' },
      ],
    });
    assert.equal(next.content[0]!.type, 'thinking');
  });
});

test('thinking modes per model and budget rules are 400s', async () => {
  await withSim({}, async (_sim, client) => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { model: 'claude-opus-4-8', thinking: { type: 'enabled', budget_tokens: 2000 } },
        /'enabled' is not supported for claude-opus-4-8/,
      ],
      [
        { model: 'claude-sonnet-5', thinking: { type: 'enabled', budget_tokens: 2000 } },
        /'enabled' is not supported/,
      ],
      [
        { model: 'claude-haiku-4-5', thinking: { type: 'adaptive' } },
        /'adaptive' is not supported for claude-haiku-4-5/,
      ],
      [{ model: 'claude-opus-5-5', thinking: { type: 'disabled' } }, /always on/],
      [
        { model: 'claude-haiku-4-5', thinking: { type: 'enabled', budget_tokens: 1000 } },
        /budget_tokens: .*1024/,
      ],
      [
        { model: 'claude-haiku-4-5', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2000 } },
        /greater than thinking.budget_tokens/,
      ],
      [
        { model: MODEL, thinking: { type: 'adaptive' }, output_config: { effort: 'extreme' } },
        /output_config.effort/,
      ],
    ];
    for (const [extra, re] of cases) {
      const body = { ...userMessage('hi', 4000), ...extra };
      assert.match(await badRequest(client.messages.create(body as never)), re, JSON.stringify(extra));
    }
    // Accepted: deprecated-but-accepted budget mode on 4.6, adaptive on opus 5.
    await client.messages.create({
      ...userMessage('hi', 4000),
      model: 'claude-opus-4-6',
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    await client.messages.create({
      ...userMessage('hi', 4000),
      model: 'claude-opus-5',
      thinking: { type: 'adaptive' },
    });
  });
});

test('validation like the API: extra fields, max_tokens above the model limit, prompt above the context window', async () => {
  await withSim({}, async (_sim, client) => {
    assert.match(
      await badRequest(client.messages.create({ ...userMessage('hi'), maxTokenz: 5 } as never)),
      /^maxTokenz: Extra inputs are not permitted$/,
    );
    assert.match(
      await badRequest(
        client.messages.create({ ...userMessage('hi'), max_tokens: 1_000_000_000 }, { timeout: 60_000 }),
      ),
      /^max_tokens: 1000000000 > 128000, .*claude-sonnet-5-5/,
    );
    assert.match(
      await badRequest(
        client.messages.create(
          { ...userMessage('hi'), model: 'claude-haiku-4-5', max_tokens: 64_001 },
          { timeout: 60_000 },
        ),
      ),
      /> 64000/,
    );
    await client.messages.create(
      { ...userMessage('hi'), model: 'claude-haiku-4-5', max_tokens: 64_000 },
      { timeout: 60_000 },
    );
    const long = 'x'.repeat(810_000); // classic tokenizer: 202,500 tokens > 200K
    assert.match(
      await badRequest(client.messages.create({ ...userMessage(long), model: 'claude-haiku-4-5' })),
      /^prompt is too long: \d+ tokens > 200000 maximum/,
    );
    assert.match(
      await badRequest(
        client.messages.countTokens({
          model: 'claude-haiku-4-5',
          messages: [{ role: 'user', content: long }],
        }),
      ),
      /prompt is too long/,
    );
  });
});

test('"at least N words" replies with exactly min(N, max_tokens) output tokens', async () => {
  await withSim({}, async (_sim, client) => {
    const full = await client.messages.create(
      userMessage('Please write at least 1,200 words on caching.', 2000),
    );
    assert.equal(full.usage.output_tokens, 1200);
    assert.equal(full.stop_reason, 'end_turn');
    const capped = await client.messages.create(userMessage('Write at least 500 words.', 300));
    assert.equal(capped.usage.output_tokens, 300);
    assert.equal(capped.stop_reason, 'max_tokens');
    const streamed = await client.messages
      .stream(userMessage('Write at least 77 words.', 300))
      .finalMessage();
    assert.equal(streamed.usage.output_tokens, 77);
    assert.equal(words((streamed.content[0] as Anthropic.TextBlock).text), 77);
  });
});

test('models endpoint: created_at from release dates, deprecated_at and retires_at, limits', async () => {
  await withSim({}, async (_sim, client) => {
    for await (const m of client.models.list()) {
      assert.notEqual(m.created_at, '1970-01-01T00:00:00Z', m.id);
      assert.match(m.created_at, /^20\d\d-\d\d-\d\dT00:00:00Z$/);
    }
    const opus5 = await client.models.retrieve('claude-opus-5');
    assert.equal(opus5.created_at, '2026-07-24T00:00:00Z');
    const dep = (await client.models.retrieve('claude-sonnet-4-5')) as unknown as Record<string, unknown>;
    assert.match(String(dep.deprecated_at), /^2026-/);
    assert.equal(dep.retires_at, '2026-11-30T00:00:00Z');
    assert.equal(dep.max_tokens, 64_000);
    const cur = (await client.models.retrieve(MODEL)) as unknown as Record<string, unknown>;
    assert.equal(cur.deprecated_at, null);
    assert.equal(cur.max_input_tokens, 1_000_000);
  });
});

test('no request crashes the simulator: bad %-encoding, deeply nested JSON', async () => {
  await withSim({}, async (sim, client) => {
    const bad = await raw(sim, '/v1/models/%ZZ', undefined);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { type: string }).type, 'error');
    // ~400 KB of nesting inside tools (JSON.stringify would overflow the stack).
    const depth = 100_000;
    const nested =
      '{"model":"' +
      MODEL +
      '","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"t","input_schema":{"type":"object","x":' +
      '['.repeat(depth) +
      ']'.repeat(depth) +
      '}}]}';
    for (const path of ['/v1/messages', '/v1/messages/count_tokens']) {
      const r = await raw(sim, path, nested);
      assert.equal(r.status, 400, path);
      const body = (await r.json()) as { error: { message: string } };
      assert.match(body.error.message, /^tools: nesting is deeper than 64 levels/);
    }
    // Still serving.
    const ok = await client.messages.create(userMessage('Respond with exactly: alive'));
    assert.deepEqual(ok.content, [{ type: 'text', text: 'alive' }]);
  });
});

test('tool definitions count toward ITPM', async () => {
  // A frozen clock: no refill. 'hi' alone is ~10 input tokens; with the tools ~730.
  await withSim({ limits: { itpm: 1000 }, clock: () => 0 }, async (_sim, client) => {
    for (let i = 0; i < 5; i++) await client.messages.create(userMessage('hi', 5));
    const tools = [WEATHER, { ...WEATHER, name: 'w2' }, { ...WEATHER, name: 'w3' }];
    const body = { ...userMessage('hi', 5), tools, tool_choice: { type: 'none' as const } };
    const first = await client.messages.create(body);
    assert.ok(first.usage.input_tokens > 700, `${first.usage.input_tokens}`);
    await assert.rejects(
      client.messages.create(body),
      (e: Error) => e instanceof Anthropic.RateLimitError && /input tokens/.test(e.message),
    );
  });
});

// Conformance of shapes and headers, driven by the real SDK over HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog, estimateRequestTokens, findModel } from '../../src/core/index';
import { MODEL, RFC3339, raw, userMessage, withSim } from './simHelpers';

test('non-streaming message: shape, usage and "Respond with exactly"', async () => {
  await withSim({}, async (_sim, client) => {
    const { data, response, request_id } = await client.messages
      .create(userMessage('Respond with exactly: OK'))
      .withResponse();
    assert.match(data.id, /^msg_01[0-9A-Za-z]{22}$/);
    assert.equal(data.type, 'message');
    assert.equal(data.role, 'assistant');
    assert.equal(data.model, MODEL);
    assert.deepEqual(data.content, [{ type: 'text', text: 'OK' }]);
    assert.equal(data.stop_reason, 'end_turn');
    assert.equal(data.stop_sequence, null);
    assert.equal(data.usage.output_tokens, 1);
    assert.equal(data.usage.cache_read_input_tokens, 0);
    assert.equal(data.usage.cache_creation_input_tokens, 0);
    assert.deepEqual(data.usage.cache_creation, {
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: 0,
    });
    assert.equal(data.usage.service_tier, 'standard');
    const tokenizer = findModel(builtinCatalog, MODEL)!.tokenizer;
    assert.equal(
      data.usage.input_tokens,
      estimateRequestTokens(userMessage('Respond with exactly: OK'), tokenizer),
    );
    assert.match(request_id!, /^req_[0-9A-Za-z]+$/);
    assert.equal(response.headers.get('content-type'), 'application/json');
  });
});

test('every rate-limit header is present in the documented format', async () => {
  // A frozen clock: the buckets do not refill between the debit and the headers.
  await withSim({ tier: 'build', clock: () => 0 }, async (_sim, client) => {
    const { response } = await client.messages.create(userMessage('hello')).withResponse();
    const h = response.headers;
    const limits = { requests: 5000, 'input-tokens': 5_000_000, 'output-tokens': 1_000_000 };
    for (const [name, limit] of Object.entries(limits)) {
      assert.equal(h.get(`anthropic-ratelimit-${name}-limit`), String(limit), name);
      assert.match(h.get(`anthropic-ratelimit-${name}-reset`) ?? '', RFC3339, name);
      const reset = Date.parse(h.get(`anthropic-ratelimit-${name}-reset`)!);
      assert.ok(reset >= Date.now() - 1000 && reset < Date.now() + 61_000, `${name} reset within a minute`);
    }
    assert.equal(h.get('anthropic-ratelimit-requests-remaining'), '4999');
    for (const name of ['input-tokens', 'output-tokens', 'tokens']) {
      const remaining = Number(h.get(`anthropic-ratelimit-${name}-remaining`));
      assert.ok(Number.isInteger(remaining) && remaining % 1000 === 0, `${name} rounded to thousands`);
    }
    // tokens-* describes the most restrictive token bucket: the smaller remaining share (a tie, when
    // both round to full thousands after a refill, may name either).
    const share = (n: string) =>
      Number(h.get(`anthropic-ratelimit-${n}-remaining`)) / Number(h.get(`anthropic-ratelimit-${n}-limit`));
    const tighter = share('output-tokens') <= share('input-tokens') ? ['1000000'] : ['5000000'];
    if (share('output-tokens') === share('input-tokens')) tighter.push('5000000');
    assert.ok(
      tighter.includes(h.get('anthropic-ratelimit-tokens-limit')!),
      h.get('anthropic-ratelimit-tokens-limit')!,
    );
    assert.match(h.get('anthropic-ratelimit-tokens-reset') ?? '', RFC3339);
    assert.match(h.get('request-id') ?? '', /^req_/);
    assert.equal(h.get('x-should-retry'), null);
  });
});

test('streaming: documented event order, ping, cumulative usage, same text as non-streaming', async () => {
  const events: string[] = [];
  let streamed = '';
  let outputTokens = 0;
  let startUsage: { input_tokens: number; output_tokens: number } | undefined;
  await withSim({ seed: 1 }, async (_sim, client) => {
    const stream = await client.messages.create({ ...userMessage('Tell me a story', 40), stream: true });
    for await (const e of stream) {
      events.push(e.type);
      if (e.type === 'message_start') startUsage = e.message.usage;
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') streamed += e.delta.text;
      if (e.type === 'message_delta') {
        outputTokens = e.usage.output_tokens;
        assert.equal(e.delta.stop_reason, 'max_tokens');
      }
    }
  });
  assert.equal(events[0], 'message_start');
  assert.equal(events[1], 'content_block_start');
  assert.ok(events.filter((e) => e === 'content_block_delta').length >= 2);
  assert.deepEqual(events.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
  assert.equal(startUsage!.output_tokens, 1);
  assert.ok(startUsage!.input_tokens > 0);
  assert.equal(outputTokens, 40, 'capped by max_tokens');

  await withSim({ seed: 1 }, async (_sim, client) => {
    const msg = await client.messages.create(userMessage('Tell me a story', 40));
    assert.equal(msg.content[0]!.type === 'text' ? msg.content[0].text : '', streamed);
    assert.equal(msg.usage.output_tokens, 40);
  });

  // The wire format itself: event/data pairs and a ping after content_block_start.
  await withSim({}, async (sim) => {
    const res = await raw(sim, '/v1/messages', { ...userMessage('hi', 8), stream: true });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.ok(res.headers.get('anthropic-ratelimit-requests-limit'));
    const text = await res.text();
    const names = [...text.matchAll(/^event: (\w+)\ndata: (.+)\n\n/gm)].map((m) => {
      assert.equal(JSON.parse(m[2]!).type, m[1]);
      return m[1];
    });
    assert.deepEqual(names.slice(0, 3), ['message_start', 'content_block_start', 'ping']);
    assert.equal(names.at(-1), 'message_stop');
  });
});

test('messages.stream() helper assembles the final message with paced (fast) latency', async () => {
  await withSim({ latency: 'fast', timeScale: 4 }, async (_sim, client) => {
    const stream = client.messages.stream(userMessage('Write something', 30));
    let texts = 0;
    stream.on('text', () => texts++);
    const final = await stream.finalMessage();
    assert.equal(final.usage.output_tokens, 30);
    assert.equal(final.stop_reason, 'max_tokens');
    assert.ok(texts >= 2);
  });
});

test('count_tokens agrees with usage; models list and retrieve', async () => {
  await withSim({}, async (_sim, client) => {
    const body = {
      model: 'claude-haiku-4-5',
      system: 'You are terse.',
      messages: [
        { role: 'user' as const, content: 'What is 2+2?' },
        { role: 'assistant' as const, content: '4' },
        { role: 'user' as const, content: [{ type: 'text' as const, text: 'And 3+3?' }] },
      ],
    };
    const counted = await client.messages.countTokens(body);
    const msg = await client.messages.create({ ...body, max_tokens: 10 });
    assert.equal(counted.input_tokens, msg.usage.input_tokens);
    assert.equal(counted.input_tokens, estimateRequestTokens(body, 'classic'));

    const page = await client.models.list({ limit: 100 });
    const served = builtinCatalog.models.filter((m) => m.status !== 'retired').map((m) => m.id);
    assert.deepEqual(
      page.data.map((m) => m.id),
      served,
    );
    assert.equal(page.data[0]!.type, 'model');
    assert.equal(typeof page.data[0]!.display_name, 'string');
    assert.match(page.data[0]!.created_at, RFC3339);
    const all = [];
    for await (const m of client.models.list({ limit: 5 })) all.push(m.id);
    assert.deepEqual(all, served, 'auto-pagination over has_more/last_id');
    const one = await client.models.retrieve('claude-opus-5-5');
    assert.equal(one.display_name, 'Claude Opus 5.5');
  });
});

test('determinism: the same seed and request sequence give identical responses', async () => {
  const run = async (seed: number) => {
    const out: string[] = [];
    await withSim({ seed }, async (sim, client) => {
      for (let i = 0; i < 4; i++) {
        const { data, request_id } = await client.messages
          .create(userMessage(`question ${i}`, 200))
          .withResponse();
        out.push(JSON.stringify(data), String(request_id));
      }
      const res = await raw(sim, '/v1/messages', { ...userMessage('streamed'), stream: true });
      out.push(await res.text(), String(res.headers.get('request-id')));
    });
    return out;
  };
  const a = await run(42);
  const b = await run(42);
  const c = await run(43);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('stop_sequences cut the reply and report stop_sequence', async () => {
  await withSim({}, async (_sim, client) => {
    const msg = await client.messages.create({
      ...userMessage('Respond with exactly: alpha beta STOP gamma', 50),
      stop_sequences: ['STOP'],
    });
    assert.equal(msg.stop_reason, 'stop_sequence');
    assert.equal(msg.stop_sequence, 'STOP');
    assert.equal(msg.content[0]!.type === 'text' && msg.content[0].text, 'alpha beta ');
  });
});

test('accepts x-api-key with anthropic-version 2023-06-01 (0.x SDK style) and sampling params there', async () => {
  await withSim({}, async (sim) => {
    const res = await raw(
      sim,
      '/v1/messages',
      { ...userMessage('hi'), temperature: 0.5, top_p: 0.9, top_k: 5 },
      { authorization: null, 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
    );
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { type: string }).type, 'message');
  });
});

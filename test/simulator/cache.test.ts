// Prompt caching: breakpoints write, identical prefixes read within the TTL, usage reports both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim } from './simHelpers';

// Classic tokenizer (4 chars per token) and a 1,024-token minimum: the 2,000-token prefixes cache.
const MODEL = 'claude-sonnet-4-5';
const long = (c: string) => c.repeat(8000); // 2,000 tokens

function body(system: string, question: string, ttl?: '1h') {
  return {
    model: MODEL,
    max_tokens: 5,
    system: [
      {
        type: 'text' as const,
        text: system,
        cache_control: { type: 'ephemeral' as const, ...(ttl ? { ttl } : {}) },
      },
    ],
    messages: [{ role: 'user' as const, content: question }],
  };
}

test('a breakpoint writes the prefix; the same prefix reads it; usage adds up to count_tokens', async () => {
  await withSim({}, async (_sim, client) => {
    const first = await client.messages.create(body(long('a'), 'first question'));
    assert.equal(first.usage.cache_creation_input_tokens, 2004); // 2,000 + system framing
    assert.equal(first.usage.cache_read_input_tokens, 0);
    assert.deepEqual(first.usage.cache_creation, {
      ephemeral_5m_input_tokens: 2004,
      ephemeral_1h_input_tokens: 0,
    });
    const second = await client.messages.create(body(long('a'), 'another, longer question'));
    assert.equal(second.usage.cache_read_input_tokens, 2004);
    assert.equal(second.usage.cache_creation_input_tokens, 0);
    const { input_tokens: total } = await client.messages.countTokens({
      model: MODEL,
      system: body(long('a'), '').system,
      messages: [{ role: 'user', content: 'another, longer question' }],
    });
    assert.equal(second.usage.input_tokens + second.usage.cache_read_input_tokens, total);
    // Another model has its own cache.
    const other = await client.messages.create({ ...body(long('a'), 'q'), model: 'claude-sonnet-4-6' });
    assert.equal(other.usage.cache_read_input_tokens, 0);
    assert.equal(other.usage.cache_creation_input_tokens, 2004);
  });
});

test('entries expire after the TTL (simulated time) and reads refresh them', async () => {
  let now = 0;
  await withSim({ clock: () => now }, async (_sim, client) => {
    await client.messages.create(body(long('b'), 'q'));
    now += 4 * 60_000;
    assert.equal((await client.messages.create(body(long('b'), 'q'))).usage.cache_read_input_tokens, 2004);
    now += 4 * 60_000; // 8 min after the write, 4 after the refreshing read
    assert.equal((await client.messages.create(body(long('b'), 'q'))).usage.cache_read_input_tokens, 2004);
    now += 5 * 60_000 + 1;
    const expired = await client.messages.create(body(long('b'), 'q'));
    assert.equal(expired.usage.cache_read_input_tokens, 0);
    assert.equal(expired.usage.cache_creation_input_tokens, 2004);
  });
  // With a time scale, the TTL passes in scaled time: 5 minutes at 6000x is 50 real ms.
  await withSim({ timeScale: 6000 }, async (_sim, client) => {
    await client.messages.create(body(long('c'), 'q'));
    await new Promise((r) => setTimeout(r, 80));
    assert.equal((await client.messages.create(body(long('c'), 'q'))).usage.cache_read_input_tokens, 0);
  });
});

test('1-hour TTL is reported separately and outlives 5 minutes', async () => {
  let now = 0;
  await withSim({ clock: () => now }, async (_sim, client) => {
    const w = await client.messages.create(body(long('d'), 'q', '1h'));
    assert.deepEqual(w.usage.cache_creation, {
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: 2004,
    });
    now += 30 * 60_000;
    assert.equal(
      (await client.messages.create(body(long('d'), 'q', '1h'))).usage.cache_read_input_tokens,
      2004,
    );
  });
});

test('prefixes under the minimum cacheable length are not cached', async () => {
  await withSim({}, async (_sim, client) => {
    for (let i = 0; i < 2; i++) {
      const m = await client.messages.create(body('short system prompt', 'q'));
      assert.equal(m.usage.cache_creation_input_tokens, 0);
      assert.equal(m.usage.cache_read_input_tokens, 0);
    }
  });
});

test('multi-turn: a moving breakpoint reads the earlier prefix and writes the new part', async () => {
  await withSim({}, async (_sim, client) => {
    const turn1 = [
      {
        role: 'user' as const,
        content: [{ type: 'text' as const, text: long('e'), cache_control: { type: 'ephemeral' as const } }],
      },
    ];
    const a = await client.messages.create({ model: MODEL, max_tokens: 5, messages: turn1 });
    assert.equal(a.usage.cache_creation_input_tokens, 2004);
    const turn2 = [
      { role: 'user' as const, content: [{ type: 'text' as const, text: long('e') }] },
      { role: 'assistant' as const, content: 'ok' },
      {
        role: 'user' as const,
        content: [{ type: 'text' as const, text: long('f'), cache_control: { type: 'ephemeral' as const } }],
      },
    ];
    const b = await client.messages.create({ model: MODEL, max_tokens: 5, messages: turn2 });
    assert.equal(b.usage.cache_read_input_tokens, 2004);
    assert.equal(b.usage.cache_creation_input_tokens, 1 + 4 + 2000 + 4); // "ok" + framing + new turn
  });
});

test('top-level cache_control caches up to the last block', async () => {
  await withSim({}, async (sim) => {
    const req = {
      model: MODEL,
      max_tokens: 5,
      cache_control: { type: 'ephemeral' },
      messages: [{ role: 'user', content: long('g') }],
    };
    const post = async () => {
      const res = await fetch(`${sim.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(req),
      });
      return ((await res.json()) as { usage: Record<string, number> }).usage;
    };
    assert.equal((await post()).cache_creation_input_tokens, 2004);
    const again = await post();
    assert.equal(again.cache_read_input_tokens, 2004);
    assert.equal(again.input_tokens, 3);
  });
});

test('per-model minimum cacheable length (catalog): below it nothing is cached, usage shows 0', async () => {
  await withSim({}, async (_sim, client) => {
    // Haiku 4.5: 4,096 in the catalog (unconfirmed): a 2,004-token prefix is neither written nor read.
    const short = { ...body(long('m'), 'q'), model: 'claude-haiku-4-5' };
    for (let i = 0; i < 2; i++) {
      const r = await client.messages.create(short);
      assert.equal(r.usage.cache_creation_input_tokens, 0);
      assert.equal(r.usage.cache_read_input_tokens, 0);
      const { input_tokens: total } = await client.messages.countTokens({
        model: short.model,
        system: short.system,
        messages: short.messages,
      });
      assert.equal(r.usage.input_tokens, total); // every token billed as plain input
    }
    // 4,100 tokens of system: above 4,096, written then read.
    const longer = { ...body('n'.repeat(16_400), 'q'), model: 'claude-haiku-4-5' };
    assert.equal((await client.messages.create(longer)).usage.cache_creation_input_tokens, 4104);
    assert.equal((await client.messages.create(longer)).usage.cache_read_input_tokens, 4104);
    // Claude Opus 5: 512; 604 tokens cache.
    const opus = { ...body('o'.repeat(2400), 'q'), model: 'claude-opus-5' };
    assert.ok(((await client.messages.create(opus)).usage.cache_creation_input_tokens ?? 0) > 512);
    // A model without a catalog figure keeps the simulator default (1,024): 604 tokens do not cache.
    assert.equal(
      (await client.messages.create({ ...opus, model: 'claude-opus-4-7' })).usage.cache_creation_input_tokens,
      0,
    );
  });
});

test('cacheMinTokens set explicitly applies to every model, whatever the catalog says', async () => {
  await withSim({ cacheMinTokens: 1000 }, async (_sim, client) => {
    const r = await client.messages.create({ ...body(long('p'), 'q'), model: 'claude-haiku-4-5' });
    assert.equal(r.usage.cache_creation_input_tokens, 2004);
  });
});

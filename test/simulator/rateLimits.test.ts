// Token buckets as the API applies them: RPM bursts, retry-after, refill timing, ITPM (cache-aware)
// and OTPM in both modes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { MODEL, userMessage, withSim } from './simHelpers';

const { RateLimitError } = Anthropic;

async function settle<T>(p: Promise<T>): Promise<T | Error> {
  return p.catch((e: Error) => e);
}

test('a burst above the tier RPM gets 429s whose retry-after, honoured, succeeds', async () => {
  // tier1 = 50 RPM, time runs 60x. The clock is frozen during the burst so it is instantaneous in
  // simulated time (as a burst against a busy org would be), then runs again for the retries.
  let frozenAt: number | null = performance.now();
  let offset = 0;
  const clock = () => frozenAt ?? performance.now() - offset;
  await withSim({ tier: 'tier1', timeScale: 60, clock }, async (sim, client) => {
    const results = await Promise.all(
      Array.from({ length: 60 }, () => settle(client.messages.create(userMessage('x', 5)))),
    );
    offset = performance.now() - frozenAt!;
    frozenAt = null;
    const limited = results.filter(
      (r): r is InstanceType<typeof RateLimitError> => r instanceof RateLimitError,
    );
    assert.equal(limited.length, 10);
    assert.ok(results.every((r) => !(r instanceof Error) || r instanceof RateLimitError));
    const first = limited[0]!;
    assert.equal(first.type, 'rate_limit_error');
    assert.equal(first.headers.get('x-should-retry'), 'true');
    assert.equal(first.headers.get('anthropic-ratelimit-requests-remaining'), '0');
    assert.match(first.apiMessage ?? '', /50 requests per minute/);
    // 1 request short at 50/min is 1.2 s, 0.02 s at 60x: the header says 1 (whole seconds, at least 1).
    const retryAfter = Math.max(...limited.map((e) => Number(e.headers.get('retry-after'))));
    assert.equal(retryAfter, 1);
    // Honoured on the injected clock: it jumps the retry-after ahead instead of sleeping it.
    offset -= retryAfter * 1000;
    const retried = await Promise.all(limited.map(() => settle(client.messages.create(userMessage('x', 5)))));
    assert.ok(
      retried.every((r) => !(r instanceof Error)),
      'every honoured retry succeeds',
    );
    assert.equal(sim.stats().rateLimited, 10);
  });
});

test('continuous refill and retry-after, exactly, on an injected clock', async () => {
  let now = 0;
  await withSim({ limits: { rpm: 60 }, clock: () => now }, async (_sim, client) => {
    for (let i = 0; i < 60; i++) await client.messages.create(userMessage('x', 5));
    const e = await settle(client.messages.create(userMessage('x', 5)));
    assert.ok(e instanceof RateLimitError);
    assert.equal(e.headers.get('retry-after'), '1');
    now += 999;
    assert.ok((await settle(client.messages.create(userMessage('x', 5)))) instanceof RateLimitError);
    now += 1;
    const { response } = await client.messages.create(userMessage('x', 5)).withResponse();
    assert.equal(response.headers.get('anthropic-ratelimit-requests-remaining'), '0');
    now += 30_000; // half a minute refills 30 requests
    const next = await client.messages.create(userMessage('x', 5)).withResponse();
    assert.equal(next.response.headers.get('anthropic-ratelimit-requests-remaining'), '29');
    // Full again after 31 more seconds: the reset header says when. Wall time follows the injected
    // clock, which is 31 s ahead of the real one by now.
    const reset = Date.parse(next.response.headers.get('anthropic-ratelimit-requests-reset')!);
    const expected = Date.now() + 31_000 + 31_000;
    assert.ok(Math.abs(reset - expected) < 3_000, `reset ${reset - Date.now()} ms from now`);
  });
});

test('with a fast time scale the bucket refills in real milliseconds', async () => {
  // 600x: one real ms is 0.6 simulated seconds, i.e. 0.5 request of a 50 RPM bucket. The real
  // clock is injected, so the arithmetic is exact.
  let now = 0;
  await withSim({ tier: 'tier1', timeScale: 600, clock: () => now }, async (_sim, client) => {
    await Promise.all(Array.from({ length: 55 }, () => settle(client.messages.create(userMessage('x', 5)))));
    now += 40; // 24 simulated seconds: 20 requests back
    const { response } = await client.messages.create(userMessage('x', 5)).withResponse();
    assert.equal(response.headers.get('anthropic-ratelimit-requests-remaining'), '19');
  });
});

test('ITPM: a request bigger than the bucket and a bucket drained by earlier input both get 429', async () => {
  let now = 0;
  await withSim({ limits: { itpm: 1000 }, clock: () => now }, async (_sim, client) => {
    const huge = await settle(client.messages.create(userMessage('y'.repeat(12_000))));
    assert.ok(huge instanceof RateLimitError);
    assert.match(huge.apiMessage ?? '', /input tokens/);
    assert.ok(Number(huge.headers.get('retry-after')) >= 1);
    await client.messages.create(userMessage('z'.repeat(2000))); // ~600 tokens (new tokenizer)
    const second = await settle(client.messages.create(userMessage('z'.repeat(2000))));
    assert.ok(second instanceof RateLimitError);
    assert.equal(second.headers.get('anthropic-ratelimit-input-tokens-remaining'), '0'); // ~390, rounded
    now += 60_000;
    await client.messages.create(userMessage('z'.repeat(2000)));
  });
});

test('ITPM is cache-aware: cache reads do not count', async () => {
  // A frozen clock: no refill while the test runs.
  const frozen = () => 0;
  const system = [
    { type: 'text' as const, text: 'S'.repeat(8000), cache_control: { type: 'ephemeral' as const } },
  ];
  const body = {
    // A 1,024-token cache minimum (Haiku 4.5's is 4,096: the 2,000-token prefix would not cache).
    model: 'claude-sonnet-4-5',
    max_tokens: 5,
    system,
    messages: [{ role: 'user' as const, content: 'q' }],
  };
  await withSim({ limits: { itpm: 3000 }, clock: frozen }, async (_sim, client) => {
    const first = await client.messages.create(body);
    assert.equal(first.usage.cache_creation_input_tokens, 2004);
    // 3000 - ~2010 left: a fresh 2,000-token prompt would not fit, the cached one does.
    const second = await client.messages.create(body);
    assert.equal(second.usage.cache_read_input_tokens, 2004);
    const third = await client.messages.create(body);
    assert.equal(third.usage.cache_read_input_tokens, 2004);
    const fresh = await settle(client.messages.create({ ...body, system: 'T'.repeat(8000) }));
    assert.ok(fresh instanceof RateLimitError);
  });
});

test('OTPM counts generated tokens and then blocks new requests until refilled', async () => {
  let now = 0;
  await withSim({ limits: { otpm: 100 }, clock: () => now }, async (_sim, client) => {
    const msg = await client.messages.create({ ...userMessage('write', 150), model: MODEL });
    assert.equal(msg.usage.output_tokens, 150); // default replies average 150 tokens; seed 1 draws more
    const e = await settle(client.messages.create(userMessage('Respond with exactly: OK')));
    assert.ok(e instanceof RateLimitError);
    assert.match(e.apiMessage ?? '', /output tokens/);
    // 51 tokens short at 100/min: 30.6 s.
    assert.equal(e.headers.get('retry-after'), '31');
    now += 31_000;
    await client.messages.create(userMessage('Respond with exactly: OK'));
  });
});

test('OTPM max-tokens-estimate mode reserves max_tokens while a request is in flight', async () => {
  const run = async (otpmMode: 'generated' | 'max-tokens-estimate') => {
    let limited = 0;
    await withSim({ limits: { otpm: 1000 }, otpmMode, latency: 'fast' }, async (_sim, client) => {
      const results = await Promise.all(
        [1, 2].map(() => settle(client.messages.create(userMessage('Respond with exactly: OK', 600)))),
      );
      limited = results.filter((r) => r instanceof RateLimitError).length;
      // Afterwards the unused reservation is given back.
      await client.messages.create(userMessage('Respond with exactly: OK', 600));
    });
    return limited;
  };
  assert.equal(await run('generated'), 0);
  assert.equal(await run('max-tokens-estimate'), 1);
});

test('count_tokens has its own requests limit headers', async () => {
  await withSim({ tier: 'start' }, async (_sim, client) => {
    const { response } = await client.messages
      .countTokens({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    assert.equal(response.headers.get('anthropic-ratelimit-requests-limit'), '5000');
    assert.equal(response.headers.get('anthropic-ratelimit-requests-remaining'), '4999');
  });
});

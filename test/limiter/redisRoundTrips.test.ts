// Round trips of the Redis limiter: a settle rides on the next acquire's script call (one round trip
// per acquire+settle), its true-up is applied before that acquire reserves, and a settle with no
// acquire behind it still reaches Redis on its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLimiter } from '../../src/core/limiter/index';
import { startRedisServer } from '../../src/core/scale/redisServer';
import type { RedisServerHandle } from '../../src/core/scale/redisServer';

let redis: RedisServerHandle;
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await redis?.stop();
});

test('acquire + settle in a loop costs one round trip each; the folded debt makes the next acquire wait', async () => {
  // OTPM 60,000/min = 1 token/ms, bucket of 1,000 (burst 1 s): a settle 2,000 tokens over the
  // reservation puts the bucket 1,000 tokens in debt, so the next acquire waits ~1 s.
  const limiter = await createLimiter({
    redis: redis.url,
    namespace: 'trips',
    limits: { rpm: 1e9, itpm: 1e12, otpm: 60_000 },
  });
  for (let i = 0; i < 50; i++) {
    const lease = await limiter.acquire({ model: 'm', inputTokens: 10, outputTokens: 1 });
    void lease.settle({ input_tokens: 10, output_tokens: 2 });
  }
  const s = limiter.stats();
  assert.ok(s.roundTrips <= s.acquires + 1, `${s.roundTrips} round trips for ${s.acquires} acquire+settle`);

  const first = await limiter.acquire({ model: 'm', inputTokens: 10, outputTokens: 1 });
  assert.equal(first.waitedMs < 100, true, 'the bucket had room');
  const settled = first.settle({ input_tokens: 10, output_tokens: 2_500 });
  const next = await limiter.acquire({ model: 'm', inputTokens: 10, outputTokens: 1 });
  await settled; // resolved by the acquire that carried it
  assert.ok(next.waitedMs > 800, `the debt carried by the acquire made it wait (${next.waitedMs} ms)`);
  await limiter.close();
});

test('a settle with no acquire after it reaches Redis by itself (another instance sees the debt)', async () => {
  const opts = { redis: redis.url, namespace: 'lone', limits: { rpm: 1e9, itpm: 1e12, otpm: 60_000 } };
  const a = await createLimiter(opts);
  const b = await createLimiter(opts);
  const lease = await a.acquire({ model: 'm', inputTokens: 10, outputTokens: 1 });
  const before = a.stats().roundTrips;
  await lease.settle({ input_tokens: 10, output_tokens: 2_500 });
  assert.equal(a.stats().roundTrips, before + 1, 'the lone settle took its own round trip');
  const other = await b.acquire({ model: 'm', inputTokens: 10, outputTokens: 1 });
  assert.ok(other.waitedMs > 800, `instance b waited ${other.waitedMs} ms for a's debt`);
  // release() gives back the reservation the same way.
  const r = await b.acquire({ model: 'm', inputTokens: 10, outputTokens: 1 });
  r.release();
  await Promise.all([a.close(), b.close()]);
});

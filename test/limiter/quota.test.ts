// quotaMs: an instance reserves its next quotaMs of requests ahead and admits from it without a round
// trip. Against a real redis-server: most acquires make no round trip, two instances together stay
// within burst + rate x W for every window (the burst shrinks by quotaMs to pay for it), unspent quota
// goes back, a pause drops it, and a bad quotaMs names the field.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { createLimiter as create, LimiterConfigError } from '../../src/core/limiter/index';
import type { Limiter, LimiterOptions } from '../../src/core/limiter/index';
import { sleep } from '../../src/core/limiter/sleep';
import { startRedisServer } from '../../src/core/scale/redisServer';
import type { RedisServerHandle } from '../../src/core/scale/redisServer';

let redis: RedisServerHandle;
before(async () => {
  redis = await startRedisServer();
});
// Every limiter is closed before Redis stops, also after a failed assertion (an open client would
// keep reconnecting and hold the test process).
const opened: Limiter[] = [];
async function createLimiter(options: LimiterOptions): Promise<Limiter> {
  const limiter = await create(options);
  opened.push(limiter);
  return limiter;
}
after(async () => {
  await Promise.all(opened.map((l) => l.close()));
  await redis?.stop();
});

/** The largest count of times in any window of `windowMs` (times sorted). */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while (times[to]! - times[from]! > windowMs) from++;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

test('paced acquires are admitted from the quota: a fraction of the round trips, no wait', async () => {
  const limiter = await createLimiter({
    redis: redis.url,
    namespace: 'quota-pace',
    limits: { rpm: 60_000, itpm: 1e9, otpm: 1e9 },
    quotaMs: 100,
  });
  const waits: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    const lease = await limiter.acquire({ model: 'm', inputTokens: 100, outputTokens: 20 });
    waits.push(performance.now() - t);
    void lease.settle({ input_tokens: 100, output_tokens: 20 });
    await sleep(5);
  }
  const s = limiter.stats();
  assert.ok(s.quotaHits >= 45, `${s.quotaHits} of 60 acquires from the quota`);
  assert.ok(s.roundTrips <= 30, `${s.roundTrips} round trips for 60 acquire+settle`);
  waits.sort((a, b) => a - b);
  assert.ok(waits[Math.floor(waits.length / 2)]! < 1, `median acquire ${waits[30]!.toFixed(3)} ms`);
  await limiter.close();
});

test('two instances with quota stay within burst + rate x W for every window', async () => {
  // 6,000 RPM = 100 requests/s, burst 1 s = 100 requests; quotaMs 200 keeps 20 of them free.
  const opts = {
    redis: redis.url,
    namespace: 'quota-proof',
    limits: { rpm: 6000, itpm: 1e12, otpm: 1e12 },
    burstSeconds: 1,
    quotaMs: 200,
  };
  const instances = await Promise.all([createLimiter(opts), createLimiter(opts)]);
  const sent: number[] = [];
  const until = performance.now() + 1500;
  // Closed loops of 4 per instance, each request "sent" when its lease arrives: 2x..10x the limit.
  await Promise.all(
    instances.flatMap((lim) =>
      Array.from({ length: 4 }, async () => {
        while (performance.now() < until) {
          await lim.acquire({ model: 'm' });
          sent.push(performance.now());
        }
      }),
    ),
  );
  sent.sort((a, b) => a - b);
  for (const w of [50, 200, 500, 1000]) {
    const most = maxInWindow(sent, w);
    // +1 for the window's closed ends; +2 ms of timer slack on the rate side.
    assert.ok(most <= 100 + (100 * (w + 2)) / 1000 + 1, `${most} sent within ${w} ms`);
  }
  const stats = instances.map((l) => l.stats());
  assert.ok(
    stats.every((s) => s.quotaHits > 0),
    `quota hits ${stats.map((s) => s.quotaHits).join(', ')}`,
  );
  // Held at the limit for 1.5 s: ~80 + 150 requests (burst less the quota's share, then the rate).
  assert.ok(sent.length >= 200, `${sent.length} sent in 1.5 s`);
  await Promise.all(instances.map((l) => l.close()));
});

test('the bucket keeps quotaMs of its burst free: 100 acquires at once on a full bucket', async () => {
  // 6,000 RPM = 100/s, burst 1 s. Quota reserved at one instant may be spent up to quotaMs later, so
  // with quotaMs 200 the bucket holds 0.8 s (80) for what goes at once, and of that the instance
  // reserves up to a quarter (20) as quota for its next acquires: 60 go at once, the rest follow at
  // the rate (one per 10 ms). Without the 200 ms kept free it would be 100 less 25: 75.
  const limiter = await createLimiter({
    redis: redis.url,
    namespace: 'quota-burst',
    limits: { rpm: 6000, itpm: 1e12, otpm: 1e12 },
    burstSeconds: 1,
    quotaMs: 200,
  });
  await Promise.all(Array.from({ length: 100 }, () => limiter.acquire({ model: 'm' })));
  // Counted by the limiter (Redis said wait, on its own clock), not by when the promises resolved.
  const waited = limiter.stats().waited;
  assert.ok(waited >= 34 && waited <= 45, `${100 - waited} of 100 admitted at once (60 expected)`);
  await limiter.close();
});

test('unspent quota goes back after quotaMs, and at close', async () => {
  // 600 RPM = 10/s, burst 10 s = 100 requests; quotaMs 200 keeps 2 of them free: 98 to share.
  const opts = {
    redis: redis.url,
    limits: { rpm: 600, itpm: 1e12, otpm: 1e12 },
    burstSeconds: 10,
    quotaMs: 200,
  };
  /** a paces at ~1 ms, so its quota grows toward a quarter of the bucket; its requests are released. */
  const holdQuota = async (namespace: string) => {
    const a = await createLimiter({ ...opts, namespace });
    for (let i = 0; i < 20; i++) (await a.acquire({ model: 'm' })).release();
    assert.ok(a.stats().quotaHits > 0, 'a holds quota');
    return a;
  };
  /**
   * b asks for 90 of the 98 at once: which of its acquires waited. a's quota has grown to the cap, a
   * quarter of the bucket (24): had it not gone back, b could take only 74 without waiting. (Not all 98:
   * b's own quota may expire unspent on a busy machine and go back a little later.)
   */
  const takeAll = async (namespace: string) => {
    const b = await createLimiter({ ...opts, namespace });
    const waited: string[] = [];
    for (let i = 0; i < 90; i++) {
      const lease = await b.acquire({ model: 'm' });
      if (lease.waitedMs > 50) waited.push(`#${i}: ${lease.waitedMs.toFixed(0)} ms`);
    }
    await b.close();
    return waited;
  };
  const open = await holdQuota('quota-expiry');
  await sleep(500); // well past quotaMs (timers run late on a busy machine): a's quota went back, a is still open
  assert.deepEqual(await takeAll('quota-expiry'), [], 'after quotaMs, b got the whole bucket at once');
  await open.close();
  const closing = await holdQuota('quota-close');
  await closing.close(); // gives back what it reserved and did not spend, at once
  assert.deepEqual(await takeAll('quota-close'), [], 'after close, b got the whole bucket at once');
});

test('a pause drops the quota: nothing is admitted until the pause ends', async () => {
  const limiter = await createLimiter({
    redis: redis.url,
    namespace: 'quota-pause',
    limits: { rpm: 60_000, itpm: 1e9, otpm: 1e9 },
    quotaMs: 100,
  });
  for (let i = 0; i < 10; i++) await limiter.acquire({ model: 'm' });
  const paused = performance.now();
  await limiter.pause(0.3, 'm');
  await limiter.acquire({ model: 'm' });
  const after = performance.now() - paused;
  // 2 ms for the clocks of Redis and this process (the pause runs on Redis TIME).
  assert.ok(after >= 298, `admitted ${after.toFixed(0)} ms after a 300 ms pause began`);
  await limiter.close();
});

test('quotaMs is validated and names the field', async () => {
  for (const [quotaMs, message] of [
    [-1, /quotaMs: expected a number >= 0/],
    [Number.NaN, /quotaMs: expected a number >= 0/],
    [600, /quotaMs: at most half the burst window .* = 500 ms/],
  ] as const) {
    await assert.rejects(
      createLimiter({ redis: redis.url, namespace: 'q', limits: { rpm: 60, itpm: 1, otpm: 1 }, quotaMs }),
      (e: Error) => e instanceof LimiterConfigError && e.field === 'quotaMs' && message.test(e.message),
    );
  }
  // Without Redis the limiter admits in-process anyway: quotaMs is accepted and has no effect.
  const local = await createLimiter({
    namespace: 'q',
    limits: { rpm: 60, itpm: 1e9, otpm: 1e9 },
    quotaMs: 100,
  });
  await local.acquire({ model: 'm' });
  assert.equal(local.stats().quotaHits, 0);
  await local.close();
});

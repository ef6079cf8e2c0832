// Redis killed mid-run and restarted: each onRedisDown policy behaves as documented, nothing
// crashes, and the limiter uses Redis again once it is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLimiter, LimiterUnavailableError } from '../../src/core/limiter/index';
import { startRedisServer } from '../../src/core/scale/redisServer';
import type { RedisServerHandle } from '../../src/core/scale/redisServer';

const LIMITS = { rpm: 60_000, itpm: 1e9, otpm: 1e9 };
let redis: RedisServerHandle;
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await redis?.stop();
});

test('fail, local and wait while Redis is down; all recover when it returns', async () => {
  const make = (onRedisDown: 'wait' | 'local' | 'fail') =>
    createLimiter({
      redis: redis.url,
      namespace: `outage-${onRedisDown}`,
      limits: LIMITS,
      onRedisDown,
      commandTimeoutMs: 300,
    });
  const [fail, local, wait] = await Promise.all([make('fail'), make('local'), make('wait')]);
  for (const l of [fail, local, wait]) assert.equal((await l.acquire({ model: 'm' })).source, 'redis');

  await redis.kill();
  // fail: rejects at once with a clear error.
  await assert.rejects(fail.acquire({ model: 'm' }), LimiterUnavailableError);
  // local: served by the in-process fallback.
  const l2 = await local.acquire({ model: 'm' });
  assert.equal(l2.source, 'local');
  await l2.settle({ input_tokens: 1, output_tokens: 1 });
  l2.release();
  // wait: still waiting while Redis is down; abortable.
  const aborted = new AbortController();
  const waiting = wait.acquire({ model: 'm', signal: aborted.signal });
  const pending = wait.acquire({ model: 'm' });
  let settledEarly = false;
  void pending.then(() => (settledEarly = true));
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(settledEarly, false, "'wait' must not admit while Redis is down");
  aborted.abort();
  await assert.rejects(waiting);

  await redis.restart();
  // Everyone recovers (ioredis reconnects in the background).
  const lease = await pending;
  assert.equal(lease.source, 'redis');
  assert.ok(lease.waitedMs >= 300, `waited ${lease.waitedMs} ms through the outage`);
  for (const l of [fail, local]) {
    let source: string | undefined;
    const end = Date.now() + 8000;
    while (source !== 'redis' && Date.now() < end) {
      source = await l.acquire({ model: 'm' }).then(
        (x) => x.source,
        () => undefined,
      );
      if (source !== 'redis') await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(source, 'redis', 'back on Redis after the restart');
  }
  for (const l of [fail, local, wait]) await l.close();
});

// `claude-load scale` core: real instance processes per mode against the simulator at 2x the RPM
// limit. `none` (SDK retries) collects 429s; `shared` stays under the limit and keeps the org busy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { scaleCommand } from '../../src/cli/commands/scale';
import { instanceShares, RedisServerMissingError, startRedisServer } from '../../src/core/scale/index';
import type { ScaleResult } from '../../src/core/scale/index';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

test('instance shares: even without skew, 0.5x..1.5x of the mean at skew 0.5', () => {
  assert.deepEqual(instanceShares(4, 0), [0.25, 0.25, 0.25, 0.25]);
  const s = instanceShares(3, 0.5);
  assert.ok(Math.abs(s[0]! - 0.5 / 3) < 1e-12 && Math.abs(s[2]! - 1.5 / 3) < 1e-12);
});

test('without redis-server on PATH: a clear error naming how to install it', async () => {
  await assert.rejects(startRedisServer('/nonexistent/redis-server'), (e: unknown) => {
    assert.ok(e instanceof RedisServerMissingError);
    assert.match((e as Error).message, /apt-get install redis-server/);
    return true;
  });
});

test('scale at offered 2x: none and fixed-window get 429s, shared and queue get none and stay near the limit', async () => {
  const out = sink();
  const err = sink();
  const code = await scaleCommand(
    {
      instances: 3,
      offered: 2,
      durationMs: 3000,
      modes: ['none', 'fixed-window', 'shared', 'queue'],
      skew: 0.5,
      limits: { rpm: 600, itpm: 10_000_000, otpm: 10_000_000 },
      burstSeconds: 1,
      model: 'claude-haiku-4-5',
      maxTokens: 50,
      json: true,
    },
    { stdout: out.stream, stderr: err.stream, env: {}, signals: new EventEmitter(), exitNow: () => {} },
  );
  assert.equal(code, 0, err.text());
  const r = JSON.parse(out.text()) as ScaleResult;
  const [none, fixed, shared, queue] = r.modes;
  assert.deepEqual(
    r.modes.map((m) => m.mode),
    ['none', 'fixed-window', 'shared', 'queue'],
  );
  assert.ok(none!.rateLimited > 0, 'uncoordinated instances overrun the org limit');
  assert.ok(none!.retries > 0);
  assert.ok(fixed!.rateLimited > 0, 'a fixed window lets a whole minute through at once');
  assert.ok(queue!.rateLimitedRate < 0.005, `queue: ${queue!.rateLimited} 429s`);
  assert.equal(queue!.ok, queue!.sent);
  // The bar: under 0.5 % (a late timer on a loaded machine can bunch two sends).
  assert.ok(shared!.rateLimitedRate < 0.005, `shared: ${shared!.rateLimited} 429s of ${shared!.sent}`);
  assert.equal(shared!.ok, shared!.sent);
  // A full bucket at the start (1 s of the limit) adds up to 1/span to a few-second run.
  assert.ok(shared!.utilization >= 0.8 && shared!.utilization <= 1.25, `utilisation ${shared!.utilization}`);
  assert.ok(shared!.roundTripsPerRequest <= 2.01, 'one round trip per acquire and one per settle');
  assert.ok(shared!.waitMs.p99 > 0, 'the wait at 2x is inside the latency');
});

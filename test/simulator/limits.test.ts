// How the simulator enforces limits beyond a minute-sized bucket: short-interval enforcement
// (burstSeconds) and the acceleration limit, with the exact arithmetic on an injected clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { parseScenario, RAMP, startLoadTest, startSimulator } from '../../src/core/index';
import { userMessage, withSim } from './simHelpers';

const { RateLimitError, RampLimitExceededError } = Anthropic;

async function settle<T>(p: Promise<T>): Promise<T | Error> {
  return p.catch((e: Error) => e);
}

test('burstSeconds 1: 60 RPM acts as 1 request per second, refilled continuously', async () => {
  let now = 0;
  await withSim({ limits: { rpm: 60 }, burstSeconds: 1, clock: () => now }, async (_sim, client) => {
    const first = await client.messages.create(userMessage('x', 5)).withResponse();
    // The limit header still says per minute; the bucket holds 60 x 1/60 = 1 request.
    assert.equal(first.response.headers.get('anthropic-ratelimit-requests-limit'), '60');
    assert.equal(first.response.headers.get('anthropic-ratelimit-requests-remaining'), '0');
    const e = await settle(client.messages.create(userMessage('x', 5)));
    assert.ok(e instanceof RateLimitError);
    // 1 request at 60/min = 1,000 ms.
    assert.equal(e.headers.get('retry-after'), '1');
    now += 999;
    assert.ok((await settle(client.messages.create(userMessage('x', 5)))) instanceof RateLimitError);
    now += 1;
    await client.messages.create(userMessage('x', 5));
    // A long pause does not store more than the bucket holds: still one at a time.
    now += 60_000;
    await client.messages.create(userMessage('x', 5));
    assert.ok((await settle(client.messages.create(userMessage('x', 5)))) instanceof RateLimitError);
  });
});

test('burstSeconds 6 at 50 RPM: 5 requests at once, then one per 1.2 s', async () => {
  let now = 0;
  await withSim({ tier: 'tier1', burstSeconds: 6, clock: () => now }, async (_sim, client) => {
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => settle(client.messages.create(userMessage('x', 5)))),
    );
    // capacity = 50 x 6 / 60 = 5
    assert.equal(burst.filter((r) => r instanceof RateLimitError).length, 3);
    now += 1199;
    assert.ok((await settle(client.messages.create(userMessage('x', 5)))) instanceof RateLimitError);
    now += 1;
    await client.messages.create(userMessage('x', 5));
  });
});

test('default burstSeconds keeps a full minute: 50 requests at once pass at 50 RPM', async () => {
  const now = 0;
  await withSim({ tier: 'tier1', clock: () => now }, async (_sim, client) => {
    const burst = await Promise.all(
      Array.from({ length: 51 }, () => settle(client.messages.create(userMessage('x', 5)))),
    );
    assert.equal(burst.filter((r) => r instanceof RateLimitError).length, 1);
  });
});

test('burstSeconds is validated and read from a plan file', async () => {
  await assert.rejects(startSimulator({ burstSeconds: 0 }), /burstSeconds must be a positive number/);
  await assert.rejects(
    startSimulator({ accelerationLimit: 'yes' as unknown as boolean }),
    /accelerationLimit must be true or false/,
  );
  await assert.rejects(startSimulator({ batchLatencyMs: -1 }), /batchLatencyMs must be a positive number/);
  const s = parseScenario({
    target: { simulator: { tier: 'build', burstSeconds: 1, accelerationLimit: true } },
    requests: 1,
  });
  assert.equal(s.target.kind, 'simulator');
  if (s.target.kind === 'simulator') {
    assert.equal(s.target.burstSeconds, 1);
    assert.equal(s.target.accelerationLimit, true);
  }
  assert.throws(
    () => parseScenario({ target: { simulator: { burstSeconds: 0 } }, requests: 1 }),
    /burstSeconds/,
  );
  assert.throws(
    () => parseScenario({ target: { simulator: { accelerationLimit: 'yes' } }, requests: 1 }),
    /accelerationLimit/,
  );
});

test('acceleration limit: from idle, 20 % of RPM per minute, then at most double the minute before', async () => {
  assert.deepEqual(RAMP, { windowSec: 60, factor: 2, floorShare: 0.2 });
  let now = 0;
  const opts = { limits: { rpm: 100, itpm: 1e7, otpm: 1e7 }, accelerationLimit: true, clock: () => now };
  await withSim(opts, async (_sim, client) => {
    // Minute 0: floor = ceil(0.2 x 100) = 20 requests, though the bucket holds 100.
    for (let i = 0; i < 20; i++) await client.messages.create(userMessage('x', 5));
    const e = await settle(client.messages.create(userMessage('x', 5)));
    assert.ok(e instanceof RampLimitExceededError, String(e));
    assert.ok(e instanceof RateLimitError);
    assert.equal(e.status, 429);
    assert.equal(e.type, 'rate_limit_error');
    assert.equal(e.errorCode, 'ramp_limit_exceeded');
    assert.deepEqual(e.details, { error_code: 'ramp_limit_exceeded' });
    assert.equal(e.headers.get('x-should-retry'), 'true');
    assert.match(
      e.apiMessage ?? '',
      /20 requests in the last 60 s against 0 in the 60 s before; at most 20 = max\(20 \(20 % of 100 RPM\), 2 x 0\)/,
    );
    // The 20 requests of second 0 leave the window after 60 s: then allowed = max(20, 2 x 20) = 40.
    assert.equal(e.headers.get('retry-after'), '60');
    // The bucket had room: only the ramp refused (remaining 80 of 100).
    assert.equal(e.headers.get('anthropic-ratelimit-requests-remaining'), '80');

    now = 59_999;
    assert.ok((await settle(client.messages.create(userMessage('x', 5)))) instanceof RampLimitExceededError);
    now = 60_000;
    for (let i = 0; i < 40; i++) await client.messages.create(userMessage('x', 5));
    const e2 = await settle(client.messages.create(userMessage('x', 5)));
    assert.ok(e2 instanceof RampLimitExceededError);
    assert.match(
      e2.apiMessage ?? '',
      /40 requests in the last 60 s against 20 in the 60 s before; at most 40 = max\(20 \(20 % of 100 RPM\), 2 x 20\)/,
    );
    assert.equal(e2.headers.get('retry-after'), '60');
    // Minute 2: baseline 40 -> 80 allowed; the bucket (refilled to 100) is not the limit.
    now = 120_000;
    for (let i = 0; i < 80; i++) await client.messages.create(userMessage('x', 5));
    assert.ok((await settle(client.messages.create(userMessage('x', 5)))) instanceof RampLimitExceededError);
  });
});

test('acceleration limit: retry-after counts the seconds until old requests leave the window', async () => {
  let now = 0;
  const opts = { limits: { rpm: 100, itpm: 1e7, otpm: 1e7 }, accelerationLimit: true, clock: () => now };
  await withSim(opts, async (_sim, client) => {
    // 10 at second 0 and 10 at second 30.5: the window is full (20) at 30.5 s.
    for (let i = 0; i < 10; i++) await client.messages.create(userMessage('x', 5));
    now = 30_500;
    for (let i = 0; i < 10; i++) await client.messages.create(userMessage('x', 5));
    const e = await settle(client.messages.create(userMessage('x', 5)));
    assert.ok(e instanceof RampLimitExceededError);
    // At second 60 the first 10 leave: recent 10, baseline 10, allowed max(20, 2 x 10) = 20;
    // 60 s - 30.5 s = 29.5 s, in whole seconds 30.
    assert.equal(e.headers.get('retry-after'), '30');
    now = 59_999;
    assert.ok((await settle(client.messages.create(userMessage('x', 5)))) instanceof RampLimitExceededError);
    now = 60_000;
    await client.messages.create(userMessage('x', 5));
  });
});

test('the acceleration limit is off by default', async () => {
  const now = 0;
  await withSim({ limits: { rpm: 100, itpm: 1e7, otpm: 1e7 }, clock: () => now }, async (_sim, client) => {
    for (let i = 0; i < 100; i++) await client.messages.create(userMessage('x', 5));
    const e = await settle(client.messages.create(userMessage('x', 5)));
    assert.ok(e instanceof RateLimitError);
    assert.ok(!(e instanceof RampLimitExceededError));
  });
});

test("a plan file's burstSeconds reaches the simulator a load test starts", async () => {
  const scenario = parseScenario({
    target: {
      simulator: {
        tier: 'build',
        latency: 'zero',
        burstSeconds: 1,
        limits: { rpm: 60 },
      },
    },
    load: { type: 'concurrency', concurrency: 5 },
    requests: 5,
    stream: false,
    maxTokens: 5,
  });
  const result = await startLoadTest(scenario).done;
  // The bucket holds one request: at most one more refills during the run.
  assert.ok(result.summary.requests.rateLimited >= 3, JSON.stringify(result.summary.requests));
});

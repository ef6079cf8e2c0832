// Server capacity: requests beyond --capacity queue (latency grows), beyond the queue get 529; close()
// ends open streams; stats count what happened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startSimulator } from '../../src/core/index';
import { sdk, sleep, userMessage, withSim } from './simHelpers';

const { OverloadedError } = Anthropic;

test('beyond capacity and queue: 529 OverloadedError', async () => {
  // A stream holds the only slot while the others arrive (no race with a short service time), and
  // a frozen clock keeps the request bucket from refilling (exact remaining count). Time scale 4:
  // the last request's realistic reply takes ~0.2 s instead of ~0.9 s; the held stream still lasts seconds.
  const options = {
    capacity: 1,
    queueLimit: 0,
    latency: 'realistic' as const,
    timeScale: 4,
    limits: { rpm: 60 },
    clock: () => 0,
  };
  await withSim(options, async (sim, client) => {
    const controller = new AbortController();
    const held = await client.messages.create(
      { ...userMessage('long', 500), stream: true },
      { signal: controller.signal },
    );
    assert.equal(sim.stats().inFlight, 1);
    const results = await Promise.all(
      [1, 2].map(() =>
        client.messages.create(userMessage('Respond with exactly: OK')).catch((e: Error) => e),
      ),
    );
    const overloaded = results.filter((r) => r instanceof OverloadedError);
    assert.equal(overloaded.length, 2);
    assert.equal(
      (overloaded[0] as InstanceType<typeof OverloadedError>).headers.get('x-should-retry'),
      'true',
    );
    controller.abort();
    void held;
    for (let i = 0; i < 400 && sim.stats().inFlight > 0; i++) await sleep(5);
    // A refused request gives its rate-limit debit back: 60 - the stream - this one.
    const ok = await client.messages.create(userMessage('Respond with exactly: OK')).withResponse();
    assert.equal(ok.response.headers.get('anthropic-ratelimit-requests-remaining'), '58');
    const s = sim.stats();
    assert.equal(s.overloaded, 2);
    assert.equal(s.ok, 1);
    assert.equal(s.byStatus['529'], 2);
  });
});

test('queued requests wait: latency grows with the queue', async () => {
  // Sonnet at 4x: ~200 ms of service each (TTFT +-20 %), one at a time.
  await withSim({ capacity: 1, queueLimit: 10, latency: 'realistic', timeScale: 4 }, async (sim, client) => {
    const t0 = performance.now();
    const done: number[] = [];
    const all = Promise.all(
      [1, 2, 3].map(async () => {
        await client.messages.create(userMessage('Respond with exactly: OK'));
        done.push(performance.now() - t0);
      }),
    );
    for (let i = 0; i < 100 && sim.stats().requests < 3; i++) await sleep(2);
    const mid = sim.stats();
    assert.equal(mid.inFlight, 1);
    assert.equal(mid.queued, 2);
    await all;
    assert.equal(sim.stats().peakInFlight, 1);
    // Each waits for the ones before it: the last ends about two service times (~400 ms) after the
    // first; the bound is wide because this runs on real sockets on a shared machine.
    assert.ok(done[2]! - done[0]! > 120, `finish times ${done.map((d) => d.toFixed(0)).join(', ')}`);
  });
});

test('a client that leaves the queue frees its place; close() ends open streams and resolves', async () => {
  const sim = await startSimulator({ capacity: 1, queueLimit: 10, latency: 'realistic' });
  const client = sdk(sim);
  const controller = new AbortController();
  const first = client.messages.create({ ...userMessage('long', 500), stream: true });
  const second = client.messages
    .create(userMessage('queued'), { signal: controller.signal })
    .catch((e: Error) => e);
  for (let i = 0; i < 200 && sim.stats().queued < 1; i++) await sleep(5);
  assert.equal(sim.stats().queued, 1);
  controller.abort();
  await second;
  for (let i = 0; i < 200 && sim.stats().queued > 0; i++) await sleep(5);
  assert.equal(sim.stats().queued, 0);
  assert.equal(sim.stats().clientAborts, 1);
  const stream = await first;
  const reading = (async () => {
    for await (const _ of stream) void _;
  })().catch((e: Error) => e);
  await sim.close();
  assert.ok((await reading) instanceof Error, 'the open stream is cut by close()');
});

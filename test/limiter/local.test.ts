// The in-process limiter (same arithmetic as the Lua script) with an injected clock, accounting
// against the API's rules, limitedFetch against the real simulator over HTTP, and the gate adapter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import {
  createLimiter,
  jainIndex,
  limitedFetch,
  limiterGate,
  SseUsageParser,
} from '../../src/core/limiter/index';
import { startSimulator } from '../../src/core/simulator/index';
import { estimateRequestTokens } from '../../src/core/tokens/count';
import type { AdmissionContext } from '../../src/core/engine/index';

function clock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('continuous refill: capacity = burstSeconds x limit / 60, then one request per 1/rate', async () => {
  const c = clock();
  const lim = await createLimiter({
    namespace: 'a',
    limits: { rpm: 600, itpm: 0, otpm: 0 },
    burstSeconds: 1,
    now: c.now,
  });
  const scheduled: number[] = [];
  const leases = await Promise.all(
    Array.from({ length: 10 }, () => lim.acquire({ model: 'm' }).then((l) => scheduled.push(l.scheduledAt))),
  );
  assert.equal(leases.length, 10);
  assert.deepEqual(scheduled, Array(10).fill(1000), '10 = 1 s of 600 rpm at once');
  // The 11th is scheduled 100 ms later (600 rpm = 1 per 100 ms); abort it: the reservation is given back.
  const ac = new AbortController();
  const p = lim.acquire({ model: 'm', signal: ac.signal });
  ac.abort();
  await assert.rejects(p);
  c.advance(100);
  const l = await lim.acquire({ model: 'm' });
  assert.equal(l.scheduledAt, 1100);
});

test('ITPM counts input + cache creation, not cache reads; OTPM reserves then trues up (debt allowed)', async () => {
  const c = clock();
  // 6,000 itpm, burst 1 s -> capacity 100 input tokens; 6,000 otpm -> 100 output tokens.
  const lim = await createLimiter({
    namespace: 'b',
    limits: { rpm: 0, itpm: 6000, otpm: 6000 },
    burstSeconds: 1,
    now: c.now,
  });
  const a = await lim.acquire({ model: 'claude-sonnet-5-5', inputTokens: 100, outputTokens: 10 });
  // Served from cache: 10 uncached + 0 creation + 90 cache reads -> 90 input tokens come back.
  await a.settle({
    input_tokens: 10,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 90,
    output_tokens: 60,
  });
  const b = await lim.acquire({ model: 'claude-sonnet-5-5', inputTokens: 90, outputTokens: 40 });
  assert.equal(
    b.scheduledAt,
    1000,
    '90 input tokens were given back, and 10 + 60 + 40 <= ... output at once',
  );
  // Output: 60 (actual) + 40 reserved = 100 = capacity; the next output token waits 10 ms (6,000/min = 0.1/ms).
  const d = await lim.acquire({ model: 'claude-sonnet-5-5', inputTokens: 0, outputTokens: 1 });
  assert.ok(Math.abs(d.scheduledAt - 1010) < 1e-6, `scheduled at ${d.scheduledAt}`);
});

test('pause() holds every acquire of the bucket for retry-after', async () => {
  const c = clock();
  const lim = await createLimiter({ namespace: 'c', limits: { rpm: 6000, itpm: 0, otpm: 0 }, now: c.now });
  await lim.pause(0.2, 'claude-sonnet-5-5');
  const l = lim.acquire({ model: 'claude-sonnet-5-5' });
  c.advance(200);
  assert.equal((await l).scheduledAt, 1200);
});

test('limits from the catalog: a tier and a model resolve to the bucket limits', async () => {
  const lim = await createLimiter({ namespace: 'd', limits: { tier: 'build', model: 'claude-sonnet-5' } });
  const r = lim.limitsFor();
  assert.equal(r.bucket, 'sonnet-5');
  assert.deepEqual(r.limits, { rpm: 5000, itpm: 5_000_000, otpm: 1_000_000 });
  await assert.rejects(createLimiter({ namespace: '', limits: { rpm: 1, itpm: 1, otpm: 1 } }), /namespace/);
  await assert.rejects(
    createLimiter({ namespace: 'x', limits: { rpm: -1, itpm: 1, otpm: 1 } }),
    /limits\.rpm/,
  );
});

test('SSE usage parser reads message_start and the cumulative message_delta', () => {
  const p = new SseUsageParser();
  const ev = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  const text =
    ev('message_start', {
      type: 'message_start',
      message: { usage: { input_tokens: 12, cache_read_input_tokens: 5, output_tokens: 1 } },
    }) +
    ev('content_block_delta', {
      type: 'content_block_delta',
      delta: { type: 'text_delta', text: 'message_delta' },
    }) +
    ev('message_delta', { type: 'message_delta', usage: { output_tokens: 42 } });
  for (let i = 0; i < text.length; i += 7) p.push(text.slice(i, i + 7));
  assert.deepEqual(p.usage, { input_tokens: 12, cache_read_input_tokens: 5, output_tokens: 42 });
});

test('jainIndex', () => {
  assert.equal(jainIndex([5, 5, 5, 5]), 1);
  assert.equal(jainIndex([1, 0, 0, 0]), 0.25);
});

test('limitedFetch with the SDK against the simulator: estimates like the simulator bills, settles from JSON and streams', async () => {
  const sim = await startSimulator({ latency: 'zero', limits: { rpm: 100_000, itpm: 1e9, otpm: 1e9 } });
  try {
    const lim = await createLimiter({ namespace: 'e', limits: { rpm: 100_000, itpm: 1e9, otpm: 1e9 } });
    const leases: { input: number; output: number }[] = [];
    const fetch = limitedFetch(lim, {
      adaptive: true,
      onLease: (l) => leases.push({ input: l.inputTokens, output: l.outputTokens }),
    });
    const client = new Anthropic({ apiKey: 'test', baseURL: sim.url, maxRetries: 0, fetch });
    const body = {
      model: 'claude-sonnet-5-5',
      max_tokens: 400,
      system: 'be brief',
      tools: [
        {
          name: 'lookup',
          description: 'find',
          input_schema: { type: 'object' as const, properties: { q: { type: 'string' } } },
        },
      ],
      messages: [{ role: 'user' as const, content: 'hello there, how are you today?' }],
    };
    const msg = await client.messages.create(body);
    assert.equal(leases[0]!.input, estimateRequestTokens(body, 'new'));
    assert.equal(leases[0]!.input, msg.usage.input_tokens, 'the estimate is what the simulator bills');
    assert.equal(leases[0]!.output, 400, 'reserves max_tokens before any reply was seen');
    const stream = client.messages.stream({ ...body, tools: undefined });
    const final = await stream.finalMessage();
    assert.ok(final.usage.output_tokens > 0);
    assert.equal(fetch.concurrency?.active, 0, 'slots are freed once the stream ends');
    assert.equal(leases[1]!.output, msg.usage.output_tokens, 'later reservations use the observed mean');
    await lim.close();
  } finally {
    await sim.close();
  }
});

test('limitedFetch: a 429 pauses the bucket for retry-after and gives the reservation back', async () => {
  const c = clock();
  const lim = await createLimiter({ namespace: 'f', limits: { rpm: 600, itpm: 0, otpm: 0 }, now: c.now });
  const fake = async () =>
    new Response('{"type":"error","error":{"type":"rate_limit_error","message":"x"}}', {
      status: 429,
      headers: { 'retry-after': '0.3', 'content-type': 'application/json' },
    });
  const f = limitedFetch(lim, { fetch: fake as typeof fetch });
  const res = await f('http://127.0.0.1:1/v1/messages', {
    method: 'POST',
    body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [] }),
  });
  assert.equal(res.status, 429);
  await new Promise((r) => setImmediate(r));
  const next = lim.acquire({ model: 'm' });
  c.advance(300);
  assert.equal((await next).scheduledAt, 1300);
  assert.equal(lim.stats().pauses, 1);
});

test('engine gate adapter admits through the limiter and releases unserved requests', async () => {
  const c = clock();
  const lim = await createLimiter({ namespace: 'g', limits: { rpm: 60, itpm: 0, otpm: 0 }, now: c.now });
  const gate = limiterGate(lim);
  const req = {
    index: 0,
    model: 'm',
    inputTokens: 10,
    maxOutputTokens: 10,
    inputCostUsd: 0,
    outputTokenCostUsd: 0,
    intendedAt: 0,
  };
  const ctx: AdmissionContext = {
    now: () => 0,
    inFlight: 0,
    expectedOutputTokens: (r) => r.maxOutputTokens,
    signal: new AbortController().signal,
  };
  assert.deepEqual(await gate.admit(req, ctx), { kind: 'admit' });
  gate.release!(req);
  // The released request's slot is free again: the next one is admitted at once.
  assert.deepEqual(await gate.admit({ ...req, index: 1 }, ctx), { kind: 'admit' });
  gate.close!();
});

test('fixedWindow baseline: a whole window of requests at once, the rest wait for the next window (tokens ignored)', async () => {
  // timeScale 600: a "minute" window is 100 ms.
  const lim = await createLimiter({
    namespace: 'h',
    limits: { rpm: 5, itpm: 1, otpm: 1 },
    strategy: 'fixedWindow',
    timeScale: 600,
  });
  // Start just after a window edge (windows follow the wall clock), so the six land in one window.
  await new Promise((r) => setTimeout(r, 101 - (Date.now() % 100)));
  const t0 = Date.now();
  const leases = await Promise.all(
    Array.from({ length: 6 }, () => lim.acquire({ model: 'm', inputTokens: 1e6 })),
  );
  const waited = leases.map((l) => l.waitedMs).sort((a, b) => a - b);
  assert.ok(waited[4]! < 50, '5 requests (a whole minute) go at once, 1e6 input tokens notwithstanding');
  assert.ok(waited[5]! > 0, 'the 6th waits for the next window');
  assert.ok(Date.now() - t0 < 1000);
  assert.ok(lim.stats().waited >= 1);
});

test('package exports: ./limiter has ESM, CJS and types entries', async () => {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    exports: Record<string, Record<string, string>>;
  };
  const e = pkg.exports['./limiter']!;
  assert.deepEqual(Object.keys(e).sort(), ['import', 'require', 'types']);
  assert.match(e.types!, /limiterEntry\.d\.ts$/);
});

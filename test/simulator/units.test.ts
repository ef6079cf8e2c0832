// Unit tests of the simulator's building blocks: token rule, reply generator, PRNG, buckets, queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateRequestTokens, estimateTokens, TOKEN_FRAMING } from '../../src/core/index';
import { CapacityGate } from '../../src/core/simulator/capacity';
import { exactReply, generateReply } from '../../src/core/simulator/generator';
import { planTiming } from '../../src/core/simulator/latency';
import { createSimRandom } from '../../src/core/simulator/random';
import { Rng } from '../../src/core/util/random';
import { valueForSchema } from '../../src/core/simulator/schemaValue';
import { nestsDeeperThan } from '../../src/core/simulator/validation';
import { jsonLength } from '../../src/core/tokens/count';
import { LimitState, TokenBucket, admit } from '../../src/core/simulator/rateLimiter';
import { StatsRecorder } from '../../src/core/simulator/stats';

test('estimateTokens: ceil(chars/4) classic, ceil(chars*0.3) new, 0 for empty', () => {
  assert.equal(estimateTokens('', 'classic'), 0);
  assert.equal(estimateTokens('abcd', 'classic'), 1);
  assert.equal(estimateTokens('abcde', 'classic'), 2);
  assert.equal(estimateTokens('a'.repeat(10), 'new'), 3);
  assert.equal(estimateTokens('a'.repeat(11), 'new'), 4);
  assert.equal(estimateTokens('a'.repeat(4000), 'new'), 1200);
});

test('estimateRequestTokens: framing per request, message and system; images flat', () => {
  const body = {
    system: 'abcd',
    messages: [
      { role: 'user', content: 'abcdefgh' },
      { role: 'assistant', content: [{ type: 'text', text: 'abcd' }] },
      { role: 'user', content: [{ type: 'image', source: { type: 'base64', data: 'xx' } }] },
    ],
  };
  const f = TOKEN_FRAMING;
  assert.equal(
    estimateRequestTokens(body, 'classic'),
    f.request + (1 + f.system) + (2 + f.message) + (1 + f.message) + (f.imageOrFile + f.message),
  );
  // cache_control does not change the count.
  const cached = {
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'abcd', cache_control: { type: 'ephemeral' } }] },
    ],
  };
  const plain = { messages: [{ role: 'user', content: [{ type: 'text', text: 'abcd' }] }] };
  assert.equal(estimateRequestTokens(cached, 'new'), estimateRequestTokens(plain, 'new'));
});

test('exactReply and generateReply: forced text, drawn lengths capped by max_tokens', () => {
  const msg = (content: string) => ({ messages: [{ role: 'user', content }] });
  assert.equal(exactReply(msg('Respond with exactly: OK')), 'OK');
  assert.equal(exactReply(msg('please respond with exactly "hello world"\nthanks')), 'hello world');
  assert.equal(exactReply(msg('hello')), null);
  const rng = new Rng(1);
  const ok = generateReply(rng, msg('Respond with exactly: OK'), 100, null, 'classic', { mean: 150, sd: 0 });
  assert.deepEqual(ok.pieces, ['OK']);
  assert.equal(ok.stopReason, 'end_turn');
  const drawn = generateReply(rng, msg('hi'), 1000, null, 'classic', { mean: 150, sd: 0 });
  assert.equal(drawn.pieces.length, 150);
  assert.equal(drawn.stopReason, 'end_turn');
  const capped = generateReply(rng, msg('hi'), 20, null, 'classic', { mean: 150, sd: 0 });
  assert.equal(capped.pieces.length, 20);
  assert.equal(capped.stopReason, 'max_tokens');
  const long = generateReply(rng, msg('Respond with exactly: ' + 'word '.repeat(40)), 10, null, 'classic', {
    mean: 1,
    sd: 0,
  });
  assert.equal(long.pieces.length, 10);
  assert.equal(long.stopReason, 'max_tokens');
});

test('PRNG streams are deterministic per seed and independent of each other', () => {
  const a = createSimRandom(5);
  const b = createSimRandom(5);
  assert.equal(a.ids.base62(16), b.ids.base62(16));
  b.latency.next(); // drawing latency must not move the text stream
  assert.equal(a.text.next(), b.text.next());
  assert.notEqual(createSimRandom(6).ids.base62(16), createSimRandom(5).ids.base62(16));
  const r = new Rng(3);
  for (let i = 0; i < 1000; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
  }
});

test('token bucket: continuous refill, capped at capacity; admit reports the blocking limit', () => {
  const b = new TokenBucket(60, 60, 0);
  assert.equal(b.capacity, 60);
  b.take(60);
  b.refill(500);
  assert.equal(b.level, 0.5);
  assert.equal(b.msUntil(1), 500);
  b.refill(10 * 60_000);
  assert.equal(b.level, 60);

  const s = new LimitState({ rpm: 2, itpm: 100, otpm: 50 }, 60, 0);
  assert.equal(admit(s, 10, 10, 'generated', 0), null);
  assert.equal(admit(s, 10, 10, 'generated', 0), null);
  const r = admit(s, 10, 10, 'generated', 0);
  assert.equal(r?.kind, 'requests');
  assert.equal(r?.waitMs, 30_000);
  const big = admit(new LimitState({ rpm: 2, itpm: 100, otpm: 50 }, 60, 0), 500, 10, 'generated', 0);
  assert.equal(big?.kind, 'input');
  assert.equal(big?.exceedsCapacity, true);
  const out = new LimitState({ rpm: 10, itpm: 100, otpm: 50 }, 60, 0);
  out.output.take(80);
  assert.equal(admit(out, 1, 10, 'generated', 0)?.kind, 'output');
  // Estimate mode needs room for max_tokens (at most the bucket size).
  const est = new LimitState({ rpm: 10, itpm: 100, otpm: 50 }, 60, 0);
  assert.equal(admit(est, 1, 500, 'max-tokens-estimate', 0), null);
  assert.equal(est.output.level, 0);
  // burstSeconds shrinks the bucket: 60 RPM enforced as 1 request per second.
  const strict = new LimitState({ rpm: 60, itpm: 1e6, otpm: 1e6 }, 1, 0);
  assert.equal(admit(strict, 1, 1, 'generated', 0), null);
  assert.equal(admit(strict, 1, 1, 'generated', 0)?.waitMs, 1000);
});

test('capacity gate: FIFO queue, cancel, 529 beyond the queue', () => {
  const started: number[] = [];
  const job = (n: number) => ({ start: () => started.push(n) });
  const gate = new CapacityGate(1, 2);
  const j1 = job(1);
  const j2 = job(2);
  const j3 = job(3);
  assert.equal(gate.acquire(j1), 'now');
  assert.equal(gate.acquire(j2), 'queued');
  assert.equal(gate.acquire(j3), 'queued');
  assert.equal(gate.acquire(job(4)), 'full');
  gate.cancel(j2);
  assert.equal(gate.queued, 1);
  gate.release();
  assert.deepEqual(started, [3]);
  assert.equal(gate.inService, 1);
  gate.release();
  assert.equal(gate.inService, 0);
});

test('latency presets: TTFT grows with input, fast is 20x faster, zero is zero, time scale divides', () => {
  const speed = { ttftMs: 800, ttftMsPer1kInput: 15, outputTokensPerSec: 70, estimate: true as const };
  const med = (f: () => number) => {
    const xs = Array.from({ length: 201 }, f).sort((a, b) => a - b);
    return xs[100]!;
  };
  const rng = new Rng(9);
  const small = med(() => planTiming('realistic', speed, 100, 0, rng, 1).ttftMs);
  const big = med(() => planTiming('realistic', speed, 100_000, 0, rng, 1).ttftMs);
  assert.ok(Math.abs(small - 801.5) < 80, `small ${small}`);
  assert.ok(Math.abs(big - 2300) < 230, `big ${big}`);
  const fast = med(() => planTiming('fast', speed, 100, 0, rng, 1).ttftMs);
  assert.ok(Math.abs(fast - 40) < 5, `fast ${fast}`);
  const scaled = med(() => planTiming('realistic', speed, 100, 0, rng, 10).msPerToken);
  assert.ok(Math.abs(scaled - 1000 / 70 / 10) < 0.3, `scaled ${scaled}`);
  assert.deepEqual(planTiming('zero', speed, 1e6, 0, rng, 1), { headMs: 0, ttftMs: 0, msPerToken: 0 });
});

test('stats: totals by status and per-second rates over the last complete seconds', () => {
  let now = 0;
  const stats = new StatsRecorder(() => now);
  for (let i = 0; i < 10; i++) stats.arrived();
  for (let i = 0; i < 8; i++) {
    stats.status(200);
    stats.completed();
  }
  stats.status(429);
  stats.status(529);
  stats.output(500);
  now = 1500;
  for (let i = 0; i < 4; i++) stats.arrived();
  now = 2100;
  const s = stats.snapshot(3, 1, 7);
  assert.equal(s.requests, 14);
  assert.equal(s.ok, 8);
  assert.equal(s.rateLimited, 1);
  assert.equal(s.overloaded, 1);
  assert.deepEqual(s.byStatus, { '200': 8, '429': 1, '529': 1 });
  assert.equal(s.inFlight, 3);
  assert.equal(s.recent.windowSec, 2);
  assert.equal(s.recent.requestsPerSec, 7);
  assert.equal(s.recent.okPerSec, 4);
  assert.equal(s.recent.outputTokensPerSec, 250);
  now = 60_000; // a quiet minute later the rates are zero again
  assert.equal(stats.snapshot(0, 0, 7).recent.requestsPerSec, 0);
});

test('jsonLength equals JSON.stringify(...).length without recursion; nestsDeeperThan is iterative', () => {
  const values: unknown[] = [
    null,
    1.5,
    'a "quoted" \u00e9 \n',
    [],
    {},
    [1, [2, [3, {}]], { a: null, 'b"c': [true, false] }],
    { type: 'tool_use', input: { x: [1, 2, { y: 'z' }] }, cache_control: { type: 'ephemeral' } },
  ];
  for (const v of values) assert.equal(jsonLength(v), JSON.stringify(v).length, JSON.stringify(v));
  const withCc = { a: 1, cache_control: { type: 'ephemeral' } };
  assert.equal(jsonLength(withCc, 'cache_control'), JSON.stringify({ a: 1 }).length);
  let deep: unknown = [];
  for (let i = 0; i < 200_000; i++) deep = [deep];
  assert.equal(jsonLength(deep), 400_002);
  assert.equal(nestsDeeperThan(deep, 64), true);
  assert.equal(nestsDeeperThan({ a: [[{ b: 1 }]] }, 64), false);
});

test('valueForSchema: required, enums, bounds, nested objects and arrays, anyOf; hostile depth is bounded', () => {
  const rng = new Rng(4);
  const schema = {
    type: 'object',
    properties: {
      id: { type: 'integer', minimum: 10, maximum: 12 },
      kind: { enum: ['a', 'b'] },
      name: { type: 'string', minLength: 12, maxLength: 20 },
      at: { type: 'string', format: 'date-time' },
      items: {
        type: 'array',
        minItems: 2,
        maxItems: 2,
        items: {
          type: 'object',
          properties: { n: { type: 'number', minimum: 0, maximum: 1 } },
          required: ['n'],
        },
      },
      either: { anyOf: [{ type: 'boolean' }, { type: 'string' }] },
      fixed: { const: 42 },
    },
    required: ['id', 'kind', 'name', 'at', 'items', 'either', 'fixed'],
  };
  for (let i = 0; i < 20; i++) {
    const v = valueForSchema(schema, rng) as Record<string, unknown>;
    assert.ok(Number.isInteger(v.id) && (v.id as number) >= 10 && (v.id as number) <= 12);
    assert.ok(v.kind === 'a' || v.kind === 'b');
    assert.ok((v.name as string).length >= 12 && (v.name as string).length <= 20);
    assert.ok(!Number.isNaN(Date.parse(v.at as string)));
    const items = v.items as { n: number }[];
    assert.equal(items.length, 2);
    for (const it of items) assert.ok(it.n >= 0 && it.n <= 1);
    assert.equal(typeof v.either, 'boolean');
    assert.equal(v.fixed, 42);
  }
  // Self-similar nesting far deeper than any real schema ends at the depth bound.
  let s: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < 1000; i++) s = { type: 'object', properties: { x: s }, required: ['x'] };
  assert.doesNotThrow(() => valueForSchema(s, rng));
});

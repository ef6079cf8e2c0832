// The admission gates on their own: no server, no wall clock (a hand-moved clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdmissionPipeline,
  BudgetGate,
  InFlightCapGate,
  StopConditionsGate,
  type AdmissionGate,
  type AdmissionRequest,
} from '../../src/core/engine/admission/index';
import type { RequestSample } from '../../src/core/index';

let now = 0;
const clock = () => now;

function req(index: number, over: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return {
    index,
    model: 'claude-sonnet-5-5',
    inputTokens: 100,
    maxOutputTokens: 1000,
    inputCostUsd: 0.0002, // 100 tokens at $2/M
    outputTokenCostUsd: 0.00001, // $10/M
    intendedAt: now,
    ...over,
  };
}

function sample(index: number, outputTokens: number, costUsd: number): RequestSample {
  return {
    index,
    model: 'claude-sonnet-5-5',
    outcome: 'ok',
    intendedAt: 0,
    sentAt: 0,
    endAt: 1,
    inputTokens: 100,
    outputTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    attempts: 1,
    costUsd,
  };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

test('stop conditions: the request count, then the duration, on the injected clock', () => {
  now = 0;
  const g = new StopConditionsGate({ requests: 2, durationMs: 1000 }, clock);
  assert.equal(g.admit(req(0)).kind, 'admit');
  assert.equal(g.admit(req(1)).kind, 'admit');
  assert.deepEqual(g.admit(req(2)), { kind: 'stop', reason: 'requests' });
  g.release(); // request 1 was turned away by a later gate: its place comes back
  assert.equal(g.admit(req(3)).kind, 'admit');
  const d = new StopConditionsGate({ durationMs: 1000 }, clock);
  now = 999;
  assert.equal(d.admit(req(0)).kind, 'admit');
  now = 1000;
  assert.deepEqual(d.admit(req(1)), { kind: 'stop', reason: 'duration' });
});

test('in-flight cap: holds beyond the cap and hands freed slots to the oldest waiter first', async () => {
  const g = new InFlightCapGate(2);
  const p = new AdmissionPipeline([g], clock);
  now = 0;
  assert.deepEqual(p.admit(req(0)), { admitted: true, queueWaitMs: 0 });
  assert.deepEqual(p.admit(req(1)), { admitted: true, queueWaitMs: 0 });
  const order: number[] = [];
  const third = Promise.resolve(p.admit(req(2))).then((a) => (order.push(2), a));
  const fourth = Promise.resolve(p.admit(req(3))).then((a) => (order.push(3), a));
  await flush();
  assert.equal(g.queued, 2);
  assert.equal(g.inFlight, 2);
  now = 40;
  p.settled(req(0), sample(0, 1, 0));
  // A newcomer while #2 and #3 wait must not take the freed slot.
  const newcomer = p.admit(req(4));
  assert.ok(newcomer instanceof Promise);
  assert.deepEqual(await third, { admitted: true, queueWaitMs: 40 });
  now = 70;
  p.settled(req(1), sample(1, 1, 0));
  assert.deepEqual(await fourth, { admitted: true, queueWaitMs: 70 });
  assert.deepEqual(order, [2, 3]);
  assert.equal(g.inFlight, 2);
  p.stop('aborted');
  assert.deepEqual(await newcomer, { admitted: false, reason: 'aborted', gate: 'run' });
});

test('budget: reserves max_tokens until 3 requests finished, then the observed p99; holds while in flight', async () => {
  let spent = 0;
  const g = new BudgetGate(0.03, () => spent);
  // Worst case per request: $0.0002 input + 1000 x $0.00001 = $0.0102, so two fit in $0.03, a third holds.
  assert.equal(g.reservationUsd(req(0)), 0.0102);
  const p = new AdmissionPipeline([g], clock);
  assert.equal((p.admit(req(0)) as { admitted: boolean }).admitted, true);
  assert.equal((p.admit(req(1)) as { admitted: boolean }).admitted, true);
  const held = p.admit(req(2));
  assert.ok(held instanceof Promise, 'the third request waits for one in flight to settle');
  // Request 0 used 20 output tokens: $0.0004. Its reservation is replaced by its real cost.
  spent += 0.0004;
  p.settled(req(0), sample(0, 20, 0.0004));
  assert.equal((await held).admitted, true);
  assert.ok(Math.abs(g.inFlightReservedUsd - 2 * 0.0102) < 1e-12);
  for (const i of [1, 2]) {
    spent += 0.0004;
    p.settled(req(i), sample(i, 20, 0.0004));
  }
  // Three finished with 20 output tokens each: the reservation is now 0.0002 + 20 x 0.00001 = $0.0004.
  assert.equal(g.outputReservation(req(5)), 20);
  assert.ok(Math.abs(g.reservationUsd(req(5)) - 0.0004) < 1e-12);
  assert.deepEqual(g.describe(), {
    maxCostUsd: 0.03,
    outputReservationTokens: 20,
    basis: 'observed-p99',
    probes: 0,
  });
});

test('budget: stops only when the reservation cannot fit with nothing in flight, and says why', () => {
  let spent = 0.0298;
  const g = new BudgetGate(0.03, () => spent);
  for (let i = 0; i < 3; i++) g.onSettled(req(i), sample(i, 20, 0));
  const d = g.admit(req(9));
  assert.equal(d.kind, 'stop');
  assert.match(
    (d as { detail: string }).detail,
    /reserves \$0\.00040 .*20 output tokens.*\$0\.00020 of the \$0\.03 budget is left/,
  );
  spent = 0;
  assert.equal(g.admit(req(10)).kind, 'admit');
});

test('budget: before any output is seen, a request whose max_tokens does not fit goes out alone (small budgets still send)', async () => {
  let spent = 0;
  // $0.005 cannot hold one max_tokens reservation ($0.0102), but it affords many short replies.
  const g = new BudgetGate(0.005, () => spent);
  const p = new AdmissionPipeline([g], clock);
  assert.equal((p.admit(req(0)) as { admitted: boolean }).admitted, true);
  const second = p.admit(req(1));
  assert.ok(second instanceof Promise, 'a probe goes out alone');
  spent += 0.00021;
  p.settled(req(0), sample(0, 1, 0.00021));
  assert.equal((await second).admitted, true);
  assert.equal(g.describe().probes, 2);
});

test('pipeline: a later gate stopping releases what earlier gates reserved', () => {
  const released: number[] = [];
  const first: AdmissionGate = {
    name: 'first',
    admit: () => ({ kind: 'admit' }),
    release: (r) => released.push(r.index),
  };
  const stopper: AdmissionGate = {
    name: 'limiter',
    admit: () => ({ kind: 'stop', reason: 'failed', detail: 'redis down' }),
  };
  const p = new AdmissionPipeline([first, stopper], clock);
  assert.deepEqual(p.admit(req(7)), {
    admitted: false,
    reason: 'failed',
    gate: 'limiter',
    detail: 'redis down',
  });
  assert.deepEqual(released, [7]);
});

test('pipeline: an async gate (a limiter answering later) is awaited and its wait measured', async () => {
  now = 100;
  const limiter: AdmissionGate = {
    name: 'limiter',
    admit: () =>
      new Promise((resolve) =>
        setImmediate(() => {
          now = 130;
          resolve({ kind: 'admit' });
        }),
      ),
  };
  const p = new AdmissionPipeline([new InFlightCapGate(4), limiter], clock);
  assert.deepEqual(await p.admit(req(0)), { admitted: true, queueWaitMs: 30 });
});

test('pipeline: after a hold, a closed-loop run whose duration ended turns the request away', async () => {
  let over = false;
  let wake!: () => void;
  const gate: AdmissionGate = {
    name: 'budget',
    admit: () => (over ? { kind: 'admit' } : { kind: 'hold', until: new Promise<void>((r) => (wake = r)) }),
  };
  const p = new AdmissionPipeline([gate], clock, () => (over ? 'duration' : undefined));
  const a = p.admit(req(0));
  over = true;
  wake();
  assert.deepEqual(await a, { admitted: false, reason: 'duration', gate: 'run' });
});

test("a caller's gate (e.g. a shared limiter) gets the context: clock, in flight, expected output, stop signal", async () => {
  now = 1000;
  const seen: { inFlight: number; expected: number; at: number }[] = [];
  const released: number[] = [];
  const limiter: AdmissionGate = {
    name: 'shared limiter',
    admit(r, ctx) {
      seen.push({ inFlight: ctx.inFlight, expected: ctx.expectedOutputTokens(r), at: ctx.now() });
      return r.index === 9 ? { kind: 'stop', reason: 'failed', detail: 'limiter gone' } : { kind: 'admit' };
    },
    release: (r) => released.push(r.index),
  };
  const budgetLike: AdmissionGate = {
    name: 'first',
    admit: () => ({ kind: 'admit' }),
    release: (r) => released.push(-r.index),
  };
  const p = new AdmissionPipeline([budgetLike, limiter], clock);
  for (let i = 0; i < 4; i++) p.admit(req(i, { maxOutputTokens: 1000 }));
  assert.deepEqual(
    seen.map((s) => [s.inFlight, s.expected, s.at]),
    [
      [0, 1000, 1000],
      [1, 1000, 1000],
      [2, 1000, 1000],
      [3, 1000, 1000],
    ],
  );
  // Three replies of 40, 50 and 60 tokens: the expectation becomes their p99, bounded by max_tokens.
  [40, 50, 60].forEach((n, i) => p.settled(req(i), sample(i, n, 0)));
  p.admit(req(4, { maxOutputTokens: 1000 }));
  p.admit(req(5, { maxOutputTokens: 55 }));
  assert.deepEqual(
    seen.slice(4).map((s) => [s.inFlight, s.expected]),
    [
      [1, 60],
      [2, 55],
    ],
  );
  // The limiter stops request 9: the gate before it releases; the limiter itself granted nothing.
  assert.deepEqual(p.admit(req(9)), {
    admitted: false,
    reason: 'failed',
    gate: 'shared limiter',
    detail: 'limiter gone',
  });
  assert.deepEqual(released, [-9]);
  assert.equal(p.context.signal.aborted, false);
  p.stop('aborted');
  assert.equal(p.context.signal.aborted, true, 'a gate waiting on something outside can give up');
});

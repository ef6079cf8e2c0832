// TickCoalescer on a virtual clock: at most one emission per 250 ms, every window delivered in order,
// nothing emitted while paused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TickCoalescer } from '../../src/extension/views/liveThrottle';
import type { Scheduler, TickBatch } from '../../src/extension/views/liveThrottle';
import type { TimeWindow } from '../../src/core/model/run';
import type { LiveTotals } from '../../src/shared/protocol/messages';

/** A fake clock: timers run when advance() passes their due time, in due order. */
class FakeClock implements Scheduler {
  time = 0;
  private timers: { id: number; due: number; fn: () => void }[] = [];
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, due: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves the clock to `to`, running due timers on the way. */
  advanceTo(to: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.due - b.due || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.due > to) break;
      this.timers.shift();
      this.time = next.due;
      next.fn();
    }
    this.time = to;
  }
}

function window(t: number): TimeWindow {
  return {
    t,
    sent: 5,
    completed: 5,
    outcomes: {
      ok: 5,
      rate_limited: 0,
      overloaded: 0,
      server_error: 0,
      client_error: 0,
      timeout: 0,
      network: 0,
      stream_error: 0,
      aborted: 0,
    },
    inFlight: 3,
    latencyMs: { p50: 800, p95: 1200, p99: 1500 },
    ttftMs: { p50: 300, p95: 500, p99: 600 },
    inputTokensPerMin: 30_000,
    outputTokensPerMin: 9_000,
    headroom: { requests: 0.9, inputTokens: 0.8, outputTokens: null },
    costUsd: 0.01,
    sendLagMsMax: 1,
  };
}

function totals(i: number): LiveTotals {
  return { sent: i * 5, completed: i * 5, inFlight: 3, costUsd: i / 100, elapsedS: i };
}

function setup(intervalMs?: number) {
  const clock = new FakeClock();
  const emissions: { at: number; batch: TickBatch }[] = [];
  const c = new TickCoalescer((batch) => emissions.push({ at: clock.now(), batch }), {
    scheduler: clock,
    ...(intervalMs !== undefined ? { intervalMs } : {}),
  });
  return { clock, emissions, c };
}

test('100 windows pushed within 1 s: at most 5 emissions carrying all 100 windows in order', () => {
  const { clock, emissions, c } = setup();
  for (let i = 0; i < 100; i++) {
    clock.advanceTo(i * 10);
    c.push(window(i), totals(i));
  }
  clock.advanceTo(1000);
  assert.ok(emissions.length <= 5, `${emissions.length} emissions`);
  assert.ok(emissions.length >= 4, `${emissions.length} emissions (throttled, not starved)`);
  const ts = emissions.flatMap((e) => e.batch.windows.map((w) => w.t));
  assert.deepEqual(
    ts,
    Array.from({ length: 100 }, (_, i) => i),
  );
  for (let i = 1; i < emissions.length; i++) {
    assert.ok(emissions[i]!.at - emissions[i - 1]!.at >= 250, 'at least 250 ms apart');
  }
  // Each batch carries the totals of its newest window.
  for (const e of emissions) assert.equal(e.batch.totals.elapsedS, e.batch.windows.at(-1)!.t);
  assert.equal(c.pendingCount, 0);
  assert.equal(clock.pendingTimers, 0);
});

test('a burst at one instant: one leading emission, the rest together 250 ms later', () => {
  const { clock, emissions, c } = setup();
  for (let i = 0; i < 50; i++) c.push(window(i), totals(i));
  assert.equal(emissions.length, 1);
  assert.equal(emissions[0]!.batch.windows.length, 1);
  clock.advanceTo(249);
  assert.equal(emissions.length, 1);
  clock.advanceTo(250);
  assert.equal(emissions.length, 2);
  assert.equal(emissions[1]!.batch.windows.length, 49);
});

test('one window a second (the engine cadence) is emitted without delay', () => {
  const { clock, emissions, c } = setup();
  for (let i = 0; i < 5; i++) {
    clock.advanceTo(i * 1000);
    c.push(window(i), totals(i));
    assert.equal(emissions.length, i + 1);
    assert.equal(emissions[i]!.at, i * 1000);
  }
});

test('flush emits pending windows at once; nothing to flush emits nothing', () => {
  const { clock, emissions, c } = setup();
  c.push(window(0), totals(0));
  c.push(window(1), totals(1));
  assert.equal(emissions.length, 1);
  c.flush();
  assert.equal(emissions.length, 2);
  assert.deepEqual(
    emissions[1]!.batch.windows.map((w) => w.t),
    [1],
  );
  c.flush();
  assert.equal(emissions.length, 2);
  clock.advanceTo(2000);
  assert.equal(emissions.length, 2, 'the cancelled timer does not fire');
});

test('paused: no emissions (flush included); resume emits the coalesced windows once', () => {
  const { clock, emissions, c } = setup();
  c.pause();
  for (let i = 0; i < 30; i++) {
    clock.advanceTo(i * 100);
    c.push(window(i), totals(i));
  }
  c.flush();
  clock.advanceTo(10_000);
  assert.equal(emissions.length, 0);
  assert.equal(c.pendingCount, 30);
  assert.equal(c.resume(), true, 'reports that windows arrived while paused');
  clock.advanceTo(10_000);
  assert.equal(emissions.length, 1);
  assert.equal(emissions[0]!.batch.windows.length, 30);
  assert.equal(emissions[0]!.batch.totals.elapsedS, 29);
});

test('resume with discard: reports the missed windows and drops them (a restore replaces them)', () => {
  const { clock, emissions, c } = setup();
  c.push(window(0), totals(0));
  c.push(window(1), totals(1)); // waits for the interval
  c.pause();
  c.push(window(2), totals(2));
  clock.advanceTo(5000);
  assert.equal(emissions.length, 1);
  assert.equal(c.resume({ discard: true }), true);
  clock.advanceTo(10_000);
  assert.equal(emissions.length, 1);
  assert.equal(c.pendingCount, 0);
  // Nothing missed the second time.
  c.pause();
  assert.equal(c.resume({ discard: true }), false);
  // Later pushes flow again.
  c.push(window(3), totals(3));
  assert.equal(emissions.length, 2);
});

test('pausing cancels a scheduled emission until resume', () => {
  const { clock, emissions, c } = setup();
  c.push(window(0), totals(0));
  c.push(window(1), totals(1));
  c.pause();
  clock.advanceTo(1000);
  assert.equal(emissions.length, 1);
  assert.equal(clock.pendingTimers, 0);
  c.resume();
  assert.equal(emissions.length, 2);
  assert.deepEqual(
    emissions[1]!.batch.windows.map((w) => w.t),
    [1],
  );
});

test('clear drops pending windows; dispose stops everything', () => {
  const { clock, emissions, c } = setup(100);
  c.push(window(0), totals(0));
  c.push(window(1), totals(1));
  c.clear();
  clock.advanceTo(1000);
  assert.equal(emissions.length, 1);
  c.dispose();
  c.push(window(2), totals(2));
  c.flush();
  clock.advanceTo(2000);
  assert.equal(emissions.length, 1);
});

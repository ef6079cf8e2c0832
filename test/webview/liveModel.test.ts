// The live panel's state model (pure): bounded windows with exact error counts across restores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxLiveWindows } from '../../src/core/browser';
import { appendWindows, liveNumbers, newRun, progress, restoredRun } from '../../webview/live/model';
import { makeSampleRun } from '../fixtures/sampleRun';
import { emptyOutcomeCounts } from '../../src/core/engine/recorder';
import type { TimeWindow } from '../../src/core/index';

function win(t: number, ok: number, rateLimited: number): TimeWindow {
  return {
    t,
    sent: ok + rateLimited,
    completed: ok + rateLimited,
    outcomes: { ...emptyOutcomeCounts(), ok, rate_limited: rateLimited },
    inFlight: 1,
    latencyMs: { p50: 100, p95: 200 + t, p99: 300 },
    ttftMs: { p50: 50, p95: 60, p99: 70 },
    inputTokensPerMin: 0,
    outputTokensPerMin: 0,
    headroom: { requests: 0.5, inputTokens: null, outputTokens: null },
    costUsd: t,
    sendLagMsMax: 0,
  };
}

const run = { name: 'r', targetUrl: 'http://127.0.0.1:1', startedAt: '2026-11-25T00:00:00.000Z' };
const totals = { sent: 0, completed: 0, inFlight: 0, costUsd: 0, elapsedS: 0 };

test('a restore with errorsBefore (windows the host dropped) keeps the run-wide error count exact', () => {
  const windows = Array.from({ length: 10 }, (_, i) => win(100 + i, 5, 1));
  const state = restoredRun({ run, windows, errorsBefore: 42, totals });
  assert.equal(liveNumbers(state).errors, 42 + 10);
  // A tick overlapping the restore is not counted twice; a new one adds its errors.
  appendWindows(state, [win(109, 5, 1), win(110, 5, 2)], totals);
  assert.equal(liveNumbers(state).errors, 42 + 10 + 2);
  assert.equal(liveNumbers(state).p95, 310);
});

test('the panel keeps the newest windows only, but counts errors over all of them', () => {
  const state = restoredRun({ run, windows: [], totals });
  appendWindows(
    state,
    Array.from({ length: maxLiveWindows + 100 }, (_, i) => win(i, 1, 1)),
    totals,
  );
  assert.equal(state.windows.length, maxLiveWindows);
  assert.equal(state.windows[0]!.t, 100);
  assert.equal(liveNumbers(state).errors, maxLiveWindows + 100);
});

test('after a run, progress compares the send window with the planned duration, not send + drain', () => {
  const sample = makeSampleRun();
  const state = newRun({
    name: 'p',
    targetUrl: 'http://127.0.0.1:1',
    startedAt: sample.startedAt,
    durationMs: 20_000,
  });
  state.summary = { ...sample.summary, durationS: 21.5, sendWindowS: 20, drainS: 1.5 };
  const p = progress(state, { duration: (s) => `${s} s`, count: String });
  assert.equal(p?.label, '20 s of 20 s');
  assert.equal(p?.fraction, 1);
});

test('while draining past the planned duration, progress says so instead of "21.5 s of 20 s"', () => {
  const sample = makeSampleRun();
  const state = newRun({
    name: 'p',
    targetUrl: 'http://127.0.0.1:1',
    startedAt: sample.startedAt,
    durationMs: 20_000,
  });
  const fmt = { duration: (s: number) => `${s} s`, count: String };
  appendWindows(state, [], { sent: 90, completed: 80, inFlight: 3, costUsd: 0, elapsedS: 19 });
  assert.equal(progress(state, fmt)?.label, '19 s of 20 s');
  appendWindows(state, [], { sent: 100, completed: 97, inFlight: 3, costUsd: 0, elapsedS: 21.5 });
  const p = progress(state, fmt);
  assert.equal(p?.label, '20 s of 20 s, waiting for 3 in flight');
  assert.equal(p?.fraction, 1);
});

test('after a run the tiles hold whole-run statistics, not the last second', () => {
  const sample = makeSampleRun();
  const state = newRun({ name: 'p', targetUrl: 'http://127.0.0.1:1', startedAt: sample.startedAt });
  appendWindows(state, sample.timeseries, { sent: 0, completed: 0, inFlight: 0, costUsd: 0, elapsedS: 0 });
  state.summary = sample.summary;
  const n = liveNumbers(state);
  assert.equal(n.p95, sample.summary.latencyMs.p95);
  assert.equal(n.p99, sample.summary.latencyMs.p99);
  assert.equal(n.rps, sample.summary.throughput.rps);
});

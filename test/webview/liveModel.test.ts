// The live panel's state model (pure): bounded windows with exact error counts across restores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxLiveWindows } from '../../src/core/browser';
import { appendWindows, liveNumbers, restoredRun } from '../../webview/live/model';
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

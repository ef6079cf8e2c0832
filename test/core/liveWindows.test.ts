// The live-run window model shared by the host snapshot, the status bar and the live webview: one error
// formula, bounded windows, and a run-wide error count that survives dropping and restoring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addLiveWarning,
  appendWindows,
  droppedErrors,
  emptyLiveWindows,
  maxLiveWarnings,
  maxLiveWindows,
  outcomes,
  restoreLiveWindows,
  summaryErrors,
  windowErrors,
} from '../../src/core/browser';
import type { Outcome, TimeWindow } from '../../src/core/browser';

function win(t: number, counts: Partial<Record<Outcome, number>>): TimeWindow {
  const all = Object.fromEntries(outcomes.map((o) => [o, counts[o] ?? 0])) as Record<Outcome, number>;
  const completed = Object.values(all).reduce((a, b) => a + b, 0);
  return {
    t,
    sent: completed,
    completed,
    outcomes: all,
    inFlight: 0,
    latencyMs: { p50: 1, p95: 2, p99: 3 },
    ttftMs: { p50: 1, p95: 1, p99: 1 },
    inputTokensPerMin: 0,
    outputTokensPerMin: 0,
    headroom: { requests: null, inputTokens: null, outputTokens: null },
    costUsd: 0,
    sendLagMsMax: 0,
  };
}

test('an error is every outcome but ok and aborted (Stop is not the target failing)', () => {
  assert.equal(windowErrors(win(0, { ok: 5, aborted: 3 })), 0);
  assert.equal(
    windowErrors(win(0, { ok: 1, rate_limited: 2, overloaded: 1, server_error: 1, aborted: 4 })),
    4,
  );
});

test('a summary counts errors the same way as the windows', () => {
  const requests = { total: 20, ok: 12, aborted: 3 } as Parameters<typeof summaryErrors>[0]['requests'];
  assert.equal(summaryErrors({ requests }), 5);
});

test('windows are bounded, duplicates skipped, and errors counted over the whole run', () => {
  const live = emptyLiveWindows();
  const n = maxLiveWindows + 50;
  for (let t = 0; t < n; t++) appendWindows(live, [win(t, { ok: 1, rate_limited: 1 })]);
  assert.equal(live.windows.length, maxLiveWindows);
  assert.equal(live.windows[0]?.t, 50);
  assert.equal(live.errors, n);
  assert.equal(droppedErrors(live), 50);
  // A tick that overlaps what is already kept is not counted twice.
  assert.equal(appendWindows(live, [win(n - 1, { rate_limited: 9 }), win(n, { overloaded: 2 })]), 1);
  assert.equal(live.errors, n + 2);
});

test('host snapshot -> restore message -> webview: the same error count', () => {
  const host = emptyLiveWindows();
  for (let t = 0; t < 20; t++) appendWindows(host, [win(t, { ok: 3, server_error: t % 3 })], 8);
  const restored = restoreLiveWindows(host.windows, droppedErrors(host), 8);
  assert.deepEqual(restored, host);
  // And both keep counting the same way afterwards.
  appendWindows(host, [win(20, { timeout: 1 })], 8);
  appendWindows(restored, [win(20, { timeout: 1 })], 8);
  assert.equal(restored.errors, host.errors);
  assert.equal(restoreLiveWindows([], -3).errors, 0, 'a nonsense errorsBefore counts as none');
});

test('warnings: once each, the newest kept', () => {
  const warnings: string[] = [];
  addLiveWarning(warnings, 'short of CPU');
  addLiveWarning(warnings, 'short of CPU');
  assert.deepEqual(warnings, ['short of CPU']);
  for (let i = 0; i < maxLiveWarnings + 5; i++) addLiveWarning(warnings, `w${i}`);
  assert.equal(warnings.length, maxLiveWarnings);
  assert.equal(warnings.at(-1), `w${maxLiveWarnings + 4}`);
});

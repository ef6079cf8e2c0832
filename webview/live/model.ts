// The live panel's data: what the host sent so far, bounded, and the numbers derived from it. No DOM,
// so it is cheap to keep in the webview state and easy to reason about.
//
// Bound: the panel keeps the newest `maxLiveWindows` 1-second windows (a rolling 10 minutes) for the
// charts and the saved state; older windows are dropped (the full run is in the report). The windows and
// the run-wide error count are core's live-window model (src/core/live/windows.ts), the same one the
// host's snapshot and the status bar use.
import {
  addLiveWarning,
  appendWindows as appendLiveWindows,
  maxLiveWarnings,
  maxLiveWindows,
  restoreLiveWindows,
  summaryErrors,
} from '../../src/core/browser';
import type { Diagnosis, LiveWindows, RunSummary, TimeWindow } from '../../src/core/browser';
import type { HostToLive, LiveRunInfo, LiveTotals } from '../../src/shared/protocol/messages';

/** What the panel keeps in `setState` (and rebuilds from live/restore). */
export interface LiveState extends LiveWindows {
  v: 1;
  run: LiveRunInfo;
  totals: LiveTotals;
  warnings: string[];
  summary?: RunSummary;
  diagnosis?: Diagnosis[];
}

export const zeroTotals = (): LiveTotals => ({ sent: 0, completed: 0, inFlight: 0, costUsd: 0, elapsedS: 0 });

export function newRun(run: LiveRunInfo): LiveState {
  return { v: 1, run, windows: [], totals: zeroTotals(), errors: 0, warnings: [] };
}

/** Appends windows newer than the last one kept (a tick that overlaps a restore is not counted twice). */
export function appendWindows(state: LiveState, windows: TimeWindow[], totals: LiveTotals): number {
  const added = appendLiveWindows(state, windows.filter(isWindow));
  state.totals = totals;
  return added;
}

export function restoredRun(
  msg: Omit<Extract<HostToLive, { type: 'live/restore' }>, 'type'>,
  warnings: string[] = [],
): LiveState {
  const state: LiveState = {
    ...newRun(msg.run),
    ...restoreLiveWindows(msg.windows.filter(isWindow), msg.errorsBefore),
    totals: msg.totals,
    warnings: warnings.slice(-maxLiveWarnings),
  };
  if (msg.summary) state.summary = msg.summary;
  if (msg.diagnosis) state.diagnosis = msg.diagnosis;
  return state;
}

export function addWarning(state: LiveState, message: string): void {
  addLiveWarning(state.warnings, message);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isWindow(x: unknown): x is TimeWindow {
  return (
    isObject(x) &&
    typeof x.t === 'number' &&
    isObject(x.latencyMs) &&
    isObject(x.ttftMs) &&
    isObject(x.outcomes) &&
    isObject(x.headroom)
  );
}

/** The saved state if it has the expected shape (an older version's state is ignored). */
export function parseSavedState(x: unknown): LiveState | undefined {
  if (!isObject(x) || x.v !== 1 || !isObject(x.run) || !isObject(x.totals)) return undefined;
  if (!Array.isArray(x.windows) || !Array.isArray(x.warnings) || typeof x.errors !== 'number')
    return undefined;
  const state = x as unknown as LiveState;
  state.windows = state.windows.filter(isWindow).slice(-maxLiveWindows);
  state.warnings = state.warnings.filter((w): w is string => typeof w === 'string');
  return state;
}

export interface Progress {
  /** 0..1 */
  fraction: number;
  label: string;
}

/** The numbers the panel shows: the newest window's percentiles, run totals for the rest. */
export interface LiveNumbers {
  /** Requests finished in the newest 1-second window. */
  rps: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  ttftP95: number | null;
  errors: number;
  inFlight: number;
  costUsd: number;
  elapsedS: number;
  completed: number;
  sent: number;
}

export function liveNumbers(state: LiveState): LiveNumbers {
  const w = state.windows.at(-1);
  const s = state.summary;
  // A window with no finished request has no latency: show a dash, not 0 ms.
  const pct = (v: number | undefined) => (w && w.completed > 0 && v ? v : null);
  // After the run the tiles show whole-run statistics (the summary's histograms), not the last second.
  const whole = (v: number | undefined) => (s && s.requests.ok > 0 && v ? v : null);
  return {
    rps: s ? s.throughput.rps : w ? w.completed : null,
    p50: s ? whole(s.latencyMs.p50) : pct(w?.latencyMs.p50),
    p95: s ? whole(s.latencyMs.p95) : pct(w?.latencyMs.p95),
    p99: s ? whole(s.latencyMs.p99) : pct(w?.latencyMs.p99),
    ttftP95: s ? whole(s.ttftMs.p95) : pct(w?.ttftMs.p95),
    errors: s ? summaryErrors(s) : state.errors,
    // After the run the summary is final (it includes requests that ended after the last tick).
    inFlight: s ? 0 : state.totals.inFlight,
    costUsd: s ? s.costUsd : state.totals.costUsd,
    elapsedS: s ? s.durationS : state.totals.elapsedS,
    completed: s ? s.requests.total : state.totals.completed,
    sent: s ? Math.max(state.totals.sent, s.requests.total) : state.totals.sent,
  };
}

/** Progress towards whichever planned limit (duration or request count) comes first; null without one. */
export function progress(
  state: LiveState,
  fmt: { duration: (s: number) => string; count: (n: number) => string },
): Progress | null {
  const { run } = state;
  // After the run, the summary's totals are final (requests may end after the last tick).
  // Against the planned duration, the send window counts (not the drain after it): "20 s of 20 s",
  // never "21.5 s of 20.0 s".
  const totals = state.summary
    ? {
        elapsedS: state.summary.sendWindowS ?? state.summary.durationS,
        sent: Math.max(state.totals.sent, state.summary.requests.total),
      }
    : state.totals;
  const parts: Progress[] = [];
  if (run.durationMs && run.durationMs > 0) {
    const planned = fmt.duration(run.durationMs / 1000);
    // Past the duration while running: sending has stopped and the last replies are awaited.
    const draining = !state.summary && totals.elapsedS * 1000 > run.durationMs;
    parts.push({
      fraction: (totals.elapsedS * 1000) / run.durationMs,
      label: draining
        ? `${planned} of ${planned}, waiting for ${fmt.count(state.totals.inFlight)} in flight`
        : `${fmt.duration(totals.elapsedS)} of ${planned}`,
    });
  }
  if (run.requests && run.requests > 0) {
    parts.push({
      fraction: totals.sent / run.requests,
      label: `${fmt.count(totals.sent)} of ${fmt.count(run.requests)} requests sent`,
    });
  }
  if (parts.length === 0) return null;
  const best = parts.reduce((a, b) => (b.fraction > a.fraction ? b : a));
  return { fraction: Math.max(0, Math.min(1, best.fraction)), label: best.label };
}

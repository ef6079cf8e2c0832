// The live view of a running load test, one model for every place that shows it: the extension's run
// snapshot, the status bar and the live webview. They keep the newest windows (bounded memory however
// long the run) and count failed requests over the whole run, dropped windows included. Pure and
// browser-safe (exported from ../browser.ts).
import type { RunSummary, TimeWindow } from '../model/run';

/** 10 minutes of 1-second windows: what the live charts draw and the host keeps for a restore. */
export const maxLiveWindows = 600;

/**
 * Failed requests in a window: every outcome but ok and aborted (aborted ones come from the user
 * pressing Stop, not from the target). The one definition of a live "error".
 */
export function windowErrors(w: TimeWindow): number {
  let n = 0;
  for (const [outcome, count] of Object.entries(w.outcomes ?? {})) {
    if (outcome !== 'ok' && outcome !== 'aborted' && typeof count === 'number') n += count;
  }
  return n;
}

/** Failed requests of a finished run, counted as `windowErrors` counts them (Stop's aborts are not). */
export function summaryErrors(summary: Pick<RunSummary, 'requests'>): number {
  const r = summary.requests;
  return r.total - r.ok - r.aborted;
}

/** The newest windows of a run and its failed requests so far. A plain object: it is saved as JSON. */
export interface LiveWindows {
  /** Oldest first, at most `maxLiveWindows`. */
  windows: TimeWindow[];
  /** Failed requests over every window appended so far, also those dropped from `windows`. */
  errors: number;
}

export function emptyLiveWindows(): LiveWindows {
  return { windows: [], errors: 0 };
}

/**
 * Appends windows newer than the last one kept (a tick that overlaps a restore is not counted twice),
 * counts their errors, then drops the oldest beyond `max`. Returns how many were appended.
 */
export function appendWindows(
  live: LiveWindows,
  windows: readonly TimeWindow[],
  max = maxLiveWindows,
): number {
  let lastT = live.windows.at(-1)?.t ?? Number.NEGATIVE_INFINITY;
  let added = 0;
  for (const w of windows) {
    if (w.t <= lastT) continue;
    live.windows.push(w);
    live.errors += windowErrors(w);
    lastT = w.t;
    added++;
  }
  const extra = live.windows.length - max;
  if (extra > 0) live.windows.splice(0, extra);
  return added;
}

/** Failed requests in windows no longer kept: what a restore message carries beside the kept windows. */
export function droppedErrors(live: LiveWindows): number {
  let kept = 0;
  for (const w of live.windows) kept += windowErrors(w);
  return Math.max(0, live.errors - kept);
}

/** Rebuilds the model from a restore message: the kept windows and the errors of the dropped ones. */
export function restoreLiveWindows(
  windows: readonly TimeWindow[],
  errorsBefore: number | undefined,
  max = maxLiveWindows,
): LiveWindows {
  const live: LiveWindows = {
    windows: [],
    errors: typeof errorsBefore === 'number' && errorsBefore > 0 ? errorsBefore : 0,
  };
  appendWindows(live, windows, max);
  return live;
}

/** The warnings a live view keeps (the newest). */
export const maxLiveWarnings = 20;

/**
 * Adds a run warning to a live view's list, in place: once each (the engine repeats some every window),
 * the newest `maxLiveWarnings` only.
 */
export function addLiveWarning(warnings: string[], message: string): void {
  if (warnings.includes(message)) return;
  warnings.push(message);
  if (warnings.length > maxLiveWarnings) warnings.splice(0, warnings.length - maxLiveWarnings);
}

// The scaling rehearsal panel as plain data: one row per mode with the numbers the charts and the
// table show, per-instance throughput, and a one-sentence verdict. No DOM, so test/webview tests it.
import { fmtMs, fmtNumber, fmtPct } from '../../src/core/browser';
import type { ModeResult, ScaleMode, ScaleResult } from '../../src/core/browser';

/** What each mode means, in the words the panel uses. */
export const modeLabels: Record<ScaleMode, string> = {
  none: 'No coordination',
  'fixed-window': 'Fixed window (INCR + EXPIRE)',
  shared: 'Shared limiter',
  queue: 'Queue + shared limiter',
};

export interface ModeRow {
  mode: ScaleMode;
  label: string;
  sent: number;
  ok: number;
  rateLimited: number;
  /** 429 answers / HTTP attempts, 0..1. */
  rateLimitedShare: number;
  /** Achieved RPM / the org's RPM limit. */
  utilization: number;
  achievedRpm: number;
  limitRpm: number;
  /** Jain's index over the instances' served share, 1/n..1. */
  fairness: number;
  p50Ms: number;
  p99Ms: number;
  waitP99Ms: number;
  retries: number;
}

export function modeRows(result: ScaleResult): ModeRow[] {
  // A mode cut short by Cancel measured part of its time: beside whole modes its shares would mislead.
  return result.modes
    .filter((m) => !m.interrupted)
    .map((m) => ({
      mode: m.mode,
      label: modeLabels[m.mode] ?? m.mode,
      sent: m.sent,
      ok: m.ok,
      rateLimited: m.rateLimited,
      rateLimitedShare: m.rateLimitedRate,
      utilization: m.utilization,
      achievedRpm: m.achievedRpm,
      limitRpm: m.limitRpm,
      fairness: m.fairness,
      p50Ms: m.latency.p50,
      p99Ms: m.latency.p99,
      waitP99Ms: m.waitMs.p99,
      retries: m.retries,
    }));
}

/**
 * Achieved RPM of each instance: the mode's achieved RPM split by each instance's ok replies (the
 * same span and time scale as the mode's own figure, so the instances add up to it).
 */
export function perInstanceRpm(mode: ModeResult): number[] {
  const total = mode.perInstanceOk.reduce((a, b) => a + b, 0);
  return mode.perInstanceOk.map((ok) => (total > 0 ? (mode.achievedRpm * ok) / total : 0));
}

/** Offered load as a multiple of the RPM limit (offeredRps is per second, the limit per minute). */
export function offeredMultiple(result: ScaleResult): number {
  return result.limits.rpm > 0 ? (result.offeredRps * 60) / result.limits.rpm : 0;
}

/** A mode "holds" the limit when under 0.5 % of its attempts drew a 429 (the bar). */
export const holdsLimitBelow = 0.005;

/**
 * One sentence: which modes stayed under the org limit and which drew 429s, with the numbers. Time
 * scaling is already inside utilisation, so it is not mentioned.
 */
export function verdict(result: ScaleResult): string {
  const rows = modeRows(result);
  if (rows.length === 0)
    return result.interrupted ? 'Cancelled before any mode finished.' : 'No mode was run.';
  const held = rows.filter((r) => r.rateLimitedShare < holdsLimitBelow);
  const over = rows.filter((r) => r.rateLimitedShare >= holdsLimitBelow);
  const part = (r: ModeRow) =>
    `${r.label} ${fmtPct(r.rateLimitedShare)} 429s at ${fmtPct(r.utilization, { digits: 0 })} utilisation`;
  const sentences: string[] = [];
  if (held.length) sentences.push(`Stayed under the limit: ${held.map(part).join('; ')}.`);
  if (over.length) sentences.push(`Drew 429s: ${over.map(part).join('; ')}.`);
  if (result.interrupted) sentences.push('Cancelled: only the modes above finished.');
  return sentences.join(' ');
}

/** Formatters shared by the table and the chart tooltips, so both show the same text. */
export const formats = {
  share: (n: number) => fmtPct(n),
  utilization: (n: number) => fmtPct(n, { digits: 0 }),
  fairness: (n: number) => fmtNumber(n, 3),
  ms: (n: number) => fmtMs(n),
  rpm: (n: number) => fmtNumber(n, 0),
};

// Number formatting for the webviews. Fixed en-US grouping so reports read the same everywhere.
import type { LoadShape } from '../../src/core/browser';

const nf = (digits: number) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const fixed = [nf(0), nf(1), nf(2), nf(3), nf(4)] as const;

function fmt(n: number, digits: 0 | 1 | 2 | 3 | 4): string {
  return fixed[digits].format(n);
}

const dash = '–';

function ok(n: number | null | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

/** Milliseconds with about 3 significant digits (what the histograms keep): "0.61 ms", "45.2 ms", "3,574 ms". */
export function fmtMs(n: number | null | undefined): string {
  if (!ok(n)) return dash;
  const a = Math.abs(n);
  return `${fmt(n, a >= 100 || a === 0 ? 0 : a >= 10 ? 1 : 2)} ms`;
}

/** A fraction as percent: 0.14 -> "14.0 %". */
export function fmtPct(fraction: number | null | undefined, digits: 0 | 1 | 2 = 1): string {
  return ok(fraction) ? `${fmt(fraction * 100, digits)} %` : dash;
}

const twoSignificant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 });

/**
 * USD: cents from $1, four decimals from 1 cent, two significant digits below (a request costing
 * $0.000075 must not read "$0.0000").
 */
export function fmtUsd(n: number | null | undefined): string {
  if (!ok(n)) return dash;
  const a = Math.abs(n);
  if (a > 0 && a < 0.01) return `$${twoSignificant.format(n)}`;
  return `$${fmt(n, a >= 1 || n === 0 ? 2 : 4)}`;
}

/** A count: "1,234". */
export function fmtCount(n: number | null | undefined): string {
  return ok(n) ? fmt(Math.round(n), 0) : dash;
}

/** A plain number with up to `digits` decimals: "12.3". */
export function fmtNumber(n: number | null | undefined, digits: 0 | 1 | 2 | 3 = 1): string {
  if (!ok(n)) return dash;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(n);
}

/** A rate per second: "12.3/s". */
export function fmtRate(n: number | null | undefined, digits: 0 | 1 | 2 = 2): string {
  return ok(n) ? `${fmtNumber(n, digits)}/s` : dash;
}

/** Seconds as "45.2 s", "3 min 05 s", "10 min", "1 h 02 min", "2 h" (whole units without zeros). */
export function fmtDuration(seconds: number | null | undefined): string {
  if (!ok(seconds)) return dash;
  if (seconds < 60) return `${fmt(seconds, 1)} s`;
  const s = Math.round(seconds);
  if (s < 3600)
    return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const min = Math.floor((s % 3600) / 60);
  return min === 0
    ? `${Math.floor(s / 3600)} h`
    : `${Math.floor(s / 3600)} h ${String(min).padStart(2, '0')} min`;
}

/** An ISO time as a readable local date-time, keeping the ISO string when it cannot be parsed. */
export function fmtDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' });
}

/** One line describing a load shape (report header and live panel). */
export function describeLoad(load: LoadShape): string {
  switch (load.type) {
    case 'concurrency':
      return `closed loop: ${load.concurrency} concurrent requests`;
    case 'rate':
      return `open loop: ${fmtNumber(load.rps, 2)} req/s, ${load.arrival} arrivals (at most ${load.maxInFlight} in flight)`;
    case 'ramp': {
      const end = load.stages.at(-1)?.rps ?? load.startRps;
      const total = load.stages.reduce((s, st) => s + st.durationMs, 0) / 1000;
      return `open-loop ramp: ${fmtNumber(load.startRps, 2)} → ${fmtNumber(end, 2)} req/s over ${fmtDuration(total)} in ${load.stages.length} stages (at most ${load.maxInFlight} in flight)`;
    }
  }
}

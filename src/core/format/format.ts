// How every number is shown, in the terminal, the report, the planner, the live panel and the status bar:
// fixed en-US grouping so output reads the same everywhere. Display only: results stay unrounded.
// Pure (no DOM, no Node): exported from both core entries (index.ts and browser.ts).
import type { LoadShape, PromptDigests, PromptSource } from '../model/run';

/** What a missing or non-finite number shows. */
export const dash = '–';

function isNumber(n: number | null | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

const formats = new Map<string, Intl.NumberFormat>();

/** en-US with between `min` and `max` decimals (formatters are cached: the live panel formats a lot). */
function grouped(n: number, max: number, min = 0): string {
  const key = `${min}:${max}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max });
    formats.set(key, f);
  }
  return f.format(n);
}

/** A plain number with at most `digits` decimals: "50,000", "3.5", "0.25". */
export function fmtNumber(n: number | null | undefined, digits = 1): string {
  return isNumber(n) ? grouped(n, digits) : dash;
}

/** A count, rounded: "1,234". */
export function fmtCount(n: number | null | undefined): string {
  return isNumber(n) ? grouped(Math.round(n), 0) : dash;
}

/**
 * USD: cents from $1 ("$12,960.00", "$0.50"), four significant digits below, so a single request's
 * fraction of a cent stays readable: "$0.003", "$0.000105", "$0.000075".
 */
export function fmtUsd(n: number | null | undefined): string {
  if (!isNumber(n)) return dash;
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a === 0) return '$0.00';
  if (a >= 1) return `${sign}$${grouped(a, 2, 2)}`;
  return `${sign}$${grouped(Number(a.toPrecision(4)), 10, 2)}`;
}

/**
 * Milliseconds with about 3 significant digits (what the histograms keep): "0.61 ms", "45.2 ms",
 * "3,574 ms"; from a minute on, as a duration: "10 min" rather than "600,000 ms".
 */
export function fmtMs(n: number | null | undefined): string {
  if (!isNumber(n)) return dash;
  const a = Math.abs(n);
  if (a >= 60_000) return fmtDuration(n / 1000);
  return `${grouped(n, a >= 100 || a === 0 ? 0 : a >= 10 ? 1 : 2)} ms`;
}

/** Seconds as "0.5 s", "45.2 s", "3 min 05 s", "10 min", "1 h 02 min", "2 h". */
export function fmtDuration(seconds: number | null | undefined): string {
  if (!isNumber(seconds)) return dash;
  if (seconds < 0) return `-${fmtDuration(-seconds)}`;
  if (seconds < 60) return `${grouped(seconds, 1)} s`;
  const s = Math.round(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) {
    const rest = s % 60;
    return `${Math.floor(s / 60)} min${rest ? ` ${two(rest)} s` : ''}`;
  }
  const min = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${min ? ` ${two(min)} min` : ''}`;
}

export interface PercentOptions {
  /** Decimals; default: one below 10 %, none from 10 % on. */
  digits?: number;
  /** Always show `digits` decimals ("14.0 %"); default: trailing zeros dropped ("14 %"). */
  fixed?: boolean;
  /** No space before the sign ("20%"), for dense terminal tables. */
  compact?: boolean;
}

/** A fraction as a percentage: 0.14 -> "14 %", 0.005 -> "0.5 %", 0.0648 -> "6.5 %". */
export function fmtPct(fraction: number | null | undefined, options: PercentOptions = {}): string {
  if (!isNumber(fraction)) return dash;
  const p = fraction * 100;
  const digits = options.digits ?? (p !== 0 && Math.abs(p) < 10 ? 1 : 0);
  return `${grouped(p, digits, options.fixed ? digits : 0)}${options.compact ? '' : ' '}%`;
}

/** A rate per second: "12.3/s". */
export function fmtRate(n: number | null | undefined, digits = 2): string {
  return isNumber(n) ? `${fmtNumber(n, digits)}/s` : dash;
}

/** An ISO time as a readable date-time, keeping the ISO string when it cannot be parsed. */
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

/** A prompt's first characters on one line, quoted: "Write at least 300 words about…". */
function quoted(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > max ? `${line.slice(0, max - 1)}…` : line}"`;
}

/**
 * The prompt a run sends, in one line (live panel and report): the text's start and length, the size
 * of synthetic prompts and their cached prefix, or how many prompts a list or file holds. Saved runs
 * keep a digest by default: its preview is the text's start.
 */
export function describePrompts(prompts: PromptSource | PromptDigests): string {
  const chars = (n: number) => `${fmtCount(n)} characters`;
  switch (prompts.type) {
    case 'fixed':
      return `${quoted(prompts.text)} (${chars(prompts.text.length)})`;
    case 'list':
      return `${fmtCount(prompts.items.length)} prompts in turn, first ${quoted(prompts.items[0] ?? '')}`;
    case 'messages':
      return `${fmtCount(prompts.bodies.length)} recorded Messages bodies from ${prompts.source}`;
    case 'synthetic': {
      const { mean, sd } = prompts.inputTokens;
      const prefix = prompts.cachedPrefix;
      return (
        `synthetic, about ${fmtCount(mean)} input tokens${sd > 0 ? ` (sd ${fmtCount(sd)})` : ''}` +
        (prefix
          ? `, a cached prefix of ${fmtCount(prefix.tokens)} tokens at ${fmtPct(prefix.hitRate, { digits: 0 })} hits (${prefix.ttl} TTL)`
          : '')
      );
    }
    case 'digest': {
      const first = prompts.items[0];
      if (prompts.of === 'messages')
        return `${fmtCount(prompts.count)} recorded Messages bodies${prompts.source ? ` from ${prompts.source}` : ''}`;
      if (!first) return `${fmtCount(prompts.count)} prompts`;
      return prompts.count > 1
        ? `${fmtCount(prompts.count)} prompts in turn, first ${quoted(first.preview)}`
        : `${quoted(first.preview)} (${chars(first.length)})`;
    }
  }
}

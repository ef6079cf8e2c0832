// Service-level objectives of a sweep, in the threshold expression language (engine/thresholds.ts),
// turned into per-request bounds so each probe can be judged with a confidence interval.
import { parseThresholdExpression } from '../engine/index';

type ParsedThreshold = ReturnType<typeof parseThresholdExpression>;
import type { RequestSample } from '../model/run';

/** Always part of a sweep's SLO: a rate is sustainable only with (almost) no errors and no 429s. */
export const defaultSloExpressions: readonly string[] = ['errors.rate<0.01', 'rateLimited.rate<0.01'];

/** Per-request metrics a latency-type SLO can bound, read from one sample (ms). */
const sampleMetrics: Record<string, (s: RequestSample) => number | undefined> = {
  latency: (s) => s.endAt - s.intendedAt,
  latencyUncorrected: (s) => s.endAt - s.sentAt,
  sendLag: (s) => s.sentAt - s.intendedAt,
  ttft: (s) => (s.firstTextAt === undefined ? undefined : s.firstTextAt - s.sentAt),
  tpot: (s) =>
    s.firstTextAt === undefined || s.outputTokens <= 1
      ? undefined
      : (s.endAt - s.sentAt - (s.firstTextAt - s.sentAt)) / (s.outputTokens - 1),
};
const percentileOf: Record<string, number> = { p50: 50, p90: 90, p95: 95, p99: 99, p999: 99.9, max: 100 };

/**
 * One SLO bound as a binomial question: "is the share of requests that violate it at most `allowed`?"
 * - rate bounds (`errors.rate<0.01`): a request violates when its outcome is in the class; all requests count.
 * - percentile bounds (`latency.p95<8000`): an ok request violates when its value exceeds the bound;
 *   p95 allows 5 % violators, max allows none.
 * Other metrics (throughput, cost, means) cannot be judged per request and are refused with a message.
 */
export interface SloBound {
  expr: string;
  metric: string;
  allowed: number;
  /** Which requests the share is taken over. */
  over: 'all' | 'ok';
  violates: (s: RequestSample) => boolean;
  /** Per-request bound (ms) of a latency-type SLO, used for goodput. */
  perRequestMs?: number;
  /** What breaks the bound, for "what binds". */
  cause: 'errors' | 'rate_limited' | 'overloaded' | 'latency';
}

export class SloError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'SloError';
  }
}

/** Parses `--slo "latency.p95<8000,ttft.p95<2000"` (comma-separated) on top of the default SLO. */
export function parseSlo(extra: readonly string[] = [], field = '--slo'): SloBound[] {
  const exprs = [...defaultSloExpressions];
  for (const item of extra.flatMap((e) => e.split(',')).map((e) => e.trim())) {
    if (item) exprs.push(item);
  }
  const seen = new Map<string, SloBound>();
  for (const e of exprs) {
    let t: ParsedThreshold;
    try {
      t = parseThresholdExpression(e, field);
    } catch (err) {
      throw new SloError((err as Error).message, field);
    }
    // A later bound on the same metric replaces the default (e.g. a looser errors.rate).
    seen.set(t.metric, toBound(t, field));
  }
  return [...seen.values()];
}

function toBound(t: ParsedThreshold, field: string): SloBound {
  const upper = t.op === '<' || t.op === '<=';
  const rateClass: Record<
    string,
    { cause: 'errors' | 'rate_limited' | 'overloaded'; test: (s: RequestSample) => boolean }
  > = {
    'errors.rate': { cause: 'errors', test: (s) => s.outcome !== 'ok' },
    'rateLimited.rate': { cause: 'rate_limited', test: (s) => s.outcome === 'rate_limited' },
    'overloaded.rate': { cause: 'overloaded', test: (s) => s.outcome === 'overloaded' },
  };
  const rc = rateClass[t.metric];
  if (rc && upper) {
    if (!(t.value >= 0 && t.value <= 1))
      throw new SloError(`${field}: ${t.expr}: a rate is between 0 and 1`, field);
    return {
      expr: t.expr,
      metric: t.metric,
      allowed: t.value,
      over: 'all',
      violates: rc.test,
      cause: rc.cause,
    };
  }
  const [name, stat] = t.metric.split('.') as [string, string];
  const read = sampleMetrics[name];
  const pct = percentileOf[stat];
  if (read && pct !== undefined && upper) {
    const bound = t.value;
    const strict = t.op === '<';
    return {
      expr: t.expr,
      metric: t.metric,
      allowed: (100 - pct) / 100,
      over: 'ok',
      violates: (s) => {
        const v = read(s);
        return v !== undefined && (strict ? v >= bound : v > bound);
      },
      perRequestMs: bound,
      cause: 'latency',
    };
  }
  throw new SloError(
    `${field}: ${t.expr} cannot be judged request by request. Use errors.rate, rateLimited.rate or ` +
      `overloaded.rate with < or <=, or an upper bound on a percentile of ${Object.keys(sampleMetrics).join(', ')} ` +
      `(e.g. "latency.p95<8000"); whole-sweep checks go in --threshold.`,
    field,
  );
}

/** Wilson score interval of a binomial proportion k/n (z = 1.96: 95 %). */
export function wilsonInterval(k: number, n: number, z = 1.96): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A sample meets every per-request bound (what goodput counts). */
export function meetsEveryBound(bounds: readonly SloBound[], s: RequestSample): boolean {
  if (s.outcome !== 'ok') return false;
  for (const b of bounds) if (b.over === 'ok' && b.violates(s)) return false;
  return true;
}

// k6-style thresholds: { "ttft.p95": "<1500", "errors.rate": "<0.01" } evaluated against a run summary.
import type { RunSummary, ThresholdResult } from '../model/run';

type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';
const stats = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'min', 'mean'] as const;

/** Every metric a threshold may name, with how to read it from a summary. */
// Requests aborted by the user (Ctrl-C, Stop) are neither successes nor errors: rates leave them out.
const answered = (s: RunSummary) => s.requests.total - s.requests.aborted;
const errorCount = (s: RunSummary) => answered(s) - s.requests.ok;

/** Every metric a threshold may name, with how to read it from a summary (null: no data). */
const metrics: Record<string, (s: RunSummary) => number | null> = {
  // Unknown when a model is not priced: 0 would pass any cost threshold.
  'cost.usd': (s) => (s.unpricedModels?.length ? null : s.costUsd),
  /** Successful requests per second of the send window. */
  'throughput.rps': (s) => s.throughput.rps,
  /** Requests sent per second of the send window (the achieved rate). */
  'throughput.sentRps': (s) => s.throughput.sentRps ?? null,
  'throughput.outputTokensPerSec': (s) => s.throughput.outputTokensPerSec,
  'requests.total': (s) => s.requests.total,
  'requests.ok': (s) => s.requests.ok,
  'requests.aborted': (s) => s.requests.aborted,
  'errors.count': errorCount,
  'errors.rate': (s) => rate(errorCount(s), answered(s)),
  'rateLimited.count': (s) => s.requests.rateLimited,
  'rateLimited.rate': (s) => rate(s.requests.rateLimited, answered(s)),
  'overloaded.count': (s) => s.requests.overloaded,
  'overloaded.rate': (s) => rate(s.requests.overloaded, answered(s)),
  'tokens.input': (s) => s.tokens.input,
  'tokens.output': (s) => s.tokens.output,
};
const percentileMetrics: Record<string, (s: RunSummary) => RunSummary['latencyMs'] | null> = {
  latency: (s) => s.latencyMs,
  latencyUncorrected: (s) => s.latencyUncorrectedMs,
  sendLag: (s) => s.sendLagMs,
  ttft: (s) => s.ttftMs,
  firstContent: (s) => s.firstContentMs ?? null,
  tpot: (s) => s.tpotMs,
  outputTokensPerSec: (s) => s.outputTokensPerSecPerRequest,
};
for (const [name, read] of Object.entries(percentileMetrics)) {
  // A histogram with no samples has no percentiles (k6: a threshold without data fails).
  for (const stat of stats)
    metrics[`${name}.${stat}`] = (s) => {
      const h = read(s);
      return h && h.count > 0 ? h[stat] : null;
    };
}

export const thresholdMetricNames: readonly string[] = Object.keys(metrics);

/** A share of no requests is no data, not 0. */
function rate(n: number, total: number): number | null {
  return total === 0 ? null : n / total;
}

export interface ParsedThreshold {
  metric: string;
  op: Op;
  value: number;
  expr: string;
}

export class ThresholdError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'ThresholdError';
  }
}

/** Parses `metric` + `"<1500"`; the error names the field and lists valid metrics. */
export function parseThreshold(
  metric: string,
  condition: string,
  field = `thresholds.${metric}`,
): ParsedThreshold {
  if (!(metric in metrics)) {
    throw new ThresholdError(
      `${field}: unknown metric "${metric}". Use one of: ${thresholdMetricNames.join(', ')}.`,
      field,
    );
  }
  const m = /^\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(condition);
  if (!m) {
    throw new ThresholdError(
      `${field}: condition "${condition}" must look like "<1500", ">=0.99" or "==0".`,
      field,
    );
  }
  return { metric, op: m[1] as Op, value: Number(m[2]), expr: `${metric}${m[1]}${m[2]}` };
}

/** Parses the CLI form "ttft.p95<1500". */
export function parseThresholdExpression(expr: string, field = '--threshold'): ParsedThreshold {
  const m = /^\s*([A-Za-z.0-9]+)\s*((?:<=|>=|==|!=|<|>).*)$/.exec(expr);
  if (!m) throw new ThresholdError(`${field}: "${expr}" must look like "ttft.p95<1500"`, field);
  return parseThreshold(m[1] as string, m[2] as string, field);
}

export function evaluateThresholds(
  thresholds: Record<string, string>,
  summary: RunSummary,
): ThresholdResult[] {
  return Object.entries(thresholds).map(([metric, condition]) => {
    const t = parseThreshold(metric, condition);
    const value = metrics[t.metric]?.(summary) ?? null;
    if (value === null || !Number.isFinite(value)) {
      return {
        expr: t.expr,
        metric,
        pass: false,
        value: null,
        message: 'no data: no request in this run measured this metric',
      };
    }
    return { expr: t.expr, metric, pass: compare(value, t.op, t.value), value };
  });
}

export function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

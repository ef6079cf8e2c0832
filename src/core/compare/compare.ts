// Compares runs (run.json) or sweeps (sweep.json): every headline metric with values, delta and % change,
// marked significant only when the change exceeds run-to-run noise. For runs the noise comes from a
// bootstrap over the per-second windows; for sweeps from the probes' interval around the max rate.
import type { RecordedScenario, RunResult, TimeWindow } from '../model/run';
import type { SweepResult } from '../sweep/index';
import { seededRandom } from '../util/random';

export type Comparable =
  { kind: 'run'; source: string; run: RunResult } | { kind: 'sweep'; source: string; sweep: SweepResult };

export interface MetricComparison {
  metric: string;
  unit: string;
  /** Which way is better: a change the other way is a regression. */
  better: 'lower' | 'higher';
  /** One value per input, in input order. */
  values: (number | null)[];
  /** Against the first input (the baseline), one per other input. */
  deltas: (number | null)[];
  changePct: (number | null)[];
  significant: boolean[];
  /** 99 % bootstrap interval of the delta (runs), when computed. */
  deltaInterval: ({ low: number; high: number } | null)[];
  regression: boolean[];
}

export interface ConfigDifference {
  field: string;
  values: string[];
}

export interface Comparison {
  kind: 'run' | 'sweep';
  sources: string[];
  names: string[];
  metrics: MetricComparison[];
  config: ConfigDifference[];
  /** Percent threshold of --fail-on-regression, when given. */
  failOnRegressionPct: number | null;
  /** Metrics that regressed significantly by more than the threshold. */
  regressions: { metric: string; source: string; changePct: number }[];
}

/** Per-second window statistic: a ratio of sums, so resampling windows resamples the metric. */
interface WindowMetric {
  metric: string;
  unit: string;
  better: 'lower' | 'higher';
  value: (r: RunResult) => number | null;
  /** Numerator and denominator of one window (statistic = sum(num) / sum(den)). */
  window?: (w: TimeWindow, prevCost: number) => [number, number];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const errorsOf = (w: TimeWindow) => w.completed - w.outcomes.ok;

const runMetrics: WindowMetric[] = [
  {
    metric: 'throughput.rps',
    unit: 'req/s',
    better: 'higher',
    value: (r) => r.summary.throughput.rps,
    window: (w) => [w.completed, 1],
  },
  {
    metric: 'throughput.outputTokensPerSec',
    unit: 'tok/s',
    better: 'higher',
    value: (r) => r.summary.throughput.outputTokensPerSec,
    window: (w) => [w.outputTokensPerMin / 60, 1],
  },
  { metric: 'goodput.rps', unit: 'req/s', better: 'higher', value: (r) => r.summary.throughput.goodputRps },
  ...(['p50', 'p95', 'p99'] as const).map((p): WindowMetric => ({
    metric: `latency.${p}`,
    unit: 'ms',
    better: 'lower',
    value: (r) => (r.summary.latencyMs.count ? r.summary.latencyMs[p] : null),
    // Window percentiles weighted by the window's ok requests.
    window: (w) => [w.latencyMs[p] * w.outcomes.ok, w.outcomes.ok],
  })),
  ...(['p50', 'p95'] as const).map((p): WindowMetric => ({
    metric: `ttft.${p}`,
    unit: 'ms',
    better: 'lower',
    value: (r) => (r.summary.ttftMs.count ? r.summary.ttftMs[p] : null),
    window: (w) => [w.ttftMs[p] * w.outcomes.ok, w.outcomes.ok],
  })),
  {
    metric: 'tpot.p95',
    unit: 'ms',
    better: 'lower',
    value: (r) => (r.summary.tpotMs.count ? r.summary.tpotMs.p95 : null),
  },
  {
    metric: 'errors.rate',
    unit: '',
    better: 'lower',
    value: (r) => ratio(r.summary.requests.total - r.summary.requests.ok, r.summary.requests.total),
    window: (w) => [errorsOf(w), w.completed],
  },
  {
    metric: 'rateLimited.rate',
    unit: '',
    better: 'lower',
    value: (r) => ratio(r.summary.requests.rateLimited, r.summary.requests.total),
    window: (w) => [w.outcomes.rate_limited, w.completed],
  },
  {
    metric: 'overloaded.rate',
    unit: '',
    better: 'lower',
    value: (r) => ratio(r.summary.requests.overloaded, r.summary.requests.total),
    window: (w) => [w.outcomes.overloaded, w.completed],
  },
  {
    metric: 'cost.perRequestUsd',
    unit: 'USD',
    better: 'lower',
    value: (r) => ratio(r.summary.costUsd, r.summary.requests.total),
    // Window cost is cumulative in run.json: the window's own spend is the difference.
    window: (w, prev) => [w.costUsd - prev, w.completed],
  },
  { metric: 'cost.usd', unit: 'USD', better: 'lower', value: (r) => r.summary.costUsd },
];

const sweepMetrics: {
  metric: string;
  unit: string;
  better: 'lower' | 'higher';
  value: (s: SweepResult) => number | null;
}[] = [
  { metric: 'maxSustainableRpm', unit: 'RPM', better: 'higher', value: (s) => s.maxSustainableRpm },
  { metric: 'predictedMaxRpm', unit: 'RPM', better: 'higher', value: (s) => s.predictedMaxRpm },
  {
    metric: 'predictionErrorPct',
    unit: '%',
    better: 'lower',
    value: (s) => (s.predictionErrorPct === null ? null : Math.abs(s.predictionErrorPct)),
  },
  { metric: 'kneeRps', unit: 'req/s', better: 'higher', value: (s) => s.kneeRps },
  { metric: 'cost.usd', unit: 'USD', better: 'lower', value: (s) => s.costUsd },
];

const bootstrapResamples = 1000;

/** Per-window (numerator, denominator) pairs of a run for one metric; windows without data skipped. */
function windowPairs(r: RunResult, m: WindowMetric): [number, number][] {
  const out: [number, number][] = [];
  let prevCost = 0;
  // The last window is partial (the drain after sending stopped): as noise it would swamp the rest.
  const windows = r.timeseries.length > 2 ? r.timeseries.slice(0, -1) : r.timeseries;
  for (const w of windows) {
    const pair = m.window!(w, prevCost);
    prevCost = w.costUsd;
    // A window that saw nothing says nothing about noise (start-up, drain).
    if (w.completed === 0) continue;
    out.push(pair);
  }
  return out;
}

function resampleStat(pairs: readonly [number, number][], random: () => number): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[Math.floor(random() * pairs.length)]!;
    num += p[0];
    den += p[1];
  }
  return den === 0 ? 0 : num / den;
}

/**
 * 99 % percentile-bootstrap interval of stat(B) - stat(A), windows resampled with replacement.
 * The change is significant when the interval excludes 0.
 */
export function bootstrapDelta(
  a: readonly [number, number][],
  b: readonly [number, number][],
  seed = 1,
  resamples = bootstrapResamples,
): { low: number; high: number } | null {
  if (a.length < 2 || b.length < 2) return null;
  const random = seededRandom(seed);
  const d: number[] = [];
  for (let i = 0; i < resamples; i++) d.push(resampleStat(b, random) - resampleStat(a, random));
  d.sort((x, y) => x - y);
  return { low: d[Math.floor(0.005 * (resamples - 1))]!, high: d[Math.ceil(0.995 * (resamples - 1))]! };
}

function configOf(s: RecordedScenario, version: string): Record<string, string> {
  const t = s.target;
  const load = s.load;
  return {
    model: s.models.map((m) => (m.share === 1 ? m.model : `${m.model}:${m.share}`)).join(','),
    load:
      load.type === 'concurrency'
        ? `concurrency ${load.concurrency}`
        : load.type === 'rate'
          ? `rate ${load.rps}/s ${load.arrival}`
          : `ramp from ${load.startRps}/s: ${load.stages.map((x) => `${x.durationMs / 1000}s->${x.rps}/s`).join(', ')}`,
    max_tokens: String(s.maxTokens),
    stream: String(s.stream),
    target:
      t.kind === 'simulator' ? `simulator ${t.tier} ${t.latency} x${t.timeScale}` : `${t.kind} ${t.baseUrl}`,
    prompts:
      s.prompts.type === 'synthetic' ? `synthetic ~${s.prompts.inputTokens.mean} tokens` : s.prompts.type,
    duration:
      s.durationMs !== undefined
        ? `${s.durationMs / 1000}s`
        : s.requests !== undefined
          ? `${s.requests} requests`
          : '-',
    retries: s.retries,
    'tool version': version,
  };
}

function configDiff(inputs: readonly Comparable[]): ConfigDifference[] {
  const cfgs = inputs.map((c) =>
    c.kind === 'run'
      ? configOf(c.run.scenario, c.run.tool.version)
      : {
          ...configOf(c.sweep.scenario, c.sweep.tool.version),
          load: `sweep ${c.sweep.mode}`,
          slo: c.sweep.slo.join(','),
        },
  );
  const fields = [...new Set(cfgs.flatMap((c) => Object.keys(c)))];
  return fields
    .map((field) => ({ field, values: cfgs.map((c) => c[field] ?? '-') }))
    .filter((d) => new Set(d.values).size > 1);
}

export interface CompareOptions {
  /** Exit non-zero when a metric regresses significantly by more than this percent. */
  failOnRegressionPct?: number;
  seed?: number;
}

export class CompareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompareError';
  }
}

/** Compares inputs[1..] against inputs[0] (the baseline). All runs or all sweeps. */
export function compare(inputs: readonly Comparable[], opts: CompareOptions = {}): Comparison {
  if (inputs.length < 2) throw new CompareError('compare needs at least two files (A B [C ...])');
  const kind = inputs[0]!.kind;
  if (inputs.some((c) => c.kind !== kind))
    throw new CompareError(
      'compare runs with runs and sweeps with sweeps (got both run.json and sweep.json)',
    );
  const limit = opts.failOnRegressionPct ?? null;
  const metrics: MetricComparison[] = [];
  const build = (
    metric: string,
    unit: string,
    better: 'lower' | 'higher',
    values: (number | null)[],
    significance: (i: number) => { significant: boolean; interval: { low: number; high: number } | null },
  ) => {
    const base = values[0] ?? null;
    const rest = values.slice(1);
    const deltas = rest.map((v) => (v === null || base === null ? null : v - base));
    const changePct = deltas.map((d) =>
      d === null || base === null || base === 0 ? null : (d / Math.abs(base)) * 100,
    );
    const sig = rest.map((_, i) => significance(i + 1));
    const worse = (d: number | null) => d !== null && (better === 'lower' ? d > 0 : d < 0);
    metrics.push({
      metric,
      unit,
      better,
      values,
      deltas,
      changePct,
      significant: sig.map((s) => s.significant),
      deltaInterval: sig.map((s) => s.interval),
      regression: deltas.map(
        (d, i) =>
          sig[i]!.significant && worse(d) && (limit === null || Math.abs(changePct[i] ?? Infinity) > limit),
      ),
    });
  };
  if (kind === 'run') {
    const runs = inputs.map((c) => (c as Extract<Comparable, { kind: 'run' }>).run);
    for (const m of runMetrics) {
      const values = runs.map((r) => m.value(r));
      build(m.metric, m.unit, m.better, values, (i) => {
        if (!m.window) return { significant: false, interval: null };
        const interval = bootstrapDelta(windowPairs(runs[0]!, m), windowPairs(runs[i]!, m), opts.seed ?? 1);
        const d = values[i] !== null && values[0] !== null ? values[i]! - values[0]! : 0;
        return {
          significant: interval !== null && d !== 0 && (interval.low > 0 || interval.high < 0),
          interval,
        };
      });
    }
  } else {
    const sweeps = inputs.map((c) => (c as Extract<Comparable, { kind: 'sweep' }>).sweep);
    for (const m of sweepMetrics) {
      const values = sweeps.map((s) => m.value(s));
      build(m.metric, m.unit, m.better, values, (i) => {
        // The max rate is pinned between the highest pass and the lowest fail: disjoint intervals differ.
        if (m.metric !== 'maxSustainableRpm') return { significant: values[i] !== values[0], interval: null };
        const a = sweeps[0]!.maxSustainableInterval;
        const b = sweeps[i]!.maxSustainableInterval;
        if (!a || !b) return { significant: false, interval: null };
        const apart =
          (a.highRps !== null && b.lowRps >= a.highRps) || (b.highRps !== null && a.lowRps >= b.highRps);
        return { significant: apart, interval: null };
      });
    }
  }
  const sources = inputs.map((c) => c.source);
  const regressions = metrics.flatMap((m) =>
    m.regression.flatMap((r, i) =>
      r ? [{ metric: m.metric, source: sources[i + 1]!, changePct: m.changePct[i] ?? NaN }] : [],
    ),
  );
  return {
    kind,
    sources,
    names: inputs.map((c) => (c.kind === 'run' ? c.run.name : c.sweep.name)),
    metrics,
    config: configDiff(inputs),
    failOnRegressionPct: limit,
    regressions: limit === null ? [] : regressions,
  };
}

// Traffic spikes: k6-style `--stage 30s:5` flags, a spike shape derived from the planner's peak factor
// (baseline, a jump to peak x baseline for a set time, back), and what the spike cost: 429s and 529s
// during and after it, latency during it, and the time latency took to return to its baseline.
import type { PlanResult } from '../capacity/index';
import type { LoadShape, TimeWindow } from '../model/run';
import { parseDuration } from '../util/duration';

export class StageError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'StageError';
  }
}

type RampShape = Extract<LoadShape, { type: 'ramp' }>;

/**
 * `['30s:5', '10s:50', '30s:5']` -> a ramp: each stage moves the rate linearly to its target (req/s)
 * over its duration, as k6's ramping-arrival-rate does; the first starts at `startRps` (default 0).
 */
export function parseStages(
  flags: readonly string[],
  opts: { startRps?: number; maxInFlight?: number; field?: string } = {},
): RampShape {
  const field = opts.field ?? '--stage';
  if (flags.length === 0) throw new StageError(`${field}: give at least one stage such as "30s:5"`, field);
  const stages = flags.map((f) => {
    const m = /^\s*([^:]+):\s*(\d+(?:\.\d+)?)\s*$/.exec(f);
    if (!m)
      throw new StageError(
        `${field}: "${f}" must look like DURATION:RATE, e.g. "30s:5" (5 req/s after 30 s)`,
        field,
      );
    let durationMs: number;
    try {
      durationMs = parseDuration(m[1], field);
    } catch (e) {
      throw new StageError(`${field}: "${f}": ${(e as Error).message}`, field);
    }
    return { durationMs, rps: Number(m[2]) };
  });
  return { type: 'ramp', startRps: opts.startRps ?? 0, stages, maxInFlight: opts.maxInFlight ?? 1000 };
}

export interface SpikeSpec {
  baselineRps: number;
  /** Peak / baseline, >= 1 (the planner's peak factor). */
  peakFactor: number;
  baselineMs: number;
  spikeMs: number;
  afterMs: number;
  /** How long the jump up and down takes; default 1 % of the spike, at least 1 ms. */
  jumpMs?: number;
  maxInFlight?: number;
}

export interface SpikeShape {
  load: RampShape;
  /** When the spike is at its peak, seconds since the run started. */
  spike: { startS: number; endS: number };
  durationMs: number;
}

/** Baseline, a near-instant jump to peak x baseline held for spikeMs, then back to baseline. */
export function spikeShape(s: SpikeSpec): SpikeShape {
  if (!(s.baselineRps > 0)) throw new StageError('spike: baselineRps must be > 0', 'baselineRps');
  if (!(s.peakFactor >= 1)) throw new StageError('spike: peakFactor must be >= 1', 'peakFactor');
  const peak = s.baselineRps * s.peakFactor;
  const jump = s.jumpMs ?? Math.max(1, s.spikeMs * 0.01);
  const stages = [
    { durationMs: s.baselineMs, rps: s.baselineRps },
    { durationMs: jump, rps: peak },
    { durationMs: s.spikeMs, rps: peak },
    { durationMs: jump, rps: s.baselineRps },
    { durationMs: s.afterMs, rps: s.baselineRps },
  ];
  const startS = (s.baselineMs + jump) / 1000;
  return {
    load: { type: 'ramp', startRps: s.baselineRps, stages, maxInFlight: s.maxInFlight ?? 1000 },
    spike: { startS, endS: startS + s.spikeMs / 1000 },
    durationMs: stages.reduce((a, x) => a + x.durationMs, 0),
  };
}

/** The spike a capacity plan expects: its average Messages rate as baseline, its peak factor on top. */
export function spikeFromPlan(
  plan: PlanResult,
  timing: Pick<SpikeSpec, 'baselineMs' | 'spikeMs' | 'afterMs' | 'jumpMs' | 'maxInFlight'>,
): SpikeShape {
  return spikeShape({
    ...timing,
    baselineRps: plan.traffic.messagesRpm / 60,
    peakFactor: plan.input.peakFactor,
  });
}

/** A scheduled peak counts as a spike when it is at least this many times the baseline. */
const minSpikeRatio = 1.5;

/**
 * Where a ramp (k6-style `--stage` flags, a plan file's ramp, or spikeShape) has its spike: the time the
 * scheduled rate is above half-way from the baseline to the peak (full width at half maximum), the
 * baseline being the lower of the first and last stage's rate. Null when there is no peak of at least
 * 1.5 x baseline that comes back down, so steady runs and plain ramps print no spike analysis.
 */
export function spikeWindowOf(
  load: LoadShape,
): { startS: number; endS: number; baselineRps: number; peakRps: number } | null {
  if (load.type !== 'ramp' || load.stages.length < 2) return null;
  const baseline = Math.min(load.stages[0]!.rps, load.stages[load.stages.length - 1]!.rps);
  const peak = Math.max(...load.stages.map((s) => s.rps));
  if (!(baseline > 0) || peak < baseline * minSpikeRatio) return null;
  const half = baseline + (peak - baseline) / 2;
  let t = 0;
  let from = load.startRps;
  let startS: number | null = null;
  let endS: number | null = null;
  for (const st of load.stages) {
    const t1 = t + st.durationMs;
    const to = st.rps;
    // Crossings of the half-height line inside this linear segment.
    const cross = (): number => (from === to ? t : t + ((half - from) / (to - from)) * st.durationMs);
    if (startS === null && (to > half || from > half)) startS = from > half ? t : cross();
    if (startS !== null && endS === null && from > half && to <= half) endS = cross();
    // A second spike does not extend the first: the analysis is about the first one.
    from = to;
    t = t1;
    if (endS !== null) break;
  }
  // A ramp that ends at its peak has no "after": that is a ramp up, not a spike.
  if (startS === null || endS === null) return null;
  return { startS: startS / 1000, endS: endS / 1000, baselineRps: baseline, peakRps: peak };
}

export interface PhaseStats {
  requests: number;
  rateLimited: number;
  overloaded: number;
  rateLimitedRate: number;
  overloadedRate: number;
  /** ok-weighted mean of the windows' latency p95, ms (null without ok requests). */
  latencyP95Ms: number | null;
}

export interface SpikeAnalysis {
  before: PhaseStats;
  during: PhaseStats;
  after: PhaseStats;
  /** Seconds from the spike's end until window latency p95 is back within 10 % (+ 5 ms) of before, for 2 windows; null: never. */
  recoverS: number | null;
}

function phase(ws: readonly TimeWindow[]): PhaseStats {
  const n = ws.reduce((a, w) => a + w.completed, 0);
  const rl = ws.reduce((a, w) => a + w.outcomes.rate_limited, 0);
  const ov = ws.reduce((a, w) => a + w.outcomes.overloaded, 0);
  const ok = ws.reduce((a, w) => a + w.outcomes.ok, 0);
  return {
    requests: n,
    rateLimited: rl,
    overloaded: ov,
    rateLimitedRate: n === 0 ? 0 : rl / n,
    overloadedRate: n === 0 ? 0 : ov / n,
    latencyP95Ms: ok === 0 ? null : ws.reduce((a, w) => a + w.latencyMs.p95 * w.outcomes.ok, 0) / ok,
  };
}

/** What a spike cost, from a run's per-second windows (so it works on a saved run.json too). */
export function analyzeSpike(
  timeseries: readonly TimeWindow[],
  spike: { startS: number; endS: number },
): SpikeAnalysis {
  // A window [t, t+1) belongs to the spike when it overlaps it.
  const before = timeseries.filter((w) => w.t + 1 <= spike.startS);
  const during = timeseries.filter((w) => w.t + 1 > spike.startS && w.t < spike.endS);
  const after = timeseries.filter((w) => w.t >= spike.endS);
  const base = phase(before).latencyP95Ms;
  let recoverS: number | null = null;
  if (base !== null) {
    const okWindows = after.filter((w) => w.outcomes.ok > 0);
    const within = (w: TimeWindow) => w.latencyMs.p95 <= base * 1.1 + 5;
    for (let i = 0; i < okWindows.length; i++) {
      const next = okWindows[i + 1];
      if (within(okWindows[i]!) && (next === undefined || within(next))) {
        recoverS = Math.max(0, okWindows[i]!.t - spike.endS);
        break;
      }
    }
  }
  return { before: phase(before), during: phase(during), after: phase(after), recoverS };
}

/** What the spike cost, in one paragraph for the terminal or a report. */
export function describeSpike(a: SpikeAnalysis): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);
  return [
    `spike: ${a.during.rateLimited} 429s (${pct(a.during.rateLimitedRate)}) and ${a.during.overloaded} 529s (${pct(a.during.overloadedRate)}) during it, ` +
      `${a.after.rateLimited} 429s and ${a.after.overloaded} 529s after it`,
    `latency p95 ${ms(a.before.latencyP95Ms)} before, ${ms(a.during.latencyP95Ms)} during, ${ms(a.after.latencyP95Ms)} after`,
    a.recoverS === null
      ? 'latency did not return to its baseline before the run ended'
      : `latency back to baseline ${a.recoverS.toFixed(0)} s after the spike`,
  ].join('; ');
}

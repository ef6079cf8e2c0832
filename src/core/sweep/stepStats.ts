// Statistics of one sweep step from the engine's samples, warm-up excluded: rates, goodput, latency
// percentiles from histograms, 429s by bucket and limit, and the SLO verdicts with Wilson intervals.
import { findModel, type Catalog } from '../catalog/index';
import { rateLimitKind } from '../engine/index';
import { MetricHistogram } from '../metrics/histogram';
import type { RequestSample } from '../model/run';
import { modelBreakdown } from '../engine/byModel';
import { meetsEveryBound, wilsonInterval, type SloBound } from './slo';
import type { RateLimitKind, SloVerdict, StepPhase, SweepStep } from './types';

/** Achieved below this share of offered is flagged (the generator did not keep up). */
export const achievedRatioFloor = 0.98;

/** Which limit a 429 hit: the error message names it when the server says; else the headers. */
export function limitOf429(s: RequestSample): RateLimitKind {
  const m = s.errorMessage ?? '';
  if (/input tokens per minute/i.test(m)) return 'input_tokens';
  if (/output tokens per minute/i.test(m)) return 'output_tokens';
  if (/requests per minute/i.test(m)) return 'requests';
  return rateLimitKind(s);
}

export interface StepWindow {
  /** Engine-clock ms of the measured window (samples whose intended send falls inside count). */
  fromMs: number;
  toMs: number;
  /** Real seconds per target second (the simulator's time scale; 1 otherwise). */
  timeScale: number;
}

export function stepStats(
  index: number,
  phase: StepPhase,
  offeredRps: number | null,
  all: readonly RequestSample[],
  w: StepWindow,
  bounds: readonly SloBound[],
  catalog: Catalog,
): SweepStep {
  const samples = all.filter((s) => s.intendedAt >= w.fromMs && s.intendedAt < w.toMs);
  const measuredS = Math.max(1e-3, (w.toMs - w.fromMs) / 1000);
  // Rates in target time: real per-second counts divided by the time scale.
  const perS = (n: number) => n / measuredS / w.timeScale;
  const latency = new MetricHistogram();
  const ttft = new MetricHistogram();
  const tpot = new MetricHistogram();
  let ok = 0;
  let good = 0;
  let goodOut = 0;
  let out = 0;
  let rateLimited = 0;
  let overloaded = 0;
  let cost = 0;
  let inTok = 0;
  let outTokOk = 0;
  const by = new Map<string, { bucket: string; limit: RateLimitKind; count: number }>();
  for (const s of samples) {
    cost += s.costUsd;
    if (s.outcome === 'ok') {
      ok++;
      out += s.outputTokens;
      inTok += s.inputTokens + s.cacheWriteTokens + s.cacheReadTokens;
      outTokOk += s.outputTokens;
      latency.record(s.endAt - s.intendedAt);
      if (s.firstTextAt !== undefined) {
        const t = s.firstTextAt - s.sentAt;
        ttft.record(t);
        if (s.outputTokens > 1) tpot.record((s.endAt - s.sentAt - t) / (s.outputTokens - 1));
      }
      if (meetsEveryBound(bounds, s)) {
        good++;
        goodOut += s.outputTokens;
      }
    } else if (s.outcome === 'rate_limited') {
      rateLimited++;
      const bucket = findModel(catalog, s.model)?.bucket ?? 'unknown';
      const limit = limitOf429(s);
      const key = `${bucket}\u0000${limit}`;
      const e = by.get(key);
      if (e) e.count++;
      else by.set(key, { bucket, limit, count: 1 });
    } else if (s.outcome === 'overloaded') overloaded++;
  }
  const n = samples.length;
  const share = (k: number) => (n === 0 ? 0 : k / n);
  // Achieved: requests that actually left in the window (an in-flight cap or a busy generator sends late).
  const sent = all.filter((s) => s.outcome !== 'aborted' && s.sentAt >= w.fromMs && s.sentAt < w.toMs).length;
  const achievedRps = perS(sent);
  const slo = bounds.map((b) => verdictOf(b, samples, ok));
  const errors = n - ok;
  const otherErrors = errors - rateLimited - overloaded;
  const saturated = overSaturation(samples, w);
  return {
    index,
    phase,
    offeredRps,
    achievedRps,
    // One request short is counting granularity, not a generator falling behind.
    achievedShortfall:
      offeredRps !== null && sent + 1 < achievedRatioFloor * offeredRps * w.timeScale * measuredS,
    okRps: perS(ok),
    goodputRps: perS(good),
    goodputOutputTokensPerSec: perS(goodOut),
    outputTokensPerSec: perS(out),
    requests: n,
    rateLimitedRate: share(rateLimited),
    overloadedRate: share(overloaded),
    errorsRate: share(errors),
    otherErrorsRate: share(otherErrors),
    rateLimitedBy: [...by.values()]
      .sort((a, b) => b.count - a.count)
      .map((e) => ({ ...e, share: share(e.count) })),
    latency: latency.summary(),
    ttft: ttft.summary(),
    tpot: tpot.summary(),
    inFlightMax: maxInFlight(samples),
    costUsd: cost,
    meanInputTokens: ok === 0 ? 0 : inTok / ok,
    meanOutputTokens: ok === 0 ? 0 : outTokOk / ok,
    slo,
    // An over-saturated step is not sustainable whatever its SLO says: its queue keeps growing.
    pass: n > 0 && slo.every((v) => v.verdict === 'pass') && !saturated.inFlight && !saturated.ttft,
    overSaturated: saturated,
    measuredS,
    ...(new Set(samples.map((s) => s.model)).size > 1 ? { byModel: modelBreakdown(samples) } : {}),
  };
}

function verdictOf(b: SloBound, samples: readonly RequestSample[], ok: number): SloVerdict {
  let k = 0;
  for (const s of samples) if ((b.over === 'all' || s.outcome === 'ok') && b.violates(s)) k++;
  const n = b.over === 'all' ? samples.length : ok;
  const interval = wilsonInterval(k, n);
  const value = n === 0 ? 0 : k / n;
  const fail = interval.low > b.allowed;
  return {
    expr: b.expr,
    value,
    interval,
    allowed: b.allowed,
    verdict: fail ? 'fail' : 'pass',
    marginal: !fail && value > b.allowed,
  };
}

/** Highest number of requests in flight at once (from send/end times). */
function maxInFlight(samples: readonly RequestSample[]): number {
  const ev: [number, number][] = [];
  for (const s of samples) ev.push([s.sentAt, 1], [s.endAt, -1]);
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of ev) max = Math.max(max, (cur += d));
  return max;
}

const saturationBins = 8;

/**
 * Over-saturation: the queue grows for the whole window. In-flight count (sampled at bin ends) or the
 * median TTFT per bin rises steadily: a strong upward trend (R^2 >= 0.7) ending at least 1.5x where it
 * began. A target at its limit but keeping up shows a flat line.
 */
function overSaturation(
  samples: readonly RequestSample[],
  w: StepWindow,
): { inFlight: boolean; ttft: boolean } {
  const span = w.toMs - w.fromMs;
  if (samples.length < saturationBins * 3 || span <= 0) return { inFlight: false, ttft: false };
  const inFlight: number[] = [];
  const ttft: number[] = [];
  for (let i = 0; i < saturationBins; i++) {
    const t = w.fromMs + (span * (i + 1)) / saturationBins;
    let n = 0;
    for (const s of samples) if (s.sentAt <= t && s.endAt > t) n++;
    inFlight.push(n);
    const lo = w.fromMs + (span * i) / saturationBins;
    const h = new MetricHistogram();
    for (const s of samples)
      if (s.intendedAt >= lo && s.intendedAt < t && s.firstTextAt !== undefined)
        h.record(s.firstTextAt - s.sentAt);
    if (h.count > 0) ttft.push(h.percentile(50));
  }
  return { inFlight: risingSteadily(inFlight, 3), ttft: risingSteadily(ttft, 0) };
}

/** A series with a strong upward linear trend that ends at least 1.5x its start (and above `floor`). */
export function risingSteadily(values: readonly number[], floor: number): boolean {
  const n = values.length;
  if (n < 4) return false;
  const mx = (n - 1) / 2;
  const my = values.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  values.forEach((y, x) => {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  if (syy === 0 || sxy <= 0) return false;
  const r2 = (sxy * sxy) / (sxx * syy);
  const first = (values[0]! + values[1]!) / 2;
  const last = (values[n - 1]! + values[n - 2]!) / 2;
  return r2 >= 0.7 && last > floor && last >= 1.5 * Math.max(first, 1e-9);
}

// What a sweep's steps mean: the max sustainable rate with its interval, what binds, the knee of the
// output-token curve, and the planner's prediction for the same workload and tier.
import { planCapacity } from '../capacity/index';
import { findModel, findTier, limitsFor, type Catalog } from '../catalog/index';
import type { Scenario } from '../model/run';
import type { Binding, SweepPrediction, SweepStep } from './types';

/** Highest passing rate below the first failing one, with the interval the probes pin it to. */
export function maxSustainable(steps: readonly SweepStep[]): {
  rps: number | null;
  interval: { lowRps: number; highRps: number | null } | null;
} {
  const rated = steps.filter((s) => s.offeredRps !== null) as (SweepStep & { offeredRps: number })[];
  const lowestFail = rated
    .filter((s) => !s.pass)
    .reduce<number | null>((m, s) => (m === null ? s.offeredRps : Math.min(m, s.offeredRps)), null);
  const passes = rated.filter((s) => s.pass && (lowestFail === null || s.offeredRps < lowestFail));
  if (passes.length === 0)
    return { rps: null, interval: lowestFail === null ? null : { lowRps: 0, highRps: lowestFail } };
  const best = Math.max(...passes.map((s) => s.offeredRps));
  return { rps: best, interval: { lowRps: best, highRps: lowestFail } };
}

/** What stopped the rate from going higher: read from the lowest failing step. */
export function bindingOf(steps: readonly SweepStep[]): Binding {
  const failing = steps
    .filter((s) => s.offeredRps !== null && !s.pass)
    .sort((a, b) => a.offeredRps! - b.offeredRps!);
  const f = failing[0];
  if (!f) {
    const sat = steps.find((s) => s.overSaturated.inFlight || s.overSaturated.ttft);
    return sat ? { kind: 'saturation' } : { kind: 'none' };
  }
  const failed = f.slo.filter((v) => v.verdict === 'fail');
  const rl = failed.find((v) => v.expr.startsWith('rateLimited.'));
  const top = f.rateLimitedBy[0];
  if ((rl || f.rateLimitedRate > f.otherErrorsRate) && top)
    return { kind: 'rate-limit', bucket: top.bucket, limit: top.limit };
  const lat = failed.find((v) => !v.expr.startsWith('errors.') && !v.expr.endsWith('.rate'));
  if (lat) return { kind: 'latency', expr: lat.expr };
  const err = failed[0];
  if (err) return { kind: 'errors', expr: err.expr };
  return f.overSaturated.inFlight || f.overSaturated.ttft ? { kind: 'saturation' } : { kind: 'none' };
}

/**
 * Kneedle: normalise (offered, output tokens/s) to the unit square and take the point farthest above
 * the chord from the first to the last point: where more offered load stops buying output.
 */
export function kneeOf(points: readonly { x: number; y: number }[]): number | null {
  const p = [...points].sort((a, b) => a.x - b.x);
  if (p.length < 3) return null;
  const x0 = p[0]!.x;
  const x1 = p[p.length - 1]!.x;
  const ys = p.map((q) => q.y);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  if (x1 === x0 || y1 === y0) return null;
  const nx = (x: number) => (x - x0) / (x1 - x0);
  const ny = (y: number) => (y - y0) / (y1 - y0);
  const a = { x: 0, y: ny(p[0]!.y) };
  const b = { x: 1, y: ny(p[p.length - 1]!.y) };
  let best: number | null = null;
  let bestD = 1e-6;
  for (const q of p.slice(1, -1)) {
    const x = nx(q.x);
    const chord = a.y + (b.y - a.y) * x;
    const d = ny(q.y) - chord;
    if (d > bestD) {
      bestD = d;
      best = q.x;
    }
  }
  return best;
}

/**
 * The planner's maximum for the workload the sweep measured (mean input and output tokens per ok
 * request, from server usage) at the target's tier. Utilisation is linear in RPM, so the maximum is
 * rpm / (highest utilisation).
 */
export function predictMax(
  scenario: Scenario,
  steps: readonly SweepStep[],
  catalog: Catalog,
  tierName: string | undefined,
): SweepPrediction | null {
  const t = scenario.target;
  const tier = t.kind === 'simulator' ? t.tier : tierName;
  if (!tier) return null;
  let okTotal = 0;
  let inSum = 0;
  let outSum = 0;
  for (const s of steps) {
    const ok = s.okRps * s.measuredS;
    okTotal += ok;
    inSum += s.meanInputTokens * ok;
    outSum += s.meanOutputTokens * ok;
  }
  if (okTotal === 0) return null;
  const inputTokens = inSum / okTotal;
  const outputTokens = outSum / okTotal;
  const overrides = t.kind === 'simulator' ? t.limits : undefined;
  const model = scenario.models[0]!.model;
  const base = limitsFor(findTier(catalog, tier), findModel(catalog, model)?.bucket ?? '');
  const custom =
    overrides && base
      ? {
          rpm: overrides.rpm ?? base.rpm,
          itpm: overrides.itpm ?? base.itpm,
          otpm: overrides.otpm ?? base.otpm,
        }
      : undefined;
  const rpm = 60;
  const plan = planCapacity(
    {
      ...(scenario.models.length > 1 ? { mix: scenario.models } : { model }),
      rpm,
      peakFactor: 1,
      inputTokens,
      outputTokens,
      cachedTokens: 0,
      cacheHitRate: 0,
      cacheTtl: '5m',
      batchShare: 0,
      duplicateShare: 0,
      ...(custom ? { tier: 'custom', customLimits: custom } : { tier }),
    },
    { catalog },
  );
  const u = plan.tiers[0]?.utilization;
  if (!u) return null;
  const kinds = ['rpm', 'itpm', 'otpm'] as const;
  const binding = kinds.reduce((a, k) => (u[k] > u[a] ? k : a));
  if (!(u[binding] > 0)) return null;
  return {
    tier: custom ? `${tier} (limits overridden)` : tier,
    maxRpm: rpm / u[binding],
    binding,
    workload: { inputTokens, outputTokens, models: scenario.models },
  };
}

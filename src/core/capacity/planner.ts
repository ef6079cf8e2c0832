// The capacity planner: requirements, cost, tier fit, recommended tier and concurrency for a traffic profile.
import { customTier, limitsFor } from '../catalog/catalog';
import { builtinCatalog } from '../catalog/data';
import type { Catalog, ModelEntry, TierEntry } from '../catalog/types';
import { MONTH_DAYS, costOf, modelLines, requirementsOf, trafficOf } from './cost';
import type { ModelLine } from './cost';
import { fmtNumber, fmtPct, fmtUsd } from '../format/format';
import { adviseOn } from './recommendations';
import type {
  BucketFit,
  PlanInput,
  PlanLimit,
  PlanModel,
  PlanOptions,
  PlanRequirements,
  PlanResult,
  TierEvaluation,
} from './types';
import { validatePlanInput } from './validate';

const LIMIT_ORDER: PlanLimit[] = ['rpm', 'itpm', 'otpm', 'spend'];
const LIMIT_LABEL: Record<PlanLimit, string> = { rpm: 'RPM', itpm: 'ITPM', otpm: 'OTPM', spend: 'spend' };

function ratio(required: number, limit: number): number {
  return limit > 0 ? required / limit : required > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** Fit of one tier at peak, per bucket and for the monthly spend cap. */
export function evaluateTier(tier: TierEntry, req: PlanRequirements, monthUsd: number): TierEvaluation {
  const problems: string[] = [];
  const buckets = req.buckets.map((b): BucketFit => {
    const limits = limitsFor(tier, b.bucket) ?? null;
    if (!limits) {
      problems.push(`does not serve the ${b.displayName} bucket`);
      return {
        bucket: b.bucket,
        displayName: b.displayName,
        served: false,
        limits,
        utilization: null,
        fits: false,
      };
    }
    const peak = { rpm: b.peakRpm, itpm: b.peakItpm, otpm: b.peakOtpm };
    for (const k of ['rpm', 'itpm', 'otpm'] as const) {
      if (peak[k] > limits[k]) {
        problems.push(
          `${b.displayName} ${LIMIT_LABEL[k]} at peak ${fmtNumber(peak[k], 0)} > ${fmtNumber(limits[k], 0)}`,
        );
      }
    }
    return {
      bucket: b.bucket,
      displayName: b.displayName,
      served: true,
      limits,
      utilization: {
        rpm: ratio(peak.rpm, limits.rpm),
        itpm: ratio(peak.itpm, limits.itpm),
        otpm: ratio(peak.otpm, limits.otpm),
      },
      fits: peak.rpm <= limits.rpm && peak.itpm <= limits.itpm && peak.otpm <= limits.otpm,
    };
  });
  const cap = tier.monthlySpendCapUsd;
  const withinSpendCap = cap === null || monthUsd <= cap;
  if (!withinSpendCap) problems.push(`monthly cost ${fmtUsd(monthUsd)} > ${fmtUsd(cap)} cap`);
  const max = (k: 'rpm' | 'itpm' | 'otpm'): number =>
    buckets.reduce((m, b) => Math.max(m, b.utilization?.[k] ?? 0), 0);
  const utilization = {
    rpm: max('rpm'),
    itpm: max('itpm'),
    otpm: max('otpm'),
    spend: cap === null ? null : ratio(monthUsd, cap),
  };
  // Highest utilisation wins; on a tie the earlier limit in LIMIT_ORDER.
  const binding = LIMIT_ORDER.reduce((best, k) =>
    (utilization[k] ?? -1) > (utilization[best] ?? -1) ? k : best,
  );
  const fits = problems.length === 0;
  const reason = fits
    ? `closest limit: ${LIMIT_LABEL[binding]} at ${fmtPct(utilization[binding])}` +
      (cap === null ? '; no spend cap' : `; ${fmtUsd(monthUsd)}/month within the ${fmtUsd(cap)} cap`)
    : problems.join('; ');
  return {
    name: tier.name,
    displayName: tier.displayName,
    kind: tier.kind,
    fits,
    binding,
    utilization,
    monthlySpendCapUsd: cap,
    withinSpendCap,
    buckets,
    reason,
  };
}

/** Speed-profile latency of one request: TTFT, prefill, then streaming the output. */
export function estimateLatencyS(model: ModelEntry, inputTokens: number, outputTokens: number): number {
  const s = model.speed;
  return (
    (s.ttftMs + (s.ttftMsPer1kInput * inputTokens) / 1000 + (outputTokens / s.outputTokensPerSec) * 1000) /
    1000
  );
}

function planModels(input: PlanInput, lines: ModelLine[]): PlanModel[] {
  return lines.map(({ entry, share, prices }) => ({
    model: entry.id,
    displayName: entry.displayName,
    share,
    bucket: entry.bucket,
    status: entry.status,
    prices,
    longPromptBand: prices !== entry.prices,
    latencyS: input.latencyS ?? estimateLatencyS(entry, input.inputTokens, input.outputTokens),
  }));
}

function standardTiers(catalog: Catalog): TierEntry[] {
  return catalog.standardTierOrder.flatMap((name) => catalog.tiers.filter((t) => t.name === name));
}

/** `brief`: the user named a tier, so the answer is about that tier and this is only a pointer. */
function recommend(
  evals: TierEvaluation[],
  brief = false,
): { tier: string; reason: string; spendBound: boolean } {
  const i = evals.findIndex((e) => e.fits);
  const chosen = evals[i];
  if (chosen) {
    const smaller = evals.slice(0, i).map((e) => `${e.displayName}: ${e.reason}`);
    return {
      tier: chosen.name,
      reason: brief
        ? `${chosen.displayName} is the smallest standard tier that fits; ${chosen.reason}.`
        : `${chosen.displayName} is the smallest standard tier where every bucket fits at peak and the monthly ` +
          `cost is within the spend cap; ${chosen.reason}.` +
          (smaller.length ? ` Smaller tiers do not fit: ${smaller.join('; ')}.` : ''),
      spendBound: false,
    };
  }
  const largest = evals[evals.length - 1];
  return {
    tier: 'custom',
    reason: largest
      ? `No standard tier fits; the largest, ${largest.displayName}: ${largest.reason}. Ask Anthropic for a custom tier.`
      : 'The catalog has no standard tiers. Ask Anthropic for a custom tier.',
    spendBound: largest ? !largest.withinSpendCap : false,
  };
}

function mixLabel(input: PlanInput): string {
  return input.mix
    ? input.mix.map((m) => `${m.model}:${Number(m.share.toFixed(6))}`).join(',')
    : (input.model ?? '');
}

/**
 * Plans capacity for a traffic profile: pure and synchronous. The input is re-validated (cheap), so a bad
 * value throws PlanInputError naming the field.
 */
export function planCapacity(rawInput: PlanInput, options: PlanOptions = {}): PlanResult {
  const catalog = options.catalog ?? builtinCatalog;
  const input = validatePlanInput(rawInput, catalog);
  const lines = modelLines(input, catalog);
  const models = planModels(input, lines);
  const traffic = trafficOf(input);
  const requirements = requirementsOf(input, lines, catalog);
  const cost = costOf(input, lines, catalog);

  const standard = standardTiers(catalog).map((t) => evaluateTier(t, requirements, cost.perMonthUsd));
  const rec = recommend(standard, input.tier !== undefined);
  const evaluate = (t: TierEntry): TierEvaluation =>
    standard.find((e) => e.name === t.name) ?? evaluateTier(t, requirements, cost.perMonthUsd);
  let tiers: TierEvaluation[];
  if (input.tier === 'custom' && input.customLimits) {
    tiers = [evaluate(customTier(input.customLimits, input.customSpendCapUsd ?? null))];
  } else if (input.tier) {
    tiers = catalog.tiers.filter((t) => t.name === input.tier).map(evaluate);
  } else {
    tiers = catalog.tiers.map(evaluate);
  }

  // Little's law: requests in flight = arrival rate x time in system, per model, Messages API only.
  const concurrency = models.reduce((s, m) => s + ((traffic.peakMessagesRpm * m.share) / 60) * m.latencyS, 0);
  const latency = {
    seconds: models.reduce((s, m) => s + m.share * m.latencyS, 0),
    source: input.latencyS === undefined ? ('speed-profile-estimate' as const) : ('input' as const),
  };

  const { recommendations, warnings } = adviseOn({
    input,
    catalog,
    lines,
    traffic,
    requirements,
    cost,
    concurrency,
    recommendedTier: rec.tier,
    spendBound: rec.spendBound,
    largestStandard: standard[standard.length - 1],
    requestedTier: input.tier ? tiers[0] : undefined,
    recommendedEvaluation: standard.find((e) => e.name === rec.tier),
  });

  return {
    asOf: catalog.asOf,
    model: mixLabel(input),
    monthDays: MONTH_DAYS,
    input,
    models,
    traffic,
    requirements,
    cost,
    tiers,
    recommendedTier: rec.tier,
    recommendedReason: rec.reason,
    ...(input.tier && tiers[0] ? { requestedTier: tiers[0] } : {}),
    concurrency,
    concurrencyRoundedUp: Math.max(0, Math.ceil(concurrency - 1e-9)),
    latency,
    recommendations,
    warnings,
  };
}

// What a batch cost, what the same usage costs through the Messages API, and how long the tier's
// Messages limits would need for it (from the capacity planner).
import { planCapacity } from '../capacity/index';
import type { Catalog, ModelEntry } from '../catalog/index';
import { CatalogError, pricesFor, resolveModel } from '../catalog/index';
import type { MessagesComparison } from './types';

/** Usage of one succeeded request, as its result reports it. */
export interface RequestUsage {
  model: string;
  input: number;
  output: number;
  cacheRead: number;
  write5m: number;
  write1h: number;
}

/** USD at catalog prices; `discount` applies to input and output only (cache writes and reads stay). */
export function usageCostUsd(u: RequestUsage, entry: ModelEntry, discount: number): number {
  const p = pricesFor(entry, u.input + u.cacheRead + u.write5m + u.write1h);
  return (
    (u.input * p.input * (1 - discount) +
      u.output * p.output * (1 - discount) +
      u.cacheRead * p.cacheRead +
      u.write5m * p.cacheWrite5m +
      u.write1h * p.cacheWrite1h) /
    1e6
  );
}

export interface UsageTotals {
  requests: number;
  byModel: Map<string, number>;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * Minutes the tier's Messages limits need for `totalRequests` requests with the averages of the
 * succeeded ones: the planner's utilisation at 1 RPM is the share of each limit one request per
 * minute takes, so the binding limit sustains 1 / max(utilisation) RPM.
 */
export function messagesComparison(
  usage: UsageTotals,
  totalRequests: number,
  tier: string,
  catalog: Catalog,
): MessagesComparison | null {
  if (usage.requests === 0 || totalRequests === 0) return null;
  const n = usage.requests;
  const mix = [...usage.byModel].map(([model, count]) => ({ model, share: count / n }));
  const cached = (usage.cacheRead + usage.cacheWrite) / n;
  const inputTokens = (usage.input + usage.cacheRead + usage.cacheWrite) / n;
  let plan;
  try {
    for (const m of mix) resolveModel(catalog, m.model);
    plan = planCapacity(
      {
        ...(mix.length === 1 ? { model: mix[0]!.model } : { mix }),
        rpm: 1,
        peakFactor: 1,
        inputTokens,
        outputTokens: usage.output / n,
        cachedTokens: cached,
        cacheHitRate: cached > 0 ? usage.cacheRead / (usage.cacheRead + usage.cacheWrite) : 0,
        cacheTtl: '5m',
        batchShare: 0,
        duplicateShare: 0,
        tier,
      },
      { catalog },
    );
  } catch (e) {
    if (e instanceof CatalogError) return null;
    throw e;
  }
  const evaluation = plan.tiers[0];
  if (!evaluation) return null;
  const unserved = evaluation.buckets.find((b) => !b.served);
  const u = evaluation.utilization;
  const binding = u.itpm > u.rpm && u.itpm >= u.otpm ? 'itpm' : u.otpm > u.rpm ? 'otpm' : 'rpm';
  const perRequest = Math.max(u.rpm, u.itpm, u.otpm);
  return {
    tier,
    sustainableRpm: perRequest > 0 ? 1 / perRequest : Infinity,
    binding,
    minutes: totalRequests * perRequest,
    ...(unserved ? { unavailable: `the ${tier} tier does not serve ${unserved.displayName}` } : {}),
  };
}

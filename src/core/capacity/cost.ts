// Traffic, cache-aware rate requirements and cost of a validated PlanInput. Pure arithmetic, no advice.
import { bucketName, pricesFor, resolveModel } from '../catalog/catalog';
import type { Catalog, ModelEntry, PriceTable } from '../catalog/types';
import type {
  BucketRequirement,
  CostBreakdown,
  ModelShare,
  PlanCost,
  PlanInput,
  PlanRequirements,
  PlanTraffic,
} from './types';

export const MONTH_DAYS = 30;
const MINUTES_PER_DAY = 60 * 24;
const PER_MTOK = 1e-6;

export interface ModelLine {
  entry: ModelEntry;
  share: number;
  prices: PriceTable;
}

export function mixOf(input: PlanInput): ModelShare[] {
  return input.mix ?? [{ model: input.model ?? '', share: 1 }];
}

/** The models of the plan with their prices for this prompt size (the band uses the whole prompt). */
export function modelLines(input: PlanInput, catalog: Catalog): ModelLine[] {
  return mixOf(input).map(({ model, share }) => {
    const entry = resolveModel(catalog, model);
    return { entry, share, prices: pricesFor(entry, input.inputTokens) };
  });
}

/** Coalescing first (duplicates are never sent), then the batch share of what remains. */
export function trafficOf(input: PlanInput): PlanTraffic {
  const unique = input.rpm * (1 - input.duplicateShare);
  const messagesRpm = unique * (1 - input.batchShare);
  return {
    incomingRpm: input.rpm,
    coalescedRpm: input.rpm - unique,
    batchRpm: unique * input.batchShare,
    messagesRpm,
    peakMessagesRpm: messagesRpm * input.peakFactor,
    requestsPerDay: input.rpm * MINUTES_PER_DAY,
  };
}

/** Average per-request token split of the prompt: uncached rest, cache writes (misses), cache reads (hits). */
function promptSplit(input: PlanInput): { uncached: number; writes: number; reads: number } {
  const cached = input.cachedTokens;
  return {
    uncached: input.inputTokens - cached,
    writes: cached * (1 - input.cacheHitRate),
    reads: cached * input.cacheHitRate,
  };
}

/**
 * Messages-API requirements per bucket. ITPM counts uncached input and cache writes; cache reads do not
 * (except for models flagged cacheReadsCountTowardItpm, the retired Haiku 3.5).
 */
export function requirementsOf(input: PlanInput, lines: ModelLine[], catalog: Catalog): PlanRequirements {
  const traffic = trafficOf(input);
  const { uncached, writes, reads } = promptSplit(input);
  const byBucket = new Map<string, BucketRequirement>();
  for (const { entry, share } of lines) {
    const rpm = traffic.messagesRpm * share;
    const itpmPerRequest = uncached + writes + (entry.cacheReadsCountTowardItpm ? reads : 0);
    let b = byBucket.get(entry.bucket);
    if (!b) {
      b = {
        bucket: entry.bucket,
        displayName: bucketName(catalog, entry.bucket),
        models: [],
        rpm: 0,
        itpm: 0,
        otpm: 0,
        peakRpm: 0,
        peakItpm: 0,
        peakOtpm: 0,
        cacheReadTokensPerMinute: 0,
      };
      byBucket.set(entry.bucket, b);
    }
    b.models.push(entry.id);
    b.rpm += rpm;
    b.itpm += rpm * itpmPerRequest;
    b.otpm += rpm * input.outputTokens;
    b.cacheReadTokensPerMinute += rpm * reads;
  }
  const buckets = [...byBucket.values()].map((b) => ({
    ...b,
    peakRpm: b.rpm * input.peakFactor,
    peakItpm: b.itpm * input.peakFactor,
    peakOtpm: b.otpm * input.peakFactor,
  }));
  const sum = (k: keyof BucketRequirement): number => buckets.reduce((s, b) => s + (b[k] as number), 0);
  return {
    rpm: sum('rpm'),
    itpm: sum('itpm'),
    otpm: sum('otpm'),
    peakRpm: sum('peakRpm'),
    peakItpm: sum('peakItpm'),
    peakOtpm: sum('peakOtpm'),
    cacheReadTokensPerMinute: sum('cacheReadTokensPerMinute'),
    buckets,
  };
}

function scale(b: CostBreakdown, k: number): CostBreakdown {
  return {
    inputUsd: b.inputUsd * k,
    outputUsd: b.outputUsd * k,
    cacheWriteUsd: b.cacheWriteUsd * k,
    cacheReadUsd: b.cacheReadUsd * k,
  };
}

function total(b: CostBreakdown): number {
  return b.inputUsd + b.outputUsd + b.cacheWriteUsd + b.cacheReadUsd;
}

/**
 * Cost of one arriving request to one model, averaged over duplicates (free), batched and Messages requests.
 * Batch discount: the reference says "50 % off input and output", so it applies to input and output only;
 * cache writes and reads of batched requests stay at full price.
 */
function perRequestBreakdown(input: PlanInput, line: ModelLine, catalog: Catalog): CostBreakdown {
  const { uncached, writes, reads } = promptSplit(input);
  const sent = 1 - input.duplicateShare;
  const discounted = sent * (1 - input.batchShare + input.batchShare * (1 - catalog.batchDiscount));
  const p = line.prices;
  const writePrice = input.cacheTtl === '1h' ? p.cacheWrite1h : p.cacheWrite5m;
  return {
    inputUsd: uncached * p.input * PER_MTOK * discounted,
    outputUsd: input.outputTokens * p.output * PER_MTOK * discounted,
    cacheWriteUsd: writes * writePrice * PER_MTOK * sent,
    cacheReadUsd: reads * p.cacheRead * PER_MTOK * sent,
  };
}

export function costOf(input: PlanInput, lines: ModelLine[], catalog: Catalog): PlanCost {
  const requestsPerDay = input.rpm * MINUTES_PER_DAY;
  const perModel = lines.map((line) => scale(perRequestBreakdown(input, line, catalog), line.share));
  const breakdown = perModel.reduce<CostBreakdown>(
    (acc, b) => ({
      inputUsd: acc.inputUsd + b.inputUsd,
      outputUsd: acc.outputUsd + b.outputUsd,
      cacheWriteUsd: acc.cacheWriteUsd + b.cacheWriteUsd,
      cacheReadUsd: acc.cacheReadUsd + b.cacheReadUsd,
    }),
    { inputUsd: 0, outputUsd: 0, cacheWriteUsd: 0, cacheReadUsd: 0 },
  );
  const perRequestUsd = total(breakdown);
  return {
    perRequestUsd,
    perDayUsd: perRequestUsd * requestsPerDay,
    perMonthUsd: perRequestUsd * requestsPerDay * MONTH_DAYS,
    monthDays: MONTH_DAYS,
    breakdown,
    breakdownPerDay: scale(breakdown, requestsPerDay),
    breakdownPerMonth: scale(breakdown, requestsPerDay * MONTH_DAYS),
    byModel: lines.map((line, i) => {
      const perRequest = total(perModel[i]!);
      return {
        model: line.entry.id,
        share: line.share,
        perRequestUsd: perRequest,
        perMonthUsd: perRequest * requestsPerDay * MONTH_DAYS,
      };
    }),
    note:
      `Per arriving request (coalesced duplicates cost nothing); a day is ${input.rpm} RPM x 1,440 minutes ` +
      `at the average rate, a month is ${MONTH_DAYS} days. Batch discount on input and output only.`,
  };
}

/** Monthly cost of a what-if variant of the input (used by the recommendations). */
export function monthlyCost(input: PlanInput, catalog: Catalog): number {
  return costOf(input, modelLines(input, catalog), catalog).perMonthUsd;
}

/** Mix-weighted peak Messages ITPM of a variant (used by the caching recommendation). */
export function peakItpm(input: PlanInput, catalog: Catalog): number {
  return requirementsOf(input, modelLines(input, catalog), catalog).peakItpm;
}

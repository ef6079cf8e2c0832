// Shapes of the capacity planner: what the user tells it and what it answers.
import type { BucketLimits, Catalog, ModelStatus, PriceTable, TierKind } from '../catalog/types';

export type CacheTtl = '5m' | '1h';
/** A limit that can bind a tier: a rate limit of a bucket, or the monthly spend cap. */
export type PlanLimit = 'rpm' | 'itpm' | 'otpm' | 'spend';
export type LatencySource = 'input' | 'speed-profile-estimate';

/** One model of a traffic mix ("model routing"); shares are fractions that sum to 1. */
export interface ModelShare {
  model: string;
  share: number;
}

export interface CustomLimits {
  rpm: number;
  itpm: number;
  otpm: number;
}

/** A validated planner input (see validatePlanInput, which applies the defaults). */
export interface PlanInput {
  /** Single model id; ignored when `mix` is given. */
  model?: string;
  /** Weighted model mix; shares are normalised to sum to exactly 1. */
  mix?: ModelShare[];
  /** Average requests per minute arriving (before coalescing and batching). */
  rpm: number;
  /** Peak / average, >= 1. Default 1. */
  peakFactor: number;
  /** Average input tokens per request, cached prefix included. */
  inputTokens: number;
  outputTokens: number;
  /** Tokens of the cacheable prefix, part of inputTokens. Default 0. */
  cachedTokens: number;
  /** Fraction of requests that find the prefix in cache. Default 0 (required when cachedTokens > 0). */
  cacheHitRate: number;
  /** Cache write lifetime, priced 1.25x (5m) or 2x (1h) input. Default '5m'. */
  cacheTtl: CacheTtl;
  /** Fraction of the remaining (non-duplicate) requests sent through Message Batches. Default 0. */
  batchShare: number;
  /** Fraction of arriving requests that are duplicates coalescing removes. Default 0. */
  duplicateShare: number;
  /** Measured or expected latency per request, seconds; default: the models' speed profiles. */
  latencyS?: number;
  /** Tier to evaluate (catalog name or 'custom'); default: every catalog tier. */
  tier?: string;
  /** Limits of the 'custom' tier, applied to every bucket. */
  customLimits?: CustomLimits;
  /** Monthly spend cap of the 'custom' tier; null or absent means none. */
  customSpendCapUsd?: number | null;
  /** App instances sharing the organisation's limits (one API key); absent means 1. */
  instances?: number;
}

export interface PlanOptions {
  catalog?: Catalog;
}

/** A model of the plan with the prices used for this prompt size. */
export interface PlanModel {
  model: string;
  displayName: string;
  share: number;
  bucket: string;
  status: ModelStatus;
  /** USD per million tokens, long-prompt band applied when the prompt is above it. */
  prices: PriceTable;
  longPromptBand: boolean;
  /** Latency per request used for concurrency, seconds. */
  latencyS: number;
}

/** Where the arriving requests go, requests per minute on average. */
export interface PlanTraffic {
  incomingRpm: number;
  /** Removed by coalescing (duplicateShare). */
  coalescedRpm: number;
  /** Sent through Message Batches: priced with the batch discount, outside the Messages limits. */
  batchRpm: number;
  /** Sent to the Messages API: what the rate limits see. */
  messagesRpm: number;
  peakMessagesRpm: number;
  /** Arriving requests per day: incomingRpm * 60 * 24 (average, not peak). */
  requestsPerDay: number;
}

export interface RateRequirement {
  rpm: number;
  itpm: number;
  otpm: number;
  peakRpm: number;
  peakItpm: number;
  peakOtpm: number;
}

export interface BucketRequirement extends RateRequirement {
  bucket: string;
  displayName: string;
  models: string[];
  /** Cache-read tokens per minute (average): served, but not counted toward ITPM. */
  cacheReadTokensPerMinute: number;
}

/** Messages-API requirements; batched and coalesced requests are excluded. ITPM is cache-aware. */
export interface PlanRequirements extends RateRequirement {
  buckets: BucketRequirement[];
  cacheReadTokensPerMinute: number;
}

export interface CostBreakdown {
  inputUsd: number;
  outputUsd: number;
  cacheWriteUsd: number;
  cacheReadUsd: number;
}

export interface ModelCost {
  model: string;
  share: number;
  perRequestUsd: number;
  perMonthUsd: number;
}

/**
 * Costs in USD, unrounded. "Per request" is per arriving request (coalesced duplicates cost nothing),
 * so perDayUsd = perRequestUsd * requestsPerDay and perMonthUsd = perDayUsd * monthDays.
 */
export interface PlanCost {
  perRequestUsd: number;
  perDayUsd: number;
  perMonthUsd: number;
  monthDays: 30;
  /** Split of perRequestUsd. */
  breakdown: CostBreakdown;
  /** Split of perDayUsd. */
  breakdownPerDay: CostBreakdown;
  /** Split of perMonthUsd. */
  breakdownPerMonth: CostBreakdown;
  byModel: ModelCost[];
  note: string;
}

export interface Utilization {
  rpm: number;
  itpm: number;
  otpm: number;
}

export interface BucketFit {
  bucket: string;
  displayName: string;
  /** False when the tier has no limits for this bucket: then it does not fit. */
  served: boolean;
  limits: BucketLimits | null;
  /** Peak requirement / limit; null when not served. */
  utilization: Utilization | null;
  fits: boolean;
}

export interface TierEvaluation {
  name: string;
  displayName: string;
  kind: TierKind;
  fits: boolean;
  /** The limit with the highest utilisation (ties: rpm, itpm, otpm, spend). */
  binding: PlanLimit;
  /** Highest peak utilisation across buckets; spend = monthly cost / cap (null without a cap). */
  utilization: Utilization & { spend: number | null };
  monthlySpendCapUsd: number | null;
  withinSpendCap: boolean;
  buckets: BucketFit[];
  /** Why it fits or not, with numbers. */
  reason: string;
}

export interface PlanRecommendation {
  id: 'queue' | 'model-routing' | 'batches' | 'prompt-caching' | 'coalescing' | 'shared-limiter';
  message: string;
  savingUsdPerMonth?: number;
}

export interface PlanWarning {
  id:
    | 'deprecated-model'
    | 'legacy-model'
    | 'long-prompt-band'
    | 'cache-below-minimum'
    | 'spend-cap'
    | 'unconfirmed';
  message: string;
}

export interface PlanResult {
  asOf: string;
  /** The model id, or for a mix "id:share,id:share" (the --mix syntax). */
  model: string;
  monthDays: 30;
  input: PlanInput;
  models: PlanModel[];
  traffic: PlanTraffic;
  requirements: PlanRequirements;
  cost: PlanCost;
  /** The requested tier, or every catalog tier. */
  tiers: TierEvaluation[];
  /** Smallest standard tier that fits at peak and within its spend cap, else 'custom'. */
  recommendedTier: string;
  /** Why; brief (no walk through the smaller tiers) when the user named a tier. */
  recommendedReason: string;
  /** The tier the user named (--tier): the answer leads with it. */
  requestedTier?: TierEvaluation;
  /** Requests in flight at peak (Little's law), unrounded. */
  concurrency: number;
  concurrencyRoundedUp: number;
  /** Mix-weighted latency per request used for concurrency. */
  latency: { seconds: number; source: LatencySource };
  recommendations: PlanRecommendation[];
  warnings: PlanWarning[];
}

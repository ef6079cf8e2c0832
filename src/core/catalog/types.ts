// Shapes of the catalog: models, prices, rate-limit buckets and tiers, kept as data.

export type ModelStatus = 'current' | 'active' | 'legacy' | 'deprecated' | 'retired';
export type ModelFamily = 'fable' | 'opus' | 'sonnet' | 'haiku';
export type TokenizerGeneration = 'classic' | 'new';

/** USD per million tokens. */
export interface PriceTable {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/** A rough speed profile for planning and for the simulator. Always an estimate. */
export interface SpeedProfile {
  /** Typical time to first token for a short prompt, ms. */
  ttftMs: number;
  /** Extra TTFT per 1,000 input tokens, ms (prefill cost). */
  ttftMsPer1kInput: number;
  /** Typical output speed once streaming, tokens/s. */
  outputTokensPerSec: number;
  estimate: true;
}

/** Thinking modes a model accepts (reference: "Model limits and thinking"). */
export interface ThinkingSupport {
  /** `thinking: {type: "adaptive"}` (+ `output_config.effort`). */
  adaptive: boolean;
  /** `thinking: {type: "enabled", budget_tokens}`. */
  enabled: boolean;
  /** Thinking cannot be turned off (`disabled` -> 400; no thinking field still thinks). */
  alwaysOn: boolean;
}

export interface ModelEntry {
  id: string;
  displayName: string;
  family: ModelFamily;
  status: ModelStatus;
  /** YYYY-MM-DD; set for deprecated (planned) and retired (past) models. */
  endOfLife?: string;
  /** Suggested current model when this one is deprecated or retired. */
  replacement?: string;
  prices: PriceTable;
  /** Set when the whole request is priced higher above a prompt size (Haiku 5.5 above 100K tokens). */
  longPromptBand?: { aboveInputTokens: number; prices: PriceTable };
  /** Why a price is not confirmed by an official source, when it is not. */
  pricesUnconfirmed?: string;
  /** Rate-limit bucket id; models sharing a bucket share its limits. */
  bucket: string;
  /** Legacy Haiku 3.5 counted cache reads toward ITPM. */
  cacheReadsCountTowardItpm?: boolean;
  tokenizer: TokenizerGeneration;
  speed: SpeedProfile;
  /** Release date, YYYY-MM-DD (the models endpoint's created_at). */
  releaseDate?: string;
  /** Set when the release date is an estimate, not from an official page. */
  releaseDateUnconfirmed?: string;
  /** YYYY-MM-DD the deprecation was announced (deprecated models). */
  deprecatedAt?: string;
  /** Largest prompt in tokens (input + cache); above it the API answers 400 "prompt is too long". */
  contextWindow?: number;
  /** Largest max_tokens the Messages API accepts. */
  maxOutputTokens?: number;
  /**
   * Largest max_tokens in a Message Batch with the 300K-output beta header (`OUTPUT_300K_BETA`); unset
   * where the model has no such beta (its batch requests keep `maxOutputTokens`).
   */
  batchMaxOutputTokens?: number;
  /** Shortest prefix, tokens, the prompt cache stores; a shorter one is neither written nor read. */
  promptCacheMinTokens?: number;
  /** Why `promptCacheMinTokens` is not confirmed by an official source (where the figure came from). */
  promptCacheMinUnconfirmed?: string;
  thinking?: ThinkingSupport;
}

export interface BucketInfo {
  id: string;
  displayName: string;
}

export interface BucketLimits {
  rpm: number;
  itpm: number;
  otpm: number;
  /** Why these numbers are an assumption, when they are. */
  unconfirmed?: string;
}

export type TierKind = 'standard' | 'legacy' | 'custom';

export interface TierEntry {
  name: string;
  displayName: string;
  kind: TierKind;
  /** Monthly spend cap in USD; null means none. */
  monthlySpendCapUsd: number | null;
  spendCapUnconfirmed?: string;
  /** Limits per bucket id. */
  buckets: Record<string, BucketLimits>;
  /** Limits for buckets not listed (legacy presets quote one figure for every model). */
  defaultLimits?: BucketLimits;
  batch?: { rpm: number; queuedRequests: number };
  countTokensRpm?: number;
  note?: string;
}

/** An id that older guides use, answered with a message naming the current ids. */
export interface ModelAlias {
  id: string;
  message: string;
  suggestions: string[];
}

export interface Catalog {
  /** Date (YYYY-MM-DD) the prices and limits were collected. */
  asOf: string;
  currency: 'USD';
  /** Message Batches discount on input and output (0.5 = 50 % off). */
  batchDiscount: number;
  models: ModelEntry[];
  buckets: BucketInfo[];
  tiers: TierEntry[];
  aliases: ModelAlias[];
  /** Standard tiers in ascending order, used for recommendations. */
  standardTierOrder: string[];
}

// Public shapes of the shared limiter (see README "Scaling out: the shared limiter").
import type { BucketLimits } from '../catalog/index';
import type { Redis } from 'ioredis';

/** Per-minute limits of one rate-limit bucket: requests, input tokens, output tokens. */
export interface RateLimits {
  rpm: number;
  itpm: number;
  otpm: number;
}

/**
 * Limits, in one of three forms: the same figures for every rate-limit bucket; a tier of the
 * catalog (optionally naming the default model); or figures per catalog bucket id.
 */
export type LimitsOption =
  RateLimits | { tier: string; model?: string } | Record<string, RateLimits | BucketLimits>;

/** What happens while Redis is unreachable. */
export type RedisDownPolicy = 'wait' | 'local' | 'fail';

/** `gcra`: the continuous token buckets (default). `fixedWindow`: INCR + EXPIRE per minute (a baseline only). */
export type LimiterStrategy = 'gcra' | 'fixedWindow';

export interface LimiterOptions {
  /** A Redis URL or an ioredis client. Omit for an in-process limiter (one instance). */
  redis?: string | Redis;
  /** Every instance of the organisation uses the same namespace. */
  namespace: string;
  limits: LimitsOption;
  /** Seconds of a minute's limit that may go at once (bucket capacity = burstSeconds x limit / 60). Default 1. */
  burstSeconds?: number;
  /** Default 'wait'. */
  onRedisDown?: RedisDownPolicy;
  /** Default 'gcra'. */
  strategy?: LimiterStrategy;
  /** > 1 makes a limiter "minute" pass faster (rehearsals against a time-scaled simulator). Default 1. */
  timeScale?: number;
  /** Share of the limits the 'local' fallback uses while Redis is down (e.g. 1 / instances). Default 1. */
  localShare?: number;
  /**
   * With Redis: each instance reserves its next `quotaMs` of requests ahead, in the round trip of an
   * acquire or in the background, and admits from that quota without a round trip. Unused quota goes
   * back after `quotaMs`. The price: the bucket's burst shrinks by `quotaMs` (quota taken at one
   * instant may be spent up to `quotaMs` later, so that is kept free), a 429 pause reaches the other
   * instances up to `quotaMs` late, and every instance of the namespace must use the same value.
   * At most half the burst window (burstSeconds x 1,000 / timeScale / 2 ms). Default 0 (off).
   */
  quotaMs?: number;
  /** ioredis per-command timeout in ms when the limiter creates the client. Default 1,000. */
  commandTimeoutMs?: number;
  /** Monotonic clock (ms) of the in-process limiter; injectable for tests. Redis mode never reads it. */
  now?: () => number;
}

export interface AcquireRequest {
  /** Model id; picks the rate-limit bucket. Optional when the limits name a default model. */
  model?: string;
  /** Input tokens that count toward ITPM (estimate). */
  inputTokens?: number;
  /** Output tokens to reserve toward OTPM (estimate; trued up at settle). */
  outputTokens?: number;
  signal?: AbortSignal;
}

/** The `usage` object of a Messages reply (snake_case, as the API sends it). */
export interface ApiUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

export interface Lease {
  /** Rate-limit bucket the lease was taken from. */
  readonly bucket: string;
  /** ms the acquire waited (limiter wait, incl. pauses and Redis outages). */
  readonly waitedMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /**
   * When the limiter scheduled the send, ms on the limiter's clock (Redis TIME when shared); NaN for
   * fixedWindow and for an acquire admitted from quota (`quotaMs`: no round trip of its own).
   */
  readonly scheduledAt: number;
  /** Where the lease came from: the shared store, or the local fallback while Redis was down. */
  readonly source: 'redis' | 'local';
  /**
   * True-up from the server's usage (ITPM = input + cache creation; cache reads excluded). With
   * `remaining` (from the reply's headers) the re-sync rides on the same round trip. Never throws.
   */
  settle(usage: ApiUsage | null | undefined, remaining?: RemainingSnapshot): Promise<void>;
  /** The call did not happen: gives the whole reservation back. Never throws. */
  release(): void;
}

/**
 * Server-side remaining figures (from `anthropic-ratelimit-*-remaining` headers). A re-sync lowers
 * the shared level to them when they are below it (never raises it: other instances may have spent).
 */
export interface RemainingSnapshot {
  requests?: number;
  inputTokens?: number;
  outputTokens?: number;
}

export interface LimiterStats {
  acquires: number;
  /** Acquires that had to wait (limiter, pause or outage). */
  waited: number;
  /** Redis commands sent (acquire + settle + release + pause + sync). */
  roundTrips: number;
  redisErrors: number;
  /** Acquires served by the local fallback. */
  localFallbacks: number;
  /** Acquires admitted from the instance's reserved quota, without a round trip (`quotaMs`). */
  quotaHits: number;
  pauses: number;
}

export interface Limiter {
  readonly namespace: string;
  readonly strategy: LimiterStrategy;
  /** Waits until the request may be sent, then returns its lease. Rejects on abort, or on 'fail' while Redis is down. */
  acquire(request?: AcquireRequest): Promise<Lease>;
  /** Pauses every instance (through Redis) for that long: a 429's retry-after. Without `model`, every bucket. */
  pause(retryAfterSeconds: number, model?: string): Promise<void>;
  /** Lowers the shared level to what the server reports as remaining (never raises it). One round trip. */
  sync(model: string | undefined, remaining: RemainingSnapshot): Promise<void>;
  /** Resolved limits of the bucket a model uses. */
  limitsFor(model?: string): { bucket: string; limits: RateLimits; cacheReadsCount: boolean };
  stats(): LimiterStats;
  close(): Promise<void>;
}

export class LimiterConfigError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'LimiterConfigError';
  }
}

/** Redis is unreachable and onRedisDown is 'fail'. */
export class LimiterUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimiterUnavailableError';
  }
}

// Shapes of a scale-out rehearsal (`claude-load scale`).
import type { RateLimits } from '../limiter/types';

export const SCALE_MODES = ['none', 'fixed-window', 'shared', 'queue'] as const;
export type ScaleMode = (typeof SCALE_MODES)[number];

export interface ScaleRunOptions {
  instances: number;
  /** Offered load of all instances together, requests per real second (simulated: / timeScale). */
  offeredRps: number;
  durationMs: number;
  modes: ScaleMode[];
  /** 0 = even shares; 0.5 = shares from 0.5x to 1.5x of the mean. */
  skew: number;
  /** The organisation's limits for the model's bucket (per minute). */
  limits: RateLimits;
  burstSeconds: number;
  /** The shared limiter's quotaMs in the shared and queue modes (0 or omitted: off). */
  quotaMs?: number;
  model: string;
  maxTokens: number;
  /** Messages bodies the instances send in turn (a plan file's workload); default: a short prompt to `model`. */
  bodies?: Record<string, unknown>[];
  /** A running Redis; omitted: redis-server from PATH on a free port. */
  redisUrl?: string;
  /** Simulator time compression (limits refill that much faster; the limiter follows). Default 1. */
  timeScale?: number;
  /** Longest wait for in-flight requests after the offered load ends, ms. Default 15,000. */
  drainMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /**
   * Ctrl-C or Cancel: stop the running mode (its instances report what they measured), skip the
   * rest, stop the simulator and Redis.
   */
  signal?: AbortSignal;
  /** Called with each mode's result as it finishes (the CLI saves scale.json after each). */
  onMode?: (result: ModeResult) => void | Promise<void>;
}

/** What one instance process reports. */
export interface InstanceReport {
  index: number;
  offered: number;
  ok: number;
  failed: number;
  attempts: number;
  rateLimited: number;
  /** Latency from the intended send time to the reply (ok only), HDR histogram encoded. */
  latency: string;
  /** Limiter or queue wait, encoded histogram. */
  wait: string;
  roundTrips: number;
  /** Acquires the limiter made wait (not counting the round trip itself). */
  limiterWaits: number;
  /** ms from the start to the last ok reply. */
  lastOkMs: number;
  /** ok replies per second bucket since the start (org usage over time). */
  okPerSecond: number[];
  /** Told to stop early (Ctrl-C): the figures cover part of the duration. */
  stopped?: boolean;
}

export interface ModeResult {
  mode: ScaleMode;
  sent: number;
  ok: number;
  /** 429 answers (every attempt counted). */
  rateLimited: number;
  rateLimitedRate: number;
  attempts: number;
  retries: number;
  /** ok replies per minute of (simulated) time from the start to the last ok reply. */
  achievedRpm: number;
  limitRpm: number;
  /** Requests the org's bucket allowed over that span: the starting burst plus the refill. */
  allowedRequests: number;
  /** ok / allowedRequests (<= 1 unless more was served than the limit allows). */
  utilization: number;
  fairness: number;
  latency: { p50: number; p99: number };
  waitMs: { p50: number; p99: number };
  roundTripsPerRequest: number;
  /** Acquires the limiter made wait, all instances (0 at an offered load well under the limit). */
  limiterWaits: number;
  perInstanceOk: number[];
  /** ok replies per real second since the start, all instances together. */
  okPerSecond: number[];
  /** Stopped early (Ctrl-C): the figures cover part of the duration. */
  interrupted?: boolean;
}

export interface ScaleResult {
  instances: number;
  offeredRps: number;
  durationMs: number;
  limits: RateLimits;
  burstSeconds: number;
  /** The shared limiter's quotaMs (shared and queue modes); omitted when off. */
  quotaMs?: number;
  timeScale: number;
  modes: ModeResult[];
  /** Stopped by the signal (Ctrl-C, SIGTERM, Cancel): later modes were skipped. */
  interrupted?: boolean;
}

/** Job of one instance process (a "job" line on its stdin). */
export interface InstanceJob {
  index: number;
  mode: ScaleMode;
  baseURL: string;
  redisUrl: string;
  namespace: string;
  rps: number;
  /**
   * Offset of the first send, as a fraction of one interval (index / instances): independent
   * instances do not send in lockstep, and N sends landing on the same instant would measure the
   * harness's contention, not the limiter's.
   */
  phase?: number;
  durationMs: number;
  drainMs: number;
  limits: RateLimits;
  burstSeconds: number;
  /** The shared limiter's quotaMs (0: off). */
  quotaMs?: number;
  timeScale: number;
  /** Messages bodies sent in turn. */
  bodies: Record<string, unknown>[];
  /** Jobs per instance worker in queue mode. */
  concurrency: number;
}

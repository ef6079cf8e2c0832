// Shapes of a scale-out rehearsal (`claude-load scale`).
import type { RateLimits } from '../limiter/types';

export const SCALE_MODES = ['none', 'fixed-window', 'shared', 'queue'] as const;
export type ScaleMode = (typeof SCALE_MODES)[number];

export interface ScaleRunOptions {
  instances: number;
  /** Offered load of all instances together, requests per second. */
  offeredRps: number;
  durationMs: number;
  modes: ScaleMode[];
  /** 0 = even shares; 0.5 = shares from 0.5x to 1.5x of the mean. */
  skew: number;
  /** The organisation's limits for the model's bucket (per minute). */
  limits: RateLimits;
  burstSeconds: number;
  model: string;
  maxTokens: number;
  /** A running Redis; omitted: redis-server from PATH on a free port. */
  redisUrl?: string;
  /** Simulator time compression (limits refill that much faster; the limiter follows). Default 1. */
  timeScale?: number;
  /** Longest wait for in-flight requests after the offered load ends, ms. Default 15,000. */
  drainMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Aborting kills every instance process, stops the simulator and Redis, and returns the modes done so far. */
  signal?: AbortSignal;
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
  /** ms from the start to the last ok reply. */
  lastOkMs: number;
  /** ok replies per second bucket since the start (org usage over time). */
  okPerSecond: number[];
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
  achievedRpm: number;
  limitRpm: number;
  utilization: number;
  fairness: number;
  latency: { p50: number; p99: number };
  waitMs: { p50: number; p99: number };
  roundTripsPerRequest: number;
  perInstanceOk: number[];
  okPerSecond: number[];
}

export interface ScaleResult {
  instances: number;
  offeredRps: number;
  durationMs: number;
  limits: RateLimits;
  burstSeconds: number;
  modes: ModeResult[];
  /** Set when the signal stopped the rehearsal: `modes` holds only the modes that finished. */
  cancelled?: boolean;
}

/** Job of one instance process (argv JSON). */
export interface InstanceJob {
  index: number;
  mode: ScaleMode;
  baseURL: string;
  redisUrl: string;
  namespace: string;
  rps: number;
  durationMs: number;
  drainMs: number;
  limits: RateLimits;
  burstSeconds: number;
  timeScale: number;
  model: string;
  maxTokens: number;
  /** Jobs per instance worker in queue mode. */
  concurrency: number;
}

// Public entry of the shared limiter: `import { createLimiter, limitedFetch } from 'claude-load-scale/limiter'`.
// No vscode, no DOM: it runs in the user's app.
export { createLimiter, bucketKey, defineLimiterScripts } from './limiter';
export { limitedFetch, retryAfterSeconds, remainingFromHeaders } from './fetch';
export type { LimitedFetch, LimitedFetchOptions } from './fetch';
export { AimdConcurrency } from './aimd';
export type { AimdOptions } from './aimd';
export { limiterGate } from './gate';
export type { LimiterGateOptions } from './gate';
export { jainIndex } from './fairness';
export { SseUsageParser, tapSseUsage } from './usageTap';
export { LimiterConfigError, LimiterUnavailableError } from './types';
export type {
  AcquireRequest,
  ApiUsage,
  Lease,
  Limiter,
  LimiterOptions,
  LimiterStats,
  LimiterStrategy,
  LimitsOption,
  RateLimits,
  RedisDownPolicy,
  RemainingSnapshot,
} from './types';

// `claude-load scale`: rehearse a scale-out on the simulator.
export { runScale, instanceShares, summarizeMode } from './run';
export { startRedisServer, freePort, RedisServerMissingError } from './redisServer';
export type { RedisServerHandle } from './redisServer';
export { SCALE_MODES } from './types';
export type { InstanceReport, ModeResult, ScaleMode, ScaleResult, ScaleRunOptions } from './types';
export { LimiterSetupError, limiterSetupFromPlan, limiterSetupSnippet, tsNumber } from './limiterSnippet';
export type { LimiterSetup, LimiterSetupBucket } from './limiterSnippet';

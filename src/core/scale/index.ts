// `claude-load scale`: rehearse a scale-out on the simulator.
export { runScale, instanceShares, summarizeMode, allowedRequests } from './run';
export { renderScaleHtml, scaleSentence, scaleTable, writeScaleOutputs, barChartSvg } from './report';
export type { BarChartSpec, ScaleOutputPaths } from './report';
export { startRedisServer, freePort, RedisServerMissingError } from './redisServer';
export type { RedisServerHandle } from './redisServer';
export { SCALE_MODES } from './types';
export type { InstanceReport, ModeResult, ScaleMode, ScaleResult, ScaleRunOptions } from './types';
export { scaleWorkload, ScaleWorkloadError, defaultScaleBody, rehearsalBurstSeconds } from './workload';
export type { ScaleWorkload, ScaleWorkloadOverrides } from './workload';
export { LimiterSetupError, limiterSetupFromPlan, limiterSetupSnippet, tsNumber } from './limiterSnippet';
export type { LimiterSetup, LimiterSetupBucket } from './limiterSnippet';

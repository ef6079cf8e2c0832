// The core library for the browser: what the webviews (report, planner, live panel) may use. Only pure,
// DOM-free and Node-free modules: no simulator, no engine run loop, no file system. Webviews import core
// through this file only (test/core/architecture.test.ts checks both rules); the extension host and the
// CLI use ./index.ts.
export type * from './model/run';
export { outcomes } from './model/run';
export type * from './catalog/types';
export type * from './capacity/types';
export type { PercentileSummary } from './metrics/histogram';
export { builtinCatalog } from './catalog/data';
export { PlanInputError, validatePlanInput } from './capacity/validate';
export { estimateLatencyS, evaluateTier, planCapacity } from './capacity/planner';
export { formatPlanMarkdown, formatPlanTable } from './capacity/format';
export { metricDefinitions } from './report/definitions';
export { RunFileError, validateRun } from './report/validate';
export * from './format/index';
export * from './live/windows';
export type * from './sweep/types';
export type { ModeResult, ScaleMode, ScaleResult } from './scale/types';
export { analyzeSpike, spikeWindowOf, type SpikeAnalysis, type PhaseStats } from './sweep/spike';
export type * from './batch/types';
export { batchCountsText, batchFraction } from './batch/view';

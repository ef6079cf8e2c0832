// Public API of Message Batches runs (claude-load batch, and the extension's "via": "batches").
export type * from './types';
export { BATCH_FILE_VERSION } from './types';
export { BatchBudgetError, BatchRunError, completionTimes, runBatches, worstCaseUsd } from './run';
export type { RunBatchesOptions } from './run';
export { MAX_BATCH_BYTES, MAX_BATCH_REQUESTS, splitIntoBatches, workloadFromScenario } from './workload';
export { messagesComparison, usageCostUsd } from './pricing';
export type { RequestUsage, UsageTotals } from './pricing';
export { BatchTargetError, resolveBatchTarget } from './target';
export type { BatchTarget, BatchTargetOptions } from './target';
export { serializeBatchReport, writeBatchFile } from './file';
export { DEFAULT_BATCH_POLL_MS, DEFAULT_BATCH_REQUESTS, runBatchScenario } from './scenario';
export type { RunBatchScenarioOptions } from './scenario';
export {
  batchCountsText,
  batchEndedText,
  batchFraction,
  batchProgressMessage,
  liveComparison,
  timelineRecorder,
} from './view';

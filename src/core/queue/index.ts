// Queue-based processing of Claude requests with BullMQ and the shared limiter.
export { createClaudeProducer, createClaudeWorker, sampleQueueDepth, summarizeQueue } from './claudeQueue';
export type {
  ClaudeJobData,
  ClaudeJobParams,
  ClaudeJobResult,
  ClaudeProducer,
  ClaudeWorker,
  ClaudeWorkerOptions,
  ClaudeWorkerStats,
  DepthSample,
  QueueConnection,
  QueueRunSummary,
} from './claudeQueue';

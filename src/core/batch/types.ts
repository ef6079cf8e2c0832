// Shapes of a Message Batches run: the work, the typed progress events and the report (batch.json).

/** One request of the workload, as the Batches API takes it. */
export interface BatchWorkItem {
  customId: string;
  /** A non-streaming Messages body. */
  params: Record<string, unknown>;
  /** Worst case at the batch price (max_tokens all generated), USD; for the budget. */
  worstCaseUsd: number;
}

export interface RequestCounts {
  processing: number;
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
}

export type BatchStatus = 'in_progress' | 'canceling' | 'ended';

/** Events a batch run emits; UIs only listen. Times are real ms since the first submit. */
export type BatchEvent =
  | { type: 'split'; batches: number; requests: number }
  | { type: 'submitted'; batchId: string; index: number; of: number; requests: number; elapsedMs: number }
  | {
      type: 'progress';
      elapsedMs: number;
      /** Summed over every batch of the run. */
      counts: RequestCounts;
      /** The least advanced status over the batches. */
      status: BatchStatus;
      batchesEnded: number;
      batches: number;
      /** Real ms until the next poll. */
      nextPollMs: number;
    }
  | { type: 'canceling'; elapsedMs: number; batchIds: string[] }
  | { type: 'results'; batchId: string; lines: number; elapsedMs: number }
  | { type: 'warning'; message: string };

export interface BatchTokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** Per-request completion times observed by polling: upper bounds at the poll resolution. */
export interface CompletionTimes {
  /** Requests that finished (succeeded or errored). */
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Width of the poll steps the times are rounded up to (on the batch's timeline), largest seen. */
  resolutionMs: number;
}

export interface BatchSummary {
  id: string;
  requests: number;
  createdAt: string;
  endedAt: string | null;
  /** ended_at - created_at on the API's timeline. */
  turnaroundMs: number | null;
  counts: RequestCounts;
}

/** The time the same workload needs through the Messages API at the tier's limits. */
export interface MessagesComparison {
  tier: string;
  /** Requests per minute the tier's binding limit sustains for this workload's averages. */
  sustainableRpm: number;
  binding: 'rpm' | 'itpm' | 'otpm';
  /** Minutes to push every request of the workload through at that rate. */
  minutes: number;
  /** The tier does not serve a model of the workload. */
  unavailable?: string;
}

export interface BatchReport {
  name: string;
  baseUrl: string;
  model: string;
  requests: number;
  /** Real ms from the first submit to the last batch ended. */
  wallMs: number;
  /** Simulated ms per real ms of the target (1 for the API). */
  timeScale: number;
  /** First created_at to last ended_at on the API's timeline. */
  turnaroundMs: number | null;
  completion: CompletionTimes | null;
  canceled: boolean;
  outcomes: { succeeded: number; errored: number; canceled: number; expired: number };
  /** Errored results by error type. */
  errors: Record<string, number>;
  tokens: BatchTokens;
  cost: {
    /** At the batch price (discount on input and output, as the catalog gives it). */
    batchUsd: number;
    /** The same usage through the Messages API. */
    messagesUsd: number;
    savingUsd: number;
    batchDiscount: number;
    catalogAsOf: string;
  };
  messagesApi: MessagesComparison | null;
  batches: BatchSummary[];
}

export const BATCH_FILE_VERSION = 1;

/** batch.json: the report with its format version. */
export interface BatchFile {
  kind: 'claude-load-batch';
  version: typeof BATCH_FILE_VERSION;
  toolVersion: string;
  savedAt: string;
  report: BatchReport;
}

/** One point of a batch run's state timeline (real ms since the first submit). */
export interface BatchTimelinePoint {
  elapsedMs: number;
  status: BatchStatus;
  counts: RequestCounts;
}

/** The same requests sent through the Messages API at the plan's load (a plan's batch.compareLive). */
export interface BatchLiveComparison {
  name: string;
  requests: number;
  ok: number;
  rateLimited: number;
  /** Wall time of the load test, s. */
  durationS: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  costUsd: number;
  /** Where the load test was saved, when it was. */
  folder?: string;
}

/** What the results panel's batch section shows. */
export interface BatchView {
  report: BatchReport;
  timeline: BatchTimelinePoint[];
  live?: BatchLiveComparison;
  /** Where batch.json was saved, when it was. */
  savedTo?: string;
}

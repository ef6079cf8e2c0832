// Types of a load test, shared by the engine, the reports and every UI: the scenario (a parsed plan
// file), per-request samples, engine events and the result saved as run.json. Types and constants only.
import type { PercentileSummary } from '../metrics/histogram';

export type Outcome =
  | 'ok'
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'client_error'
  | 'timeout'
  | 'network'
  | 'stream_error'
  | 'aborted';

export const outcomes: readonly Outcome[] = [
  'ok',
  'rate_limited',
  'overloaded',
  'server_error',
  'client_error',
  'timeout',
  'network',
  'stream_error',
  'aborted',
];

export type LoadShape =
  | { type: 'concurrency'; concurrency: number }
  | { type: 'rate'; rps: number; arrival: 'constant' | 'poisson'; maxInFlight: number }
  | { type: 'ramp'; stages: { durationMs: number; rps: number }[]; startRps: number; maxInFlight: number };

export type PromptSource =
  | { type: 'fixed'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'messages'; bodies: MessagesBody[]; source: string }
  | {
      type: 'synthetic';
      /** The whole prompt, cached prefix included. */
      inputTokens: { mean: number; sd: number };
      /** Prompt caching as the planner models it: `hitRate` of requests send the shared prefix. */
      cachedPrefix?: CachedPrefix;
    };

/** A cacheable prefix of synthetic prompts (part of their input tokens) and the share that finds it cached. */
export interface CachedPrefix {
  tokens: number;
  hitRate: number;
  ttl: '5m' | '1h';
}

/** What a saved run keeps of a prompt by default: enough to recognise it, not the text. */
export interface PromptDigest {
  sha256: string;
  /** Characters. */
  length: number;
  /** The first characters (about 120). */
  preview: string;
}

/** Prompts as run.json records them when the scenario does not keep them. */
export interface PromptDigests {
  type: 'digest';
  of: PromptSource['type'];
  /** Prompts in the source (items may hold fewer: the first ones). */
  count: number;
  items: PromptDigest[];
  source?: string;
}

/** The scenario as a run file saves it: prompt and system texts digested unless `keepPrompts`. */
export interface RecordedScenario extends Omit<Scenario, 'prompts' | 'system'> {
  prompts: PromptSource | PromptDigests;
  system?: Scenario['system'] | { digest: PromptDigest; cacheTtl?: '5m' | '1h' };
}

/** A Messages API body (the subset the engine sends). */
export interface MessagesBody {
  model?: string;
  max_tokens?: number;
  system?:
    string | { type: 'text'; text: string; cache_control?: { type: 'ephemeral'; ttl?: '5m' | '1h' } }[];
  messages: { role: 'user' | 'assistant'; content: unknown }[];
  [key: string]: unknown;
}

export type Target =
  | { kind: 'anthropic'; baseUrl: string }
  | { kind: 'url'; baseUrl: string }
  | {
      kind: 'simulator';
      tier: string;
      latency: 'realistic' | 'fast' | 'zero';
      timeScale: number;
      seed: number;
      faultRate?: number;
      fault?: '529' | '500' | 'stream-error' | 'disconnect';
      capacity?: number;
      limits?: { rpm?: number; itpm?: number; otpm?: number };
      burstSeconds?: number;
      accelerationLimit?: boolean;
      /** Where the simulator runs: a worker thread (default) or the engine's own event loop (tests). */
      simulatorIn?: 'worker' | 'in-process';
    };

/** A validated, normalised scenario: what the engine runs. */
/** A plan's "batch" section: how a `via: "batches"` run submits, polls and compares. */
export interface BatchSettings {
  /** Longest wait between status polls, real ms. */
  pollMs?: number;
  /** Simulator: median simulated ms for one request of a batch to finish. */
  latencyMs?: number;
  /** Afterwards, send the same requests through the Messages API at the plan's load and compare. */
  compareLive?: boolean;
  /** Send the 300K-output beta header (max_tokens up to the model's batchMaxOutputTokens). */
  output300k?: boolean;
}

export interface Scenario {
  name: string;
  target: Target;
  /** Weighted model mix; a single model is a mix of one with share 1. */
  models: { model: string; share: number }[];
  maxTokens: number;
  /** Output asked for: max_tokens and the default prompt "Write at least N words about <topic>." */
  outputTokens?: number;
  stream: boolean;
  system?: { text: string; cacheTtl?: '5m' | '1h' };
  prompts: PromptSource;
  /** Keep prompt texts in run.json and report.html (default: a digest of each). */
  keepPrompts?: boolean;
  load: LoadShape;
  /** Stop after this many requests have been sent. */
  requests?: number;
  /** Stop sending after this long (ms); in-flight requests get `gracefulStopMs` to finish. */
  durationMs?: number;
  gracefulStopMs: number;
  maxCostUsd?: number;
  retries: 'none' | 'sdk';
  timeoutMs: number;
  thresholds: Record<string, string>;
  seed: number;
  /** How the workload is sent: the Messages API (a load test, the default) or Message Batches. */
  via?: 'messages' | 'batches';
  /** Settings of a batch run (`via: "batches"`). */
  batch?: BatchSettings;
  /** Sent with every request unless its own body has them: tools, tool_choice, thinking, output_config. */
  requestExtras?: {
    tools?: unknown[];
    tool_choice?: Record<string, unknown>;
    thinking?: Record<string, unknown>;
    output_config?: Record<string, unknown>;
  };
}

/** One finished request (every attempt, when the SDK retries, is counted in `attempts`). */
export interface RequestSample {
  index: number;
  model: string;
  outcome: Outcome;
  /** Times in ms since the run started (engine clock). */
  intendedAt: number;
  sentAt: number;
  /** First non-empty text delta (TTFT). */
  firstTextAt?: number;
  /** First non-empty content delta of any kind: thinking, text or tool input. */
  firstContentAt?: number;
  endAt: number;
  status?: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  /** Thinking tokens, estimated from the thinking text (usage counts them in output_tokens only). */
  thinkingTokens?: number;
  /** tool_use blocks in the reply (an agentic turn ends with stop_reason "tool_use"). */
  toolUseBlocks?: number;
  costUsd: number;
  retryAfterS?: number;
  attempts: number;
  errorMessage?: string;
  errorCode?: string;
  rateLimit?: RateLimitSnapshot;
}

/** Parsed `anthropic-ratelimit-*` headers of a response. */
export interface RateLimitSnapshot {
  requests?: LimitState;
  inputTokens?: LimitState;
  outputTokens?: LimitState;
  tokens?: LimitState;
}

export interface LimitState {
  limit: number;
  remaining: number;
  reset?: string;
}

export type OutcomeCounts = Record<Outcome, number>;

/** One 1-second window of the run. */
export interface TimeWindow {
  /** Window start, seconds since the run started. */
  t: number;
  sent: number;
  completed: number;
  outcomes: OutcomeCounts;
  inFlight: number;
  latencyMs: { p50: number; p95: number; p99: number };
  ttftMs: { p50: number; p95: number; p99: number };
  inputTokensPerMin: number;
  outputTokensPerMin: number;
  /** Lowest remaining fraction (0..1) seen per limit kind in the window; null when no header was seen. */
  headroom: { requests: number | null; inputTokens: number | null; outputTokens: number | null };
  costUsd: number;
  sendLagMsMax: number;
}

export interface EngineHealth {
  /** Event-loop utilisation of the engine's thread (0..1) over the run. */
  eventLoopUtilization: number;
  /** CPU time used by the process per wall second (1 = one core). */
  cpuCores: number;
  /** Open loop: how late the scheduler woke for each intended send (its own timer precision). */
  timerLatenessMs?: { p50: number; p99: number; max: number } | null;
  warnings: string[];
}

export interface ThresholdResult {
  expr: string;
  metric: string;
  pass: boolean;
  value: number | null;
  message?: string;
}

export type LatencyStats = PercentileSummary;

export interface RunSummary {
  requests: {
    total: number;
    ok: number;
    rateLimited: number;
    overloaded: number;
    serverErrors: number;
    clientErrors: number;
    timeouts: number;
    networkErrors: number;
    streamErrors: number;
    aborted: number;
    attempts: number;
  };
  latencyMs: LatencyStats;
  /** Open loop only: latency from the actual send (not corrected for coordinated omission). */
  latencyUncorrectedMs: LatencyStats | null;
  sendLagMs: LatencyStats;
  /** How the spend budget reserved cost (when the run had one). */
  budget?: {
    maxCostUsd: number;
    /** Output tokens the last request reserved: max_tokens until 3 requests finished, then their p99. */
    outputReservationTokens: number | null;
    basis: 'max_tokens' | 'observed-p99';
    /** Requests sent alone because their max_tokens reservation did not fit before output was seen. */
    probes: number;
  };
  /** Time held in admission gates before the send (budget, in-flight cap, limiters). */
  queueWaitMs?: LatencyStats;
  ttftMs: LatencyStats;
  /** Time to the first content delta of any kind (thinking, text, tool input); absent in older runs. */
  firstContentMs?: LatencyStats;
  tpotMs: LatencyStats;
  outputTokensPerSecPerRequest: LatencyStats;
  tokens: {
    input: number;
    output: number;
    cacheRead: number;
    cacheWrite: number;
    /** Of the output, thinking tokens (estimated from the thinking text); absent in older runs. */
    thinking?: number;
  };
  /** Requests whose reply called a tool (stop_reason "tool_use"); absent in older runs. */
  toolUseReplies?: number;
  /** Cost of the priced requests; with `unpricedModels`, the run's cost is unknown (at least this). */
  costUsd: number;
  /** Models the catalog does not price (e.g. a gateway's own ids): their requests' cost is unknown. */
  unpricedModels?: string[];
  /**
   * Rates over the send window (not the drain): `rps` counts successful requests per second,
   * `sentRps` requests sent per second (the achieved rate), `offeredRps` the rate the open-loop
   * schedule asked for (null in closed loop).
   */
  throughput: {
    rps: number;
    sentRps?: number;
    offeredRps?: number | null;
    outputTokensPerSec: number;
    goodputRps: number | null;
  };
  /** Start to the last response (send window + drain). */
  durationS: number;
  /** Start until sending stopped (the duration, the schedule's end, the request count, a stop). */
  sendWindowS?: number;
  /** After the send window: waiting for in-flight requests to finish. */
  drainS?: number;
  stopReason: StopReason;
  /** The user stopped the run: figures cover only what ran (aborted requests are not errors). */
  interrupted?: boolean;
  thresholds: ThresholdResult[];
  /** 429s by rate-limit bucket and by the limit that was exhausted. */
  rateLimitedBy: {
    bucket: string;
    limit: 'requests' | 'input_tokens' | 'output_tokens' | 'spend' | 'unknown';
    count: number;
  }[];
  errorsByMessage: { outcome: Outcome; message: string; count: number }[];
  health: EngineHealth;
  /** Runs that mix models only (like k6's tags): counts, latency, tokens and cost per model. */
  byModel?: ModelStats[];
}

/** One model's share of a run (or of a sweep step): from the same samples as the run's totals. */
export interface ModelStats {
  model: string;
  requests: number;
  outcomes: OutcomeCounts;
  /** CO-corrected (from the intended send time), ok requests. */
  latencyMs: PercentileSummary;
  ttftMs: PercentileSummary;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export type StopReason = 'completed' | 'requests' | 'duration' | 'budget' | 'aborted' | 'failed';

export interface EngineStartEvent {
  type: 'start';
  scenario: Scenario;
  startedAt: string;
  targetUrl: string;
}
export interface EngineTickEvent {
  type: 'tick';
  window: TimeWindow;
  totals: { sent: number; completed: number; inFlight: number; costUsd: number; elapsedS: number };
}
export interface EngineSampleEvent {
  type: 'sample';
  sample: RequestSample;
}
export interface EngineDoneEvent {
  type: 'done';
  result: RunResult;
}
export interface EngineWarningEvent {
  type: 'warning';
  message: string;
}
export type EngineEvent =
  EngineStartEvent | EngineTickEvent | EngineSampleEvent | EngineDoneEvent | EngineWarningEvent;

export interface Diagnosis {
  id: string;
  severity: 'info' | 'warning' | 'error';
  title: string;
  detail: string;
  advice: string;
}

/** Everything a run produced; serialised as run.json (see report/runFile.ts). */
export interface RunResult {
  schemaVersion: 1;
  tool: { name: 'claude-load-scale'; version: string };
  name: string;
  startedAt: string;
  endedAt: string;
  scenario: RecordedScenario;
  targetUrl: string;
  environment: { node: string; platform: string; cpus: number; catalogAsOf: string };
  summary: RunSummary;
  timeseries: TimeWindow[];
  /** HdrHistogram compressed base64, values in microseconds. */
  histograms: {
    latency: string;
    latencyUncorrected: string | null;
    ttft: string;
    tpot: string;
    sendLag: string;
  };
  latencyDistribution: { le: number; count: number }[];
  diagnosis: Diagnosis[];
  definitions: Record<string, string>;
}

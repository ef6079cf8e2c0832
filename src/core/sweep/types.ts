// Shapes of a capacity sweep: its options, each measured step, the result saved as sweep.json, and the
// typed events a UI listens to (the live sweep panel draws each step as it finishes).
import type { PercentileSummary } from '../metrics/histogram';
import type { Scenario } from '../model/run';
import type { ModelStats } from '../engine/byModel';

export type SweepMode = 'rates' | 'auto';
export type StepPhase = 'baseline' | 'rates' | 'doubling' | 'bisection';
export type RateLimitKind = 'requests' | 'input_tokens' | 'output_tokens' | 'spend' | 'unknown';

export interface SweepOptions {
  /** The workload; its load shape is replaced by each step's. */
  scenario: Scenario;
  mode: SweepMode;
  /** `rates` mode: offered rates (req/s, target time) in order. */
  rates?: number[];
  arrival?: 'constant' | 'poisson';
  /** `auto` mode: never probe above this rate (req/s). */
  maxRate?: number;
  /** `auto` mode: first rate of the doubling phase; default the synchronous baseline's throughput. */
  startRate?: number;
  /** `auto` mode: stop bisecting when (fail - pass) / pass is at most this. Default 0.05. */
  precision?: number;
  /** Measured window of each step, ms (real time). */
  stepDurationMs: number;
  /** Excluded from each step's statistics, ms (after the ramp). */
  warmupMs: number;
  /** Gradual change from the previous step's rate, ms. Default = warmupMs. */
  rampMs?: number;
  /** Extra SLO expressions on top of the defaults (errors.rate<0.01, rateLimited.rate<0.01). */
  slo?: string[];
  /** Spend budget of the whole sweep, USD. */
  maxCostUsd?: number;
  /** Stop the sweep when a step's share of errors other than 429s exceeds this. Default 0.25. */
  errorBudget?: number;
  /** Tier for the planner's prediction when the target is not the simulator. */
  tier?: string;
  /** Simulator only: bucket size in simulated seconds (how long a full bucket may burst). Default 60. */
  simulatorBurstSeconds?: number;
  maxInFlight?: number;
}

export interface SloVerdict {
  expr: string;
  /** Observed share of violating requests (share bounds) or the step's value (value bounds). */
  value: number | null;
  /** 95 % Wilson interval of the violating share (share bounds only). */
  interval: { low: number; high: number } | null;
  allowed: number | null;
  /** fail only when the bound is broken with 95 % confidence, so one unlucky request does not flip a probe. */
  verdict: 'pass' | 'fail';
  /** The point estimate breaks the bound but not with confidence. */
  marginal: boolean;
}

export interface SweepStep {
  index: number;
  phase: StepPhase;
  /** Target rate (req/s in target time; `null` for the closed-loop baseline). */
  offeredRps: number | null;
  /** Requests sent per second in the measured window. */
  achievedRps: number;
  /** achieved / offered below 0.98: the generator or its in-flight cap did not keep up. */
  achievedShortfall: boolean;
  okRps: number;
  goodputRps: number;
  goodputOutputTokensPerSec: number;
  outputTokensPerSec: number;
  requests: number;
  rateLimitedRate: number;
  overloadedRate: number;
  /** Share of requests that failed for any reason (429s included). */
  errorsRate: number;
  /** Errors other than 429 / 529, the error budget's share. */
  otherErrorsRate: number;
  rateLimitedBy: { bucket: string; limit: RateLimitKind; count: number; share: number }[];
  latency: PercentileSummary;
  ttft: PercentileSummary;
  tpot: PercentileSummary;
  inFlightMax: number;
  costUsd: number;
  meanInputTokens: number;
  meanOutputTokens: number;
  slo: SloVerdict[];
  pass: boolean;
  overSaturated: { inFlight: boolean; ttft: boolean };
  measuredS: number;
  /** Mix workloads only: latency, outcomes and cost per model in the measured window. */
  byModel?: ModelStats[];
}

export type SweepStopReason =
  | 'completed'
  | 'converged'
  | 'max-rate'
  | 'over-saturation'
  | 'error-budget'
  | 'spend-budget'
  | 'aborted'
  | 'failed';

export type Binding =
  | { kind: 'rate-limit'; bucket: string; limit: RateLimitKind }
  | { kind: 'latency'; expr: string }
  | { kind: 'errors'; expr: string }
  | { kind: 'saturation' }
  | { kind: 'none' };

export interface SweepPrediction {
  tier: string;
  maxRpm: number;
  binding: 'rpm' | 'itpm' | 'otpm';
  workload: { inputTokens: number; outputTokens: number; models: { model: string; share: number }[] };
}

/** Everything a sweep produced; serialised as sweep.json. */
export interface SweepResult {
  kind: 'sweep';
  schemaVersion: 1;
  tool: { name: 'claude-load-scale'; version: string };
  name: string;
  startedAt: string;
  endedAt: string;
  mode: SweepMode;
  scenario: Scenario;
  /** Simulated time runs this much faster than real time; rates are in target time. */
  timeScale: number;
  slo: string[];
  settings: { stepDurationMs: number; warmupMs: number; rampMs: number; arrival: 'constant' | 'poisson' };
  steps: SweepStep[];
  /** Highest passing rate (null when none passed). */
  maxSustainableRps: number | null;
  maxSustainableRpm: number | null;
  /** Between the highest passing and the lowest failing rate probed (high null: none failed). */
  maxSustainableInterval: { lowRps: number; highRps: number | null } | null;
  binding: Binding;
  /** Offered rate (req/s) at the knee of output tokens/s vs offered rate; null with < 3 rate steps. */
  kneeRps: number | null;
  prediction: SweepPrediction | null;
  predictedMaxRpm: number | null;
  /** (measured - predicted) / predicted x 100. */
  predictionErrorPct: number | null;
  stopReason: SweepStopReason;
  stopDetail?: string;
  costUsd: number;
  warnings: string[];
}

/** What a UI hears while a sweep runs. */
export type SweepEvent =
  | { type: 'start'; mode: SweepMode; slo: string[]; timeScale: number }
  | { type: 'step-start'; index: number; phase: StepPhase; offeredRps: number | null }
  | {
      type: 'step-progress';
      index: number;
      elapsedS: number;
      sent: number;
      completed: number;
      inFlight: number;
      costUsd: number;
    }
  | { type: 'step'; step: SweepStep }
  | { type: 'warning'; message: string }
  | { type: 'done'; result: SweepResult };

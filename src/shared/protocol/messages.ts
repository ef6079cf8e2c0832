// Messages between the extension host and every webview (report, live panel, planner). Types only:
// both sides import this file, so a renamed field breaks the build instead of a panel.
// Names are 'noun/verb'. Runtime checks live in ./guards.ts.
import type {
  BatchView,
  Diagnosis,
  EngineTickEvent,
  LoadShape,
  ModelEntry,
  PlanResult,
  RunResult,
  RunSummary,
  ScaleResult,
  StepPhase,
  SweepResult,
  SweepStep,
  TierEntry,
  TimeWindow,
} from '../../core/browser';

/** Sent by the host to any webview when the colour theme changes (charts re-read the CSS variables). */
export interface ThemeChanged {
  type: 'theme/changed';
}

// ---- Report panel --------------------------------------------------------------------------------

export type HostToReport =
  | { type: 'run/show'; run: RunResult }
  /** A Message Batches run (a plan with "via": "batches"): the panel shows the batch section. */
  | { type: 'batch/show'; batch: BatchView }
  | ThemeChanged;

export type ExportFormat = 'html' | 'csv' | 'json';

export type ReportToHost = { type: 'report/ready' } | { type: 'report/export'; format: ExportFormat };

/** What the report webview keeps in `setState` to redraw after being hidden. */
export interface ReportState {
  run?: RunResult;
  batch?: BatchView;
}

// ---- Live side panel -----------------------------------------------------------------------------

/** What the live panel shows before any window arrives. */
export interface LiveRunInfo {
  name: string;
  targetUrl: string;
  startedAt: string;
  load?: LoadShape;
  models?: string[];
  /** The prompt in one line (core's describePrompts). */
  prompt?: string;
  /** Planned length, for a progress bar, when the scenario sets one. */
  durationMs?: number;
  requests?: number;
  maxCostUsd?: number;
}

/** Running totals, as the engine's tick event carries them. */
export type LiveTotals = EngineTickEvent['totals'];

export type HostToLive =
  | { type: 'live/reset'; run: LiveRunInfo }
  /** Windows new since the previous tick (usually one); the panel appends them. */
  | { type: 'live/tick'; windows: TimeWindow[]; totals: LiveTotals }
  | { type: 'live/warning'; message: string }
  | { type: 'live/done'; summary: RunSummary; diagnosis?: Diagnosis[] }
  /** Everything so far, sent when the panel is re-created (hidden, moved) mid-run or after it. */
  | {
      type: 'live/restore';
      run: LiveRunInfo;
      /** The newest windows only (the host keeps a rolling 10 minutes)... */
      windows: TimeWindow[];
      /** ...and the failed requests in the windows it dropped, so error counts stay exact. */
      errorsBefore?: number;
      totals: LiveTotals;
      summary?: RunSummary;
      diagnosis?: Diagnosis[];
    }
  | ThemeChanged;

/** Commands the Latency view's empty state offers as buttons. */
export const liveEmptyCommands = ['runLoadTest', 'planCapacity', 'newPlan'] as const;
export type LiveEmptyCommand = (typeof liveEmptyCommands)[number];

export type LiveToHost =
  | { type: 'live/ready' }
  | { type: 'live/openReport' }
  | { type: 'live/stop' }
  | { type: 'live/command'; command: LiveEmptyCommand };

// ---- Planner panel -------------------------------------------------------------------------------

export type PlannerModelOption = Pick<ModelEntry, 'id' | 'displayName' | 'status' | 'family'>;
export type PlannerTierOption = Pick<TierEntry, 'name' | 'displayName' | 'kind'>;

export type HostToPlanner =
  | {
      type: 'plan/init';
      models: PlannerModelOption[];
      tiers: PlannerTierOption[];
      /** The last input (raw form values), to restore the form. */
      input: Record<string, unknown>;
      catalogAsOf?: string;
    }
  | { type: 'plan/result'; result: PlanResult }
  /** Sent after plan/result: the newest matching saved sweep, or null when none matches. */
  | { type: 'plan/measured'; measured: PlannerMeasured | null }
  /** `field` names the form field (PlanInput key) to highlight. */
  | {
      type: 'plan/error';
      field: string;
      message: string;
      /** Every bad field at once (the first is field/message); absent from older hosts. */
      problems?: { field: string; message: string }[];
    }
  | ThemeChanged;

/** A saved sweep of the same model(s), tier and workload as the plan: measured beside predicted. */
export interface PlannerMeasured {
  sweepName: string;
  endedAt: string;
  tier: string;
  /** The sweep's max sustainable rate (Messages RPM). */
  measuredRpm: number;
  /** The planner's maximum for this plan's workload on that tier (peak Messages RPM at 100 %). */
  predictedRpm: number;
  /** (measured - predicted) / predicted x 100. */
  gapPct: number;
  /** What bound the sweep, in words. */
  binding: string;
}

export type PlannerToHost =
  | { type: 'planner/ready' }
  | { type: 'plan/input'; input: Record<string, unknown> }
  | { type: 'plan/save' }
  | { type: 'plan/copyMarkdown' }
  | { type: 'plan/loadTest' }
  /** Run the plan's batch share as a Message Batch on the simulator. */
  | { type: 'plan/batchTest' };

// ---- Scaling rehearsal panel -----------------------------------------------------------------------

/** What the rehearsal was asked to do, shown above the comparison. */
export interface ScaleRunInfo {
  model: string;
  /** The tier the limits are from, e.g. "Build", or "Custom". */
  tierDisplayName: string;
  /** Where the limits came from, e.g. "the planner", a plan file's name. */
  source: string;
  /** Offered load as a multiple of the RPM limit. */
  offeredMultiple: number;
  startedAt: string;
}

export type HostToScale =
  | { type: 'scale/show'; result: ScaleResult; info: ScaleRunInfo }
  /** A short confirmation or problem (e.g. "Limiter setup copied"), announced to screen readers. */
  | { type: 'scale/notice'; message: string; level: 'info' | 'error' }
  | ThemeChanged;

export type ScaleToHost = { type: 'scale/ready' } | { type: 'scale/copySetup' };

// ---- Sweep panel (Find Max Throughput) -----------------------------------------------------------

/** What the sweep panel shows before any step finishes. */
export interface SweepPanelInfo {
  name: string;
  /** "simulator (build)" or the base URL. */
  target: string;
  mode: 'rates' | 'auto';
  /** Every SLO bound, defaults included. */
  slo: string[];
  startedAt: string;
  stepDurationMs: number;
  warmupMs: number;
}

/** The step being measured now. */
export interface SweepPanelProgress {
  index: number;
  phase: StepPhase;
  offeredRps: number | null;
  elapsedS: number;
  sent: number;
  completed: number;
  inFlight: number;
  costUsd: number;
}

/** Where the markers go, from the core's analysis of the steps so far (the result's at the end). */
export interface SweepPanelAnalysis {
  maxSustainableRps: number | null;
  /** The lowest failing rate probed: where what binds was seen. */
  bindingRps: number | null;
  /** What binds, in words ("output tokens per minute (bucket sonnet)"), or null when nothing did. */
  binding: string | null;
  kneeRps: number | null;
}

/** The end of a sweep: the result, its one-sentence answer and whether it was saved (report exists). */
export interface SweepPanelDone {
  result: SweepResult;
  sentence: string;
  saved: boolean;
  analysis: SweepPanelAnalysis;
}

export type HostToSweep =
  /** Everything so far: on ready, and when the panel is re-created. */
  | {
      type: 'sweep/show';
      info: SweepPanelInfo;
      steps: SweepStep[];
      analysis: SweepPanelAnalysis;
      progress?: SweepPanelProgress;
      done?: SweepPanelDone;
      /** Stop was asked and the current step is finishing. */
      stopping?: boolean;
    }
  | { type: 'sweep/progress'; progress: SweepPanelProgress }
  /** A finished step: the table and the three charts grow by one. */
  | { type: 'sweep/step'; step: SweepStep; analysis: SweepPanelAnalysis }
  | ({ type: 'sweep/done' } & SweepPanelDone)
  | ThemeChanged;

export type SweepToHost =
  | { type: 'sweep/ready' }
  /** Stop the sweep; the steps measured so far are kept and saved. */
  | { type: 'sweep/stop' }
  | { type: 'sweep/openReport' };

export type HostToWebview = HostToReport | HostToLive | HostToPlanner | HostToScale | HostToSweep;
export type WebviewToHost = ReportToHost | LiveToHost | PlannerToHost | ScaleToHost | SweepToHost;

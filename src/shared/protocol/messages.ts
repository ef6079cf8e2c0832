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
  /** `field` names the form field (PlanInput key) to highlight. */
  | {
      type: 'plan/error';
      field: string;
      message: string;
      /** Every bad field at once (the first is field/message); absent from older hosts. */
      problems?: { field: string; message: string }[];
    }
  | ThemeChanged;

export type PlannerToHost =
  | { type: 'planner/ready' }
  | { type: 'plan/input'; input: Record<string, unknown> }
  | { type: 'plan/save' }
  | { type: 'plan/copyMarkdown' }
  | { type: 'plan/loadTest' }
  /** Run the plan's batch share as a Message Batch on the simulator. */
  | { type: 'plan/batchTest' };

export type HostToWebview = HostToReport | HostToLive | HostToPlanner;
export type WebviewToHost = ReportToHost | LiveToHost | PlannerToHost;

// Runtime checks for the messages in ./messages.ts, built from one table per direction. Pure functions (no DOM, no vscode): the host
// validates what a webview posts, a webview validates what the host sends, and tests use both.
//
// Each direction has one table with a guard per message type, typed `satisfies GuardTable<M>`: a new
// message type without a guard (or a guard for a type that no longer exists) is a compile error, not a
// message that is silently dropped at run time.
import type {
  ExportFormat,
  HostToLive,
  HostToPlanner,
  HostToReport,
  LiveToHost,
  PlannerToHost,
  ReportToHost,
  HostToScale,
  ScaleToHost,
  HostToSweep,
  SweepToHost,
} from './messages';
import { liveEmptyCommands } from './messages';

/** A message as it arrives: an object with a string `type`, anything else unchecked. */
export type RawMessage = { type: string } & Record<string, unknown>;

/** Checks the payload of a message whose `type` is already known to be the table's key. */
export type Guard = (m: RawMessage) => boolean;

/** Exactly one guard per message type of `M`. */
export type GuardTable<M extends { type: string }> = Record<M['type'], Guard>;

function isRawMessage(x: unknown): x is RawMessage {
  return isObject(x) && typeof x.type === 'string';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A type guard for `M` from its table: unknown types and failed payload checks are rejected. */
export function guardFrom<M extends { type: string }>(table: GuardTable<M>): (x: unknown) => x is M {
  const guards: Partial<Record<string, Guard>> = table;
  return (x: unknown): x is M => {
    if (!isRawMessage(x) || !Object.hasOwn(guards, x.type)) return false;
    return guards[x.type]?.(x) ?? false;
  };
}

const always: Guard = () => true;
const exportFormats: readonly ExportFormat[] = ['html', 'csv', 'json'];

// ---- webview -> host: the host does not trust these, so payloads are checked ---------------------

export const reportToHostGuards = {
  'report/ready': always,
  'report/export': (m) => exportFormats.includes(m.format as ExportFormat),
} satisfies GuardTable<ReportToHost>;

export const liveToHostGuards = {
  'live/ready': always,
  'live/openReport': always,
  'live/stop': always,
  'live/command': (m) => (liveEmptyCommands as readonly unknown[]).includes(m.command),
} satisfies GuardTable<LiveToHost>;

export const plannerToHostGuards = {
  'planner/ready': always,
  'plan/input': (m) => isObject(m.input),
  'plan/save': always,
  'plan/copyMarkdown': always,
  'plan/loadTest': always,
  'plan/batchTest': always,
} satisfies GuardTable<PlannerToHost>;

export const scaleToHostGuards = {
  'scale/ready': always,
  'scale/copySetup': always,
} satisfies GuardTable<ScaleToHost>;
export const sweepToHostGuards = {
  'sweep/ready': always,
  'sweep/stop': always,
  'sweep/openReport': always,
} satisfies GuardTable<SweepToHost>;

// ---- host -> webview: the host is trusted; these only keep a stray message (another extension, a
// test) from crashing the app, so they look at the discriminant and the top-level payload only. -----

export const hostToReportGuards = {
  'theme/changed': always,
  'run/show': (m) => isObject(m.run),
  'batch/show': (m) => isObject(m.batch) && isObject(m.batch.report),
} satisfies GuardTable<HostToReport>;

export const hostToLiveGuards = {
  'theme/changed': always,
  'live/reset': (m) => isObject(m.run),
  'live/tick': (m) => Array.isArray(m.windows) && isObject(m.totals),
  'live/warning': (m) => typeof m.message === 'string',
  'live/done': (m) => isObject(m.summary),
  'live/restore': (m) => isObject(m.run) && Array.isArray(m.windows) && isObject(m.totals),
} satisfies GuardTable<HostToLive>;

export const hostToPlannerGuards = {
  'theme/changed': always,
  'plan/init': (m) => Array.isArray(m.models) && Array.isArray(m.tiers) && isObject(m.input),
  'plan/result': (m) => isObject(m.result),
  'plan/measured': (m) => m.measured === null || isObject(m.measured),
  'plan/error': (m) =>
    typeof m.field === 'string' &&
    typeof m.message === 'string' &&
    (m.problems === undefined || Array.isArray(m.problems)),
} satisfies GuardTable<HostToPlanner>;

export const hostToScaleGuards = {
  'theme/changed': always,
  'scale/show': (m) => isObject(m.result) && Array.isArray(m.result.modes) && isObject(m.info),
  'scale/notice': (m) => typeof m.message === 'string' && (m.level === 'info' || m.level === 'error'),
} satisfies GuardTable<HostToScale>;
export const hostToSweepGuards = {
  'theme/changed': always,
  'sweep/show': (m) =>
    isObject(m.info) &&
    Array.isArray(m.steps) &&
    isObject(m.analysis) &&
    (m.progress === undefined || isObject(m.progress)) &&
    (m.done === undefined || (isObject(m.done) && isObject(m.done.result))),
  'sweep/progress': (m) => isObject(m.progress) && typeof m.progress.index === 'number',
  'sweep/step': (m) => isObject(m.step) && typeof m.step.index === 'number' && isObject(m.analysis),
  'sweep/done': (m) =>
    isObject(m.result) &&
    Array.isArray(m.result.steps) &&
    typeof m.sentence === 'string' &&
    isObject(m.analysis),
} satisfies GuardTable<HostToSweep>;

export const isReportToHost = guardFrom<ReportToHost>(reportToHostGuards);
export const isLiveToHost = guardFrom<LiveToHost>(liveToHostGuards);
export const isPlannerToHost = guardFrom<PlannerToHost>(plannerToHostGuards);
export const isHostToReport = guardFrom<HostToReport>(hostToReportGuards);
export const isHostToLive = guardFrom<HostToLive>(hostToLiveGuards);
export const isHostToPlanner = guardFrom<HostToPlanner>(hostToPlannerGuards);
export const isScaleToHost = guardFrom<ScaleToHost>(scaleToHostGuards);
export const isHostToScale = guardFrom<HostToScale>(hostToScaleGuards);
export const isSweepToHost = guardFrom<SweepToHost>(sweepToHostGuards);
export const isHostToSweep = guardFrom<HostToSweep>(hostToSweepGuards);

// Runtime checks for the messages in ./messages.ts, built from one table per direction. Pure functions (no DOM, no vscode): the host
// validates what a webview posts, a webview validates what the host sends, and tests use both.
import type {
  ExportFormat,
  HostToLive,
  HostToPlanner,
  HostToReport,
  LiveToHost,
  PlannerToHost,
  ReportToHost,
} from './messages';

type Msg = { type: string } & Record<string, unknown>;

function isMsg(x: unknown): x is Msg {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as Msg).type === 'string';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A check of one message type's payload (the discriminant is already known). */
type PayloadGuard = (m: Msg) => boolean;
/** One guard per message type of a direction: a type added to the union without a guard fails to compile. */
export type GuardTable<M extends { type: string }> = { readonly [K in M['type']]: PayloadGuard };

const always: PayloadGuard = () => true;

function guardFrom<M extends { type: string }>(table: GuardTable<M>): (x: unknown) => x is M {
  return (x: unknown): x is M => isMsg(x) && Object.hasOwn(table, x.type) && table[x.type as M['type']](x);
}

const exportFormats: readonly ExportFormat[] = ['html', 'csv', 'json'];

// Webview -> host: the host checks what a webview posts before acting on it.

export const reportToHostGuards = {
  'report/ready': always,
  'report/export': (m) => exportFormats.includes(m.format as ExportFormat),
} satisfies GuardTable<ReportToHost>;

export const liveToHostGuards = {
  'live/ready': always,
  'live/openReport': always,
  'live/stop': always,
} satisfies GuardTable<LiveToHost>;

export const plannerToHostGuards = {
  'planner/ready': always,
  'plan/input': (m) => isObject(m.input),
  'plan/save': always,
  'plan/copyMarkdown': always,
  'plan/loadTest': always,
} satisfies GuardTable<PlannerToHost>;

// Host -> webview. The host is trusted; these checks only keep a stray message (another extension, a
// test) from crashing the app, so they look at the discriminant and the top-level payload only.

export const hostToReportGuards = {
  'theme/changed': always,
  'run/show': (m) => isObject(m.run),
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
  'plan/error': (m) => typeof m.field === 'string' && typeof m.message === 'string',
} satisfies GuardTable<HostToPlanner>;

export const isReportToHost = guardFrom<ReportToHost>(reportToHostGuards);
export const isLiveToHost = guardFrom<LiveToHost>(liveToHostGuards);
export const isPlannerToHost = guardFrom<PlannerToHost>(plannerToHostGuards);
export const isHostToReport = guardFrom<HostToReport>(hostToReportGuards);
export const isHostToLive = guardFrom<HostToLive>(hostToLiveGuards);
export const isHostToPlanner = guardFrom<HostToPlanner>(hostToPlannerGuards);

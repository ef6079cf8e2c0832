// Runtime checks for the messages in ./messages.ts. Pure functions (no DOM, no vscode): the host
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

const exportFormats: readonly ExportFormat[] = ['html', 'csv', 'json'];

export function isReportToHost(x: unknown): x is ReportToHost {
  if (!isMsg(x)) return false;
  switch (x.type) {
    case 'report/ready':
      return true;
    case 'report/export':
      return exportFormats.includes(x.format as ExportFormat);
    default:
      return false;
  }
}

export function isLiveToHost(x: unknown): x is LiveToHost {
  return isMsg(x) && (x.type === 'live/ready' || x.type === 'live/openReport' || x.type === 'live/stop');
}

export function isPlannerToHost(x: unknown): x is PlannerToHost {
  if (!isMsg(x)) return false;
  switch (x.type) {
    case 'planner/ready':
    case 'plan/save':
    case 'plan/copyMarkdown':
    case 'plan/loadTest':
      return true;
    case 'plan/input':
      return isObject(x.input);
    default:
      return false;
  }
}

// The host is trusted; these checks only keep a stray message (another extension, a test) from crashing
// the app, so they look at the discriminant and the top-level payload only.

export function isHostToReport(x: unknown): x is HostToReport {
  if (!isMsg(x)) return false;
  if (x.type === 'theme/changed') return true;
  return x.type === 'run/show' && isObject(x.run);
}

export function isHostToLive(x: unknown): x is HostToLive {
  if (!isMsg(x)) return false;
  switch (x.type) {
    case 'theme/changed':
      return true;
    case 'live/reset':
      return isObject(x.run);
    case 'live/tick':
      return Array.isArray(x.windows) && isObject(x.totals);
    case 'live/warning':
      return typeof x.message === 'string';
    case 'live/done':
      return isObject(x.summary);
    case 'live/restore':
      return isObject(x.run) && Array.isArray(x.windows) && isObject(x.totals);
    default:
      return false;
  }
}

export function isHostToPlanner(x: unknown): x is HostToPlanner {
  if (!isMsg(x)) return false;
  switch (x.type) {
    case 'theme/changed':
      return true;
    case 'plan/init':
      return Array.isArray(x.models) && Array.isArray(x.tiers) && isObject(x.input);
    case 'plan/result':
      return isObject(x.result);
    case 'plan/error':
      return typeof x.field === 'string' && typeof x.message === 'string';
    default:
      return false;
  }
}

// What the Run History view shows for one saved run. Pure (no vscode), so it is unit-tested.
import { fmtMs, fmtNumber, fmtUsd } from '../../core/format/format';
import type { LoadShape } from '../../core/model/run';
import type { RunResult } from '../../core/model/run';
import type { SweepResult } from '../../core/sweep/types';
import { describeBinding } from '../../core/sweep/output';

export type RunVerdict = 'passed' | 'failed' | 'warning' | 'stopped';

export interface RunHistoryEntry {
  label: string;
  description: string;
  tooltip: string;
  verdict: RunVerdict;
  /** Codicon id for the verdict. */
  icon: 'pass' | 'error' | 'warning' | 'circle-slash';
}

const icons: Record<RunVerdict, RunHistoryEntry['icon']> = {
  passed: 'pass',
  failed: 'error',
  warning: 'warning',
  stopped: 'circle-slash',
};

const stopWords: Record<string, string> = {
  completed: 'finished',
  requests: 'all requests sent',
  duration: 'duration reached',
  budget: 'stopped at the budget',
  aborted: 'stopped by the user',
  failed: 'failed',
};

/** A run's verdict: user-stopped runs are not "passed", whatever their numbers. */
export function runVerdict(run: Pick<RunResult, 'summary' | 'diagnosis'>): RunVerdict {
  const s = run.summary;
  if (s.stopReason === 'aborted') return 'stopped';
  if (s.stopReason === 'failed' || s.requests.ok === 0 || s.thresholds.some((t) => !t.pass)) return 'failed';
  if (s.stopReason === 'budget' || run.diagnosis.some((d) => d.severity !== 'info')) return 'warning';
  return 'passed';
}

/** A sweep's verdict: stopped by the user, no passing rate (failed), early stop (warning), else passed. */
export function sweepVerdict(
  s: Pick<SweepResult, 'stopReason' | 'maxSustainableRpm' | 'warnings'>,
): RunVerdict {
  if (s.stopReason === 'aborted') return 'stopped';
  if (s.stopReason === 'failed' || s.maxSustainableRpm === null) return 'failed';
  if (s.stopReason === 'spend-budget' || s.stopReason === 'error-budget') return 'warning';
  return 'passed';
}

function whenOf(startedAt: string, now: Date): string {
  const started = new Date(startedAt);
  const time = started.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return started.toDateString() === now.toDateString()
    ? time
    : `${started.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}

const rpm = (n: number) => Math.round(n).toLocaleString('en-US');

/** A saved sweep in Run History: "Sweep: name", its max sustainable RPM, what binds and its cost. */
export function sweepHistoryEntry(s: SweepResult, now: Date = new Date()): RunHistoryEntry {
  const verdict = sweepVerdict(s);
  const max = s.maxSustainableRpm === null ? 'no rate passed' : `max ${rpm(s.maxSustainableRpm)} RPM`;
  return {
    label: `Sweep: ${s.name}`,
    description: `${whenOf(s.startedAt, now)} · ${max} · ${fmtUsd(s.costUsd)}`,
    tooltip: [
      `${s.name}: ${s.mode} sweep, ${s.steps.length} steps, stopped: ${s.stopReason}${s.stopDetail ? ` (${s.stopDetail})` : ''}`,
      max,
      `binds: ${describeBinding(s.binding)}`,
      ...(s.predictedMaxRpm !== null ? [`planner predicted ${rpm(s.predictedMaxRpm)} RPM`] : []),
      `SLO: ${s.slo.join(', ')}`,
      `cost ${fmtUsd(s.costUsd)}`,
      `started ${new Date(s.startedAt).toISOString()}`,
    ].join('\n'),
    verdict,
    icon: icons[verdict],
  };
}

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)} s` : `${Math.round(n)} ms`;
}

export function runHistoryEntry(run: RunResult, now: Date = new Date()): RunHistoryEntry {
  const s = run.summary;
  const verdict = runVerdict(run);
  const started = new Date(run.startedAt);
  const sameDay = started.toDateString() === now.toDateString();
  const when = sameDay
    ? started.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
    : started.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' }) +
      ' ' +
      started.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  const p95 = s.latencyMs.count > 0 ? `p95 ${ms(s.latencyMs.p95)}` : 'no latency data';
  const failed = s.thresholds.filter((t) => !t.pass).map((t) => t.expr);
  return {
    label: run.name,
    description: `${when} · ${p95} · ${fmtUsd(s.costUsd)}`,
    tooltip: [
      `${run.name}: ${stopWords[s.stopReason] ?? s.stopReason}`,
      `${s.requests.ok} of ${s.requests.total} requests ok`,
      p95,
      `cost ${fmtUsd(s.costUsd)}`,
      ...(failed.length > 0 ? [`failed thresholds: ${failed.join(', ')}`] : []),
      `started ${started.toISOString()}`,
    ].join('\n'),
    verdict,
    icon: icons[verdict],
  };
}

const verdictWords: Record<RunVerdict, string> = {
  passed: 'passed',
  failed: 'failed',
  warning: 'passed with warnings',
  stopped: 'stopped by the user',
};

/** The load in a few words: "2 concurrent", "8 req/s", "ramp to 10 req/s". */
export function shortLoad(load: LoadShape): string {
  switch (load.type) {
    case 'concurrency':
      return `${load.concurrency} concurrent`;
    case 'rate':
      return `${fmtNumber(load.rps, 2)} req/s`;
    case 'ramp':
      return `ramp to ${fmtNumber(Math.max(load.startRps, ...load.stages.map((s) => s.rps)), 2)} req/s`;
  }
}

/** A row of the Open Run Report picker: what was run, when, and how it went (not a folder name). */
export interface RunPickEntry {
  label: string;
  description: string;
  detail: string;
}

export function runPickEntry(run: RunResult): RunPickEntry {
  const s = run.summary;
  const verdict = runVerdict(run);
  const started = new Date(run.startedAt);
  // Date and time to the second: two runs of the same plan a minute apart stay apart.
  const when = Number.isNaN(started.getTime())
    ? run.startedAt
    : started.toLocaleString('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
  const models = run.scenario.models.map((m) => m.model).join(', ');
  const p95 = s.latencyMs.count > 0 ? `p95 ${fmtMs(s.latencyMs.p95)}` : 'no latency data';
  return {
    label: `$(${icons[verdict]}) ${run.name}`,
    description: `${when} · ${models} · ${shortLoad(run.scenario.load)}`,
    detail: `${verdictWords[verdict]}: ${s.requests.ok} of ${s.requests.total} ok · ${p95} · ${fmtUsd(s.costUsd)}`,
  };
}

/** The .gitignore written next to saved runs: results hold prompts digests, costs and hosts. */
export const runsGitignore =
  '# Claude Load & Scale results: kept out of git by default. Delete this file to commit them.\n*\n';

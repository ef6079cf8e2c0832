// The live panel's DOM: built once, then render() rewrites text and toggles sections. Every number has
// a stable data-metric (and its raw value in data-value) so tests and screen readers find it.
import {
  describeLoad,
  fmtCount,
  fmtDuration,
  fmtMs,
  fmtRate,
  fmtUsd,
  summaryErrors,
} from '../../src/core/browser';
import type { Diagnosis, RunSummary } from '../../src/core/browser';
import type { LiveEmptyCommand } from '../../src/shared/protocol/messages';
import { h } from '../shared/dom';
import { visibleDiagnosis } from '../shared/diagnosis';
import { createButton } from '../shared/toolkit';
import { createLiveCharts } from './liveCharts';
import { liveNumbers, progress } from './model';
import type { LiveNumbers, LiveState } from './model';

export interface ViewModel {
  state: LiveState | undefined;
  /** The host confirmed this run during this page's life (a restored-only view has no live host run). */
  live: boolean;
  /** Stop was pressed and the run has not finished yet. */
  stopping: boolean;
}

export interface LiveView {
  render(model: ViewModel): void;
  retheme(): void;
}

export const emptyText = "No load test yet. Run 'Claude: Run Load Test' or open a *.claudeload.json plan.";

const stopReasons: Record<string, string> = {
  completed: 'Finished',
  requests: 'Finished (request count reached)',
  duration: 'Finished (duration reached)',
  budget: 'Stopped: cost budget reached',
  aborted: 'Stopped by you',
  failed: 'The engine failed',
};

type Fmt = (n: number | null | undefined) => string;

interface MetricSpec {
  key: string;
  label: string;
  format: Fmt;
  value: (n: LiveNumbers) => number | null;
  title: string;
}

const metricSpecs: MetricSpec[] = [
  {
    key: 'rps',
    label: 'req/s',
    format: (n) => fmtRate(n, 0),
    value: (n) => n.rps,
    title: 'Requests finished in the last second',
  },
  { key: 'latency.p50', label: 'p50', format: fmtMs, value: (n) => n.p50, title: 'Latency p50, last second' },
  { key: 'latency.p95', label: 'p95', format: fmtMs, value: (n) => n.p95, title: 'Latency p95, last second' },
  { key: 'latency.p99', label: 'p99', format: fmtMs, value: (n) => n.p99, title: 'Latency p99, last second' },
  {
    key: 'ttft.p95',
    label: 'TTFT p95',
    format: fmtMs,
    value: (n) => n.ttftP95,
    title: 'Time to first token p95, last second',
  },
  {
    key: 'errors',
    label: 'errors',
    format: fmtCount,
    value: (n) => n.errors,
    title: 'Failed requests so far',
  },
  {
    key: 'inFlight',
    label: 'in flight',
    format: fmtCount,
    value: (n) => n.inFlight,
    title: 'Requests in flight',
  },
  { key: 'costUsd', label: 'cost', format: fmtUsd, value: (n) => n.costUsd, title: 'Cost so far' },
  {
    key: 'completed',
    label: 'done',
    format: fmtCount,
    value: (n) => n.completed,
    title: 'Requests finished so far',
  },
];

/** Tooltips of the tiles that change meaning once the run is over (see liveNumbers). */
const wholeRunTitles: Record<string, string> = {
  rps: 'Successful requests per second over the whole run',
  'latency.p50': 'Latency p50, whole run',
  'latency.p95': 'Latency p95, whole run',
  'latency.p99': 'Latency p99, whole run',
  'ttft.p95': 'Time to first token p95, whole run',
};

function setMetric(el: HTMLElement, value: number | null | undefined, format: Fmt): void {
  const raw = value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
  if (el.dataset.value === raw && el.textContent !== '') return;
  el.dataset.value = raw;
  el.textContent = format(value);
}

function metricEl(key: string): HTMLElement {
  return h('span', { 'data-metric': key, 'data-value': '', class: 'num' }, '–');
}

function summaryLine(s: RunSummary): HTMLElement {
  const failed = summaryErrors(s);
  const m = (key: string, value: number, format: Fmt) =>
    h('span', { 'data-metric': `summary.${key}`, 'data-value': value, class: 'num' }, format(value));
  return h(
    'p',
    { class: 'live-summary', 'data-field': 'summary' },
    h('strong', { 'data-field': 'stopReason' }, stopReasons[s.stopReason] ?? s.stopReason),
    ` after ${fmtDuration(s.durationS)}: `,
    m('total', s.requests.total, fmtCount),
    ' requests, ',
    m('ok', s.requests.ok, fmtCount),
    ' ok, ',
    m('failed', failed, fmtCount),
    ' failed · ',
    m('rps', s.throughput.rps, (n) => fmtRate(n, 1)),
    ' · p95 ',
    m('latency.p95', s.latencyMs.p95, fmtMs),
    ' · TTFT p95 ',
    m('ttft.p95', s.ttftMs.p95, fmtMs),
    ' · ',
    m('costUsd', s.costUsd, fmtUsd),
  );
}

function diagnosisList(items: Diagnosis[] | undefined): HTMLElement[] {
  return (items ?? []).map((d) =>
    h(
      'li',
      { class: `diag ${d.severity}`, 'data-diagnosis': d.id, title: d.detail },
      h('span', { class: `badge ${d.severity}` }, d.severity),
      h('strong', null, d.title),
      d.advice ? h('p', { class: 'advice small' }, d.advice) : null,
    ),
  );
}

export function createLiveView(
  root: HTMLElement,
  actions: { onStop: () => void; onOpenReport: () => void; onCommand: (command: LiveEmptyCommand) => void },
): LiveView {
  const emptyButton = (label: string, command: LiveEmptyCommand, appearance: 'primary' | 'secondary') =>
    createButton({
      label,
      appearance,
      testId: `empty-${command}`,
      onClick: () => actions.onCommand(command),
    });
  const empty = h(
    'div',
    { class: 'live-empty' },
    h('p', { class: 'muted', 'data-field': 'empty' }, emptyText),
    h(
      'div',
      { class: 'live-empty-actions' },
      emptyButton('Run Load Test', 'runLoadTest', 'primary'),
      emptyButton('Plan Capacity', 'planCapacity', 'secondary'),
      emptyButton('New Plan', 'newPlan', 'secondary'),
    ),
  );
  const name = h('h1', { 'data-field': 'name' });
  const status = h('span', { class: 'live-status', 'data-field': 'status', role: 'status' });
  const target = h('p', { class: 'muted small live-target', 'data-field': 'target' });
  // The prompt the run sends (the wizard's choice, a plan file's prompts), so a run is recognisable.
  const prompt = h('p', { class: 'muted small live-target', 'data-field': 'prompt' });
  const bar = h('progress', { 'data-field': 'progress', max: 1, 'aria-label': 'Run progress' });
  const barLabel = h('span', { class: 'small muted', 'data-field': 'progressLabel' });
  const elapsed = metricEl('elapsedS');
  const progressRow = h(
    'div',
    { class: 'live-progress' },
    bar,
    h('span', { class: 'small' }, 'elapsed ', elapsed),
    barLabel,
  );
  const stop = createButton({
    label: 'Stop',
    onClick: () => actions.onStop(),
    appearance: 'secondary',
    title: 'Stop the load test (in-flight requests are aborted; partial results are saved)',
    testId: 'stop',
  });
  const openReport = createButton({
    label: 'Open report',
    onClick: () => actions.onOpenReport(),
    appearance: 'primary',
    title: 'Open the full report of this run',
    testId: 'open-report',
  });
  stop.setAttribute('aria-label', 'Stop the load test');
  openReport.setAttribute('aria-label', 'Open the report of this run');
  const metricEls = new Map<string, HTMLElement>();
  const metricKvs = new Map<string, HTMLElement>();
  const metricsList = h(
    'dl',
    { class: 'live-metrics', 'aria-label': 'Live numbers' },
    metricSpecs.map((s) => {
      const el = metricEl(s.key);
      metricEls.set(s.key, el);
      const kv = h('div', { class: 'kv', title: s.title }, h('dt', null, s.label), h('dd', null, el));
      metricKvs.set(s.key, kv);
      return kv;
    }),
  );
  const summary = h('div', { class: 'live-summary-box', 'aria-live': 'polite' });
  const diagnosis = h('ul', { class: 'diagnosis live-diagnosis', 'aria-label': 'Diagnosis' });
  const warnings = h('ul', {
    class: 'warnings live-warnings',
    'aria-label': 'Warnings',
    'aria-live': 'polite',
    'data-field': 'warnings',
  });
  diagnosis.hidden = true;
  warnings.hidden = true;
  const charts = createLiveCharts();
  const body = h(
    'div',
    { class: 'live-body' },
    h(
      'header',
      { class: 'live-header' },
      h('div', { class: 'live-title' }, name, status),
      target,
      prompt,
      progressRow,
      h('div', { class: 'live-actions' }, stop, openReport),
    ),
    metricsList,
    summary,
    diagnosis,
    warnings,
    charts.el,
  );
  root.classList.add('live-app');
  root.append(empty, body);

  // What was last drawn, so a render with nothing new skips the DOM work.
  let shownSummary: RunSummary | undefined;
  let shownDiagnosis: Diagnosis[] | undefined;
  let shownWarnings = '';

  return {
    render({ state, live, stopping }) {
      empty.hidden = state !== undefined;
      body.hidden = state === undefined;
      root.dataset.state = !state ? 'empty' : state.summary ? 'done' : 'running';
      root.dataset.windows = String(state?.windows.length ?? 0);
      root.dataset.live = String(live);
      if (!state) return;
      const { run } = state;
      name.textContent = run.name;
      target.textContent = [
        run.targetUrl,
        run.models?.join(', '),
        run.load ? describeLoad(run.load) : undefined,
      ]
        .filter(Boolean)
        .join(' · ');
      prompt.textContent = run.prompt ? `Prompt: ${run.prompt}` : '';
      prompt.hidden = !run.prompt;
      status.textContent = state.summary
        ? state.summary.stopReason === 'aborted'
          ? 'stopped'
          : 'done'
        : !live
          ? 'earlier session'
          : stopping
            ? 'stopping…'
            : 'running';
      status.dataset.status = state.summary ? 'done' : !live ? 'stale' : stopping ? 'stopping' : 'running';

      const n = liveNumbers(state);
      // Finished: the rate and percentile tiles switch to whole-run statistics; their tooltips say so.
      const scope = state.summary ? 'run' : 'window';
      if (metricsList.dataset.scope !== scope) {
        metricsList.dataset.scope = scope;
        for (const s of metricSpecs) {
          const title = scope === 'run' ? (wholeRunTitles[s.key] ?? s.title) : s.title;
          metricKvs.get(s.key)!.title = title;
        }
      }
      for (const s of metricSpecs) setMetric(metricEls.get(s.key)!, s.value(n), s.format);
      const budget = run.maxCostUsd;
      if (budget) metricEls.get('costUsd')!.textContent = `${fmtUsd(n.costUsd)} of ${fmtUsd(budget)}`;
      setMetric(elapsed, n.elapsedS, fmtDuration);

      const p = progress(state, { duration: fmtDuration, count: fmtCount });
      bar.hidden = p === null;
      barLabel.textContent = p?.label ?? '';
      if (p) {
        bar.value = p.fraction;
        bar.setAttribute('aria-valuetext', p.label);
      }

      // Stop only for a run the host says is running; Open report once it finished.
      stop.hidden = !live || state.summary !== undefined;
      if (stopping) stop.setAttribute('disabled', '');
      else stop.removeAttribute('disabled');
      openReport.hidden = !live || state.summary === undefined;

      if (state.summary !== shownSummary) {
        summary.replaceChildren(...(state.summary ? [summaryLine(state.summary)] : []));
        shownSummary = state.summary;
      }
      if (state.diagnosis !== shownDiagnosis) {
        const shown = visibleDiagnosis(state.diagnosis, state.summary?.stopReason);
        diagnosis.replaceChildren(...diagnosisList(shown));
        diagnosis.hidden = shown.length === 0;
        shownDiagnosis = state.diagnosis;
      }
      const w = state.warnings.join('\n');
      if (w !== shownWarnings) {
        warnings.replaceChildren(...state.warnings.map((m) => h('li', null, m)));
        shownWarnings = w;
      }
      warnings.hidden = state.warnings.length === 0;
      charts.update(state.windows);
    },
    retheme: () => charts.retheme(),
  };
}

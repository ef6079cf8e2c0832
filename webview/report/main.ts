// The report app. Standalone (report.html): the run is embedded in #run-data. In VS Code: it asks the host
// with report/ready and draws what run/show sends; the last run is kept in the webview state.
import { metricDefinitions, validateRun } from '../../src/core/browser';
import type { BatchView, RunResult } from '../../src/core/browser';
import type { ExportFormat, ReportState, ReportToHost } from '../../src/shared/protocol/messages';
import { isHostToReport } from '../../src/shared/protocol/guards';
import {
  createHeadroomChart,
  createHistogramChart,
  createLatencyChart,
  createOutcomesChart,
  createThroughputChart,
  createTtftChart,
} from '../shared/charts';
import type { ChartHandle } from '../shared/charts';
import { createButton, inVsCode } from '../shared/toolkit';
import { getVsCodeApi } from '../shared/vscodeApi';
import { chartCard, h } from '../shared/dom';
import { byModel, definitions, diagnosis, errors, header, spike, summary, thresholds } from './sections';
import { batchSections, batchViewProblem } from './batch';

type AnyHandle = Pick<ChartHandle<unknown>, 'retheme' | 'destroy'>;

const root: HTMLElement =
  document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));
let charts: AnyHandle[] = [];

function chartsSection(run: RunResult): { el: HTMLElement; draw: () => AnyHandle[] } {
  const hasHeadroom = run.timeseries.some(
    (w) =>
      w.headroom.requests !== null || w.headroom.inputTokens !== null || w.headroom.outputTokens !== null,
  );
  const cards = {
    latency: chartCard('latency', 'Latency per second (successful requests) and requests in flight'),
    ttft: chartCard('ttft', 'Time to first token per second'),
    throughput: chartCard('throughput', 'Throughput'),
    outcomes: chartCard('outcomes', 'Finished requests per second by outcome'),
    headroom: chartCard(
      'headroom',
      'Rate-limit headroom left',
      hasHeadroom ? undefined : 'No anthropic-ratelimit-* headers were seen in this run.',
    ),
    histogram: chartCard('histogram', 'Latency distribution'),
  };
  const el = h(
    'section',
    { id: 'charts', class: 'card' },
    h('h2', null, 'Charts'),
    h(
      'div',
      { class: 'chart-grid' },
      Object.values(cards).map((c) => c.card),
    ),
  );
  const draw = (): AnyHandle[] => {
    const w = run.timeseries;
    const series = [
      createLatencyChart(cards.latency.canvas),
      createTtftChart(cards.ttft.canvas),
      createThroughputChart(cards.throughput.canvas),
      createOutcomesChart(cards.outcomes.canvas),
      createHeadroomChart(cards.headroom.canvas),
    ];
    for (const c of series) c.update(w);
    return [...series, createHistogramChart(cards.histogram.canvas, run.latencyDistribution)];
  };
  return { el, draw };
}

function toolbar(): HTMLElement | null {
  // Export needs the host (file dialogs); the standalone file already is the export.
  const api = getVsCodeApi<ReportToHost, ReportState>();
  if (!api || !inVsCode()) return null;
  const exp = (format: ExportFormat) => () => api.postMessage({ type: 'report/export', format });
  return h(
    'nav',
    { class: 'toolbar', 'aria-label': 'Export' },
    createButton({ label: 'Export HTML', onClick: exp('html'), testId: 'export-html' }),
    createButton({ label: 'Export CSV', onClick: exp('csv'), testId: 'export-csv' }),
    createButton({ label: 'Export JSON', onClick: exp('json'), testId: 'export-json' }),
  );
}

function clear(): void {
  for (const c of charts) c.destroy();
  charts = [];
  root.replaceChildren();
}

function render(run: RunResult): void {
  clear();
  const defs = Object.keys(run.definitions ?? {}).length ? run.definitions : metricDefinitions;
  const c = chartsSection(run);
  root.append(
    ...[
      toolbar(),
      header(run),
      diagnosis(run),
      summary(run),
      byModel(run),
      spike(run),
      thresholds(run),
      c.el,
      errors(run),
      definitions(defs),
    ].filter((x): x is HTMLElement => x !== null),
  );
  charts = c.draw();
  root.dataset.ready = 'true';
}

/** A Message Batches run: the batch section instead of the load-test report (no charts, no export). */
function showBatch(value: unknown): BatchView | undefined {
  const problem = batchViewProblem(value);
  if (problem) {
    showError(`This batch run cannot be shown: ${problem}.`);
    return undefined;
  }
  clear();
  const view = value as BatchView;
  root.append(h('div', { id: 'batch', 'data-view': 'batch' }, ...batchSections(view)));
  root.dataset.ready = 'true';
  return view;
}

function showError(message: string): void {
  clear();
  root.append(h('div', { class: 'error-box', role: 'alert', 'data-field': 'error' }, message));
  root.dataset.ready = 'error';
}

function show(value: unknown, source: string): RunResult | undefined {
  try {
    const run = validateRun(value, source);
    render(run);
    return run;
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
    return undefined;
  }
}

function retheme(): void {
  for (const c of charts) c.retheme();
}

function start(): void {
  const embedded = document.getElementById('run-data');
  if (embedded) {
    let value: unknown;
    try {
      value = JSON.parse(embedded.textContent ?? '');
    } catch (e) {
      showError(`The embedded run data is not valid JSON: ${(e as Error).message}`);
      return;
    }
    show(value, 'report.html');
    return;
  }
  const api = getVsCodeApi<ReportToHost, ReportState>();
  if (!api) {
    showError(
      'No run to show: open a run.json with "Claude Load: Open Report", or open a saved report.html.',
    );
    return;
  }
  const saved = api.getState();
  if (saved?.run) show(saved.run, 'saved state');
  else if (saved?.batch) showBatch(saved.batch);
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    const msg = e.data;
    if (!isHostToReport(msg)) return;
    if (msg.type === 'theme/changed') retheme();
    else if (msg.type === 'batch/show') {
      if (showBatch(msg.batch)) api.setState({ batch: msg.batch });
    } else if (show(msg.run, 'run')) api.setState({ run: msg.run });
  });
  // VS Code switches themes by changing the body class; redraw the canvases with the new colours.
  new MutationObserver(retheme).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  api.postMessage({ type: 'report/ready' });
}

start();

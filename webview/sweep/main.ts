// The sweep panel (Find Max Throughput). The host sends sweep/show (everything so far), then
// sweep/progress for the step being measured, sweep/step as each step finishes (the table and the three
// charts grow by one) and sweep/done with the one-sentence answer. Stop keeps the partial sweep. The
// last state lives in the webview state, so a re-created panel draws before the host answers.
import { fmtMs, fmtNumber, fmtPct, fmtUsd } from '../../src/core/browser';
import type { SweepStep } from '../../src/core/browser';
import type {
  HostToSweep,
  SweepPanelAnalysis,
  SweepPanelDone,
  SweepPanelInfo,
  SweepToHost,
} from '../../src/shared/protocol/messages';
import { isHostToSweep } from '../../src/shared/protocol/guards';
import { createXYChart, dashes } from '../shared/charts';
import type { ChartHandle, XYAxes } from '../shared/charts';
import { chartCard, h, metric } from '../shared/dom';
import { createButton, setDisabled } from '../shared/toolkit';
import { getVsCodeApi } from '../shared/vscodeApi';
import { hLine, ratedSteps, sloBounds, topOf, vLine } from './model';
import type { RatedStep } from './model';

/** What the panel keeps in setState. */
export interface SweepState {
  info: SweepPanelInfo;
  steps: SweepStep[];
  analysis: SweepPanelAnalysis;
  done?: SweepPanelDone;
}

/** Everything drawn: what sweep/show carries, kept up to date by the later messages. */
type View = Omit<Extract<HostToSweep, { type: 'sweep/show' }>, 'type'>;

const root: HTMLElement =
  document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));

const rateAxis = { title: 'offered rate (req/s)', format: (v: number) => fmtNumber(v, 1) };
const xTitle = (x: number) => `offered ${fmtNumber(x, 2)} req/s`;
const phaseWords: Record<string, string> = {
  baseline: 'baseline (concurrency 1)',
  rates: 'rate',
  doubling: 'doubling',
  bisection: 'bisection',
};

type ChartData = { rated: RatedStep[]; view: View };

function throughputChart(canvas: HTMLCanvasElement): ChartHandle<ChartData> {
  const axes: XYAxes = {
    x: rateAxis,
    y: { title: 'requests per second', format: (v) => fmtNumber(v, 1) },
    y1: { title: 'output tokens per second', format: (v) => fmtNumber(v, 0) },
    xTitle,
  };
  const top = ({ rated }: ChartData) =>
    topOf(
      rated.flatMap((s) => [s.offeredRps, s.achievedRps, s.goodputRps]),
      1,
    );
  return createXYChart<ChartData>(
    canvas,
    [
      {
        label: 'offered',
        color: 'muted',
        dash: dashes.secondary,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: s.offeredRps })),
      },
      {
        label: 'achieved req/s',
        color: 'blue',
        markers: true,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: s.achievedRps })),
      },
      {
        label: 'goodput req/s',
        color: 'green',
        markers: true,
        dash: dashes.p95,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: s.goodputRps })),
      },
      {
        label: 'output tok/s',
        color: 'orange',
        axis: 'y1',
        markers: true,
        dash: dashes.p99,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: s.outputTokensPerSec })),
      },
      {
        label: 'knee',
        color: 'purple',
        dash: dashes.p99,
        points: (d) => vLine(d.view.analysis.kneeRps, top(d)),
      },
      {
        label: 'max sustainable',
        color: 'green',
        dash: dashes.secondary,
        points: (d) => vLine(d.view.analysis.maxSustainableRps, top(d)),
      },
    ],
    axes,
  );
}

function latencyChart(canvas: HTMLCanvasElement): ChartHandle<ChartData> {
  const top = ({ rated, view }: ChartData) =>
    topOf([
      ...rated.map((s) => s.latency.p99),
      ...sloBounds(view.info.slo, 'latency').map((b) => b.ms),
      ...sloBounds(view.info.slo, 'ttft').map((b) => b.ms),
    ]);
  return createXYChart<ChartData>(
    canvas,
    [
      {
        label: 'p50',
        color: 'blue',
        markers: true,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: nz(s.latency.p50, s) })),
      },
      {
        label: 'p95',
        color: 'orange',
        markers: true,
        dash: dashes.p95,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: nz(s.latency.p95, s) })),
      },
      {
        label: 'p99',
        color: 'red',
        markers: true,
        dash: dashes.p99,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: nz(s.latency.p99, s) })),
      },
      {
        label: 'TTFT p95',
        color: 'purple',
        markers: true,
        dash: dashes.secondary,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: s.ttft.count ? s.ttft.p95 : NaN })),
      },
      {
        label: 'SLO bound',
        color: 'muted',
        dash: dashes.p95,
        // Every latency/TTFT bound as its own segment; NaN breaks the line between them.
        points: ({ rated, view }) =>
          [...sloBounds(view.info.slo, 'latency'), ...sloBounds(view.info.slo, 'ttft')].flatMap((b, i) => [
            ...(i > 0 ? [{ x: rated[0]?.offeredRps ?? 0, y: NaN }] : []),
            ...hLine(rated, b.ms),
          ]),
      },
      {
        label: 'binds',
        color: 'red',
        dash: dashes.secondary,
        points: (d) => vLine(d.view.analysis.bindingRps, top(d)),
      },
    ],
    { x: rateAxis, y: { title: 'latency (ms, ok requests)', format: (v) => fmtMs(v) }, xTitle },
  );
}

function rateLimitedChart(canvas: HTMLCanvasElement): ChartHandle<ChartData> {
  const top = ({ rated }: ChartData) =>
    topOf(
      rated.flatMap((s) => [s.rateLimitedRate, s.overloadedRate, s.otherErrorsRate]),
      0.05,
    );
  return createXYChart<ChartData>(
    canvas,
    [
      {
        label: '429 share',
        color: 'red',
        markers: true,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: s.rateLimitedRate })),
      },
      {
        label: '529 share',
        color: 'yellow',
        markers: true,
        dash: dashes.p95,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: s.overloadedRate })),
      },
      {
        label: 'other errors',
        color: 'orange',
        markers: true,
        dash: dashes.p99,
        points: ({ rated }) => rated.map((s) => ({ x: s.offeredRps, y: s.otherErrorsRate })),
      },
      {
        label: 'binds',
        color: 'red',
        dash: dashes.secondary,
        points: (d) => vLine(d.view.analysis.bindingRps, top(d)),
      },
    ],
    {
      x: rateAxis,
      y: { title: 'share of requests', format: (v) => fmtPct(v), min: 0 },
      xTitle,
    },
  );
}

/** Latency of a step with no ok request is not 0 ms: a gap. */
function nz(v: number, s: SweepStep): number {
  return s.latency.count > 0 ? v : NaN;
}

const pct = (v: number | null | undefined) => fmtPct(v);
const rate = (v: number | null | undefined) => (v === null || v === undefined ? '–' : fmtNumber(v, 2));
const ms = (v: number | null | undefined) => fmtMs(v);
const rpm = (rps: number | null | undefined) =>
  rps === null || rps === undefined ? '–' : `${fmtNumber(rps * 60, 0)} RPM`;

function stepRow(s: SweepStep): HTMLElement {
  const key = `steps.${s.index}`;
  const failed = s.slo.filter((v) => v.verdict === 'fail').map((v) => v.expr);
  const shortfall = s.achievedShortfall;
  return h(
    'tr',
    { 'data-step': s.index, class: s.pass ? null : 'sw-fail-row' },
    h('th', { scope: 'row', class: 'num' }, String(s.index + 1)),
    h('td', null, phaseWords[s.phase] ?? s.phase),
    metric('td', `${key}.offeredRps`, s.offeredRps, (v) =>
      v === null || v === undefined ? 'closed loop' : rate(v),
    ),
    h(
      'td',
      {
        'data-metric': `${key}.achievedRps`,
        'data-value': s.achievedRps,
        class: shortfall ? 'num warn' : 'num',
        title: shortfall
          ? 'achieved below 98 % of offered: the generator or its in-flight cap did not keep up'
          : null,
      },
      `${rate(s.achievedRps)}${shortfall ? ' (short)' : ''}`,
    ),
    metric('td', `${key}.okRps`, s.okRps, rate),
    metric('td', `${key}.goodputRps`, s.goodputRps, rate),
    metric('td', `${key}.outputTokensPerSec`, s.outputTokensPerSec, (v) => fmtNumber(v, 0)),
    metric('td', `${key}.latency.p50`, s.latency.count ? s.latency.p50 : null, ms),
    metric('td', `${key}.latency.p95`, s.latency.count ? s.latency.p95 : null, ms),
    metric('td', `${key}.latency.p99`, s.latency.count ? s.latency.p99 : null, ms),
    metric('td', `${key}.ttft.p95`, s.ttft.count ? s.ttft.p95 : null, ms),
    metric('td', `${key}.rateLimitedRate`, s.rateLimitedRate, pct),
    metric('td', `${key}.overloadedRate`, s.overloadedRate, pct),
    metric('td', `${key}.errorsRate`, s.errorsRate, pct),
    metric('td', `${key}.costUsd`, s.costUsd, fmtUsd),
    h(
      'td',
      { 'data-metric': `${key}.pass`, 'data-value': String(s.pass), class: s.pass ? 'pass' : 'fail' },
      s.pass ? 'pass' : `fail: ${failed.join(', ') || 'over-saturated'}`,
    ),
  );
}

const stepColumns = [
  '#',
  'phase',
  'offered req/s',
  'achieved',
  'ok/s',
  'goodput/s',
  'output tok/s',
  'p50',
  'p95',
  'p99',
  'TTFT p95',
  '429',
  '529',
  'errors',
  'cost',
  'SLO',
];

function start(): void {
  const api = getVsCodeApi<SweepToHost, SweepState>();
  if (!api) {
    root.append(h('div', { class: 'error-box', role: 'alert' }, 'The sweep panel runs inside VS Code.'));
    return;
  }
  let view: View | undefined;
  const title = h('h1', { 'data-field': 'title' }, 'Find Max Throughput');
  const meta = h('p', { class: 'muted', 'data-field': 'meta' });
  const progress = h('p', { class: 'sw-progress', role: 'status', 'data-field': 'progress' });
  const answer = h('section', { class: 'card sw-answer', id: 'answer', 'aria-live': 'polite', hidden: true });
  const stop = createButton({
    label: 'Stop',
    title: 'Stop the sweep; the steps measured so far are kept and saved',
    onClick: () => {
      api.postMessage({ type: 'sweep/stop' });
      setDisabled(stop, true);
    },
    testId: 'sweep-stop',
  });
  const openReport = createButton({
    label: 'Open report',
    onClick: () => api.postMessage({ type: 'sweep/openReport' }),
    testId: 'sweep-open-report',
  });
  const toolbar = h('nav', { class: 'toolbar sw-actions', 'aria-label': 'Sweep actions' }, stop, openReport);
  const cards = {
    throughput: chartCard(
      'sweep-throughput',
      'Throughput vs offered rate (knee and max sustainable rate marked)',
    ),
    latency: chartCard('sweep-latency', 'Latency percentiles vs offered rate (SLO bounds; where it binds)'),
    rateLimited: chartCard('sweep-rate-limited', '429 / 529 share vs offered rate (where it binds)'),
  };
  const tbody = h('tbody');
  const empty = h('p', { class: 'muted', 'data-field': 'noSteps' }, 'No step has finished yet.');
  const table = h(
    'div',
    { class: 'scroll-x' },
    h(
      'table',
      { class: 'grid sw-steps', 'data-field': 'steps' },
      h('caption', null, 'Steps in the order they ran (every number in the charts)'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...stepColumns.map((c, i) => h('th', { scope: 'col', class: i >= 2 && i < 15 ? 'num' : null }, c)),
        ),
      ),
      tbody,
    ),
  );
  root.replaceChildren(
    h('header', { class: 'sw-header' }, title, meta, progress, toolbar),
    answer,
    h(
      'section',
      { class: 'card', id: 'charts' },
      h('h2', null, 'Charts'),
      h(
        'p',
        { class: 'muted small' },
        'Each point is one step; the steps table below lists the same numbers.',
      ),
      h('div', { class: 'chart-grid' }, cards.throughput.card, cards.latency.card, cards.rateLimited.card),
    ),
    h('section', { class: 'card', id: 'steps' }, h('h2', null, 'Steps'), empty, table),
  );
  const charts = [
    throughputChart(cards.throughput.canvas),
    latencyChart(cards.latency.canvas),
    rateLimitedChart(cards.rateLimited.canvas),
  ];

  const redrawCharts = (): void => {
    if (!view) return;
    const data = { rated: ratedSteps(view.steps), view };
    for (const c of charts) c.update(data);
  };
  const renderHeader = (): void => {
    if (!view) return;
    const i = view.info;
    title.textContent = `Find Max Throughput: ${i.name}`;
    meta.textContent =
      `${i.target} · ${i.mode === 'auto' ? 'auto search' : 'fixed rates'} · steps of ${fmtNumber(i.stepDurationMs / 1000, 0)} s ` +
      `after ${fmtNumber(i.warmupMs / 1000, 0)} s warm-up · SLO ${i.slo.length ? i.slo.join(', ') : 'defaults'}`;
  };
  const renderProgress = (): void => {
    if (!view) return;
    const p = view.progress;
    if (view.done) {
      const r = view.done.result;
      progress.textContent = `Finished: ${r.stopReason}${r.stopDetail ? ` (${r.stopDetail})` : ''}, ${r.steps.length} steps, ${fmtUsd(r.costUsd)}.`;
    } else if (view.stopping)
      progress.textContent = 'Stopping: the current step ends and the sweep is saved…';
    else if (p)
      progress.textContent =
        `Step ${p.index + 1} (${phaseWords[p.phase] ?? p.phase}` +
        `${p.offeredRps === null ? '' : ` at ${fmtNumber(p.offeredRps, 2)} req/s`}): ${fmtNumber(p.elapsedS, 0)} s, ` +
        `sent ${p.sent}, done ${p.completed}, in flight ${p.inFlight}, ${fmtUsd(p.costUsd)}`;
    else progress.textContent = 'Starting…';
    stop.hidden = view.done !== undefined;
    setDisabled(stop, view.done !== undefined || view.stopping === true);
    openReport.hidden = !view.done?.saved;
    root.dataset.state = view.done ? 'done' : 'running';
  };
  const renderAnswer = (): void => {
    const d = view?.done;
    answer.hidden = !d;
    if (!d) {
      answer.replaceChildren();
      return;
    }
    const r = d.result;
    const kv = (label: string, value: HTMLElement) => h('div', { class: 'kv' }, h('dt', null, label), value);
    answer.replaceChildren(
      h('h2', null, 'Answer'),
      h('p', { class: 'sw-sentence', 'data-field': 'sentence' }, d.sentence),
      h(
        'dl',
        { class: 'kv-grid' },
        kv(
          'Max sustainable',
          metric('dd', 'maxSustainableRpm', r.maxSustainableRpm, (v) => rpm(v == null ? v : v / 60)),
        ),
        kv(
          'Interval probed',
          h(
            'dd',
            { 'data-metric': 'maxSustainableInterval' },
            !r.maxSustainableInterval
              ? '–'
              : r.maxSustainableInterval.highRps === null
                ? `≥ ${rate(r.maxSustainableInterval.lowRps)} req/s (no probe failed)`
                : `${rate(r.maxSustainableInterval.lowRps)} – ${rate(r.maxSustainableInterval.highRps)} req/s`,
          ),
        ),
        kv(
          'What binds',
          h('dd', { 'data-field': 'binding' }, d.analysis.binding ?? 'nothing within the rates probed'),
        ),
        kv(
          'Planner predicted',
          metric('dd', 'predictedMaxRpm', r.predictedMaxRpm, (v) => rpm(v == null ? v : v / 60)),
        ),
        kv(
          'Prediction error',
          metric('dd', 'predictionErrorPct', r.predictionErrorPct, (v) =>
            v === null || v === undefined ? '–' : `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)} %`,
          ),
        ),
        kv(
          'Knee (output tok/s)',
          metric('dd', 'kneeRps', r.kneeRps, (v) => (v == null ? '–' : `${rate(v)} req/s`)),
        ),
        kv('Cost', metric('dd', 'costUsd', r.costUsd, fmtUsd)),
      ),
      ...(r.warnings.length
        ? [
            h(
              'ul',
              { class: 'muted small', 'data-field': 'warnings' },
              ...r.warnings.map((w) => h('li', null, w)),
            ),
          ]
        : []),
    );
  };
  const renderSteps = (): void => {
    if (!view) return;
    tbody.replaceChildren(...view.steps.map(stepRow));
    empty.hidden = view.steps.length > 0;
    root.dataset.steps = String(view.steps.length);
  };
  const save = (): void => {
    if (view)
      api.setState({
        info: view.info,
        steps: view.steps,
        analysis: view.analysis,
        ...(view.done ? { done: view.done } : {}),
      });
  };
  const renderAll = (): void => {
    renderHeader();
    renderProgress();
    renderAnswer();
    renderSteps();
    redrawCharts();
  };

  const handle = (msg: HostToSweep): void => {
    switch (msg.type) {
      case 'theme/changed':
        for (const c of charts) c.retheme();
        return;
      case 'sweep/show':
        {
          const { type: _type, ...shown } = msg;
          view = { ...shown, analysis: msg.done?.analysis ?? msg.analysis };
        }
        renderAll();
        save();
        return;
      case 'sweep/progress':
        if (!view || view.done) return;
        view.progress = msg.progress;
        renderProgress();
        return;
      case 'sweep/step':
        if (!view) return;
        if (!view.steps.some((s) => s.index === msg.step.index)) view.steps.push(msg.step);
        view.analysis = msg.analysis;
        renderSteps();
        redrawCharts();
        save();
        return;
      case 'sweep/done':
        if (!view) return;
        view.done = { result: msg.result, sentence: msg.sentence, saved: msg.saved, analysis: msg.analysis };
        view.steps = msg.result.steps;
        view.analysis = msg.analysis;
        delete view.progress;
        renderAll();
        save();
        return;
    }
  };

  const saved = api.getState();
  if (saved?.info) {
    view = { ...saved };
    renderAll();
  }
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (isHostToSweep(e.data)) handle(e.data);
  });
  // VS Code switches themes by changing the body class; the charts re-read the colours.
  new MutationObserver(() => charts.forEach((c) => c.retheme())).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
  api.postMessage({ type: 'sweep/ready' });
}

start();

// The scaling rehearsal panel: the host sends scale/show with the core's ScaleResult once the rehearsal
// ends; the app draws the mode comparison (429 share, utilisation, fairness, p99), per-instance
// throughput, and the same numbers as tables for screen readers. "Copy limiter setup" asks the host to
// put the snippet on the clipboard. The result lives in the webview state, so a re-created panel redraws.
import { fmtDateTime, fmtDuration, fmtNumber } from '../../src/core/browser';
import type { ScaleResult } from '../../src/core/browser';
import type { HostToScale, ScaleRunInfo, ScaleToHost } from '../../src/shared/protocol/messages';
import { isHostToScale } from '../../src/shared/protocol/guards';
import { chartCard, h, metric } from '../shared/dom';
import type { ChartHandle } from '../shared/charts';
import { createButton } from '../shared/toolkit';
import { getVsCodeApi } from '../shared/vscodeApi';
import { formats, modeRows, offeredMultiple, perInstanceRpm, verdict, modeLabels } from './model';
import { comparisonMetrics, createModeMetricChart, createPerInstanceChart } from './scaleCharts';

export interface ScaleState {
  result: ScaleResult;
  info: ScaleRunInfo;
}

const root: HTMLElement =
  document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));

function setupLine(result: ScaleResult, info: ScaleRunInfo): string {
  const l = result.limits;
  return (
    `${result.instances} instances of ${info.model}, offered ${fmtNumber(offeredMultiple(result), 2)}x the RPM ` +
    `limit (${fmtNumber(result.offeredRps, 1)} req/s) for ${fmtDuration(result.durationMs / 1000)} per mode. ` +
    `Org limits (${info.tierDisplayName}, from ${info.source}): ${fmtNumber(l.rpm, 0)} RPM, ` +
    `${fmtNumber(l.itpm, 0)} ITPM, ${fmtNumber(l.otpm, 0)} OTPM, burst ${fmtNumber(result.burstSeconds, 1)} s. ` +
    `Started ${fmtDateTime(info.startedAt)}.`
  );
}

function comparisonTable(result: ScaleResult): HTMLElement {
  const head = [
    'Mode',
    'Sent',
    'OK',
    '429s',
    '429 share',
    'RPM / limit',
    'Utilisation',
    'Fairness',
    'p50',
    'p99',
    'Wait p99',
    'Retries',
  ];
  const rows = modeRows(result).map((r) =>
    h(
      'tr',
      { 'data-mode': r.mode },
      h('th', { scope: 'row' }, r.label),
      metric('td', `${r.mode}.sent`, r.sent, (n) => fmtNumber(n, 0)),
      metric('td', `${r.mode}.ok`, r.ok, (n) => fmtNumber(n, 0)),
      metric('td', `${r.mode}.rateLimited`, r.rateLimited, (n) => fmtNumber(n, 0)),
      metric('td', `${r.mode}.rateLimitedShare`, r.rateLimitedShare, (n) => formats.share(n ?? 0)),
      h('td', { class: 'num' }, `${formats.rpm(r.achievedRpm)} / ${formats.rpm(r.limitRpm)}`),
      metric('td', `${r.mode}.utilization`, r.utilization, (n) => formats.utilization(n ?? 0)),
      metric('td', `${r.mode}.fairness`, r.fairness, (n) => formats.fairness(n ?? 0)),
      metric('td', `${r.mode}.p50`, r.p50Ms, (n) => formats.ms(n ?? 0)),
      metric('td', `${r.mode}.p99`, r.p99Ms, (n) => formats.ms(n ?? 0)),
      metric('td', `${r.mode}.waitP99`, r.waitP99Ms, (n) => formats.ms(n ?? 0)),
      metric('td', `${r.mode}.retries`, r.retries, (n) => fmtNumber(n, 0)),
    ),
  );
  return h(
    'div',
    { class: 'scroll-x', tabindex: 0, role: 'region', 'aria-label': 'Mode comparison table' },
    h(
      'table',
      { class: 'grid', 'data-table': 'modes' },
      h(
        'caption',
        { class: 'pl-caption' },
        'Modes compared on identical offered load (latency from the intended send time, limiter and queue wait included)',
      ),
      h(
        'thead',
        null,
        h('tr', null, ...head.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null }, c))),
      ),
      h('tbody', null, ...rows),
    ),
  );
}

function perInstanceTable(result: ScaleResult): HTMLElement {
  const head = ['Instance', ...result.modes.map((m) => modeLabels[m.mode] ?? m.mode)];
  const per = result.modes.map(perInstanceRpm);
  const rows = Array.from({ length: result.instances }, (_, i) =>
    h(
      'tr',
      null,
      h('th', { scope: 'row' }, `#${i + 1}`),
      ...result.modes.map((m, k) =>
        metric('td', `${m.mode}.instance.${i}`, per[k]?.[i] ?? 0, (n) => formats.rpm(n ?? 0)),
      ),
    ),
  );
  return h(
    'details',
    { class: 'sc-details' },
    h('summary', null, 'Per-instance throughput as a table'),
    h(
      'div',
      { class: 'scroll-x' },
      h(
        'table',
        { class: 'grid', 'data-table': 'instances' },
        h('caption', { class: 'pl-caption' }, 'Achieved requests per minute of each instance'),
        h(
          'thead',
          null,
          h('tr', null, ...head.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null }, c))),
        ),
        h('tbody', null, ...rows),
      ),
    ),
  );
}

/** A canvas's accessible name carries its numbers, so the chart is not an unlabeled picture. */
function describe(title: string, result: ScaleResult, value: (i: number) => string): string {
  return `${title}: ${result.modes.map((m, i) => `${m.mode} ${value(i)}`).join(', ')}`;
}

function start(): void {
  const api = getVsCodeApi<ScaleToHost, ScaleState>();
  if (!api) {
    root.append(
      h('div', { class: 'error-box', role: 'alert' }, 'The scaling rehearsal panel runs inside VS Code.'),
    );
    return;
  }
  let charts: ChartHandle<ScaleResult>[] = [];
  const notice = h('p', {
    class: 'sc-notice',
    role: 'status',
    'aria-live': 'polite',
    'data-field': 'notice',
  });
  const copy = createButton({
    label: 'Copy limiter setup',
    appearance: 'primary',
    title: "Copy a TypeScript setup of claude-load-scale/limiter with the tier's limits for your app",
    onClick: () => api.postMessage({ type: 'scale/copySetup' }),
    testId: 'scale-copy-setup',
  });
  const body = h(
    'div',
    { class: 'sc-body' },
    h('p', { class: 'muted' }, 'Waiting for the rehearsal results…'),
  );
  root.replaceChildren(
    h(
      'main',
      { class: 'sc-app' },
      h('h1', null, 'Horizontal scaling rehearsal'),
      h('nav', { class: 'toolbar', 'aria-label': 'Rehearsal actions' }, copy),
      notice,
      body,
    ),
  );

  const show = (state: ScaleState): void => {
    for (const c of charts) c.destroy();
    charts = [];
    const { info } = state;
    // A mode cut short by Cancel measured part of its time: beside whole modes it would mislead.
    const result = { ...state.result, modes: state.result.modes.filter((m) => !m.interrupted) };
    const cards = comparisonMetrics.map((spec) => {
      const { card, canvas } = chartCard(spec.id, spec.title[0]!.toUpperCase() + spec.title.slice(1));
      canvas.setAttribute(
        'aria-label',
        describe(spec.title, result, (i) => spec.format(spec.value(modeRows(result)[i]!))),
      );
      card.querySelector('.chart-box')?.classList.add('small');
      charts.push(createModeMetricChart(canvas, spec));
      return card;
    });
    const per = chartCard(
      'perInstance',
      'Per-instance throughput (achieved RPM)',
      'Uneven bars under one mode mean some instances were starved.',
    );
    per.canvas.setAttribute(
      'aria-label',
      'Per-instance throughput by mode; the same numbers are in the table below.',
    );
    charts.push(createPerInstanceChart(per.canvas));
    body.replaceChildren(
      h('p', { class: 'muted', 'data-field': 'setup' }, setupLine(result, info)),
      h('p', { class: 'sc-verdict', 'data-field': 'verdict' }, verdict(result)),
      h('div', { class: 'chart-grid sc-grid' }, ...cards),
      comparisonTable(result),
      h('div', { class: 'sc-per-instance' }, per.card),
      perInstanceTable(result),
    );
    for (const c of charts) c.update(result);
    root.dataset.state = result.interrupted ? 'cancelled' : 'done';
    root.dataset.modes = String(result.modes.length);
  };

  const handle = (msg: HostToScale): void => {
    switch (msg.type) {
      case 'theme/changed':
        for (const c of charts) c.retheme();
        return;
      case 'scale/show': {
        const state = { result: msg.result, info: msg.info };
        api.setState(state);
        show(state);
        return;
      }
      case 'scale/notice':
        notice.textContent = msg.message;
        notice.dataset.level = msg.level;
        return;
    }
  };

  const saved = api.getState();
  if (saved?.result) show(saved);
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (isHostToScale(e.data)) handle(e.data);
  });
  // VS Code switches themes by changing the body class; the charts re-read the colours.
  new MutationObserver(() => charts.forEach((c) => c.retheme())).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
  api.postMessage({ type: 'scale/ready' });
}

start();

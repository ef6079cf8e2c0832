// The live panel's five charts, stacked for the narrow side bar. Built once per page on the first run
// shown, then updated in place with update('none') (no animation). Line charts use the shared builders,
// which enable the min-max decimation plugin: 600 windows in a 300-px-wide side bar draw as ~300 points.
import { maxLiveWindows } from '../../src/core/browser';
import type { TimeWindow } from '../../src/core/browser';
import {
  createHeadroomChart,
  createLatencyChart,
  createOutcomesChart,
  createThroughputChart,
  createTtftChart,
} from '../shared/charts';
import type { ChartHandle } from '../shared/charts';
import { h } from '../shared/dom';

type ChartId = 'latency' | 'ttft' | 'throughput' | 'outcomes' | 'headroom';

const cards: { id: ChartId; title: string; create: (c: HTMLCanvasElement) => ChartHandle<TimeWindow[]> }[] = [
  { id: 'latency', title: 'Latency p50 / p95 / p99 and in flight', create: createLatencyChart },
  { id: 'ttft', title: 'Time to first token', create: createTtftChart },
  { id: 'throughput', title: 'Throughput', create: createThroughputChart },
  { id: 'outcomes', title: 'Outcomes per second', create: createOutcomesChart },
  { id: 'headroom', title: 'Rate-limit headroom left', create: createHeadroomChart },
];

export interface LiveCharts {
  readonly el: HTMLElement;
  update(windows: TimeWindow[]): void;
  retheme(): void;
}

function hasHeadroom(windows: TimeWindow[]): boolean {
  return windows.some(
    (w) =>
      w.headroom.requests !== null || w.headroom.inputTokens !== null || w.headroom.outputTokens !== null,
  );
}

/** The chart section; canvases get their Chart.js instances on the first update (when visible). */
export function createLiveCharts(): LiveCharts {
  const canvases = new Map<ChartId, HTMLCanvasElement>();
  const headroomNote = h(
    'p',
    { class: 'muted small', 'data-field': 'headroomNote' },
    'No anthropic-ratelimit-* headers seen yet.',
  );
  const figures = cards.map((c) => {
    // role=img + aria-label: a screen reader announces what the canvas shows.
    const canvas = h('canvas', { 'data-chart': c.id, role: 'img', 'aria-label': `${c.title} chart` });
    canvases.set(c.id, canvas);
    return h(
      'figure',
      { class: 'chart-card live-chart' },
      h('figcaption', null, c.title),
      // Chart.js sizes a responsive canvas to its parent: the parent has a fixed height (CSS).
      h('div', { class: 'chart-box live-chart-box' }, canvas),
      c.id === 'headroom' ? headroomNote : null,
    );
  });
  const rollingNote = h(
    'p',
    { class: 'muted small live-rolling-note', 'data-field': 'rollingNote' },
    `The charts show the last ${maxLiveWindows / 60} minutes; the report has the whole run.`,
  );
  const el = h('section', { class: 'live-charts', 'aria-label': 'Live charts' }, rollingNote, figures);
  let handles: ChartHandle<TimeWindow[]>[] | undefined;

  return {
    el,
    update(windows) {
      handles ??= cards.map((c) => c.create(canvases.get(c.id)!));
      // The shared charts start the x axis at 0; a rolling window starts at its oldest window instead.
      const first = windows[0]?.t ?? 0;
      for (const handle of handles) {
        const x = handle.chart.options.scales?.x as { min?: number } | undefined;
        if (x) x.min = first;
        handle.update(windows, 'none');
      }
      rollingNote.hidden = first <= 0;
      headroomNote.hidden = windows.length === 0 || hasHeadroom(windows);
    },
    retheme() {
      for (const handle of handles ?? []) handle.retheme();
    },
  };
}

// Chart.js charts shared by the report and the live panel. Only the parts used are registered, so the
// bundle stays small. Each builder returns a handle whose update() replaces the data and redraws
// without animation (live panels call it once a second).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ChartConfiguration, ChartDataset, Point, ScaleOptionsByType, UpdateMode } from 'chart.js';
import { fmtCount, fmtMs, fmtNumber, fmtPct } from '../../src/core/browser';
import type { Outcome, TimeWindow } from '../../src/core/browser';
import { outcomePalette, readTheme, withAlpha } from './theme';
import type { ColorKey, Theme } from './theme';

Chart.register(
  LineController,
  BarController,
  LineElement,
  PointElement,
  BarElement,
  LinearScale,
  CategoryScale,
  Filler,
  Legend,
  Tooltip,
  Decimation,
);

export { outcomePalette, readTheme, solidColor, withAlpha } from './theme';
export type { ColorKey, Theme } from './theme';

export interface ChartHandle<T> {
  readonly chart: Chart;
  /** Replaces the data (all windows so far, or the distribution) and redraws. */
  update(data: T, mode?: UpdateMode): void;
  /** Re-reads the theme colours (call on theme change). */
  retheme(): void;
  destroy(): void;
}

interface Series {
  label: string;
  color: ColorKey;
  value: (w: TimeWindow) => number | null;
  axis?: 'y' | 'y1';
  /** Line dash pattern, so series differ by more than colour (p95 dashed, p99 dotted). */
  dash?: readonly number[];
}

/** Dash patterns shared by every chart, so p95 and p99 look the same everywhere. */
export const dashes = { p95: [6, 3], p99: [2, 2], secondary: [10, 3, 2, 3] } as const;

export interface AxisSpec {
  title: string;
  format: (v: number) => string;
  /** Counts (requests, seconds): ticks only at whole numbers, never 0.5. */
  integer?: boolean;
  min?: number;
  max?: number;
}

function axis(
  spec: AxisSpec,
  theme: Theme,
  extra: Record<string, unknown> = {},
): ScaleOptionsByType<'linear'> {
  return {
    type: 'linear',
    beginAtZero: true,
    min: spec.min,
    max: spec.max,
    title: { display: true, text: spec.title, color: theme.foreground },
    ticks: {
      color: theme.foreground,
      callback: (v: number | string) => spec.format(Number(v)),
      ...(spec.integer ? { precision: 0 } : {}),
    },
    grid: { color: theme.grid },
    border: { color: theme.grid },
    ...extra,
  } as unknown as ScaleOptionsByType<'linear'>;
}

function xAxis(theme: Theme, extra: Record<string, unknown> = {}): ScaleOptionsByType<'linear'> {
  return axis({ title: 'seconds since start', format: (v) => fmtNumber(v, 0), integer: true }, theme, extra);
}

/** Below this width a chart drops its axis titles and its right-hand axis (a 250 px side panel). */
export const narrowChartPx = 360;
const narrowState = new WeakMap<Chart, boolean>();

/**
 * Fits the options to the chart's width: narrow charts hide the y axis titles (they covered the tick
 * labels: "1,500 ms" read ".500 ms") and drop the secondary axis with its series, which the tooltip
 * still lists. Returns true when something changed.
 */
function fitWidth(chart: Chart): boolean {
  const narrow = chart.width > 0 && chart.width < narrowChartPx;
  const scales = (chart.options.scales ?? {}) as Record<
    string,
    { display?: boolean; title?: { display?: boolean } }
  >;
  const changed = narrowState.get(chart) !== narrow;
  narrowState.set(chart, narrow);
  for (const [id, scale] of Object.entries(scales)) {
    if (id === 'x') continue;
    if (scale.title) scale.title.display = !narrow;
    if (id === 'y1') scale.display = !narrow;
  }
  for (const ds of chart.data.datasets as { yAxisID?: string; hidden?: boolean }[])
    if (ds.yAxisID === 'y1') ds.hidden = narrow;
  return changed;
}

/** chart.update after fitting the options to the width (every update path goes through here). */
function refresh(chart: Chart, mode: UpdateMode = 'none'): void {
  fitWidth(chart);
  chart.update(mode);
}

function commonOptions(theme: Theme) {
  return {
    animation: false as const,
    // A side panel dragged narrower: re-fit on the next frame (not inside Chart.js's own resize).
    onResize: (chart: Chart) => {
      if (narrowState.get(chart) !== (chart.width > 0 && chart.width < narrowChartPx))
        requestAnimationFrame(() => refresh(chart));
    },
    responsive: true,
    maintainAspectRatio: false,
    normalized: true,
    interaction: { mode: 'index' as const, axis: 'x' as const, intersect: false },
    plugins: {
      legend: { labels: { color: theme.foreground, boxWidth: 12, boxHeight: 12 } },
      tooltip: { enabled: true },
    },
  };
}

/** {x: seconds, y} points; null/undefined become NaN, which Chart.js draws as a gap. */
function points(windows: TimeWindow[], value: (w: TimeWindow) => number | null): Point[] {
  return windows.map((w) => ({ x: w.t, y: value(w) ?? Number.NaN }));
}

/** One line of an x/y chart: its points are read from the chart's data on every update. */
export interface XYSeries<T> {
  label: string;
  color: ColorKey;
  points: (data: T) => Point[];
  axis?: 'y' | 'y1';
  dash?: readonly number[];
  /** Draw a dot at each point (few, discrete points such as sweep steps). */
  markers?: boolean;
  /** Leave out of the legend (reference lines explained in the caption). */
  hideInLegend?: boolean;
}

export interface XYAxes {
  x: AxisSpec;
  y: AxisSpec;
  y1?: AxisSpec;
  /** Tooltip title for an x value. */
  xTitle: (x: number) => string;
}

/** A line chart over any linear x axis (time, offered rate); `update(data)` re-reads every series. */
export function createXYChart<T>(
  canvas: HTMLCanvasElement,
  series: readonly XYSeries<T>[],
  axes: XYAxes,
): ChartHandle<T> {
  const { y, y1 } = axes;
  let theme = readTheme();
  const dataset = (s: XYSeries<T>): ChartDataset<'line', Point[]> => ({
    label: s.label,
    data: [],
    yAxisID: s.axis ?? 'y',
    borderColor: theme.colors[s.color],
    backgroundColor: withAlpha(theme.colors[s.color], 0.2),
    borderWidth: theme.highContrast ? 2.5 : 1.5,
    borderDash: s.dash ? [...s.dash] : [],
    pointRadius: s.markers ? 3 : 0,
    pointHoverRadius: 3,
    tension: 0,
    spanGaps: false,
  });
  const format = (axisId: string) => (axisId === 'y1' && y1 ? y1.format : y.format);
  const build = (): ChartConfiguration<'line', Point[]>['options'] => ({
    ...commonOptions(theme),
    // Decimation needs pre-parsed {x, y} data and a linear x axis; it only acts on long runs.
    parsing: false,
    plugins: {
      ...commonOptions(theme).plugins,
      legend: {
        labels: {
          color: theme.foreground,
          boxWidth: 12,
          boxHeight: 12,
          filter: (item) => !series[item.datasetIndex ?? -1]?.hideInLegend,
        },
      },
      decimation: { enabled: true, algorithm: 'min-max' },
      tooltip: {
        callbacks: {
          title: (items) => axes.xTitle(items[0]?.parsed.x ?? 0),
          label: (c) =>
            `${c.dataset.label}: ${Number.isFinite(c.parsed.y) ? format(c.dataset.yAxisID ?? 'y')(c.parsed.y ?? 0) : '–'}`,
        },
      },
    },
    scales: {
      x: axis(axes.x, theme, { min: axes.x.min ?? 0 }),
      y: axis(y, theme),
      ...(y1 ? { y1: axis(y1, theme, { position: 'right', grid: { drawOnChartArea: false } }) } : {}),
    },
  });
  const chart = new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets: series.map(dataset) },
    options: build(),
  });
  return {
    chart: chart as unknown as Chart,
    update(data, mode = 'none') {
      series.forEach((s, i) => {
        const ds = chart.data.datasets[i];
        if (ds) ds.data = s.points(data);
      });
      refresh(chart as unknown as Chart, mode);
    },
    retheme() {
      theme = readTheme();
      series.forEach((s, i) =>
        Object.assign(chart.data.datasets[i] ?? {}, dataset(s), { data: chart.data.datasets[i]?.data }),
      );
      chart.options = build() ?? {};
      refresh(chart as unknown as Chart);
    },
    destroy: () => chart.destroy(),
  };
}

const timeAxis: AxisSpec = { title: 'seconds since start', format: (v) => fmtNumber(v, 0), integer: true };

function lineChart(
  canvas: HTMLCanvasElement,
  series: Series[],
  y: AxisSpec,
  y1?: AxisSpec,
): ChartHandle<TimeWindow[]> {
  return createXYChart<TimeWindow[]>(
    canvas,
    series.map((s) => ({ ...s, points: (windows: TimeWindow[]) => points(windows, s.value) })),
    { x: timeAxis, y, ...(y1 ? { y1 } : {}), xTitle: (x) => `${fmtNumber(x, 0)} s` },
  );
}

/** Per-window latency p50/p95/p99 (successful requests) with in-flight requests on the right axis. */
export function createLatencyChart(canvas: HTMLCanvasElement): ChartHandle<TimeWindow[]> {
  return lineChart(
    canvas,
    [
      { label: 'p50', color: 'blue', value: (w) => (w.completed ? w.latencyMs.p50 || null : null) },
      {
        label: 'p95',
        color: 'orange',
        value: (w) => (w.completed ? w.latencyMs.p95 || null : null),
        dash: dashes.p95,
      },
      {
        label: 'p99',
        color: 'red',
        value: (w) => (w.completed ? w.latencyMs.p99 || null : null),
        dash: dashes.p99,
      },
      { label: 'in flight', color: 'muted', value: (w) => w.inFlight, axis: 'y1', dash: dashes.secondary },
    ],
    { title: 'latency', format: fmtMs },
    { title: 'in flight', format: (v) => fmtNumber(v, 0), integer: true },
  );
}

export function createTtftChart(canvas: HTMLCanvasElement): ChartHandle<TimeWindow[]> {
  return lineChart(
    canvas,
    [
      { label: 'TTFT p50', color: 'blue', value: (w) => w.ttftMs.p50 || null },
      { label: 'TTFT p95', color: 'orange', value: (w) => w.ttftMs.p95 || null, dash: dashes.p95 },
      { label: 'TTFT p99', color: 'red', value: (w) => w.ttftMs.p99 || null, dash: dashes.p99 },
    ],
    { title: 'time to first token', format: fmtMs },
  );
}

/** Requests sent and completed per second, output tokens per second on the right axis. */
export function createThroughputChart(canvas: HTMLCanvasElement): ChartHandle<TimeWindow[]> {
  return lineChart(
    canvas,
    [
      { label: 'sent/s', color: 'purple', value: (w) => w.sent },
      { label: 'completed/s', color: 'green', value: (w) => w.completed },
      {
        label: 'output tokens/s',
        color: 'blue',
        value: (w) => w.outputTokensPerMin / 60,
        axis: 'y1',
        dash: dashes.secondary,
      },
    ],
    { title: 'requests/s', format: (v) => fmtNumber(v, 1) },
    { title: 'output tokens/s', format: (v) => fmtNumber(v, 0) },
  );
}

/** Lowest remaining share of each rate limit per window, from the anthropic-ratelimit-* headers. */
export function createHeadroomChart(canvas: HTMLCanvasElement): ChartHandle<TimeWindow[]> {
  const pctOf = (v: number | null) => (v === null ? null : v * 100);
  return lineChart(
    canvas,
    [
      { label: 'requests (RPM)', color: 'purple', value: (w) => pctOf(w.headroom.requests) },
      { label: 'input tokens (ITPM)', color: 'blue', value: (w) => pctOf(w.headroom.inputTokens) },
      { label: 'output tokens (OTPM)', color: 'orange', value: (w) => pctOf(w.headroom.outputTokens) },
    ],
    { title: 'headroom left', format: (v) => fmtPct(v / 100, { digits: 0 }), min: 0, max: 100 },
  );
}

const outcomeKeys: Outcome[] = [
  'ok',
  'rate_limited',
  'overloaded',
  'server_error',
  'client_error',
  'timeout',
  'network',
  'stream_error',
  'aborted',
];

/** Most bars drawn; longer runs are summed into coarser bins (shown as a per-second average). */
const maxBars = 300;

/** Finished requests per second by outcome, stacked. Outcomes that never occur are hidden. */
export function createOutcomesChart(canvas: HTMLCanvasElement): ChartHandle<TimeWindow[]> {
  let theme = readTheme();
  const keys = outcomeKeys;
  const dataset = (o: Outcome): ChartDataset<'bar', Point[]> => ({
    label: o.replace('_', ' '),
    data: [],
    // Read at build time, so a theme change re-colours the bars as well as the legend.
    backgroundColor: outcomePalette(theme)[o],
    borderWidth: 0,
    barPercentage: 1,
    categoryPercentage: 0.9,
  });
  // Outcomes that never occurred stay out of the legend (and the tooltip).
  const empty = new Set<number>();
  const build = (): ChartConfiguration<'bar', Point[]>['options'] => ({
    ...commonOptions(theme),
    parsing: false,
    plugins: {
      ...commonOptions(theme).plugins,
      legend: {
        labels: {
          ...commonOptions(theme).plugins.legend.labels,
          filter: (item) => !empty.has(item.datasetIndex ?? -1),
        },
      },
      tooltip: {
        filter: (item) => !empty.has(item.datasetIndex),
        callbacks: { title: (items) => `${fmtNumber(items[0]?.parsed.x ?? 0, 0)} s` },
      },
    },
    scales: {
      x: xAxis(theme, { stacked: true, offset: true }),
      y: axis({ title: 'finished/s', format: (v) => fmtNumber(v, 1) }, theme, { stacked: true }),
    },
  });
  const chart = new Chart<'bar', Point[]>(canvas, {
    type: 'bar',
    data: { datasets: keys.map(dataset) },
    options: build(),
  });
  return {
    chart: chart as unknown as Chart,
    update(windows, mode = 'none') {
      const bin = Math.max(1, Math.ceil(windows.length / maxBars));
      keys.forEach((o, i) => {
        const ds = chart.data.datasets[i];
        if (!ds) return;
        const pts: Point[] = [];
        let any = false;
        for (let j = 0; j < windows.length; j += bin) {
          const group = windows.slice(j, j + bin);
          const sum = group.reduce((s, w) => s + (w.outcomes[o] ?? 0), 0);
          if (sum > 0) any = true;
          pts.push({ x: group[0]!.t, y: sum / group.length });
        }
        ds.data = pts;
        // Keep 'ok' in the legend so an all-error run still shows what is missing.
        if (any || o === 'ok') empty.delete(i);
        else empty.add(i);
      });
      refresh(chart as unknown as Chart, mode);
    },
    retheme() {
      theme = readTheme();
      keys.forEach((o, i) => {
        const ds = chart.data.datasets[i];
        if (ds) ds.backgroundColor = dataset(o).backgroundColor;
      });
      chart.options = build() ?? {};
      refresh(chart as unknown as Chart);
    },
    destroy: () => chart.destroy(),
  };
}

export type Distribution = { le: number; count: number }[];

/** Latency distribution: request counts in log-spaced latency bins (from the HDR histogram). */
export function createHistogramChart(
  canvas: HTMLCanvasElement,
  distribution: Distribution,
): ChartHandle<Distribution> {
  let theme = readTheme();
  const build = (): ChartConfiguration<'bar', number[], string>['options'] => ({
    ...commonOptions(theme),
    plugins: {
      ...commonOptions(theme).plugins,
      legend: { display: false },
      tooltip: { callbacks: { label: (c) => `${fmtCount(c.parsed.y ?? 0)} requests` } },
    },
    scales: {
      x: {
        type: 'category',
        title: { display: true, text: 'latency (upper bound of bin)', color: theme.foreground },
        ticks: { color: theme.foreground, maxRotation: 0, autoSkip: true },
        grid: { display: false },
      },
      y: axis({ title: 'requests', format: (v) => fmtNumber(v, 0), integer: true }, theme) as never,
    },
  });
  const chart = new Chart<'bar', number[], string>(canvas, {
    type: 'bar',
    data: {
      labels: [],
      datasets: [
        {
          label: 'requests',
          data: [],
          backgroundColor: theme.colors.blue,
          barPercentage: 1,
          categoryPercentage: 0.95,
        },
      ],
    },
    options: build(),
  });
  const handle: ChartHandle<Distribution> = {
    chart: chart as unknown as Chart,
    update(dist, mode = 'none') {
      chart.data.labels = dist.map((b) => `≤ ${fmtMs(b.le)}`);
      const ds = chart.data.datasets[0];
      if (ds) ds.data = dist.map((b) => b.count);
      refresh(chart as unknown as Chart, mode);
    },
    retheme() {
      theme = readTheme();
      const ds = chart.data.datasets[0];
      if (ds) ds.backgroundColor = theme.colors.blue;
      chart.options = build() ?? {};
      refresh(chart as unknown as Chart);
    },
    destroy: () => chart.destroy(),
  };
  handle.update(distribution);
  return handle;
}

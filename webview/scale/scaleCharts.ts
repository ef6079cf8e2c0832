// The rehearsal panel's charts: one horizontal bar per mode for 429 share, utilisation (with the 100 %
// line), fairness and p99, and per-instance throughput grouped by mode. Modes keep one colour from the
// colour-blind-safe palette (Okabe-Ito, as the outcome bars) in every chart; bars are short mode ids
// so a narrow panel keeps them legible, full names are in the tooltip and the table.
import { Chart } from 'chart.js';
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { ScaleMode, ScaleResult } from '../../src/core/browser';
import { outcomePalette, readTheme } from '../shared/charts';
import type { ChartHandle, Theme } from '../shared/charts';
import { formats, modeLabels, modeRows, perInstanceRpm } from './model';
import type { ModeRow } from './model';

/** One colour per mode, from the outcome palette: red-ish for uncoordinated, green for the shared limiter. */
export function modeColors(theme: Theme): Record<ScaleMode, string> {
  const p = outcomePalette(theme);
  return { none: p.server_error, 'fixed-window': p.rate_limited, shared: p.ok, queue: p.timeout };
}

/** Draws a dashed vertical line at x = `at` (the limit) across the plot area. */
function limitLine(at: number, label: string, color: () => string): Plugin<'bar'> {
  return {
    id: 'clsScaleLimitLine',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x?.getPixelForValue(at);
      const area = chart.chartArea;
      if (x === undefined || !Number.isFinite(x) || x < area.left || x > area.right) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = color();
      ctx.fillStyle = color();
      ctx.lineWidth = 1.5;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.textAlign = 'right';
      ctx.textBaseline = 'top';
      ctx.fillText(label, x - 3, area.top + 2);
      ctx.restore();
    },
  };
}

export interface MetricSpec {
  id: string;
  /** Axis title. */
  title: string;
  value: (r: ModeRow) => number;
  /** Text for ticks and tooltips. */
  format: (v: number) => string;
  /** Chart value = value x scale (percentages draw 0..100). */
  scale?: number;
  max?: number;
  /** A dashed line at this chart value (utilisation: 100 %). */
  line?: { at: number; label: string };
  /** The axis reaches at least this far (keeps the limit line in view and all-zero charts readable). */
  suggestedMax?: number;
}

function bars(
  theme: Theme,
  modes: ScaleMode[],
): { backgroundColor: string[]; borderColor: string[]; borderWidth: number } {
  const colors = modeColors(theme);
  return {
    backgroundColor: modes.map((m) => colors[m]),
    // High Contrast: an outline in the foreground colour, as the theme draws every edge.
    borderColor: modes.map(() => theme.foreground),
    borderWidth: theme.highContrast ? 2 : 0,
  };
}

/** One horizontal bar per mode for one metric. */
export function createModeMetricChart(canvas: HTMLCanvasElement, spec: MetricSpec): ChartHandle<ScaleResult> {
  let theme = readTheme();
  let rows: ModeRow[] = [];
  const scale = spec.scale ?? 1;
  const build = (): ChartConfiguration<'bar', number[], string>['options'] => ({
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    indexAxis: 'y',
    plugins: {
      legend: { display: false },
      tooltip: {
        callbacks: {
          title: (items) => rows[items[0]?.dataIndex ?? 0]?.label ?? '',
          label: (c) =>
            `${spec.title}: ${spec.format(rows[c.dataIndex] ? spec.value(rows[c.dataIndex]!) : 0)}`,
        },
      },
    },
    scales: {
      x: {
        type: 'linear',
        beginAtZero: true,
        max: spec.max,
        suggestedMax: spec.suggestedMax,
        // No axis title: the figure's caption names the metric (and a narrow panel keeps the room).
        ticks: { color: theme.foreground, maxTicksLimit: 5, callback: (v) => spec.format(Number(v) / scale) },
        grid: { color: theme.grid },
        border: { color: theme.grid },
      },
      y: {
        type: 'category',
        ticks: { color: theme.foreground },
        grid: { display: false },
        border: { color: theme.grid },
      },
    },
  });
  const chart = new Chart<'bar', number[], string>(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [{ label: spec.title, data: [], ...bars(theme, []) }] },
    options: build(),
    plugins: spec.line ? [limitLine(spec.line.at, spec.line.label, () => theme.foreground)] : [],
  });
  const paint = () => {
    const ds = chart.data.datasets[0];
    if (ds)
      Object.assign(
        ds,
        bars(
          theme,
          rows.map((r) => r.mode),
        ),
      );
  };
  return {
    chart: chart as unknown as Chart,
    update(result, mode = 'none') {
      rows = modeRows(result);
      chart.data.labels = rows.map((r) => r.mode);
      const ds = chart.data.datasets[0];
      if (ds) ds.data = rows.map((r) => spec.value(r) * scale);
      paint();
      chart.update(mode);
    },
    retheme() {
      theme = readTheme();
      paint();
      chart.options = build() ?? {};
      chart.update('none');
    },
    destroy: () => chart.destroy(),
  };
}

/** Achieved RPM of each instance, grouped by instance, one bar colour per mode. */
export function createPerInstanceChart(canvas: HTMLCanvasElement): ChartHandle<ScaleResult> {
  let theme = readTheme();
  let result: ScaleResult | undefined;
  const build = (): ChartConfiguration<'bar', number[], string>['options'] => ({
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      legend: { labels: { color: theme.foreground, boxWidth: 12, boxHeight: 12 } },
      tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formats.rpm(c.parsed.y ?? 0)} RPM` } },
    },
    scales: {
      x: {
        type: 'category',
        ticks: { color: theme.foreground },
        grid: { display: false },
        border: { color: theme.grid },
      },
      y: {
        type: 'linear',
        beginAtZero: true,
        suggestedMax: 10,
        title: { display: true, text: 'achieved RPM', color: theme.foreground },
        ticks: { color: theme.foreground, precision: 0, callback: (v) => formats.rpm(Number(v)) },
        grid: { color: theme.grid },
        border: { color: theme.grid },
      },
    },
  });
  const chart = new Chart<'bar', number[], string>(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: build(),
  });
  const fill = () => {
    if (!result) return;
    const colors = modeColors(theme);
    chart.data.labels = Array.from({ length: result.instances }, (_, i) => `#${i + 1}`);
    chart.data.datasets = result.modes.map((m) => ({
      label: modeLabels[m.mode] ?? m.mode,
      data: perInstanceRpm(m),
      backgroundColor: colors[m.mode],
      borderColor: theme.foreground,
      borderWidth: theme.highContrast ? 2 : 0,
    }));
  };
  return {
    chart: chart as unknown as Chart,
    update(next, mode = 'none') {
      result = next;
      fill();
      chart.update(mode);
    },
    retheme() {
      theme = readTheme();
      fill();
      chart.options = build() ?? {};
      chart.update('none');
    },
    destroy: () => chart.destroy(),
  };
}

/** The four comparison metrics, in the order the issue names them. */
export const comparisonMetrics: MetricSpec[] = [
  {
    id: 'rateLimitedShare',
    title: '429 share of attempts',
    value: (r) => r.rateLimitedShare,
    format: (v) => formats.share(v),
    scale: 100,
    suggestedMax: 10,
  },
  {
    id: 'utilization',
    title: 'utilisation of the RPM limit',
    value: (r) => r.utilization,
    format: (v) => formats.utilization(v),
    scale: 100,
    line: { at: 100, label: 'limit' },
    suggestedMax: 110,
  },
  {
    id: 'fairness',
    title: "fairness (Jain's index, 1 = even)",
    value: (r) => r.fairness,
    format: (v) => formats.fairness(v),
    max: 1,
  },
  {
    id: 'p99',
    title: 'latency p99 (incl. wait)',
    value: (r) => r.p99Ms,
    format: (v) => formats.ms(v),
    suggestedMax: 100,
  },
];

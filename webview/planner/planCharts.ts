// The planner's two charts: utilisation of every limit per tier (with the 100 % line) and the monthly cost
// breakdown. Importing ../shared/charts registers the Chart.js parts they use (bar, category, linear).
import { Chart } from 'chart.js';
import type { ChartConfiguration, Plugin } from 'chart.js';
import { fmtPct, fmtUsd } from '../../src/core/browser';
import type { PlanCost, TierEvaluation } from '../../src/core/browser';
import { readTheme, withAlpha } from '../shared/charts';
import type { ChartHandle, ColorKey, Theme } from '../shared/charts';

/** Bars above this are drawn at it (a tier 25x over its spend cap would flatten every other bar). */
export const utilisationCapPct = 200;

const limits = [
  { key: 'rpm', label: 'RPM', color: 'blue' },
  { key: 'itpm', label: 'ITPM', color: 'orange' },
  { key: 'otpm', label: 'OTPM', color: 'purple' },
  { key: 'spend', label: 'spend', color: 'red' },
] as const satisfies readonly { key: string; label: string; color: ColorKey }[];

const costParts = [
  { key: 'inputUsd', label: 'input', color: 'blue' },
  { key: 'outputUsd', label: 'output', color: 'orange' },
  { key: 'cacheWriteUsd', label: 'cache write', color: 'purple' },
  { key: 'cacheReadUsd', label: 'cache read', color: 'green' },
] as const satisfies readonly { key: keyof PlanCost['breakdown']; label: string; color: ColorKey }[];

function scales(theme: Theme, y: { title: string; format: (v: number) => string; suggestedMax?: number }) {
  return {
    x: {
      type: 'category' as const,
      ticks: { color: theme.foreground },
      grid: { display: false },
      border: { color: theme.grid },
    },
    y: {
      type: 'linear' as const,
      beginAtZero: true,
      suggestedMax: y.suggestedMax,
      title: { display: true, text: y.title, color: theme.foreground },
      ticks: { color: theme.foreground, callback: (v: number | string) => y.format(Number(v)) },
      grid: { color: theme.grid },
      border: { color: theme.grid },
    },
  };
}

/** Draws a dashed horizontal line at 100 % across the plot area. */
function limitLine(color: () => string): Plugin<'bar'> {
  return {
    id: 'clsLimitLine',
    afterDatasetsDraw(chart) {
      const y = chart.scales.y?.getPixelForValue(100);
      const area = chart.chartArea;
      if (y === undefined || !Number.isFinite(y) || y < area.top || y > area.bottom) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = color();
      ctx.fillStyle = color();
      ctx.lineWidth = 1.5;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(area.left, y);
      ctx.lineTo(area.right, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      ctx.fillText('100 %', area.left + 4, y - 2);
      ctx.restore();
    },
  };
}

/**
 * Bars cut at the cap look alike (25x and 3x over both end at 200 %): each cut bar gets its real value
 * written above it, upright, and a break mark where it is cut. `labels()` says which bars were cut.
 */
function clippedLabels(raw: () => (number | null)[][], color: () => string): Plugin<'bar'> {
  return {
    id: 'clsClippedLabels',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = color();
      ctx.strokeStyle = color();
      ctx.font = '10px sans-serif';
      ctx.textBaseline = 'middle';
      raw().forEach((values, d) => {
        const meta = chart.getDatasetMeta(d);
        if (meta.hidden) return;
        values.forEach((v, i) => {
          if (v === null || v * 100 <= utilisationCapPct) return;
          const bar = meta.data[i] as unknown as { x: number; y: number; width: number } | undefined;
          if (!bar) return;
          // Break mark: a short zigzag across the bar's top.
          const half = bar.width / 2;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(bar.x - half, bar.y + 5);
          ctx.lineTo(bar.x, bar.y + 1);
          ctx.lineTo(bar.x + half, bar.y + 5);
          ctx.stroke();
          ctx.save();
          ctx.translate(bar.x, bar.y - 4);
          ctx.rotate(-Math.PI / 2);
          ctx.textAlign = 'left';
          ctx.fillText(fmtPct(v), 0, 0);
          ctx.restore();
        });
      });
      ctx.restore();
    },
  };
}

/** "Start spend 2,592 %": the bars cut at the cap, with their values (for the canvas's description). */
export function clippedBars(tiers: TierEvaluation[]): string[] {
  return tiers.flatMap((t) =>
    limits
      .filter((l) => {
        const v = t.utilization[l.key];
        return v !== null && v * 100 > utilisationCapPct;
      })
      .map((l) => `${t.displayName} ${l.label} ${fmtPct(t.utilization[l.key])}`),
  );
}

/** Grouped bars: peak utilisation of RPM, ITPM, OTPM and the spend cap, per tier. */
export function createTierUtilisationChart(canvas: HTMLCanvasElement): ChartHandle<TierEvaluation[]> {
  let theme = readTheme();
  // Unclamped values for the tooltip, per dataset and tier.
  let raw: (number | null)[][] = limits.map(() => []);
  let clipped = false;
  const build = (): ChartConfiguration<'bar', number[], string>['options'] => ({
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      legend: { labels: { color: theme.foreground, boxWidth: 12, boxHeight: 12 } },
      tooltip: {
        callbacks: {
          label: (c) => {
            const v = raw[c.datasetIndex]?.[c.dataIndex];
            return `${c.dataset.label}: ${v === null || v === undefined ? 'no cap' : fmtPct(v)}`;
          },
        },
      },
    },
    scales: {
      ...scales(theme, {
        title: 'utilisation at peak',
        format: (v) => `${v} %`,
        suggestedMax: 110,
      }),
      // Room above the cap for the cut bars' labels; ticks stop at the cap.
      ...(clipped
        ? {
            y: {
              ...scales(theme, { title: 'utilisation at peak', format: (v) => `${v} %` }).y,
              max: utilisationCapPct * 1.45,
              ticks: {
                color: theme.foreground,
                stepSize: 50,
                callback: (v: number | string) => (Number(v) <= utilisationCapPct ? `${v} %` : ''),
              },
            },
          }
        : {}),
    },
  });
  const chart = new Chart<'bar', number[], string>(canvas, {
    type: 'bar',
    data: {
      labels: [],
      datasets: limits.map((l) => ({
        label: l.label,
        data: [],
        backgroundColor: withAlpha(theme.colors[l.color], 0.85),
        borderWidth: 0,
      })),
    },
    options: build(),
    plugins: [
      limitLine(() => theme.colors.red),
      clippedLabels(
        () => raw,
        () => theme.foreground,
      ),
    ],
  });
  const recolor = () =>
    limits.forEach((l, i) => {
      const ds = chart.data.datasets[i];
      if (ds) ds.backgroundColor = withAlpha(theme.colors[l.color], 0.85);
    });
  return {
    chart: chart as unknown as Chart,
    update(tiers, mode = 'none') {
      chart.data.labels = tiers.map((t) => t.displayName);
      raw = limits.map((l) => tiers.map((t) => t.utilization[l.key]));
      const cut = clippedBars(tiers);
      if (cut.length > 0 !== clipped) {
        clipped = cut.length > 0;
        chart.options = build() ?? {};
      }
      // What the labels say, for screen readers and tests (the canvas text is not in the DOM).
      canvas.dataset.clipped = cut.join('; ');
      canvas.setAttribute(
        'aria-label',
        `Peak utilisation per tier${cut.length ? `; above ${utilisationCapPct} %: ${cut.join(', ')}` : ''}`,
      );
      limits.forEach((_, i) => {
        const ds = chart.data.datasets[i];
        // null (no spend cap) becomes NaN: no bar.
        if (ds)
          ds.data = (raw[i] ?? []).map((v) =>
            v === null ? Number.NaN : Math.min(v * 100, utilisationCapPct),
          );
      });
      chart.update(mode);
    },
    retheme() {
      theme = readTheme();
      recolor();
      chart.options = build() ?? {};
      chart.update('none');
    },
    destroy: () => chart.destroy(),
  };
}

/** Monthly cost by component (input, output, cache write, cache read). */
export function createCostBreakdownChart(canvas: HTMLCanvasElement): ChartHandle<PlanCost> {
  let theme = readTheme();
  const build = (): ChartConfiguration<'bar', number[], string>['options'] => ({
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      legend: { display: false },
      tooltip: { callbacks: { label: (c) => `${fmtUsd(c.parsed.y ?? 0)} per month` } },
    },
    scales: scales(theme, { title: 'USD per month (30 days)', format: (v) => fmtUsd(v) }),
  });
  const colors = () => costParts.map((p) => withAlpha(theme.colors[p.color], 0.85));
  const chart = new Chart<'bar', number[], string>(canvas, {
    type: 'bar',
    data: {
      labels: costParts.map((p) => p.label),
      datasets: [{ label: 'USD per month', data: [], backgroundColor: colors(), borderWidth: 0 }],
    },
    options: build(),
  });
  return {
    chart: chart as unknown as Chart,
    update(cost, mode = 'none') {
      const ds = chart.data.datasets[0];
      if (ds) ds.data = costParts.map((p) => cost.breakdownPerMonth[p.key]);
      chart.update(mode);
    },
    retheme() {
      theme = readTheme();
      const ds = chart.data.datasets[0];
      if (ds) ds.backgroundColor = colors();
      chart.options = build() ?? {};
      chart.update('none');
    },
    destroy: () => chart.destroy(),
  };
}

// A comparison as text (terminal), Markdown (a pull-request comment), JSON and an offline HTML page with
// overlaid HDR percentile spectra (log axis) and overlaid time series.
import { MetricHistogram } from '../metrics/histogram';
import { embedJson } from '../report/index';
import { lineChartSvg, staticReportHtml, type ChartSeries } from '../sweep/index';
import { escapeHtml } from '../format/escapeHtml';
import type { Comparable, Comparison, MetricComparison } from './compare';

function num(v: number | null, unit: string): string {
  if (v === null || !Number.isFinite(v)) return '-';
  if (unit === 'USD') return `$${v < 1 ? v.toPrecision(3) : v.toFixed(2)}`;
  if (unit === '') return `${(v * 100).toFixed(2)} %`;
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

function changeCell(m: MetricComparison, i: number): string {
  const d = m.deltas[i] ?? null;
  const pct = m.changePct[i] ?? null;
  if (d === null) return '-';
  const sign = d > 0 ? '+' : '';
  const deltaText = m.unit === '' ? `${sign}${(d * 100).toFixed(2)} pp` : `${sign}${num(d, m.unit)}`;
  const pctText = pct === null ? '' : ` (${pct > 0 ? '+' : ''}${pct.toFixed(1)} %)`;
  const mark = m.regression[i] ? ' regression' : m.significant[i] ? ' significant' : '';
  return `${deltaText}${pctText}${mark}`;
}

function rows(c: Comparison): string[][] {
  const head = [
    'metric',
    ...c.names.map((n, i) => (i === 0 ? `${n} (A)` : `${n} (${String.fromCharCode(65 + i)})`)),
    ...c.names.slice(1).map((_, i) => `change ${String.fromCharCode(66 + i)} vs A`),
  ];
  return [
    head,
    ...c.metrics.map((m) => [
      m.unit && m.unit !== '' ? `${m.metric} (${m.unit})` : m.metric,
      ...m.values.map((v) => num(v, m.unit)),
      ...m.deltas.map((_, i) => changeCell(m, i)),
    ]),
  ];
}

function footer(c: Comparison): string[] {
  const out = [
    'significant: the 99 % bootstrap interval of the change (per-second windows resampled) excludes 0' +
      (c.kind === 'sweep' ? '; for sweeps: the probes pin the max rates to disjoint intervals' : ''),
  ];
  if (c.failOnRegressionPct !== null)
    out.push(
      c.regressions.length
        ? `FAIL: ${c.regressions.map((r) => `${r.metric} ${r.changePct.toFixed(1)} % in ${r.source}`).join('; ')} (limit ${c.failOnRegressionPct} %)`
        : `no significant regression above ${c.failOnRegressionPct} %`,
    );
  return out;
}

export function compareText(c: Comparison): string {
  const r = rows(c);
  const widths = r[0]!.map((_, i) => Math.max(...r.map((x) => (x[i] ?? '').length)));
  const lines = r.map((x) =>
    x.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
  );
  if (c.config.length) {
    lines.push('', 'config differences:');
    for (const d of c.config) lines.push(`  ${d.field}: ${d.values.join(' | ')}`);
  } else lines.push('', 'config: identical');
  return [...lines, '', ...footer(c)].join('\n');
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

export function compareMarkdown(c: Comparison): string {
  const r = rows(c);
  const out = [`### Claude Load & Scale: compare ${c.kind}s`, ''];
  out.push(
    `| ${r[0]!.map(mdCell).join(' | ')} |`,
    `|${r[0]!.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  );
  for (const x of r.slice(1))
    out.push(
      `| ${x.map((cell) => mdCell(cell.replace(' significant', ' **significant**').replace(' regression', ' **regression**'))).join(' | ')} |`,
    );
  out.push('');
  if (c.config.length) {
    out.push(
      '| config | ' + c.names.map(mdCell).join(' | ') + ' |',
      '|---|' + c.names.map(() => '---').join('|') + '|',
    );
    for (const d of c.config) out.push(`| ${mdCell(d.field)} | ${d.values.map(mdCell).join(' | ')} |`);
  } else out.push('Config: identical.');
  out.push('', ...footer(c).map((l) => `_${l}_`));
  return out.join('\n') + '\n';
}

export function compareJson(c: Comparison): Comparison {
  return c;
}

/** Latency at percentiles spaced evenly on a log scale of 1 / (1 - q): 0 %, 90 %, 99 %, 99.9 %, ... */
export function percentileSpectrum(encoded: string, maxNines = 4): { x: number; y: number }[] {
  const h = MetricHistogram.decode(encoded);
  if (h.count === 0) return [];
  const nines = Math.min(maxNines, Math.max(1, Math.log10(h.count)));
  const out: { x: number; y: number }[] = [];
  for (let k = 0; k <= nines * 10; k++) {
    const x = Math.pow(10, k / 10);
    out.push({ x, y: h.percentile(100 * (1 - 1 / x)) });
  }
  return out;
}

export function compareHtml(c: Comparison, inputs: readonly Comparable[], css: string): string {
  const table = rows(c);
  const tableHtml =
    '<table><thead><tr>' +
    table[0]!.map((h) => `<th>${escapeHtml(h)}</th>`).join('') +
    '</tr></thead><tbody>' +
    table
      .slice(1)
      .map((x) => `<tr>${x.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
      .join('') +
    '</tbody></table>';
  const charts: string[] = [];
  const label = (i: number) => `${String.fromCharCode(65 + i)}: ${c.names[i]}`;
  const runs = inputs.flatMap((x, i) => (x.kind === 'run' ? [{ i, run: x.run }] : []));
  if (runs.length) {
    charts.push(
      lineChartSvg({
        title: 'Latency percentile spectrum (CO-corrected), x = 1/(1-percentile)',
        xLabel: 'percentile: 1 = p0, 10 = p90, 100 = p99, 1000 = p99.9',
        yLabel: 'ms',
        logX: true,
        series: runs.map(({ i, run }) => ({
          name: label(i),
          points: percentileSpectrum(run.histograms.latency),
        })),
      }),
      lineChartSvg({
        title: 'TTFT percentile spectrum',
        xLabel: 'percentile: 1 = p0, 10 = p90, 100 = p99, 1000 = p99.9',
        yLabel: 'ms',
        logX: true,
        series: runs.map(({ i, run }) => ({
          name: label(i),
          points: percentileSpectrum(run.histograms.ttft),
        })),
      }),
      lineChartSvg({
        title: 'Completed requests per second over time',
        xLabel: 's since start',
        yLabel: 'req/s',
        series: runs.map(({ i, run }): ChartSeries => ({
          name: label(i),
          points: run.timeseries.map((w) => ({ x: w.t, y: w.completed })),
        })),
      }),
      lineChartSvg({
        title: 'Latency p95 per second over time',
        xLabel: 's since start',
        yLabel: 'ms',
        series: runs.map(({ i, run }): ChartSeries => ({
          name: label(i),
          points: run.timeseries
            .filter((w) => w.outcomes.ok > 0)
            .map((w) => ({ x: w.t, y: w.latencyMs.p95 })),
        })),
      }),
    );
  }
  const sweeps = inputs.flatMap((x, i) => (x.kind === 'sweep' ? [{ i, sweep: x.sweep }] : []));
  if (sweeps.length) {
    const rated = (s: (typeof sweeps)[number]['sweep']) =>
      s.steps.filter((x) => x.offeredRps !== null).sort((a, b) => a.offeredRps! - b.offeredRps!);
    charts.push(
      lineChartSvg({
        title: 'Goodput vs offered rate',
        xLabel: 'offered req/s',
        yLabel: 'req/s',
        series: sweeps.map(({ i, sweep }) => ({
          name: label(i),
          points: rated(sweep).map((s) => ({ x: s.offeredRps!, y: s.goodputRps })),
        })),
      }),
      lineChartSvg({
        title: 'Latency p95 vs offered rate',
        xLabel: 'offered req/s',
        yLabel: 'ms',
        series: sweeps.map(({ i, sweep }) => ({
          name: label(i),
          points: rated(sweep).map((s) => ({ x: s.offeredRps!, y: s.latency.p95 })),
        })),
      }),
    );
  }
  const config = c.config.length
    ? '<table><thead><tr><th>config</th>' +
      c.names.map((n) => `<th>${escapeHtml(n)}</th>`).join('') +
      '</tr></thead><tbody>' +
      c.config
        .map(
          (d) =>
            `<tr><td>${escapeHtml(d.field)}</td>${d.values.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`,
        )
        .join('') +
      '</tbody></table>'
    : '<p>Config: identical.</p>';
  const body = [
    `<h1>Compare ${c.kind}s</h1>`,
    `<p>${c.sources.map((s, i) => `${String.fromCharCode(65 + i)}: ${escapeHtml(s)}`).join('<br>')}</p>`,
    tableHtml,
    ...footer(c).map((l) => `<p>${escapeHtml(l)}</p>`),
    '<h2>Config</h2>',
    config,
    '<h2>Charts</h2>',
    ...charts,
  ].join('\n');
  return staticReportHtml('Claude Load & Scale: compare', css, body, {
    id: 'compare-data',
    json: embedJson(c),
  });
}

// The rehearsal's outputs: scale.json and an offline report.html (no script, no CDN: inline SVG and
// the shared stylesheet, like the sweep report) with the per-mode comparison and the org's usage
// against its limit over time. Both written atomically.
import { join } from 'node:path';
import { escapeHtml } from '../format/escapeHtml';
import { embedJson } from '../report/html';
import { lineChartSvg, staticReportHtml } from '../sweep/svgChart';
import { writeFileAtomic } from '../util/atomicWrite';
import type { ModeResult, ScaleResult } from './types';

export interface BarChartSpec {
  title: string;
  /** Unit shown after each value, e.g. "%" or "ms". */
  unit: string;
  bars: readonly { label: string; value: number }[];
  /** Values are shares (0..1) shown as percent. */
  percent?: boolean;
  /** A reference line, e.g. 100 % of the limit. */
  reference?: { value: number; label: string };
}

// In the order of the line charts' palette, so a mode has the same colour in every chart.
const barColours = ['var(--cls-blue)', 'var(--cls-green)', 'var(--cls-red)', 'var(--cls-yellow)'];

/** One horizontal bar chart as an inline <svg>: one bar per mode, its value written beside it. */
export function barChartSvg(spec: BarChartSpec): string {
  const W = 420;
  const rowH = 24;
  const m = { l: 96, r: 72, t: 28, b: 8 };
  const H = m.t + m.b + rowH * Math.max(1, spec.bars.length);
  const values = spec.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0));
  const max = Math.max(...values, spec.reference?.value ?? 0, 1e-9);
  const scale = (v: number) => ((W - m.l - m.r) * Math.max(0, v)) / max;
  const show = (v: number) =>
    spec.percent
      ? `${(v * 100).toFixed(1)} %`
      : `${v.toFixed(v < 10 ? 2 : 0)}${spec.unit ? ` ${spec.unit}` : ''}`;
  const parts = [
    `<svg class="sweep-chart" role="img" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(spec.title)}</title>`,
    `<text x="4" y="16" font-size="13" font-weight="600" fill="var(--cls-fg)">${escapeHtml(spec.title)}</text>`,
  ];
  spec.bars.forEach((b, i) => {
    const y = m.t + i * rowH;
    const v = values[i]!;
    parts.push(
      `<text x="${m.l - 6}" y="${y + 15}" font-size="11" text-anchor="end" fill="var(--cls-fg)">${escapeHtml(b.label)}</text>`,
      `<rect x="${m.l}" y="${y + 4}" width="${scale(v).toFixed(1)}" height="${rowH - 8}" fill="${barColours[i % barColours.length]}"/>`,
      `<text x="${(m.l + scale(v) + 4).toFixed(1)}" y="${y + 15}" font-size="11" fill="var(--cls-fg)">${escapeHtml(show(v))}</text>`,
    );
  });
  if (spec.reference) {
    const x = m.l + scale(spec.reference.value);
    parts.push(
      `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${m.t}" y2="${H - m.b}" stroke="var(--cls-muted)" stroke-dasharray="4 3"/>`,
      `<text x="${x.toFixed(1)}" y="${m.t - 2}" font-size="10" text-anchor="middle" fill="var(--cls-muted)">${escapeHtml(spec.reference.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

/** One sentence on what the comparison shows. */
export function scaleSentence(r: ScaleResult): string {
  const best = [...r.modes].sort(
    (a, b) => a.rateLimitedRate - b.rateLimitedRate || b.utilization - a.utilization,
  )[0];
  if (!best) return 'No mode finished: nothing was measured.';
  const worst = [...r.modes].sort((a, b) => b.rateLimitedRate - a.rateLimitedRate)[0]!;
  return (
    `${r.instances} instances offering ${((r.offeredRps * 60) / r.timeScale).toFixed(0)} RPM against a limit of ${r.limits.rpm} RPM: ` +
    `${best.mode} drew ${pct(best.rateLimitedRate)} 429s at ${pct(best.utilization)} utilisation` +
    (worst !== best ? `; ${worst.mode} drew ${pct(worst.rateLimitedRate)}.` : '.')
  );
}

/** The comparison as rows of text, header first (the CLI table and the report's table). */
export function scaleTable(r: ScaleResult): string[][] {
  const head = [
    'mode',
    'sent',
    'ok',
    '429',
    '429 share',
    'RPM / limit',
    'util.',
    'fairness',
    'p50',
    'p99',
    'wait p99',
    'retries',
    'RT/req',
  ];
  const rows = r.modes.map((m) => [
    m.mode + (m.interrupted ? ' (interrupted)' : ''),
    String(m.sent),
    String(m.ok),
    String(m.rateLimited),
    pct(m.rateLimitedRate),
    `${m.achievedRpm.toFixed(0)} / ${m.limitRpm}`,
    pct(m.utilization),
    m.fairness.toFixed(3),
    ms(m.latency.p50),
    ms(m.latency.p99),
    ms(m.waitMs.p99),
    String(m.retries),
    m.roundTripsPerRequest.toFixed(2),
  ]);
  return [head, ...rows];
}

/** report.html of a rehearsal: comparison bars per mode, usage vs limit over time, the table. */
export function renderScaleHtml(r: ScaleResult, css: string): string {
  const bars = (f: (m: ModeResult) => number) => r.modes.map((m) => ({ label: m.mode, value: f(m) }));
  // The limit per real second: the simulator refills timeScale times faster.
  const limitPerSecond = (r.limits.rpm * r.timeScale) / 60;
  const charts = [
    barChartSvg({
      title: '429 share of attempts',
      unit: '',
      percent: true,
      bars: bars((m) => m.rateLimitedRate),
    }),
    barChartSvg({
      title: "Utilisation of the org's RPM (of what the bucket allowed)",
      unit: '',
      percent: true,
      bars: bars((m) => m.utilization),
      reference: { value: 1, label: '100 %' },
    }),
    barChartSvg({
      title: "Fairness across instances (Jain's index, 1 = even)",
      unit: '',
      bars: bars((m) => m.fairness),
      reference: { value: 1, label: '1' },
    }),
    barChartSvg({
      title: 'Latency p99 (from the intended send, waits included)',
      unit: 'ms',
      bars: bars((m) => m.latency.p99),
    }),
    lineChartSvg({
      title: 'Org-level usage vs limit over time',
      xLabel: 'seconds since the start (real time)',
      yLabel: 'ok replies / s',
      series: r.modes.map((m) => ({
        name: m.mode,
        points: m.okPerSecond.map((v, i) => ({ x: i + 0.5, y: v })),
      })),
      hLines: [{ y: limitPerSecond, label: `limit ${+limitPerSecond.toPrecision(4)}/s` }],
    }),
  ];
  const [head, ...rows] = scaleTable(r);
  const body = [
    '<h1>Scale-out rehearsal</h1>',
    `<p class="headline"><strong>${escapeHtml(scaleSentence(r))}</strong></p>`,
    `<p>${r.instances} instance processes per mode, ${(r.durationMs / 1000).toFixed(1)} s each; limits ` +
      `${r.limits.rpm} RPM, ${r.limits.itpm} ITPM, ${r.limits.otpm} OTPM with ${r.burstSeconds} s burst` +
      `${r.quotaMs ? `; the shared limiter reserves ${r.quotaMs} ms of quota ahead (quotaMs)` : ''}` +
      `${r.timeScale !== 1 ? `; simulator time scale ${r.timeScale}x (rates in simulated time, latencies in real ms)` : ''}.` +
      `${r.interrupted ? ' <strong>Interrupted: partial results.</strong>' : ''}</p>`,
    ...charts,
    '<h2>Modes</h2>',
    `<table><thead><tr>${head!.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>` +
      rows.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('') +
      '</tbody></table>',
    '<p>Utilisation is ok replies over the requests the org bucket allowed in the same span (a full ' +
      'bucket at the start plus the refill), so it exceeds 100 % only if more was served than the limit allows.</p>',
  ].join('\n');
  return staticReportHtml('Claude Load & Scale: scale-out rehearsal', css, body, {
    id: 'scale-data',
    json: embedJson(r),
  });
}

export interface ScaleOutputPaths {
  scaleJson: string;
  /** Absent when no stylesheet was available. */
  html?: string;
}

/** Writes scale.json and (with a stylesheet) report.html into dir, each atomically; JSON first. */
export async function writeScaleOutputs(
  r: ScaleResult,
  dir: string,
  css: string | undefined,
): Promise<ScaleOutputPaths> {
  const scaleJson = join(dir, 'scale.json');
  await writeFileAtomic(scaleJson, JSON.stringify(r, null, 2) + '\n');
  if (css === undefined) return { scaleJson };
  const html = join(dir, 'report.html');
  await writeFileAtomic(html, renderScaleHtml(r, css));
  return { scaleJson, html };
}

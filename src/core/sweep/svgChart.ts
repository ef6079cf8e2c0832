// Static SVG line charts for the offline sweep and compare reports: no script, no DOM, strings only,
// coloured through the shared stylesheet's --cls-* variables.
import { escapeHtml } from '../format/escapeHtml';

export interface ChartSeries {
  name: string;
  points: readonly { x: number; y: number }[];
  dashed?: boolean;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  logX?: boolean;
  /** Horizontal reference lines (e.g. an SLO bound). */
  hLines?: readonly { y: number; label: string }[];
  width?: number;
  height?: number;
}

const palette = [
  'var(--cls-blue)',
  'var(--cls-green)',
  'var(--cls-red)',
  'var(--cls-yellow)',
  '#8250df',
  '#bf3989',
];

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

/** One chart as an inline <svg> (with a <title> for screen readers and a legend). */
export function lineChartSvg(spec: LineChartSpec): string {
  const W = spec.width ?? 560;
  const H = spec.height ?? 280;
  // Title, then a legend row above the plot area, so reference-line labels never sit on the legend.
  const m = { l: 56, r: 16, t: 44, b: 44 };
  const pts = spec.series
    .flatMap((s) => s.points)
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = pts.map((p) => p.x).filter((x) => !spec.logX || x > 0);
  const ys = [...pts.map((p) => p.y), ...(spec.hLines ?? []).map((h) => h.y)];
  let x0 = xs.length ? Math.min(...xs) : 0;
  let x1 = xs.length ? Math.max(...xs) : 1;
  if (x1 === x0) x1 = x0 + 1;
  const y0 = 0;
  let y1 = ys.length ? Math.max(...ys) : 1;
  if (!(y1 > y0)) y1 = 1;
  y1 *= 1.05;
  if (spec.logX) x0 = Math.max(x0, 1e-9);
  const tx = (x: number) =>
    spec.logX
      ? m.l + ((Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0) || 1)) * (W - m.l - m.r)
      : m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const ty = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(
    `<svg class="sweep-chart" role="img" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(spec.title)}</title>`,
    `<text x="${m.l}" y="16" font-size="13" font-weight="600" fill="var(--cls-fg)">${escapeHtml(spec.title)}</text>`,
  );
  const xTicks = spec.logX
    ? Array.from({ length: Math.floor(Math.log10(x1)) - Math.ceil(Math.log10(x0)) + 1 }, (_, i) =>
        Math.pow(10, Math.ceil(Math.log10(x0)) + i),
      )
    : niceTicks(x0, x1);
  for (const v of xTicks) {
    const x = tx(v);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${m.t}" y2="${H - m.b}" stroke="var(--cls-border)" stroke-width="0.5"/>`,
      `<text x="${x}" y="${H - m.b + 14}" font-size="10" text-anchor="middle" fill="var(--cls-muted)">${fmt(v)}</text>`,
    );
  }
  for (const v of niceTicks(y0, y1)) {
    const y = ty(v);
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="var(--cls-border)" stroke-width="0.5"/>`,
      `<text x="${m.l - 6}" y="${y + 3}" font-size="10" text-anchor="end" fill="var(--cls-muted)">${fmt(v)}</text>`,
    );
  }
  parts.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" font-size="11" text-anchor="middle" fill="var(--cls-muted)">${escapeHtml(spec.xLabel)}</text>`,
    `<text transform="translate(12 ${(m.t + H - m.b) / 2}) rotate(-90)" font-size="11" text-anchor="middle" fill="var(--cls-muted)">${escapeHtml(spec.yLabel)}</text>`,
  );
  for (const h of spec.hLines ?? []) {
    const y = ty(h.y);
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="var(--cls-red)" stroke-dasharray="6 4"/>`,
      `<text x="${W - m.r}" y="${y - 4}" font-size="10" text-anchor="end" fill="var(--cls-red)">${escapeHtml(h.label)}</text>`,
    );
  }
  spec.series.forEach((s, i) => {
    const colour = palette[i % palette.length]!;
    const p = s.points.filter((q) => Number.isFinite(q.x) && Number.isFinite(q.y) && (!spec.logX || q.x > 0));
    if (p.length === 0) return;
    const d = p.map((q, j) => `${j === 0 ? 'M' : 'L'}${tx(q.x).toFixed(1)},${ty(q.y).toFixed(1)}`).join(' ');
    parts.push(
      `<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
    );
    if (p.length <= 40)
      for (const q of p)
        parts.push(
          `<circle cx="${tx(q.x).toFixed(1)}" cy="${ty(q.y).toFixed(1)}" r="2.5" fill="${colour}"/>`,
        );
    parts.push(
      `<rect x="${m.l + i * 130}" y="27" width="10" height="3" fill="${colour}"/>`,
      `<text x="${m.l + 14 + i * 130}" y="32" font-size="10" fill="var(--cls-fg)">${escapeHtml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A self-contained, script-free HTML page around the given body (the shared CSS inline). */
export function staticReportHtml(
  title: string,
  css: string,
  body: string,
  data?: { id: string; json: string },
): string {
  const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="claude-load-scale">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${css.replace(/<\/(style)/gi, '<\\/$1')}\n.sweep-chart{max-width:100%;height:auto;margin:8px 0}\n</style>`,
    '</head>',
    '<body class="standalone">',
    `<main>${body}</main>`,
    // The data as JSON for tools (not executed: application/json).
    ...(data ? [`<script type="application/json" id="${escapeHtml(data.id)}">${data.json}</script>`] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

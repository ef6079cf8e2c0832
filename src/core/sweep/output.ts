// sweep.json (versioned, atomic), sweep.csv, the offline report.html with the sweep charts, the
// one-sentence answer, and thresholds on a sweep for CI (`maxSustainableRpm>=500`).
import { join } from 'node:path';
import { compareThresholdValue, parseThreshold } from '../engine/index';
import type { ThresholdResult } from '../model/run';
import { embedJson } from '../report/index';
import { writeFileAtomic } from '../util/atomicWrite';
import { escapeHtml } from '../format/escapeHtml';
import { lineChartSvg, staticReportHtml } from './svgChart';
import type { Binding, SweepResult } from './types';

const keyPattern = /sk-ant-[A-Za-z0-9_-]+/g;

/** Pretty JSON with anything shaped like an API key scrubbed (error messages could echo one). */
export function serializeSweep(r: SweepResult): string {
  return JSON.stringify(r, null, 2).replace(keyPattern, 'sk-ant-***') + '\n';
}

export class SweepFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepFileError';
  }
}

/** Parses sweep.json; the error names the file and what is wrong. */
export function parseSweepFile(text: string, source: string): SweepResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new SweepFileError(`${source}: not JSON (${(e as Error).message})`);
  }
  const o = v as Partial<SweepResult>;
  if (!o || typeof o !== 'object' || o.kind !== 'sweep')
    throw new SweepFileError(`${source}: not a sweep.json (no "kind": "sweep")`);
  if (o.schemaVersion !== 1)
    throw new SweepFileError(
      `${source}: schemaVersion ${String(o.schemaVersion)} is not supported (expected 1)`,
    );
  if (!Array.isArray(o.steps)) throw new SweepFileError(`${source}: "steps" must be an array`);
  return o as SweepResult;
}

const csvColumns: [string, (s: SweepResult['steps'][number]) => number | string | null][] = [
  ['step', (s) => s.index + 1],
  ['phase', (s) => s.phase],
  ['offered_rps', (s) => s.offeredRps],
  ['achieved_rps', (s) => s.achievedRps],
  ['ok_rps', (s) => s.okRps],
  ['goodput_rps', (s) => s.goodputRps],
  ['goodput_output_tokens_per_s', (s) => s.goodputOutputTokensPerSec],
  ['output_tokens_per_s', (s) => s.outputTokensPerSec],
  ['requests', (s) => s.requests],
  ['rate_limited_rate', (s) => s.rateLimitedRate],
  ['overloaded_rate', (s) => s.overloadedRate],
  ['errors_rate', (s) => s.errorsRate],
  ['latency_p50_ms', (s) => s.latency.p50],
  ['latency_p95_ms', (s) => s.latency.p95],
  ['latency_p99_ms', (s) => s.latency.p99],
  ['ttft_p95_ms', (s) => s.ttft.p95],
  ['tpot_p95_ms', (s) => s.tpot.p95],
  ['cost_usd', (s) => s.costUsd],
  ['pass', (s) => (s.pass ? 1 : 0)],
];

export function sweepCsv(r: SweepResult): string {
  const rows = [csvColumns.map(([h]) => h).join(',')];
  for (const s of r.steps) rows.push(csvColumns.map(([, f]) => f(s) ?? '').join(','));
  return rows.join('\n') + '\n';
}

export function describeBinding(b: Binding): string {
  switch (b.kind) {
    case 'rate-limit':
      return `${b.limit === 'requests' ? 'requests per minute' : b.limit === 'input_tokens' ? 'input tokens per minute' : b.limit === 'output_tokens' ? 'output tokens per minute' : `the ${b.limit} limit`} (bucket ${b.bucket})`;
    case 'latency':
      return `the latency SLO ${b.expr}`;
    case 'errors':
      return `errors (${b.expr})`;
    case 'saturation':
      return 'over-saturation (the queue kept growing)';
    case 'none':
      return 'nothing within the rates probed';
  }
}

const rpmFmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The answer in one sentence, as the results panel shows it. */
export function sweepSentence(r: SweepResult): string {
  const parts: string[] = [];
  if (r.maxSustainableRpm === null) parts.push('No probed rate met your SLO');
  else parts.push(`Sustains ${rpmFmt(r.maxSustainableRpm)} RPM under your SLO`);
  const high = r.maxSustainableInterval?.highRps;
  parts.push(
    r.binding.kind === 'none'
      ? 'nothing bound'
      : `${describeBinding(r.binding)} bind${high != null ? `s at ${rpmFmt(high * 60)} RPM` : 's'}`,
  );
  if (r.predictedMaxRpm !== null)
    parts.push(
      `the planner predicted ${rpmFmt(r.predictedMaxRpm)}` +
        (r.predictionErrorPct !== null
          ? ` (${r.predictionErrorPct >= 0 ? '+' : ''}${r.predictionErrorPct.toFixed(1)} %)`
          : ''),
    );
  return parts.join('; ') + '.';
}

/** Metrics a sweep threshold may name. */
const sweepMetrics: Record<string, (r: SweepResult) => number | null> = {
  maxSustainableRpm: (r) => r.maxSustainableRpm,
  maxSustainableRps: (r) => r.maxSustainableRps,
  predictedMaxRpm: (r) => r.predictedMaxRpm,
  predictionErrorPct: (r) => r.predictionErrorPct,
  'predictionErrorPct.abs': (r) => (r.predictionErrorPct === null ? null : Math.abs(r.predictionErrorPct)),
  kneeRps: (r) => r.kneeRps,
  'cost.usd': (r) => r.costUsd,
  steps: (r) => r.steps.length,
};
export const sweepThresholdMetricNames: readonly string[] = Object.keys(sweepMetrics);

/** Parses "maxSustainableRpm>=500"; the error names `field` and the valid metrics. */
export function parseSweepThreshold(
  expr: string,
  field = '--threshold',
): { metric: string; condition: string } {
  const m = /^\s*([A-Za-z.]+)\s*((?:<=|>=|==|!=|<|>).*)$/.exec(expr);
  if (!m || !((m[1] as string) in sweepMetrics))
    throw new SweepFileError(
      `${field}: "${expr}" must look like "maxSustainableRpm>=500"; metrics: ${sweepThresholdMetricNames.join(', ')}`,
    );
  // The condition syntax is the run thresholds' (any known metric name checks it).
  parseThreshold('cost.usd', m[2] as string, field);
  return { metric: m[1] as string, condition: m[2] as string };
}

export function evaluateSweepThresholds(exprs: readonly string[], r: SweepResult): ThresholdResult[] {
  return exprs.map((e) => {
    const { metric, condition } = parseSweepThreshold(e);
    const t = parseThreshold('cost.usd', condition);
    const value = sweepMetrics[metric]!(r);
    const expr = `${metric}${t.op}${t.value}`;
    if (value === null || !Number.isFinite(value))
      return { expr, metric, pass: false, value: null, message: 'no data for this metric in this sweep' };
    return { expr, metric, pass: compareThresholdValue(value, t.op, t.value), value };
  });
}

/** The three sweep charts and a step table, offline and script-free. */
export function renderSweepHtml(r: SweepResult, css: string): string {
  const rated = r.steps.filter((s) => s.offeredRps !== null).sort((a, b) => a.offeredRps! - b.offeredRps!);
  const xy = (f: (s: (typeof rated)[number]) => number) => rated.map((s) => ({ x: s.offeredRps!, y: f(s) }));
  const latencyBounds = r.slo
    .map((e) => /^latency\.p(50|95|99)<=?(\d+(?:\.\d+)?)$/.exec(e))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ y: Number(m[2]), label: `SLO latency p${m[1]} ${m[2]} ms` }));
  const charts = [
    lineChartSvg({
      title: 'Achieved and goodput vs offered rate',
      xLabel: 'offered req/s',
      yLabel: 'req/s',
      series: [
        { name: 'offered', points: xy((s) => s.offeredRps!), dashed: true },
        { name: 'achieved (sent)', points: xy((s) => s.achievedRps) },
        { name: 'ok', points: xy((s) => s.okRps) },
        { name: 'goodput', points: xy((s) => s.goodputRps) },
      ],
    }),
    lineChartSvg({
      title: 'Latency percentiles vs offered rate (CO-corrected)',
      xLabel: 'offered req/s',
      yLabel: 'ms',
      series: [
        { name: 'p50', points: xy((s) => s.latency.p50) },
        { name: 'p95', points: xy((s) => s.latency.p95) },
        { name: 'p99', points: xy((s) => s.latency.p99) },
        { name: 'TTFT p95', points: xy((s) => s.ttft.p95), dashed: true },
      ],
      hLines: latencyBounds,
    }),
    lineChartSvg({
      title: '429 and 529 share vs offered rate',
      xLabel: 'offered req/s',
      yLabel: 'share of requests',
      series: [
        { name: '429 rate limited', points: xy((s) => s.rateLimitedRate) },
        { name: '529 overloaded', points: xy((s) => s.overloadedRate) },
      ],
      hLines: r.slo
        .map((e) => /^rateLimited\.rate<=?(\d+(?:\.\d+)?)$/.exec(e))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ y: Number(m[1]), label: `SLO 429 share ${Number(m[1]) * 100} %` })),
    }),
    lineChartSvg({
      title: 'Output tokens/s vs offered rate',
      xLabel: 'offered req/s',
      yLabel: 'output tokens/s',
      series: [
        { name: 'all ok', points: xy((s) => s.outputTokensPerSec) },
        { name: 'goodput', points: xy((s) => s.goodputOutputTokensPerSec) },
      ],
    }),
  ];
  const n = (v: number | null, d = 2) => (v === null ? '-' : v.toFixed(d));
  const rows = r.steps
    .map(
      (s) =>
        `<tr><td>${s.index + 1}</td><td>${s.phase}</td><td>${n(s.offeredRps)}</td><td>${n(s.achievedRps)}${s.achievedShortfall ? ' ⚠' : ''}</td>` +
        `<td>${n(s.goodputRps)}</td><td>${n(s.latency.p95, 0)}</td><td>${n(s.ttft.p95, 0)}</td>` +
        `<td>${(s.rateLimitedRate * 100).toFixed(1)} %</td><td>${(s.overloadedRate * 100).toFixed(1)} %</td>` +
        `<td>${escapeHtml(s.rateLimitedBy.map((b) => `${b.bucket}/${b.limit} ${(b.share * 100).toFixed(1)} %`).join(', '))}</td>` +
        `<td>$${s.costUsd.toFixed(4)}</td><td>${s.pass ? 'pass' : 'fail'}</td></tr>`,
    )
    .join('');
  const body = [
    `<h1>${escapeHtml(r.name)}: capacity sweep</h1>`,
    `<p class="headline"><strong>${escapeHtml(sweepSentence(r))}</strong></p>`,
    `<p>Mode ${r.mode}; SLO ${escapeHtml(r.slo.join(', '))}; stop: ${escapeHtml(r.stopReason)}${r.stopDetail ? ` (${escapeHtml(r.stopDetail)})` : ''}; ` +
      `cost $${r.costUsd.toFixed(4)}${r.kneeRps !== null ? `; knee of output tokens/s at ${r.kneeRps.toFixed(2)} req/s` : ''}` +
      `${r.timeScale !== 1 ? `; simulator time scale ${r.timeScale}x (rates in simulated time, latencies in real ms)` : ''}.</p>`,
    ...charts,
    '<h2>Steps</h2>',
    '<table><thead><tr><th>#</th><th>phase</th><th>offered/s</th><th>achieved/s</th><th>goodput/s</th><th>latency p95 ms</th>' +
      '<th>TTFT p95 ms</th><th>429</th><th>529</th><th>429 by bucket/limit</th><th>cost</th><th>SLO</th></tr></thead>' +
      `<tbody>${rows}</tbody></table>`,
    ...(r.warnings.length
      ? ['<h2>Warnings</h2><ul>', ...r.warnings.map((w) => `<li>${escapeHtml(w)}</li>`), '</ul>']
      : []),
  ].join('\n');
  const clean = JSON.parse(serializeSweep(r)) as SweepResult;
  return staticReportHtml(`${r.name}: Claude Load & Scale sweep`, css, body, {
    id: 'sweep-data',
    json: embedJson(clean),
  });
}

export interface SweepOutputPaths {
  sweepJson: string;
  csv: string;
  html: string;
}

/** Writes sweep.json, sweep.csv and report.html into dir, each atomically. */
export async function writeSweepOutputs(r: SweepResult, dir: string, css: string): Promise<SweepOutputPaths> {
  const paths = {
    sweepJson: join(dir, 'sweep.json'),
    csv: join(dir, 'sweep.csv'),
    html: join(dir, 'report.html'),
  };
  await writeFileAtomic(paths.sweepJson, serializeSweep(r));
  await writeFileAtomic(paths.csv, sweepCsv(r));
  await writeFileAtomic(paths.html, renderSweepHtml(r, css));
  return paths;
}

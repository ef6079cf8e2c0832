// Terminal rendering of a load test: the live one-line progress and the final summary table.
import {
  analyzeSpike,
  describeSpike,
  fmtMs as ms,
  fmtUsd as usd,
  spikeWindowOf,
  windowErrors,
} from '../core/index';
import type { EngineTickEvent, LatencyStats, RunResult, SpikeAnalysis } from '../core/index';

/** What a run's spike cost (429s/529s during and after, latency, recovery), when its load has a spike. */
export function spikeOf(
  run: RunResult,
): (SpikeAnalysis & { window: { startS: number; endS: number } }) | null {
  const w = spikeWindowOf(run.scenario.load);
  if (!w) return null;
  return { ...analyzeSpike(run.timeseries, w), window: { startS: w.startS, endS: w.endS } };
}

/**
 * The live line: run totals first, then the last one-second window, labelled so neither is mistaken for
 * the other; "-" where the window has no data (never "p95 0.0ms").
 */
export function progressLine(e: EngineTickEvent): string {
  const w = e.window;
  const t = e.totals;
  const errors = windowErrors(w);
  const latency = w.completed > 0 ? ms(w.latencyMs.p95) : '-';
  const ttft = w.outcomes.ok > 0 && w.ttftMs.p95 > 0 ? ms(w.ttftMs.p95) : '-';
  return (
    `[${t.elapsedS.toFixed(0).padStart(4)}s] total: sent ${t.sent}, done ${t.completed}, ` +
    `in flight ${t.inFlight}, ${usd(t.costUsd)} | last 1s: ${w.completed} done, ${errors} errors, ` +
    `p95 ${latency}, TTFT p95 ${ttft}`
  );
}

function statRow(name: string, s: LatencyStats | null, fmt: (v: number) => string = ms): string[] {
  if (!s || s.count === 0) return [name, '-', '-', '-', '-', '-', '-', '-'];
  return [name, fmt(s.p50), fmt(s.p90), fmt(s.p95), fmt(s.p99), fmt(s.p999), fmt(s.max), fmt(s.mean)];
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

export function summaryText(run: RunResult): string {
  const s = run.summary;
  const r = s.requests;
  const models = run.scenario.models
    .map((m) => (m.share === 1 ? m.model : `${m.model} ${Math.round(m.share * 100)}%`))
    .join(', ');
  const lines: string[] = [];
  lines.push(`${run.name}: ${models} -> ${run.targetUrl}`);
  lines.push(
    `stopped: ${s.stopReason} after ${s.durationS.toFixed(1)}s` +
      (s.sendWindowS !== undefined
        ? ` (sending ${s.sendWindowS.toFixed(1)}s, then ${(s.drainS ?? 0).toFixed(1)}s for in-flight requests)`
        : '') +
      (s.interrupted ? ' (interrupted: figures cover what ran)' : ''),
  );
  lines.push('');
  lines.push(
    `requests ${r.total}: ok ${r.ok}, 429 ${r.rateLimited}, 529 ${r.overloaded}, 5xx ${r.serverErrors}, 4xx ${r.clientErrors}, ` +
      `timeouts ${r.timeouts}, network ${r.networkErrors}, stream ${r.streamErrors}, aborted ${r.aborted}` +
      (r.attempts !== r.total ? ` (attempts ${r.attempts})` : ''),
  );
  lines.push('');
  const open = s.latencyUncorrectedMs !== null;
  lines.push(
    table([
      ['', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean'],
      statRow(open ? 'latency (from intended send)' : 'latency', s.latencyMs),
      ...(open
        ? [statRow('latency (from actual send)', s.latencyUncorrectedMs), statRow('send lag', s.sendLagMs)]
        : []),
      statRow('TTFT', s.ttftMs),
      statRow('TPOT', s.tpotMs),
      statRow('output tok/s per request', s.outputTokensPerSecPerRequest, (v) => v.toFixed(1)),
    ]),
  );
  lines.push('');
  lines.push(
    `throughput ${s.throughput.rps.toFixed(2)} ok req/s, ${s.throughput.outputTokensPerSec.toFixed(1)} output tok/s` +
      (s.throughput.goodputRps !== null ? `, goodput ${s.throughput.goodputRps.toFixed(2)} req/s` : '') +
      (s.throughput.sentRps !== undefined
        ? `; sent ${s.throughput.sentRps.toFixed(2)} req/s` +
          (s.throughput.offeredRps != null ? ` of ${s.throughput.offeredRps.toFixed(2)} offered` : '')
        : ''),
  );
  lines.push(
    `tokens: input ${s.tokens.input}, output ${s.tokens.output}, cache read ${s.tokens.cacheRead}, cache write ${s.tokens.cacheWrite}`,
  );
  lines.push(
    s.unpricedModels?.length
      ? `cost unknown: ${s.unpricedModels.join(', ')} not in the catalog (priced requests: ${usd(s.costUsd)})`
      : `cost ${usd(s.costUsd)} (catalog as of ${run.environment.catalogAsOf})`,
  );
  const spike = spikeOf(run);
  if (spike) {
    lines.push('');
    lines.push(
      `spike from ${spike.window.startS.toFixed(1)}s to ${spike.window.endS.toFixed(1)}s: ` +
        describeSpike(spike).replace(/^spike: /, ''),
    );
  }
  if (s.byModel?.length) {
    lines.push('');
    lines.push('per model:');
    lines.push(
      table([
        [
          '',
          'requests',
          'ok',
          '429',
          '529',
          'p50',
          'p95',
          'p99',
          'TTFT p95',
          'input tok',
          'output tok',
          'cost',
        ],
        ...s.byModel.map((m) => {
          const lat = m.latencyMs.count > 0;
          return [
            `  ${m.model}`,
            String(m.requests),
            String(m.outcomes.ok),
            String(m.outcomes.rate_limited),
            String(m.outcomes.overloaded),
            lat ? ms(m.latencyMs.p50) : '-',
            lat ? ms(m.latencyMs.p95) : '-',
            lat ? ms(m.latencyMs.p99) : '-',
            m.ttftMs.count > 0 ? ms(m.ttftMs.p95) : '-',
            String(m.inputTokens),
            String(m.outputTokens),
            s.unpricedModels?.includes(m.model) ? 'unknown' : usd(m.costUsd),
          ];
        }),
      ]),
    );
  }
  if (s.rateLimitedBy.length) {
    lines.push(
      '429s by limit: ' + s.rateLimitedBy.map((x) => `${x.bucket}/${x.limit} ${x.count}`).join(', '),
    );
  }
  if (s.thresholds.length) {
    lines.push('');
    lines.push('thresholds:');
    for (const t of s.thresholds) {
      lines.push(
        `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.expr}  (value ${t.value === null ? 'n/a' : +t.value.toFixed(4)})`,
      );
    }
  }
  const notable = run.diagnosis.filter((d) => d.severity !== 'info' || run.diagnosis.length === 1);
  if (notable.length) {
    lines.push('');
    lines.push('diagnosis:');
    for (const d of notable) lines.push(`  [${d.severity}] ${d.title}: ${d.detail} ${d.advice}`.trimEnd());
  }
  for (const w of s.health.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

/** The --json summary: the fields scripts read, stable names. */
export function jsonSummary(run: RunResult): Record<string, unknown> {
  const s = run.summary;
  const spike = spikeOf(run);
  const pick = (x: LatencyStats | null) =>
    x && {
      p50: x.p50,
      p90: x.p90,
      p95: x.p95,
      p99: x.p99,
      p999: x.p999,
      max: x.max,
      mean: x.mean,
      count: x.count,
    };
  return {
    name: run.name,
    targetUrl: run.targetUrl,
    requests: s.requests,
    latencyMs: pick(s.latencyMs),
    latencyUncorrectedMs: pick(s.latencyUncorrectedMs),
    sendLagMs: pick(s.sendLagMs),
    ttftMs: pick(s.ttftMs),
    tpotMs: pick(s.tpotMs),
    outputTokensPerSecPerRequest: pick(s.outputTokensPerSecPerRequest),
    tokens: s.tokens,
    costUsd: s.costUsd,
    throughput: s.throughput,
    durationS: s.durationS,
    stopReason: s.stopReason,
    thresholds: s.thresholds.map((t) => ({ expr: t.expr, pass: t.pass, value: t.value })),
    rateLimitedBy: s.rateLimitedBy,
    ...(s.byModel ? { byModel: s.byModel } : {}),
    ...(spike ? { spike } : {}),
    diagnosis: run.diagnosis,
    warnings: s.health.warnings,
    // The generator's own health: a saturated load generator measures itself, not the target.
    health: {
      cpuCores: s.health.cpuCores,
      eventLoopUtilization: s.health.eventLoopUtilization,
      timerLatenessMs: s.health.timerLatenessMs ?? null,
    },
  };
}

// One run from runs taken in parallel by several generator processes or machines: HDR histograms merged
// exactly (lossless: run.json keeps each encoded), windows aligned on wall-clock time, totals summed.
import { evaluateThresholds } from '../engine/index';
import { MetricHistogram } from '../metrics/histogram';
import type {
  Diagnosis,
  LatencyStats,
  ModelStats,
  Outcome,
  RunResult,
  RunSummary,
  TimeWindow,
} from '../model/run';
import { outcomes } from '../model/run';
import { CompareError } from './compare';

export interface MergeOptions {
  name?: string;
  /** Diagnosis rules and definitions (the report module's `reportHooks`). */
  diagnose?: (input: Pick<RunResult, 'scenario' | 'summary' | 'timeseries'>) => Diagnosis[];
  definitions?: Record<string, string>;
}

function mergeHistograms(encoded: readonly (string | null)[]): MetricHistogram | null {
  if (encoded.some((e) => e === null)) return null;
  const h = new MetricHistogram();
  for (const e of encoded) h.add(MetricHistogram.decode(e!));
  return h;
}

/** Stats without a stored histogram: count-weighted means of each statistic (approximate). */
function weightedStats(stats: readonly LatencyStats[]): LatencyStats {
  const n = stats.reduce((a, s) => a + s.count, 0);
  if (n === 0) return stats[0]!;
  const w = (k: keyof LatencyStats) => stats.reduce((a, s) => a + s[k] * s.count, 0) / n;
  return {
    count: n,
    p50: w('p50'),
    p90: w('p90'),
    p95: w('p95'),
    p99: w('p99'),
    p999: w('p999'),
    max: Math.max(...stats.map((s) => s.max)),
    min: Math.min(...stats.filter((s) => s.count > 0).map((s) => s.min)),
    mean: w('mean'),
  };
}

/**
 * Per-model figures of the runs that have them: counts, tokens and cost summed; percentiles are
 * request-weighted means (per-model histograms are not stored), like weightedStats.
 */
function mergeByModel(runs: readonly RunSummary[]): ModelStats[] | undefined {
  const all = runs.flatMap((s) => s.byModel ?? []);
  if (all.length === 0) return undefined;
  const byId = new Map<string, ModelStats[]>();
  for (const m of all) byId.set(m.model, [...(byId.get(m.model) ?? []), m]);
  return [...byId.entries()].map(([model, ms]) => ({
    model,
    requests: ms.reduce((a, m) => a + m.requests, 0),
    outcomes: Object.fromEntries(
      outcomes.map((o) => [o, ms.reduce((a, m) => a + m.outcomes[o], 0)]),
    ) as ModelStats['outcomes'],
    latencyMs: weightedStats(ms.map((m) => m.latencyMs)),
    ttftMs: weightedStats(ms.map((m) => m.ttftMs)),
    inputTokens: ms.reduce((a, m) => a + m.inputTokens, 0),
    outputTokens: ms.reduce((a, m) => a + m.outputTokens, 0),
    costUsd: ms.reduce((a, m) => a + m.costUsd, 0),
  }));
}

/** Windows on the shared wall clock: each run's window t shifts by its start's offset (whole seconds). */
function mergeWindows(runs: readonly RunResult[], starts: readonly number[], t0: number): TimeWindow[] {
  const byT = new Map<number, TimeWindow[]>();
  runs.forEach((r, i) => {
    const shift = Math.round((starts[i]! - t0) / 1000);
    for (const w of r.timeseries) {
      const t = w.t + shift;
      if (!byT.has(t)) byT.set(t, []);
      byT.get(t)!.push(w);
    }
  });
  const last = Math.max(...byT.keys());
  const lastCost = runs.map(() => 0);
  const out: TimeWindow[] = [];
  for (let t = 0; t <= last; t++) {
    const ws = byT.get(t) ?? [];
    // Window cost is cumulative per run: carry each run's last value so the sum stays cumulative.
    runs.forEach((r, i) => {
      const shift = Math.round((starts[i]! - t0) / 1000);
      const mine = r.timeseries.find((w) => w.t + shift === t);
      if (mine) lastCost[i] = mine.costUsd;
    });
    const sum = (f: (w: TimeWindow) => number) => ws.reduce((a, w) => a + f(w), 0);
    const ok = sum((w) => w.outcomes.ok);
    // Per-window percentiles cannot be merged exactly from percentiles: ok-weighted mean (the run-level
    // percentiles below come from the merged histograms and are exact).
    const pw = (f: (w: TimeWindow) => number) =>
      ok === 0 ? 0 : ws.reduce((a, w) => a + f(w) * w.outcomes.ok, 0) / ok;
    const oc = Object.fromEntries(outcomes.map((o) => [o, sum((w) => w.outcomes[o])])) as Record<
      Outcome,
      number
    >;
    const minOf = (k: keyof TimeWindow['headroom']) => {
      const v = ws.map((w) => w.headroom[k]).filter((x): x is number => x !== null);
      return v.length ? Math.min(...v) : null;
    };
    out.push({
      t,
      sent: sum((w) => w.sent),
      completed: sum((w) => w.completed),
      outcomes: oc,
      inFlight: sum((w) => w.inFlight),
      latencyMs: {
        p50: pw((w) => w.latencyMs.p50),
        p95: pw((w) => w.latencyMs.p95),
        p99: pw((w) => w.latencyMs.p99),
      },
      ttftMs: { p50: pw((w) => w.ttftMs.p50), p95: pw((w) => w.ttftMs.p95), p99: pw((w) => w.ttftMs.p99) },
      inputTokensPerMin: sum((w) => w.inputTokensPerMin),
      outputTokensPerMin: sum((w) => w.outputTokensPerMin),
      headroom: {
        requests: minOf('requests'),
        inputTokens: minOf('inputTokens'),
        outputTokens: minOf('outputTokens'),
      },
      costUsd: lastCost.reduce((a, b) => a + b, 0),
      sendLagMsMax: ws.reduce((a, w) => Math.max(a, w.sendLagMsMax), 0),
    });
  }
  return out;
}

export function mergeRuns(runs: readonly RunResult[], opts: MergeOptions = {}): RunResult {
  if (runs.length < 2) throw new CompareError('merge needs at least two run.json files');
  const first = runs[0]!;
  const starts = runs.map((r) => Date.parse(r.startedAt));
  const ends = runs.map((r) => Date.parse(r.endedAt));
  if (starts.some((s) => !Number.isFinite(s)))
    throw new CompareError('every run needs a valid startedAt to align on the wall clock');
  const t0 = Math.min(...starts);
  // The union lasts from the first start to the last measured end; it sent from the first start until
  // the last run stopped sending (rates are over this window, as in one run).
  const durationS = Math.max(...runs.map((r, i) => (starts[i]! - t0) / 1000 + r.summary.durationS));
  const windowsKnown = runs.every((r) => r.summary.sendWindowS !== undefined);
  const sendWindowS = windowsKnown
    ? Math.max(...runs.map((r, i) => (starts[i]! - t0) / 1000 + r.summary.sendWindowS!))
    : durationS;
  /** A rate of the union: each run's rate x its own send window, summed, over the union's window. */
  const unionRate = (rate: (s: RunSummary) => number | null | undefined): number | null => {
    const rates = runs.map((r) => rate(r.summary));
    if (rates.some((x) => x === null || x === undefined)) return null;
    const count = runs.reduce((a, r, i) => a + rates[i]! * (r.summary.sendWindowS ?? r.summary.durationS), 0);
    return sendWindowS > 0 ? count / sendWindowS : 0;
  };
  const hist = {
    latency: mergeHistograms(runs.map((r) => r.histograms.latency))!,
    latencyUncorrected: mergeHistograms(runs.map((r) => r.histograms.latencyUncorrected)),
    ttft: mergeHistograms(runs.map((r) => r.histograms.ttft))!,
    tpot: mergeHistograms(runs.map((r) => r.histograms.tpot))!,
    sendLag: mergeHistograms(runs.map((r) => r.histograms.sendLag))!,
  };
  const S = runs.map((r) => r.summary);
  const sum = (f: (s: RunSummary) => number) => S.reduce((a, s) => a + f(s), 0);
  const reqKeys = Object.keys(first.summary.requests) as (keyof RunSummary['requests'])[];
  const requests = Object.fromEntries(
    reqKeys.map((k) => [k, sum((s) => s.requests[k])]),
  ) as RunSummary['requests'];
  const rl = new Map<string, RunSummary['rateLimitedBy'][number]>();
  for (const s of S)
    for (const e of s.rateLimitedBy) {
      const k = `${e.bucket}\u0000${e.limit}`;
      const cur = rl.get(k);
      if (cur) cur.count += e.count;
      else rl.set(k, { ...e });
    }
  const em = new Map<string, RunSummary['errorsByMessage'][number]>();
  for (const s of S)
    for (const e of s.errorsByMessage) {
      const k = `${e.outcome}\u0000${e.message}`;
      const cur = em.get(k);
      if (cur) cur.count += e.count;
      else em.set(k, { ...e });
    }
  const outputTokens = sum((s) => s.tokens.output);
  const thinking = S.some((s) => s.tokens.thinking !== undefined)
    ? sum((s) => s.tokens.thinking ?? 0)
    : undefined;
  const unpriced = [...new Set(S.flatMap((s) => s.unpricedModels ?? []))];
  const byModel = mergeByModel(S);
  const sentRps = unionRate((s) => s.throughput.sentRps);
  const offeredRps = unionRate((s) => s.throughput.offeredRps);
  const stopReasons = new Set(S.map((s) => s.stopReason));
  const summary: RunSummary = {
    requests,
    latencyMs: hist.latency.summary(),
    latencyUncorrectedMs: hist.latencyUncorrected?.summary() ?? null,
    sendLagMs: hist.sendLag.summary(),
    ttftMs: hist.ttft.summary(),
    tpotMs: hist.tpot.summary(),
    outputTokensPerSecPerRequest: weightedStats(S.map((s) => s.outputTokensPerSecPerRequest)),
    ...(S.every((s) => s.queueWaitMs) ? { queueWaitMs: weightedStats(S.map((s) => s.queueWaitMs!)) } : {}),
    ...(S.every((s) => s.firstContentMs)
      ? { firstContentMs: weightedStats(S.map((s) => s.firstContentMs!)) }
      : {}),
    tokens: {
      input: sum((s) => s.tokens.input),
      output: outputTokens,
      cacheRead: sum((s) => s.tokens.cacheRead),
      cacheWrite: sum((s) => s.tokens.cacheWrite),
      ...(thinking !== undefined ? { thinking } : {}),
    },
    ...(S.some((s) => s.toolUseReplies !== undefined)
      ? { toolUseReplies: sum((s) => s.toolUseReplies ?? 0) }
      : {}),
    costUsd: sum((s) => s.costUsd),
    ...(unpriced.length ? { unpricedModels: unpriced } : {}),
    // Over the union's send window, as one run's (ok requests per second for rps).
    throughput: {
      rps: sendWindowS > 0 ? requests.ok / sendWindowS : 0,
      ...(sentRps !== null ? { sentRps } : {}),
      ...(S.every((s) => s.throughput.offeredRps !== undefined) ? { offeredRps } : {}),
      outputTokensPerSec: sendWindowS > 0 ? outputTokens / sendWindowS : 0,
      goodputRps: unionRate((s) => s.throughput.goodputRps),
    },
    durationS,
    ...(windowsKnown ? { sendWindowS, drainS: Math.max(0, durationS - sendWindowS) } : {}),
    stopReason: stopReasons.size === 1 ? first.summary.stopReason : 'completed',
    ...(S.some((s) => s.interrupted) ? { interrupted: true } : {}),
    thresholds: [],
    rateLimitedBy: [...rl.values()].sort((a, b) => b.count - a.count),
    errorsByMessage: [...em.values()].sort((a, b) => b.count - a.count),
    health: {
      eventLoopUtilization: Math.max(...S.map((s) => s.health.eventLoopUtilization)),
      cpuCores: sum((s) => s.health.cpuCores),
      timerLatenessMs: null,
      warnings: [
        ...new Set(S.flatMap((s) => s.health.warnings)),
        `merged from ${runs.length} generator runs`,
      ],
    },
    ...(byModel ? { byModel } : {}),
  };
  summary.thresholds = evaluateThresholds(first.scenario.thresholds, summary);
  const timeseries = mergeWindows(runs, starts, t0);
  const scenario = {
    ...first.scenario,
    name: opts.name ?? `${first.scenario.name} (merged x${runs.length})`,
  };
  return {
    schemaVersion: 1,
    tool: first.tool,
    name: opts.name ?? `${first.name} (merged x${runs.length})`,
    startedAt: new Date(t0).toISOString(),
    endedAt: new Date(Math.max(...ends)).toISOString(),
    scenario,
    targetUrl: [...new Set(runs.map((r) => r.targetUrl))].join(', '),
    environment: first.environment,
    summary,
    timeseries,
    histograms: {
      latency: hist.latency.encode(),
      latencyUncorrected: hist.latencyUncorrected?.encode() ?? null,
      ttft: hist.ttft.encode(),
      tpot: hist.tpot.encode(),
      sendLag: hist.sendLag.encode(),
    },
    latencyDistribution: hist.latency.distribution(),
    diagnosis: opts.diagnose ? opts.diagnose({ scenario, summary, timeseries }) : [],
    definitions: opts.definitions ?? first.definitions,
  };
}

// Turns the recorder's aggregates into the RunSummary and the RunResult saved as run.json.
import { cpus } from 'node:os';
import type { Catalog } from '../catalog/index';
import { findModel } from '../catalog/index';
import { toolVersion } from '../version';
import type { Recorder } from './recorder';
import { recordedScenario } from './promptDigest';
import { evaluateThresholds } from './thresholds';
import type { Diagnosis, EngineHealth, RunResult, RunSummary, Scenario, StopReason } from '../model/run';

export interface SummaryInput {
  rec: Recorder;
  scenario: Scenario;
  durationMs: number;
  /** Start until sending stopped; rates are per second of this window. */
  sendWindowMs: number;
  /** Open loop: requests the schedule offered during the send window. */
  offered?: number;
  stopReason: StopReason;
  health: EngineHealth;
  openLoop: boolean;
  hasSlo: boolean;
  budget?: RunSummary['budget'];
}

export function buildSummary(i: SummaryInput): RunSummary {
  const { rec } = i;
  const c = rec.counts;
  const durationS = i.durationMs / 1000;
  // Rates over the send window: dividing by the drain too would under-report what was sustained.
  const sendWindowS = Math.min(durationS, i.sendWindowMs / 1000);
  const per = (n: number) => (sendWindowS > 0 ? n / sendWindowS : 0);
  const summary: RunSummary = {
    requests: {
      total: rec.completed,
      ok: c.ok,
      rateLimited: c.rate_limited,
      overloaded: c.overloaded,
      serverErrors: c.server_error,
      clientErrors: c.client_error,
      timeouts: c.timeout,
      networkErrors: c.network,
      streamErrors: c.stream_error,
      aborted: c.aborted,
      attempts: rec.attempts,
    },
    latencyMs: rec.latency.summary(),
    latencyUncorrectedMs: i.openLoop ? rec.latencyUncorrected.summary() : null,
    sendLagMs: rec.sendLag.summary(),
    queueWaitMs: rec.queueWait.summary(),
    ...(i.budget ? { budget: i.budget } : {}),
    ttftMs: rec.ttft.summary(),
    firstContentMs: rec.firstContent.summary(),
    ...(rec.toolUseReplies > 0 ? { toolUseReplies: rec.toolUseReplies } : {}),
    tpotMs: rec.tpot.summary(),
    outputTokensPerSecPerRequest: rec.tokensPerSec.summary(),
    tokens: {
      input: rec.tokens.input,
      output: rec.tokens.output,
      cacheRead: rec.tokens.cacheRead,
      cacheWrite: rec.tokens.cacheWrite,
      // Only thinking workloads carry the split (the API's usage has no thinking count of its own).
      ...(rec.tokens.thinking > 0 ? { thinking: rec.tokens.thinking } : {}),
    },
    costUsd: rec.costUsd,
    ...(rec.unpricedModels.size ? { unpricedModels: [...rec.unpricedModels] } : {}),
    throughput: {
      rps: per(c.ok),
      sentRps: per(rec.sent),
      offeredRps: i.openLoop && i.offered !== undefined ? per(i.offered) : null,
      outputTokensPerSec: per(rec.tokens.output),
      goodputRps: i.hasSlo ? per(rec.good) : null,
    },
    durationS,
    sendWindowS,
    drainS: Math.max(0, durationS - sendWindowS),
    stopReason: i.stopReason,
    ...(i.stopReason === 'aborted' ? { interrupted: true } : {}),
    thresholds: [],
    rateLimitedBy: rec.rateLimitedBy(),
    errorsByMessage: rec.errorsByMessage(),
    health: i.health,
    ...(rec.byModel.size > 1 ? { byModel: rec.byModel.stats() } : {}),
  };
  summary.thresholds = evaluateThresholds(i.scenario.thresholds, summary);
  return summary;
}

export interface ResultInput {
  rec: Recorder;
  scenario: Scenario;
  summary: RunSummary;
  catalog: Catalog;
  startedAt: Date;
  endedAt: Date;
  targetUrl: string;
  diagnose: (input: Pick<RunResult, 'scenario' | 'summary' | 'timeseries'>) => Diagnosis[];
  definitions: Record<string, string>;
}

export function buildResult(i: ResultInput): RunResult {
  const { rec } = i;
  const scenario = recordedScenario(i.scenario);
  const base = {
    scenario,
    summary: i.summary,
    timeseries: rec.windows,
  };
  return {
    schemaVersion: 1,
    tool: { name: 'claude-load-scale', version: toolVersion },
    name: i.scenario.name,
    startedAt: i.startedAt.toISOString(),
    endedAt: i.endedAt.toISOString(),
    scenario,
    targetUrl: i.targetUrl,
    environment: {
      node: process.version,
      platform: process.platform,
      cpus: cpus().length,
      catalogAsOf: i.catalog.asOf,
    },
    summary: i.summary,
    timeseries: rec.windows,
    histograms: {
      latency: rec.latency.encode(),
      latencyUncorrected: i.summary.latencyUncorrectedMs ? rec.latencyUncorrected.encode() : null,
      ttft: rec.ttft.encode(),
      tpot: rec.tpot.encode(),
      sendLag: rec.sendLag.encode(),
    },
    latencyDistribution: rec.latency.distribution(),
    diagnosis: i.diagnose(base),
    definitions: i.definitions,
  };
}

/** Per-request SLOs implied by thresholds ("latency.p95<2000" -> each request within 2000 ms) for goodput. */
export function sloFromThresholds(
  thresholds: Record<string, string>,
): { latencyMs?: number; ttftMs?: number } | undefined {
  const slo: { latencyMs?: number; ttftMs?: number } = {};
  for (const [metric, cond] of Object.entries(thresholds)) {
    const m = /^\s*<=?\s*(\d+(?:\.\d+)?)/.exec(cond);
    if (!m) continue;
    const v = Number(m[1]);
    if (metric.startsWith('latency.')) slo.latencyMs = Math.min(slo.latencyMs ?? Infinity, v);
    if (metric.startsWith('ttft.')) slo.ttftMs = Math.min(slo.ttftMs ?? Infinity, v);
  }
  return slo.latencyMs !== undefined || slo.ttftMs !== undefined ? slo : undefined;
}

export function bucketOf(catalog: Catalog, model: string): string {
  return findModel(catalog, model)?.bucket ?? 'unknown';
}

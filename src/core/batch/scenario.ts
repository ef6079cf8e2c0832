// A plan's workload as a batch run, from scenario to report: the work items, the target (simulator or
// API), the run, the target closed. Shared by `claude-load batch` and the extension's "via": "batches".
import type { Catalog } from '../catalog/index';
import { OUTPUT_300K_BETA } from '../catalog/index';
import type { Scenario } from '../model/run';
import { runBatches } from './run';
import type { RunBatchesOptions } from './run';
import { resolveBatchTarget } from './target';
import type { BatchTarget } from './target';
import type { BatchReport } from './types';
import { workloadFromScenario } from './workload';

/** Requests of a batch run whose plan gives none. */
export const DEFAULT_BATCH_REQUESTS = 100;
/** Longest wait between polls when neither the caller nor the plan's batch.poll sets one. */
export const DEFAULT_BATCH_POLL_MS = 10_000;

export interface RunBatchScenarioOptions extends Pick<RunBatchesOptions, 'signal' | 'onEvent' | 'now'> {
  catalog: Catalog;
  /** The user's key; unused on the simulator. */
  apiKey?: string;
  /** Overrides the plan's batch.poll. */
  pollMs?: number;
  /** Tier whose Messages limits the comparison uses (default: the simulator's, else build). */
  tier?: string;
  /** Simulator: overrides the plan's batch.latency. */
  batchLatencyMs?: number;
  /** Simulator: overrides the plan's time scale. */
  timeScale?: number;
  firstPollMs?: number;
  /** Called once the target is up (before anything is submitted). */
  onTarget?: (target: BatchTarget) => void;
}

/** Runs the scenario's requests as Message Batches. Throws before submitting on a bad budget or target. */
export async function runBatchScenario(scenario: Scenario, o: RunBatchScenarioOptions): Promise<BatchReport> {
  const items = workloadFromScenario(scenario, scenario.requests ?? DEFAULT_BATCH_REQUESTS, o.catalog);
  const latency = o.batchLatencyMs ?? scenario.batch?.latencyMs;
  const target = await resolveBatchTarget(scenario, {
    apiKey: o.apiKey,
    catalog: o.catalog,
    ...(latency !== undefined ? { batchLatencyMs: latency } : {}),
    ...(o.timeScale !== undefined ? { timeScale: o.timeScale } : {}),
  });
  try {
    o.onTarget?.(target);
    return await runBatches({
      client: target.client,
      items,
      name: scenario.name,
      catalog: o.catalog,
      tier: o.tier ?? target.simulatorTier ?? 'build',
      pollMs: o.pollMs ?? scenario.batch?.pollMs ?? DEFAULT_BATCH_POLL_MS,
      ...(o.firstPollMs !== undefined ? { firstPollMs: o.firstPollMs } : {}),
      timeScale: target.timeScale,
      maxCostUsd: scenario.maxCostUsd,
      signal: o.signal,
      onEvent: o.onEvent,
      now: o.now,
      ...(scenario.batch?.output300k ? { betas: [OUTPUT_300K_BETA] } : {}),
    });
  } finally {
    await target.close();
  }
}

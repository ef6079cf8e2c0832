// Where a batch run sends its batches: the in-process simulator (with the plan's simulator settings and
// the batch latency model) or the API / a base URL with the user's key. The SDK retries control-plane
// calls itself (they are not latency measurements).
import { Anthropic } from '@anthropic-ai/sdk';
import type { Catalog } from '../catalog/index';
import type { Scenario } from '../model/run';

export interface BatchTarget {
  client: Anthropic;
  baseUrl: string;
  /** Simulated ms per real ms (1 for the API). */
  timeScale: number;
  /** The simulator's tier, when it is one. */
  simulatorTier?: string;
  close(): Promise<void>;
}

export interface BatchTargetOptions {
  apiKey?: string;
  catalog: Catalog;
  /** Simulator only: median simulated ms for one request of a batch to finish. */
  batchLatencyMs?: number;
  /** Simulator only: overrides the plan's time scale. */
  timeScale?: number;
}

/** No key for the target: nothing was sent. */
export class BatchTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchTargetError';
  }
}

const simulatorKey = 'simulator-local-key';

export async function resolveBatchTarget(scenario: Scenario, o: BatchTargetOptions): Promise<BatchTarget> {
  const t = scenario.target;
  if (t.kind === 'simulator') {
    // Loaded on demand: runs against the API need none of the simulator.
    const { startSimulator } = await import('../simulator/index');
    const timeScale = o.timeScale ?? t.timeScale;
    const sim = await startSimulator({
      tier: t.tier,
      latency: t.latency,
      timeScale,
      seed: t.seed,
      catalog: o.catalog,
      ...(t.faultRate !== undefined ? { faultRate: t.faultRate } : {}),
      ...(t.fault !== undefined ? { fault: t.fault } : {}),
      ...(t.limits !== undefined ? { limits: t.limits } : {}),
      ...(t.burstSeconds !== undefined ? { burstSeconds: t.burstSeconds } : {}),
      ...(o.batchLatencyMs !== undefined ? { batchLatencyMs: o.batchLatencyMs } : {}),
    });
    return {
      client: new Anthropic({ apiKey: simulatorKey, baseURL: sim.url, maxRetries: 2 }),
      baseUrl: sim.url,
      timeScale,
      simulatorTier: t.tier,
      close: () => sim.close(),
    };
  }
  if (!o.apiKey) {
    throw new BatchTargetError(
      `no API key for ${t.baseUrl}: set ANTHROPIC_API_KEY, or use --simulate to rehearse on the simulator`,
    );
  }
  return {
    client: new Anthropic({ apiKey: o.apiKey, baseURL: t.baseUrl, maxRetries: 2 }),
    baseUrl: t.baseUrl,
    timeScale: 1,
    close: async () => {},
  };
}

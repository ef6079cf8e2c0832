// Resolves where a run sends requests: starts the in-process simulator when asked, builds the SDK
// client, and checks the target answers before the clock starts.
import { Anthropic, APIConnectionError, AuthenticationError, PermissionDeniedError } from '@anthropic-ai/sdk';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Catalog } from '../catalog/index';
import { attemptCounter, registerConnectionPool, type AttemptCounter } from './request';
import type { Scenario } from '../model/run';

/** The run could not start (exit code 3 in the CLI): unreachable target, no key, bad credentials. */
export class EngineStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineStartError';
  }
}

export interface ResolvedTarget {
  client: Anthropic;
  baseUrl: string;
  close(): Promise<void>;
}

export interface TargetOptions {
  apiKey?: string;
  catalog: Catalog;
  fetch?: typeof globalThis.fetch;
  /** Skip the reachability check (tests with a fake fetch). */
  skipPreflight?: boolean;
  /** Where the built-in simulator runs (overrides the scenario's); default a worker thread. */
  simulatorIn?: SimulatorPlacement;
}

/** worker: own thread and event loop (default); in-process: the caller's loop (tests, injected clocks). */
export type SimulatorPlacement = 'worker' | 'in-process';

const simulatorKey = 'simulator-local-key';

export async function resolveTarget(scenario: Scenario, opts: TargetOptions): Promise<ResolvedTarget> {
  const t = scenario.target;
  let baseUrl: string;
  let close = async () => {};
  let apiKey = opts.apiKey;
  if (t.kind === 'simulator') {
    const simOptions = {
      tier: t.tier,
      latency: t.latency,
      timeScale: t.timeScale,
      seed: t.seed,
      catalog: opts.catalog,
      ...(t.faultRate !== undefined ? { faultRate: t.faultRate } : {}),
      ...(t.fault !== undefined ? { fault: t.fault } : {}),
      ...(t.capacity !== undefined ? { capacity: t.capacity } : {}),
      ...(t.limits !== undefined ? { limits: t.limits } : {}),
      ...(t.burstSeconds !== undefined ? { burstSeconds: t.burstSeconds } : {}),
      ...(t.accelerationLimit !== undefined ? { accelerationLimit: t.accelerationLimit } : {}),
    };
    // Loaded on demand: runs against a real API need none of the simulator. By default it runs in a
    // worker thread: its own event loop, so a high rate measures the simulator, not a shared, saturated
    // loop (at 1,000 streamed req/s in-process, p99 was 20x p95).
    const host = await import('../simulator/workerHost');
    const inWorker =
      (opts.simulatorIn ?? t.simulatorIn ?? 'worker') === 'worker' && host.simulatorWorkerFile();
    const sim = inWorker
      ? await host.startSimulatorInWorker(simOptions)
      : await (await import('../simulator/index')).startSimulator(simOptions);
    baseUrl = sim.url;
    close = () => sim.close();
    apiKey = simulatorKey; // the user's key never goes to the simulator
  } else {
    baseUrl = t.baseUrl;
    if (!apiKey) {
      throw new EngineStartError(
        `no API key for ${baseUrl}: set ANTHROPIC_API_KEY (CLI) or run "Claude: Set API Key" (VS Code), or target the simulator`,
      );
    }
  }
  // undici's fetch (the library Node's built-in fetch wraps, a newer release) costs ~15 % less CPU per
  // streamed request here than the global one: more headroom before the generator is the bottleneck.
  const baseFetch = opts.fetch ?? (undiciFetch as unknown as typeof globalThis.fetch);
  // The run's own connection pool: aborting the run cuts its connections once (cutConnectionsOnAbort in request.ts),
  // so no request carries the run's AbortSignal. Passing that signal cost one abort listener per request
  // on one shared signal (added and removed by walking every in-flight listener, plus a finalizer):
  // ~25 % more CPU per request than a bare SDK loop. Injected fetches keep the per-request signal.
  const pool = opts.fetch ? undefined : new Agent({ keepAliveTimeout: 60_000 });
  // In SDK-retry mode every attempt bumps the request's counter (request.ts attemptCounter).
  const countingFetch: typeof globalThis.fetch = (input, init) => {
    const counter = (init as { [attemptCounter]?: AttemptCounter } | undefined)?.[attemptCounter];
    if (counter) counter.count++;
    return baseFetch(input, init);
  };
  const client = new Anthropic({
    apiKey,
    baseURL: baseUrl,
    maxRetries: scenario.retries === 'sdk' ? 2 : 0,
    timeout: scenario.timeoutMs,
    fetch: scenario.retries === 'sdk' ? countingFetch : baseFetch,
    ...(pool ? { fetchOptions: { dispatcher: pool } as Record<string, unknown> } : {}),
  });
  if (pool) {
    registerConnectionPool(client, pool);
    const closeSimulator = close;
    close = async () => {
      await pool.destroy().catch(() => {});
      await closeSimulator();
    };
  }
  if (!opts.skipPreflight) {
    try {
      await preflight(client);
    } catch (e) {
      await close();
      throw e;
    }
  }
  return { client, baseUrl, close };
}

/** GET /v1/models: free, proves the host answers and the key is accepted. */
async function preflight(client: Anthropic): Promise<void> {
  try {
    await client.models.list({ limit: 1 }, { timeout: 15_000, maxRetries: 1 });
  } catch (e) {
    if (e instanceof APIConnectionError) {
      throw new EngineStartError(
        `cannot reach ${client.baseURL}: ${e.message.replace(/\.+$/, '')}. Check the base URL and the network.`,
      );
    }
    if (e instanceof AuthenticationError || e instanceof PermissionDeniedError) {
      throw new EngineStartError(`${client.baseURL} refused the API key (HTTP ${e.status}). Check the key.`);
    }
    // Other statuses (e.g. a proxy without /v1/models) do not stop the run.
  }
}

// The load engine: schedules requests (closed or open loop), measures them, and emits typed events
// (start / tick / sample / warning / done). UIs only listen. Cancellation through AbortSignal keeps
// partial results.
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import type { Catalog } from '../catalog/index';
import { builtinCatalog } from '../catalog/index';
import { MetricHistogram } from '../metrics/histogram';
import { metricDefinitions } from '../report/definitions';
import { diagnose } from '../report/diagnosis';
import { seededRandom } from '../util/random';
import { TypedEmitter } from './emitter';
import { createRequestFactory, type PlannedRequest } from './prompts';
import { Recorder } from './recorder';
import { sendMeasured } from './request';
import { arrivalTimes, rampDurationMs } from './schedule';
import { bucketOf, buildResult, buildSummary, sloFromThresholds } from './summary';
import { resolveTarget, type ResolvedTarget } from './target';
import type {
  Diagnosis,
  EngineEvent,
  EngineHealth,
  RequestSample,
  RunResult,
  Scenario,
  StopReason,
} from './types';

export interface EngineOptions {
  /** Key for the Anthropic API or a custom base URL; never needed for the simulator. */
  apiKey?: string;
  catalog?: Catalog;
  signal?: AbortSignal;
  /** Injected fetch (tests, proxies); passed to the SDK. */
  fetch?: typeof globalThis.fetch;
  /** Monotonic clock in ms. */
  clock?: () => number;
  /** Wall clock for timestamps in the result. */
  now?: () => Date;
  tickMs?: number;
  skipPreflight?: boolean;
  /** Defaults to the report module's rules and definitions. */
  diagnose?: (input: Pick<RunResult, 'scenario' | 'summary' | 'timeseries'>) => Diagnosis[];
  definitions?: Record<string, string>;
}

/** A running load test. Attach listeners, then await `done` (resolves with partial results on abort). */
export class LoadTestRun extends TypedEmitter<EngineEvent> {
  readonly done: Promise<RunResult>;
  private readonly controller = new AbortController();

  constructor(scenario: Scenario, options: EngineOptions) {
    super();
    options.signal?.addEventListener('abort', () => this.abort(), { once: true });
    if (options.signal?.aborted) this.controller.abort();
    // Start on the next turn so listeners attached after construction see `start`.
    this.done = new Promise<void>((r) => setImmediate(r)).then(() =>
      execute(
        scenario,
        options,
        this.controller.signal,
        (e) => this.emit(e),
        (t) => this.hasListeners(t),
      ),
    );
  }

  /** Stops sending, aborts in-flight requests and resolves `done` with what was measured. */
  abort(): void {
    this.controller.abort();
  }
}

export function startLoadTest(scenario: Scenario, options: EngineOptions = {}): LoadTestRun {
  return new LoadTestRun(scenario, options);
}

async function execute(
  scenario: Scenario,
  options: EngineOptions,
  stopSignal: AbortSignal,
  emit: (e: EngineEvent) => void,
  listening: (type: EngineEvent['type']) => boolean,
): Promise<RunResult> {
  const catalog = options.catalog ?? builtinCatalog;
  const clock = options.clock ?? (() => performance.now());
  const now = options.now ?? (() => new Date());
  const tickMs = options.tickMs ?? 1000;
  const random = seededRandom(scenario.seed);
  const plan = createRequestFactory(scenario, catalog, random);
  const target: ResolvedTarget = await resolveTarget(scenario, {
    apiKey: options.apiKey,
    catalog,
    fetch: options.fetch,
    skipPreflight: options.skipPreflight,
  });

  const openLoop = scenario.load.type !== 'concurrency';
  const slo = sloFromThresholds(scenario.thresholds);
  const rec = new Recorder(catalog, openLoop, slo);
  const inflightAbort = new AbortController();
  // Every in-flight request listens on this one signal: thousands are expected, not a leak.
  setMaxListeners(0, inflightAbort.signal);
  const schedulerLag = new MetricHistogram();
  const startedAt = now();
  const t0 = clock();
  const elapsed = () => clock() - t0;
  const eluStart = performance.eventLoopUtilization();
  const cpuStart = process.cpuUsage();
  const warnings: string[] = [];
  const warn = (message: string) => {
    if (warnings.includes(message)) return;
    warnings.push(message);
    emit({ type: 'warning', message });
  };

  let stopReason: StopReason | undefined;
  let inFlight = 0;
  // Admitted but not finished, including requests waiting for an in-flight slot (p-limit queue).
  let outstanding = 0;
  let inflightWorstCost = 0;
  let scheduled = 0;
  let lastEnd = 0;
  let wakeScheduler: (() => void) | undefined;
  let idleResolve: (() => void) | undefined;
  const stopSending = (reason: StopReason) => {
    stopReason ??= reason;
    wakeScheduler?.();
  };
  const onAbort = () => {
    stopSending('aborted');
    inflightAbort.abort();
  };
  stopSignal.addEventListener('abort', onAbort, { once: true });
  if (stopSignal.aborted) onAbort();
  const durationMs = scenario.durationMs ?? rampDurationMs(scenario.load);

  emit({ type: 'start', scenario, startedAt: startedAt.toISOString(), targetUrl: target.baseUrl });

  // 1-second windows on the engine clock; each closes with a tick event.
  let eluWindow = performance.eventLoopUtilization();
  let tickIndex = 0;
  let tickTimer: NodeJS.Timeout | undefined;
  const tick = () => {
    const w = rec.closeWindow(inFlight);
    const e = performance.eventLoopUtilization(eluWindow);
    eluWindow = performance.eventLoopUtilization();
    if (e.utilization > 0.8) {
      warn(
        `the load generator's event loop was ${Math.round(e.utilization * 100)} % busy: results may measure the generator, not the target`,
      );
    }
    emit({
      type: 'tick',
      window: w,
      totals: {
        sent: rec.sent,
        completed: rec.completed,
        inFlight,
        costUsd: rec.costUsd,
        elapsedS: elapsed() / 1000,
      },
    });
  };
  const armTick = () => {
    tickIndex++;
    tickTimer = setTimeout(
      () => {
        tick();
        armTick();
      },
      Math.max(0, tickIndex * tickMs - elapsed()),
    );
  };
  armTick();

  const admit = (p: PlannedRequest): boolean => {
    if (stopReason) return false;
    if (scenario.requests !== undefined && scheduled >= scenario.requests)
      return (stopSending('requests'), false);
    if (scenario.durationMs !== undefined && elapsed() >= scenario.durationMs)
      return (stopSending('duration'), false);
    if (
      scenario.maxCostUsd !== undefined &&
      rec.costUsd + inflightWorstCost + p.worstCaseCostUsd > scenario.maxCostUsd
    ) {
      return (stopSending('budget'), false);
    }
    scheduled++;
    outstanding++;
    inflightWorstCost += p.worstCaseCostUsd;
    return true;
  };

  const fire = async (index: number, intendedAt: number, p: PlannedRequest): Promise<void> => {
    inFlight++;
    // Counted when it goes out, so each 1-second window shows what was sent in it.
    rec.onSent(Math.max(0, elapsed() - intendedAt));
    const attemptKey = scenario.retries === 'sdk' ? String(index) : undefined;
    const m = await sendMeasured({
      client: target.client,
      body: p.body,
      stream: scenario.stream,
      signal: inflightAbort.signal,
      clock: elapsed,
      attemptKey,
    });
    inFlight--;
    inflightWorstCost -= p.worstCaseCostUsd;
    const attempts = attemptKey ? (target.attempts.get(attemptKey) ?? 1) : 1;
    if (attemptKey) target.attempts.delete(attemptKey);
    const sample: RequestSample = { index, model: p.model, intendedAt, ...m, attempts, costUsd: 0 };
    sample.costUsd = rec.costOf(p.model, sample);
    rec.record(sample, bucketOf(catalog, p.model));
    lastEnd = Math.max(lastEnd, m.endAt);
    if (listening('sample')) emit({ type: 'sample', sample });
    outstanding--;
    if (outstanding === 0) idleResolve?.();
  };

  try {
    if (scenario.load.type === 'concurrency') {
      let nextIndex = 0;
      const worker = async () => {
        for (;;) {
          const p = plan(nextIndex);
          if (!admit(p)) return;
          const i = nextIndex++;
          await fire(i, elapsed(), p);
        }
      };
      await Promise.all(Array.from({ length: scenario.load.concurrency }, worker));
    } else {
      // Open loop: each request has an intended time; the in-flight cap queues (p-limit), and latency
      // is measured from the intended time so a stalled target cannot hide (coordinated omission).
      const limit = pLimit(scenario.load.maxInFlight);
      const times = arrivalTimes(scenario.load, random)!;
      for (let index = 0, next = times.next(); !next.done && !stopReason; index++, next = times.next()) {
        const due = next.value;
        if (durationMs !== undefined && due >= durationMs) {
          stopSending(scenario.durationMs !== undefined ? 'duration' : 'completed');
          break;
        }
        await sleepUntil(due);
        if (stopReason) break;
        schedulerLag.record(Math.max(0, elapsed() - due));
        const p = plan(index);
        if (!admit(p)) break;
        void limit(() => fire(index, due, p));
      }
      if (!stopReason) stopSending('completed');
    }
    // Let in-flight requests finish, up to the graceful-stop limit, then abort the rest.
    if (outstanding > 0) {
      const grace = inflightAbort.signal.aborted
        ? undefined
        : setTimeout(() => inflightAbort.abort(), scenario.gracefulStopMs);
      await new Promise<void>((r) => {
        idleResolve = r;
        if (outstanding === 0) r();
      });
      clearTimeout(grace);
    }
  } catch (e) {
    stopReason = 'failed';
    warn(`the run failed: ${(e as Error).message}`);
    inflightAbort.abort();
  } finally {
    clearTimeout(tickTimer);
    stopSignal.removeEventListener('abort', onAbort);
    await target.close().catch(() => {});
  }

  const end = Math.max(lastEnd, 1);
  if (rec.windows.length === 0 || rec.sent + rec.completed > 0) rec.closeWindow(inFlight);
  const wallMs = elapsed();
  const cpu = process.cpuUsage(cpuStart);
  const lagP99 = schedulerLag.percentile(99);
  if (openLoop && lagP99 > 10)
    warn(
      `sends went out up to ${lagP99.toFixed(1)} ms late (p99 timer lateness): the generator is saturated`,
    );
  const health: EngineHealth = {
    eventLoopUtilization: performance.eventLoopUtilization(eluStart).utilization,
    cpuCores: (cpu.user + cpu.system) / 1000 / Math.max(1, wallMs),
    timerLatenessMs: openLoop
      ? { p50: schedulerLag.percentile(50), p99: lagP99, max: schedulerLag.percentile(100) }
      : null,
    warnings,
  };
  if (scenario.target.kind === 'simulator')
    health.warnings.push('the simulator ran in the same process: CPU figures include it');
  const summary = buildSummary({
    rec,
    scenario,
    durationMs: end,
    stopReason: stopReason ?? 'completed',
    health,
    openLoop,
    hasSlo: slo !== undefined,
  });
  const result = buildResult({
    rec,
    scenario,
    summary,
    catalog,
    startedAt,
    endedAt: now(),
    targetUrl: target.baseUrl,
    diagnose: options.diagnose ?? diagnose,
    definitions: options.definitions ?? metricDefinitions,
  });
  emit({ type: 'done', result });
  return result;

  async function sleepUntil(dueMs: number): Promise<void> {
    // One timer per send, rounded up to whole ms, re-checked against the clock: timers can fire early,
    // so never send before due. (Busy-waiting the last millisecond would buy little and cost a core.)
    for (;;) {
      const wait = dueMs - elapsed();
      if (wait <= 0 || stopReason) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.ceil(wait));
        function done() {
          clearTimeout(timer);
          wakeScheduler = undefined;
          resolve();
        }
        wakeScheduler = done;
      });
    }
  }
}

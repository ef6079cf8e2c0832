// The load engine. A run reads as: the arrival schedule (schedule.ts) -> the admission gates
// (admission/: stop conditions, budget, in-flight cap, then any the caller adds, e.g. a shared rate
// limiter) -> the dispatcher that sends and measures (dispatcher.ts) -> the recorder (recorder.ts).
// It emits typed events (start / tick / sample / warning / done); UIs only listen. Cancellation
// through AbortSignal keeps partial results.
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Catalog } from '../catalog/index';
import { builtinCatalog, findModel } from '../catalog/index';
import { MetricHistogram } from '../metrics/histogram';
import { seededRandom } from '../util/random';
import {
  AdmissionPipeline,
  BudgetGate,
  InFlightCapGate,
  StopConditionsGate,
  type AdmissionGate,
  type AdmissionOutcome,
  type AdmissionRequest,
} from './admission/index';
import { Dispatcher } from './dispatcher';
import { TypedEmitter } from './emitter';
import { createRequestFactory, type PlannedRequest } from './prompts';
import { Recorder } from './recorder';
import { arrivalTimes, rampDurationMs } from './schedule';
import { buildResult, buildSummary, sloFromThresholds } from './summary';
import { resolveTarget, type ResolvedTarget } from './target';
import { WindowTicker } from './ticker';
import { WarningLog } from './warnings';
import type { Diagnosis, EngineEvent, EngineHealth, RunResult, Scenario, StopReason } from '../model/run';

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
  /** Extra admission gates, after the engine's own (e.g. a rate limiter shared through Redis). */
  gates?: AdmissionGate[];
  /**
   * Distributed load generation: whether this generator sends request `index` of the shared schedule
   * (e.g. `i % agents === agentId`). Requests it skips are neither sent nor counted, yet keep their
   * place: intended send times, prompts and models stay those of the full schedule (the seeded draws
   * are made for every index, in order), so open-loop latency is measured from the shared schedule.
   * `scenario.requests` counts the whole schedule. Must return true for some index in every stretch
   * of the schedule.
   */
  shouldSend?: (index: number) => boolean;
  /**
   * Wall-clock instant (ms since the epoch, on `now()`) at which the run starts: the engine resolves
   * the target, then waits for it, so agents on several machines start together.
   */
  startAt?: number;
  /**
   * Diagnosis rules and metric definitions for the result; the caller passes the report module's
   * (`reportHooks`), so the engine does not depend on the reports. Without them: none.
   */
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

/** Waits until `now()` reaches `startAt` (ms since the epoch); an abort ends the wait at once. */
export async function waitForWallClock(startAt: number, now: () => Date, signal: AbortSignal): Promise<void> {
  for (;;) {
    const wait = startAt - now().getTime();
    if (wait <= 0 || signal.aborted) return;
    // Timers can fire early and clocks can be stepped: wake at most every second and look again.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(1000, Math.ceil(wait)));
      signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}

/** Stop reasons after which requests waiting in a gate are turned away instead of sent. */
const turnAwayWaiting: ReadonlySet<StopReason> = new Set(['aborted', 'budget', 'failed']);

/** A saturated event loop for this many 1-second windows is worth a warning (not one busy second). */
const busyWindowsForWarning = 2;

function admissionRequest(index: number, p: PlannedRequest, intendedAt: number): AdmissionRequest {
  return {
    index,
    model: p.model,
    inputTokens: p.estimatedInputTokens,
    maxOutputTokens: p.maxOutputTokens,
    inputCostUsd: p.inputCostUsd,
    outputTokenCostUsd: p.outputTokenCostUsd,
    intendedAt,
  };
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
  const random = seededRandom(scenario.seed);
  const plan = createRequestFactory(scenario, catalog, random);
  const target: ResolvedTarget = await resolveTarget(scenario, {
    apiKey: options.apiKey,
    catalog,
    fetch: options.fetch,
    skipPreflight: options.skipPreflight,
  });

  // A shared start instant: everything slow (client, preflight) is done before it.
  if (options.startAt !== undefined) await waitForWallClock(options.startAt, now, stopSignal);

  const openLoop = scenario.load.type !== 'concurrency';
  const shouldSend = options.shouldSend;
  /** Another generator's request: make its seeded draws so ours stay those of the full schedule. */
  const skip = (index: number) => void plan(index);
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
  const warnings = new WarningLog((message) => emit({ type: 'warning', message }));
  const warn = (kind: string, message: string, worst?: number) => warnings.report(kind, message, worst);
  const durationMs = scenario.durationMs ?? rampDurationMs(scenario.load);

  // Admission: the engine's gates, then the caller's.
  const budget =
    scenario.maxCostUsd !== undefined ? new BudgetGate(scenario.maxCostUsd, () => rec.costUsd) : undefined;
  const gates: AdmissionGate[] = [
    new StopConditionsGate({ requests: scenario.requests, durationMs: scenario.durationMs }, elapsed),
    ...(budget ? [budget] : []),
    ...(scenario.load.type !== 'concurrency' ? [new InFlightCapGate(scenario.load.maxInFlight)] : []),
    ...(options.gates ?? []),
  ];
  const durationOver = (): StopReason | undefined =>
    scenario.durationMs !== undefined && elapsed() >= scenario.durationMs ? 'duration' : undefined;
  const pipeline = new AdmissionPipeline(gates, elapsed, openLoop ? undefined : durationOver);

  let stopReason: StopReason | undefined;
  let stopDetail: string | undefined;
  /** When sending stopped (engine clock): the end of the send window; the drain follows. */
  let sendStoppedAt: number | undefined;
  /** Open loop: arrivals the schedule offered before sending stopped. */
  let offered = 0;
  let wakeScheduler: (() => void) | undefined;
  const stopSending = (reason: StopReason, detail?: string, at = elapsed()) => {
    if (!stopReason) {
      stopReason = reason;
      stopDetail = detail;
      sendStoppedAt = at;
    }
    if (turnAwayWaiting.has(reason)) pipeline.stop(reason);
    wakeScheduler?.();
  };
  const onAbort = () => {
    stopSending('aborted');
    inflightAbort.abort();
  };
  stopSignal.addEventListener('abort', onAbort, { once: true });
  if (stopSignal.aborted) onAbort();

  const dispatcher = new Dispatcher(
    scenario,
    catalog,
    target,
    rec,
    elapsed,
    inflightAbort.signal,
    (sample) => {
      if (listening('sample')) emit({ type: 'sample', sample });
    },
  );

  // Admitted (or waiting in a gate) but not finished.
  let outstanding = 0;
  let idleResolve: (() => void) | undefined;
  const settle = () => {
    outstanding--;
    if (outstanding === 0) idleResolve?.();
  };
  const sendAdmitted = async (req: AdmissionRequest, p: PlannedRequest, queueWaitMs: number) => {
    const sample = await dispatcher.send(req.index, req.intendedAt, p, queueWaitMs);
    pipeline.settled(req, sample);
  };
  const onTurnedAway = (a: Extract<AdmissionOutcome, { admitted: false }>, at?: number) =>
    stopSending(a.reason, a.detail, at);

  emit({ type: 'start', scenario, startedAt: startedAt.toISOString(), targetUrl: target.baseUrl });
  const unpriced = scenario.models.filter((m) => !findModel(catalog, m.model)).map((m) => m.model);
  if (unpriced.length)
    warn(
      'unpriced-model',
      `${unpriced.join(', ')} ${unpriced.length > 1 ? 'are' : 'is'} not in the catalog: cost is shown as unknown ` +
        '(price it with a catalog override, --catalog FILE).',
    );
  const ticker = new WindowTicker(
    rec,
    options.tickMs ?? 1000,
    elapsed,
    () => ({ sent: rec.sent, completed: rec.completed, inFlight: dispatcher.inFlight, costUsd: rec.costUsd }),
    emit,
  );
  ticker.start();
  // The run's duration ends sending even while requests wait in a gate (closed loop).
  let durationTimer: NodeJS.Timeout | undefined;
  if (scenario.durationMs !== undefined) {
    const armDuration = () => {
      durationTimer = setTimeout(
        () => (durationOver() ? stopSending('duration') : armDuration()),
        Math.max(0, Math.ceil(scenario.durationMs! - elapsed())),
      );
    };
    armDuration();
  }

  try {
    if (scenario.load.type === 'concurrency') {
      let nextIndex = 0;
      const worker = async () => {
        while (!stopReason) {
          if (shouldSend) {
            while (!shouldSend(nextIndex)) skip(nextIndex++);
            // The request count is the shared schedule's: past it, this generator's share is done.
            if (scenario.requests !== undefined && nextIndex >= scenario.requests)
              return stopSending('requests');
          }
          const index = nextIndex++;
          const p = plan(index);
          const req = admissionRequest(index, p, elapsed());
          // Awaited only when a gate holds: most admissions are synchronous, and an await costs a hop.
          const admission = pipeline.admit(req);
          const a = admission instanceof Promise ? await admission : admission;
          if (!a.admitted) return onTurnedAway(a);
          outstanding++;
          try {
            // sendAdmitted inlined: one async frame (and its promise) fewer per request.
            const sent = { ...req, intendedAt: elapsed() };
            pipeline.settled(sent, await dispatcher.send(index, sent.intendedAt, p, a.queueWaitMs));
          } finally {
            settle();
          }
        }
      };
      // Never more workers than requests.
      const workers = Math.min(scenario.load.concurrency, scenario.requests ?? Infinity);
      await Promise.all(Array.from({ length: workers }, worker));
    } else {
      // Open loop: each request has an intended time, and latency is measured from it, so a stalled
      // target cannot hide (coordinated omission). Waiting in a gate is part of that latency.
      const times = arrivalTimes(scenario.load, random)!;
      for (let index = 0, next = times.next(); !next.done && !stopReason; index++, next = times.next()) {
        const due = next.value;
        if (durationMs !== undefined && due >= durationMs) {
          // The window is what was planned, even though the last send went out a little earlier.
          stopSending(scenario.durationMs !== undefined ? 'duration' : 'completed', undefined, durationMs);
          break;
        }
        if (shouldSend) {
          if (scenario.requests !== undefined && index >= scenario.requests) {
            // Where the full schedule's request count would turn this one away: the window ends here.
            await sleepUntil(due);
            stopSending('requests', undefined, due);
            break;
          }
          if (!shouldSend(index)) {
            skip(index);
            continue;
          }
        }
        await sleepUntil(due);
        if (stopReason) break;
        offered++;
        schedulerLag.record(Math.max(0, elapsed() - due));
        const p = plan(index);
        const req = admissionRequest(index, p, due);
        const a = pipeline.admit(req);
        if (!(a instanceof Promise) && !a.admitted) {
          offered--; // turned away at once: it marks the end of the window, it was not offered within it
          onTurnedAway(a, due);
          break;
        }
        outstanding++;
        void Promise.resolve(a)
          .then((r) => (r.admitted ? sendAdmitted(req, p, r.queueWaitMs) : onTurnedAway(r)))
          .finally(settle);
      }
      if (!stopReason) stopSending('completed');
    }
    // Let in-flight requests finish, up to the graceful-stop limit, then abort the rest.
    if (outstanding > 0) {
      const grace = inflightAbort.signal.aborted
        ? undefined
        : setTimeout(() => {
            pipeline.stop('aborted');
            inflightAbort.abort();
          }, scenario.gracefulStopMs);
      await new Promise<void>((r) => {
        idleResolve = r;
        if (outstanding === 0) r();
      });
      clearTimeout(grace);
    }
  } catch (e) {
    stopReason = 'failed';
    warn('failed', `the run failed: ${(e as Error).message}`);
    pipeline.stop('failed');
    inflightAbort.abort();
  } finally {
    ticker.stop();
    clearTimeout(durationTimer);
    stopSignal.removeEventListener('abort', onAbort);
    await target.close().catch(() => {});
  }

  const end = Math.max(dispatcher.lastEndAt, 1);
  // Closed loop: the workers are the load until the last response, so there is no separate drain
  // unless something stopped the run early (duration, budget, user).
  const closedLoopToEnd = !openLoop && (stopReason === 'requests' || stopReason === 'completed');
  const sendWindowMs = closedLoopToEnd ? end : Math.min(end, sendStoppedAt ?? end);
  if (rec.windows.length === 0 || rec.sent + rec.completed > 0) rec.closeWindow(dispatcher.inFlight);
  const wallMs = elapsed();
  const cpu = process.cpuUsage(cpuStart);
  const lagP99 = schedulerLag.percentile(99);
  if (ticker.busyWindows >= busyWindowsForWarning)
    warn(
      'event-loop',
      `the load generator's event loop was up to ${Math.round(ticker.worstEventLoopUse * 100)} % busy ` +
        `in ${ticker.busyWindows} one-second windows: results may measure the generator, not the target`,
      ticker.worstEventLoopUse,
    );
  // Late sends matter only when they are large against the latency being measured.
  const latencyP50 = rec.latency.percentile(50);
  if (openLoop && wallMs >= 2000 && lagP99 > 10 && lagP99 > 0.1 * latencyP50)
    warn(
      'late-sends',
      `sends went out up to ${lagP99.toFixed(1)} ms late (p99 timer lateness): the generator is saturated`,
      lagP99,
    );
  if (budget && stopReason === 'budget' && stopDetail)
    warn('budget', `the budget stopped sending: ${stopDetail}`);
  const health: EngineHealth = {
    eventLoopUtilization: performance.eventLoopUtilization(eluStart).utilization,
    cpuCores: (cpu.user + cpu.system) / 1000 / Math.max(1, wallMs),
    timerLatenessMs: openLoop
      ? { p50: schedulerLag.percentile(50), p99: lagP99, max: schedulerLag.percentile(100) }
      : null,
    warnings: warnings.messages,
  };
  if (scenario.target.kind === 'simulator')
    health.warnings.push('the simulator ran in the same process: CPU figures include it');
  const summary = buildSummary({
    rec,
    scenario,
    durationMs: end,
    sendWindowMs,
    offered,
    stopReason: stopReason ?? 'completed',
    health,
    openLoop,
    hasSlo: slo !== undefined,
    budget: budget?.describe(),
  });
  const result = buildResult({
    rec,
    scenario,
    summary,
    catalog,
    startedAt,
    endedAt: now(),
    targetUrl: target.baseUrl,
    diagnose: options.diagnose ?? (() => []),
    definitions: options.definitions ?? {},
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

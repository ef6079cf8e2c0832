// The sweep runner: one engine run per step over the engine's public API (startLoadTest + events).
// `rates` walks a list of offered rates; `auto` measures a closed-loop baseline, doubles the rate until
// the SLO fails, then bisects. Each step ramps from the previous rate, discards its warm-up and is judged
// from its samples (stepStats.ts). The whole sweep stops early on over-saturation, the error budget,
// the spend budget or an abort, and says which.
import { builtinCatalog, type Catalog } from '../catalog/index';
import { startLoadTest, TypedEmitter, type EngineOptions } from '../engine/index';
import type { LoadShape, RequestSample, Scenario } from '../model/run';
import { toolVersion } from '../version';
import { bindingOf, kneeOf, maxSustainable, predictMax } from './analysis';
import { parseSlo, type SloBound } from './slo';
import { stepStats } from './stepStats';
import type { StepPhase, SweepEvent, SweepOptions, SweepResult, SweepStep, SweepStopReason } from './types';

/** Runs against the simulator send this key; the user's key never goes there. */
const simulatorKey = 'simulator-local-key';
const defaultErrorBudget = 0.25;
const defaultPrecision = 0.05;
/** Auto mode never starts below this rate (req/s), whatever the baseline measured. */
const minStartRps = 0.05;
const maxHalvings = 6;

/** A running sweep. Attach listeners, then await `done` (resolves with the partial sweep on abort). */
export class SweepRun extends TypedEmitter<SweepEvent> {
  readonly done: Promise<SweepResult>;
  private readonly controller = new AbortController();

  constructor(options: SweepOptions, engine: EngineOptions) {
    super();
    engine.signal?.addEventListener('abort', () => this.abort(), { once: true });
    if (engine.signal?.aborted) this.controller.abort();
    this.done = new Promise<void>((r) => setImmediate(r)).then(() =>
      runSweep(options, { ...engine, signal: this.controller.signal }, (e) => this.emit(e)),
    );
  }

  /** Stops the current step and the sweep; `done` resolves with the steps measured so far. */
  abort(): void {
    this.controller.abort();
  }
}

export function startSweep(options: SweepOptions, engine: EngineOptions = {}): SweepRun {
  return new SweepRun(options, engine);
}

interface Stop {
  reason: SweepStopReason;
  detail?: string;
}

async function runSweep(
  o: SweepOptions,
  engine: EngineOptions,
  emit: (e: SweepEvent) => void,
): Promise<SweepResult> {
  const catalog: Catalog = engine.catalog ?? builtinCatalog;
  const bounds: SloBound[] = parseSlo(o.slo ?? []);
  const sloExprs = bounds.map((b) => b.expr);
  const arrival = o.arrival ?? 'constant';
  const rampMs = o.rampMs ?? o.warmupMs;
  const startedAt = new Date();
  const warnings = new Set<string>();
  const warningKinds = new Set<string>();
  const steps: SweepStep[] = [];
  const signal = engine.signal!;
  const base = o.scenario;
  const t = base.target;
  const timeScale = t.kind === 'simulator' ? t.timeScale : 1;
  let costUsd = 0;
  let stop: Stop | undefined;
  let prevRealRps: number | undefined;

  // One simulator for the whole sweep, so its buckets carry over from step to step as a real API's do.
  let stepTarget = t;
  let stepEngine: EngineOptions = engine;
  let closeSim = async () => {};
  if (t.kind === 'simulator') {
    const { startSimulator } = await import('../simulator/index');
    const sim = await startSimulator({
      tier: t.tier,
      latency: t.latency,
      timeScale: t.timeScale,
      seed: t.seed,
      catalog,
      ...(t.faultRate !== undefined ? { faultRate: t.faultRate } : {}),
      ...(t.fault !== undefined ? { fault: t.fault } : {}),
      ...(t.capacity !== undefined ? { capacity: t.capacity } : {}),
      ...(t.limits !== undefined ? { limits: t.limits } : {}),
      ...(o.simulatorBurstSeconds !== undefined ? { burstSeconds: o.simulatorBurstSeconds } : {}),
    });
    stepTarget = { kind: 'url', baseUrl: sim.url };
    stepEngine = { ...engine, apiKey: simulatorKey, skipPreflight: true };
    closeSim = () => sim.close();
  }

  emit({ type: 'start', mode: o.mode, slo: sloExprs, timeScale });

  const runStep = async (phase: StepPhase, offeredRps: number | null): Promise<SweepStep | undefined> => {
    if (signal.aborted) {
      stop ??= { reason: 'aborted' };
      return undefined;
    }
    const index = steps.length;
    const maxInFlight = o.maxInFlight ?? (base.load.type === 'concurrency' ? 1000 : base.load.maxInFlight);
    let load: LoadShape;
    let durationMs: number | undefined;
    let fromMs: number;
    if (offeredRps === null) {
      load = { type: 'concurrency', concurrency: 1 };
      durationMs = o.warmupMs + o.stepDurationMs;
      fromMs = o.warmupMs;
    } else {
      const real = offeredRps * timeScale;
      if (arrival === 'constant' && rampMs > 0) {
        // Gradual change from the previous step's rate (the API has acceleration limits).
        load = {
          type: 'ramp',
          startRps: prevRealRps ?? 0,
          stages: [
            { durationMs: rampMs, rps: real },
            { durationMs: o.warmupMs + o.stepDurationMs, rps: real },
          ],
          maxInFlight,
        };
        fromMs = rampMs + o.warmupMs;
      } else {
        load = { type: 'rate', rps: real, arrival, maxInFlight };
        durationMs = o.warmupMs + o.stepDurationMs;
        fromMs = o.warmupMs;
      }
      prevRealRps = real;
    }
    const scenario: Scenario = {
      ...base,
      name: `${base.name} step ${index + 1}`,
      target: stepTarget,
      load,
      thresholds: {},
      ...(durationMs !== undefined ? { durationMs } : { durationMs: undefined }),
      requests: undefined,
      maxCostUsd: o.maxCostUsd === undefined ? undefined : Math.max(1e-9, o.maxCostUsd - costUsd),
    };
    emit({ type: 'step-start', index, phase, offeredRps });
    const samples: RequestSample[] = [];
    const run = startLoadTest(scenario, stepEngine);
    run.on('sample', (e) => samples.push(e.sample));
    // The same engine warning from every step, numbers aside, is reported once (with its first step).
    run.on('warning', (e) => {
      const kind = e.message.replace(/\d+(\.\d+)?/g, '#');
      if (!warningKinds.has(kind)) {
        warningKinds.add(kind);
        warnings.add(`step ${index + 1}: ${e.message}`);
      }
    });
    run.on('tick', (e) => emit({ type: 'step-progress', index, ...e.totals }));
    const result = await run.done;
    const step = stepStats(
      index,
      phase,
      offeredRps,
      samples,
      { fromMs, toMs: fromMs + o.stepDurationMs, timeScale },
      bounds,
      catalog,
    );
    // Everything the step spent counts toward the budget, warm-up and ramp included.
    costUsd += result.summary.costUsd;
    step.costUsd = result.summary.costUsd;
    steps.push(step);
    emit({ type: 'step', step });
    if (result.summary.stopReason === 'aborted' || signal.aborted) stop ??= { reason: 'aborted' };
    else if (
      result.summary.stopReason === 'budget' ||
      (o.maxCostUsd !== undefined && costUsd >= o.maxCostUsd)
    )
      stop ??= { reason: 'spend-budget', detail: `spent $${costUsd.toFixed(4)} of $${o.maxCostUsd}` };
    else if (step.otherErrorsRate > (o.errorBudget ?? defaultErrorBudget))
      stop ??= {
        reason: 'error-budget',
        detail: `step ${index + 1}: ${(step.otherErrorsRate * 100).toFixed(1)} % errors other than 429/529`,
      };
    else if (o.mode === 'rates' && (step.overSaturated.inFlight || step.overSaturated.ttft))
      stop ??= {
        reason: 'over-saturation',
        detail: `step ${index + 1}: ${step.overSaturated.inFlight ? 'in-flight requests' : 'TTFT'} rose steadily`,
      };
    return step;
  };

  let failed: Error | undefined;
  try {
    if (o.mode === 'rates') {
      for (const r of o.rates ?? []) {
        await runStep('rates', r);
        if (stop) break;
      }
    } else {
      await autoSearch(
        o,
        runStep,
        () => stop,
        (s) => (stop ??= s),
      );
    }
  } catch (e) {
    failed = e as Error;
    stop ??= { reason: 'failed', detail: failed.message };
  } finally {
    await closeSim().catch(() => {});
  }

  const best = maxSustainable(steps);
  const rated = steps.filter((s) => s.offeredRps !== null);
  const prediction = (() => {
    try {
      return predictMax(base, steps, catalog, o.tier);
    } catch (e) {
      warnings.add(`no prediction: ${(e as Error).message}`);
      return null;
    }
  })();
  const measuredRpm = best.rps === null ? null : best.rps * 60;
  for (const s of steps)
    if (s.achievedShortfall)
      warnings.add(
        `step ${s.index + 1}: achieved ${s.achievedRps.toFixed(2)} req/s of ${s.offeredRps?.toFixed(2)} offered (< 98 %)`,
      );
  const result: SweepResult = {
    kind: 'sweep',
    schemaVersion: 1,
    tool: { name: 'claude-load-scale', version: toolVersion },
    name: base.name,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    mode: o.mode,
    scenario: base,
    timeScale,
    slo: sloExprs,
    settings: { stepDurationMs: o.stepDurationMs, warmupMs: o.warmupMs, rampMs, arrival },
    steps,
    maxSustainableRps: best.rps,
    maxSustainableRpm: measuredRpm,
    maxSustainableInterval: best.interval,
    binding: bindingOf(steps),
    kneeRps: kneeOf(rated.map((s) => ({ x: s.offeredRps!, y: s.outputTokensPerSec }))),
    prediction,
    predictedMaxRpm: prediction?.maxRpm ?? null,
    predictionErrorPct:
      prediction && measuredRpm !== null
        ? ((measuredRpm - prediction.maxRpm) / prediction.maxRpm) * 100
        : null,
    stopReason: stop?.reason ?? (o.mode === 'rates' ? 'completed' : 'converged'),
    ...(stop?.detail ? { stopDetail: stop.detail } : {}),
    costUsd,
    warnings: [...warnings],
  };
  emit({ type: 'done', result });
  return result;
}

type StepRunner = (phase: StepPhase, offeredRps: number | null) => Promise<SweepStep | undefined>;

/** Baseline at concurrency 1, doubling until a probe fails (halving first if the start fails), then bisection. */
async function autoSearch(
  o: SweepOptions,
  runStep: StepRunner,
  stopped: () => Stop | undefined,
  setStop: (s: Stop) => void,
): Promise<void> {
  const cap = o.maxRate ?? Infinity;
  const baseline = await runStep('baseline', null);
  if (!baseline || stopped()) return;
  let rate = Math.min(cap, o.startRate ?? Math.max(minStartRps, baseline.okRps));
  let pass: number | undefined;
  let fail: number | undefined;
  let halvings = 0;
  for (;;) {
    const s = await runStep('doubling', rate);
    if (!s || stopped()) return;
    if (s.pass) {
      pass = rate;
      if (fail !== undefined) break;
      if (rate >= cap) {
        setStop({ reason: 'max-rate', detail: `every probe up to --max-rate ${cap} req/s passed` });
        return;
      }
      rate = Math.min(cap, rate * 2);
    } else {
      fail = rate;
      if (pass !== undefined) break;
      // The first probe failed: halve until one passes.
      if (++halvings > maxHalvings) return;
      rate /= 2;
    }
  }
  const precision = o.precision ?? defaultPrecision;
  while (pass !== undefined && fail !== undefined && (fail - pass) / pass > precision) {
    const mid: number = (pass + fail) / 2;
    const s = await runStep('bisection', mid);
    if (!s || stopped()) return;
    if (s.pass) pass = mid;
    else fail = mid;
  }
}

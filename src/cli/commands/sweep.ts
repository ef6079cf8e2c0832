// claude-load sweep: the max sustainable rate under an SLO, what binds, and the planner's prediction
// beside it. Options arrive typed and validated (the CLI parser maps flags onto SweepCommandOptions);
// progress goes to stderr, results to stdout.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  EngineStartError,
  JsoncError,
  parseJsonc,
  parseScenario,
  reportHooks,
  ScenarioError,
  SimulatorConfigError,
  type Catalog,
  type Scenario,
} from '../../core/index';
import {
  evaluateSweepThresholds,
  parseSweepThreshold,
  serializeSweep,
  SloError,
  startSweep,
  sweepSentence,
  writeSweepOutputs,
  describeBinding,
  parseSlo,
  SweepFileError,
  type SweepResult,
} from '../../core/sweep/index';
import { writeFileAtomic } from '../../core/util/atomicWrite';
import { CliError, EXIT, type CliIo } from '../cliError';
import { loadReportAssets } from '../reportAssets';

export interface SweepCommandOptions {
  /** Plan file (positional); flags override it. */
  plan?: string;
  /** `--simulate[=tier]`: the in-process simulator at this tier. */
  simulate?: string;
  simLatency?: 'realistic' | 'fast' | 'zero';
  timeScale?: number;
  baseUrl?: string;
  model?: string;
  inputTokens?: number;
  /** `--output-tokens`: max_tokens per request. */
  outputTokens?: number;
  stream?: boolean;
  /** `--rates 1,2,5,10` (req/s). Exactly one of rates / auto. */
  rates?: number[];
  auto?: boolean;
  arrival?: 'constant' | 'poisson';
  maxRate?: number;
  startRate?: number;
  precision?: number;
  stepDurationMs: number;
  warmupMs: number;
  rampMs?: number;
  slo?: string[];
  maxCostUsd?: number;
  errorBudget?: number;
  /** Tier for the prediction when the target is not the simulator. */
  tier?: string;
  burstSeconds?: number;
  maxInFlight?: number;
  thresholds?: string[];
  out?: string;
  json?: boolean;
  name?: string;
  seed?: number;
  catalog?: Catalog;
  /** The report stylesheet (tests); default: the built report app's styles.css. */
  reportCss?: string;
  signal?: AbortSignal;
}

/** Plan object from the file, overridden by flags (same precedence as `run`). */
function scenarioOf(o: SweepCommandOptions): Scenario {
  let raw: Record<string, unknown> = {};
  let baseDir = process.cwd();
  if (o.plan) {
    try {
      raw = parseJsonc(readFileSync(o.plan, 'utf8'), o.plan) as Record<string, unknown>;
    } catch (e) {
      throw new CliError(
        e instanceof JsoncError ? e.message : `plan file ${o.plan}: ${(e as Error).message}`,
      );
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw new CliError(`plan file ${o.plan} must hold a JSON object`);
    baseDir = dirname(resolve(o.plan));
  }
  if (o.simulate !== undefined)
    raw.target = {
      simulator: {
        tier: o.simulate,
        ...(o.simLatency ? { latency: o.simLatency } : {}),
        ...(o.timeScale !== undefined ? { timeScale: o.timeScale } : {}),
      },
    };
  else if (o.baseUrl) raw.target = { baseUrl: o.baseUrl };
  else if (!o.plan) raw.target = 'anthropic';
  if (o.model) {
    delete raw.mix;
    raw.model = o.model;
  }
  if (o.outputTokens !== undefined) raw.maxTokens = o.outputTokens;
  if (o.stream !== undefined) raw.stream = o.stream;
  if (o.inputTokens !== undefined) {
    delete raw.prompt;
    raw.prompts = { type: 'synthetic', inputTokens: o.inputTokens };
  }
  if (o.name !== undefined) raw.name = o.name;
  if (o.seed !== undefined) raw.seed = o.seed;
  // Each step sets its own load and duration; the plan only needs to be valid.
  raw.load ??= { type: 'rate', rps: 1 };
  if (raw.requests === undefined && raw.duration === undefined) raw.duration = '1s';
  try {
    return parseScenario(raw, { catalog: o.catalog, baseDir, source: o.plan });
  } catch (e) {
    if (e instanceof ScenarioError) throw new CliError(`${o.plan ? `${o.plan}: ` : ''}${e.message}`);
    throw e;
  }
}

const f2 = (v: number | null) => (v === null ? '-' : v.toFixed(2));

export function sweepText(r: SweepResult): string {
  const lines = [`${r.name}: ${r.mode} sweep, SLO ${r.slo.join(', ')}`, ''];
  lines.push(
    'step  phase      offered/s  achieved/s  goodput/s  p95 ms  ttft p95  429     529     cost      SLO',
  );
  for (const s of r.steps)
    lines.push(
      [
        String(s.index + 1).padEnd(4),
        s.phase.padEnd(9),
        f2(s.offeredRps).padStart(10),
        (f2(s.achievedRps) + (s.achievedShortfall ? '!' : ' ')).padStart(11),
        f2(s.goodputRps).padStart(10),
        s.latency.p95.toFixed(0).padStart(7),
        s.ttft.p95.toFixed(0).padStart(9),
        `${(s.rateLimitedRate * 100).toFixed(1)}%`.padStart(6),
        `${(s.overloadedRate * 100).toFixed(1)}%`.padStart(6),
        `$${s.costUsd.toFixed(4)}`.padStart(9),
        s.pass ? ' pass' : ' FAIL',
      ].join(' '),
    );
  lines.push('');
  lines.push(sweepSentence(r));
  lines.push(
    `binding: ${describeBinding(r.binding)}; stopped: ${r.stopReason}${r.stopDetail ? ` (${r.stopDetail})` : ''}`,
  );
  if (r.kneeRps !== null) lines.push(`knee of output tokens/s at ${r.kneeRps.toFixed(2)} req/s offered`);
  if (r.timeScale !== 1)
    lines.push(`simulator time scale ${r.timeScale}x: rates in simulated time, latencies in real ms`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/** The `--json` object: the result minus the scenario echo, with the headline fields on top. */
export function sweepJson(r: SweepResult): Record<string, unknown> {
  return {
    name: r.name,
    mode: r.mode,
    maxSustainableRpm: r.maxSustainableRpm,
    maxSustainableRps: r.maxSustainableRps,
    maxSustainableInterval: r.maxSustainableInterval,
    binding: r.binding,
    predictedMaxRpm: r.predictedMaxRpm,
    predictionErrorPct: r.predictionErrorPct,
    prediction: r.prediction,
    kneeRps: r.kneeRps,
    stopReason: r.stopReason,
    stopDetail: r.stopDetail ?? null,
    costUsd: r.costUsd,
    timeScale: r.timeScale,
    slo: r.slo,
    steps: r.steps,
    warnings: r.warnings,
  };
}

export async function sweepCommand(o: SweepCommandOptions, io: CliIo): Promise<number> {
  if (!!o.auto === (o.rates !== undefined && o.rates.length > 0))
    throw new CliError('use exactly one of --rates (e.g. --rates 1,2,5) or --auto');
  try {
    parseSlo(o.slo ?? []);
    for (const t of o.thresholds ?? []) parseSweepThreshold(t);
  } catch (e) {
    if (e instanceof SloError || e instanceof SweepFileError) throw new CliError(e.message);
    throw e;
  }
  const scenario = scenarioOf(o);
  const controller = new AbortController();
  o.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const onSigint = () => {
    io.stderr.write('\nstopping the sweep: the steps measured so far are kept\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const run = startSweep(
    {
      scenario,
      mode: o.auto ? 'auto' : 'rates',
      ...(o.rates ? { rates: o.rates } : {}),
      ...(o.arrival ? { arrival: o.arrival } : {}),
      ...(o.maxRate !== undefined ? { maxRate: o.maxRate } : {}),
      ...(o.startRate !== undefined ? { startRate: o.startRate } : {}),
      ...(o.precision !== undefined ? { precision: o.precision } : {}),
      stepDurationMs: o.stepDurationMs,
      warmupMs: o.warmupMs,
      ...(o.rampMs !== undefined ? { rampMs: o.rampMs } : {}),
      slo: o.slo ?? [],
      ...(o.maxCostUsd !== undefined ? { maxCostUsd: o.maxCostUsd } : {}),
      ...(o.errorBudget !== undefined ? { errorBudget: o.errorBudget } : {}),
      ...(o.tier !== undefined ? { tier: o.tier } : {}),
      ...(o.burstSeconds !== undefined ? { simulatorBurstSeconds: o.burstSeconds } : {}),
      ...(o.maxInFlight !== undefined ? { maxInFlight: o.maxInFlight } : {}),
    },
    { ...reportHooks, apiKey: io.env.ANTHROPIC_API_KEY, catalog: o.catalog, signal: controller.signal },
  );
  run.on('step-start', (e) =>
    io.stderr.write(
      `step ${e.index + 1} (${e.phase}): ${e.offeredRps === null ? 'concurrency 1 baseline' : `${e.offeredRps.toFixed(3)} req/s`}\n`,
    ),
  );
  run.on('step', (e) =>
    io.stderr.write(
      `  achieved ${e.step.achievedRps.toFixed(2)}/s, goodput ${e.step.goodputRps.toFixed(2)}/s, ` +
        `p95 ${e.step.latency.p95.toFixed(0)} ms, 429 ${(e.step.rateLimitedRate * 100).toFixed(1)} % -> ${e.step.pass ? 'pass' : 'fail'}\n`,
    ),
  );
  run.on('warning', (e) => io.stderr.write(`warning: ${e.message}\n`));
  let result: SweepResult;
  try {
    result = await run.done;
  } catch (e) {
    if (e instanceof EngineStartError) throw new CliError(e.message, EXIT.cannotStart);
    if (e instanceof SimulatorConfigError) throw new CliError(`simulator: ${e.message}`);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (result.stopReason === 'failed' && result.steps.length === 0)
    throw new CliError(
      `the sweep could not start: ${result.stopDetail ?? 'unknown error'}`,
      EXIT.cannotStart,
    );
  if (o.out) await saveSweep(result, o.out, o.reportCss, io);
  const thresholds = evaluateSweepThresholds(o.thresholds ?? [], result);
  if (o.json) io.stdout.write(JSON.stringify({ ...sweepJson(result), thresholds }, null, 2) + '\n');
  else {
    io.stdout.write(sweepText(result) + '\n');
    for (const t of thresholds)
      io.stdout.write(
        `threshold ${t.expr}: ${t.pass ? 'pass' : 'FAIL'} (${t.value === null ? t.message : t.value})\n`,
      );
  }
  return thresholds.some((t) => !t.pass) ? EXIT.thresholdFailed : EXIT.ok;
}

/** sweep.json first, so a missing report bundle never loses the measurements. */
async function saveSweep(r: SweepResult, out: string, css: string | undefined, io: CliIo): Promise<void> {
  let styles = css;
  if (styles === undefined) {
    try {
      styles = loadReportAssets().css;
    } catch (e) {
      const path = resolve(out, 'sweep.json');
      await writeFileAtomic(path, serializeSweep(r));
      io.stderr.write(`saved ${path} (no report.html: ${(e as Error).message})\n`);
      return;
    }
  }
  const paths = await writeSweepOutputs(r, out, styles);
  io.stderr.write(`saved ${paths.sweepJson}\nreport ${paths.html}\n`);
}

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
  type SweepOptions,
  type SweepResult,
} from '../../core/sweep/index';
import { writeFileAtomic } from '../../core/util/atomicWrite';
import { CliError, EXIT, type CliIo } from '../cliError';
import { checkKeyPolicy, prepareOut } from '../execute';
import { Command, Option } from 'commander';
import { parseDuration } from '../../core/util/duration';
import { loadCatalogOption } from '../catalogOption';
import { cliCommand } from '../command';
import { collect, numberFlag, urlFlag } from '../options';
import { loadReportAssets } from '../reportAssets';

/** The flags that are the core sweep's own options keep their core names, types and docs. */
type SweepFlagsFromCore = Pick<
  SweepOptions,
  | 'rates'
  | 'arrival'
  | 'maxRate'
  | 'startRate'
  | 'precision'
  | 'stepDurationMs'
  | 'warmupMs'
  | 'rampMs'
  | 'slo'
  | 'maxCostUsd'
  | 'errorBudget'
  | 'tier'
  | 'maxInFlight'
>;

export interface SweepCommandOptions extends SweepFlagsFromCore {
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
  /** Exactly one of `rates` (`--rates 1,2,5,10`, req/s) / `auto`. */
  auto?: boolean;
  burstSeconds?: number;
  thresholds?: string[];
  out?: string;
  json?: boolean;
  name?: string;
  seed?: number;
  catalog?: Catalog;
  /** --allow-host: hosts the key may go to besides api.anthropic.com and --base-url. */
  allowHosts?: string[];
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
  if (o.out) await prepareOut(o.out);
  // The same key policy as run: a shared plan file must not be able to collect the key.
  checkKeyPolicy(scenario, {
    apiKey: io.env.ANTHROPIC_API_KEY,
    source: o.plan,
    baseUrlFlag: o.baseUrl,
    allowHosts: [...(o.allowHosts ?? []), ...(io.env.CLAUDE_LOAD_ALLOWED_HOSTS ?? '').split(',')].filter(
      Boolean,
    ),
  });
  const controller = new AbortController();
  o.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let interrupted = false;
  const onSigint = () => {
    if (controller.signal.aborted) return io.exitNow(EXIT.interrupted);
    interrupted = true;
    io.stderr.write(
      '\nstopping the sweep: the steps measured so far are kept (Ctrl-C again quits at once)\n',
    );
    controller.abort();
  };
  io.signals.on('SIGINT', onSigint);
  io.signals.on('SIGTERM', onSigint);
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
    io.signals.off('SIGINT', onSigint);
    io.signals.off('SIGTERM', onSigint);
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
  // As `run`: a sweep the user interrupted exits 130 once what was measured is saved and printed.
  if (interrupted) return EXIT.interrupted;
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

interface SweepParsed {
  simulate?: string | true;
  simLatency?: 'realistic' | 'fast' | 'zero';
  timeScale?: number;
  baseUrl?: string;
  allowHost?: string[];
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  stream?: boolean;
  rates?: number[];
  auto?: boolean;
  arrival?: 'constant' | 'poisson';
  maxRate?: number;
  startRate?: number;
  precision?: number;
  stepDuration: string;
  warmup: string;
  ramp?: string;
  slo?: string[];
  maxCost?: number;
  errorBudget?: number;
  tier?: string;
  burstSeconds?: number;
  maxInFlight?: number;
  threshold?: string[];
  out?: string;
  json?: boolean;
  name?: string;
  seed?: number;
  catalog?: string;
}

/** "1,2,5,10" -> [1, 2, 5, 10]; every rate > 0. */
function ratesFlag(text: string): number[] {
  const parse = numberFlag('--rates');
  const rates = text.split(',').map((r) => parse(r.trim()));
  if (rates.length > 50) throw new CliError(`--rates takes at most 50 steps (got ${rates.length})`);
  return rates;
}

/** A duration of 0 or more (warm-up and ramp may be "0s"). */
function durationMsFlag(flag: string, text: string): number {
  // Warm-up and ramp may be switched off.
  if (/^\s*0\s*(ms|s|m|h)?\s*$/.test(text)) return 0;
  try {
    const ms = parseDuration(text, flag);
    if (ms > 3_600_000) throw new CliError(`${flag} must be at most 1h (got "${text}")`);
    return ms;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${flag}: use a number with a unit, e.g. 30s, 5m (got "${text}")`);
  }
}

export const sweepCli = cliCommand<SweepParsed>({
  name: 'sweep',
  define: () =>
    new Command('sweep')
      .summary('find the max sustainable rate under an SLO (a capacity search), with the planner beside it')
      .description(
        'Runs open-loop steps at rising rates (--rates, or --auto: baseline, doubling, then bisection) and ' +
          'judges each against the SLO with a confidence interval. Reports the max sustainable rate, what ' +
          "binds (a rate-limit bucket and limit, latency or errors), the knee, and the planner's prediction " +
          'for the same workload and tier. Ctrl-C keeps the steps measured so far.',
      )
      .usage('[plan.claudeload.json] (--rates LIST | --auto) [options]')
      .argument('[plan]', 'a plan file (*.claudeload.json); flags override it')
      .addOption(
        new Option('--simulate [tier]', 'built-in simulator, no key (default build)').conflicts('baseUrl'),
      )
      .addOption(
        new Option('--sim-latency <mode>', 'simulator latency (default realistic)').choices([
          'realistic',
          'fast',
          'zero',
        ]),
      )
      .option(
        '--time-scale <x>',
        'simulator time compression (rates are then in simulated time)',
        numberFlag('--time-scale', { max: 1000 }),
      )
      .option('--base-url <url>', 'an Anthropic-compatible URL (the key may go there)', urlFlag('--base-url'))
      .option('--allow-host <host>', 'another host ANTHROPIC_API_KEY may go to (repeatable)', collect)
      .option('--model <id>', 'model')
      .option(
        '--input-tokens <n>',
        'synthetic prompts of about N tokens',
        numberFlag('--input-tokens', { int: true, max: 1_000_000 }),
      )
      .option(
        '--output-tokens <n>',
        'max_tokens and a prompt asking for about N words',
        numberFlag('--output-tokens', { int: true, max: 128_000 }),
      )
      .addOption(new Option('--stream', 'stream replies (TTFT measured)'))
      .addOption(new Option('--no-stream', 'do not stream'))
      .addOption(
        new Option('--rates <list>', 'rates to step through, req/s, e.g. 1,2,5,10')
          .argParser(ratesFlag)
          .conflicts('auto'),
      )
      .option('--auto', 'search automatically: baseline, doubling until the SLO fails, then bisection')
      .addOption(
        new Option('--arrival <kind>', 'arrivals within a step (default constant)').choices([
          'constant',
          'poisson',
        ]),
      )
      .option(
        '--max-rate <r>',
        'highest rate --auto may try, req/s',
        numberFlag('--max-rate', { max: 10_000 }),
      )
      .option(
        '--start-rate <r>',
        'first rate --auto tries after the baseline, req/s',
        numberFlag('--start-rate', { max: 10_000 }),
      )
      .option(
        '--precision <p>',
        '--auto stops when the bracket is this narrow, 0..1 (default 0.05)',
        numberFlag('--precision', { max: 1 }),
      )
      .option('--step-duration <d>', 'measured time per step', '30s')
      .option('--warmup <d>', 'warm-up per step, left out of its statistics', '5s')
      .option('--ramp <d>', "gradual ramp from the previous step's rate")
      .option(
        '--slo <expr>',
        'SLO bounds beside errors.rate<0.01 and rateLimited.rate<0.01, e.g. "latency.p95<8000,ttft.p95<2000" (repeatable)',
        collect,
      )
      .option('--max-cost <usd>', 'stop the whole sweep before it spends more', numberFlag('--max-cost'))
      .option(
        '--error-budget <share>',
        'stop when this share of all requests failed, 0..1',
        numberFlag('--error-budget', { max: 1 }),
      )
      .option('--tier <tier>', "tier for the planner's prediction (default: the simulator's)")
      .option(
        '--burst-seconds <s>',
        'simulator: short-interval enforcement (see simulate --help)',
        numberFlag('--burst-seconds', { max: 60 }),
      )
      .option(
        '--max-in-flight <n>',
        'open-loop cap on requests in flight',
        numberFlag('--max-in-flight', { int: true, max: 100_000 }),
      )
      .option(
        '--threshold <expr>',
        'CI gate on the result, e.g. "maxSustainableRpm>=500" (repeatable; exit 1 when it fails)',
        collect,
      )
      .option('--out <dir>', 'write sweep.json, sweep.csv and report.html there')
      .option('--json', 'print the result as JSON')
      .option('--name <name>', 'name of the sweep')
      .option(
        '--seed <n>',
        'seed for prompts and arrivals',
        numberFlag('--seed', { int: true, min: 0, exclusiveMin: false }),
      )
      .option('--catalog <file>', 'a catalog override file (prices, limits, tiers)'),
  examples: [
    'claude-load sweep --simulate --sim-latency fast --time-scale 20 --rates 5,10 --step-duration 3s --warmup 1s',
    'claude-load sweep plan.claudeload.json --auto --slo "latency.p95<8000" --out .claude-load/sweeps/checkout',
    'claude-load sweep --simulate=scale --auto --threshold "maxSustainableRpm>=500" --json',
  ],
  run: (p, [plan], io) =>
    sweepCommand(
      {
        plan,
        ...(p.simulate !== undefined ? { simulate: p.simulate === true ? 'build' : p.simulate } : {}),
        simLatency: p.simLatency,
        timeScale: p.timeScale,
        baseUrl: p.baseUrl,
        allowHosts: p.allowHost,
        model: p.model,
        inputTokens: p.inputTokens,
        outputTokens: p.outputTokens,
        stream: p.stream,
        rates: p.rates,
        auto: p.auto,
        arrival: p.arrival,
        maxRate: p.maxRate,
        startRate: p.startRate,
        precision: p.precision,
        stepDurationMs: durationMsFlag('--step-duration', p.stepDuration),
        warmupMs: durationMsFlag('--warmup', p.warmup),
        rampMs: p.ramp !== undefined ? durationMsFlag('--ramp', p.ramp) : undefined,
        slo: p.slo
          ?.flatMap((x) => x.split(','))
          .map((x) => x.trim())
          .filter(Boolean),
        maxCostUsd: p.maxCost,
        errorBudget: p.errorBudget,
        tier: p.tier,
        burstSeconds: p.burstSeconds,
        maxInFlight: p.maxInFlight,
        thresholds: p.threshold,
        out: p.out,
        json: p.json,
        name: p.name,
        seed: p.seed,
        catalog: p.catalog !== undefined ? loadCatalogOption(p.catalog) : undefined,
      },
      io,
    ),
});

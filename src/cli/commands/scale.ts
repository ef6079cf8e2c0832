// claude-load scale: rehearse a scale-out on the simulator. N real instance processes per mode
// (none, fixed-window, shared, queue) on identical offered load against one simulator process holding
// the org's limits; one table (or --json) comparing 429s, utilisation, fairness and latency; with
// --out, scale.json and an offline report.html. Options arrive typed and validated (the CLI wiring
// parses the flags); a plan file gives the workload, flags override it.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { CatalogError } from '../../core/catalog/index';
import type { RateLimits } from '../../core/limiter/index';
import { ScenarioError } from '../../core/planFile/index';
import {
  RedisServerMissingError,
  runScale,
  SCALE_MODES,
  scaleTable,
  scaleWorkload,
  ScaleWorkloadError,
  writeScaleOutputs,
} from '../../core/scale/index';
import type { ModeResult, ScaleMode, ScaleResult, ScaleWorkload } from '../../core/scale/index';
import { JsoncError, parseJsonc } from '../../core/util/jsonc';
import { parseDuration } from '../../core/util/duration';
import { CliError, EXIT } from '../cliError';
import type { CliIo, CliSignal } from '../cliError';
import { cliCommand } from '../command';
import { prepareOut } from '../execute';
import { durationFlag, numberFlag } from '../options';
import { loadReportAssets } from '../reportAssets';

/** Bounds that keep a rehearsal on one machine (each instance is an OS process). */
export const scaleBounds = {
  instances: 64,
  rps: 10_000,
  durationMs: 3_600_000,
  requestsPerMode: 1_000_000,
} as const;

export interface ScaleOptions {
  /** A load-test plan file: model, prompts, max_tokens, the simulator's tier / limits / burst / time scale. */
  plan?: string;
  instances: number;
  /** Offered requests/s of all instances together (simulated time); or `offered` as a multiple of the RPM limit. */
  rate?: number;
  offered?: number;
  durationMs: number;
  modes: ScaleMode[];
  skew: number;
  /** Limits: a tier of the catalog (for the model's bucket) or explicit figures; default the plan's, else build. */
  tier?: string;
  limits?: RateLimits;
  burstSeconds?: number;
  /** The shared limiter's quotaMs in the shared and queue modes. */
  quotaMs?: number;
  model?: string;
  maxTokens?: number;
  redis?: string;
  timeScale?: number;
  json: boolean;
  out?: string;
  /** The report stylesheet (tests); default: the built report app's styles.css. */
  reportCss?: string;
}

/** The workload of the plan file (if any) with the flags on top; every problem names its field or flag. */
export function resolveWorkload(o: ScaleOptions): ScaleWorkload {
  let plan: Record<string, unknown> | undefined;
  let text: string | undefined;
  if (o.plan) {
    try {
      text = readFileSync(o.plan, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read plan file ${o.plan}: ${(e as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = parseJsonc(text, o.plan);
    } catch (e) {
      throw new CliError(
        e instanceof JsoncError ? e.message : `plan file ${o.plan}: ${(e as Error).message}`,
      );
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw new CliError(`plan file ${o.plan} must hold a JSON object`);
    plan = raw as Record<string, unknown>;
  }
  try {
    return scaleWorkload(
      plan,
      {
        model: o.model,
        maxTokens: o.maxTokens,
        tier: o.tier,
        limits: o.limits,
        burstSeconds: o.burstSeconds,
        timeScale: o.timeScale,
      },
      o.plan ? { baseDir: dirname(resolve(o.plan)), source: o.plan, text } : {},
    );
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof ScaleWorkloadError || e instanceof CatalogError)
      throw new CliError(o.plan && !e.message.startsWith(o.plan) ? `${o.plan}: ${e.message}` : e.message);
    throw e;
  }
}

export function formatScaleTable(r: ScaleResult): string {
  const table = scaleTable(r);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return table.map(line).join('\n') + '\n';
}

/**
 * The offered load in requests per real second (--rate and --offered are in simulated time, as in
 * `sweep`: the simulator and the limiter run `timeScale` times faster) and its bounds, naming the flags.
 */
function offeredRate(o: ScaleOptions, w: ScaleWorkload): number {
  const rps = (o.rate ?? ((o.offered ?? 2) * w.limits.rpm) / 60) * w.timeScale;
  const from = o.rate !== undefined ? '--rate' : `--offered ${o.offered ?? 2}x of ${w.limits.rpm} RPM`;
  if (rps > scaleBounds.rps)
    throw new CliError(
      `${from}${w.timeScale !== 1 ? ` at --time-scale ${w.timeScale}` : ''} asks for ${rps.toFixed(0)} req/s: ` +
        `at most ${scaleBounds.rps} on one machine; lower it`,
    );
  const perMode = (rps * o.durationMs) / 1000;
  if (perMode > scaleBounds.requestsPerMode)
    throw new CliError(
      `--duration ${o.durationMs / 1000}s at ${rps.toFixed(0)} req/s (${from}) is ${Math.round(perMode)} requests a mode: ` +
        `at most ${scaleBounds.requestsPerMode}; shorten --duration or lower the rate`,
    );
  return rps;
}

/** scale.json after each mode and at the end (with report.html): an interruption keeps what was measured. */
async function saveScale(r: ScaleResult, o: ScaleOptions, io: CliIo, final: boolean): Promise<void> {
  if (!o.out) return;
  let css = o.reportCss;
  if (final && css === undefined) {
    try {
      css = loadReportAssets().css;
    } catch (e) {
      io.stderr.write(`no report.html: ${(e as Error).message}\n`);
    }
  }
  const paths = await writeScaleOutputs(r, o.out, final ? css : undefined);
  if (final) io.stderr.write(`saved ${paths.scaleJson}\n${paths.html ? `report ${paths.html}\n` : ''}`);
}

/** --quota-ms: only where a shared limiter runs, and at most half the burst window (it comes out of the burst). */
function checkQuota(o: ScaleOptions, w: ScaleWorkload): void {
  if (!o.quotaMs) return;
  if (!o.modes.includes('shared') && !o.modes.includes('queue'))
    throw new CliError('--quota-ms applies to the shared and queue modes; --modes has neither');
  const half = (w.burstSeconds * 1000) / w.timeScale / 2;
  if (o.quotaMs > half)
    throw new CliError(
      `--quota-ms must be at most half the burst window (${w.burstSeconds} s burst / time scale ${w.timeScale} / 2 = ` +
        `${+half.toFixed(1)} ms; got ${o.quotaMs}): lower it or raise --burst-seconds`,
    );
}

export async function scaleCommand(options: ScaleOptions, io: CliIo): Promise<number> {
  const workload = resolveWorkload(options);
  const offeredRps = offeredRate(options, workload);
  checkQuota(options, workload);
  if (options.out) await prepareOut(options.out);
  const log = options.json ? () => undefined : (line: string) => void io.stderr.write(line + '\n');
  log(
    `${workload.name}: ${options.instances} instances, ${workload.model}, ${offeredRps.toFixed(1)} req/s (real time) offered, ` +
      `limits ${workload.limits.rpm} RPM / ${workload.limits.itpm} ITPM / ${workload.limits.otpm} OTPM (${workload.limitsFrom})`,
  );

  // Ctrl-C / SIGTERM: the running mode's instances stop and report, later modes are skipped, what was
  // measured is saved and printed. A second one quits at once (the children die with this process).
  const controller = new AbortController();
  let interruptedBy: CliSignal | undefined;
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const listener = () => {
      if (interruptedBy) {
        io.stderr.write(`\n${signal} again: quitting without saving\n`);
        io.exitNow(EXIT.interrupted);
        return;
      }
      interruptedBy = signal;
      io.stderr.write(
        `\n${signal}: stopping the instances, then saving what was measured (again quits at once)\n`,
      );
      controller.abort();
    };
    io.signals.on(signal, listener);
    return { signal, listener };
  });

  const base = {
    instances: options.instances,
    offeredRps,
    durationMs: options.durationMs,
    limits: workload.limits,
    burstSeconds: workload.burstSeconds,
    ...(options.quotaMs ? { quotaMs: options.quotaMs } : {}),
    timeScale: workload.timeScale,
  };
  const finished: ModeResult[] = [];
  let result: ScaleResult;
  try {
    result = await runScale({
      ...base,
      modes: options.modes,
      skew: options.skew,
      model: workload.model,
      maxTokens: workload.maxTokens,
      bodies: workload.bodies,
      redisUrl: options.redis,
      log,
      signal: controller.signal,
      onMode: async (m) => {
        finished.push(m);
        // Not yet the final file (marked interrupted until the last mode): a failure here is retried at the end.
        await saveScale({ ...base, modes: finished, interrupted: true }, options, io, false).catch(
          (e: unknown) =>
            io.stderr.write(`warning: could not save scale.json yet: ${(e as Error).message}\n`),
        );
      },
    });
  } catch (e) {
    if (e instanceof RedisServerMissingError) throw new CliError(e.message, EXIT.cannotStart);
    // What finished before the failure stays in scale.json (written after each mode).
    throw new CliError(
      `${(e as Error).message}${finished.length && options.out ? ` (modes finished before it are in ${options.out}/scale.json)` : ''}`,
      EXIT.cannotStart,
    );
  } finally {
    for (const { signal, listener } of listeners) io.signals.off(signal, listener);
  }
  let saveFailed = false;
  try {
    await saveScale(result, options, io, true);
  } catch (e) {
    saveFailed = true;
    io.stderr.write(`could not save the results into ${options.out}: ${(e as Error).message}\n`);
  }
  if (options.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else
    io.stdout.write(
      (interruptedBy ? `interrupted by ${interruptedBy}: partial results\n` : '') + formatScaleTable(result),
    );
  if (interruptedBy) return EXIT.interrupted;
  return saveFailed ? EXIT.cannotStart : EXIT.ok;
}

interface ScaleParsed {
  instances: number;
  rate?: number;
  offered?: string;
  duration: string;
  modes: string;
  skew: number;
  tier?: string;
  rpm?: number;
  itpm?: number;
  otpm?: number;
  burstSeconds?: number;
  quotaMs?: number;
  model?: string;
  maxTokens?: number;
  redis?: string;
  timeScale?: number;
  json?: boolean;
  out?: string;
}

/** "2x" or "2" -> 2: offered load as a multiple of the org's RPM limit. */
function offeredFlag(text: string): number {
  const n = Number(text.trim().replace(/x$/i, ''));
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 100)
    throw new CliError(
      `--offered must be a multiple of the RPM limit above 0 and at most 100, e.g. 2x (got "${text}")`,
    );
  return n;
}

/** "none,shared" -> modes in order; unknown, repeated or no modes are named. */
export function modesFlag(text: string): ScaleMode[] {
  const modes = text.split(',').map((m) => m.trim());
  if (modes.every((m) => m === ''))
    throw new CliError(`--modes needs at least one of ${SCALE_MODES.join(', ')} (got "${text}")`);
  for (const m of modes)
    if (!(SCALE_MODES as readonly string[]).includes(m))
      throw new CliError(`--modes: unknown mode "${m}" (use ${SCALE_MODES.join(', ')}, comma-separated)`);
  const repeated = modes.find((m, i) => modes.indexOf(m) !== i);
  if (repeated) throw new CliError(`--modes: "${repeated}" is listed twice`);
  return modes as ScaleMode[];
}

/** A redis:// or rediss:// URL. */
function redisFlag(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:'))
    throw new CliError(
      `--redis must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 (got "${text}")`,
    );
  return text;
}

/** --duration: above 0 and at most an hour a mode. */
function scaleDuration(text: string): number {
  const ms = parseDuration(text, '--duration');
  if (ms > scaleBounds.durationMs) throw new CliError(`--duration must be at most 1h a mode (got "${text}")`);
  return ms;
}

export const scaleCli = cliCommand<ScaleParsed>({
  name: 'scale',
  define: () =>
    new Command('scale')
      .summary('rehearse a scale-out on the simulator: N instances, one org limit, four ways to coordinate')
      .description(
        "Starts one simulator process holding the org's limits (short-interval enforcement on) and, for each " +
          'mode in turn on identical offered load, N real OS processes as app instances: none (each alone, SDK ' +
          'retries on), fixed-window (the Redis INCR + EXPIRE pattern), shared (the shared limiter) and queue ' +
          '(BullMQ + the shared limiter). Reports 429 share, utilisation of the limit, fairness (Jain) and ' +
          'latency including limiter/queue wait. A plan file gives the workload (model, prompts, max_tokens, ' +
          "the simulator target's tier, limits, burst and time scale); flags override it. Needs redis-server " +
          'on PATH (or --redis URL). Ctrl-C stops every child process and saves what was measured.',
      )
      .argument('[plan]', 'a load-test plan file (*.claudeload.json) for the workload')
      .option(
        '--instances <n>',
        `app instances, each an OS process (1..${scaleBounds.instances})`,
        numberFlag('--instances', { int: true, max: scaleBounds.instances }),
        8,
      )
      .option(
        '--rate <r>',
        'offered requests/s of all instances together (simulated time)',
        numberFlag('--rate', { max: scaleBounds.rps }),
      )
      .addOption(
        new Option(
          '--offered <x>',
          'offered load as a multiple of the RPM limit, e.g. 2x (default 2x)',
        ).conflicts('rate'),
      )
      .option('--duration <d>', 'measured time per mode, at most 1h', durationFlag('--duration'), '20s')
      .option('--modes <list>', 'modes to compare, in order', 'none,fixed-window,shared,queue')
      .option(
        '--skew <s>',
        'uneven shares across instances, 0 (even) .. 0.9',
        numberFlag('--skew', { min: 0, exclusiveMin: false, max: 0.9 }),
        0,
      )
      .option('--tier <tier>', "the org's tier for the model's bucket (default: the plan's, else build)")
      .option(
        '--rpm <n>',
        "the org's requests per minute (with --itpm, --otpm, instead of --tier)",
        numberFlag('--rpm'),
      )
      .option('--itpm <n>', 'input tokens per minute', numberFlag('--itpm'))
      .option('--otpm <n>', 'output tokens per minute', numberFlag('--otpm'))
      .option(
        '--burst-seconds <s>',
        "short-interval enforcement of the simulator and the limiter (default: the plan's, else 1 s, or longer when 1 s of a small tier's limit holds less than one request)",
        numberFlag('--burst-seconds', { max: 60 }),
      )
      .option(
        '--quota-ms <ms>',
        "the shared limiter reserves this much of each instance's requests ahead and admits from it without a round trip (shared and queue modes; at most half the burst window; default 0: off)",
        numberFlag('--quota-ms', { min: 0, exclusiveMin: false, max: 30_000 }),
      )
      .option('--model <id>', "model (default: the plan's, else claude-haiku-4-5)")
      .option(
        '--max-tokens <n>',
        "max_tokens per request (default: the plan's, else 64)",
        numberFlag('--max-tokens', { int: true, max: 128_000 }),
      )
      .option(
        '--redis <url>',
        'an existing Redis (default: start redis-server on a free loopback port)',
        redisFlag,
      )
      .option(
        '--time-scale <x>',
        "simulator and limiter time compression (default: the plan's, else 1)",
        numberFlag('--time-scale', { max: 1000 }),
      )
      .option('--json', 'print the comparison as JSON')
      .option('--out <dir>', 'write scale.json and report.html there'),
  examples: [
    'claude-load scale --instances 8 --offered 2x --duration 20s',
    'claude-load scale plan.claudeload.json --instances 4 --offered 0.5x --modes none,shared --out .claude-load/scale',
    'claude-load scale --instances 3 --rpm 600 --itpm 10000000 --otpm 10000000 --duration 3s --modes shared,none',
  ],
  run: (p, args, io) => {
    const modes = modesFlag(p.modes);
    const explicit = [p.rpm, p.itpm, p.otpm].filter((x) => x !== undefined).length;
    if (explicit > 0 && explicit < 3)
      throw new CliError('--rpm, --itpm and --otpm go together (all three), or use --tier');
    if (explicit === 3 && p.tier) throw new CliError('use --tier or --rpm/--itpm/--otpm, not both');
    return scaleCommand(
      {
        plan: args[0],
        instances: p.instances,
        rate: p.rate,
        offered: p.offered !== undefined ? offeredFlag(p.offered) : undefined,
        durationMs: scaleDuration(p.duration),
        modes,
        skew: p.skew,
        tier: p.tier,
        limits: explicit === 3 ? { rpm: p.rpm!, itpm: p.itpm!, otpm: p.otpm! } : undefined,
        burstSeconds: p.burstSeconds,
        quotaMs: p.quotaMs,
        model: p.model,
        maxTokens: p.maxTokens,
        redis: p.redis,
        timeScale: p.timeScale,
        json: p.json === true,
        out: p.out,
      },
      io,
    );
  },
});

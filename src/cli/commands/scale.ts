// claude-load scale: rehearse a scale-out on the simulator. N real instance processes per mode
// (none, fixed-window, shared, queue) on identical offered load against one simulator holding the
// org's limits; one table (or --json) comparing 429s, utilisation, fairness and latency.
// Options arrive typed and validated (the CLI wiring parses the flags).
import { writeFileAtomic } from '../../core/util/atomicWrite';
import { join } from 'node:path';
import { builtinCatalog, findModel, findTier, limitsFor } from '../../core/catalog/index';
import type { RateLimits } from '../../core/limiter/index';
import { RedisServerMissingError, runScale, SCALE_MODES } from '../../core/scale/index';
import { Command, Option } from 'commander';
import { parseDuration } from '../../core/util/duration';
import { cliCommand } from '../command';
import { durationFlag, numberFlag } from '../options';
import type { ScaleMode, ScaleResult } from '../../core/scale/index';
import { CliError, EXIT } from '../cliError';
import type { CliIo } from '../cliError';

export interface ScaleOptions {
  instances: number;
  /** Offered requests/s of all instances together; or `offered` as a multiple of the RPM limit. */
  rate?: number;
  offered?: number;
  durationMs: number;
  modes: ScaleMode[];
  skew: number;
  /** Limits: a tier of the catalog (for `model`'s bucket) or explicit figures. */
  tier?: string;
  limits?: RateLimits;
  burstSeconds: number;
  model: string;
  maxTokens: number;
  redis?: string;
  timeScale?: number;
  json: boolean;
  out?: string;
}

function resolveLimits(o: ScaleOptions): RateLimits {
  if (o.limits) return o.limits;
  const tier = findTier(builtinCatalog, o.tier ?? 'build', '--tier');
  const bucket = findModel(builtinCatalog, o.model)?.bucket ?? o.model;
  const l = limitsFor(tier, bucket);
  if (!l) throw new Error(`--tier ${tier.name} has no limits for ${o.model}; pass --rpm --itpm --otpm.`);
  return { rpm: l.rpm, itpm: l.itpm, otpm: l.otpm };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

export function formatScaleTable(r: ScaleResult): string {
  const head = [
    'mode',
    'sent',
    'ok',
    '429',
    '429 share',
    'RPM / limit',
    'util.',
    'fairness',
    'p50',
    'p99',
    'wait p99',
    'retries',
    'RT/req',
  ];
  const rows = r.modes.map((m) => [
    m.mode,
    String(m.sent),
    String(m.ok),
    String(m.rateLimited),
    pct(m.rateLimitedRate),
    `${m.achievedRpm.toFixed(0)} / ${m.limitRpm}`,
    pct(m.utilization),
    m.fairness.toFixed(3),
    ms(m.latency.p50),
    ms(m.latency.p99),
    ms(m.waitMs.p99),
    String(m.retries),
    m.roundTripsPerRequest.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export async function scaleCommand(options: ScaleOptions, io: CliIo): Promise<number> {
  let limits: RateLimits;
  try {
    limits = resolveLimits(options);
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return EXIT.badInput;
  }
  const offeredRps = options.rate ?? ((options.offered ?? 2) * limits.rpm * (options.timeScale ?? 1)) / 60;
  let result: ScaleResult;
  try {
    result = await runScale({
      instances: options.instances,
      offeredRps,
      durationMs: options.durationMs,
      modes: options.modes,
      skew: options.skew,
      limits,
      burstSeconds: options.burstSeconds,
      model: options.model,
      maxTokens: options.maxTokens,
      redisUrl: options.redis,
      timeScale: options.timeScale,
      log: options.json ? undefined : (line) => io.stderr.write(line + '\n'),
    });
  } catch (e) {
    if (e instanceof RedisServerMissingError) {
      io.stderr.write(`${e.message}\n`);
      return EXIT.cannotStart;
    }
    io.stderr.write(`scale: ${(e as Error).message}\n`);
    return EXIT.cannotStart;
  }
  if (options.out) {
    await writeFileAtomic(join(options.out, 'scale.json'), JSON.stringify(result, null, 2) + '\n');
  }
  if (options.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else io.stdout.write(formatScaleTable(result));
  return EXIT.ok;
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
  burstSeconds: number;
  model: string;
  maxTokens: number;
  redis?: string;
  timeScale?: number;
  json?: boolean;
  out?: string;
}

/** "2x" or "2" -> 2: offered load as a multiple of the org's RPM limit. */
function offeredFlag(text: string): number {
  const n = Number(text.trim().replace(/x$/i, ''));
  if (!Number.isFinite(n) || n <= 0 || n > 100)
    throw new CliError(`--offered must be a multiple of the RPM limit above 0, e.g. 2x (got "${text}")`);
  return n;
}

export const scaleCli = cliCommand<ScaleParsed>({
  name: 'scale',
  define: () =>
    new Command('scale')
      .summary('rehearse a scale-out on the simulator: N instances, one org limit, four ways to coordinate')
      .description(
        "Starts a simulator holding the org's limits (short-interval enforcement on) and, for each mode in " +
          'turn on identical offered load, N real OS processes as app instances: none (each alone, SDK ' +
          'retries on), fixed-window (the Redis INCR + EXPIRE pattern), shared (the shared limiter) and queue ' +
          '(BullMQ + the shared limiter). Reports 429 share, utilisation of the limit, fairness (Jain) and ' +
          'latency including limiter/queue wait. Needs redis-server on PATH (or --redis URL).',
      )
      .option(
        '--instances <n>',
        'app instances (OS processes)',
        numberFlag('--instances', { int: true, max: 64 }),
        8,
      )
      .option(
        '--rate <r>',
        'offered requests/s of all instances together',
        numberFlag('--rate', { max: 10_000 }),
      )
      .addOption(
        new Option(
          '--offered <x>',
          'offered load as a multiple of the RPM limit, e.g. 2x (default 2x)',
        ).conflicts('rate'),
      )
      .option('--duration <d>', 'measured time per mode', durationFlag('--duration'), '20s')
      .option('--modes <list>', 'modes to compare, in order', 'none,fixed-window,shared,queue')
      .option(
        '--skew <s>',
        'uneven shares across instances, 0 (even) .. 0.9',
        numberFlag('--skew', { min: 0, exclusiveMin: false, max: 0.9 }),
        0,
      )
      .option('--tier <tier>', "the org's tier for --model's bucket (default build)")
      .option(
        '--rpm <n>',
        "the org's requests per minute (with --itpm, --otpm, instead of --tier)",
        numberFlag('--rpm'),
      )
      .option('--itpm <n>', 'input tokens per minute', numberFlag('--itpm'))
      .option('--otpm <n>', 'output tokens per minute', numberFlag('--otpm'))
      .option(
        '--burst-seconds <s>',
        'short-interval enforcement of the simulator and the limiter',
        numberFlag('--burst-seconds', { max: 60 }),
        1,
      )
      .option('--model <id>', 'model', 'claude-haiku-4-5')
      .option(
        '--max-tokens <n>',
        'max_tokens per request',
        numberFlag('--max-tokens', { int: true, max: 128_000 }),
        64,
      )
      .option('--redis <url>', 'an existing Redis (default: start redis-server on a free loopback port)')
      .option(
        '--time-scale <x>',
        'simulator and limiter time compression',
        numberFlag('--time-scale', { max: 1000 }),
      )
      .option('--json', 'print the comparison as JSON')
      .option('--out <dir>', 'write scale.json there'),
  examples: [
    'claude-load scale --instances 8 --offered 2x --duration 20s',
    'claude-load scale --instances 3 --rpm 600 --itpm 10000000 --otpm 10000000 --duration 3s --modes shared,none',
  ],
  run: (p, _args, io) => {
    const modes = p.modes.split(',').map((m) => m.trim());
    for (const m of modes)
      if (!(SCALE_MODES as readonly string[]).includes(m))
        throw new CliError(`--modes: unknown mode "${m}" (use ${SCALE_MODES.join(', ')})`);
    const explicit = [p.rpm, p.itpm, p.otpm].filter((x) => x !== undefined).length;
    if (explicit > 0 && explicit < 3)
      throw new CliError('--rpm, --itpm and --otpm go together (all three), or use --tier');
    if (explicit === 3 && p.tier) throw new CliError('use --tier or --rpm/--itpm/--otpm, not both');
    return scaleCommand(
      {
        instances: p.instances,
        rate: p.rate,
        offered: p.offered !== undefined ? offeredFlag(p.offered) : undefined,
        durationMs: parseDuration(p.duration, '--duration'),
        modes: modes as ScaleMode[],
        skew: p.skew,
        tier: p.tier,
        limits: explicit === 3 ? { rpm: p.rpm!, itpm: p.itpm!, otpm: p.otpm! } : undefined,
        burstSeconds: p.burstSeconds,
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

// claude-load scale: rehearse a scale-out on the simulator. N real instance processes per mode
// (none, fixed-window, shared, queue) on identical offered load against one simulator holding the
// org's limits; one table (or --json) comparing 429s, utilisation, fairness and latency.
// Options arrive typed and validated (the CLI wiring parses the flags).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { builtinCatalog, findModel, findTier, limitsFor } from '../../core/catalog/index';
import type { RateLimits } from '../../core/limiter/index';
import { RedisServerMissingError, runScale } from '../../core/scale/index';
import type { ScaleMode, ScaleResult } from '../../core/scale/index';
import { EXIT } from '../cliError';
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
    await mkdir(options.out, { recursive: true });
    const file = join(options.out, 'scale.json');
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(result, null, 2) + '\n');
    await rename(tmp, file);
  }
  if (options.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else io.stdout.write(formatScaleTable(result));
  return EXIT.ok;
}

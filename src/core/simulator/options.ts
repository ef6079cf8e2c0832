// Options of startSimulator() and their validation into a resolved configuration.
import { performance } from 'node:perf_hooks';
import { builtinCatalog, customTier, findTier } from '../catalog/index';
import type { BucketLimits, Catalog, ModelEntry, TierEntry } from '../catalog/index';
import { FAULT_KINDS } from './faults';
import type { FaultKind, FaultRates } from './faults';
import type { ReplyLength } from './generator';
import { LATENCY_PRESETS } from './latency';
import type { LatencyPreset } from './latency';
import type { OtpmMode } from './rateLimiter';

export interface SimulatorOptions {
  /** Interface to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Tier whose limits apply: start, build (default), scale, tier1..tier4, or custom (needs all limits). */
  tier?: string;
  /** Overrides of every bucket's limits (per minute). */
  limits?: { rpm?: number; itpm?: number; otpm?: number };
  /** realistic (default): catalog speed profiles; fast: 20x faster; zero: no artificial delay. */
  latency?: LatencyPreset;
  /** > 1 makes simulated time pass faster: latency, bucket refill, cache TTL, spend month. Default 1. */
  timeScale?: number;
  /** Seed of every random choice (ids, texts, latency jitter, faults). Default 1. */
  seed?: number;
  /** Share of admitted requests that get `fault` (0..1). */
  faultRate?: number;
  fault?: FaultKind;
  /** Rates per fault kind (added to faultRate/fault); the total must not exceed 1. */
  faults?: FaultRates;
  /** Requests in service at once; more wait in a queue. Default 10,000. */
  capacity?: number;
  /** Requests that may wait for a slot; beyond this, 529. Default = capacity. */
  queueLimit?: number;
  /** When set, the only accepted key; otherwise any non-empty key passes. */
  apiKey?: string;
  /** generated (default): OTPM counts tokens as produced; max-tokens-estimate: reserve max_tokens. */
  otpmMode?: OtpmMode;
  /** Monthly spend cap in USD at catalog prices ('tier' = the tier's cap); none by default. */
  spendCapUsd?: number | 'tier';
  /** Length of filler replies in output tokens. Default mean 150, sd 50. */
  replyTokens?: { mean?: number; sd?: number };
  /**
   * Shortest cacheable prefix, tokens, for every model. Default: each model's catalog figure
   * (`promptCacheMinTokens`), else 1024.
   */
  cacheMinTokens?: number;
  /** Bucket size in seconds of the per-minute limit (60 = a full minute may burst). Default 60. */
  burstSeconds?: number;
  /** Time a client has to send a whole request (headers and body), ms. Default 120,000. */
  requestTimeoutMs?: number;
  /** Time a client has to send the request headers, ms (<= requestTimeoutMs). Default 30,000. */
  headersTimeoutMs?: number;
  /** Idle time before a kept-alive connection is closed, ms. Default 65,000. */
  keepAliveTimeoutMs?: number;
  /** Open connections at most; more are refused (closed) by the server. Default 16,384. */
  maxConnections?: number;
  /** Acceleration limit: a sharp rise over the recent request rate draws 429 ramp_limit_exceeded. Off by default. */
  accelerationLimit?: boolean;
  /** Message Batches: median simulated ms for one batch request to finish (seeded lognormal spread). Default 10 min. */
  batchLatencyMs?: number;
  catalog?: Catalog;
  /** Real-time clock in ms (injectable for tests). Default performance.now. */
  clock?: () => number;
  /** Receives occasional log lines (not one per request). */
  log?: (line: string) => void;
}

/** A bad option; `field` names it (the CLI maps it to a flag). */
export class SimulatorConfigError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'SimulatorConfigError';
  }
}

export interface SimConfig {
  host: string;
  port: number;
  tier: TierEntry;
  limitOverrides: Partial<BucketLimits>;
  latency: LatencyPreset;
  timeScale: number;
  seed: number;
  faults: FaultRates;
  capacity: number;
  queueLimit: number;
  apiKey: string | null;
  otpmMode: OtpmMode;
  spendCapUsd: number | null;
  reply: ReplyLength;
  /** The fallback for models without a catalog figure (1024), or the fixed value when set. */
  cacheMinTokens: number;
  /** cacheMinTokens was set: it applies to every model, whatever the catalog says. */
  cacheMinTokensFixed: boolean;
  burstSeconds: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  accelerationLimit: boolean;
  batchLatencyMs: number;
  catalog: Catalog;
  clock: () => number;
  log: (line: string) => void;
}

function positive(field: string, v: number | undefined, fallback: number, integer = false): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new SimulatorConfigError(
      `${field} must be a positive ${integer ? 'integer' : 'number'} (got ${v})`,
      field,
    );
  }
  return v;
}

export function resolveOptions(o: SimulatorOptions = {}): SimConfig {
  const catalog = o.catalog ?? builtinCatalog;
  const limits = o.limits ?? {};
  const limitOverrides: Partial<BucketLimits> = {};
  for (const k of ['rpm', 'itpm', 'otpm'] as const) {
    if (limits[k] !== undefined) limitOverrides[k] = positive(`limits.${k}`, limits[k], 0);
  }
  const tierName = o.tier ?? 'build';
  let tier: TierEntry;
  if (tierName === 'custom') {
    const { rpm, itpm, otpm } = limitOverrides;
    if (rpm === undefined || itpm === undefined || otpm === undefined) {
      throw new SimulatorConfigError('tier custom needs limits.rpm, limits.itpm and limits.otpm', 'tier');
    }
    tier = customTier({ rpm, itpm, otpm });
  } else {
    try {
      tier = findTier(catalog, tierName);
    } catch (e) {
      throw new SimulatorConfigError((e as Error).message, 'tier');
    }
  }

  const latency = o.latency ?? 'realistic';
  if (!LATENCY_PRESETS.includes(latency)) {
    throw new SimulatorConfigError(
      `latency must be one of ${LATENCY_PRESETS.join(', ')} (got ${latency})`,
      'latency',
    );
  }

  const faults: FaultRates = {};
  for (const [k, r] of Object.entries(o.faults ?? {})) {
    if (!FAULT_KINDS.includes(k as FaultKind)) {
      throw new SimulatorConfigError(`faults: unknown kind ${k} (use ${FAULT_KINDS.join(', ')})`, 'faults');
    }
    if (typeof r !== 'number' || !(r >= 0 && r <= 1)) {
      throw new SimulatorConfigError(`faults.${k} must be between 0 and 1`, 'faults');
    }
    faults[k as FaultKind] = r;
  }
  if (o.faultRate !== undefined) {
    if (typeof o.faultRate !== 'number' || !(o.faultRate >= 0 && o.faultRate <= 1)) {
      throw new SimulatorConfigError(`faultRate must be between 0 and 1 (got ${o.faultRate})`, 'faultRate');
    }
    const kind = o.fault ?? '529';
    if (!FAULT_KINDS.includes(kind)) {
      throw new SimulatorConfigError(`fault must be one of ${FAULT_KINDS.join(', ')} (got ${kind})`, 'fault');
    }
    faults[kind] = (faults[kind] ?? 0) + o.faultRate;
  }
  const totalFaults = Object.values(faults).reduce((a, b) => a + b, 0);
  if (totalFaults > 1)
    throw new SimulatorConfigError(`fault rates add up to ${totalFaults} (> 1)`, 'faultRate');

  const capacity = positive('capacity', o.capacity, 10_000, true);
  const queueLimit = o.queueLimit === 0 ? 0 : positive('queueLimit', o.queueLimit, capacity, true);

  const otpmMode = o.otpmMode ?? 'generated';
  if (otpmMode !== 'generated' && otpmMode !== 'max-tokens-estimate') {
    throw new SimulatorConfigError(`otpmMode must be generated or max-tokens-estimate`, 'otpmMode');
  }

  let spendCapUsd: number | null = null;
  if (o.spendCapUsd === 'tier') spendCapUsd = tier.monthlySpendCapUsd;
  else if (o.spendCapUsd !== undefined) spendCapUsd = positive('spendCapUsd', o.spendCapUsd, 0);

  const mean = positive('replyTokens.mean', o.replyTokens?.mean, 150);
  const sdRaw = o.replyTokens?.sd;
  if (sdRaw !== undefined && !(typeof sdRaw === 'number' && sdRaw >= 0)) {
    throw new SimulatorConfigError('replyTokens.sd must be >= 0', 'replyTokens.sd');
  }

  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SimulatorConfigError(`port must be an integer 0..65535 (got ${port})`, 'port');
  }
  if (o.apiKey !== undefined && (typeof o.apiKey !== 'string' || o.apiKey.length === 0)) {
    throw new SimulatorConfigError('apiKey must be a non-empty string', 'apiKey');
  }
  const requestTimeoutMs = positive('requestTimeoutMs', o.requestTimeoutMs, 120_000, true);
  const headersTimeoutMs = positive(
    'headersTimeoutMs',
    o.headersTimeoutMs,
    Math.min(30_000, requestTimeoutMs),
    true,
  );
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new SimulatorConfigError(
      `headersTimeoutMs (${headersTimeoutMs}) must not exceed requestTimeoutMs (${requestTimeoutMs})`,
      'headersTimeoutMs',
    );
  }
  if (o.accelerationLimit !== undefined && typeof o.accelerationLimit !== 'boolean') {
    throw new SimulatorConfigError('accelerationLimit must be true or false', 'accelerationLimit');
  }
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed))
    throw new SimulatorConfigError(`seed must be an integer (got ${seed})`, 'seed');

  return {
    host: o.host ?? '127.0.0.1',
    port,
    tier,
    limitOverrides,
    latency,
    timeScale: positive('timeScale', o.timeScale, 1),
    seed,
    faults,
    capacity,
    queueLimit,
    apiKey: o.apiKey ?? null,
    otpmMode,
    spendCapUsd,
    reply: { mean, sd: sdRaw ?? mean / 3 },
    cacheMinTokens: o.cacheMinTokens === undefined ? 1024 : Math.max(0, o.cacheMinTokens),
    cacheMinTokensFixed: o.cacheMinTokens !== undefined,
    burstSeconds: positive('burstSeconds', o.burstSeconds, 60),
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: positive('keepAliveTimeoutMs', o.keepAliveTimeoutMs, 65_000, true),
    maxConnections: positive('maxConnections', o.maxConnections, 16_384, true),
    accelerationLimit: o.accelerationLimit === true,
    batchLatencyMs: positive('batchLatencyMs', o.batchLatencyMs, 10 * 60_000),
    catalog,
    clock: o.clock ?? (() => performance.now()),
    log: o.log ?? (() => {}),
  };
}

/** The shortest prefix the prompt cache stores for `model`: a fixed --cache-min-tokens, else the catalog's. */
export function cacheMinTokensFor(
  cfg: Pick<SimConfig, 'cacheMinTokens' | 'cacheMinTokensFixed'>,
  model: Pick<ModelEntry, 'promptCacheMinTokens'>,
): number {
  return cfg.cacheMinTokensFixed ? cfg.cacheMinTokens : (model.promptCacheMinTokens ?? cfg.cacheMinTokens);
}

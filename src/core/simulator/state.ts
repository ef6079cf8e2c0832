// The state one simulator instance shares across requests: buckets, cache, randomness, counters.
import { CatalogError, limitsFor, pricesFor, resolveModel } from '../catalog/index';
import type { ModelEntry } from '../catalog/index';
import { PromptCache } from './cache';
import { CapacityGate } from './capacity';
import { createClock } from './clock';
import type { SimClock } from './clock';
import { failure } from './errors';
import type { ApiFailure } from './errors';
import { FaultInjector } from './faults';
import type { SimConfig } from './options';
import { createSimRandom } from './random';
import type { SimRandom } from './random';
import { LimitState, TokenBucket } from './rateLimiter';
import { StatsRecorder } from './stats';

const SPEND_MONTH_MS = 30 * 24 * 3600_000;
/** count_tokens RPM when the tier does not state one (legacy presets). */
const DEFAULT_COUNT_TOKENS_RPM = 2000;

/** Token usage of one request, as reported in `usage`. */
export interface UsageCounts {
  input: number;
  cacheRead: number;
  write5m: number;
  write1h: number;
}

/** Anything in flight that close() must stop (timers). */
export interface Stoppable {
  stop(): void;
}

export class SimState {
  readonly clock: SimClock;
  readonly rng: SimRandom;
  readonly stats: StatsRecorder;
  readonly cache: PromptCache;
  readonly gate: CapacityGate;
  readonly faults: FaultInjector;
  readonly countTokens: TokenBucket;
  readonly active: Set<Stoppable> = new Set<Stoppable>();
  /** Streams being paced now (drives write coalescing). */
  streaming = 0;
  closing = false;
  private readonly models = new Map<string, ModelEntry>();
  private readonly limitStates = new Map<string, LimitState | null>();
  private spendMonthStart = 0;
  private spendThisMonth = 0;

  constructor(readonly cfg: SimConfig) {
    this.clock = createClock(cfg.clock, cfg.timeScale);
    this.rng = createSimRandom(cfg.seed);
    this.stats = new StatsRecorder(cfg.clock);
    this.cache = new PromptCache(cfg.cacheMinTokens);
    this.gate = new CapacityGate(cfg.capacity, cfg.queueLimit);
    this.faults = new FaultInjector(cfg.faults, this.rng.faults);
    const ctRpm = cfg.tier.countTokensRpm ?? DEFAULT_COUNT_TOKENS_RPM;
    this.countTokens = new TokenBucket(ctRpm, cfg.burstSeconds, 0);
    for (const m of cfg.catalog.models) if (m.status !== 'retired') this.models.set(m.id, m);
  }

  /** The served (non-retired) model with this id, if any: a map look-up on the hot path. */
  model(id: string): ModelEntry | undefined {
    return this.models.get(id);
  }

  /** The 404 for an id that is not served: names the replacement or the current models. */
  modelFailure(id: string): ApiFailure {
    try {
      resolveModel(this.cfg.catalog, id);
      return failure(404, 'not_found_error', `model: ${id}`);
    } catch (e) {
      return failure(404, 'not_found_error', e instanceof CatalogError ? e.message : `model: ${id}`);
    }
  }

  /** The buckets of a model's rate-limit bucket (created on first use); null if the tier lacks it. */
  limits(model: ModelEntry): LimitState | null {
    let s = this.limitStates.get(model.bucket);
    if (s === undefined) {
      const base = limitsFor(this.cfg.tier, model.bucket);
      s = base
        ? new LimitState(
            { ...base, ...this.cfg.limitOverrides },
            this.cfg.burstSeconds,
            this.clock.simNow(),
            this.cfg.accelerationLimit,
          )
        : null;
      this.limitStates.set(model.bucket, s);
    }
    return s;
  }

  nextRequestId(): string {
    return 'req_011C' + this.rng.ids.base62(20);
  }

  nextMessageId(): string {
    return 'msg_01' + this.rng.ids.base62(22);
  }

  nextToolUseId(): string {
    return 'toolu_01' + this.rng.ids.base62(22);
  }

  /** True when the monthly spend cap is reached (the month runs on simulated time). */
  spendCapReached(): boolean {
    if (this.cfg.spendCapUsd === null) return false;
    const now = this.clock.simNow();
    if (now - this.spendMonthStart >= SPEND_MONTH_MS) {
      this.spendMonthStart = now;
      this.spendThisMonth = 0;
    }
    return this.spendThisMonth >= this.cfg.spendCapUsd;
  }

  /** Adds a served request's cost at catalog prices (`discount` off input and output: Message Batches). */
  addSpend(model: ModelEntry, u: UsageCounts, outputTokens: number, discount = 0): void {
    const p = pricesFor(model, u.input + u.cacheRead + u.write5m + u.write1h);
    const usd =
      (u.input * p.input * (1 - discount) +
        u.cacheRead * p.cacheRead +
        u.write5m * p.cacheWrite5m +
        u.write1h * p.cacheWrite1h +
        outputTokens * p.output * (1 - discount)) /
      1e6;
    this.spendThisMonth += usd;
    this.stats.spendUsd += usd;
  }
}

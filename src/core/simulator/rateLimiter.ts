// Token buckets with continuous replenishment, one set (requests, input tokens, output tokens) per
// rate-limit bucket of the catalog, as the API enforces them. Times are simulated ms (scaled).
import type { BucketLimits } from '../catalog/index';
import type { SimClock } from './clock';
import { failure } from './errors';
import type { ApiFailure } from './errors';

export type OtpmMode = 'generated' | 'max-tokens-estimate';
export type LimitKind = 'requests' | 'input' | 'output';

export class TokenBucket {
  level: number;
  readonly capacity: number;
  /** Tokens added per simulated ms. */
  readonly ratePerMs: number;
  private updatedAt: number;

  constructor(
    readonly limitPerMinute: number,
    burstSeconds: number,
    now: number,
  ) {
    this.capacity = (limitPerMinute * burstSeconds) / 60;
    this.ratePerMs = limitPerMinute / 60_000;
    this.level = this.capacity;
    this.updatedAt = now;
  }

  refill(now: number): void {
    if (now > this.updatedAt) {
      this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * this.ratePerMs);
      this.updatedAt = now;
    }
  }

  /** Simulated ms until the level reaches `amount` (0 when it already has). Call after refill(). */
  msUntil(amount: number): number {
    return this.level >= amount ? 0 : (amount - this.level) / this.ratePerMs;
  }

  msUntilFull(): number {
    return this.msUntil(this.capacity);
  }

  take(n: number): void {
    this.level -= n;
  }

  /** Gives tokens back (refunds), never above capacity. */
  give(n: number): void {
    this.level = Math.min(this.capacity, this.level + n);
  }
}

/**
 * The acceleration ("ramp") limit: the API refuses a sharp rise over the recent request rate even
 * when the buckets have room. Modelled on whole simulated seconds: the requests admitted in the
 * last `windowSec` seconds (the current one included) may be at most
 *   allowed = max(ceil(floorShare x RPM), factor x the requests admitted in the `windowSec` before).
 * So an idle organisation may start at 20 % of its RPM per minute and double every minute.
 */
export const RAMP = { windowSec: 60, factor: 2, floorShare: 0.2 } as const;

/** What the acceleration limit saw when it refused a request (the numbers of the formula above). */
export interface RampRefusal {
  recent: number;
  baseline: number;
  floor: number;
  allowed: number;
}

export class RampTracker {
  /** Admitted requests per simulated second, a ring of two windows. */
  private readonly counts = new Float64Array(RAMP.windowSec * 2);
  private second = 0;
  readonly floor: number;

  constructor(rpm: number) {
    this.floor = Math.max(1, Math.ceil(RAMP.floorShare * rpm));
  }

  /** Zeroes the slots of seconds that passed since the last call. */
  private advance(now: number): void {
    const sec = Math.floor(now / 1000);
    if (sec <= this.second) return;
    const n = this.counts.length;
    const steps = Math.min(n, sec - this.second);
    for (let i = 1; i <= steps; i++) this.counts[(this.second + i) % n] = 0;
    this.second = sec;
  }

  /** The formula's terms `ahead` seconds from the current second, if nothing more is admitted. */
  private terms(ahead: number): RampRefusal {
    const n = this.counts.length;
    const w = RAMP.windowSec;
    let recent = 0;
    let baseline = 0;
    for (let age = 0; age < n; age++) {
      const sec = this.second + ahead - age;
      // Only seconds up to the current one hold counts; the ones ahead are still empty.
      if (sec > this.second || sec < this.second - n + 1) continue;
      const c = this.counts[((sec % n) + n) % n]!;
      if (age < w) recent += c;
      else baseline += c;
    }
    return { recent, baseline, floor: this.floor, allowed: Math.max(this.floor, RAMP.factor * baseline) };
  }

  /** Null when one more request may pass now, else the refusal and the ms until it would pass. */
  check(now: number): { ramp: RampRefusal; waitMs: number } | null {
    this.advance(now);
    const t = this.terms(0);
    if (t.recent + 1 <= t.allowed) return null;
    // Whole seconds ahead until old counts leave the window (at most two windows: then recent = 0).
    let k = 1;
    for (; k < this.counts.length; k++) {
      const f = this.terms(k);
      if (f.recent + 1 <= f.allowed) break;
    }
    return { ramp: t, waitMs: (this.second + k) * 1000 - now };
  }

  record(now: number): void {
    this.advance(now);
    this.counts[this.second % this.counts.length]!++;
  }
}

/** The three buckets of one rate-limit bucket id (and its acceleration limit, when enabled). */
export class LimitState {
  readonly requests: TokenBucket;
  readonly input: TokenBucket;
  readonly output: TokenBucket;
  readonly ramp: RampTracker | null;
  // Memoised reset strings: formatting a date per header per response is measurable at 10k req/s.
  private readonly resetMemo = [
    { sec: -1, text: '' },
    { sec: -1, text: '' },
    { sec: -1, text: '' },
  ];

  constructor(
    readonly limits: BucketLimits,
    burstSeconds: number,
    now: number,
    accelerationLimit = false,
  ) {
    this.requests = new TokenBucket(limits.rpm, burstSeconds, now);
    this.input = new TokenBucket(limits.itpm, burstSeconds, now);
    this.output = new TokenBucket(limits.otpm, burstSeconds, now);
    this.ramp = accelerationLimit ? new RampTracker(limits.rpm) : null;
  }

  refill(now: number): void {
    this.requests.refill(now);
    this.input.refill(now);
    this.output.refill(now);
  }

  resetText(which: 0 | 1 | 2, bucket: TokenBucket, clock: SimClock): string {
    const wallMs = clock.wallNow() + bucket.msUntilFull() / clock.timeScale;
    const sec = Math.ceil(wallMs / 1000);
    const memo = this.resetMemo[which]!;
    if (memo.sec !== sec) {
      memo.sec = sec;
      memo.text = new Date(sec * 1000).toISOString().slice(0, 19) + 'Z';
    }
    return memo.text;
  }
}

export interface Refusal {
  kind: LimitKind;
  /** Simulated ms until the bucket would admit the request. */
  waitMs: number;
  /** The request can never pass: it needs more than the bucket holds. */
  exceedsCapacity: boolean;
  /** Set when the acceleration limit refused it (kind is then 'requests'). */
  ramp?: RampRefusal;
}

/**
 * Admits a request against its buckets, debiting them, or says which limit refused it and for how
 * long. Input cost is cache-aware (computed by the caller). In `generated` mode the output bucket
 * only has to be positive (it is debited as tokens are produced); in `max-tokens-estimate` mode
 * max_tokens is reserved up front and the unused part given back at the end.
 */
export function admit(
  state: LimitState,
  inputCost: number,
  maxTokens: number,
  mode: OtpmMode,
  now: number,
): Refusal | null {
  state.refill(now);
  const outNeed = mode === 'generated' ? 1 : Math.min(maxTokens, state.output.capacity);
  let refusal: Refusal | null = null;
  if (state.requests.level < 1) refusal = worse(refusal, 'requests', state.requests, 1);
  if (inputCost > 0 && state.input.level < inputCost)
    refusal = worse(refusal, 'input', state.input, inputCost);
  if (state.output.level < outNeed) refusal = worse(refusal, 'output', state.output, outNeed);
  if (refusal) return refusal;
  if (state.ramp) {
    const r = state.ramp.check(now);
    if (r) return { kind: 'requests', waitMs: r.waitMs, exceedsCapacity: false, ramp: r.ramp };
    state.ramp.record(now);
  }
  state.requests.take(1);
  state.input.take(inputCost);
  if (mode === 'max-tokens-estimate') state.output.take(outNeed);
  return null;
}

/** The 429 of the acceleration limit: rate_limit_error with error_code ramp_limit_exceeded. */
export function rampFailure(r: RampRefusal, rpm: number, waitMs: number, timeScale: number): ApiFailure {
  const f = failure(
    429,
    'rate_limit_error',
    `Your request rate rose too fast (acceleration limit, simulated): ${r.recent} requests in the last ` +
      `${RAMP.windowSec} s against ${r.baseline} in the ${RAMP.windowSec} s before; at most ${r.allowed} = ` +
      `max(${r.floor} (${RAMP.floorShare * 100} % of ${rpm} RPM), ${RAMP.factor} x ${r.baseline}). ` +
      'Ramp traffic up gradually.',
  );
  f.details = { error_code: 'ramp_limit_exceeded' };
  f.retryAfterSec = Math.max(1, Math.ceil(waitMs / timeScale / 1000));
  return f;
}

/** Keeps the refusal that matters most: one that can never pass, else the longest wait. */
function worse(current: Refusal | null, kind: LimitKind, bucket: TokenBucket, need: number): Refusal {
  const exceeds = need > bucket.capacity;
  const waitMs = exceeds ? bucket.msUntilFull() : bucket.msUntil(need);
  if (!current) return { kind, waitMs, exceedsCapacity: exceeds };
  if (current.exceedsCapacity && !exceeds) return current;
  if ((exceeds && !current.exceedsCapacity) || waitMs > current.waitMs) {
    return { kind, waitMs, exceedsCapacity: exceeds || current.exceedsCapacity };
  }
  return current;
}

/** Rounds token remainders to the nearest thousand, as the API does. */
function roundThousands(n: number): number {
  return n <= 0 ? 0 : Math.round(n / 1000) * 1000;
}

/** Appends the anthropic-ratelimit-* headers (flat [name, value, ...] list) for a Messages response. */
export function pushRateLimitHeaders(out: string[], state: LimitState, clock: SimClock): void {
  state.refill(clock.simNow());
  const { requests, input, output } = state;
  out.push(
    'anthropic-ratelimit-requests-limit',
    String(requests.limitPerMinute),
    'anthropic-ratelimit-requests-remaining',
    String(Math.max(0, Math.floor(requests.level))),
    'anthropic-ratelimit-requests-reset',
    state.resetText(0, requests, clock),
    'anthropic-ratelimit-input-tokens-limit',
    String(input.limitPerMinute),
    'anthropic-ratelimit-input-tokens-remaining',
    String(roundThousands(input.level)),
    'anthropic-ratelimit-input-tokens-reset',
    state.resetText(1, input, clock),
    'anthropic-ratelimit-output-tokens-limit',
    String(output.limitPerMinute),
    'anthropic-ratelimit-output-tokens-remaining',
    String(roundThousands(output.level)),
    'anthropic-ratelimit-output-tokens-reset',
    state.resetText(2, output, clock),
  );
  // tokens-*: the most restrictive of the two token limits, by remaining share of the limit.
  const useOutput = output.level / output.capacity < input.level / input.capacity;
  const b = useOutput ? output : input;
  out.push(
    'anthropic-ratelimit-tokens-limit',
    String(b.limitPerMinute),
    'anthropic-ratelimit-tokens-remaining',
    String(roundThousands(b.level)),
    'anthropic-ratelimit-tokens-reset',
    state.resetText(useOutput ? 2 : 1, b, clock),
  );
}

/** Requests-only headers (count_tokens has its own RPM and no token limits). */
export function pushRequestHeaders(out: string[], bucket: TokenBucket, clock: SimClock): void {
  bucket.refill(clock.simNow());
  const wallMs = clock.wallNow() + bucket.msUntilFull() / clock.timeScale;
  out.push(
    'anthropic-ratelimit-requests-limit',
    String(bucket.limitPerMinute),
    'anthropic-ratelimit-requests-remaining',
    String(Math.max(0, Math.floor(bucket.level))),
    'anthropic-ratelimit-requests-reset',
    new Date(Math.ceil(wallMs / 1000) * 1000).toISOString().slice(0, 19) + 'Z',
  );
}

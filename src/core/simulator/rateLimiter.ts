// Token buckets with continuous replenishment, one set (requests, input tokens, output tokens) per
// rate-limit bucket of the catalog, as the API enforces them. Times are simulated ms (scaled).
import type { BucketLimits } from '../catalog/index';
import type { SimClock } from './clock';

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

/** The three buckets of one rate-limit bucket id. */
export class LimitState {
  readonly requests: TokenBucket;
  readonly input: TokenBucket;
  readonly output: TokenBucket;
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
  ) {
    this.requests = new TokenBucket(limits.rpm, burstSeconds, now);
    this.input = new TokenBucket(limits.itpm, burstSeconds, now);
    this.output = new TokenBucket(limits.otpm, burstSeconds, now);
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
  state.requests.take(1);
  state.input.take(inputCost);
  if (mode === 'max-tokens-estimate') state.output.take(outNeed);
  return null;
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

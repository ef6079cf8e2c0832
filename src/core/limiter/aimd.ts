// Additive-increase / multiplicative-decrease on the number of requests in flight: cut in half on
// 429/529 (at most once per cooldown, one congestion event is one cut), +1 per window of
// successes while the server reports headroom.

export interface AimdOptions {
  initial?: number;
  min?: number;
  max?: number;
  /** ms after a cut during which further overload signals are the same event. Default 1,000. */
  cooldownMs?: number;
  now?: () => number;
}

export class AimdConcurrency {
  private limitValue: number;
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private lastCut = -Infinity;
  readonly min: number;
  readonly max: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  cuts = 0;

  constructor(o: AimdOptions = {}) {
    this.min = Math.max(1, o.min ?? 1);
    this.max = Math.max(this.min, o.max ?? 256);
    this.limitValue = Math.min(this.max, Math.max(this.min, o.initial ?? 8));
    this.cooldownMs = o.cooldownMs ?? 1000;
    this.now = o.now ?? (() => performance.now());
  }

  /** Current concurrency limit (whole requests). */
  get limit(): number {
    return Math.floor(this.limitValue);
  }

  get active(): number {
    return this.inFlight;
  }

  /** Waits for a slot. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (this.inFlight < this.limit) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.inFlight++;
        resolve();
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    this.inFlight--;
    this.drain();
  }

  /** A success: grows by 1 per `limit` successes while `headroom` is true. */
  onSuccess(headroom: boolean): void {
    if (headroom && this.limitValue < this.max)
      this.limitValue = Math.min(this.max, this.limitValue + 1 / this.limitValue);
    this.drain();
  }

  /** 429 or 529: halves the limit (once per cooldown). */
  onOverload(): void {
    const t = this.now();
    if (t - this.lastCut < this.cooldownMs) return;
    this.lastCut = t;
    this.cuts++;
    this.limitValue = Math.max(this.min, this.limitValue / 2);
  }

  private drain(): void {
    while (this.waiters.length > 0 && this.inFlight < this.limit) this.waiters.shift()!();
  }
}

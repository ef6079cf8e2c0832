// Counters of what the simulator served, plus per-second rates over the last few seconds.

export interface SimulatorRates {
  /** Seconds the averages cover (up to 5 complete seconds). */
  windowSec: number;
  requestsPerSec: number;
  okPerSec: number;
  rateLimitedPerSec: number;
  overloadedPerSec: number;
  outputTokensPerSec: number;
}

export interface SimulatorStats {
  /** HTTP requests received (every route, every outcome). */
  requests: number;
  /** Requests answered successfully (streams count when they end without a fault). */
  ok: number;
  /** 429 responses (rate limits and the spend cap). */
  rateLimited: number;
  /** 529 responses (capacity and injected). */
  overloaded: number;
  /** Other 4xx responses (validation, auth, not found, too large). */
  clientErrors: number;
  /** Other 5xx responses (injected 500s). */
  serverErrors: number;
  /** Streams that ended with an `error` event after HTTP 200. */
  streamErrors: number;
  /** Connections the fault injector dropped. */
  disconnects: number;
  /** Requests whose client went away before the response was complete. */
  clientAborts: number;
  /** Responses by HTTP status code. */
  byStatus: Record<string, number>;
  /** Requests in service now (admitted, not yet complete). */
  inFlight: number;
  /** Requests waiting for a service slot. */
  queued: number;
  peakInFlight: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  /** Cost of the served requests at catalog prices, USD. */
  spendUsd: number;
  uptimeMs: number;
  recent: SimulatorRates;
}

const SLOTS = 8;
const FIELDS = 5; // requests, ok, 429, 529, output tokens
const WINDOW = 5;

export class StatsRecorder {
  requests = 0;
  ok = 0;
  rateLimited = 0;
  overloaded = 0;
  clientErrors = 0;
  serverErrors = 0;
  streamErrors = 0;
  disconnects = 0;
  clientAborts = 0;
  inputTokens = 0;
  outputTokens = 0;
  cacheRead = 0;
  cacheCreation = 0;
  spendUsd = 0;
  private readonly byStatus = new Map<number, number>();
  private readonly ring = new Float64Array(SLOTS * FIELDS);
  private second: number;
  private readonly startSecond: number;

  constructor(
    private readonly now: () => number,
    private readonly startMs: number = now(),
  ) {
    this.second = Math.floor(startMs / 1000);
    this.startSecond = this.second;
  }

  /** Index of the current second's slot, zeroing the slots of seconds that passed with no traffic. */
  private slot(): number {
    const sec = Math.floor(this.now() / 1000);
    if (sec !== this.second) {
      const steps = Math.min(SLOTS, sec - this.second);
      for (let i = 1; i <= steps; i++) {
        const base = ((this.second + i) % SLOTS) * FIELDS;
        this.ring.fill(0, base, base + FIELDS);
      }
      this.second = sec;
    }
    return (sec % SLOTS) * FIELDS;
  }

  arrived(): void {
    this.requests++;
    this.ring[this.slot()]!++;
  }

  /** Counts a response status (error statuses are final; 2xx count as ok via completed()). */
  status(code: number): void {
    this.byStatus.set(code, (this.byStatus.get(code) ?? 0) + 1);
    if (code < 400) return;
    if (code === 429) {
      this.rateLimited++;
      this.ring[this.slot() + 2]!++;
    } else if (code === 529) {
      this.overloaded++;
      this.ring[this.slot() + 3]!++;
    } else if (code >= 500) this.serverErrors++;
    else this.clientErrors++;
  }

  completed(): void {
    this.ok++;
    this.ring[this.slot() + 1]!++;
  }

  output(tokens: number): void {
    this.outputTokens += tokens;
    this.ring[this.slot() + 4]! += tokens;
  }

  snapshot(inFlight: number, queued: number, peakInFlight: number): SimulatorStats {
    const cur = this.slot() / FIELDS;
    const windowSec = Math.min(WINDOW, this.second - this.startSecond);
    const sums = [0, 0, 0, 0, 0];
    for (let i = 1; i <= windowSec; i++) {
      const base = ((cur - i + SLOTS * 2) % SLOTS) * FIELDS;
      for (let f = 0; f < FIELDS; f++) sums[f]! += this.ring[base + f]!;
    }
    const per = (f: number) => (windowSec > 0 ? sums[f]! / windowSec : 0);
    return {
      requests: this.requests,
      ok: this.ok,
      rateLimited: this.rateLimited,
      overloaded: this.overloaded,
      clientErrors: this.clientErrors,
      serverErrors: this.serverErrors,
      streamErrors: this.streamErrors,
      disconnects: this.disconnects,
      clientAborts: this.clientAborts,
      byStatus: Object.fromEntries(
        [...this.byStatus].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v]),
      ),
      inFlight,
      queued,
      peakInFlight,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cacheReadInputTokens: this.cacheRead,
      cacheCreationInputTokens: this.cacheCreation,
      spendUsd: Math.round(this.spendUsd * 1e6) / 1e6,
      uptimeMs: this.now() - this.startMs,
      recent: {
        windowSec,
        requestsPerSec: per(0),
        okPerSec: per(1),
        rateLimitedPerSec: per(2),
        overloadedPerSec: per(3),
        outputTokensPerSec: per(4),
      },
    };
  }
}

// Coalesces the run's 1-second windows into at most one live/tick message per interval (250 ms, so at
// most 4 updates a second however fast windows arrive). Pure (no vscode): timing goes through an
// injected scheduler so tests drive a virtual clock. Windows are never dropped by throttling: every
// window pushed since the last emission goes out together, in order.
import type { TimeWindow } from '../../core/model/run';
import type { LiveTotals } from '../../shared/protocol/messages';

/** The slice of the timer API the coalescer needs; tests pass a fake clock. */
export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One emission: the windows new since the previous one and the latest running totals. */
export interface TickBatch {
  windows: TimeWindow[];
  totals: LiveTotals;
}

export interface TickCoalescerOptions {
  /** Minimum time between two emissions; default 250 ms. */
  intervalMs?: number;
  scheduler?: Scheduler;
}

export class TickCoalescer {
  private readonly intervalMs: number;
  private readonly scheduler: Scheduler;
  private pending: TimeWindow[] = [];
  private totals: LiveTotals | undefined;
  private lastEmitAt = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private paused = false;
  /** Set when a window arrived while paused, so resume() can tell the caller the view missed some. */
  private missed = false;
  private disposed = false;

  constructor(
    private readonly emit: (batch: TickBatch) => void,
    options: TickCoalescerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 250;
    this.scheduler = options.scheduler ?? realScheduler;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Windows waiting for the next emission. */
  get pendingCount(): number {
    return this.pending.length;
  }

  push(window: TimeWindow, totals: LiveTotals): void {
    if (this.disposed) return;
    this.pending.push(window);
    this.totals = totals;
    if (this.paused) {
      this.missed = true;
      return;
    }
    this.schedule();
  }

  /** Emits what is pending now, ignoring the interval (e.g. before live/done). No-op while paused. */
  flush(): void {
    if (this.paused || this.disposed) return;
    this.cancelTimer();
    this.emitPending();
  }

  /** Stops emitting (view hidden); pushes keep accumulating. */
  pause(): void {
    this.paused = true;
    this.cancelTimer();
  }

  /**
   * Emits again. Returns true when windows arrived while paused. With `discard`, those pending windows
   * are dropped because the caller sends a full snapshot instead (live/restore); otherwise they go out
   * as one emission, subject to the interval.
   */
  resume(options: { discard?: boolean } = {}): boolean {
    const missed = this.missed;
    this.paused = false;
    this.missed = false;
    if (options.discard) this.clear();
    else if (this.pending.length > 0) this.schedule();
    return missed;
  }

  /** Drops pending windows (a new run started, or a full snapshot superseded them). */
  clear(): void {
    this.cancelTimer();
    this.pending = [];
    this.totals = undefined;
  }

  dispose(): void {
    this.clear();
    this.disposed = true;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = this.lastEmitAt + this.intervalMs - this.scheduler.now();
    // Leading edge: an idle coalescer emits at once, so a 1-per-second window stream is not delayed.
    if (wait <= 0) {
      this.emitPending();
      return;
    }
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = undefined;
      if (!this.paused) this.emitPending();
    }, wait);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private emitPending(): void {
    if (this.pending.length === 0 || !this.totals) return;
    const batch: TickBatch = { windows: this.pending, totals: this.totals };
    this.pending = [];
    this.lastEmitAt = this.scheduler.now();
    this.emit(batch);
  }
}

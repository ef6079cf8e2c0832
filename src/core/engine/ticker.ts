// Closes a 1-second window on the engine clock and emits a tick with it; watches the generator's own
// event loop meanwhile (a busy loop measures the generator, not the target).
import { performance } from 'node:perf_hooks';
import type { Recorder } from './recorder';
import type { EngineTickEvent } from '../model/run';

export class WindowTicker {
  private index = 0;
  private timer: NodeJS.Timeout | undefined;
  private eluWindow = performance.eventLoopUtilization();
  /** Highest event-loop use of any full window, 0..1. */
  worstEventLoopUse = 0;
  /** Windows whose event loop was more than 80 % busy. */
  busyWindows = 0;

  constructor(
    private readonly rec: Recorder,
    private readonly tickMs: number,
    private readonly elapsed: () => number,
    private readonly totals: () => Omit<EngineTickEvent['totals'], 'elapsedS'>,
    private readonly emit: (e: EngineTickEvent) => void,
  ) {}

  start(): void {
    this.index++;
    this.timer = setTimeout(
      () => {
        this.tick();
        this.start();
      },
      Math.max(0, this.index * this.tickMs - this.elapsed()),
    );
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private tick(): void {
    const totals = this.totals();
    const window = this.rec.closeWindow(totals.inFlight);
    const e = performance.eventLoopUtilization(this.eluWindow);
    this.eluWindow = performance.eventLoopUtilization();
    this.worstEventLoopUse = Math.max(this.worstEventLoopUse, e.utilization);
    if (e.utilization > 0.8) this.busyWindows++;
    this.emit({ type: 'tick', window, totals: { ...totals, elapsedS: this.elapsed() / 1000 } });
  }
}

// Runs a request through the gates in order. Gates that already admitted it keep their reservation
// while a later gate holds (like a client holding a connection while it waits for a limiter); if a
// later gate stops the run, the earlier ones release it.
import type { RequestSample, StopReason } from '../../model/run';
import type { AdmissionContext, AdmissionGate, AdmissionRequest, GateDecision } from './gate';
import { OutputEstimate } from './outputEstimate';

export type AdmissionOutcome =
  | { readonly admitted: true; /** ms spent held inside gates */ readonly queueWaitMs: number }
  | {
      readonly admitted: false;
      readonly reason: StopReason;
      readonly gate: string;
      readonly detail?: string;
    };

export class AdmissionPipeline {
  private stopReason: StopReason | undefined;
  private readonly stopped: Promise<void>;
  private resolveStopped!: () => void;
  private readonly stopController = new AbortController();
  private readonly output = new OutputEstimate();
  private admittedInFlight = 0;
  /** Handed to every gate's admit. */
  readonly context: AdmissionContext;

  constructor(
    readonly gates: readonly AdmissionGate[],
    private readonly clock: () => number,
    /** Checked after every hold: a closed-loop run's duration can end while a request waits. */
    private readonly isOver: () => StopReason | undefined = () => undefined,
  ) {
    this.stopped = new Promise<void>((r) => (this.resolveStopped = r));
    const inFlight = () => this.admittedInFlight;
    this.context = {
      now: clock,
      get inFlight() {
        return inFlight();
      },
      expectedOutputTokens: (request) => this.output.tokens(request.maxOutputTokens),
      signal: this.stopController.signal,
    };
  }

  /** The run is stopping: every request held in a gate is turned away. */
  stop(reason: StopReason): void {
    this.stopReason ??= reason;
    this.resolveStopped();
    this.stopController.abort();
    for (const g of this.gates) g.close?.();
  }

  get stopping(): StopReason | undefined {
    return this.stopReason;
  }

  /**
   * Admits or turns away one request. Returns synchronously when no gate holds (the common case in an
   * open-loop run: no promise per request), else a promise.
   */
  admit(request: AdmissionRequest): AdmissionOutcome | Promise<AdmissionOutcome> {
    const start = this.clock();
    for (let i = 0; i < this.gates.length; i++) {
      if (this.stopReason) return this.turnAway(request, i, { reason: this.stopReason }, 'run');
      const d = this.gates[i]!.admit(request, this.context);
      if (d instanceof Promise || d.kind === 'hold') return this.admitSlow(request, i, d, start);
      if (d.kind === 'stop') return this.turnAway(request, i, d, this.gates[i]!.name);
    }
    this.admittedInFlight++;
    return { admitted: true, queueWaitMs: 0 };
  }

  /** An admitted request finished (any outcome): every gate settles it. */
  settled(request: AdmissionRequest, sample: RequestSample): void {
    this.admittedInFlight--;
    this.output.record(sample);
    for (const g of this.gates) g.onSettled?.(request, sample);
  }

  private async admitSlow(
    request: AdmissionRequest,
    from: number,
    first: GateDecision | Promise<GateDecision>,
    start: number,
  ): Promise<AdmissionOutcome> {
    let pending: GateDecision | Promise<GateDecision> | undefined = first;
    for (let i = from; i < this.gates.length; i++) {
      const gate = this.gates[i]!;
      for (;;) {
        if (this.stopReason) return this.turnAway(request, i, { reason: this.stopReason }, 'run');
        const d: GateDecision = await (pending ?? gate.admit(request, this.context));
        pending = undefined;
        if (d.kind === 'admit') break;
        if (d.kind === 'stop') return this.turnAway(request, i, d, gate.name);
        await Promise.race([d.until, this.stopped]);
        const over = this.isOver();
        if (over) return this.turnAway(request, i, { reason: over }, 'run');
      }
    }
    if (this.stopReason) return this.turnAway(request, this.gates.length, { reason: this.stopReason }, 'run');
    this.admittedInFlight++;
    return { admitted: true, queueWaitMs: Math.max(0, this.clock() - start) };
  }

  private turnAway(
    request: AdmissionRequest,
    failedAt: number,
    d: { reason: StopReason; detail?: string },
    gate: string,
  ): AdmissionOutcome {
    for (let j = failedAt - 1; j >= 0; j--) this.gates[j]!.release?.(request);
    return { admitted: false, reason: d.reason, gate, ...(d.detail ? { detail: d.detail } : {}) };
  }
}

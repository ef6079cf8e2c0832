// The in-flight cap: at most `max` requests out at once; the rest wait in arrival order. A freed slot
// is handed to the oldest waiter directly, so a later arrival cannot take it first.
import { admitted, type AdmissionGate, type AdmissionRequest, type GateDecision } from './gate';

export class InFlightCapGate implements AdmissionGate {
  readonly name = 'in-flight cap';
  private inUse = 0;
  private readonly waiting: { index: number; wake: () => void }[] = [];
  private readonly granted = new Set<number>();

  constructor(readonly max: number) {
    if (!(max >= 1)) throw new RangeError(`in-flight cap must be >= 1, got ${max}`);
  }

  get inFlight(): number {
    return this.inUse;
  }

  get queued(): number {
    return this.waiting.length;
  }

  admit(request: AdmissionRequest): GateDecision {
    if (this.granted.delete(request.index)) return admitted;
    if (this.inUse < this.max && this.waiting.length === 0) {
      this.inUse++;
      return admitted;
    }
    return {
      kind: 'hold',
      until: new Promise<void>((wake) => this.waiting.push({ index: request.index, wake })),
    };
  }

  onSettled(): void {
    this.free();
  }

  release(): void {
    this.free();
  }

  close(): void {
    for (const w of this.waiting.splice(0)) w.wake();
  }

  private free(): void {
    const next = this.waiting.shift();
    if (next) {
      // The slot passes to the oldest waiter: inUse stays the same.
      this.granted.add(next.index);
      next.wake();
    } else this.inUse--;
  }
}

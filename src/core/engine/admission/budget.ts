// The spend budget. Each request reserves what it could cost before it goes out: its input at the
// catalog price plus an output reservation — max_tokens until a few requests have finished, then the
// running p99 of the output tokens seen so far (never above max_tokens). When the next reservation does
// not fit, the gate holds until in-flight requests settle (their real cost replaces their reservation);
// it stops the run only when the reservation cannot fit with nothing in flight.
// Guarantee: final cost <= budget + the cost of the requests in flight when it stopped, beyond their
// reservation (a reply longer than the observed p99).
import { admitted, Waiters, type AdmissionGate, type AdmissionRequest, type GateDecision } from './gate';
import { OutputEstimate } from './outputEstimate';
import type { RequestSample } from '../../model/run';

export class BudgetGate implements AdmissionGate {
  readonly name = 'budget';
  private readonly reservations = new Map<number, number>();
  private reservedUsd = 0;
  private readonly output = new OutputEstimate();
  private readonly waiters = new Waiters();
  /** Requests sent alone because their max_tokens reservation did not fit before output was observed. */
  probes = 0;
  private lastOutputReservation: number | undefined;

  constructor(
    readonly maxCostUsd: number,
    /** Cost of everything that has finished so far (from the server's usage). */
    private readonly spentUsd: () => number,
  ) {}

  /** Output tokens one request reserves now. */
  outputReservation(request: Pick<AdmissionRequest, 'maxOutputTokens'>): number {
    const n = this.output.tokens(request.maxOutputTokens);
    this.lastOutputReservation = n;
    return n;
  }

  /** How the reservation was made, for the run summary and its diagnosis. */
  describe(): {
    maxCostUsd: number;
    outputReservationTokens: number | null;
    basis: 'max_tokens' | 'observed-p99';
    probes: number;
  } {
    return {
      maxCostUsd: this.maxCostUsd,
      outputReservationTokens: this.lastOutputReservation ?? null,
      basis: this.output.observed ? 'observed-p99' : 'max_tokens',
      probes: this.probes,
    };
  }

  reservationUsd(request: AdmissionRequest): number {
    return request.inputCostUsd + this.outputReservation(request) * request.outputTokenCostUsd;
  }

  /** Reserved by requests in flight (USD). */
  get inFlightReservedUsd(): number {
    return this.reservedUsd;
  }

  admit(request: AdmissionRequest): GateDecision {
    const need = this.reservationUsd(request);
    const spent = this.spentUsd();
    if (spent + this.reservedUsd + need <= this.maxCostUsd) {
      this.reservations.set(request.index, need);
      this.reservedUsd += need;
      return admitted;
    }
    if (this.reservations.size > 0) return { kind: 'hold', until: this.waiters.wait() };
    // Until the output has been observed, a request that cannot fit at max_tokens goes out alone (a
    // probe): the overshoot is then at most that one request, and small budgets still send.
    if (
      !this.output.observed &&
      spent + request.inputCostUsd + request.outputTokenCostUsd <= this.maxCostUsd
    ) {
      this.reservations.set(request.index, need);
      this.reservedUsd += need;
      this.probes++;
      return admitted;
    }
    return {
      kind: 'stop',
      reason: 'budget',
      detail:
        `the next request reserves $${need.toPrecision(2)} (input plus ${this.outputReservation(request)} output tokens) ` +
        `and $${Math.max(0, this.maxCostUsd - spent).toPrecision(2)} of the $${this.maxCostUsd} budget is left`,
    };
  }

  onSettled(request: AdmissionRequest, sample: RequestSample): void {
    this.output.record(sample);
    this.unreserve(request);
  }

  release(request: AdmissionRequest): void {
    this.unreserve(request);
  }

  close(): void {
    this.waiters.wakeAll();
  }

  private unreserve(request: AdmissionRequest): void {
    const r = this.reservations.get(request.index);
    if (r === undefined) return;
    this.reservations.delete(request.index);
    this.reservedUsd -= r;
    if (this.reservations.size === 0) this.reservedUsd = 0; // no float drift when idle
    this.waiters.wakeAll();
  }
}

// Admission: every request passes a chain of gates before it is sent (stop conditions, budget,
// in-flight cap, and gates the caller adds, e.g. a rate limiter shared through Redis).
// A gate admits, holds until something changes, or stops the run with a reason.
import type { RequestSample, StopReason } from '../../model/run';

/** What a gate knows about the request asking to go out. */
export interface AdmissionRequest {
  /** Position in the schedule (0-based). */
  readonly index: number;
  readonly model: string;
  /** Input tokens as the API would count them (tools, images, system included): an estimate. */
  readonly inputTokens: number;
  /** max_tokens of the request: the most output it can generate. */
  readonly maxOutputTokens: number;
  /** Catalog price of the input at the estimate, and of one output token, in USD. */
  readonly inputCostUsd: number;
  readonly outputTokenCostUsd: number;
  /** When it was meant to go out (engine clock, ms): queue wait is measured from here. */
  readonly intendedAt: number;
}

export type GateDecision =
  | { readonly kind: 'admit' }
  | { readonly kind: 'stop'; readonly reason: StopReason; readonly detail?: string }
  /** Ask again after `until` settles (a slot frees, a refill time passes, a limiter answers). */
  | { readonly kind: 'hold'; readonly until: Promise<unknown> };

export const admitted: GateDecision = Object.freeze({ kind: 'admit' });

/** What a gate may ask the run while it decides (the same object for every call of one run). */
export interface AdmissionContext {
  /** The engine clock, ms since the run started (an injected clock in tests: never Date.now()). */
  now(): number;
  /** Requests admitted through every gate and not settled yet. */
  readonly inFlight: number;
  /**
   * Output tokens the request will likely generate: its max_tokens until 3 requests finished, then the
   * running p99 of their output, never above max_tokens (what a limiter should debit for OTPM).
   */
  expectedOutputTokens(request: AdmissionRequest): number;
  /** Aborted when the run stops: a gate waiting on something outside (a Redis round trip) gives up. */
  readonly signal: AbortSignal;
}

/**
 * One step of admission. The engine's own gates run first (stop conditions, budget, in-flight cap), then
 * `EngineOptions.gates` in order. For each request, `admit` is called until it admits or stops; after a
 * hold it is called again once `until` settles (or the run stops). Gates before a holding gate keep what
 * they granted. Exactly one of `onSettled` or `release` follows every admit a gate answered with admit:
 * - `onSettled` when the request was sent and finished, whatever the outcome (429, error, or aborted by
 *   the user: `sample.outcome` says; use `sample.inputTokens` / `outputTokens` to settle with the
 *   server's usage);
 * - `release` when it was not sent after all (a later gate stopped it, or the run stopped while it
 *   waited): give back what was reserved.
 */
export interface AdmissionGate {
  /** Short name used in the result (e.g. "budget", "in-flight cap", "shared limiter"). */
  readonly name: string;
  /** May return a promise (an async limiter), but sync is cheaper: most requests pass every gate at once. */
  admit(request: AdmissionRequest, ctx: AdmissionContext): GateDecision | Promise<GateDecision>;
  /** The request this gate admitted finished (any outcome); `sample` has the server's usage and cost. */
  onSettled?(request: AdmissionRequest, sample: RequestSample): void;
  /** The request this gate admitted will not be sent after all: release its reservation. */
  release?(request: AdmissionRequest): void;
  /** The run ends: wake anything this gate holds. */
  close?(): void;
}

/** FIFO waiters for gates that hold until a resource frees (slots, budget). */
export class Waiters {
  private readonly queue: (() => void)[] = [];

  get size(): number {
    return this.queue.length;
  }

  wait(): Promise<void> {
    return new Promise<void>((resolve) => this.queue.push(resolve));
  }

  wakeOne(): void {
    this.queue.shift()?.();
  }

  wakeAll(): void {
    for (const w of this.queue.splice(0)) w();
  }
}

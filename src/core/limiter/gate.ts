// The shared limiter as an engine admission gate: a load test (or `claude-load run`) honours the
// same org-wide limits as the app instances. admit() waits for a lease (the pipeline measures the
// wait as queue wait); onSettled() trues it up from the sample's usage, pauses every instance on a
// 429, and gives the reservation back when the request was not served; release() gives it back.
import type {
  AdmissionContext,
  AdmissionGate,
  AdmissionRequest,
  GateDecision,
  RequestSample,
} from '../engine/index';
import { LimiterUnavailableError } from './types';
import type { Lease, Limiter } from './types';

export interface LimiterGateOptions {
  /** Default "shared limiter". */
  name?: string;
  /** Output tokens to reserve; default the request's max_tokens. */
  outputTokens?: (request: AdmissionRequest) => number;
}

const ADMIT: GateDecision = Object.freeze({ kind: 'admit' });

export function limiterGate(limiter: Limiter, options: LimiterGateOptions = {}): AdmissionGate {
  const leases = new Map<number, Lease>();
  const closing = new AbortController();
  return {
    name: options.name ?? 'shared limiter',
    async admit(request: AdmissionRequest, ctx?: AdmissionContext): Promise<GateDecision> {
      // OTPM is debited at the engine's expected output (observed p99 once known), trued up at settle.
      const outputTokens =
        options.outputTokens?.(request) ?? ctx?.expectedOutputTokens(request) ?? request.maxOutputTokens;
      const signal = ctx ? AbortSignal.any([closing.signal, ctx.signal]) : closing.signal;
      try {
        const lease = await limiter.acquire({
          model: request.model,
          inputTokens: request.inputTokens,
          outputTokens,
          signal,
        });
        leases.set(request.index, lease);
        return ADMIT;
      } catch (e) {
        if (signal.aborted) return { kind: 'stop', reason: 'aborted' };
        const detail =
          e instanceof LimiterUnavailableError
            ? e.message
            : `shared limiter: ${(e as Error)?.message ?? String(e)}`;
        return { kind: 'stop', reason: 'failed', detail };
      }
    },
    onSettled(request: AdmissionRequest, sample: RequestSample): void {
      const lease = leases.get(request.index);
      if (!lease) return;
      leases.delete(request.index);
      if (sample.status === 429 && sample.retryAfterS) void limiter.pause(sample.retryAfterS, request.model);
      // Served (2xx): settle from usage. Anything else did not use the org's tokens: give them back.
      if (sample.status !== undefined && sample.status >= 200 && sample.status < 300) {
        const rl = sample.rateLimit;
        void lease.settle(
          {
            input_tokens: sample.inputTokens,
            output_tokens: sample.outputTokens,
            cache_creation_input_tokens: sample.cacheWriteTokens,
            cache_read_input_tokens: sample.cacheReadTokens,
          },
          rl
            ? {
                requests: rl.requests?.remaining,
                inputTokens: rl.inputTokens?.remaining,
                outputTokens: rl.outputTokens?.remaining,
              }
            : undefined,
        );
      } else {
        lease.release();
      }
    },
    release(request: AdmissionRequest): void {
      leases.get(request.index)?.release();
      leases.delete(request.index);
    },
    close(): void {
      closing.abort();
    },
  };
}

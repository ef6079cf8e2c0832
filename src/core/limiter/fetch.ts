// limitedFetch: the one line an app adds (`new Anthropic({ fetch: limitedFetch(limiter) })`).
// Every POST /v1/messages takes a lease sized from the request body (the simulator's own token
// counter: tools and images included), then settles it from the reply's usage (JSON, or the SSE
// stream read in passing), pauses every instance on a 429's retry-after, re-syncs from the
// `anthropic-ratelimit-*-remaining` headers, and optionally runs AIMD on concurrency.
import { findModel, builtinCatalog } from '../catalog/index';
import { estimateRequestTokens } from '../tokens/count';
import { AimdConcurrency } from './aimd';
import type { AimdOptions } from './aimd';
import { tapSseUsage } from './usageTap';
import type { ApiUsage, Lease, Limiter, RemainingSnapshot } from './types';

type FetchLike = typeof fetch;
type FetchInput = Parameters<FetchLike>[0];

export interface LimitedFetchOptions {
  /** AIMD on requests in flight (cut on 429/529, grow while the headers show headroom). `true` = defaults. */
  adaptive?: boolean | AimdOptions;
  /** The fetch to wrap. Default globalThis.fetch. */
  fetch?: FetchLike;
  /** Output tokens to reserve before the reply is known. Default: the running mean of this model's replies, capped by max_tokens (max_tokens until one is seen). */
  estimateOutputTokens?: (body: Record<string, unknown>) => number;
  /** Called with every lease taken (rehearsals measure the wait). */
  onLease?: (lease: Lease) => void;
}

export interface LimitedFetch extends FetchLike {
  /** The AIMD controller when `adaptive` is on. */
  readonly concurrency: AimdConcurrency | null;
}

const MESSAGES_PATH = /\/v1\/messages\/?(\?|$)/;

function urlOf(input: FetchInput): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/** Seconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterSeconds(headers: Headers, nowMs: number = Date.now()): number | null {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms / 1000;
  const v = headers.get('retry-after');
  if (v === null) return null;
  const s = Number(v);
  if (Number.isFinite(s)) return s >= 0 ? s : null;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, (at - nowMs) / 1000) : null;
}

/** `anthropic-ratelimit-{requests,input-tokens,output-tokens}-remaining` as a snapshot (absent -> undefined). */
export function remainingFromHeaders(headers: Headers): RemainingSnapshot | undefined {
  const num = (name: string) => {
    const v = headers.get(name);
    if (v === null) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const snap: RemainingSnapshot = {
    requests: num('anthropic-ratelimit-requests-remaining'),
    inputTokens: num('anthropic-ratelimit-input-tokens-remaining'),
    outputTokens: num('anthropic-ratelimit-output-tokens-remaining'),
  };
  return snap.requests === undefined && snap.inputTokens === undefined && snap.outputTokens === undefined
    ? undefined
    : snap;
}

/** Headroom: every reported remaining above 10 % of its limit (no headers: assume headroom). */
function hasHeadroom(headers: Headers): boolean {
  for (const kind of ['requests', 'input-tokens', 'output-tokens']) {
    const rem = Number(headers.get(`anthropic-ratelimit-${kind}-remaining`));
    const lim = Number(headers.get(`anthropic-ratelimit-${kind}-limit`));
    if (headers.has(`anthropic-ratelimit-${kind}-remaining`) && lim > 0 && rem < 0.1 * lim) return false;
  }
  return true;
}

/** Wraps fetch so every Messages call goes through the limiter. */
export function limitedFetch(limiter: Limiter, options: LimitedFetchOptions = {}): LimitedFetch {
  const inner: FetchLike = options.fetch ?? globalThis.fetch.bind(globalThis);
  const aimd = options.adaptive
    ? new AimdConcurrency(typeof options.adaptive === 'object' ? options.adaptive : {})
    : null;
  const meanOutput = new Map<string, number>();
  const estimateOutput =
    options.estimateOutputTokens ??
    ((body: Record<string, unknown>) => {
      const max = typeof body.max_tokens === 'number' ? body.max_tokens : 4096;
      const mean = meanOutput.get(String(body.model));
      return mean === undefined ? max : Math.min(max, Math.ceil(mean));
    });
  const learn = (model: string, output: number) => {
    const prev = meanOutput.get(model);
    meanOutput.set(model, prev === undefined ? output : prev * 0.9 + output * 0.1);
  };

  const wrapped = async (input: FetchInput, init?: RequestInit): Promise<Response> => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const body = init?.body;
    if (method !== 'POST' || typeof body !== 'string' || !MESSAGES_PATH.test(urlOf(input))) {
      return inner(input, init);
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return inner(input, init);
    }
    const model = typeof parsed.model === 'string' ? parsed.model : undefined;
    // The newer tokenizer counts more: assume it for models the catalog does not know.
    const tokenizer = (model && findModel(builtinCatalog, model)?.tokenizer) || 'new';
    const inputTokens = estimateRequestTokens(parsed, tokenizer);
    const outputTokens = estimateOutput(parsed);
    const signal = init?.signal ?? undefined;

    if (aimd) await aimd.acquire(signal);
    let slotHeld = aimd !== null;
    const freeSlot = () => {
      if (slotHeld) {
        slotHeld = false;
        aimd!.release();
      }
    };
    let lease: Lease;
    try {
      lease = await limiter.acquire({ model, inputTokens, outputTokens, signal });
    } catch (e) {
      freeSlot();
      throw e;
    }
    options.onLease?.(lease);
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (e) {
      lease.release();
      freeSlot();
      throw e;
    }

    const status = response.status;
    if (status === 429 || status === 529) {
      // Not served: give the reservation back, and on 429 stop every instance for retry-after.
      lease.release();
      if (status === 429) {
        const s = retryAfterSeconds(response.headers);
        if (s !== null && s > 0) void limiter.pause(s, model).catch(() => undefined);
      }
      aimd?.onOverload();
      freeSlot();
      return response;
    }
    if (status < 200 || status >= 300 || !response.body) {
      lease.release();
      freeSlot();
      return response;
    }
    const remaining = remainingFromHeaders(response.headers);
    const headroom = hasHeadroom(response.headers);
    const finish = (usage: ApiUsage | null) => {
      if (usage) {
        if (model && typeof usage.output_tokens === 'number') learn(model, usage.output_tokens);
        void lease.settle(usage, remaining);
      }
      aimd?.onSuccess(headroom);
      freeSlot();
    };
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream')) {
      const { stream, done } = tapSseUsage(response.body);
      void done.then((r) => finish(r.usage));
      return new Response(stream, { status, statusText: response.statusText, headers: response.headers });
    }
    // JSON replies are small and the SDK reads them whole anyway: read a clone for the usage.
    response
      .clone()
      .json()
      .then(
        (j: unknown) => finish((j as { usage?: ApiUsage } | null)?.usage ?? null),
        () => finish(null),
      );
    return response;
  };
  return Object.assign(wrapped, { concurrency: aimd }) as LimitedFetch;
}

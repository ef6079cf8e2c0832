// Sends one Messages request with the official SDK and measures it: send, first text delta, end,
// usage from the server, outcome class and the rate-limit headers.
import type { Agent } from 'undici';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  type Anthropic,
} from '@anthropic-ai/sdk';
import type {
  MessageCreateParamsNonStreaming,
  MessageCreateParamsStreaming,
} from '@anthropic-ai/sdk/resources/messages';
import type { Outcome, RateLimitSnapshot, RequestSample } from '../model/run';

/** The SDK's per-request fetch options (its RequestOptions type is not exported by path). */
type FetchOptions = NonNullable<NonNullable<Parameters<Anthropic['messages']['create']>[1]>['fetchOptions']>;

/**
 * Counts the SDK's attempts (its retries included) of one logical request. It rides in the request's
 * `fetchOptions` under a symbol, which the SDK spreads into every attempt's fetch init: the run's
 * fetch (target.ts) bumps it and undici ignores it. (A header did the same at the cost of building,
 * copying and stripping a Headers per request.)
 */
export const attemptCounter: unique symbol = Symbol('claude-load attempt counter');
export interface AttemptCounter {
  count: number;
}

/** What one send measures; the engine adds index, model, intended time, attempts and cost. */
export type RequestMeasurement = Omit<
  RequestSample,
  'index' | 'model' | 'intendedAt' | 'attempts' | 'costUsd' | 'thinkingTokens'
>;

interface Usage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_1h_input_tokens?: number | null } | null;
}

export interface SendOptions {
  client: Anthropic;
  body: Record<string, unknown>;
  stream: boolean;
  signal: AbortSignal;
  clock: () => number;
  /** SDK-retry mode: counts every attempt of this request. */
  attempts?: AttemptCounter | undefined;
}

/** The run's own connection pool of each client resolveTarget built (none with an injected fetch). */
const connectionPools = new WeakMap<Anthropic, Agent>();
const watchedSignals = new WeakSet<AbortSignal>();

/**
 * When `signal` aborts, destroys the client's connections, which ends every request in flight on them.
 * One listener per signal, however many requests. False when the client has no pool of its own: then
 * each request must carry the signal.
 */
export function cutConnectionsOnAbort(client: Anthropic, signal: AbortSignal): boolean {
  const pool = connectionPools.get(client);
  if (!pool) return false;
  if (!watchedSignals.has(signal)) {
    watchedSignals.add(signal);
    signal.addEventListener('abort', () => void pool.destroy().catch(() => {}), { once: true });
  }
  return true;
}

export function registerConnectionPool(client: Anthropic, pool: Agent): void {
  connectionPools.set(client, pool);
}

/**
 * Sends and fills in `m`, which the caller made (the engine's sample is that very object: no copy
 * per request) with sentAt set, outcome 'ok' and zero tokens. Returns the characters of thinking
 * text received, which the engine turns into a token estimate. Never throws: every failure becomes
 * an outcome.
 */
export async function sendMeasured(opts: SendOptions, m: RequestMeasurement): Promise<number> {
  const { client, clock } = opts;
  let thinkingChars = 0;
  // Requests carry the run's signal only when its connections cannot be cut in one go (see target.ts).
  const perRequestSignal = !cutConnectionsOnAbort(client, opts.signal);
  // No options object at all when there is nothing to pass: one allocation fewer.
  const reqOpts =
    perRequestSignal || opts.attempts
      ? {
          ...(perRequestSignal ? { signal: opts.signal } : {}),
          ...(opts.attempts ? { fetchOptions: { [attemptCounter]: opts.attempts } as FetchOptions } : {}),
        }
      : undefined;
  let gotHeaders = false;
  try {
    if (opts.stream) {
      // Not withResponse(): it also reads two headers we do not use and joins two promises.
      const call = client.messages.create(
        { ...opts.body, stream: true } as unknown as MessageCreateParamsStreaming,
        reqOpts,
      );
      const stream = await call;
      const response = await call.asResponse();
      gotHeaders = true;
      m.status = response.status;
      m.rateLimit = parseRateLimitHeaders(response.headers);
      let stopped = false;
      for await (const event of stream) {
        switch (event.type) {
          case 'message_start':
            applyUsage(m, event.message.usage as Usage);
            break;
          case 'content_block_start':
            if (event.content_block.type === 'tool_use') m.toolUseBlocks = (m.toolUseBlocks ?? 0) + 1;
            break;
          case 'content_block_delta': {
            // TTFT is the first non-empty text delta, not message_start or a ping; the first content
            // of any kind (thinking, tool input) is measured too.
            const d = event.delta;
            const size =
              d.type === 'text_delta'
                ? d.text.length
                : d.type === 'thinking_delta'
                  ? d.thinking.length
                  : d.type === 'input_json_delta'
                    ? d.partial_json.length
                    : 0;
            if (size > 0) {
              // The clock is read only for a first: most deltas cost nothing here.
              if (m.firstContentAt === undefined) m.firstContentAt = clock();
              if (d.type === 'text_delta') {
                if (m.firstTextAt === undefined) m.firstTextAt = clock();
              } else if (d.type === 'thinking_delta') thinkingChars += size;
            }
            break;
          }
          case 'message_delta':
            applyUsage(m, event.usage as Usage);
            break;
          case 'message_stop':
            stopped = true;
            break;
        }
      }
      m.endAt = clock();
      if (!stopped) {
        // The SDK ends iteration quietly when the request is aborted.
        m.outcome = opts.signal.aborted ? 'aborted' : 'stream_error';
        m.errorMessage = opts.signal.aborted ? 'aborted by the run' : 'stream ended before message_stop';
      }
    } else {
      const call = client.messages.create(opts.body as unknown as MessageCreateParamsNonStreaming, reqOpts);
      const data = await call;
      m.endAt = clock();
      const response = await call.asResponse();
      m.status = response.status;
      m.rateLimit = parseRateLimitHeaders(response.headers);
      applyUsage(m, data.usage as Usage);
      for (const b of data.content) {
        if (b.type === 'thinking') thinkingChars += b.thinking.length;
        else if (b.type === 'tool_use') m.toolUseBlocks = (m.toolUseBlocks ?? 0) + 1;
      }
    }
  } catch (e) {
    m.endAt = clock();
    classifyError(m, e, gotHeaders);
    if (opts.signal.aborted) m.outcome = 'aborted';
  }
  return thinkingChars;
}

function applyUsage(m: RequestMeasurement, u: Usage | undefined): void {
  if (!u) return;
  // message_delta usage is cumulative; message_start carries input and cache figures.
  if (typeof u.input_tokens === 'number' && u.input_tokens > 0) m.inputTokens = u.input_tokens;
  if (typeof u.output_tokens === 'number') m.outputTokens = u.output_tokens;
  if (typeof u.cache_read_input_tokens === 'number') m.cacheReadTokens = u.cache_read_input_tokens;
  if (typeof u.cache_creation_input_tokens === 'number') {
    m.cacheWriteTokens = u.cache_creation_input_tokens;
    m.cacheWrite1hTokens = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  }
}

export function classifyError(m: RequestMeasurement, e: unknown, afterHeaders: boolean): void {
  const err = e as Error;
  m.errorMessage = err?.message ?? String(e);
  if (e instanceof APIUserAbortError) {
    m.outcome = 'aborted';
  } else if (e instanceof APIConnectionTimeoutError) {
    m.outcome = 'timeout';
  } else if (e instanceof APIConnectionError) {
    m.outcome = afterHeaders ? 'stream_error' : 'network';
  } else if (e instanceof APIError) {
    m.errorCode = e.errorCode ?? e.type ?? undefined;
    // "429 rate_limit_error: Number of requests has exceeded ..." reads better than the raw body.
    if (e.apiMessage)
      m.errorMessage = [e.status, e.type].filter((x) => x != null).join(' ') + `: ${e.apiMessage}`;
    if (e.status === undefined) {
      m.outcome = 'stream_error'; // an SSE `error` event after HTTP 200
    } else {
      m.status = e.status;
      m.outcome = outcomeForStatus(e.status);
      if (e.headers) {
        m.rateLimit = parseRateLimitHeaders(e.headers);
        const ra = e.headers.get('retry-after');
        if (ra !== null && ra !== '' && Number.isFinite(Number(ra))) m.retryAfterS = Number(ra);
      }
    }
  } else if (err?.name === 'AbortError') {
    m.outcome = 'aborted';
  } else {
    m.outcome = afterHeaders ? 'stream_error' : 'network';
  }
}

export function outcomeForStatus(status: number): Outcome {
  if (status === 429) return 'rate_limited';
  if (status === 529) return 'overloaded';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server_error';
  return 'client_error';
}

// Header names built once, lower-case (read for every response).
const rateLimitHeaderNames = (kind: string) =>
  [`anthropic-ratelimit-${kind}-remaining`, `anthropic-ratelimit-${kind}-limit`] as const;
const requestsHeaders = rateLimitHeaderNames('requests');
const inputHeaders = rateLimitHeaderNames('input-tokens');
const outputHeaders = rateLimitHeaderNames('output-tokens');

function limitState(
  h: Headers,
  names: readonly [remaining: string, limit: string],
): { limit: number; remaining: number } | undefined {
  const remainingRaw = h.get(names[0]);
  if (remainingRaw === null) return undefined; // no limit header read either
  const limitRaw = h.get(names[1]);
  if (limitRaw === null) return undefined;
  const limit = Number(limitRaw);
  return limit > 0 ? { limit, remaining: Number(remainingRaw) } : undefined;
}

/** Reads the three per-kind limits (reset times are not needed for headroom; skipped on the hot path). */
export function parseRateLimitHeaders(h: Headers): RateLimitSnapshot | undefined {
  const r = limitState(h, requestsHeaders);
  const i = limitState(h, inputHeaders);
  const o = limitState(h, outputHeaders);
  if (!r && !i && !o) return undefined;
  const snap: RateLimitSnapshot = {};
  if (r) snap.requests = r;
  if (i) snap.inputTokens = i;
  if (o) snap.outputTokens = o;
  return snap;
}

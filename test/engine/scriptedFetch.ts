// A Messages API as a fetch function (no socket, no wall clock): replies are scripted per request, and
// their timings move an injected manual clock, so engine tests are exact and can run in parallel.
import { scriptedErrorBody, scriptedMessage, type ScriptedReply } from '../fixtures/scriptedServer';

/** A monotonic clock the test (and the scripted replies) move forward. */
export class ManualClock {
  now = 0;
  readonly read = (): number => this.now;
  advanceTo(t: number): void {
    if (t > this.now) this.now = t;
  }
}

export interface FetchReply extends ScriptedReply {
  /** Never answer until the request is aborted (user stop, timeout). */
  hang?: boolean;
}

export interface ScriptedFetch {
  fetch: typeof globalThis.fetch;
  /** Bodies and headers of every /v1/messages request, in order. */
  requests: { body: any; headers: Headers }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function scriptedFetch(
  script: (index: number) => FetchReply,
  clock = new ManualClock(),
): ScriptedFetch {
  let index = 0;
  const requests: ScriptedFetch['requests'] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.includes('/v1/models'))
      return Response.json({ data: [], has_more: false, first_id: null, last_id: null });
    const body = JSON.parse(String(init?.body ?? '{}'));
    requests.push({ body, headers: new Headers(init?.headers) });
    const r = script(index++);
    const id = index;
    const start = clock.now;
    const at = (ms: number | undefined) => clock.advanceTo(start + (ms ?? 0));
    const headers = new Headers({ 'request-id': `req_${id}` });
    const put = (name: string, v?: [number, number]) => {
      if (!v) return;
      headers.set(`anthropic-ratelimit-${name}-limit`, String(v[0]));
      headers.set(`anthropic-ratelimit-${name}-remaining`, String(v[1]));
    };
    put('requests', r.rateLimit?.requests);
    put('input-tokens', r.rateLimit?.input);
    put('output-tokens', r.rateLimit?.output);
    if (r.hang) {
      return new Promise<Response>((_, reject) => {
        const signal = init?.signal;
        const abort = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
        if (signal?.aborted) abort();
        signal?.addEventListener('abort', abort, { once: true });
      });
    }
    const status = r.status ?? 200;
    if (status !== 200) {
      at(r.totalMs);
      if (r.retryAfter !== undefined) headers.set('retry-after', String(r.retryAfter));
      headers.set('x-should-retry', status === 429 || status >= 500 ? 'true' : 'false');
      return Response.json(scriptedErrorBody(r, status, id), { status, headers });
    }
    const { usage, message } = scriptedMessage(r, id, body.model);
    if (!body.stream) {
      at(r.totalMs);
      return Response.json(
        { ...message, content: [{ type: 'text', text: 'OK' }], stop_reason: 'end_turn', usage },
        { headers },
      );
    }
    const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    const delta = (text: string) =>
      sse('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text },
      });
    // One step per pull: each step may move the clock before its bytes are read.
    const steps: (() => string | Error)[] = [
      () => sse('message_start', { type: 'message_start', message }),
      () =>
        sse('content_block_start', {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'text', text: '' },
        }) + sse('ping', { type: 'ping' }),
      () => (at(r.ttftMs), delta('') + delta('O')),
    ];
    if (r.disconnectMidStream) steps.push(() => new TypeError('terminated'));
    else if (r.midStreamError)
      steps.push(() =>
        sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
      );
    else
      steps.push(
        () => (
          at(r.totalMs),
          delta('K') + sse('content_block_stop', { type: 'content_block_stop', index: 0 })
        ),
        () =>
          sse('message_delta', {
            type: 'message_delta',
            delta: { stop_reason: 'end_turn', stop_sequence: null },
            usage: { output_tokens: usage.output_tokens },
          }) + sse('message_stop', { type: 'message_stop' }),
      );
    const encoder = new TextEncoder();
    // highWaterMark 0: a step runs only when the client reads, so the clock never runs ahead of it.
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const step = steps.shift();
          if (!step) return controller.close();
          const out = step();
          if (out instanceof Error) controller.error(out);
          else controller.enqueue(encoder.encode(out));
        },
      },
      { highWaterMark: 0 },
    );
    headers.set('content-type', 'text/event-stream');
    return new Response(stream, { status: 200, headers });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

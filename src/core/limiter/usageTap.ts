// Reads `usage` from a streamed Messages reply while passing every byte through untouched (no
// buffering beyond one SSE event): message_start carries the input side, message_delta the
// cumulative output tokens.
import type { ApiUsage } from './types';

export interface UsageTapResult {
  usage: ApiUsage | null;
  /** The stream ended normally (message_stop or end of body) rather than being cancelled or failing. */
  complete: boolean;
}

function mergeUsage(into: ApiUsage, u: Record<string, unknown>): void {
  for (const k of [
    'input_tokens',
    'output_tokens',
    'cache_creation_input_tokens',
    'cache_read_input_tokens',
  ] as const) {
    const v = u[k];
    if (typeof v === 'number') into[k] = v;
  }
}

/** Parses SSE text incrementally; calls back on message_start / message_delta usage. */
export class SseUsageParser {
  private buf = '';
  readonly usage: ApiUsage = {};
  seen = false;

  push(text: string): void {
    this.buf += text;
    for (;;) {
      const i = this.buf.indexOf('\n\n');
      const j = this.buf.indexOf('\r\n\r\n');
      let end = i;
      let sep = 2;
      if (j >= 0 && (i < 0 || j < i)) {
        end = j;
        sep = 4;
      }
      if (end < 0) break;
      const event = this.buf.slice(0, end);
      this.buf = this.buf.slice(end + sep);
      this.onEvent(event);
    }
  }

  private onEvent(raw: string): void {
    // Only two event types carry usage; skip the JSON parse for every content delta.
    if (!raw.includes('message_start') && !raw.includes('message_delta')) return;
    let data = '';
    for (const line of raw.split(/\r?\n/)) if (line.startsWith('data:')) data += line.slice(5).trimStart();
    if (!data) return;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (msg.type === 'message_start') {
      const m = msg.message as Record<string, unknown> | undefined;
      const u = m?.usage;
      if (u && typeof u === 'object') {
        mergeUsage(this.usage, u as Record<string, unknown>);
        this.seen = true;
      }
    } else if (msg.type === 'message_delta') {
      const u = msg.usage;
      if (u && typeof u === 'object') {
        mergeUsage(this.usage, u as Record<string, unknown>);
        this.seen = true;
      }
    }
  }
}

/**
 * Wraps a response body: the returned stream yields the same chunks; `done` resolves with the usage
 * seen once the consumer finished, cancelled, or the body failed.
 */
export function tapSseUsage(body: ReadableStream<Uint8Array>): {
  stream: ReadableStream<Uint8Array>;
  done: Promise<UsageTapResult>;
} {
  const parser = new SseUsageParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let finish!: (r: UsageTapResult) => void;
  const done = new Promise<UsageTapResult>((r) => (finish = r));
  let finished = false;
  const end = (complete: boolean) => {
    if (finished) return;
    finished = true;
    finish({ usage: parser.seen ? parser.usage : null, complete });
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: eof, value } = await reader.read();
        if (eof) {
          parser.push(decoder.decode());
          controller.close();
          end(true);
          return;
        }
        parser.push(decoder.decode(value, { stream: true }));
        controller.enqueue(value);
      } catch (e) {
        end(false);
        controller.error(e);
      }
    },
    async cancel(reason) {
      end(false);
      await reader.cancel(reason);
    },
  });
  return { stream, done };
}

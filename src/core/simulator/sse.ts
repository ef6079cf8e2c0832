// Server-sent events of a Messages stream, as text. Constant events are precomputed once.
import type { StopReason } from './generator';
import type { UsageCounts } from './state';

export const SSE_HEADERS = ['content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache'];

export const PING = 'event: ping\ndata: {"type":"ping"}\n\n';
export const CONTENT_BLOCK_START =
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n';
export const CONTENT_BLOCK_STOP =
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n';
export const MESSAGE_STOP = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';

const DELTA_HEAD =
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":';
const DELTA_TAIL = '}}\n\n';

export function textDelta(text: string): string {
  return DELTA_HEAD + JSON.stringify(text) + DELTA_TAIL;
}

/** The `usage` object of a Message (also inside message_start). */
export function usageObject(u: UsageCounts, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: u.write5m + u.write1h,
    cache_read_input_tokens: u.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: u.write5m, ephemeral_1h_input_tokens: u.write1h },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

/** A complete Message object. */
export function messageObject(
  id: string,
  model: string,
  text: string | null,
  stopReason: StopReason | null,
  stopSequence: string | null,
  usage: UsageCounts,
  outputTokens: number,
): Record<string, unknown> {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: text === null ? [] : [{ type: 'text', text }],
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    stop_details: null,
    usage: usageObject(usage, outputTokens),
  };
}

/** message_start, content_block_start and a ping: what a stream sends before the first token. */
export function streamHead(id: string, model: string, usage: UsageCounts): string {
  const message = messageObject(id, model, null, null, null, usage, 1);
  return (
    'event: message_start\ndata: ' +
    JSON.stringify({ type: 'message_start', message }) +
    '\n\n' +
    CONTENT_BLOCK_START +
    PING
  );
}

/** content_block_stop, message_delta (cumulative usage) and message_stop. */
export function streamTail(
  stopReason: StopReason,
  stopSequence: string | null,
  usage: UsageCounts,
  outputTokens: number,
): string {
  const delta = {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: stopSequence, stop_details: null },
    usage: {
      input_tokens: usage.input,
      cache_creation_input_tokens: usage.write5m + usage.write1h,
      cache_read_input_tokens: usage.cacheRead,
      output_tokens: outputTokens,
    },
  };
  return CONTENT_BLOCK_STOP + 'event: message_delta\ndata: ' + JSON.stringify(delta) + '\n\n' + MESSAGE_STOP;
}

export function errorEvent(type: string, message: string, requestId: string): string {
  return (
    'event: error\ndata: ' +
    JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId }) +
    '\n\n'
  );
}

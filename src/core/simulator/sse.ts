// Server-sent events of a Messages stream, as text. Constant events are precomputed once.
import type { Reply, ReplyBlock, StopReason } from './generator';
import type { UsageCounts } from './state';

export const SSE_HEADERS: string[] = [
  'content-type',
  'text/event-stream; charset=utf-8',
  'cache-control',
  'no-cache',
];

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

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** A block as content_block_start announces it (empty thinking, tool input `{}`). */
function blockHead(b: ReplyBlock): Record<string, unknown> {
  if (b.kind === 'thinking') return { type: 'thinking', thinking: '', signature: '' };
  if (b.kind === 'tool_use') return { type: 'tool_use', id: b.id, name: b.name, input: {} };
  return { type: 'text', text: '' };
}

export function blockStart(b: ReplyBlock, index: number): string {
  return event('content_block_start', { index, content_block: blockHead(b) });
}

/** content_block_stop, preceded by the signature_delta a thinking block ends with. */
export function blockStop(b: ReplyBlock, index: number): string {
  const sig =
    b.kind === 'thinking'
      ? event('content_block_delta', { index, delta: { type: 'signature_delta', signature: b.signature } })
      : '';
  return sig + (index === 0 ? CONTENT_BLOCK_STOP : event('content_block_stop', { index }));
}

function blockDelta(b: ReplyBlock, index: number, text: string): string {
  if (index === 0 && b.kind === 'text') return textDelta(text);
  const delta =
    b.kind === 'thinking'
      ? { type: 'thinking_delta', thinking: text }
      : b.kind === 'tool_use'
        ? { type: 'input_json_delta', partial_json: text }
        : { type: 'text_delta', text };
  return event('content_block_delta', { index, delta });
}

/**
 * The events of output tokens [from, to): one delta per block touched, with the stop of the previous
 * block and the start of the next where a block boundary falls inside the range.
 */
export function renderTokens(reply: Reply, from: number, to: number): string {
  const pieces = reply.pieces;
  const blocks = reply.blocks;
  if (!blocks) {
    let text = pieces[from]!;
    for (let i = from + 1; i < to; i++) text += pieces[i];
    return textDelta(text);
  }
  let out = '';
  for (let b = 0; b < blocks.length; b++) {
    const blk = blocks[b]!;
    const s = Math.max(from, blk.start);
    const e = Math.min(to, blk.end);
    if (s >= e) continue;
    if (b > 0 && s === blk.start) out += blockStop(blocks[b - 1]!, b - 1) + blockStart(blk, b);
    let text = '';
    for (let i = s; i < e; i++) text += pieces[i];
    out += blockDelta(blk, b, text);
  }
  return out;
}

/** The `content` array of a finished reply. */
export function replyContent(reply: Reply): Record<string, unknown>[] {
  const blocks = reply.blocks ?? [{ kind: 'text' as const, start: 0, end: reply.pieces.length }];
  if (blocks.length === 0) return [{ type: 'text', text: '' }];
  return blocks.map((b) => {
    const text = reply.pieces.slice(b.start, b.end).join('');
    if (b.kind === 'thinking') return { type: 'thinking', thinking: text, signature: b.signature };
    if (b.kind === 'tool_use') return { type: 'tool_use', id: b.id, name: b.name, input: b.input };
    return { type: 'text', text };
  });
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
  content: Record<string, unknown>[],
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
    content,
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    stop_details: null,
    usage: usageObject(usage, outputTokens),
  };
}

/** message_start, content_block_start and a ping: what a stream sends before the first token. */
export function streamHead(id: string, model: string, usage: UsageCounts, first?: ReplyBlock): string {
  const message = messageObject(id, model, [], null, null, usage, 1);
  return (
    'event: message_start\ndata: ' +
    JSON.stringify({ type: 'message_start', message }) +
    '\n\n' +
    (first && first.kind !== 'text' ? blockStart(first, 0) : CONTENT_BLOCK_START) +
    PING
  );
}

/** content_block_stop, message_delta (cumulative usage) and message_stop. */
export function streamTail(
  stopReason: StopReason,
  stopSequence: string | null,
  usage: UsageCounts,
  outputTokens: number,
  closeLast: string = CONTENT_BLOCK_STOP,
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
  return closeLast + 'event: message_delta\ndata: ' + JSON.stringify(delta) + '\n\n' + MESSAGE_STOP;
}

export function errorEvent(type: string, message: string, requestId: string): string {
  return (
    'event: error\ndata: ' +
    JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId }) +
    '\n\n'
  );
}

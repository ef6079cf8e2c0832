// Seeded replies. "Respond with exactly: X" gets X; "... at least N words" gets exactly
// min(N, max_tokens) tokens; anything else gets a filler reply whose length (in output tokens) is
// drawn from a normal distribution, capped by max_tokens. composeReply() adds a thinking block and
// tool_use blocks. A reply is a list of pieces, one per output token (thinking, text and tool input
// JSON alike), so usage.output_tokens and the streamed deltas agree by construction.
import type { TokenizerGeneration } from '../catalog/index';
import type { Rng } from '../util/random';
import { estimateTokens } from '../tokens/count';
import { valueForSchema } from './schemaValue';
import type { Effort, MessagesRequest } from './validation';

export interface ReplyLength {
  mean: number;
  sd: number;
}

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';

/** A content block of a reply: pieces [start, end) belong to it. */
export type ReplyBlock = { start: number; end: number } & (
  | { kind: 'text' }
  | { kind: 'thinking'; signature: string }
  | { kind: 'tool_use'; id: string; name: string; input: unknown }
);

export interface Reply {
  /** One string per output token. */
  pieces: string[];
  stopReason: StopReason;
  stopSequence: string | null;
  /** The content blocks in order; absent means one text block over all pieces. Never empty blocks. */
  blocks?: ReplyBlock[];
}

const WORDS = (
  'the load test sends many requests and each one waits for a reply from this local server ' +
  'which streams tokens at a steady pace so that latency charts look like the real thing ' +
  'while nothing leaves the machine and no money is spent on rehearsal runs of any size ' +
  'rate limits refill over time cache hits save input tokens output speed depends on model'
).split(' ');

const EXACT = /respond with exactly:?[ \t]*([^\n]+)/i;
/** A prompt asking for a long answer (the engine's `--output-tokens N` workload). */
const AT_LEAST = /at least (\d[\d,]*) words/i;

/** The text of the last user message (string content or its text blocks). */
function lastUserText(body: Record<string, unknown>): string {
  const messages = body.messages as { role: string; content: unknown }[];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    let s = '';
    for (const b of m.content as { type: string; text?: unknown }[]) {
      if (b.type === 'text' && typeof b.text === 'string') s += (s ? '\n' : '') + b.text;
    }
    return s;
  }
  return '';
}

/** The forced reply of a "Respond with exactly: X" prompt, or null. */
export function exactReply(body: Record<string, unknown>): string | null {
  const text = lastUserText(body);
  if (text.length === 0 || !/exactly/i.test(text)) return null;
  const m = EXACT.exec(text);
  if (!m) return null;
  let reply = m[1]!.trim();
  const q = reply[0];
  if (reply.length >= 2 && (q === '"' || q === "'" || q === '`') && reply.endsWith(q)) {
    reply = reply.slice(1, -1);
  }
  return reply;
}

/** N of a prompt that asks for "at least N words" (in its last user message), or null. */
export function atLeastWords(body: Record<string, unknown>): number | null {
  const m = AT_LEAST.exec(lastUserText(body));
  if (!m) return null;
  const n = Number(m[1]!.replace(/,/g, ''));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Splits a forced reply into as many pieces as it has tokens. */
function splitExact(text: string, tokenizer: TokenizerGeneration): string[] {
  const n = Math.max(1, estimateTokens(text, tokenizer));
  const size = Math.ceil(text.length / n);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(text.slice(i * size, (i + 1) * size));
  return out;
}

// Every spelling a piece can take, built once, so a reply is an array of shared strings (a few
// thousand open streams hold their replies in memory).
const capital = (w: string) => w[0]!.toUpperCase() + w.slice(1);
const VARIANTS = {
  first: WORDS.map(capital),
  firstEnd: WORDS.map((w) => capital(w) + '.'),
  startSentence: WORDS.map((w) => ' ' + capital(w)),
  startSentenceEnd: WORDS.map((w) => ' ' + capital(w) + '.'),
  mid: WORDS.map((w) => ' ' + w),
  midEnd: WORDS.map((w) => ' ' + w + '.'),
};

function filler(rng: Rng, n: number): string[] {
  const out = new Array<string>(n);
  let sentenceLeft = 0;
  for (let i = 0; i < n; i++) {
    const k = rng.int(WORDS.length);
    const starts = sentenceLeft === 0;
    if (starts) sentenceLeft = 6 + rng.int(14);
    sentenceLeft--;
    const ends = sentenceLeft === 0 || i === n - 1;
    const v =
      i === 0
        ? ends
          ? VARIANTS.firstEnd
          : VARIANTS.first
        : starts
          ? ends
            ? VARIANTS.startSentenceEnd
            : VARIANTS.startSentence
          : ends
            ? VARIANTS.midEnd
            : VARIANTS.mid;
    out[i] = v[k]!;
  }
  return out;
}

/** Cuts the reply at the first stop sequence, if one occurs. */
function applyStopSequences(reply: Reply, stopSequences: string[]): void {
  const text = reply.pieces.join('');
  let at = -1;
  let seq: string | null = null;
  for (const s of stopSequences) {
    if (s.length === 0) continue;
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) {
      at = i;
      seq = s;
    }
  }
  if (at < 0) return;
  const kept: string[] = [];
  let pos = 0;
  for (const p of reply.pieces) {
    if (pos + p.length <= at) kept.push(p);
    else {
      if (at > pos) kept.push(p.slice(0, at - pos));
      break;
    }
    pos += p.length;
  }
  reply.pieces = kept;
  reply.stopReason = 'stop_sequence';
  reply.stopSequence = seq;
}

export function generateReply(
  rng: Rng,
  body: Record<string, unknown>,
  maxTokens: number,
  stopSequences: string[] | null,
  tokenizer: TokenizerGeneration,
  length: ReplyLength,
): Reply {
  const exact = exactReply(body);
  const atLeast = exact === null ? atLeastWords(body) : null;
  let pieces: string[];
  if (exact !== null) {
    pieces = splitExact(exact, tokenizer);
  } else if (atLeast !== null) {
    // Exactly N tokens (one word each), so a workload asking for N output tokens gets them.
    pieces = filler(rng, Math.min(atLeast, maxTokens));
    const stopReason = atLeast > maxTokens ? 'max_tokens' : 'end_turn';
    return finish({ pieces, stopReason, stopSequence: null }, stopSequences);
  } else {
    const n = Math.max(1, Math.round(rng.normal(length.mean, length.sd)));
    pieces = filler(rng, Math.min(n, maxTokens));
    if (n > maxTokens) return finish({ pieces, stopReason: 'max_tokens', stopSequence: null }, stopSequences);
  }
  if (pieces.length > maxTokens) {
    return finish(
      { pieces: pieces.slice(0, maxTokens), stopReason: 'max_tokens', stopSequence: null },
      stopSequences,
    );
  }
  return finish({ pieces, stopReason: 'end_turn', stopSequence: null }, stopSequences);
}

function finish(reply: Reply, stopSequences: string[] | null): Reply {
  if (stopSequences) applyStopSequences(reply, stopSequences);
  return reply;
}

/** Mean thinking tokens per adaptive effort (a drawn amount, capped by max_tokens / budget_tokens). */
const THINKING_MEAN: Record<Effort, number> = { low: 40, medium: 120, high: 250, xhigh: 400, max: 600 };

export interface ReplyRandom {
  text: Rng;
  tools: Rng;
}

/** Whether the last user message hands back tool results (then `auto` answers in text). */
function answersToolResult(body: Record<string, unknown>): boolean {
  const messages = body.messages as { role: string; content: unknown }[];
  const last = messages[messages.length - 1];
  return (
    last !== undefined &&
    last.role === 'user' &&
    Array.isArray(last.content) &&
    (last.content as { type?: unknown }[]).some((b) => b.type === 'tool_result')
  );
}

/**
 * The whole reply of a Messages request: an optional thinking block (when `thinking` asks for it),
 * then either a tool_use block (tool_choice any/tool; auto: half the time, seeded, unless answering a
 * tool result) or text. Everything shares max_tokens.
 */
export function composeReply(
  rng: ReplyRandom,
  r: MessagesRequest,
  tokenizer: TokenizerGeneration,
  length: ReplyLength,
  toolUseId: () => string,
): Reply {
  const blocks: ReplyBlock[] = [];
  const pieces: string[] = [];
  const t = r.thinking;
  if (t && t.type !== 'disabled') {
    const mean =
      t.type === 'enabled' ? Math.min(length.mean * 2, t.budgetTokens) : THINKING_MEAN[t.effort ?? 'medium'];
    let n = Math.max(1, Math.round(rng.text.normal(mean, mean / 4)));
    if (t.type === 'enabled') n = Math.min(n, t.budgetTokens);
    n = Math.min(n, r.maxTokens);
    pieces.push(...filler(rng.text, n));
    blocks.push({ kind: 'thinking', start: 0, end: n, signature: 'Er' + rng.tools.base62(86) + '==' });
  }
  const left = r.maxTokens - pieces.length;
  if (left === 0) return { pieces, stopReason: 'max_tokens', stopSequence: null, blocks };

  const choice = r.toolChoice;
  const tools = r.tools;
  let useTool = false;
  if (tools.length > 0 && choice.type !== 'none') {
    useTool = choice.type !== 'auto' || (!answersToolResult(r.body) && rng.tools.next() < 0.5);
  }
  if (useTool) {
    const tool =
      choice.type === 'tool'
        ? tools.find((x) => x.name === choice.name)!
        : tools[rng.tools.int(tools.length)]!;
    const input = valueForSchema(tool.inputSchema, rng.tools);
    const json = JSON.stringify(input);
    const jsonPieces = splitExact(json, tokenizer);
    // A tool call that does not fit max_tokens falls through to a (capped) text reply.
    if (jsonPieces.length <= left) {
      const start = pieces.length;
      pieces.push(...jsonPieces);
      blocks.push({ kind: 'tool_use', start, end: pieces.length, id: toolUseId(), name: tool.name, input });
      return { pieces, stopReason: 'tool_use', stopSequence: null, blocks };
    }
  }
  const text = generateReply(rng.text, r.body, left, r.stopSequences, tokenizer, length);
  if (blocks.length === 0) return text;
  if (text.pieces.length > 0) {
    const start = pieces.length;
    pieces.push(...text.pieces);
    blocks.push({ kind: 'text', start, end: pieces.length });
  }
  return { pieces, stopReason: text.stopReason, stopSequence: text.stopSequence, blocks };
}

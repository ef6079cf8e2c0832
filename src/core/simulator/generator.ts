// Seeded reply text. "Respond with exactly: X" gets X; anything else gets a filler reply whose length
// (in output tokens) is drawn from a normal distribution, capped by max_tokens. A reply is a list of
// pieces, one per output token, so usage.output_tokens and the streamed deltas agree by construction.
import type { TokenizerGeneration } from '../catalog/index';
import type { Rng } from './random';
import { estimateTokens } from '../tokens/count';

export interface ReplyLength {
  mean: number;
  sd: number;
}

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence';

export interface Reply {
  /** One string per output token. */
  pieces: string[];
  stopReason: StopReason;
  stopSequence: string | null;
}

const WORDS = (
  'the load test sends many requests and each one waits for a reply from this local server ' +
  'which streams tokens at a steady pace so that latency charts look like the real thing ' +
  'while nothing leaves the machine and no money is spent on rehearsal runs of any size ' +
  'rate limits refill over time cache hits save input tokens output speed depends on model'
).split(' ');

const EXACT = /respond with exactly:?[ \t]*([^\n]+)/i;

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
  let pieces: string[];
  if (exact !== null) {
    pieces = splitExact(exact, tokenizer);
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

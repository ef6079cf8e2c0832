// The input-token counter shared by the simulator (what it bills), the engine's budget and the limiters.
// Deterministic token estimate used by the simulator for usage, count_tokens, ITPM and caching.
//
// THE RULE (documented so a load engine can predict the simulator's numbers exactly):
// - Text: `classic` tokenizer ceil(chars / 4); `new` tokenizer (Opus 4.7+, Sonnet 5, Fable, Haiku 5.5)
//   ceil(chars * 0.3), i.e. 1.2x the classic count. `chars` = JavaScript string length (UTF-16 units).
// - Framing: +3 per request (assistant turn start), +4 per message, +4 when `system` is present.
// - A message's `content` string counts as one text block.
// - image blocks, and document blocks with a base64/url/file source: 1,600 tokens each (flat).
// - document with a `text` source: its text. tool_result: its text content + 4.
// - thinking: its text. tool_use and any other block: the text rule applied to its JSON (minus cache_control).
// - tools: +300 when the list is non-empty (tool-use system prompt), plus each tool's JSON by the text rule.
// The real tokenizer differs; this only has to be stable and the same for usage and count_tokens.
import type { TokenizerGeneration } from '../catalog/index';

export const TOKEN_FRAMING = {
  request: 3,
  message: 4,
  system: 4,
  toolsPrompt: 300,
  toolResult: 4,
  imageOrFile: 1600,
} as const;

/** Token estimate of a text under a tokenizer generation (see the rule above). */
export function estimateTokens(text: string, tokenizer: TokenizerGeneration): number {
  return estimateTokensOfLength(text.length, tokenizer);
}

/** The same estimate from a text's length alone (e.g. streamed thinking, counted as it arrives). */
export function estimateTokensOfLength(n: number, tokenizer: TokenizerGeneration): number {
  if (n === 0) return 0;
  return tokenizer === 'new' ? Math.ceil((n * 3) / 10) : Math.ceil(n / 4);
}

/**
 * `JSON.stringify(value).length` without recursion (a deeply nested body would overflow the stack),
 * skipping the top-level key `skipKey`. Values come from JSON.parse, so no undefined or functions.
 */
export function jsonLength(value: unknown, skipKey: string | null = null): number {
  let n = 0;
  const stack: unknown[] = [value];
  let top = true;
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') {
      n += (JSON.stringify(v) ?? 'null').length;
    } else if (Array.isArray(v)) {
      n += 2 + Math.max(0, v.length - 1);
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else {
      let keys = Object.keys(v);
      if (top && skipKey !== null) keys = keys.filter((k) => k !== skipKey);
      n += 2 + Math.max(0, keys.length - 1);
      for (const k of keys) {
        n += JSON.stringify(k).length + 1;
        stack.push((v as Obj)[k]);
      }
    }
    top = false;
  }
  return n;
}

/** Cache TTL of a breakpoint. */
export type CacheTtl = '5m' | '1h';

/**
 * Called for each cacheable segment in prompt order (tools, system, messages). `material` identifies
 * the segment's content for prefix hashing; `ttl` is set when the segment carries a cache breakpoint.
 */
export type SegmentVisitor = (tokens: number, material: string, ttl: CacheTtl | undefined) => void;

export interface RequestTokens {
  /** Total input tokens (what count_tokens reports). */
  total: number;
  /** Whether any `cache_control` was seen (then the cache must be consulted). */
  cacheControl: boolean;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function ttlOf(block: Obj): CacheTtl | undefined {
  const cc = block.cache_control;
  if (!isObj(cc)) return undefined;
  return cc.ttl === '1h' ? '1h' : '5m';
}

function withoutCacheControl(block: Obj): Obj {
  if (!('cache_control' in block)) return block;
  const copy: Obj = { ...block };
  delete copy.cache_control;
  return copy;
}

function jsonTokens(block: Obj, tokenizer: TokenizerGeneration): number {
  return estimateTokensOfLength(jsonLength(block, 'cache_control'), tokenizer);
}

/** Tokens of one content block (anything but a bare string). */
export function blockTokens(block: Obj, tokenizer: TokenizerGeneration): number {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? estimateTokens(block.text, tokenizer) : 0;
    case 'image':
      return TOKEN_FRAMING.imageOrFile;
    case 'document': {
      const src = block.source;
      if (isObj(src) && src.type === 'text' && typeof src.data === 'string') {
        return estimateTokens(src.data, tokenizer);
      }
      return TOKEN_FRAMING.imageOrFile;
    }
    case 'tool_result': {
      const c = block.content;
      let n = TOKEN_FRAMING.toolResult;
      if (typeof c === 'string') n += estimateTokens(c, tokenizer);
      else if (Array.isArray(c)) for (const b of c) if (isObj(b)) n += blockTokens(b, tokenizer);
      return n;
    }
    case 'thinking':
      return typeof block.thinking === 'string' ? estimateTokens(block.thinking, tokenizer) : 0;
    default:
      return jsonTokens(block, tokenizer);
  }
}

/** Identity of a block for prefix hashing (only computed when caching is in play). */
function materialOf(block: Obj): string {
  return block.type === 'text' && typeof block.text === 'string'
    ? 't:' + block.text
    : 'j:' + JSON.stringify(withoutCacheControl(block));
}

/**
 * Walks a (validated) Messages body and returns its input token estimate. With a visitor, reports
 * every segment for the prompt cache; framing tokens ride on the segment they precede.
 */
export function walkRequestTokens(
  body: Obj,
  tokenizer: TokenizerGeneration,
  visit: SegmentVisitor | null = null,
): RequestTokens {
  let total = TOKEN_FRAMING.request;
  let cacheControl = isObj(body.cache_control);

  const tools = body.tools;
  if (Array.isArray(tools) && tools.length > 0) {
    let pending: number = TOKEN_FRAMING.toolsPrompt;
    for (const t of tools) {
      if (!isObj(t)) continue;
      const ttl = ttlOf(t);
      if (ttl) cacheControl = true;
      const n = jsonTokens(t, tokenizer) + pending;
      pending = 0;
      total += n;
      if (visit) visit(n, 'tool:' + JSON.stringify(withoutCacheControl(t)), ttl);
    }
  }

  const system = body.system;
  if (typeof system === 'string') {
    const n = estimateTokens(system, tokenizer) + TOKEN_FRAMING.system;
    total += n;
    if (visit) visit(n, 'sys:' + system, undefined);
  } else if (Array.isArray(system)) {
    let pending: number = TOKEN_FRAMING.system;
    for (const b of system) {
      if (!isObj(b)) continue;
      const ttl = ttlOf(b);
      if (ttl) cacheControl = true;
      const n = blockTokens(b, tokenizer) + pending;
      pending = 0;
      total += n;
      if (visit) visit(n, 'sys' + materialOf(b), ttl);
    }
  }

  const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isObj(m)) continue;
    const role = String(m.role);
    const content = m.content;
    if (typeof content === 'string') {
      const n = estimateTokens(content, tokenizer) + TOKEN_FRAMING.message;
      total += n;
      if (visit) visit(n, role + ':t:' + content, undefined);
      continue;
    }
    let pending: number = TOKEN_FRAMING.message;
    const blocks = Array.isArray(content) ? (content as unknown[]) : [];
    for (let j = 0; j < blocks.length; j++) {
      const b = blocks[j];
      if (!isObj(b)) continue;
      const ttl = ttlOf(b);
      if (ttl) cacheControl = true;
      const n = blockTokens(b, tokenizer) + pending;
      total += n;
      if (visit) visit(n, (pending ? role + ':' : '') + materialOf(b), ttl);
      pending = 0;
    }
    if (pending) {
      total += pending;
      if (visit) visit(pending, role + ':empty', undefined);
    }
  }
  return { total, cacheControl };
}

/** Input token estimate of a Messages body (the simulator's count_tokens answer). */
export function estimateRequestTokens(body: Record<string, unknown>, tokenizer: TokenizerGeneration): number {
  return walkRequestTokens(body, tokenizer).total;
}

// Hand-written validation of Messages and count_tokens bodies (faster than a schema on the hot path).
// Messages name the field as the API does: "max_tokens: Field required", "messages.0.role: ...".
import { invalid } from './errors';
import type { ApiFailure } from './errors';

export const API_VERSIONS = ['2023-06-01', '2026-10-21'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The sampling parameters the 2026-10-21 API version removed. */
const SAMPLING = ['temperature', 'top_p', 'top_k'] as const;

export interface MessagesRequest {
  body: Record<string, unknown>;
  model: string;
  /** 0 for count_tokens. */
  maxTokens: number;
  stream: boolean;
  stopSequences: string[] | null;
}

export function isFailure(v: MessagesRequest | ApiFailure): v is ApiFailure {
  return typeof (v as ApiFailure).status === 'number';
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the anthropic-version header value; returns the failure or null. */
export function checkVersion(version: string | undefined): ApiFailure | null {
  if (!version) return invalid('anthropic-version: header is required');
  if (version !== '2023-06-01' && version !== '2026-10-21') {
    return invalid(
      `anthropic-version: "${version}" is not a supported version (use ${API_VERSIONS.join(' or ')})`,
    );
  }
  return null;
}

function checkBlocks(blocks: unknown[], path: string): ApiFailure | null {
  for (let j = 0; j < blocks.length; j++) {
    const b = blocks[j];
    if (!isObj(b)) return invalid(`${path}.${j}: Input should be a valid dictionary`);
    if (typeof b.type !== 'string') return invalid(`${path}.${j}.type: Field required`);
    if (b.type === 'text' && typeof b.text !== 'string') {
      return invalid(
        `${path}.${j}.text: ${b.text === undefined ? 'Field required' : 'Input should be a valid string'}`,
      );
    }
  }
  return null;
}

/**
 * Validates a Messages body (`forCount` = count_tokens: no max_tokens, no stream). Returns the parts
 * the simulator needs, or the 400 to answer with.
 */
export function validateMessages(
  raw: unknown,
  version: ApiVersion,
  forCount: boolean,
): MessagesRequest | ApiFailure {
  if (!isObj(raw)) return invalid('Request body must be a JSON object');
  const body = raw;

  const model = body.model;
  if (model === undefined) return invalid('model: Field required');
  if (typeof model !== 'string' || model.length === 0)
    return invalid('model: Input should be a valid string');

  let maxTokens = 0;
  if (!forCount) {
    const mt = body.max_tokens;
    if (mt === undefined) return invalid('max_tokens: Field required');
    if (typeof mt !== 'number' || !Number.isInteger(mt)) {
      return invalid('max_tokens: Input should be a valid integer');
    }
    if (mt < 1) return invalid('max_tokens: Input should be greater than or equal to 1');
    maxTokens = mt;
  }

  const messages = body.messages;
  if (messages === undefined) return invalid('messages: Field required');
  if (!Array.isArray(messages)) return invalid('messages: Input should be a valid list');
  if (messages.length === 0) return invalid('messages: at least one message is required');
  const allowSystemRole = version === '2026-10-21';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isObj(m)) return invalid(`messages.${i}: Input should be a valid dictionary`);
    const role = m.role;
    if (role !== 'user' && role !== 'assistant' && !(allowSystemRole && role === 'system')) {
      return invalid(
        `messages.${i}.role: ${role === undefined ? 'Field required' : `Input should be 'user', 'assistant'${allowSystemRole ? " or 'system'" : ''}`}`,
      );
    }
    const content = m.content;
    if (content === undefined) return invalid(`messages.${i}.content: Field required`);
    if (typeof content !== 'string') {
      if (!Array.isArray(content)) {
        return invalid(`messages.${i}.content: Input should be a valid string or a list of content blocks`);
      }
      const f = checkBlocks(content, `messages.${i}.content`);
      if (f) return f;
    }
  }

  const system = body.system;
  if (system !== undefined && system !== null && typeof system !== 'string') {
    if (!Array.isArray(system))
      return invalid('system: Input should be a valid string or a list of text blocks');
    const f = checkBlocks(system, 'system');
    if (f) return f;
  }

  let stream = false;
  if (!forCount && body.stream !== undefined && body.stream !== null) {
    if (typeof body.stream !== 'boolean') return invalid('stream: Input should be a valid boolean');
    stream = body.stream;
  }

  let stopSequences: string[] | null = null;
  const ss = body.stop_sequences;
  if (ss !== undefined && ss !== null) {
    if (!Array.isArray(ss) || ss.some((s) => typeof s !== 'string')) {
      return invalid('stop_sequences: Input should be a valid list of strings');
    }
    if (ss.length > 0) stopSequences = ss as string[];
  }

  if (body.tools !== undefined && body.tools !== null && !Array.isArray(body.tools)) {
    return invalid('tools: Input should be a valid list');
  }

  for (const p of SAMPLING) {
    const v = body[p];
    if (v === undefined || v === null) continue;
    if (version === '2026-10-21') {
      return invalid(
        `${p}: not supported with anthropic-version 2026-10-21 (sampling parameters were removed)`,
      );
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) return invalid(`${p}: Input should be a valid number`);
    if (p === 'top_k') {
      if (!Number.isInteger(v) || v < 0) return invalid('top_k: Input should be a non-negative integer');
    } else if (v < 0 || v > 1) {
      return invalid(`${p}: Input should be between 0 and 1`);
    }
  }

  return { body, model, maxTokens, stream, stopSequences };
}

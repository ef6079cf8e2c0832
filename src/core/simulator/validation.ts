// Hand-written validation of Messages and count_tokens bodies (faster than a schema on the hot path).
// Messages name the field as the API does: "max_tokens: Field required", "messages.0.role: ...".
import { contextWindowProblem, maxTokensProblem } from '../catalog/index';
import type { ModelEntry } from '../catalog/index';
import { invalid } from './errors';
import type { ApiFailure } from './errors';

export const API_VERSIONS = ['2023-06-01', '2026-10-21'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The sampling parameters the 2026-10-21 API version removed. */
const SAMPLING = ['temperature', 'top_p', 'top_k'] as const;

/** Top-level fields the Messages API knows; anything else is "Extra inputs are not permitted". */
const KNOWN_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'stream',
  'stop_sequences',
  'metadata',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'cache_control',
  'service_tier',
  'speed',
  'inference_geo',
  'container',
  'context_management',
  'mcp_servers',
  ...SAMPLING,
]);

/** Deeper JSON than this is refused up front (a bomb of nested arrays must not reach the counters). */
export const MAX_JSON_DEPTH = 64;

export type ToolChoice = 'auto' | 'any' | 'tool' | 'none';
export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';
const EFFORTS: readonly string[] = ['low', 'medium', 'high', 'xhigh', 'max'];

export interface ToolDefinition {
  name: string;
  inputSchema: Record<string, unknown>;
}

export type ThinkingRequest =
  | { type: 'enabled'; budgetTokens: number }
  | { type: 'adaptive'; effort: Effort | null }
  | { type: 'disabled' };

export interface MessagesRequest {
  body: Record<string, unknown>;
  model: string;
  /** 0 for count_tokens. */
  maxTokens: number;
  stream: boolean;
  stopSequences: string[] | null;
  /** Client tools (server tools are not simulated). */
  tools: ToolDefinition[];
  toolChoice: { type: ToolChoice; name: string | null };
  thinking: ThinkingRequest | null;
}

export function isFailure<T extends object>(v: T | ApiFailure): v is ApiFailure {
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

/** Whether `value` nests deeper than `limit` (iterative: the point is to survive hostile depth). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
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
  for (const key of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(key)) return invalid(`${key}: Extra inputs are not permitted`);
  }
  for (const key of Object.keys(body)) {
    if (nestsDeeperThan(body[key], MAX_JSON_DEPTH)) {
      return invalid(`${key}: nesting is deeper than ${MAX_JSON_DEPTH} levels`);
    }
  }

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

  const tools = parseTools(body.tools);
  if (!Array.isArray(tools)) return tools;
  const toolChoice = parseToolChoice(body.tool_choice, tools);
  if (isFailure(toolChoice)) return toolChoice;
  const thinking = parseThinking(body.thinking, body.output_config, maxTokens, forCount);
  if (thinking !== null && isFailure(thinking)) return thinking;

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

  return { body, model, maxTokens, stream, stopSequences, tools, toolChoice, thinking };
}

function parseTools(raw: unknown): ToolDefinition[] | ApiFailure {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return invalid('tools: Input should be a valid list');
  const out: ToolDefinition[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < raw.length; i++) {
    const t: unknown = raw[i];
    if (!isObj(t)) return invalid(`tools.${i}: Input should be a valid dictionary`);
    if (typeof t.name !== 'string') return invalid(`tools.${i}.name: Field required`);
    if (!/^[a-zA-Z0-9_-]{1,128}$/.test(t.name)) {
      return invalid(`tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
    }
    if (seen.has(t.name)) return invalid(`tools: Tool names must be unique (${t.name})`);
    seen.add(t.name);
    // Server tools (web search, code execution, ...) carry a versioned `type` and no input_schema.
    if (typeof t.type === 'string' && t.type !== 'custom') continue;
    if (!isObj(t.input_schema)) {
      return invalid(
        `tools.${i}.input_schema: ${t.input_schema === undefined ? 'Field required' : 'Input should be a valid dictionary'}`,
      );
    }
    if (t.input_schema.type !== 'object')
      return invalid(`tools.${i}.input_schema.type: Input should be 'object'`);
    out.push({ name: t.name, inputSchema: t.input_schema });
  }
  return out;
}

function parseToolChoice(raw: unknown, tools: ToolDefinition[]): MessagesRequest['toolChoice'] | ApiFailure {
  if (raw === undefined || raw === null) return { type: 'auto', name: null };
  if (!isObj(raw)) return invalid('tool_choice: Input should be a valid dictionary');
  const type = raw.type;
  if (type !== 'auto' && type !== 'any' && type !== 'tool' && type !== 'none') {
    return invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
  }
  if (raw.disable_parallel_tool_use !== undefined && typeof raw.disable_parallel_tool_use !== 'boolean') {
    return invalid('tool_choice.disable_parallel_tool_use: Input should be a valid boolean');
  }
  if (type === 'tool') {
    if (typeof raw.name !== 'string') return invalid('tool_choice.name: Field required');
    if (!tools.some((t) => t.name === raw.name)) {
      return invalid(`tool_choice: Tool '${raw.name}' not found in tools`);
    }
    return { type, name: raw.name };
  }
  if (type === 'any' && tools.length === 0) {
    return invalid("tool_choice: 'any' requires at least one tool in tools");
  }
  return { type, name: null };
}

function parseThinking(
  raw: unknown,
  outputConfig: unknown,
  maxTokens: number,
  forCount: boolean,
): ThinkingRequest | ApiFailure | null {
  let effort: Effort | null = null;
  if (outputConfig !== undefined && outputConfig !== null) {
    if (!isObj(outputConfig)) return invalid('output_config: Input should be a valid dictionary');
    const e = outputConfig.effort;
    if (e !== undefined && e !== null) {
      if (typeof e !== 'string' || !EFFORTS.includes(e)) {
        return invalid(`output_config.effort: Input should be ${EFFORTS.map((x) => `'${x}'`).join(', ')}`);
      }
      effort = e as Effort;
    }
  }
  if (raw === undefined || raw === null) return null;
  if (!isObj(raw)) return invalid('thinking: Input should be a valid dictionary');
  if (raw.type === 'disabled') return { type: 'disabled' };
  if (raw.type === 'adaptive') return { type: 'adaptive', effort };
  if (raw.type !== 'enabled') {
    return invalid("thinking.type: Input should be 'enabled', 'adaptive' or 'disabled'");
  }
  const b = raw.budget_tokens;
  if (b === undefined) return invalid('thinking.enabled.budget_tokens: Field required');
  if (typeof b !== 'number' || !Number.isInteger(b)) {
    return invalid('thinking.enabled.budget_tokens: Input should be a valid integer');
  }
  if (b < 1024)
    return invalid('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
  if (!forCount && b >= maxTokens) {
    return invalid(`max_tokens must be greater than thinking.budget_tokens (${maxTokens} <= ${b})`);
  }
  return { type: 'enabled', budgetTokens: b };
}

/**
 * The checks that need the model: max_tokens and the prompt against its limits, and the thinking
 * mode it accepts (reference: "Model limits and thinking").
 */
export function checkAgainstModel(
  v: MessagesRequest,
  model: ModelEntry,
  inputTokens: number,
  forCount: boolean,
  /** A Message Batch request sent with the 300K-output beta header. */
  output300k = false,
): ApiFailure | null {
  if (!forCount) {
    const tooMany = maxTokensProblem(model, v.maxTokens, 'max_tokens', output300k);
    if (tooMany) return invalid(tooMany);
  }
  const tooLong = contextWindowProblem(model, inputTokens);
  if (tooLong) return invalid(tooLong);
  const support = model.thinking;
  const t = v.thinking;
  // Forced tool use cannot be combined with thinking (always-on models think on every request).
  const forced = v.toolChoice.type === 'any' || v.toolChoice.type === 'tool';
  if (forced && ((t && t.type !== 'disabled') || (!t && support?.alwaysOn))) {
    return invalid(
      `tool_choice: '${v.toolChoice.type}' forces tool use, which is not supported with thinking` +
        `${support?.alwaysOn ? ` (always on for ${model.id})` : ''}; use {"type": "auto"}`,
    );
  }
  if (t && support) {
    if (t.type === 'disabled' && support.alwaysOn) {
      return invalid(`thinking.type: 'disabled' is not supported for ${model.id} (thinking is always on)`);
    }
    if (t.type === 'enabled' && !support.enabled) {
      return invalid(`thinking.type: 'enabled' is not supported for ${model.id}; use {"type": "adaptive"}`);
    }
    if (t.type === 'adaptive' && !support.adaptive) {
      return invalid(
        `thinking.type: 'adaptive' is not supported for ${model.id}; use {"type": "enabled", "budget_tokens": N}`,
      );
    }
  }
  return null;
}

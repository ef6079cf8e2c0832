// Shared helpers of the simulator tests: a simulator per test, the real SDK pointed at it, raw fetch.
import Anthropic from '@anthropic-ai/sdk';
import { startSimulator } from '../../src/core/index';
import type { SimulatorHandle, SimulatorOptions } from '../../src/core/index';

export const MODEL = 'claude-sonnet-5-5';
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Runs `fn` against a fresh simulator and always closes it. */
export async function withSim(
  options: SimulatorOptions,
  fn: (sim: SimulatorHandle, client: Anthropic) => Promise<void>,
): Promise<void> {
  const sim = await startSimulator({ latency: 'zero', ...options });
  try {
    await fn(sim, sdk(sim));
  } finally {
    await sim.close();
  }
}

export function sdk(sim: SimulatorHandle, apiKey = 'test-key'): Anthropic {
  return new Anthropic({ apiKey, baseURL: sim.url, maxRetries: 0 });
}

/** A raw request with the headers the 1.x SDK sends (override or drop them with `headers`). */
export async function raw(
  sim: SimulatorHandle,
  path: string,
  body: unknown,
  headers: Record<string, string | null> = {},
): Promise<Response> {
  const h: Record<string, string> = {};
  const all: Record<string, string | null> = {
    'content-type': 'application/json',
    'anthropic-version': '2026-10-21',
    authorization: 'Bearer test-key',
    ...headers,
  };
  for (const [k, v] of Object.entries(all)) if (v !== null) h[k] = v;
  return fetch(sim.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: h,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function userMessage(text: string, maxTokens = 64) {
  return { model: MODEL, max_tokens: maxTokens, messages: [{ role: 'user' as const, content: text }] };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Builds each request's Messages body from the scenario: model from the mix, prompt from the source.
import type { Catalog } from '../catalog/index';
import { findModel, pricesFor, type ModelEntry } from '../catalog/index';
import { estimateRequestTokens } from '../tokens/count';
import { normal, type Random } from '../util/random';
import type { MessagesBody, Scenario } from '../model/run';

export interface PlannedRequest {
  model: string;
  body: Record<string, unknown>;
  /** Input tokens as the simulator bills them (tools, images, documents and system included). */
  estimatedInputTokens: number;
  /** max_tokens of this request. */
  maxOutputTokens: number;
  /** The input at the catalog price (as a cache write where that costs more), USD. */
  inputCostUsd: number;
  /** One output token at the catalog price, USD. */
  outputTokenCostUsd: number;
  /** Worst-case cost (max_tokens all generated). */
  worstCaseCostUsd: number;
}

const words = (
  'capacity latency token bucket stream request model cache prompt window limit tier burst queue retry ' +
  'budget throughput percentile header minute second planner engine sample histogram report signal'
).split(' ');

/**
 * About `tokens` tokens of varied text (4 characters a token, the simulator's rule for classic
 * tokenizers). With `outputWords`, the instruction asks for an answer of that length.
 */
export function syntheticText(tokens: number, random: Random, outputWords?: number): string {
  const targetChars = Math.max(4, Math.round(tokens * 4));
  const parts: string[] = [
    outputWords
      ? `Write at least ${outputWords} words about the following notes.`
      : 'Summarise the following notes in one sentence.',
  ];
  let len = parts[0]!.length;
  while (len < targetChars) {
    const w = words[Math.floor(random() * words.length)]!;
    parts.push(w);
    len += w.length + 1;
  }
  return parts.join(' ').slice(0, targetChars);
}

/** Distinct (model, prompt) plans kept; more than this and each request is planned afresh. */
const maxCachedPlans = 10_000;

const unpriced = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };

export function createRequestFactory(
  scenario: Scenario,
  catalog: Catalog,
  random: Random,
): (index: number) => PlannedRequest {
  // A gateway's own model ids are not in the catalog: counted with the classic tokenizer, priced at 0
  // (the run reports their cost as unknown).
  const entryOf = (model: string): ModelEntry | undefined => findModel(catalog, model);
  const models = scenario.models.map((m) => ({ ...m, entry: entryOf(m.model) }));
  const system = scenario.system
    ? scenario.system.cacheTtl
      ? [
          {
            type: 'text',
            text: scenario.system.text,
            cache_control: { type: 'ephemeral', ...(scenario.system.cacheTtl === '1h' ? { ttl: '1h' } : {}) },
          },
        ]
      : scenario.system.text
    : undefined;

  const cachedPrefix = cachedPrefixBlocks(scenario, random);

  const pickModel = () => {
    if (models.length === 1) return models[0]!;
    let r = random();
    for (const m of models) {
      r -= m.share;
      if (r < 0) return m;
    }
    return models[models.length - 1]!;
  };

  // A fixed prompt, a list or recorded bodies give the same request for the same (model, item):
  // plan each once instead of rebuilding the body and re-counting its tokens for every request.
  // Synthetic prompts are drawn per request. Planned requests are shared: callers must not mutate.
  const src = scenario.prompts;
  const items =
    src.type === 'fixed'
      ? 1
      : src.type === 'list'
        ? src.items.length
        : src.type === 'messages'
          ? src.bodies.length
          : 0;
  const cache =
    items > 0 && items * models.length <= maxCachedPlans ? new Map<number, PlannedRequest>() : undefined;

  return (index) => {
    const m = pickModel();
    if (!cache) return plan(m, index);
    const key = models.indexOf(m) * items + (index % items);
    let p = cache.get(key);
    if (!p) cache.set(key, (p = plan(m, index)));
    return p;
  };

  function plan(m: (typeof models)[number], index: number): PlannedRequest {
    let body: Record<string, unknown>;
    if (src.type === 'messages') {
      const b: MessagesBody = src.bodies[index % src.bodies.length]!;
      body = { max_tokens: scenario.maxTokens, ...b, model: b.model ?? m.model };
      if (system && b.system === undefined) body.system = system;
    } else {
      const text =
        src.type === 'fixed'
          ? src.text
          : src.type === 'list'
            ? src.items[index % src.items.length]!
            : syntheticText(
                Math.max(
                  1,
                  Math.round(normal(random, src.inputTokens.mean, src.inputTokens.sd)) -
                    (cachedPrefix?.tokens ?? 0),
                ),
                random,
                scenario.outputTokens,
              );
      body = { model: m.model, max_tokens: scenario.maxTokens, messages: [{ role: 'user', content: text }] };
      if (cachedPrefix) {
        const prefix = random() < cachedPrefix.hitRate ? cachedPrefix.shared : cachedPrefix.unique(index);
        const rest =
          system === undefined ? [] : typeof system === 'string' ? [{ type: 'text', text: system }] : system;
        body.system = [prefix, ...rest];
      } else if (system) body.system = system;
    }
    // Tools and thinking from the plan, unless a recorded request brings its own.
    for (const [k, v] of Object.entries(scenario.requestExtras ?? {})) if (body[k] === undefined) body[k] = v;
    const model = String(body.model);
    const entry = model === m.model ? m.entry : entryOf(model);
    // The simulator's own counter, so tool definitions and images are counted as they are billed.
    const estimatedInputTokens = estimateRequestTokens(body, entry?.tokenizer ?? 'classic');
    const p = entry ? pricesFor(entry, estimatedInputTokens) : unpriced;
    const maxOutputTokens = Number(body.max_tokens ?? scenario.maxTokens);
    const inputCostUsd = (estimatedInputTokens * Math.max(p.input, p.cacheWrite1h)) / 1e6;
    const outputTokenCostUsd = p.output / 1e6;
    const worstCaseCostUsd = inputCostUsd + maxOutputTokens * outputTokenCostUsd;
    return {
      model,
      body,
      estimatedInputTokens,
      maxOutputTokens,
      inputCostUsd,
      outputTokenCostUsd,
      worstCaseCostUsd,
    };
  }
}

/**
 * The cached prefix of synthetic prompts as a system block with a cache breakpoint: the shared one (read
 * from the cache once written) or, for a miss, one made unique by the request index (a cache write, as
 * the planner prices a miss). Both have the same length.
 */
function cachedPrefixBlocks(
  scenario: Scenario,
  random: Random,
):
  | {
      tokens: number;
      hitRate: number;
      shared: Record<string, unknown>;
      unique: (i: number) => Record<string, unknown>;
    }
  | undefined {
  const src = scenario.prompts;
  if (src.type !== 'synthetic' || !src.cachedPrefix) return undefined;
  const { tokens, hitRate, ttl } = src.cachedPrefix;
  const text = syntheticText(tokens, random);
  const block = (t: string) => ({
    type: 'text',
    text: t,
    cache_control: { type: 'ephemeral', ...(ttl === '1h' ? { ttl: '1h' } : {}) },
  });
  return {
    tokens,
    hitRate,
    shared: block(text),
    unique: (i) => {
      const tag = `Request ${i}. `;
      return block(tag + text.slice(tag.length));
    },
  };
}

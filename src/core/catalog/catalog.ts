// Look-ups over a catalog: models (with clear messages for old and retired ids), tiers and limits.
import { editDistance } from '../util/editDistance';
import type { BucketLimits, Catalog, ModelEntry, PriceTable, TierEntry } from './types';

/** A bad model id, tier or catalog field; `field` names what to fix. */
export class CatalogError extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly suggestions: string[] = [],
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

export function findModel(catalog: Catalog, id: string): ModelEntry | undefined {
  return catalog.models.find((m) => m.id === id);
}

export function currentModelIds(catalog: Catalog): string[] {
  return catalog.models.filter((m) => m.status === 'current').map((m) => m.id);
}

/**
 * Resolves a model id that a request may use. Unknown, old-guide and retired ids throw a CatalogError
 * that names the current replacements.
 */
export function resolveModel(catalog: Catalog, id: string, field = 'model'): ModelEntry {
  const alias = catalog.aliases.find((a) => a.id === id);
  if (alias) {
    throw new CatalogError(
      `${field}: ${alias.message} Use ${alias.suggestions.join(' or ')}.`,
      field,
      alias.suggestions,
    );
  }
  const model = findModel(catalog, id);
  if (!model) {
    const suggestions = suggestModels(catalog, id);
    throw new CatalogError(
      `${field}: unknown model "${id}". Current models: ${currentModelIds(catalog).join(', ')}.` +
        (suggestions.length ? ` Did you mean ${suggestions.join(' or ')}?` : ''),
      field,
      suggestions,
    );
  }
  if (model.status === 'retired') {
    const replacement = model.replacement ?? currentModelIds(catalog)[0] ?? '';
    throw new CatalogError(
      `${field}: ${id} is retired and no longer served${model.endOfLife ? ` (since ${model.endOfLife})` : ''}. Use ${replacement}.`,
      field,
      [replacement],
    );
  }
  return model;
}

/** Likely intended ids: close spellings first (typos), else models of the same family, current first. */
function suggestModels(catalog: Catalog, id: string): string[] {
  const served = catalog.models.filter((m) => m.status !== 'retired');
  const close = served
    .map((m) => ({ id: m.id, d: editDistance(id, m.id) }))
    .filter((x) => x.d <= 3)
    .sort((a, b) => a.d - b.d)
    .slice(0, 2)
    .map((x) => x.id);
  if (close.length) return close;
  const family = (['fable', 'opus', 'sonnet', 'haiku'] as const).find((f) => id.includes(f));
  if (!family) return [];
  return served
    .filter((m) => m.family === family)
    .sort((a, b) => statusRank(a) - statusRank(b))
    .slice(0, 2)
    .map((m) => m.id);
}

function statusRank(m: ModelEntry): number {
  return ['current', 'active', 'legacy', 'deprecated', 'retired'].indexOf(m.status);
}

export function tierNames(catalog: Catalog): string[] {
  return catalog.tiers.map((t) => t.name);
}

export function findTier(catalog: Catalog, name: string, field = 'tier'): TierEntry {
  const tier = catalog.tiers.find((t) => t.name === name);
  if (!tier) {
    throw new CatalogError(
      `${field}: unknown tier "${name}". Use one of: ${[...tierNames(catalog), 'custom'].join(', ')}.`,
      field,
    );
  }
  return tier;
}

/** A tier with the same limits for every bucket, given by the user. */
export function customTier(limits: BucketLimits, monthlySpendCapUsd: number | null = null): TierEntry {
  return {
    name: 'custom',
    displayName: 'Custom',
    kind: 'custom',
    monthlySpendCapUsd,
    buckets: {},
    defaultLimits: limits,
  };
}

/** The limits a tier applies to a bucket, or undefined when the tier does not serve that bucket. */
export function limitsFor(tier: TierEntry, bucket: string): BucketLimits | undefined {
  return tier.buckets[bucket] ?? tier.defaultLimits;
}

/** The price table for a request of `promptTokens` total input tokens (long-prompt band applied). */
export function pricesFor(model: ModelEntry, promptTokens: number): PriceTable {
  const band = model.longPromptBand;
  return band && promptTokens > band.aboveInputTokens ? band.prices : model.prices;
}

export function bucketName(catalog: Catalog, bucket: string): string {
  return catalog.buckets.find((b) => b.id === bucket)?.displayName ?? bucket;
}

/** The anthropic-beta value that lifts max_tokens in a Message Batch to `batchMaxOutputTokens`. */
export const OUTPUT_300K_BETA = 'output-300k-2026-03-24';

/**
 * Why `maxTokens` is not accepted by `model`, naming `field` and the model's limit; null when it fits
 * (or the catalog does not know the limit, e.g. a custom model). `output300k`: a Message Batch request
 * sent with the 300K-output beta, where the model has one.
 */
export function maxTokensProblem(
  model: ModelEntry,
  maxTokens: number,
  field = 'max_tokens',
  output300k = false,
): string | null {
  const limit = (output300k ? model.batchMaxOutputTokens : undefined) ?? model.maxOutputTokens;
  if (limit === undefined || maxTokens <= limit) return null;
  return `${field}: ${maxTokens} > ${limit}, which is the maximum allowed number of output tokens for ${model.id}`;
}

/** Why a prompt of `inputTokens` does not fit the model's context window (the API's wording); or null. */
export function contextWindowProblem(model: ModelEntry, inputTokens: number): string | null {
  const limit = model.contextWindow;
  if (limit === undefined || inputTokens <= limit) return null;
  return `prompt is too long: ${inputTokens} tokens > ${limit} maximum (context window of ${model.id})`;
}

// User overrides of the catalog: a JSON file whose models/tiers are merged by id/name into the built-in one.
import { Ajv, type ErrorObject, type SchemaObject } from 'ajv';
import { CatalogError } from './catalog';
import type { Catalog, ModelEntry, TierEntry } from './types';

const price = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'].map((k) => [
      k,
      { type: 'number', minimum: 0 },
    ]),
  ),
};
const limits = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rpm: { type: 'number', exclusiveMinimum: 0 },
    itpm: { type: 'number', exclusiveMinimum: 0 },
    otpm: { type: 'number', exclusiveMinimum: 0 },
    unconfirmed: { type: 'string' },
  },
};
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

/** JSON Schema of a catalog override file. */
export const catalogOverrideSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    asOf: date,
    batchDiscount: { type: 'number', minimum: 0, maximum: 1 },
    models: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          displayName: { type: 'string' },
          family: { enum: ['fable', 'opus', 'sonnet', 'haiku'] },
          status: { enum: ['current', 'active', 'legacy', 'deprecated', 'retired'] },
          endOfLife: date,
          replacement: { type: 'string' },
          prices: price,
          longPromptBand: {
            type: 'object',
            required: ['aboveInputTokens', 'prices'],
            properties: { aboveInputTokens: { type: 'number', minimum: 0 }, prices: price },
          },
          bucket: { type: 'string', minLength: 1 },
          tokenizer: { enum: ['classic', 'new'] },
          speed: {
            type: 'object',
            additionalProperties: false,
            properties: {
              ttftMs: { type: 'number', minimum: 0 },
              ttftMsPer1kInput: { type: 'number', minimum: 0 },
              outputTokensPerSec: { type: 'number', exclusiveMinimum: 0 },
              estimate: { const: true },
            },
          },
          releaseDate: date,
          releaseDateUnconfirmed: { type: 'string' },
          deprecatedAt: date,
          contextWindow: { type: 'integer', minimum: 1 },
          maxOutputTokens: { type: 'integer', minimum: 1 },
          batchMaxOutputTokens: { type: 'integer', minimum: 1 },
          promptCacheMinTokens: { type: 'integer', minimum: 0 },
          promptCacheMinUnconfirmed: { type: 'string' },
          thinking: {
            type: 'object',
            additionalProperties: false,
            properties: {
              adaptive: { type: 'boolean' },
              enabled: { type: 'boolean' },
              alwaysOn: { type: 'boolean' },
            },
          },
        },
      },
    },
    tiers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          displayName: { type: 'string' },
          kind: { enum: ['standard', 'legacy', 'custom'] },
          monthlySpendCapUsd: { type: ['number', 'null'], minimum: 0 },
          buckets: { type: 'object', additionalProperties: limits },
          defaultLimits: limits,
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: false });
const validateOverride = ajv.compile(catalogOverrideSchema);

/** Turns an Ajv error into "models[0].prices.input must be >= 0" style text. */
export function describeSchemaError(err: ErrorObject, root: string): { field: string; message: string } {
  const path = err.instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
  let field = `${root}${path}`;
  let message = err.message ?? 'is invalid';
  if (err.keyword === 'additionalProperties') {
    field = `${field}.${String(err.params.additionalProperty)}`;
    message = 'is not a known field (check its spelling)';
  } else if (err.keyword === 'required') {
    field = `${field}.${String(err.params.missingProperty)}`;
    message = 'is required';
  } else if (err.keyword === 'enum') {
    message = `must be one of ${(err.params.allowedValues as unknown[]).join(', ')}`;
  }
  return { field: field.replace(/^\./, ''), message };
}

const requiredForNewModel: (keyof ModelEntry)[] = ['family', 'prices', 'bucket'];

/** Merges a parsed override object into a copy of `base`. Throws CatalogError naming the bad field. */
export function applyCatalogOverride(base: Catalog, override: unknown, source = 'catalog'): Catalog {
  if (!validateOverride(override)) {
    const first = validateOverride.errors?.[0];
    const { field, message } = first
      ? describeSchemaError(first, source)
      : { field: source, message: 'is invalid' };
    throw new CatalogError(`${field} ${message}`, field);
  }
  const o = override as {
    asOf?: string;
    batchDiscount?: number;
    models?: (Partial<ModelEntry> & { id: string })[];
    tiers?: (Partial<TierEntry> & { name: string })[];
  };
  const out: Catalog = structuredClone(base);
  if (o.asOf) out.asOf = o.asOf;
  if (o.batchDiscount !== undefined) out.batchDiscount = o.batchDiscount;
  o.models?.forEach((m, i) => {
    const existing = out.models.find((x) => x.id === m.id);
    if (existing) {
      Object.assign(existing, {
        ...m,
        prices: { ...existing.prices, ...m.prices },
        speed: { ...existing.speed, ...m.speed },
      });
      // A figure the user supplies is theirs: the built-in "unconfirmed" note no longer describes it.
      if (m.promptCacheMinTokens !== undefined && m.promptCacheMinUnconfirmed === undefined)
        delete existing.promptCacheMinUnconfirmed;
      return;
    }
    for (const key of requiredForNewModel) {
      if (m[key] === undefined) {
        throw new CatalogError(
          `${source}.models[${i}].${key} is required for a new model (${m.id})`,
          `${source}.models[${i}].${key}`,
        );
      }
    }
    const p: Partial<ModelEntry['prices']> = m.prices ?? {};
    for (const key of ['input', 'output'] as const) {
      if (p[key] === undefined) {
        throw new CatalogError(
          `${source}.models[${i}].prices.${key} is required for a new model (${m.id})`,
          `${source}.models[${i}].prices.${key}`,
        );
      }
    }
    const input = p.input as number;
    out.models.push({
      displayName: m.id,
      status: 'current',
      tokenizer: 'new',
      speed: { ttftMs: 1000, ttftMsPer1kInput: 15, outputTokensPerSec: 60, estimate: true },
      ...m,
      prices: {
        cacheWrite5m: input * 1.25,
        cacheWrite1h: input * 2,
        cacheRead: input * 0.1,
        ...(p as { input: number; output: number }),
      },
    } as ModelEntry);
    if (!out.buckets.some((b) => b.id === m.bucket))
      out.buckets.push({ id: m.bucket!, displayName: m.bucket! });
  });
  o.tiers?.forEach((t) => {
    const existing = out.tiers.find((x) => x.name === t.name);
    if (existing) {
      Object.assign(existing, { ...t, buckets: { ...existing.buckets, ...t.buckets } });
    } else {
      out.tiers.push({
        displayName: t.name,
        kind: 'custom',
        monthlySpendCapUsd: null,
        buckets: {},
        ...t,
      } as TierEntry);
    }
  });
  return out;
}

/** Parses override JSON text; syntax errors name the source. */
export function parseCatalogOverride(base: Catalog, text: string, source = 'catalog'): Catalog {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CatalogError(`${source}: not valid JSON (${(e as Error).message})`, source);
  }
  return applyCatalogOverride(base, parsed, source);
}

// Turns raw planner input (CLI flags, VS Code form values, JSON) into a PlanInput, or says which field is wrong.
// Runs on every keystroke of the planner form: cheap, and throws nothing but PlanInputError.
import {
  CatalogError,
  contextWindowProblem,
  findModel,
  findTier,
  maxTokensProblem,
  resolveModel,
} from '../catalog/catalog';
import { builtinCatalog } from '../catalog/data';
import type { Catalog } from '../catalog/types';
import type { CacheTtl, CustomLimits, ModelShare, PlanInput } from './types';

/** Bad planner input; `field` names it ('rpm', 'mix[1].share', 'customLimits.itpm', ...). */
export class PlanInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'PlanInputError';
  }
}

/** Mix shares may be typed as 0.33/0.33/0.34; anything further from 1 is a mistake. */
const MIX_SUM_TOLERANCE = 0.001;

type Raw = Record<string, unknown>;

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'a list' : 'an object';
}

/** Form fields arrive as strings; an empty one counts as not given. */
function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

interface NumberRule {
  min: number;
  /** Minimum itself not allowed. */
  exclusive?: boolean;
  max?: number;
  hint?: string;
}

function describeRule(rule: NumberRule): string {
  if (rule.max !== undefined) return `between ${rule.min} and ${rule.max}`;
  return `${rule.exclusive ? '>' : '>='} ${rule.min}`;
}

function toNumber(v: unknown, field: string, rule: NumberRule): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : Number.NaN;
  const ok =
    Number.isFinite(n) &&
    (rule.exclusive ? n > rule.min : n >= rule.min) &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) {
    const hint = rule.hint ? `; ${rule.hint}` : '';
    throw new PlanInputError(
      `${field} must be a number ${describeRule(rule)} (got ${show(v)})${hint}`,
      field,
    );
  }
  return n;
}

function requiredNumber(raw: Raw, field: string, rule: NumberRule, what: string): number {
  const v = raw[field];
  if (isMissing(v)) throw new PlanInputError(`${field} is required: ${what}`, field);
  return toNumber(v, field, rule);
}

function optionalNumber(raw: Raw, field: string, rule: NumberRule, fallback: number): number {
  const v = raw[field];
  return isMissing(v) ? fallback : toNumber(v, field, rule);
}

const SHARE: NumberRule = { min: 0, max: 1, hint: 'give a fraction, e.g. 0.3 for 30 %' };

function modelId(v: unknown, field: string, catalog: Catalog): string {
  if (typeof v !== 'string' || v.trim() === '') {
    throw new PlanInputError(`${field} must be a model id such as claude-sonnet-5-5 (got ${show(v)})`, field);
  }
  const id = v.trim();
  resolveModel(catalog, id, field);
  return id;
}

function parseMix(v: unknown, catalog: Catalog): ModelShare[] | undefined {
  if (isMissing(v) || (Array.isArray(v) && v.length === 0)) return undefined;
  if (!Array.isArray(v)) {
    throw new PlanInputError(`mix must be a list of { model, share } (got ${show(v)})`, 'mix');
  }
  const seen = new Set<string>();
  const mix = v.map((entry: unknown, i): ModelShare => {
    const field = `mix[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new PlanInputError(`${field} must be { model, share } (got ${show(entry)})`, field);
    }
    const e = entry as Raw;
    const model = modelId(e.model, `${field}.model`, catalog);
    if (seen.has(model)) {
      throw new PlanInputError(
        `${field}.model: ${model} appears twice in the mix; give each model once`,
        `${field}.model`,
      );
    }
    seen.add(model);
    if (isMissing(e.share)) {
      throw new PlanInputError(
        `${field}.share is required: the fraction of requests sent to ${model}`,
        `${field}.share`,
      );
    }
    return { model, share: toNumber(e.share, `${field}.share`, SHARE) };
  });
  const sum = mix.reduce((s, m) => s + m.share, 0);
  if (Math.abs(sum - 1) > MIX_SUM_TOLERANCE) {
    throw new PlanInputError(
      `mix shares must sum to 1 (they sum to ${Number(sum.toFixed(6))}); e.g. 0.7 and 0.3`,
      'mix',
    );
  }
  // Normalise so costs add up exactly.
  return mix.map((m) => ({ model: m.model, share: m.share / sum }));
}

function parseCustomLimits(v: unknown): CustomLimits {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new PlanInputError(
      'customLimits is required for the custom tier: { rpm, itpm, otpm } applied to every bucket',
      'customLimits',
    );
  }
  const raw = v as Raw;
  const limit = (k: 'rpm' | 'itpm' | 'otpm'): number => {
    const field = `customLimits.${k}`;
    if (isMissing(raw[k])) throw new PlanInputError(`${field} is required for the custom tier`, field);
    return toNumber(raw[k], field, { min: 0, exclusive: true });
  };
  return { rpm: limit('rpm'), itpm: limit('itpm'), otpm: limit('otpm') };
}

function parseTier(
  raw: Raw,
  catalog: Catalog,
): Pick<PlanInput, 'tier' | 'customLimits' | 'customSpendCapUsd'> {
  const v = raw.tier;
  if (isMissing(v)) return {};
  if (typeof v !== 'string') throw new PlanInputError(`tier must be a tier name (got ${show(v)})`, 'tier');
  const tier = v.trim().toLowerCase();
  if (tier !== 'custom') {
    findTier(catalog, tier, 'tier');
    return { tier };
  }
  const cap = raw.customSpendCapUsd;
  return {
    tier,
    customLimits: parseCustomLimits(raw.customLimits),
    customSpendCapUsd: isMissing(cap)
      ? null
      : toNumber(cap, 'customSpendCapUsd', { min: 0, exclusive: true, hint: 'leave empty for no cap' }),
  };
}

function parseTtl(v: unknown): CacheTtl {
  if (isMissing(v)) return '5m';
  const s = typeof v === 'string' ? v.trim() : v;
  if (s === '5m' || s === '1h') return s;
  throw new PlanInputError(`cacheTtl must be 5m or 1h (got ${show(v)})`, 'cacheTtl');
}

function parse(raw: unknown, catalog: Catalog): PlanInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PlanInputError(`planner input must be an object of fields (got ${show(raw)})`, 'input');
  }
  const r = raw as Raw;
  const mix = parseMix(r.mix, catalog);
  const model = isMissing(r.model) ? undefined : modelId(r.model, 'model', catalog);
  if (!mix && !model) {
    throw new PlanInputError(
      'model is required: a model id such as claude-sonnet-5-5 (or give a mix)',
      'model',
    );
  }
  const rpm = requiredNumber(r, 'rpm', { min: 0 }, 'average requests per minute, e.g. 100');
  const inputTokens = requiredNumber(r, 'inputTokens', { min: 0 }, 'average input tokens per request');
  const outputTokens = requiredNumber(r, 'outputTokens', { min: 0 }, 'average output tokens per request');
  // Per-request sizes must fit every model's limits (max output, context window).
  for (const id of mix ? mix.map((m) => m.model) : [model!]) {
    const entry = findModel(catalog, id);
    if (!entry) continue;
    const tooMany = maxTokensProblem(entry, outputTokens, 'outputTokens');
    if (tooMany) throw new PlanInputError(tooMany, 'outputTokens');
    const tooLong = contextWindowProblem(entry, inputTokens);
    if (tooLong) throw new PlanInputError(`inputTokens: ${tooLong}`, 'inputTokens');
  }
  const peakFactor = optionalNumber(r, 'peakFactor', { min: 1, hint: 'peak RPM / average RPM' }, 1);
  const cachedTokens = optionalNumber(r, 'cachedTokens', { min: 0 }, 0);
  if (cachedTokens > inputTokens) {
    throw new PlanInputError(
      `cachedTokens (${cachedTokens}) must not exceed inputTokens (${inputTokens}): the cached prefix is part of the prompt`,
      'cachedTokens',
    );
  }
  if (cachedTokens > 0 && isMissing(r.cacheHitRate)) {
    throw new PlanInputError(
      'cacheHitRate is required when cachedTokens > 0: the fraction of requests that find the prefix in cache, e.g. 0.9',
      'cacheHitRate',
    );
  }
  const input: PlanInput = {
    ...(model && !mix ? { model } : {}),
    ...(mix ? { mix } : {}),
    rpm,
    peakFactor,
    inputTokens,
    outputTokens,
    cachedTokens,
    cacheHitRate: optionalNumber(r, 'cacheHitRate', SHARE, 0),
    cacheTtl: parseTtl(r.cacheTtl),
    batchShare: optionalNumber(r, 'batchShare', SHARE, 0),
    duplicateShare: optionalNumber(r, 'duplicateShare', SHARE, 0),
    ...parseTier(r, catalog),
  };
  if (!isMissing(r.instances)) {
    const instances = toNumber(r.instances, 'instances', {
      min: 1,
      max: 10_000,
      hint: 'app instances (processes) sending on one API key, a whole number',
    });
    if (!Number.isInteger(instances)) {
      throw new PlanInputError(
        `instances must be a whole number of app instances (got ${show(r.instances)})`,
        'instances',
      );
    }
    input.instances = instances;
  }
  if (!isMissing(r.latencyS)) {
    input.latencyS = toNumber(r.latencyS, 'latencyS', {
      min: 0,
      exclusive: true,
      hint: 'seconds per request; leave empty to use the model speed profile',
    });
  }
  return input;
}

/**
 * Validates raw planner input and applies the defaults. Numbers may be numbers or numeric strings;
 * empty strings count as not given. Throws PlanInputError naming the field and the fix.
 */
export function validatePlanInput(raw: unknown, catalog: Catalog = builtinCatalog): PlanInput {
  try {
    return parse(raw, catalog);
  } catch (e) {
    if (e instanceof PlanInputError) throw e;
    if (e instanceof CatalogError) throw new PlanInputError(e.message, e.field);
    // Getters or proxies in hostile input: still only PlanInputError.
    throw new PlanInputError(`planner input could not be read: ${describeThrown(e)}`, 'input');
  }
}

function describeThrown(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'unreadable value';
  }
}

// A seeded value that validates against a tool's input_schema (the JSON Schema subset tools use:
// type, enum, const, properties/required, items/minItems/maxItems, bounds, lengths, anyOf/oneOf,
// allOf, default, a few string formats). Depth-bounded: hostile schemas cannot recurse forever.
import type { Rng } from '../util/random';

type Schema = Record<string, unknown>;

const MAX_DEPTH = 16;
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'report', 'paris', 'weather', 'order', 'query', 'user'];

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)]!;
}

function stringFor(s: Schema, rng: Rng): string {
  switch (s.format) {
    case 'date-time':
      return '2026-11-28T09:00:00Z';
    case 'date':
      return '2026-11-28';
    case 'email':
      return `${pick(rng, WORDS)}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${pick(rng, WORDS)}`;
    case 'uuid':
      return '123e4567-e89b-42d3-a456-426614174000';
  }
  const min = num(s.minLength) ?? 0;
  const max = num(s.maxLength) ?? Infinity;
  let out = pick(rng, WORDS);
  while (out.length < min) out += ' ' + pick(rng, WORDS);
  if (out.length > max) out = out.slice(0, max);
  return out;
}

function numberFor(s: Schema, rng: Rng, integer: boolean): number {
  let lo = num(s.minimum) ?? (num(s.exclusiveMinimum) !== undefined ? num(s.exclusiveMinimum)! + 1 : 0);
  let hi =
    num(s.maximum) ?? (num(s.exclusiveMaximum) !== undefined ? num(s.exclusiveMaximum)! - 1 : lo + 100);
  if (hi < lo) hi = lo;
  if (integer) {
    lo = Math.ceil(lo);
    hi = Math.floor(hi);
    return hi < lo ? lo : lo + rng.int(hi - lo + 1);
  }
  return Math.round((lo + rng.next() * (hi - lo)) * 100) / 100;
}

function typeOf(s: Schema, rng: Rng): string | undefined {
  const t = s.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const concrete = t.filter((x): x is string => typeof x === 'string' && x !== 'null');
    return concrete.length > 0 ? pick(rng, concrete) : 'null';
  }
  if (isSchema(s.properties)) return 'object';
  if (s.items !== undefined) return 'array';
  return undefined;
}

/** A value valid against `schema` (for the subset above), drawn from `rng`. */
export function valueForSchema(schema: unknown, rng: Rng, depth = 0): unknown {
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return pick(rng, schema.enum);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return valueForSchema(options[0], rng, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Schema = {};
    for (const part of schema.allOf) if (isSchema(part)) Object.assign(merged, part);
    return valueForSchema({ ...merged, ...schema, allOf: undefined }, rng, depth + 1);
  }
  switch (typeOf(schema, rng)) {
    case 'string':
      return stringFor(schema, rng);
    case 'integer':
      return numberFor(schema, rng, true);
    case 'number':
      return numberFor(schema, rng, false);
    case 'boolean':
      return rng.int(2) === 1;
    case 'null':
      return null;
    case 'array': {
      const min = num(schema.minItems) ?? 1;
      const max = num(schema.maxItems) ?? Math.max(min, 3);
      const n = min + rng.int(Math.max(0, Math.min(max, min + 2) - min) + 1);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const items = Array.isArray(schema.items) ? schema.items[i] : schema.items;
        out.push(valueForSchema(items ?? { type: 'string' }, rng, depth + 1));
      }
      return out;
    }
    case 'object': {
      const props = isSchema(schema.properties) ? schema.properties : {};
      const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
      const out: Record<string, unknown> = {};
      for (const [k, sub] of Object.entries(props)) {
        // Required properties always; optional ones about half the time (seeded).
        if (required.has(k) || rng.int(2) === 1) out[k] = valueForSchema(sub, rng, depth + 1);
      }
      for (const k of required) if (!(k in out)) out[k] = stringFor({}, rng);
      return out;
    }
    default:
      return 'default' in schema ? schema.default : stringFor({}, rng);
  }
}

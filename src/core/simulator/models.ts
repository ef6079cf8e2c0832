// GET /v1/models and /v1/models/{id}, from the catalog: created_at from the release date,
// deprecated_at / retires_at from the lifecycle dates, limits from the model's entry.
import { URLSearchParams } from 'node:url';
import type { Catalog, ModelEntry } from '../catalog/index';

/** Fallback created_at for a model the catalog has no date for (an override): the catalog's date. */
function day(date: string | undefined): string | null {
  return date ? `${date}T00:00:00Z` : null;
}

export function modelInfo(m: ModelEntry, catalog: Catalog): Record<string, unknown> {
  const lifecycle = m.status === 'retired' ? 'retired' : m.status === 'deprecated' ? 'deprecated' : 'active';
  return {
    type: 'model',
    id: m.id,
    display_name: m.displayName,
    created_at: day(m.releaseDate) ?? day(catalog.asOf),
    lifecycle,
    line: m.family,
    deprecated_at:
      m.status === 'deprecated' || m.status === 'retired' ? day(m.deprecatedAt ?? m.endOfLife) : null,
    retires_at: day(m.endOfLife),
    capabilities: null,
    max_input_tokens: m.contextWindow ?? null,
    max_tokens: m.maxOutputTokens ?? null,
  };
}

export type ModelsAnswer = { status: 200; body: string } | { status: 400 | 404; message: string };

/** The list page for a query string (limit 1..1000, default 20; after_id / before_id cursors). */
export function listModels(catalog: Catalog, query: string): ModelsAnswer {
  const params = new URLSearchParams(query);
  const served = catalog.models.filter((m) => m.status !== 'retired');
  const limitText = params.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return { status: 400, message: 'limit: Input should be an integer between 1 and 1000' };
  }
  let start = 0;
  let end = served.length;
  const after = params.get('after_id');
  const before = params.get('before_id');
  if (after !== null) {
    const i = served.findIndex((m) => m.id === after);
    if (i < 0) return { status: 404, message: `after_id: unknown model ${after}` };
    start = i + 1;
  }
  if (before !== null) {
    const i = served.findIndex((m) => m.id === before);
    if (i < 0) return { status: 404, message: `before_id: unknown model ${before}` };
    end = i;
  }
  // before_id pages backwards: the `limit` models just before the cursor.
  const page =
    before !== null && after === null
      ? served.slice(Math.max(start, end - limit), end)
      : served.slice(start, Math.min(end, start + limit));
  const hasMore = before !== null && after === null ? end - limit > start : start + limit < end;
  return {
    status: 200,
    body: JSON.stringify({
      data: page.map((m) => modelInfo(m, catalog)),
      has_more: hasMore,
      first_id: page[0]?.id ?? null,
      last_id: page[page.length - 1]?.id ?? null,
    }),
  };
}

/** One model by id (retired ones too: the catalogue keeps them as a record). */
export function getModel(catalog: Catalog, id: string): string | null {
  const m = catalog.models.find((x) => x.id === id);
  return m ? JSON.stringify(modelInfo(m, catalog)) : null;
}

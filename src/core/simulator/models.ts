// GET /v1/models and /v1/models/{id}, from the catalog. Release dates are not in the catalog, so
// created_at is the epoch, which the API documents for an unknown release date.
import { URLSearchParams } from 'node:url';
import type { Catalog, ModelEntry } from '../catalog/index';

const EPOCH = '1970-01-01T00:00:00Z';

export function modelInfo(m: ModelEntry): Record<string, unknown> {
  const lifecycle = m.status === 'retired' ? 'retired' : m.status === 'deprecated' ? 'deprecated' : 'active';
  return {
    type: 'model',
    id: m.id,
    display_name: m.displayName,
    created_at: EPOCH,
    lifecycle,
    line: m.family,
    deprecated_at: null,
    retires_at: m.endOfLife ? `${m.endOfLife}T00:00:00Z` : null,
    capabilities: null,
    max_input_tokens: null,
    max_tokens: null,
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
      data: page.map(modelInfo),
      has_more: hasMore,
      first_id: page[0]?.id ?? null,
      last_id: page[page.length - 1]?.id ?? null,
    }),
  };
}

/** One model by id (retired ones too: the catalogue keeps them as a record). */
export function getModel(catalog: Catalog, id: string): string | null {
  const m = catalog.models.find((x) => x.id === id);
  return m ? JSON.stringify(modelInfo(m)) : null;
}

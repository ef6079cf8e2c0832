// The workload of a batch run: Messages bodies from a plan's scenario, priced for the budget, and split
// into batches the API accepts (at most 100,000 requests and 256 MB each).
import type { Catalog } from '../catalog/index';
import { pricesFor, resolveModel } from '../catalog/index';
import { createRequestFactory } from '../engine/prompts';
import type { Scenario } from '../model/run';
import { seededRandom } from '../util/random';
import type { BatchWorkItem } from './types';

export const MAX_BATCH_REQUESTS = 100_000;
export const MAX_BATCH_BYTES = 256 * 1024 * 1024;
/** Room left for the envelope and for the SDK's own serialisation. */
const BYTES_HEADROOM = 64 * 1024;

/** `count` requests of the scenario (prompts, model mix, max_tokens, system), never streaming. */
export function workloadFromScenario(scenario: Scenario, count: number, catalog: Catalog): BatchWorkItem[] {
  const plan = createRequestFactory(scenario, catalog, seededRandom(scenario.seed));
  const width = String(count - 1).length;
  const discount = catalog.batchDiscount;
  const items: BatchWorkItem[] = [];
  for (let i = 0; i < count; i++) {
    const r = plan(i);
    const params = { ...r.body };
    delete params.stream;
    const p = pricesFor(resolveModel(catalog, r.model), r.estimatedInputTokens);
    // A cache write is not discounted (the catalog's convention), so a cached prefix is priced as one.
    const cached = JSON.stringify(params.system ?? '').includes('cache_control');
    const inputPrice = cached ? Math.max(p.input * (1 - discount), p.cacheWrite1h) : p.input * (1 - discount);
    const worstCaseUsd =
      (r.estimatedInputTokens * inputPrice + r.maxOutputTokens * p.output * (1 - discount)) / 1e6;
    items.push({ customId: `req-${String(i).padStart(width, '0')}`, params, worstCaseUsd });
  }
  return items;
}

/** Splits the work into batches of at most `maxRequests` requests and `maxBytes` of JSON each. */
export function splitIntoBatches(
  items: BatchWorkItem[],
  maxRequests = MAX_BATCH_REQUESTS,
  maxBytes = MAX_BATCH_BYTES,
): BatchWorkItem[][] {
  const out: BatchWorkItem[][] = [];
  let cur: BatchWorkItem[] = [];
  let bytes = BYTES_HEADROOM;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify({ custom_id: item.customId, params: item.params })) + 1; // + comma
    if (size + BYTES_HEADROOM > maxBytes) {
      throw new RangeError(
        `request ${item.customId} alone is ${size} bytes: above the ${maxBytes}-byte batch limit`,
      );
    }
    if (cur.length > 0 && (cur.length >= maxRequests || bytes + size > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = BYTES_HEADROOM;
    }
    cur.push(item);
    bytes += size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

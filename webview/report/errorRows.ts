// Rows of the report's Errors table. Pure (no DOM), so node tests check it.
import type { RunResult } from '../../src/core/browser';

/** The Errors table's rows: 429s by bucket and limit, then errors by message. Pure (tested in node). */
export function errorRows(
  sm: Pick<RunResult['summary'], 'rateLimitedBy' | 'errorsByMessage'>,
): { outcome: string; detail: string; count: number; field: string }[] {
  return [
    ...sm.rateLimitedBy.map((r) => ({
      outcome: 'rate_limited',
      detail: `bucket ${r.bucket}, ${r.limit} limit`,
      count: r.count,
      field: `rateLimitedBy.${r.bucket}.${r.limit}`,
    })),
    ...sm.errorsByMessage
      // 429s are listed by limit above; their messages would count them twice.
      .filter((e) => !(e.outcome === 'rate_limited' && sm.rateLimitedBy.length > 0))
      .map((e, i) => ({
        outcome: e.outcome,
        detail: e.message,
        count: e.count,
        field: `errorsByMessage.${i}`,
      })),
  ];
}

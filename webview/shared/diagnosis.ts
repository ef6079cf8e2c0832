// What the panels show of the engine's diagnosis. A run the user stopped (or that failed) is partial:
// "No problems found" with a check mark would claim more than the data can, so that item is left out.
import type { Diagnosis } from '../../src/core/browser';

/** Stop reasons after which the run is not complete enough to be called healthy. */
const partialRuns = new Set(['aborted', 'failed']);

export function visibleDiagnosis(
  items: Diagnosis[] | undefined,
  stopReason: string | undefined,
): Diagnosis[] {
  const list = items ?? [];
  return stopReason && partialRuns.has(stopReason) ? list.filter((d) => d.id !== 'healthy') : list;
}

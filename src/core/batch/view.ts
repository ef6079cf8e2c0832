// Pure helpers for showing a batch run (browser-safe: no Node, no DOM): the progress counts in words,
// the state timeline kept from progress events, and the live comparison taken from a load test.
import { fmtCount, fmtMs, fmtUsd } from '../format/index';
import type { RunResult } from '../model/run';
import type {
  BatchEvent,
  BatchLiveComparison,
  BatchReport,
  BatchTimelinePoint,
  RequestCounts,
} from './types';

/** "processing 80 · succeeded 20 · errored 0 · canceled 0 · expired 0" */
export function batchCountsText(c: RequestCounts, separator = ' · '): string {
  return (['processing', 'succeeded', 'errored', 'canceled', 'expired'] as const)
    .map((k) => `${k} ${fmtCount(c[k])}`)
    .join(separator);
}

/** Requests finished (any result) out of those submitted, 0..1. */
export function batchFraction(c: RequestCounts): number {
  const total = c.processing + c.succeeded + c.errored + c.canceled + c.expired;
  return total > 0 ? (total - c.processing) / total : 0;
}

/**
 * The state timeline of a run from its progress events: a point whenever the status or the counts
 * change, plus the latest poll; past `maxPoints`, every second point that is not a status change is
 * dropped, so a day of polling stays small.
 */
export function timelineRecorder(maxPoints = 20): {
  onEvent(e: BatchEvent): void;
  points(): BatchTimelinePoint[];
} {
  let changes: BatchTimelinePoint[] = [];
  let latest: BatchTimelinePoint | undefined;
  return {
    onEvent(e) {
      if (e.type !== 'progress') return;
      latest = { elapsedMs: e.elapsedMs, status: e.status, counts: { ...e.counts } };
      const prev = changes.at(-1);
      if (prev && prev.status === latest.status && sameCounts(prev.counts, latest.counts)) return;
      changes.push(latest);
      if (changes.length > maxPoints) {
        changes = changes.filter((q, i) => i === 0 || i % 2 === 1 || q.status !== changes[i - 1]!.status);
      }
    },
    points() {
      const out = changes.map((p) => ({ ...p, counts: { ...p.counts } }));
      if (latest && latest !== changes.at(-1)) out.push({ ...latest, counts: { ...latest.counts } });
      return out;
    },
  };
}

function sameCounts(a: RequestCounts, b: RequestCounts): boolean {
  return (
    a.processing === b.processing &&
    a.succeeded === b.succeeded &&
    a.errored === b.errored &&
    a.canceled === b.canceled &&
    a.expired === b.expired
  );
}

/** The load test's numbers the batch section compares with. */
export function liveComparison(run: RunResult, folder?: string): BatchLiveComparison {
  const s = run.summary;
  return {
    name: run.name,
    requests: s.requests.total,
    ok: s.requests.ok,
    rateLimited: s.requests.rateLimited,
    durationS: s.durationS,
    latencyP50Ms: s.latencyMs.p50,
    latencyP95Ms: s.latencyMs.p95,
    costUsd: s.costUsd,
    ...(folder ? { folder } : {}),
  };
}

/** The progress notification's line: "in_progress: processing 80 · succeeded 20 · … (0/1 batches ended)". */
export function batchProgressMessage(e: Extract<BatchEvent, { type: 'progress' }>): string {
  return `${e.status}: ${batchCountsText(e.counts)} (${e.batchesEnded}/${e.batches} batches ended)`;
}

/** One sentence for the end of a run: outcomes, turnaround and the saving. */
export function batchEndedText(r: BatchReport): string {
  const o = r.outcomes;
  const turnaround = r.turnaroundMs === null ? '' : `, turnaround ${fmtMs(r.turnaroundMs)}`;
  return (
    `Batch "${r.name}" ${r.canceled ? 'was canceled' : 'ended'}: ${fmtCount(o.succeeded)}/${fmtCount(r.requests)} ` +
    `succeeded${o.errored ? `, ${fmtCount(o.errored)} errored` : ''}${turnaround}` +
    `${r.timeScale !== 1 ? ' (simulated)' : ''}; ${fmtUsd(r.cost.batchUsd)} at the batch price, ` +
    `${fmtUsd(r.cost.savingUsd)} less than the Messages API.`
  );
}

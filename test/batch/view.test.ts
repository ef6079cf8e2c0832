// What the extension shows of a batch run: the progress line, the state timeline, the end sentence and
// the live comparison, each number checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  batchCountsText,
  batchEndedText,
  batchFraction,
  batchProgressMessage,
  liveComparison,
  timelineRecorder,
} from '../../src/core/index';
import type { BatchEvent, BatchReport, RequestCounts } from '../../src/core/index';
import { makeSampleRun } from '../fixtures/sampleRun';

const counts = (processing: number, succeeded: number, errored = 0): RequestCounts => ({
  processing,
  succeeded,
  errored,
  canceled: 0,
  expired: 0,
});
const progress = (
  elapsedMs: number,
  c: RequestCounts,
  status: 'in_progress' | 'canceling' | 'ended' = 'in_progress',
): Extract<BatchEvent, { type: 'progress' }> => ({
  type: 'progress',
  elapsedMs,
  counts: c,
  status,
  batchesEnded: status === 'ended' ? 1 : 0,
  batches: 1,
  nextPollMs: 100,
});

test('the progress line and the finished fraction', () => {
  const e = progress(1500, counts(1200, 800, 3));
  assert.equal(
    batchProgressMessage(e),
    'in_progress: processing 1,200 · succeeded 800 · errored 3 · canceled 0 · expired 0 (0/1 batches ended)',
  );
  assert.equal(
    batchCountsText(e.counts, '  '),
    'processing 1,200  succeeded 800  errored 3  canceled 0  expired 0',
  );
  assert.equal(batchFraction(e.counts), 803 / 2003);
  assert.equal(batchFraction(counts(0, 0)), 0);
});

test('the timeline keeps each change and the latest poll, and thins long runs', () => {
  const t = timelineRecorder(6);
  t.onEvent({ type: 'split', batches: 1, requests: 10 });
  t.onEvent(progress(100, counts(10, 0)));
  t.onEvent(progress(200, counts(10, 0))); // no change: only the latest poll moves
  t.onEvent(progress(300, counts(4, 6)));
  t.onEvent(progress(400, counts(0, 10), 'ended'));
  assert.deepEqual(
    t.points().map((p) => [p.elapsedMs, p.status, p.counts.succeeded]),
    [
      [100, 'in_progress', 0],
      [300, 'in_progress', 6],
      [400, 'ended', 10],
    ],
  );
  const long = timelineRecorder(6);
  for (let i = 0; i <= 20; i++) long.onEvent(progress(i * 100, counts(20 - i, i)));
  long.onEvent(progress(2100, counts(0, 20), 'ended'));
  const pts = long.points();
  assert.ok(pts.length <= 7, `${pts.length} points`);
  assert.equal(pts[0]!.elapsedMs, 0);
  assert.equal(pts.at(-1)!.status, 'ended');
});

test('the end sentence and the live comparison carry the report and run numbers', () => {
  const report = {
    name: 'nightly',
    requests: 100,
    outcomes: { succeeded: 97, errored: 3, canceled: 0, expired: 0 },
    turnaroundMs: 12 * 60_000,
    timeScale: 3600,
    canceled: false,
    cost: { batchUsd: 0.5, messagesUsd: 1, savingUsd: 0.5, batchDiscount: 0.5, catalogAsOf: '2026-11-01' },
  } as BatchReport;
  assert.equal(
    batchEndedText(report),
    'Batch "nightly" ended: 97/100 succeeded, 3 errored, turnaround 12 min (simulated); $0.50 at the batch price, $0.50 less than the Messages API.',
  );
  const run = makeSampleRun();
  const live = liveComparison(run, '.claude-load/x');
  assert.deepEqual(live, {
    name: run.name,
    requests: run.summary.requests.total,
    ok: run.summary.requests.ok,
    rateLimited: run.summary.requests.rateLimited,
    durationS: run.summary.durationS,
    latencyP50Ms: run.summary.latencyMs.p50,
    latencyP95Ms: run.summary.latencyMs.p95,
    costUsd: run.summary.costUsd,
    folder: '.claude-load/x',
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  runHistoryEntry,
  runPickEntry,
  runVerdict,
  shortLoad,
} from '../../src/extension/views/runHistoryModel';
import { fmtMs, fmtUsd } from '../../src/core/format/format';
import { makeSampleRun } from '../fixtures/sampleRun';

const now = new Date('2026-11-28T18:00:00Z');

test('history entry: name, time, p95 and cost; tooltip says why it stopped', () => {
  const run = makeSampleRun();
  const e = runHistoryEntry(run, now);
  assert.equal(e.label, run.name);
  const p95 = run.summary.latencyMs.p95;
  assert.match(
    e.description,
    new RegExp(`p95 ${p95 >= 1000 ? (p95 / 1000).toFixed(1) + ' s' : Math.round(p95) + ' ms'}`),
  );
  assert.match(e.description, /\$/);
  assert.match(
    e.tooltip,
    new RegExp(`${run.summary.requests.ok} of ${run.summary.requests.total} requests ok`),
  );
});

test('verdicts: a user-stopped run is never "passed"; failed thresholds and zero ok requests fail', () => {
  const base = makeSampleRun();
  const aborted = { ...base, summary: { ...base.summary, stopReason: 'aborted' as const } };
  assert.equal(runVerdict(aborted), 'stopped');
  assert.equal(runHistoryEntry(aborted, now).icon, 'circle-slash');
  const noOk = { ...base, summary: { ...base.summary, requests: { ...base.summary.requests, ok: 0 } } };
  assert.equal(runVerdict(noOk), 'failed');
  const thresholdFailed = {
    ...base,
    summary: {
      ...base.summary,
      thresholds: [{ expr: 'latency.p95<1', metric: 'latency.p95', pass: false, value: 900 }],
    },
  };
  assert.equal(runVerdict(thresholdFailed), 'failed');
  assert.match(runHistoryEntry(thresholdFailed, now).tooltip, /failed thresholds: latency\.p95<1/);
  const clean = {
    ...base,
    diagnosis: [],
    summary: { ...base.summary, stopReason: 'completed' as const, thresholds: [] },
  };
  assert.equal(runVerdict(clean), 'passed');
  assert.equal(runHistoryEntry(clean, now).icon, 'pass');
});

test('no latency data reads as such, not "p95 0 ms"', () => {
  const base = makeSampleRun();
  const empty = {
    ...base,
    summary: { ...base.summary, latencyMs: { ...base.summary.latencyMs, count: 0, p95: 0 } },
  };
  assert.match(runHistoryEntry(empty, now).description, /no latency data/);
});

test('Open Run Report picker rows: date and time to the second, model, rate, outcome, p95 and cost', () => {
  const run = makeSampleRun();
  const e = runPickEntry(run);
  assert.equal(e.label, `$(${runHistoryEntry(run, now).icon}) ${run.name}`);
  const s = run.summary;
  assert.match(e.description, /\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d/);
  assert.match(e.description, / · claude-sonnet-5-5 · 5 req\/s$/);
  assert.equal(
    e.detail,
    `${runVerdict(run) === 'warning' ? 'passed with warnings' : runVerdict(run)}: ${s.requests.ok} of ${s.requests.total} ok · ` +
      `p95 ${fmtMs(s.latencyMs.p95)} · ${fmtUsd(s.costUsd)}`,
  );
  // Two runs of the same plan a minute apart are told apart by their time, and a stopped run says so.
  const later = {
    ...run,
    startedAt: new Date(Date.parse(run.startedAt) + 61_000).toISOString(),
    summary: { ...s, stopReason: 'aborted' as const },
  };
  const other = runPickEntry(later);
  assert.notEqual(other.description, e.description);
  assert.match(other.detail, /^stopped by the user: /);
  assert.match(other.label, /^\$\(circle-slash\) /);
});

test('short load words: concurrency, rate and ramp', () => {
  assert.equal(shortLoad({ type: 'concurrency', concurrency: 2 }), '2 concurrent');
  assert.equal(shortLoad({ type: 'rate', rps: 0.5, arrival: 'poisson', maxInFlight: 10 }), '0.5 req/s');
  assert.equal(
    shortLoad({
      type: 'ramp',
      startRps: 0,
      maxInFlight: 10,
      stages: [
        { durationMs: 1000, rps: 10 },
        { durationMs: 1000, rps: 4 },
      ],
    }),
    'ramp to 10 req/s',
  );
});

// The status bar's texts: the newest window's rate and p95, the run's errors (Stop's aborts excluded),
// cost with significant digits, and the final summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishedText, runningText } from '../../src/extension/statusText';
import { outcomes } from '../../src/core/index';
import type { Outcome, TimeWindow } from '../../src/core/index';
import { makeSampleRun } from '../fixtures/sampleRun';

function win(counts: Partial<Record<Outcome, number>>, p95: number): TimeWindow {
  const all = Object.fromEntries(outcomes.map((o) => [o, counts[o] ?? 0])) as Record<Outcome, number>;
  const completed = Object.values(all).reduce((a, b) => a + b, 0);
  return {
    t: 41,
    sent: completed,
    completed,
    outcomes: all,
    inFlight: 3,
    latencyMs: { p50: 412.4, p95, p99: 1234.5 },
    ttftMs: { p50: 80, p95: 95.25, p99: 120 },
    inputTokensPerMin: 0,
    outputTokensPerMin: 0,
    headroom: { requests: null, inputTokens: null, outputTokens: null },
    costUsd: 0,
    sendLagMsMax: 0,
  };
}

const info = { name: 'checkout', targetUrl: 'http://127.0.0.1:4010', startedAt: '', maxCostUsd: 0.5 };
const totals = { sent: 1300, completed: 1290, inFlight: 10, costUsd: 0.000075, elapsedS: 605 };

test('running: rate, p95 and errors so far; cost keeps its significant digits', () => {
  const t = runningText(info, win({ ok: 11, rate_limited: 1 }, 840.4), totals, 7);
  assert.equal(t.text, '$(pulse) 12 req/s · p95 840 ms · 7 err');
  assert.match(t.tooltip, /Elapsed 10 min 05 s · sent 1,300 · done 1,290 · in flight 10/);
  assert.match(t.tooltip, /latency p50 412 ms, p95 840 ms, p99 1,235 ms · TTFT p95 95\.3 ms/);
  assert.match(t.tooltip, /Errors so far 7 · cost \$0\.000075 of \$0\.50/);
  assert.equal(
    t.accessibility,
    'Claude load test running: 12 requests per second, p95 latency 840 ms, 7 errors',
  );
});

test('running: a window with no finished request shows a dash, not 0 ms', () => {
  const t = runningText(info, win({}, 0), totals, 0);
  assert.equal(t.text, '$(pulse) 0 req/s · p95 – · 0 err');
  assert.match(t.accessibility, /p95 latency unknown/);
});

test('finished: totals from the summary; aborted requests are not errors', () => {
  const run = makeSampleRun();
  const s = run.summary;
  const failed = s.requests.total - s.requests.ok - s.requests.aborted;
  const t = finishedText('sample', s);
  assert.equal(
    t.text,
    `${failed > 0 ? '$(warning)' : '$(check)'} ${s.requests.total} req · p95 ${Math.round(s.latencyMs.p95).toLocaleString('en-US')} ms · ${failed} err`,
  );
  const stopped = finishedText('sample', {
    ...s,
    stopReason: 'aborted',
    requests: { ...s.requests, ok: s.requests.total - 4, aborted: 4 },
  });
  assert.match(stopped.text, /^\$\(check\) .* · 0 err$/);
});

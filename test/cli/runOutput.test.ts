// The live progress line says which numbers are run totals and which the last second, and shows "-"
// where the last second has no data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine } from '../../src/cli/runOutput';
import type { EngineTickEvent } from '../../src/core/index';

function tick(window: Partial<EngineTickEvent['window']>): EngineTickEvent {
  const outcomes = {
    ok: 0, rate_limited: 0, overloaded: 0, server_error: 0, client_error: 0, timeout: 0, network: 0,
    stream_error: 0, aborted: 0,
  }; // prettier-ignore
  return {
    type: 'tick',
    totals: { sent: 12, completed: 10, inFlight: 2, costUsd: 0.0123, elapsedS: 3 },
    window: {
      t: 2, sent: 0, completed: 0, outcomes, inFlight: 2,
      latencyMs: { p50: 0, p95: 0, p99: 0 }, ttftMs: { p50: 0, p95: 0, p99: 0 },
      inputTokensPerMin: 0, outputTokensPerMin: 0,
      headroom: { requests: null, inputTokens: null, outputTokens: null }, costUsd: 0, sendLagMsMax: 0,
      ...window,
    }, // prettier-ignore
  };
}

test('progress line: totals and last-second values are labelled; no data prints "-", never 0.0ms', () => {
  const empty = progressLine(tick({}));
  assert.match(
    empty,
    /total: sent 12, done 10, in flight 2, \$0\.0123 \| last 1s: 0 done, 0 errors, p95 -, TTFT p95 -/,
  );
  assert.doesNotMatch(empty, /0\.0ms/);
  const busy = progressLine(
    tick({
      completed: 5,
      outcomes: { ...tick({}).window.outcomes, ok: 3, server_error: 1, aborted: 1 },
      latencyMs: { p50: 400, p95: 812, p99: 900 },
      ttftMs: { p50: 200, p95: 300.4, p99: 350 },
    }),
  );
  assert.match(busy, /last 1s: 5 done, 1 errors, p95 812 ms, TTFT p95 300 ms/);
});

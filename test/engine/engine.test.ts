// The engine's numbers over real sockets against a server whose timings are known: the few latency
// tests that need the wall clock (tolerances sized for a loaded 2-core machine). Everything else
// runs on a scripted fetch and a manual clock (results.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, reportHooks, startLoadTest } from '../../src/core/index';
import { startScriptedServer, type ScriptedReply } from '../fixtures/scriptedServer';

const key = 'sk-ant-api03-THISISATESTKEYTHATMUSTNEVERLEAK_0123456789';

async function run(
  plan: Record<string, unknown>,
  script: (i: number) => ScriptedReply,
  opts: { abortAfterMs?: number } = {},
) {
  const server = await startScriptedServer(script);
  try {
    const scenario = parseScenario({ target: { baseUrl: server.url }, model: 'claude-sonnet-5-5', ...plan });
    const ac = new AbortController();
    const events: string[] = [];
    const r = startLoadTest(scenario, { ...reportHooks, apiKey: key, signal: ac.signal });
    r.on('start', () => events.push('start'));
    r.on('tick', () => events.push('tick'));
    r.on('done', () => events.push('done'));
    if (opts.abortAfterMs) setTimeout(() => ac.abort(), opts.abortAfterMs);
    const result = await r.done;
    return { result, events, server };
  } finally {
    await server.close();
  }
}

const within = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} not within ${tolerance} of ${expected}`,
  );

test('closed loop: latency, TTFT (first non-empty text delta), TPOT, tokens and cost from usage', async () => {
  const { result, events } = await run(
    { load: { type: 'concurrency', concurrency: 4 }, requests: 40, maxTokens: 500 },
    () => ({ ttftMs: 60, totalMs: 160, inputTokens: 1000, outputTokens: 51 }),
  );
  const s = result.summary;
  assert.equal(s.requests.total, 40);
  assert.equal(s.requests.ok, 40);
  assert.equal(events[0], 'start');
  assert.equal(events.at(-1), 'done');
  // Server holds headers-to-first-text for 60 ms and the body to 160 ms; client overhead is a few ms.
  within(s.ttftMs.p50, 65, 20, 'ttft p50');
  within(s.latencyMs.p50, 165, 25, 'latency p50');
  assert.ok(s.latencyMs.p50 >= 160, 'latency cannot be below the server time');
  // TPOT = (e2e - TTFT) / (51 - 1) = ~100 / 50 = ~2 ms.
  within(s.tpotMs.p50, 2, 0.5, 'tpot p50');
  assert.equal(s.latencyUncorrectedMs, null, 'closed loop reports no uncorrected latency');
  assert.deepEqual(s.tokens, { input: 40_000, output: 2040, cacheRead: 0, cacheWrite: 0 });
  // Sonnet 5.5: $2/M input, $10/M output -> 1000*2/1e6 + 51*10/1e6 = 0.00251 per request.
  within(s.costUsd, 40 * 0.00251, 1e-12, 'cost');
  assert.equal(result.schemaVersion, 1);
  assert.ok(result.histograms.latency.length > 10);
});

test('open loop: a stalled target shows in corrected latency and send lag, not in uncorrected', async () => {
  // 20 req/s, one in flight at a time; request 5 stalls for 1 s. Requests behind it wait to be sent.
  const { result } = await run(
    { load: { type: 'rate', rps: 20, maxInFlight: 1 }, requests: 30, stream: false },
    (i) => ({ totalMs: i === 5 ? 1000 : 5 }),
  );
  const s = result.summary;
  assert.equal(s.requests.ok, 30);
  assert.ok(s.latencyUncorrectedMs, 'open loop reports uncorrected latency');
  // Uncorrected: only the stalled request is slow (p90 stays small).
  assert.ok(s.latencyUncorrectedMs.p90 < 300, `uncorrected p90 ${s.latencyUncorrectedMs.p90}`);
  // Corrected: ~19 requests were due during the stall and waited up to ~950 ms.
  assert.ok(s.latencyMs.p90 > 500, `corrected p90 ${s.latencyMs.p90}`);
  assert.ok(s.sendLagMs.max > 800, `send lag max ${s.sendLagMs.max}`);
  within(s.latencyMs.max, 1000, 80, 'corrected max');
});

test('open loop: requests still queued for an in-flight slot when sending stops are all completed and counted', async () => {
  // 100 req/s but one at a time, 40 ms each: the schedule ends long before the queue drains.
  const { result } = await run(
    { load: { type: 'rate', rps: 100, maxInFlight: 1 }, requests: 12, stream: false },
    () => ({ totalMs: 40 }),
  );
  const s = result.summary;
  assert.equal(s.requests.total, 12);
  assert.equal(s.requests.ok, 12);
  // The last request was due at 110 ms and ends after 12 x 40 ms = 480 ms: its corrected latency
  // (~370 ms) includes the wait for the 11 before it.
  assert.ok(s.latencyMs.max > 300, `max ${s.latencyMs.max}`);
  assert.ok(s.latencyUncorrectedMs!.max < 200, `uncorrected max ${s.latencyUncorrectedMs!.max}`);
});

test('1-second windows count a request as sent when it goes out and as completed when it ends', async () => {
  const { result } = await run(
    { load: { type: 'concurrency', concurrency: 4 }, requests: 4, stream: false },
    () => ({
      totalMs: 1300,
    }),
  );
  const w = result.timeseries;
  assert.equal(w[0]!.sent, 4);
  assert.equal(w[0]!.completed, 0);
  assert.equal(w[0]!.inFlight, 4);
  assert.equal(w[1]!.completed, 4);
  assert.equal(w[1]!.outcomes.ok, 4);
  assert.ok(w[1]!.latencyMs.p50 >= 1300);
  // Tokens per minute in the window where they completed: 4 x 10 input tokens x 60.
  assert.equal(w[1]!.inputTokensPerMin, 2400);
});

// The engine's numbers against a server whose timings and usage are known exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, reportHooks, startLoadTest } from '../../src/core/index';
import type { RunResult } from '../../src/core/index';
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

test('prompt caching usage is priced with cache read and 5-minute write prices', async () => {
  const { result } = await run({ load: { type: 'concurrency', concurrency: 1 }, requests: 2 }, (i) =>
    i === 0
      ? { inputTokens: 10, outputTokens: 2, cacheWrite: 8000 }
      : { inputTokens: 10, outputTokens: 2, cacheRead: 8000 },
  );
  // write: 10*2 + 2*10 + 8000*2.5 = 20 + 20 + 20000; read: 20 + 20 + 8000*0.1 = 840 (per 1e6 USD)
  within(result.summary.costUsd, (20040 + 840) / 1e6, 1e-12, 'cache cost');
  assert.deepEqual(result.summary.tokens, { input: 20, output: 4, cacheRead: 8000, cacheWrite: 8000 });
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

test('every outcome class is recognised', async () => {
  const replies: ScriptedReply[] = [
    {},
    {
      status: 429,
      retryAfter: 7,
      rateLimit: { requests: [50, 0], input: [30000, 12000], output: [8000, 8000] },
    },
    { status: 529 },
    { status: 500 },
    { status: 400 },
    { midStreamError: true },
    { disconnectMidStream: true },
  ];
  const { result } = await run(
    { load: { type: 'concurrency', concurrency: 1 }, requests: replies.length },
    (i) => replies[i]!,
  );
  const r = result.summary.requests;
  assert.deepEqual(
    [r.ok, r.rateLimited, r.overloaded, r.serverErrors, r.clientErrors, r.streamErrors],
    [1, 1, 1, 1, 1, 2],
  );
  assert.deepEqual(result.summary.rateLimitedBy, [{ bucket: 'sonnet-5-5', limit: 'requests', count: 1 }]);
});

test('timeouts and unreachable hosts are classified', async () => {
  const { result } = await run(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 2, timeout: '200ms', stream: false },
    () => ({ totalMs: 600 }),
  );
  assert.equal(result.summary.requests.timeouts, 2);
});

test('thresholds pass and fail with their values', async () => {
  const { result } = await run(
    {
      load: { type: 'concurrency', concurrency: 2 },
      requests: 10,
      thresholds: { 'latency.p95': '<5000', 'ttft.p50': '<1', 'errors.rate': '==0', 'cost.usd': '<1' },
    },
    () => ({ ttftMs: 20, totalMs: 30 }),
  );
  const byMetric = Object.fromEntries(result.summary.thresholds.map((t) => [t.metric, t]));
  assert.equal(byMetric['latency.p95']!.pass, true);
  assert.equal(byMetric['ttft.p50']!.pass, false);
  assert.ok(byMetric['ttft.p50']!.value! >= 20);
  assert.equal(byMetric['errors.rate']!.pass, true);
  assert.equal(byMetric['errors.rate']!.value, 0);
  assert.equal(byMetric['cost.usd']!.pass, true);
});

test('budget stops sending before the worst case would exceed maxCostUsd', async () => {
  // Worst case per request: ~12 input tokens at $4/M (1h write price bound) + 100 output at $10/M = ~$0.00105.
  const { result } = await run(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 1000, maxTokens: 100, maxCostUsd: 0.005 },
    () => ({ inputTokens: 10, outputTokens: 100 }),
  );
  const s = result.summary;
  assert.equal(s.stopReason, 'budget');
  assert.ok(s.costUsd <= 0.005, `spent ${s.costUsd}`);
  assert.ok(s.requests.total >= 3 && s.requests.total <= 5, `sent ${s.requests.total}`);
});

test('cancellation keeps partial results and marks in-flight requests aborted', async () => {
  const { result } = await run(
    { load: { type: 'concurrency', concurrency: 3 }, duration: '30s' },
    () => ({ ttftMs: 50, totalMs: 150 }),
    { abortAfterMs: 700 },
  );
  const s = result.summary;
  assert.equal(s.stopReason, 'aborted');
  assert.ok(s.requests.ok >= 6, `ok ${s.requests.ok}`);
  assert.equal(s.requests.aborted, 3);
  assert.ok(s.durationS < 2);
});

test('the API key never appears in the result, even when the server echoes it', async () => {
  const { result, server } = await run(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 2 },
    () => ({
      status: 401,
      errorMessage: `invalid x-api-key ${key}`,
    }),
  );
  void server;
  const json = JSON.stringify(result as RunResult);
  assert.ok(!json.includes(key), 'key leaked into the result');
  assert.ok(!json.includes('THISISATESTKEY'), 'key fragment leaked');
  assert.equal(result.summary.requests.clientErrors, 2);
});

test('requests carry the key as the SDK sends it and streaming is the default', async () => {
  const { server, result } = await run(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 1 },
    () => ({}),
  );
  assert.equal(result.summary.requests.ok, 1);
  const req = server.requests[0]!;
  assert.equal(req.body.stream, true);
  assert.equal(req.body.messages[0].content, 'Respond with exactly: OK');
  assert.ok(String(req.headers.authorization ?? req.headers['x-api-key']).includes(key));
});

test('retries "sdk": the SDK retries a 429 (honouring retry-after) and every attempt is counted', async () => {
  // Request i: the first attempt of each logical request gets 429 retry-after 0, the retry succeeds.
  const { result, server } = await run(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 3, retries: 'sdk', stream: false },
    (i) => (i % 2 === 0 ? { status: 429, retryAfter: 0 } : {}),
  );
  const r = result.summary.requests;
  assert.equal(r.total, 3);
  assert.equal(r.ok, 3);
  assert.equal(r.attempts, 6);
  assert.equal(server.requests.length, 6);
  // The attribution header never reaches the server.
  for (const q of server.requests) assert.equal(q.headers['x-claude-load-attempt-key'], undefined);
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

test('budget: a budget that affords N typical requests gets at least 0.7 N of them, and never more than it affords', async () => {
  // Typical request: 15 input tokens ($2/M) + 6 output tokens ($10/M) = $0.00009; max_tokens 1024 would
  // reserve ~$0.01 each, which the old estimate used for every request (it stopped after 3 requests).
  const perRequest = (15 * 2 + 6 * 10) / 1e6;
  const budget = 0.005;
  const affords = Math.floor(budget / perRequest); // 55
  const { result } = await run(
    {
      load: { type: 'concurrency', concurrency: 4 },
      requests: 500,
      maxTokens: 1024,
      maxCostUsd: budget,
      stream: false,
    },
    () => ({ inputTokens: 15, outputTokens: 6 }),
  );
  const s = result.summary;
  assert.equal(s.stopReason, 'budget');
  assert.ok(
    s.requests.total >= 0.7 * affords,
    `sent ${s.requests.total} of the ${affords} the budget affords`,
  );
  // Replies no longer than the observed p99: the final cost stays within the budget.
  assert.ok(s.costUsd <= budget + 1e-12, `spent ${s.costUsd}`);
  assert.equal(s.budget?.basis, 'observed-p99');
  assert.equal(s.budget?.outputReservationTokens, 6);
  const d = result.diagnosis.find((x) => x.id === 'budget-stop');
  assert.match(d!.detail, /reserved its input plus the p99 of the output seen so far \(6 tokens\)/);
});

test('budget: final cost <= budget + the cost of the requests in flight when it stopped (replies longer than observed)', async () => {
  // The first replies are short, later ones use all of max_tokens: in-flight requests may overshoot.
  const budget = 0.01;
  const { result } = await run(
    {
      load: { type: 'concurrency', concurrency: 4 },
      requests: 500,
      maxTokens: 200,
      maxCostUsd: budget,
      stream: false,
    },
    (i) => ({ inputTokens: 15, outputTokens: i < 10 ? 5 : 200 }),
  );
  const s = result.summary;
  assert.equal(s.stopReason, 'budget');
  const worstPerRequest = (15 * 2 + 200 * 10) / 1e6;
  assert.ok(s.costUsd <= budget + 4 * worstPerRequest, `spent ${s.costUsd}`);
});

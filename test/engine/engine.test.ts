// The engine's numbers over real sockets against a server whose timings are known: the two latency
// tests that need the wall clock. Their bounds are one-sided where load can only add time (a loaded
// 2-core machine delays every reply), and loose where it cannot. Everything else runs on a scripted
// fetch and a manual clock (results.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, reportHooks, startLoadTest } from '../../src/core/index';
import { startScriptedServer, type ScriptedReply } from '../fixtures/scriptedServer';

const key = 'sk-ant-api03-THISISATESTKEYTHATMUSTNEVERLEAK_0123456789';

async function run(plan: Record<string, unknown>, script: (i: number) => ScriptedReply) {
  const server = await startScriptedServer(script);
  try {
    const scenario = parseScenario({ target: { baseUrl: server.url }, model: 'claude-sonnet-5-5', ...plan });
    const events: string[] = [];
    const r = startLoadTest(scenario, { ...reportHooks, apiKey: key });
    r.on('start', () => events.push('start'));
    r.on('done', () => events.push('done'));
    const result = await r.done;
    return { result, events };
  } finally {
    await server.close();
  }
}

/** Load on a shared machine only adds time: at least `min`, at most `min + slack`. */
const atLeast = (actual: number, min: number, slack: number, what: string) =>
  assert.ok(actual >= min && actual <= min + slack, `${what}: ${actual} not in [${min}, ${min + slack}]`);

test('closed loop over a socket: latency, TTFT at the first non-empty text delta, tokens and cost from usage', async () => {
  const { result, events } = await run(
    { load: { type: 'concurrency', concurrency: 4 }, requests: 40, maxTokens: 500 },
    () => ({ ttftMs: 60, totalMs: 160, inputTokens: 1000, outputTokens: 51 }),
  );
  const s = result.summary;
  assert.equal(s.requests.ok, 40);
  assert.deepEqual([events[0], events.at(-1)], ['start', 'done']);
  // The server sends message_start and an empty delta at once and the first text at 60 ms: TTFT
  // measured at message_start would be ~0 ms.
  atLeast(s.ttftMs.p50, 60, 3000, 'ttft p50');
  atLeast(s.latencyMs.p50, 160, 3000, 'latency p50');
  assert.ok(s.tpotMs.p50 > 0 && s.tpotMs.count === 40);
  assert.equal(s.latencyUncorrectedMs, null, 'closed loop reports no uncorrected latency');
  assert.deepEqual(s.tokens, { input: 40_000, output: 2040, cacheRead: 0, cacheWrite: 0 });
  // Sonnet 5.5: $2/M input, $10/M output -> 1000*2/1e6 + 51*10/1e6 = 0.00251 per request.
  assert.ok(Math.abs(s.costUsd - 40 * 0.00251) < 1e-12, `cost ${s.costUsd}`);
  assert.ok(result.histograms.latency.length > 10);
});

test('open loop over a socket: a stalled target shows in corrected latency and send lag, not in uncorrected', async () => {
  // 20 req/s, one in flight at a time; request 5 stalls for 1 s. Requests due behind it wait to be sent.
  const { result } = await run(
    { load: { type: 'rate', rps: 20, maxInFlight: 1 }, requests: 30, stream: false },
    (i) => ({ totalMs: i === 5 ? 1000 : 5 }),
  );
  const s = result.summary;
  assert.equal(s.requests.ok, 30);
  assert.ok(s.latencyUncorrectedMs, 'open loop reports uncorrected latency');
  // ~19 requests were due during the stall and waited up to ~950 ms before they could be sent.
  assert.ok(s.latencyMs.max >= 950, `corrected max ${s.latencyMs.max}`);
  assert.ok(s.latencyMs.p90 > 500, `corrected p90 ${s.latencyMs.p90}`);
  assert.ok(s.sendLagMs.max > 800, `send lag max ${s.sendLagMs.max}`);
  assert.ok(s.queueWaitMs!.max > 800, `queue wait max ${s.queueWaitMs!.max}`);
  // From the actual send only the stalled request is slow: load shifts both figures alike.
  assert.ok(
    s.latencyMs.p90 - s.latencyUncorrectedMs.p90 > 300,
    `corrected p90 ${s.latencyMs.p90} vs uncorrected ${s.latencyUncorrectedMs.p90}`,
  );
});

// What a run reports, against a scripted fetch and a manual clock: no socket, no wall-clock timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, reportHooks, startLoadTest } from '../../src/core/index';
import type { RunResult, Scenario } from '../../src/core/index';
import type { AdmissionGate } from '../../src/core/engine/admission/index';
import { ManualClock, scriptedFetch, type FetchReply } from './scriptedFetch';

const key = 'sk-ant-api03-THISISATESTKEYTHATMUSTNEVERLEAK_0123456789';

export async function runScripted(
  plan: Record<string, unknown>,
  script: (i: number) => FetchReply,
  /** abortAtRequest: the user stops the run when request N (0-based) goes out. */
  opts: { abortAtRequest?: number; clock?: ManualClock | 'wall'; gates?: AdmissionGate[] } = {},
): Promise<{
  result: RunResult;
  requests: ReturnType<typeof scriptedFetch>['requests'];
  warnings: string[];
}> {
  const clock = opts.clock === 'wall' ? undefined : (opts.clock ?? new ManualClock());
  const ac = new AbortController();
  const f = scriptedFetch((i) => {
    if (i === opts.abortAtRequest) queueMicrotask(() => ac.abort());
    return script(i);
  }, clock);
  const scenario: Scenario = parseScenario({
    target: { baseUrl: 'http://scripted.test' },
    model: 'claude-sonnet-5-5',
    ...plan,
  });
  const r = startLoadTest(scenario, {
    ...reportHooks,
    apiKey: key,
    fetch: f.fetch,
    skipPreflight: true,
    signal: ac.signal,
    tickMs: 50,
    gates: opts.gates,
    ...(clock ? { clock: clock.read } : {}),
  });
  const warnings: string[] = [];
  r.on('warning', (e) => warnings.push(e.message));
  const result = await r.done;
  return { result, requests: f.requests, warnings };
}

const within = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} not within ${tolerance} of ${expected}`,
  );

const byMetric = (r: RunResult) => Object.fromEntries(r.summary.thresholds.map((t) => [t.metric, t]));

test('every outcome class is recognised (429 by the exhausted limit, 529, 5xx, 4xx, stream errors)', async () => {
  const replies: FetchReply[] = [
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
  const { result } = await runScripted(
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

test('latency, TTFT and TPOT on the injected clock are exact', async () => {
  const { result } = await runScripted(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 5 },
    () => ({ ttftMs: 60, totalMs: 160, outputTokens: 51 }),
  );
  const s = result.summary;
  assert.equal(s.latencyMs.max, 160);
  assert.equal(s.ttftMs.p50, 60);
  assert.equal(s.tpotMs.p50, 2); // (160 - 60) / (51 - 1)
});

test('thresholds: a metric with no samples fails with "no data" (no TTFT without streaming)', async () => {
  const { result } = await runScripted(
    {
      load: { type: 'concurrency', concurrency: 2 },
      requests: 4,
      stream: false,
      thresholds: { 'ttft.p99': '<1', 'latency.p95': '<5000' },
    },
    () => ({ totalMs: 30 }),
  );
  const t = byMetric(result);
  assert.equal(t['ttft.p99']!.pass, false);
  assert.equal(t['ttft.p99']!.value, null);
  assert.match(t['ttft.p99']!.message!, /no data/);
  assert.equal(t['latency.p95']!.pass, true);
});

test('thresholds: when every request fails, latency and throughput thresholds fail (no data, 0 ok/s)', async () => {
  const { result } = await runScripted(
    {
      load: { type: 'concurrency', concurrency: 2 },
      requests: 6,
      thresholds: { 'latency.p95': '<100', 'throughput.rps': '>1', 'errors.rate': '<0.5' },
    },
    () => ({ status: 500 }),
  );
  const t = byMetric(result);
  assert.equal(t['latency.p95']!.pass, false);
  assert.match(t['latency.p95']!.message!, /no data/);
  assert.equal(t['throughput.rps']!.pass, false);
  assert.equal(t['throughput.rps']!.value, 0, 'throughput.rps counts successful requests only');
  assert.equal(t['errors.rate']!.value, 1);
});

test('a user stop: aborted requests are not errors, thresholds still evaluated, the run says it was interrupted', async () => {
  // Two requests answer, then every request hangs; the user stops the run when the fifth goes out
  // (three in flight: requests 2, 3 and 4).
  const { result } = await runScripted(
    {
      load: { type: 'concurrency', concurrency: 3 },
      requests: 100,
      thresholds: { 'errors.rate': '==0', 'requests.ok': '>=2' },
    },
    (i) => (i < 2 ? {} : { hang: true }),
    { abortAtRequest: 4 },
  );
  const s = result.summary;
  assert.equal(s.stopReason, 'aborted');
  assert.equal(s.interrupted, true);
  assert.equal(s.requests.ok, 2);
  assert.equal(s.requests.aborted, 3);
  const t = byMetric(result);
  assert.equal(t['errors.rate']!.value, 0, 'aborted requests are out of errors.rate');
  assert.deepEqual(s.errorsByMessage, [], 'nor listed as errors');
  assert.equal(t['errors.rate']!.pass, true);
  assert.equal(t['requests.ok']!.pass, true);
  assert.ok(result.diagnosis.some((d) => d.id === 'aborted'));
});

test('the API key never appears in the result, even when the server echoes it', async () => {
  const { result } = await runScripted(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 2 },
    () => ({
      status: 401,
      errorMessage: `invalid x-api-key ${key}`,
    }),
  );
  const json = JSON.stringify(result);
  assert.ok(!json.includes('THISISATESTKEY'), 'key leaked into the result');
  assert.equal(result.summary.requests.clientErrors, 2);
});

test('retries "sdk": the SDK retries a 429 and every attempt is counted', async () => {
  const { result, requests } = await runScripted(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 3, retries: 'sdk', stream: false },
    (i) => (i % 2 === 0 ? { status: 429, retryAfter: 0 } : {}),
  );
  const r = result.summary.requests;
  assert.deepEqual([r.total, r.ok, r.attempts, requests.length], [3, 3, 6, 6]);
  for (const q of requests) assert.equal(q.headers.get('x-claude-load-attempt-key'), null);
});

test('closed loop: never more workers than requests', async () => {
  const { result, requests } = await runScripted(
    { load: { type: 'concurrency', concurrency: 5000 }, requests: 3 },
    () => ({}),
  );
  assert.equal(result.summary.requests.total, 3);
  assert.equal(requests.length, 3);
});

test('open loop: throughput is over the send window, the drain is reported apart, offered vs achieved rate', async () => {
  // 100 req/s for 20 requests: the send window is 200 ms. Each reply takes 300 ms (wall clock: the
  // schedule is real), so the run lasts ~500 ms; dividing by that would report ~40 req/s.
  const slow = scriptedFetch(() => ({}));
  const delayed: typeof globalThis.fetch = async (input, init) => {
    await new Promise((r) => setTimeout(r, 300));
    return slow.fetch(input, init);
  };
  const scenario = parseScenario({
    target: { baseUrl: 'http://scripted.test' },
    model: 'claude-sonnet-5-5',
    load: { type: 'rate', rps: 100 },
    requests: 20,
    stream: false,
  });
  const result = await startLoadTest(scenario, {
    ...reportHooks,
    apiKey: key,
    fetch: delayed,
    skipPreflight: true,
  }).done;
  const s = result.summary;
  assert.equal(s.requests.ok, 20);
  assert.equal(s.sendWindowS, 0.2, 'the window ends when the 21st request was due');
  assert.ok(s.drainS! > 0.2, `drain ${s.drainS}`);
  assert.ok(Math.abs(s.durationS - s.sendWindowS! - s.drainS!) < 1e-9);
  assert.ok(Math.abs(s.throughput.rps - 100) < 1e-9, `rps ${s.throughput.rps}`);
  assert.ok(Math.abs(s.throughput.sentRps! - 100) < 1e-9);
  assert.ok(Math.abs(s.throughput.offeredRps! - 100) < 1e-9);
});

test('prompt caching usage is priced with cache read and 5-minute write prices', async () => {
  const { result } = await runScripted({ load: { type: 'concurrency', concurrency: 1 }, requests: 2 }, (i) =>
    i === 0
      ? { inputTokens: 10, outputTokens: 2, cacheWrite: 8000 }
      : { inputTokens: 10, outputTokens: 2, cacheRead: 8000 },
  );
  // write: 10*2 + 2*10 + 8000*2.5 = 20 + 20 + 20000; read: 20 + 20 + 8000*0.1 = 840 (per 1e6 USD)
  within(result.summary.costUsd, (20040 + 840) / 1e6, 1e-12, 'cache cost');
  assert.deepEqual(result.summary.tokens, { input: 20, output: 4, cacheRead: 8000, cacheWrite: 8000 });
});

test('a request that does not answer within the timeout is classified as a timeout', async () => {
  const { result } = await runScripted(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 2, timeout: '200ms', stream: false },
    () => ({ hang: true }),
  );
  assert.equal(result.summary.requests.timeouts, 2);
});

test('thresholds pass and fail with their values', async () => {
  const { result } = await runScripted(
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
  const { result } = await runScripted(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 1000, maxTokens: 100, maxCostUsd: 0.005 },
    () => ({ inputTokens: 10, outputTokens: 100 }),
  );
  const s = result.summary;
  assert.equal(s.stopReason, 'budget');
  assert.ok(s.costUsd <= 0.005, `spent ${s.costUsd}`);
  assert.ok(s.requests.total >= 3 && s.requests.total <= 5, `sent ${s.requests.total}`);
});

test('requests carry the key as the SDK sends it and streaming is the default', async () => {
  const { requests, result } = await runScripted(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 1 },
    () => ({}),
  );
  assert.equal(result.summary.requests.ok, 1);
  const req = requests[0]!;
  assert.equal(req.body.stream, true);
  assert.match(req.body.messages[0].content, /^Write at least 300 words about /);
  assert.equal(req.body.max_tokens, 300);
  assert.ok(String(req.headers.get('authorization') ?? req.headers.get('x-api-key')).includes(key));
});

test('budget: a budget that affords N typical requests gets at least 0.7 N of them, and never more than it affords', async () => {
  // Typical request: 15 input tokens ($2/M) + 6 output tokens ($10/M) = $0.00009; max_tokens 1024 would
  // reserve ~$0.01 each, which the old estimate used for every request (it stopped after 3 requests).
  const perRequest = (15 * 2 + 6 * 10) / 1e6;
  const budget = 0.005;
  const affords = Math.floor(budget / perRequest); // 55
  const { result } = await runScripted(
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
  const { result } = await runScripted(
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

test("a gateway's own model id: the run goes ahead, its cost is unknown (not $0), one warning", async () => {
  const { result, warnings, requests } = await runScripted(
    { model: 'my-custom-model', requests: 3, thresholds: { 'cost.usd': '<1' } },
    () => ({}),
  );
  assert.equal(result.summary.requests.ok, 3);
  assert.equal(requests[0]!.body.model, 'my-custom-model');
  assert.deepEqual(result.summary.unpricedModels, ['my-custom-model']);
  assert.equal(warnings.filter((w) => /my-custom-model is not in the catalog/.test(w)).length, 1);
  const cost = byMetric(result)['cost.usd']!;
  assert.equal(cost.pass, false, 'an unknown cost cannot pass a cost threshold');
  assert.match(cost.message!, /no data/);
});

test('run results keep a digest of each prompt (sha256, length, first 120 characters) unless keepPrompts', async () => {
  const secret = 'Customer 4711 wrote: ' + 'my account number is 12345678 and '.repeat(10);
  const plan = {
    requests: 2,
    prompts: { type: 'list', items: [secret, 'short one'] },
    system: 'You are the internal support bot of ACME.',
  };
  const { result } = await runScripted(plan, () => ({}));
  const json = JSON.stringify(result);
  assert.ok(!json.includes(secret), 'the full prompt is not in the result');
  assert.deepEqual(
    Object.keys(result.scenario.system ?? {}),
    ['digest'],
    'the system prompt is a digest too',
  );
  const p = result.scenario.prompts;
  assert.equal(p.type, 'digest');
  if (p.type !== 'digest') return;
  assert.equal(p.of, 'list');
  assert.equal(p.count, 2);
  const { createHash } = await import('node:crypto');
  assert.deepEqual(p.items[0], {
    sha256: createHash('sha256').update(secret).digest('hex'),
    length: secret.length,
    preview: secret.slice(0, 120) + '…',
  });
  assert.deepEqual(p.items[1], {
    sha256: createHash('sha256').update('short one').digest('hex'),
    length: 9,
    preview: 'short one',
  });
  const kept = await runScripted({ ...plan, keepPrompts: true }, () => ({}));
  assert.deepEqual(kept.result.scenario.prompts, { type: 'list', items: [secret, 'short one'] });
});

test('outputTokens: synthetic prompts ask for N words and max_tokens is N', async () => {
  const { requests } = await runScripted(
    { requests: 1, outputTokens: 450, prompts: { type: 'synthetic', inputTokens: 200 } },
    () => ({}),
  );
  assert.equal(requests[0]!.body.max_tokens, 450);
  assert.match(
    requests[0]!.body.messages[0].content,
    /^Write at least 450 words about the following notes\./,
  );
});

test("EngineOptions.gates: a caller's gate holds, its wait is measured, and it settles with the server's usage", async () => {
  const clock = new ManualClock();
  const settled: [number, string, number, number][] = [];
  let held = false;
  const limiter: AdmissionGate = {
    name: 'shared limiter',
    admit(r, ctx) {
      if (r.index !== 1 || held) return { kind: 'admit' };
      held = true;
      // The limiter has capacity again 250 ms later (on the injected clock).
      return { kind: 'hold', until: Promise.resolve().then(() => clock.advanceTo(ctx.now() + 250)) };
    },
    onSettled: (r, s) => settled.push([r.index, s.outcome, s.inputTokens, s.outputTokens]),
  };
  const { result } = await runScripted(
    { load: { type: 'concurrency', concurrency: 1 }, requests: 3 },
    (i) => (i === 2 ? { status: 529 } : { inputTokens: 42, outputTokens: 7 }),
    { clock, gates: [limiter] },
  );
  assert.deepEqual(settled, [
    [0, 'ok', 42, 7],
    [1, 'ok', 42, 7],
    [2, 'overloaded', 0, 0],
  ]);
  assert.equal(result.summary.queueWaitMs?.count, 3);
  assert.equal(result.summary.queueWaitMs?.max, 250);
});

test('open loop: requests still queued for an in-flight slot when sending stops are all completed and counted', async () => {
  // 100 req/s but one at a time, each reply 40 ms late (timers only, no socket): the schedule ends
  // long before the queue drains. Every bound is one-sided: load can only add time.
  const f = scriptedFetch(() => ({}));
  const slow: typeof globalThis.fetch = async (input, init) => {
    await new Promise((r) => setTimeout(r, 40));
    return f.fetch(input, init);
  };
  const scenario = parseScenario({
    target: { baseUrl: 'http://scripted.test' },
    model: 'claude-sonnet-5-5',
    load: { type: 'rate', rps: 100, maxInFlight: 1 },
    requests: 12,
    stream: false,
  });
  const s = (
    await startLoadTest(scenario, { ...reportHooks, apiKey: key, fetch: slow, skipPreflight: true }).done
  ).summary;
  assert.deepEqual([s.requests.total, s.requests.ok], [12, 12]);
  // The last request was due at 110 ms and could go out only after 11 x 40 ms: its corrected latency
  // (>= 370 ms) includes that wait, which is also reported as queue wait and send lag.
  assert.ok(s.latencyMs.max >= 370, `max ${s.latencyMs.max}`);
  assert.ok(s.queueWaitMs!.max >= 330, `queue wait ${s.queueWaitMs!.max}`);
  assert.ok(s.sendLagMs.max >= 330, `send lag ${s.sendLagMs.max}`);
});

test('1-second windows count a request as sent when it goes out and as completed when it ends', async () => {
  // Replies are held until the first window has closed: sent in window 0, completed in window 1.
  let firstTick!: () => void;
  const ticked = new Promise<void>((r) => (firstTick = r));
  const f = scriptedFetch(() => ({}));
  const afterTick: typeof globalThis.fetch = async (input, init) => {
    await ticked;
    return f.fetch(input, init);
  };
  const scenario = parseScenario({
    target: { baseUrl: 'http://scripted.test' },
    model: 'claude-sonnet-5-5',
    load: { type: 'concurrency', concurrency: 4 },
    requests: 4,
    stream: false,
  });
  const run = startLoadTest(scenario, {
    ...reportHooks,
    apiKey: key,
    fetch: afterTick,
    skipPreflight: true,
    tickMs: 20,
  });
  run.on('tick', () => firstTick());
  const w = (await run.done).timeseries;
  assert.deepEqual([w[0]!.sent, w[0]!.completed, w[0]!.inFlight], [4, 0, 4]);
  assert.deepEqual([w[1]!.completed, w[1]!.outcomes.ok], [4, 4]);
  // Tokens per minute in the window where they completed: 4 x 10 input tokens x 60.
  assert.equal(w[1]!.inputTokensPerMin, 2400);
});

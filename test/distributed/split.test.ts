// The engine's schedule split: with `shouldSend`, each agent sends exactly its share of ONE schedule
// (same intended send times, prompts and models as the full run), counts only what it sent, and waits
// for the shared start instant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, reportHooks, startLoadTest } from '../../src/core/index';
import type { EngineOptions, RequestSample } from '../../src/core/index';
import { agentScenario, defaultRunId, scheduleFingerprint } from '../../src/core/distributed/index';
import { scriptedFetch } from '../engine/scriptedFetch';

const key = 'sk-ant-api03-THISISATESTKEYTHATMUSTNEVERLEAK_0123456789';

interface Sent {
  index: number;
  intendedAt: number;
  model: string;
  prompt: string;
}

async function runShare(plan: Record<string, unknown>, options: Partial<EngineOptions> = {}) {
  const f = scriptedFetch(() => ({ totalMs: 1 }));
  const scenario = parseScenario({
    target: { baseUrl: 'http://scripted.test' },
    mix: [
      { model: 'claude-sonnet-5-5', share: 0.5 },
      { model: 'claude-haiku-4-5', share: 0.5 },
    ],
    prompts: { type: 'synthetic', inputTokens: { mean: 40, sd: 20 } },
    stream: false,
    ...plan,
  });
  const r = startLoadTest(scenario, {
    ...reportHooks,
    apiKey: key,
    fetch: f.fetch,
    skipPreflight: true,
    ...options,
  });
  const samples: RequestSample[] = [];
  r.on('sample', (e) => samples.push(e.sample));
  const result = await r.done;
  // Replies are instant and sends in schedule order, so the k-th body is the k-th sample's.
  samples.sort((a, b) => a.index - b.index);
  const sent: Sent[] = samples.map((s, k) => ({
    index: s.index,
    intendedAt: s.intendedAt,
    model: s.model,
    prompt: String(f.requests[k]!.body.messages[0].content),
  }));
  return { result, sent };
}

const agents = 3;
const shareOf = (id: number) => ({ shouldSend: (i: number) => i % agents === id });

test('open loop (Poisson, model mix, synthetic prompts): the shares add up to the full schedule exactly', async () => {
  const plan = { load: { type: 'rate', rps: 400, arrival: 'poisson' }, requests: 40, seed: 7 };
  const full = await runShare(plan);
  assert.equal(full.sent.length, 40);
  const shares = await Promise.all([0, 1, 2].map((id) => runShare(plan, shareOf(id))));
  shares.forEach((s, id) => {
    // Only its own requests: sent, counted and offered.
    assert.ok(s.sent.every((x) => x.index % agents === id));
    assert.equal(s.result.summary.requests.total, s.sent.length);
    assert.equal(s.result.summary.stopReason, 'requests');
  });
  const union = shares.flatMap((s) => s.sent).sort((a, b) => a.index - b.index);
  // Every scheduled request exactly once, with the full schedule's intended time, model and prompt.
  assert.deepEqual(
    union.map((x) => [x.index, x.model, x.prompt]),
    full.sent.map((x) => [x.index, x.model, x.prompt]),
  );
  for (let i = 0; i < union.length; i++)
    assert.ok(Math.abs(union[i]!.intendedAt - full.sent[i]!.intendedAt) < 1e-6, `intended time of ${i}`);
  const total = shares.reduce((a, s) => a + s.result.summary.requests.total, 0);
  assert.equal(total, 40);
  const offered = shares.reduce((a, s) => a + (s.result.summary.throughput.offeredRps ?? 0), 0);
  assert.ok(offered > 0);
});

test('closed loop: each agent runs its workers over its own indices, prompts as in the full run', async () => {
  const plan = { load: { type: 'concurrency', concurrency: 2 }, requests: 20, seed: 3 };
  const full = await runShare({ ...plan, load: { type: 'concurrency', concurrency: 1 } });
  const shares = await Promise.all(
    [0, 1, 2].map((id) => runShare({ ...plan, load: { type: 'concurrency', concurrency: 1 } }, shareOf(id))),
  );
  const union = shares.flatMap((s) => s.sent).sort((a, b) => a.index - b.index);
  assert.deepEqual(
    union.map((x) => [x.index, x.model, x.prompt]),
    full.sent.map((x) => [x.index, x.model, x.prompt]),
  );
  assert.deepEqual(
    shares.map((s) => s.result.summary.requests.total),
    [7, 7, 6],
  );
});

test('a duration-bound schedule: agents stop where the full schedule stops', async () => {
  const plan = { load: { type: 'rate', rps: 200 }, duration: '200ms' };
  const shares = await Promise.all([0, 1, 2].map((id) => runShare(plan, shareOf(id))));
  const union = shares.flatMap((s) => s.sent.map((x) => x.index)).sort((a, b) => a - b);
  // Each index at most once and within the 200 ms the full schedule holds (40 requests). Timer
  // lateness on the wall clock used here (a loaded machine) may cut any number at the end.
  assert.equal(new Set(union).size, union.length);
  assert.ok(union.every((i) => i < 40));
  for (const s of shares) assert.ok(s.sent.length >= 1);
  for (const s of shares) assert.equal(s.result.summary.stopReason, 'duration');
});

test('startAt: the run waits for the shared instant on the injected wall clock', async () => {
  const skew = 3_600_000; // this agent's clock is an hour ahead: only its own clock matters
  const now = () => new Date(Date.now() + skew);
  const startAt = now().getTime() + 250;
  const t0 = Date.now();
  const { result } = await runShare(
    { requests: 3, load: { type: 'concurrency', concurrency: 1 } },
    { now, startAt },
  );
  assert.ok(Date.now() - t0 >= 240, `waited ${Date.now() - t0} ms`);
  assert.ok(Date.parse(result.startedAt) >= startAt);
  assert.ok(Date.parse(result.startedAt) - startAt < 200, 'starts at the instant, not much later');
  // An abort during the wait ends it at once.
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  const t1 = Date.now();
  const aborted = await runShare(
    { requests: 3, load: { type: 'concurrency', concurrency: 1 } },
    { now, startAt: now().getTime() + 60_000, signal: ac.signal },
  );
  assert.ok(Date.now() - t1 < 2000);
  assert.equal(aborted.result.summary.requests.total, 0);
  assert.equal(aborted.result.summary.stopReason, 'aborted');
});

test('the schedule fingerprint ignores where and how it is judged; agent shares divide a closed loop', () => {
  const plan = { model: 'claude-sonnet-5-5', load: { type: 'rate', rps: 5 }, requests: 10 };
  const a = parseScenario({ ...plan, target: { baseUrl: 'http://a.test' }, name: 'a' });
  const b = parseScenario({
    ...plan,
    target: { baseUrl: 'http://b.test' },
    name: 'b',
    thresholds: { 'latency.p95': '<10' },
  });
  const c = parseScenario({ ...plan, target: { baseUrl: 'http://a.test' }, load: { type: 'rate', rps: 6 } });
  assert.equal(scheduleFingerprint(a), scheduleFingerprint(b));
  assert.notEqual(scheduleFingerprint(a), scheduleFingerprint(c));
  assert.equal(defaultRunId(a), defaultRunId(b));
  const closed = parseScenario({
    model: 'claude-sonnet-5-5',
    load: { type: 'concurrency', concurrency: 7 },
    requests: 70,
  });
  const workers = [0, 1, 2].map((id) => {
    const s = agentScenario(closed, id, 3);
    return s.load.type === 'concurrency' ? s.load.concurrency : -1;
  });
  assert.deepEqual(workers, [3, 2, 2]);
  assert.throws(() => agentScenario(closed, 0, 8), /--concurrency 7 is below --agents 8/);
});

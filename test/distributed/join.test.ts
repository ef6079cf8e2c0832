// Joining a distributed run against a real redis-server: slots, the shared start instant, refusals,
// time-outs, leaving, and the "last agent merges" hand-over.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { distributedKey, joinRun, JoinError, leaveRun } from '../../src/core/distributed/index';
import type { JoinedRun } from '../../src/core/distributed/index';
import { startRedisServer, type RedisServerHandle } from '../../src/core/scale/redisServer';

let server: RedisServerHandle;
let admin: Redis;
before(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
after(async () => {
  admin?.disconnect();
  await server?.stop();
});

const base = (runId: string, agents = 3) => ({
  redisUrl: server.url,
  runId,
  agents,
  fingerprint: 'plan-a',
  waitMs: 5000,
  leadMs: 300,
});

const isJoinError = (kind: JoinError['kind'], text: RegExp) => (e: unknown) => {
  assert.ok(e instanceof JoinError, `a JoinError, got ${String(e)}`);
  assert.equal(e.kind, kind);
  assert.match(e.message, text);
  return true;
};

test('three agents get distinct slots and one start instant in the future (Redis TIME)', async () => {
  const [sBefore] = await admin.time();
  const runs = await Promise.all([0, 1, 2].map(() => joinRun(base('together'))));
  try {
    assert.deepEqual(runs.map((r) => r.agentId).sort(), [0, 1, 2]);
    assert.equal(new Set(runs.map((r) => r.startAt)).size, 1);
    const startAt = runs[0]!.startAt;
    assert.ok(startAt >= Number(sBefore) * 1000 + 300, 'start = last registration + lead');
    assert.ok(startAt < Date.now() + 5000);
    // Same machine: the offsets to Redis are small, so the local instants agree closely.
    for (const r of runs) assert.ok(Math.abs(r.startAtLocal - startAt) < 100, `offset ${r.clockOffsetMs}`);
    // i mod N: every index owned by exactly one agent.
    for (let i = 0; i < 30; i++) assert.equal(runs.filter((r) => r.owns(i)).length, 1);
    assert.ok(runs.find((r) => r.agentId === 1)!.owns(4));

    await assert.rejects(joinRun(base('together')), isJoinError('refused', /extra.*--run-id/));
    await assert.rejects(
      joinRun({ ...base('together'), agents: 4 }),
      isJoinError('refused', /--agents 3.*--agents 4/),
    );
    await assert.rejects(
      joinRun({ ...base('together'), fingerprint: 'plan-b' }),
      isJoinError('refused', /same plan/),
    );
  } finally {
    await Promise.all(runs.map((r) => r.close()));
  }
});

test("an agent's skewed clock: the start instant is converted to its own clock", async () => {
  const skew = 7_000;
  const [a, b] = await Promise.all([
    joinRun({ ...base('skew', 2), now: () => Date.now() + skew }),
    joinRun(base('skew', 2)),
  ]);
  try {
    assert.equal(a.startAt, b.startAt);
    assert.ok(Math.abs(a.clockOffsetMs + skew) < 50, `offset ${a.clockOffsetMs}`);
    assert.ok(Math.abs(a.startAtLocal - (b.startAtLocal + skew)) < 50);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('too few agents: a time-out naming what to start, and the slot is freed', async () => {
  await assert.rejects(
    joinRun({ ...base('lonely', 2), waitMs: 300 }),
    isJoinError('timeout', /only 1 of 2 agents joined run "lonely".*--coordinator, --agents and --run-id/),
  );
  assert.equal(await admin.hlen(distributedKey('lonely', 'agents')), 0);
});

test('Ctrl-C while waiting: the agent leaves, and a new agent can take its place', async () => {
  const ctrl = new AbortController();
  const waiting = joinRun({ ...base('leaver', 2), signal: ctrl.signal });
  await new Promise((r) => setTimeout(r, 200));
  ctrl.abort();
  await assert.rejects(waiting, isJoinError('aborted', /interrupted/));
  assert.equal(await admin.hlen(distributedKey('leaver', 'agents')), 0);
  const runs = await Promise.all([joinRun(base('leaver', 2)), joinRun(base('leaver', 2))]);
  assert.deepEqual(runs.map((r) => r.agentId).sort(), [0, 1]);
  await Promise.all(runs.map((r) => r.close()));
});

test('finishing: exactly one agent is last, it reads every run, and the run id can be used again', async () => {
  const runs: JoinedRun[] = await Promise.all([0, 1, 2].map(() => joinRun(base('finish'))));
  const outcomes = await Promise.all(
    runs.map((r) => r.finish(`{"agent":${r.agentId}}`, r.agentId === 2 ? 'left' : 'done')),
  );
  assert.equal(outcomes.filter((o) => o.last).length, 1);
  assert.deepEqual(outcomes.map((o) => o.finished).sort(), [1, 2, 3]);
  // A repeated finish (a retry) is not counted twice.
  const first = runs.find((r) => r.agentId === 0)!;
  assert.equal((await first.finish('{"agent":0}', 'done')).finished, 3);
  const results = await runs[0]!.results();
  assert.deepEqual(
    results.map((r) => [r.agentId, r.runJson, r.how]),
    [
      [0, '{"agent":0}', 'done'],
      [1, '{"agent":1}', 'done'],
      [2, '{"agent":2}', 'left'],
    ],
  );
  await runs[0]!.markMerged('/tmp/x');
  await Promise.all(runs.map((r) => r.close()));
  // A merged run id starts afresh.
  const again = await Promise.all([joinRun(base('finish', 1))]);
  assert.equal(again[0]!.agentId, 0);
  await again[0]!.close();
});

test('leaving after the start marks the agent left', async () => {
  const [a] = await Promise.all([joinRun(base('late-leave', 1))]);
  await leaveRun(a!);
  assert.equal(await admin.hget(distributedKey('late-leave', 'meta'), 'status:0'), 'left');
  await a!.close();
  // Every agent finished or left: the run is over and its id free for a new run.
  const [b] = await Promise.all([joinRun(base('late-leave', 1))]);
  assert.equal(b!.agentId, 0);
  await b!.close();
});

test('bad input and an unreachable coordinator fail at once with the flag named', async () => {
  await assert.rejects(joinRun({ ...base('x'), agents: 0 }), isJoinError('refused', /--agents must be/));
  await assert.rejects(joinRun({ ...base('x'), agents: 1e6 }), isJoinError('refused', /--agents must be/));
  await assert.rejects(
    joinRun({ ...base('x'), redisUrl: 'http://127.0.0.1:6379' }),
    isJoinError('refused', /--coordinator must be a redis:\/\//),
  );
  const t0 = Date.now();
  await assert.rejects(
    // Port 1: nothing listens there (a free port could be taken by a parallel test's redis-server).
    joinRun({ ...base('x'), redisUrl: 'redis://127.0.0.1:1' }),
    isJoinError('unreachable', /--coordinator: cannot reach redis:\/\/127\.0\.0\.1:\d+ .*start Redis there/),
  );
  assert.ok(Date.now() - t0 < 3000);
});

test('a slot held by an agent that died before the start (no heartbeat) is freed for a new agent', async () => {
  // What a killed agent leaves behind: the run's settings and its slot, but no heartbeat key.
  await admin.hset(distributedKey('ghost', 'meta'), 'agents', 2, 'fingerprint', 'plan-a', 'finished', 0);
  await admin.hset(distributedKey('ghost', 'agents'), '0', 'killed pid 1');
  const runs = await Promise.all([0, 1].map(() => joinRun({ ...base('ghost', 2), aliveMs: 500 })));
  try {
    assert.deepEqual(runs.map((r) => r.agentId).sort(), [0, 1]);
    assert.equal(
      runs.reduce((a, r) => a + r.reclaimed, 0),
      1,
      'one slot freed',
    );
  } finally {
    await Promise.all(runs.map((r) => r.close()));
  }
});

test('a started run whose agents all finished or died frees its run id once their heartbeats expire', async () => {
  const first = await Promise.all([0, 1].map(() => joinRun({ ...base('crashed', 2), aliveMs: 300 })));
  // Agent 0 finishes; agent 1 dies without a word (its connection is gone, its heartbeat stops).
  await first[0]!.finish('{}', 'done');
  first[1]!.redis.disconnect();
  // While agent 1's heartbeat lives, the run is still going: a new agent is extra.
  await assert.rejects(joinRun({ ...base('crashed', 2), aliveMs: 300 }), isJoinError('refused', /extra/));
  await new Promise((r) => setTimeout(r, 450));
  const again = await Promise.all([0, 1].map(() => joinRun({ ...base('crashed', 2), aliveMs: 300 })));
  try {
    assert.deepEqual(again.map((r) => r.agentId).sort(), [0, 1]);
    assert.ok(
      again.some((r) => r.reclaimed > 0),
      'the dead run was freed',
    );
    assert.ok(again[0]!.startAt > first[0]!.startAt, 'a new run with its own start');
  } finally {
    await Promise.all([...again, first[0]!].map((r) => r.close()));
    await first[1]!.close().catch(() => undefined);
  }
});

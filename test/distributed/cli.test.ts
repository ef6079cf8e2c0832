// `claude-load run --coordinator ... --agents N` in-process against a real redis-server: flag errors,
// Redis down, two agents merging into one run, Ctrl-C while waiting and while sending, the shared budget.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { distributedKey, sharedBudgetGate, sharedSpentUsd } from '../../src/core/distributed/index';
import type { AdmissionContext, AdmissionRequest, RequestSample } from '../../src/core/index';
import { startRedisServer, type RedisServerHandle } from '../../src/core/scale/redisServer';
import { cli, testIo } from '../cli/harness';

let server: RedisServerHandle;
let admin: Redis;
const tmp = mkdtempSync(join(tmpdir(), 'dist-cli-'));
// Independent tests (each its own run id and temp folder on the one redis-server) that mostly wait:
// four at a time.
describe('distributed agents', { concurrency: 4 }, () => {
  before(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  after(async () => {
    admin?.disconnect();
    await server?.stop();
  });

  const sim = ['run', '--simulate', '--sim-latency', 'zero', '--no-stream'];
  /** An open loop: a closed loop needs at least one worker per agent. */
  const rate = ['--rate', '20'];

  test('flag problems exit 2 naming the flag; Redis down exits 3', async () => {
    const cases: [string[], RegExp][] = [
      [['--coordinator', server.url, '--agents', '0'], /--agents must be > 0/],
      [['--coordinator', server.url, '--agents', '-1'], /--agents must be > 0/],
      [['--coordinator', server.url, '--agents', '1000000'], /--agents must be <= 256/],
      [
        ['--coordinator', 'localhost:6379', '--agents', '2'],
        /--coordinator: the scheme is missing: write redis:\/\/localhost:6379/,
      ],
      [['--coordinator', 'http://localhost', '--agents', '2'], /--coordinator must be a redis:\/\//],
      [['--agents', '2'], /--agents needs --coordinator/],
      [['--coordinator', server.url], /--coordinator needs --agents N/],
      [
        ['--coordinator', server.url, '--agents', '2', '--shared-limits', '1,2'],
        /--shared-limits takes a tier name/,
      ],
      [
        ['--coordinator', server.url, '--agents', '2', '--limiter-namespace', 'acme'],
        /--limiter-namespace needs --shared-limits/,
      ],
      [
        [
          '--coordinator',
          server.url,
          '--agents',
          '2',
          '--shared-limits',
          'build',
          '--limiter-namespace',
          '{acme}',
        ],
        /--limiter-namespace: 1-100 characters without spaces, \{ or \}/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli([
        ...sim,
        '--requests',
        '2',
        '--join-timeout',
        '200ms',
        '--out',
        join(tmp, 'bad'),
        ...args,
      ]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const down = await cli([
      ...sim,
      ...rate,
      '--out',
      join(tmp, 'down'),
      '--requests',
      '2',
      '--coordinator',
      // Port 1: nothing listens there (a free port could be taken by a redis-server of a parallel test).
      'redis://127.0.0.1:1',
      '--agents',
      '2',
    ]);
    assert.equal(down.code, 3);
    assert.match(
      down.stderr,
      /--coordinator: cannot reach redis:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\): start Redis there/,
    );
  });

  test('closed loop with fewer workers than agents is refused before joining', async () => {
    const args = [
      ...sim,
      '--concurrency',
      '1',
      '--requests',
      '4',
      '--coordinator',
      server.url,
      '--agents',
      '2',
    ];
    const rs = await Promise.all(
      // One folder each: two agents in one process would race on the same --out write check.
      [0, 1].map((k) =>
        cli([...args, '--run-id', 'few', '--join-timeout', '10s', '--out', join(tmp, `few-${k}`)]),
      ),
    );
    for (const r of rs) {
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--concurrency 1 is below --agents 2/);
    }
    assert.equal(await admin.exists(distributedKey('few', 'meta')), 0, 'nobody joined');
  });

  test('two agents: each saves its share, the last merges one run.json with the sum', async () => {
    const outs = [join(tmp, 'two-a'), join(tmp, 'two-b')];
    const args = [...sim, '--rate', '40', '--requests', '12', '--coordinator', server.url, '--agents', '2'];
    const rs = await Promise.all(
      outs.map((out) => cli([...args, '--run-id', 'two', '--join-timeout', '10s', '--out', out])),
    );
    for (const r of rs) assert.equal(r.code, 0, r.stderr);
    const last = rs.findIndex((r) => /merged the runs of 2 agents/.test(r.stderr));
    assert.ok(last >= 0 && rs.filter((r) => /merged the runs/.test(r.stderr)).length === 1);
    const out = outs[last]!;
    const agents = outs
      .flatMap((o) => [1, 2].map((k) => join(o, `agent-${k}`, 'run.json')))
      .filter((f) => existsSync(f));
    assert.deepEqual(
      agents.map((f) => JSON.parse(readFileSync(f, 'utf8')).summary.requests.total),
      [6, 6],
    );
    const merged = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.equal(merged.summary.requests.total, 12);
    assert.equal(merged.summary.requests.ok, 12);
    // The merged run describes the whole load (the default in-flight cap), not an agent's half of it.
    const share = JSON.parse(readFileSync(agents[0]!, 'utf8')).scenario.load.maxInFlight;
    assert.equal(merged.scenario.load.maxInFlight, share * 2);
    assert.equal(await admin.hget(distributedKey('two', 'meta'), 'state'), 'merged');
  });

  test('Ctrl-C while waiting for the others: exit 130 and the slot is freed', async () => {
    const io = testIo();
    const running = cli(
      [
        ...sim,
        ...rate,
        '--requests',
        '2',
        '--coordinator',
        server.url,
        '--agents',
        '2',
        '--run-id',
        'wait',
        '--out',
        join(tmp, 'wait'),
      ],
      {},
      io,
    );
    await new Promise((r) => setTimeout(r, 400));
    io.signals.emit('SIGINT');
    const r = await running;
    assert.equal(r.code, 130);
    assert.match(r.stderr, /left run "wait"/);
    assert.equal(await admin.hlen(distributedKey('wait', 'agents')), 0);
  });

  test('Ctrl-C while sending: partial results saved, Redis told the agent left, its part still merged', async () => {
    const out = join(tmp, 'stop');
    const io = testIo();
    const running = cli(
      [
        ...sim,
        '--rate',
        '20',
        '--duration',
        '30s',
        '--coordinator',
        server.url,
        '--agents',
        '1',
        '--run-id',
        'stop',
        '--out',
        out,
      ],
      {},
      io,
    );
    const t0 = Date.now();
    while (!/sending to/.test(io.out.stderr) && Date.now() - t0 < 10_000)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    io.signals.emit('SIGINT');
    const r = await running;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /told run "stop" that agent 1 left/);
    assert.equal(await admin.hget(distributedKey('stop', 'meta'), 'status:0'), 'left');
    assert.ok(existsSync(join(out, 'agent-1', 'run.json')));
    const merged = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.ok(merged.summary.requests.total > 0);
    assert.equal(merged.summary.stopReason, 'aborted');
  });

  function req(index: number): AdmissionRequest {
    return {
      index,
      model: 'claude-sonnet-5-5',
      inputTokens: 100,
      maxOutputTokens: 100,
      inputCostUsd: 0.1,
      outputTokenCostUsd: 0.001,
      intendedAt: 0,
    };
  }
  const ctx: AdmissionContext = {
    now: () => 0,
    inFlight: 0,
    expectedOutputTokens: (r) => r.maxOutputTokens,
    signal: new AbortController().signal,
  };
  const served = (index: number, costUsd: number) =>
    ({ index, costUsd, outcome: 'ok', status: 200 }) as unknown as RequestSample;

  test('shared budget: two agents reserve from one ledger, hold while the other has requests out, stop at the budget', async () => {
    const key = distributedKey('budget-unit', 'budget');
    const [a, b] = [0, 1].map(() => sharedBudgetGate({ redis: admin, key, maxCostUsd: 0.5, pollMs: 20 }));
    // Each request reserves $0.1 input + 100 x $0.001 output = $0.2.
    assert.equal((await a!.admit(req(0), ctx)).kind, 'admit');
    assert.equal((await b!.admit(req(1), ctx)).kind, 'admit');
    const held = await a!.admit(req(2), ctx);
    assert.equal(held.kind, 'hold', 'the third does not fit while two are out');
    b!.onSettled!(req(1), served(1, 0.15));
    a!.onSettled!(req(0), served(0, 0.15));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(Math.abs((await sharedSpentUsd(admin, key)) - 0.3) < 1e-9);
    assert.equal((await a!.admit(req(2), ctx)).kind, 'admit', '$0.2 fits in the $0.2 left');
    b!.release!(req(9)); // never admitted here: nothing to give back
    const stop = await b!.admit(req(3), ctx);
    assert.equal(stop.kind, 'hold');
    a!.onSettled!(req(2), served(2, 0.2));
    await new Promise((r) => setTimeout(r, 50));
    const end = await b!.admit(req(3), ctx);
    assert.equal(end.kind, 'stop');
    assert.match((end as { detail: string }).detail, /budget shared by every agent/);
    assert.ok((await sharedSpentUsd(admin, key)) <= 0.5 + 1e-9);
  });

  test('--shared-limits: two agents pass one limiter in the coordinator, so together they keep its RPM', async () => {
    const outs = [join(tmp, 'lim-a'), join(tmp, 'lim-b')];
    // 600 RPM with a 1-second burst: 10 at once, then 10 per second for both agents together.
    const args = [...sim, '--rate', '100', '--requests', '30', '--coordinator', server.url, '--agents', '2'];
    const rs = await Promise.all(
      outs.map((out) =>
        cli([
          ...args,
          '--run-id',
          'lim',
          '--shared-limits',
          '600,100000000,100000000',
          // The namespace an app's instances would use: the test's requests count against it too.
          '--limiter-namespace',
          'acme-prod',
          '--join-timeout',
          '10s',
          '--out',
          out,
        ]),
      ),
    );
    for (const r of rs) assert.equal(r.code, 0, r.stderr);
    const out = outs[rs.findIndex((r) => /merged the runs/.test(r.stderr))]!;
    const merged = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.equal(merged.summary.requests.total, 30);
    // Alone each agent would send its 15 in 0.3 s. Together through the limiter: at most 10 + 10 per
    // second (a late generator only sends later), so the 30 take at least 2 s after the first.
    assert.ok(merged.summary.durationS >= 1.8, `took ${merged.summary.durationS} s`);
    assert.ok(merged.timeseries[0].sent <= 21, `${merged.timeseries[0].sent} sent in the first second`);
    assert.ok(merged.summary.queueWaitMs.max > 0);
    assert.ok(
      (await admin.keys('{acme-prod:*')).length > 0,
      "the limiter kept its state under the app's namespace",
    );
  });
});

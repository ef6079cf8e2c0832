// Queue-based processing: a producer enqueues Messages requests, 2 worker processes (BullMQ, real
// redis-server) take them through one shared limiter against the simulator holding the same limits.
// Nothing is rate limited, every result is stored, and the run is measured from the stored results.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { bundledScript } from '../fixtures/bundledScript';
import { createClaudeProducer, sampleQueueDepth, summarizeQueue } from '../../src/core/queue/index';
import type { ClaudeWorkerStats } from '../../src/core/queue/index';
import { startRedisServer } from '../../src/core/scale/redisServer';
import type { RedisServerHandle } from '../../src/core/scale/redisServer';
import { startSimulator } from '../../src/core/simulator/index';
import type { SimulatorHandle } from '../../src/core/simulator/index';

const LIMITS = { rpm: 1200, itpm: 1_000_000, otpm: 1_000_000 };
const JOBS = 60;
let redis: RedisServerHandle;
let sim: SimulatorHandle;
before(async () => {
  redis = await startRedisServer();
  sim = await startSimulator({ latency: 'fast', limits: LIMITS, burstSeconds: 1 });
});
after(async () => {
  await sim?.close();
  await redis?.stop();
});

function startWorker(workerId: string) {
  const job = {
    redis: redis.url,
    queue: 'claude',
    baseURL: sim.url,
    limits: LIMITS,
    concurrency: 4,
    workerId,
  };
  const child = spawn(
    process.execPath,
    [bundledScript(new URL('./fixtures/queueWorker.ts', import.meta.url).pathname), JSON.stringify(job)],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('ready\n')) resolve();
    }),
  );
  const done = new Promise<ClaudeWorkerStats>((resolve, reject) =>
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as ClaudeWorkerStats);
      else reject(new Error(`worker exited ${code}: ${err.slice(-1500)}`));
    }),
  );
  return { ready, done, stop: () => child.stdin.end('stop\n') };
}

test('2 worker processes drain the queue through the shared limiter: no 429, results stored, wait and fairness measured', async () => {
  const producer = createClaudeProducer({ queue: 'claude', connection: redis.url });
  const workers = [startWorker('w1'), startWorker('w2')];
  await Promise.all(workers.map((w) => w.ready));
  const depth = sampleQueueDepth(producer.queue, 100);
  const t0 = Date.now();
  await producer.enqueueMany(
    Array.from({ length: JOBS }, (_, i) => ({
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      messages: [{ role: 'user' as const, content: `job ${i}` }],
    })),
  );
  for (;;) {
    const c = await producer.queue.getJobCounts('completed', 'failed');
    if ((c.completed ?? 0) + (c.failed ?? 0) >= JOBS) break;
    if (Date.now() - t0 > 20_000) throw new Error(`queue not drained: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const elapsed = Date.now() - t0;
  const series = await depth.stop();
  const summary = await summarizeQueue(producer.queue);
  for (const w of workers) w.stop();
  const stats = await Promise.all(workers.map((w) => w.done));
  await producer.close();

  assert.equal(summary.completed, JOBS);
  assert.equal(summary.failed, 0);
  assert.equal(
    stats.reduce((a, s) => a + s.rateLimited, 0),
    0,
    'no 429 from the simulator',
  );
  // 1,200 rpm with a 1-second bucket: 20 at once, then 20/s.
  assert.ok(
    elapsed >= ((JOBS - 20) / 20) * 1000 * 0.9,
    `drained in ${elapsed} ms: faster than the limit allows`,
  );
  assert.ok(
    summary.fairness >= 0.8,
    `fairness ${summary.fairness} over ${JSON.stringify(summary.perWorker)}`,
  );
  assert.ok(summary.queueWaitMs.p99 >= summary.queueWaitMs.p50 && summary.queueWaitMs.p50 > 0);
  assert.ok(Math.max(...series.map((s) => s.waiting)) > 0, 'the queue was deep at first');
  assert.equal(
    stats.reduce((a, s) => a + s.processed, 0),
    JOBS,
  );
});

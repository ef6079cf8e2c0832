// One app instance of a rehearsal, run as a real OS process: offers its share of the load in open
// loop through the SDK (retries on, as most apps run), with the mode's coordination, and prints an
// InstanceReport as one JSON line. Started with "go <wall ms>" on stdin so all instances start together.
import { performance } from 'node:perf_hooks';
import Anthropic from '@anthropic-ai/sdk';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { createLimiter, limitedFetch } from '../limiter/index';
import type { Limiter } from '../limiter/index';
import { MetricHistogram } from '../metrics/histogram';
import { createClaudeProducer, createClaudeWorker } from '../queue/index';
import type { InstanceJob, InstanceReport } from './types';

function waitForGo(): Promise<number> {
  return new Promise((resolve) => {
    let buf = '';
    process.stdin.on('data', (b: Buffer) => {
      buf += b.toString();
      const m = /go (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
  });
}

export async function runInstance(job: InstanceJob): Promise<InstanceReport> {
  const latency = new MetricHistogram();
  const wait = new MetricHistogram();
  const report = { index: job.index, offered: 0, ok: 0, failed: 0, attempts: 0, rateLimited: 0 };
  const okPerSecond: number[] = [];
  let lastOkMs = 0;
  // Every HTTP attempt passes here (under the SDK's retries and the limiter): 429s are counted once each.
  const counting: typeof fetch = async (input, init) => {
    report.attempts++;
    const res = await fetch(input, init);
    if (res.status === 429) report.rateLimited++;
    return res;
  };
  let limiter: Limiter | null = null;
  if (job.mode !== 'none') {
    limiter = await createLimiter({
      redis: job.redisUrl,
      namespace: job.namespace,
      limits: job.limits,
      burstSeconds: job.burstSeconds,
      timeScale: job.timeScale,
      strategy: job.mode === 'fixed-window' ? 'fixedWindow' : 'gcra',
    });
  }
  const sdkFetch =
    job.mode === 'shared' || job.mode === 'fixed-window'
      ? limitedFetch(limiter!, { fetch: counting, onLease: (l) => wait.record(l.waitedMs) })
      : counting;
  const client = new Anthropic({ apiKey: 'rehearsal', baseURL: job.baseURL, maxRetries: 2, fetch: sdkFetch });
  const params = {
    model: job.model,
    max_tokens: job.maxTokens,
    messages: [
      { role: 'user' as const, content: `Instance ${job.index}: summarise the rehearsal in one line.` },
    ],
  };

  let queueParts: {
    producer: ReturnType<typeof createClaudeProducer>;
    worker: ReturnType<typeof createClaudeWorker>;
    events: QueueEvents;
  } | null = null;
  if (job.mode === 'queue') {
    const queue = `${job.namespace}-queue`;
    const workerClient = new Anthropic({
      apiKey: 'rehearsal',
      baseURL: job.baseURL,
      maxRetries: 2,
      fetch: counting,
    });
    queueParts = {
      producer: createClaudeProducer({
        queue,
        connection: job.redisUrl,
        defaultJobOptions: { attempts: 1, removeOnComplete: true },
      }),
      worker: createClaudeWorker({
        queue,
        connection: job.redisUrl,
        limiter: limiter!,
        client: workerClient,
        concurrency: job.concurrency,
        workerId: String(job.index),
      }),
      events: new QueueEvents(queue, { connection: new Redis(job.redisUrl, { maxRetriesPerRequest: null }) }),
    };
    await queueParts.events.waitUntilReady();
    await queueParts.worker.worker.waitUntilReady();
  }

  process.stdout.write('ready\n');
  const startAt = await waitForGo();
  const delay0 = startAt - Date.now();
  if (delay0 > 0) await new Promise((r) => setTimeout(r, delay0));
  const t0 = performance.now();
  const inflight = new Set<Promise<void>>();
  const drain = new AbortController();
  const countOk = () => {
    lastOkMs = performance.now() - t0;
    const sec = Math.floor(lastOkMs / 1000);
    okPerSecond[sec] = (okPerSecond[sec] ?? 0) + 1;
  };

  const one = async (intended: number) => {
    try {
      if (queueParts) {
        const j = await queueParts.producer.enqueue(params);
        const r = (await j.waitUntilFinished(queueParts.events)) as { queueWaitMs: number };
        wait.record(r.queueWaitMs);
      } else {
        await client.messages.create(params, { signal: drain.signal });
      }
      report.ok++;
      countOk();
      latency.record(performance.now() - intended);
    } catch {
      report.failed++;
    }
  };
  const interval = 1000 / job.rps;
  for (let t = 0; t < job.durationMs; t += interval) {
    const intended = t0 + t;
    const d = intended - performance.now();
    if (d > 1) await new Promise((r) => setTimeout(r, d));
    report.offered++;
    const p = one(intended);
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }
  const timer = setTimeout(() => drain.abort(), job.drainMs);
  await Promise.race([Promise.all(inflight), new Promise((r) => setTimeout(r, job.drainMs + 500))]);
  clearTimeout(timer);
  const roundTrips = limiter?.stats().roundTrips ?? 0;
  if (queueParts) {
    await queueParts.worker.close();
    await queueParts.events.close();
    await queueParts.producer.close();
  }
  await limiter?.close();
  return {
    ...report,
    latency: latency.encode(),
    wait: wait.encode(),
    roundTrips,
    lastOkMs,
    okPerSecond: Array.from(okPerSecond, (v) => v ?? 0),
  };
}

/** Entry when run as a child process: argv[2] = InstanceJob JSON. */
export async function instanceMain(): Promise<void> {
  const job = JSON.parse(process.argv[process.argv.length - 1]!) as InstanceJob;
  const report = await runInstance(job);
  process.stdout.write(JSON.stringify(report) + '\n');
  process.exit(0);
}

// One app instance of a rehearsal, run as a real OS process: offers its share of the load in open
// loop through the SDK (retries on, as most apps run), with the mode's coordination, and prints an
// InstanceReport as one JSON line. Started with "go <wall ms>" on stdin so all instances start together.
import { performance } from 'node:perf_hooks';
import Anthropic from '@anthropic-ai/sdk';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { createLimiter, limitedFetch } from '../limiter/index';
import type { Limiter } from '../limiter/index';
import { sleep } from '../limiter/sleep';
import { MetricHistogram } from '../metrics/histogram';
import { createClaudeProducer, createClaudeWorker } from '../queue/index';
import { listenToCoordinator } from './instanceProcess';
import type { InstanceJob, InstanceReport } from './types';

/** How the coordinator drives an instance: the start time, and an early stop (Ctrl-C). */
export interface InstanceControl {
  /** Resolves with the wall-clock start (ms since the epoch) once told to go. */
  go: Promise<number>;
  /** Aborted when told to stop: sending ends and in-flight requests are aborted. */
  stop: AbortSignal;
  /** Called once set up (the process prints "ready"). */
  onReady(): void;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
const sleepUnless = (ms: number, signal: AbortSignal) => sleep(ms, signal).catch(() => undefined);

/** Runs one instance; `finish` receives the report before the limiter and queue are closed. */
export async function runInstance(
  job: InstanceJob,
  control: InstanceControl,
  finish: (report: InstanceReport) => void,
): Promise<void> {
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
      quotaMs: job.mode === 'fixed-window' ? 0 : (job.quotaMs ?? 0),
      strategy: job.mode === 'fixed-window' ? 'fixedWindow' : 'gcra',
    });
  }
  const sdkFetch =
    job.mode === 'shared' || job.mode === 'fixed-window'
      ? limitedFetch(limiter!, { fetch: counting, onLease: (l) => wait.record(l.waitedMs) })
      : counting;
  const client = new Anthropic({ apiKey: 'rehearsal', baseURL: job.baseURL, maxRetries: 2, fetch: sdkFetch });
  // The workload's bodies in turn, each instance starting at its own offset.
  let sent = 0;
  const nextParams = () =>
    job.bodies[
      (job.index + sent++) % job.bodies.length
    ] as unknown as Anthropic.MessageCreateParamsNonStreaming;

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

  control.onReady();
  const startAt = await Promise.race([
    control.go,
    new Promise<number>((r) => control.stop.addEventListener('abort', () => r(0), { once: true })),
  ]);
  await sleepUnless(startAt - Date.now(), control.stop);
  const t0 = performance.now();
  const inflight = new Set<Promise<void>>();
  const drain = new AbortController();
  // Told to stop: no more sends, in-flight requests aborted (what they measured so far is kept).
  control.stop.addEventListener('abort', () => drain.abort(), { once: true });
  // A queued job's wait cannot be aborted: it is abandoned when the drain ends.
  const drained = new Promise<never>((_, reject) =>
    drain.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }),
  );
  drained.catch(() => undefined);
  const countOk = () => {
    lastOkMs = performance.now() - t0;
    const sec = Math.floor(lastOkMs / 1000);
    okPerSecond[sec] = (okPerSecond[sec] ?? 0) + 1;
  };

  const one = async (intended: number) => {
    const params = nextParams();
    try {
      if (queueParts) {
        const j = await queueParts.producer.enqueue(params);
        const finished = j.waitUntilFinished(queueParts.events) as Promise<{ queueWaitMs: number }>;
        const r = await Promise.race([finished, drained]);
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
  for (const t of sendSchedule(job)) {
    if (control.stop.aborted) break;
    const intended = t0 + t;
    const d = intended - performance.now();
    if (d > 1) await sleepUnless(d, control.stop);
    if (control.stop.aborted) break;
    report.offered++;
    const p = one(intended);
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }
  const timer = setTimeout(() => drain.abort(), job.drainMs);
  await Promise.race([Promise.all(inflight), new Promise((r) => setTimeout(r, job.drainMs + 500))]);
  clearTimeout(timer);
  finish({
    ...report,
    latency: latency.encode(),
    wait: wait.encode(),
    roundTrips: limiter?.stats().roundTrips ?? 0,
    limiterWaits: limiter?.stats().waited ?? 0,
    lastOkMs,
    okPerSecond: Array.from(okPerSecond, (v) => v ?? 0),
    stopped: control.stop.aborted,
  });
  if (queueParts) {
    await queueParts.worker.close();
    await queueParts.events.close();
    await queueParts.producer.close();
  }
  await limiter?.close();
}

/** Send times of one instance (ms from the shared start): every 1/rps, from its phase on. */
export function* sendSchedule(job: Pick<InstanceJob, 'rps' | 'durationMs' | 'phase'>): Generator<number> {
  const interval = 1000 / job.rps;
  for (let t = (job.phase ?? 0) * interval; t < job.durationMs; t += interval) yield t;
}

/**
 * Entry when run as a child process. stdin lines: "job <InstanceJob JSON>" (first; stdin has no
 * size limit, argv has), "go <wall ms>", "stop".
 */
export async function instanceMain(): Promise<void> {
  const stop = new AbortController();
  let onGo!: (t: number) => void;
  const go = new Promise<number>((r) => (onGo = r));
  let onJob!: (job: InstanceJob) => void;
  const jobReceived = new Promise<InstanceJob>((r) => (onJob = r));
  listenToCoordinator(
    (line) => {
      const m = /^go (\d+)$/.exec(line);
      if (m) onGo(Number(m[1]));
      else if (line === 'stop') stop.abort();
      else if (line.startsWith('job ')) onJob(JSON.parse(line.slice(4)) as InstanceJob);
    },
    // stdin closed before the report: the coordinator is gone; nobody would read it.
    () => process.exit(1),
  );
  const job = await jobReceived;
  // The report goes out first; closing the limiter and queue gets 3 s, then the process ends anyway.
  await runInstance(job, { go, stop: stop.signal, onReady: () => process.stdout.write('ready\n') }, (r) => {
    process.stdout.write(JSON.stringify(r) + '\n');
    setTimeout(() => process.exit(0), 3000).unref();
  });
  process.exit(0);
}

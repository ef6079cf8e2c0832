// Queue-based processing with BullMQ (not a queue of our own): producers enqueue Messages requests,
// workers in any number of processes take them, each through the shared limiter, and store the
// reply as the job's return value. Every stored result carries its queue wait and worker id, so the
// measurements (queue wait p50/p99, fairness across workers) come from Redis, whichever process ran it.
import type Anthropic from '@anthropic-ai/sdk';
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions, Job, JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { builtinCatalog, findModel } from '../catalog/index';
import { remainingFromHeaders, retryAfterSeconds, jainIndex } from '../limiter/index';
import type { Limiter } from '../limiter/index';
import { MetricHistogram } from '../metrics/histogram';
import type { PercentileSummary } from '../metrics/histogram';
import { estimateRequestTokens } from '../tokens/count';

/** Body of a non-streaming Messages call. */
export type ClaudeJobParams = Anthropic.MessageCreateParamsNonStreaming;

export interface ClaudeJobData {
  params: ClaudeJobParams;
}

export interface ClaudeJobResult {
  message: Anthropic.Message;
  workerId: string;
  /** From enqueue to the moment the limiter let it go (queue + limiter wait), ms. */
  queueWaitMs: number;
  /** Limiter wait alone, ms. */
  limiterWaitMs: number;
  /** Time of the Messages call, ms. */
  serviceMs: number;
}

/** A Redis URL, an ioredis client, or BullMQ connection options. */
export type QueueConnection = string | Redis | ConnectionOptions;

function toConnection(c: QueueConnection): ConnectionOptions {
  // BullMQ's blocking commands need maxRetriesPerRequest: null.
  return typeof c === 'string' ? new Redis(c, { maxRetriesPerRequest: null }) : c;
}

export interface ClaudeProducer {
  readonly queue: Queue<ClaudeJobData, ClaudeJobResult>;
  enqueue(params: ClaudeJobParams, options?: JobsOptions): Promise<Job<ClaudeJobData, ClaudeJobResult>>;
  enqueueMany(list: ClaudeJobParams[], options?: JobsOptions): Promise<Job<ClaudeJobData, ClaudeJobResult>[]>;
  close(): Promise<void>;
}

/** A producer of Claude jobs (retries on 429 with BullMQ's backoff unless `options` say otherwise). */
export function createClaudeProducer(o: {
  queue: string;
  connection: QueueConnection;
  defaultJobOptions?: JobsOptions;
}): ClaudeProducer {
  const connection = toConnection(o.connection);
  const queue = new Queue<ClaudeJobData, ClaudeJobResult>(o.queue, {
    connection,
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 500 }, ...o.defaultJobOptions },
  });
  return {
    queue,
    enqueue: (params, options) => queue.add('messages', { params }, options),
    enqueueMany: (list, options) =>
      queue.addBulk(list.map((params) => ({ name: 'messages', data: { params }, opts: options }))),
    async close() {
      await queue.close();
      if (typeof o.connection === 'string') (connection as Redis).disconnect();
    },
  };
}

export interface ClaudeWorkerOptions {
  /** Queue name. */
  queue: string;
  connection: QueueConnection;
  limiter: Limiter;
  /** An SDK client WITHOUT limitedFetch (the worker takes the lease itself); maxRetries 0 is advised. */
  client: Anthropic;
  /** Jobs in flight in this worker. Default 4. */
  concurrency?: number;
  /** Identifies this worker in results (default host pid + a counter). */
  workerId?: string;
}

export interface ClaudeWorkerStats {
  workerId: string;
  processed: number;
  failed: number;
  rateLimited: number;
  queueWaitMs: PercentileSummary;
}

export interface ClaudeWorker {
  readonly worker: Worker<ClaudeJobData, ClaudeJobResult>;
  stats(): ClaudeWorkerStats;
  close(): Promise<void>;
}

let workerCounter = 0;

/** A BullMQ worker that sends each job's Messages call through the shared limiter and stores the reply. */
export function createClaudeWorker(o: ClaudeWorkerOptions): ClaudeWorker {
  const workerId = o.workerId ?? `${process.pid}-${++workerCounter}`;
  const waits = new MetricHistogram();
  const counts = { processed: 0, failed: 0, rateLimited: 0 };
  const connection = toConnection(o.connection);
  const processor = async (job: Job<ClaudeJobData, ClaudeJobResult>): Promise<ClaudeJobResult> => {
    const params = job.data.params;
    const tokenizer = findModel(builtinCatalog, params.model)?.tokenizer ?? 'new';
    const inputTokens = estimateRequestTokens(params as unknown as Record<string, unknown>, tokenizer);
    const lease = await o.limiter.acquire({
      model: params.model,
      inputTokens,
      outputTokens: params.max_tokens,
    });
    const sentAt = Date.now();
    const queueWaitMs = Math.max(0, sentAt - job.timestamp);
    waits.record(queueWaitMs);
    try {
      const { data, response } = await o.client.messages.create(params).withResponse();
      void lease.settle(data.usage, remainingFromHeaders(response.headers));
      counts.processed++;
      return {
        message: data,
        workerId,
        queueWaitMs,
        limiterWaitMs: lease.waitedMs,
        serviceMs: Date.now() - sentAt,
      };
    } catch (e) {
      lease.release();
      const err = e as { status?: number; headers?: Headers };
      if (err.status === 429) {
        counts.rateLimited++;
        const s = err.headers ? retryAfterSeconds(err.headers) : null;
        if (s) await o.limiter.pause(s, params.model);
      }
      counts.failed++;
      throw e;
    }
  };
  const worker = new Worker<ClaudeJobData, ClaudeJobResult>(o.queue, processor, {
    connection,
    concurrency: o.concurrency ?? 4,
  });
  // A failed job is BullMQ's business (attempts, backoff); never crash the process on it.
  worker.on('error', () => undefined);
  return {
    worker,
    stats: () => ({ workerId, ...counts, queueWaitMs: waits.summary() }),
    async close() {
      await worker.close();
      if (typeof o.connection === 'string') (connection as Redis).disconnect();
    },
  };
}

export interface DepthSample {
  /** ms since sampling started. */
  t: number;
  waiting: number;
  active: number;
  delayed: number;
}

/** Samples queue depth every `everyMs` until stop() (which returns the series). */
export function sampleQueueDepth(queue: Queue, everyMs = 250): { stop(): Promise<DepthSample[]> } {
  const samples: DepthSample[] = [];
  const t0 = Date.now();
  let busy: Promise<void> = Promise.resolve();
  const take = () => {
    busy = queue
      .getJobCounts('waiting', 'active', 'delayed', 'prioritized')
      .then((c) => {
        samples.push({
          t: Date.now() - t0,
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
        });
      })
      .catch(() => undefined);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      return samples;
    },
  };
}

export interface QueueRunSummary {
  completed: number;
  failed: number;
  queueWaitMs: PercentileSummary;
  /** Jobs completed per worker id. */
  perWorker: Record<string, number>;
  /** Jain's index over jobs per worker (1 = even). */
  fairness: number;
}

/** Reads the stored results of completed jobs (from any process) and summarises them. */
export async function summarizeQueue(queue: Queue<ClaudeJobData, ClaudeJobResult>): Promise<QueueRunSummary> {
  const h = new MetricHistogram();
  const perWorker: Record<string, number> = {};
  const completed = await queue.getJobs(['completed'], 0, -1);
  for (const job of completed) {
    const r = job.returnvalue;
    if (!r) continue;
    h.record(r.queueWaitMs);
    perWorker[r.workerId] = (perWorker[r.workerId] ?? 0) + 1;
  }
  const failed = await queue.getJobCountByTypes('failed');
  return {
    completed: completed.length,
    failed,
    queueWaitMs: h.summary(),
    perWorker,
    fairness: jainIndex(Object.values(perWorker)),
  };
}

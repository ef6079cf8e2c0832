// One side of a comparison, in its own process (bench/lib.ts runClient): the bare SDK loop or the
// engine, built the same way: the same SDK, the same fetch (undici's, as the engine's target uses),
// the same client options (no retries, the engine's default timeout), and the same warm-up (a short
// run of the same kind before measuring). Prints `RESULT {json}`: rate, CPU per request, lateness.
import { performance } from 'node:perf_hooks';
import { Anthropic } from '@anthropic-ai/sdk';
import { fetch as undiciFetch } from 'undici';
import { parseScenario, startLoadTest } from '../src/core/index';
import { MetricHistogram } from '../src/core/metrics/histogram';

export interface ClientJob {
  side: 'bare' | 'engine';
  url: string;
  stream: boolean;
  /** Closed loop: workers; open loop: the in-flight cap. */
  concurrency: number;
  /** Closed loop: requests measured. */
  requests?: number;
  /** Open loop: rate and seconds measured. */
  rps?: number;
  seconds?: number;
  maxTokens: number;
  prompt: string;
  warmupRequests: number;
}

export interface ClientResult {
  /** Completed requests per second of the measured phase. */
  reqPerS: number;
  /** CPU ms (user + system) per completed request. */
  cpuMsPerRequest: number;
  /** Share of one core used during the measured phase. */
  cpuCores: number;
  /** Open loop: send lateness against the schedule (ms). */
  lateP50?: number;
  lateP99?: number;
  completed: number;
}

const timeoutMs = 600_000; // the engine's default per-request timeout
const model = 'claude-haiku-4-5';

function bareClient(url: string): Anthropic {
  return new Anthropic({
    apiKey: 'bench',
    baseURL: url,
    maxRetries: 0,
    timeout: timeoutMs,
    fetch: undiciFetch as unknown as typeof globalThis.fetch,
  });
}

async function bareOne(client: Anthropic, job: ClientJob): Promise<void> {
  const body = {
    model,
    max_tokens: job.maxTokens,
    messages: [{ role: 'user' as const, content: job.prompt }],
  };
  if (job.stream) {
    const s = await client.messages.create({ ...body, stream: true });
    for await (const _ of s) void _;
  } else {
    await client.messages.create(body);
  }
}

async function bareClosed(client: Anthropic, job: ClientJob, total: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(job.concurrency, total) }, async () => {
      while (next++ < total) await bareOne(client, job);
    }),
  );
}

/** The engine's open-loop timing, without the engine: one re-checked timer per send. */
async function bareOpen(client: Anthropic, job: ClientJob, seconds: number, late?: MetricHistogram) {
  const interval = 1000 / job.rps!;
  const t0 = performance.now();
  const inflight = new Set<Promise<void>>();
  for (let i = 0; i * interval < seconds * 1000; i++) {
    const due = t0 + i * interval;
    for (;;) {
      const wait = due - performance.now();
      if (wait <= 0) break;
      await new Promise((r) => setTimeout(r, Math.ceil(wait)));
    }
    late?.record(performance.now() - due);
    if (inflight.size >= job.concurrency) await Promise.race(inflight);
    const p: Promise<void> = bareOne(client, job).finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
}

function scenarioFor(job: ClientJob, requests: number | undefined, seconds: number | undefined) {
  return parseScenario({
    target: { baseUrl: job.url },
    model,
    maxTokens: job.maxTokens,
    prompt: job.prompt,
    stream: job.stream,
    load:
      job.rps !== undefined
        ? { type: 'rate', rps: job.rps, maxInFlight: job.concurrency }
        : { type: 'concurrency', concurrency: job.concurrency },
    ...(requests !== undefined ? { requests } : {}),
    ...(seconds !== undefined ? { duration: `${seconds}s` } : {}),
  });
}

async function measure(job: ClientJob): Promise<ClientResult> {
  const open = job.rps !== undefined;
  const client = bareClient(job.url);
  // Warm-up of the same kind on both sides: JIT, connections, the simulator's caches.
  if (job.side === 'bare') await bareClosed(client, job, job.warmupRequests);
  else
    await startLoadTest(scenarioFor({ ...job, rps: undefined }, job.warmupRequests, undefined), {
      apiKey: 'bench',
    }).done;
  (globalThis as { gc?: () => void }).gc?.();

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let completed: number;
  let lateP50: number | undefined;
  let lateP99: number | undefined;
  if (job.side === 'bare') {
    if (open) {
      const late = new MetricHistogram();
      await bareOpen(client, job, job.seconds!, late);
      lateP50 = late.percentile(50);
      lateP99 = late.percentile(99);
      completed = Math.round(job.rps! * job.seconds!);
    } else {
      await bareClosed(client, job, job.requests!);
      completed = job.requests!;
    }
  } else {
    const r = await startLoadTest(
      scenarioFor(job, open ? undefined : job.requests, open ? job.seconds : undefined),
      {
        apiKey: 'bench',
      },
    ).done;
    const s = r.summary;
    if (s.requests.ok !== s.requests.total)
      throw new Error(`engine run had failures: ${JSON.stringify(s.requests)}`);
    completed = s.requests.ok;
    lateP50 = s.health.timerLatenessMs?.p50;
    lateP99 = s.health.timerLatenessMs?.p99;
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    reqPerS: completed / (wallMs / 1000),
    cpuMsPerRequest: cpuMs / completed,
    cpuCores: cpuMs / wallMs,
    completed,
    ...(lateP50 !== undefined ? { lateP50, lateP99 } : {}),
  };
}

const job = JSON.parse(process.argv[2] ?? '{}') as ClientJob;
measure(job).then(
  (r) => console.log(`RESULT ${JSON.stringify(r)}`),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

// One side of a comparison, in its own process (bench/lib.ts runClient, from a bundle built like the
// CLI's): the bare SDK loop or the engine, doing the same work: the bare loop sends through the very
// client the engine builds (resolveTarget: the same SDK options, undici fetch and connection pool),
// both warm up with a run of the same kind on a client of their own, and both measure a phase that
// builds a fresh client (with its preflight), sends, and closes it, as an engine run does.
// Prints `RESULT {json}`: rate, CPU per request, share of a core, lateness.
// BENCH_PROF=file.cpuprofile writes a CPU profile of the measured phase (node:inspector).
import { performance } from 'node:perf_hooks';
import type { Anthropic } from '@anthropic-ai/sdk';
import { builtinCatalog } from '../src/core/catalog/index';
import { resolveTarget } from '../src/core/engine/target';
import { parseScenario, startLoadTest } from '../src/core/index';
import { MetricHistogram } from '../src/core/metrics/histogram';
import { sleepUntil } from './timing';

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

const model = 'claude-haiku-4-5';

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
    await sleepUntil(due);
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

/** The engine's client for this job (what an engine run sends through), with its preflight. */
function engineClient(job: ClientJob) {
  return resolveTarget(scenarioFor(job, 1, undefined), { apiKey: 'bench', catalog: builtinCatalog });
}

async function measure(job: ClientJob): Promise<ClientResult> {
  const open = job.rps !== undefined;
  // Warm-up of the same kind on both sides, each on a client of its own (as an engine run has):
  // JIT, the simulator's caches.
  if (job.side === 'bare') {
    const warm = await engineClient(job);
    await bareClosed(warm.client, job, job.warmupRequests);
    await warm.close();
  } else
    await startLoadTest(scenarioFor({ ...job, rps: undefined }, job.warmupRequests, undefined), {
      apiKey: 'bench',
    }).done;
  (globalThis as { gc?: () => void }).gc?.();

  const stopProfile = process.env.BENCH_PROF ? await startProfile(process.env.BENCH_PROF) : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let completed: number;
  let lateP50: number | undefined;
  let lateP99: number | undefined;
  if (job.side === 'bare') {
    const target = await engineClient(job);
    const client = target.client;
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
    await target.close();
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
  await stopProfile?.();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    reqPerS: completed / (wallMs / 1000),
    cpuMsPerRequest: cpuMs / completed,
    cpuCores: cpuMs / wallMs,
    completed,
    ...(lateP50 !== undefined ? { lateP50, lateP99 } : {}),
  };
}

async function startProfile(file: string): Promise<() => Promise<void>> {
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
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

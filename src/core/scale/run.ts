// Coordinator of a rehearsal: one simulator process holding the org's limits (short-interval
// enforcement via burstSeconds), redis-server (started from PATH unless a URL is given), and per
// mode N real OS processes as app instances on identical offered load.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { jainIndex } from '../limiter/index';
import { MetricHistogram } from '../metrics/histogram';
import type { RateLimits } from '../limiter/index';
import { startInstanceProcess } from './instanceProcess';
import type { InstanceProcess } from './instanceProcess';
import { startRedisServer } from './redisServer';
import { defaultScaleBody } from './workload';
import type { RedisServerHandle } from './redisServer';
import type {
  InstanceJob,
  InstanceReport,
  ModeResult,
  ScaleMode,
  ScaleResult,
  ScaleRunOptions,
} from './types';
import type { SimulatorProcessJob } from './simulatorJob';

/** Shares of the offered load: even at skew 0, from (1 - skew) to (1 + skew) of the mean otherwise. */
export function instanceShares(n: number, skew: number): number[] {
  if (n === 1) return [1];
  const w = Array.from({ length: n }, (_, i) => 1 + skew * ((2 * i) / (n - 1) - 1));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** A child entry: the bundled dist/<bundled> next to the CLI, else the TypeScript source through tsx. */
function childCommand(bundled: string, source: string): string[] {
  const file = join(__dirname, bundled);
  if (existsSync(file)) return [file];
  return ['--import', 'tsx', join(__dirname, source)];
}

function startInstance(job: InstanceJob): InstanceProcess<InstanceReport> {
  const child = startInstanceProcess<InstanceReport>(
    childCommand('scaleInstance.js', 'instanceMain.ts'),
    `instance ${job.index} (${job.mode})`,
    { keepStdinOpen: true },
  );
  child.send(`job ${JSON.stringify(job)}`);
  return child;
}

/** The org's simulator as its own OS process; resolves with it and its URL once it listens. */
async function startSimulatorProcess(
  job: SimulatorProcessJob,
): Promise<{ sim: InstanceProcess<never>; url: string }> {
  const sim = startInstanceProcess<never>(
    [...childCommand('scaleSimulator.js', 'simulatorMain.ts'), JSON.stringify(job)],
    'simulator',
    { readyPattern: /^listening (http:\/\/\S+)$/m, keepStdinOpen: true },
  );
  try {
    const line = await sim.readyLine;
    return { sim, url: line.slice('listening '.length) };
  } catch (e) {
    sim.kill();
    throw e;
  }
}

/**
 * Requests the org's bucket allowed from the start to `spanMs` (real ms): a full bucket at the start
 * (burstSeconds of the RPM) plus the refill. Utilisation is measured against this, not against
 * RPM x span alone: on a short rehearsal the starting bucket is a large share of what may be sent
 * (3 s at 600 RPM with 1 s of burst: 10 + 30 requests, so "per minute" alone reads 133 %).
 */
export function allowedRequests(
  limits: RateLimits,
  burstSeconds: number,
  spanMs: number,
  timeScale: number,
): number {
  return (limits.rpm * burstSeconds) / 60 + (limits.rpm * timeScale * spanMs) / 60_000;
}

export function summarizeMode(mode: ScaleMode, reports: InstanceReport[], o: ScaleRunOptions): ModeResult {
  const latency = new MetricHistogram();
  const wait = new MetricHistogram();
  let sent = 0;
  let ok = 0;
  let rateLimited = 0;
  let attempts = 0;
  let roundTrips = 0;
  let limiterWaits = 0;
  const okPerSecond: number[] = [];
  for (const r of reports) {
    latency.add(MetricHistogram.decode(r.latency));
    wait.add(MetricHistogram.decode(r.wait));
    sent += r.offered;
    ok += r.ok;
    rateLimited += r.rateLimited;
    attempts += r.attempts;
    roundTrips += r.roundTrips;
    limiterWaits += r.limiterWaits;
    r.okPerSecond.forEach((v, i) => (okPerSecond[i] = (okPerSecond[i] ?? 0) + v));
  }
  // Throughput from the start to the last ok reply (at least the offered window): replies that
  // drained after the window count over the time they took.
  const spanMs = Math.max(o.durationMs, ...reports.map((r) => r.lastOkMs));
  const minutes = (spanMs / 60_000) * (o.timeScale ?? 1);
  const achievedRpm = ok / minutes;
  const allowed = allowedRequests(o.limits, o.burstSeconds, spanMs, o.timeScale ?? 1);
  const l = latency.summary();
  const w = wait.summary();
  return {
    mode,
    sent,
    ok,
    rateLimited,
    rateLimitedRate: attempts > 0 ? rateLimited / attempts : 0,
    attempts,
    retries: Math.max(0, attempts - sent),
    achievedRpm,
    limitRpm: o.limits.rpm,
    allowedRequests: allowed,
    // ok / allowed can exceed 1 only if more was served than the org's bucket allowed.
    utilization: allowed > 0 ? ok / allowed : 0,
    // Fairness of the served share: each instance's ok relative to what it offered.
    fairness: jainIndex(reports.map((r) => (r.offered > 0 ? r.ok / r.offered : 0))),
    latency: { p50: l.p50, p99: l.p99 },
    waitMs: { p50: w.p50, p99: w.p99 },
    roundTripsPerRequest: sent > 0 ? roundTrips / sent : 0,
    limiterWaits,
    perInstanceOk: reports.map((r) => r.ok),
    okPerSecond: Array.from(okPerSecond, (v) => v ?? 0),
    ...(reports.some((r) => r.stopped) || reports.length < o.instances ? { interrupted: true } : {}),
  };
}

/** Resolves when `signal` aborts (never without one). */
function abortedPromise(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * Runs every mode in turn on identical offered load against one simulator process. Throws
 * RedisServerMissingError without redis-server. When `signal` aborts (Ctrl-C), the running mode's
 * instances stop and report what they measured, later modes are skipped, and the result (marked
 * interrupted) holds what was measured. Every child process is gone when this returns or throws.
 */
export async function runScale(o: ScaleRunOptions): Promise<ScaleResult> {
  const log = o.log ?? (() => undefined);
  const timeScale = o.timeScale ?? 1;
  const aborted = abortedPromise(o.signal);
  const modes: ModeResult[] = [];
  let server: RedisServerHandle | null = null;
  let sim: InstanceProcess<never> | null = null;
  try {
    const redisUrl = o.redisUrl ?? (server = await startRedisServer('redis-server', { detached: true })).url;
    const simulator = await startSimulatorProcess({
      simulator: { latency: 'fast', limits: o.limits, burstSeconds: o.burstSeconds, timeScale },
      // The simulator process stops the redis-server started here if this process dies outright.
      guardPids: server?.pid !== undefined ? [server.pid] : [],
    });
    sim = simulator.sim;
    log(`simulator (pid ${sim.pid}) at ${simulator.url}`);
    // Every mode starts on a full bucket: the previous mode's drain is refilled before the next goes.
    const refillMs = ((o.burstSeconds * 1000) / timeScale) * 1.2 + 100;
    let fullAt = 0;
    for (const mode of o.modes) {
      if (o.signal?.aborted) break;
      const namespace = `rehearsal-${Date.now().toString(36)}-${mode}`;
      const shares = instanceShares(o.instances, o.skew);
      const running = shares.map((share, index) =>
        startInstance({
          index,
          mode,
          baseURL: simulator.url,
          redisUrl,
          namespace,
          rps: Math.max(1e-3, o.offeredRps * share),
          phase: index / o.instances,
          durationMs: o.durationMs,
          drainMs: o.drainMs ?? 15_000,
          limits: o.limits,
          burstSeconds: o.burstSeconds,
          quotaMs: o.quotaMs ?? 0,
          timeScale,
          bodies: o.bodies ?? [defaultScaleBody(o.model, o.maxTokens)],
          concurrency: 8,
        }),
      );
      const stopAll = () => running.forEach((r) => r.stop());
      o.signal?.addEventListener('abort', stopAll, { once: true });
      // A report that fails is handled below (the first failure ends the mode); none goes unhandled.
      for (const r of running) r.done.catch(() => undefined);
      try {
        // An instance that dies before it is ready ends the wait with its error.
        await Promise.race([
          Promise.all(running.map((r) => Promise.race([r.ready, r.done.then(() => undefined)]))),
          aborted,
        ]);
        if (o.signal?.aborted) break;
        const startAt = Math.max(Date.now() + 200, fullAt);
        for (const r of running) r.go(startAt);
        log(`${mode}: ${o.instances} instances running for ${(o.durationMs / 1000).toFixed(1)} s`);
        const settled = await Promise.allSettled(running.map((r) => r.done));
        fullAt = Date.now() + refillMs;
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        // A crashed instance is an error, unless we were stopping anyway (then keep the others' reports).
        if (failed && !o.signal?.aborted) throw failed.reason;
        const reports = settled
          .filter((s): s is PromiseFulfilledResult<InstanceReport> => s.status === 'fulfilled')
          .map((s) => s.value);
        if (reports.length === 0) break;
        const result = summarizeMode(mode, reports, o);
        modes.push(result);
        await o.onMode?.(result);
        log(
          `${mode}: ok ${result.ok}/${result.sent}, 429 ${result.rateLimited} (${(result.rateLimitedRate * 100).toFixed(1)} %), ` +
            `utilisation ${(result.utilization * 100).toFixed(0)} %${result.interrupted ? ' (interrupted)' : ''}`,
        );
      } finally {
        o.signal?.removeEventListener('abort', stopAll);
        await Promise.all(running.map((r) => r.close(5000)));
      }
    }
  } finally {
    await sim?.close();
    await server?.stop();
  }
  return {
    instances: o.instances,
    offeredRps: o.offeredRps,
    durationMs: o.durationMs,
    limits: o.limits,
    burstSeconds: o.burstSeconds,
    ...(o.quotaMs ? { quotaMs: o.quotaMs } : {}),
    timeScale,
    modes,
    ...(o.signal?.aborted ? { interrupted: true } : {}),
  };
}

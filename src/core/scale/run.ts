// Coordinator of a rehearsal: one simulator holding the org's limits (fresh per mode, short-interval
// enforcement via burstSeconds), redis-server (started from PATH unless a URL is given), and per
// mode N real OS processes as app instances on identical offered load.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { jainIndex } from '../limiter/index';
import { MetricHistogram } from '../metrics/histogram';
import { startSimulator } from '../simulator/index';
import type { SimulatorOptions } from '../simulator/index';
import { startInstanceProcess } from './instanceProcess';
import { startRedisServer } from './redisServer';
import type { RedisServerHandle } from './redisServer';
import type {
  InstanceJob,
  InstanceReport,
  ModeResult,
  ScaleMode,
  ScaleResult,
  ScaleRunOptions,
} from './types';

/** Shares of the offered load: even at skew 0, from (1 - skew) to (1 + skew) of the mean otherwise. */
export function instanceShares(n: number, skew: number): number[] {
  if (n === 1) return [1];
  const w = Array.from({ length: n }, (_, i) => 1 + skew * ((2 * i) / (n - 1) - 1));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** How to start an instance process: the bundled dist/scaleInstance.js next to the CLI, else the TypeScript source through tsx. */
function instanceCommand(): string[] {
  const bundled = join(__dirname, 'scaleInstance.js');
  if (existsSync(bundled)) return [bundled];
  return ['--import', 'tsx', join(__dirname, 'instanceMain.ts')];
}

interface Running {
  ready: Promise<void>;
  go(startAt: number): void;
  done: Promise<InstanceReport>;
  kill(): void;
}

function startInstance(job: InstanceJob): Running {
  return startInstanceProcess<InstanceReport>(
    [...instanceCommand(), JSON.stringify(job)],
    `instance ${job.index} (${job.mode})`,
  );
}

export function summarizeMode(mode: ScaleMode, reports: InstanceReport[], o: ScaleRunOptions): ModeResult {
  const latency = new MetricHistogram();
  const wait = new MetricHistogram();
  let sent = 0;
  let ok = 0;
  let rateLimited = 0;
  let attempts = 0;
  let roundTrips = 0;
  const okPerSecond: number[] = [];
  for (const r of reports) {
    latency.add(MetricHistogram.decode(r.latency));
    wait.add(MetricHistogram.decode(r.wait));
    sent += r.offered;
    ok += r.ok;
    rateLimited += r.rateLimited;
    attempts += r.attempts;
    roundTrips += r.roundTrips;
    r.okPerSecond.forEach((v, i) => (okPerSecond[i] = (okPerSecond[i] ?? 0) + v));
  }
  // Throughput from the start to the last ok reply (at least the offered window): replies that
  // drained after the window count over the time they took.
  const spanMs = Math.max(o.durationMs, ...reports.map((r) => r.lastOkMs));
  const minutes = (spanMs / 60_000) * (o.timeScale ?? 1);
  const achievedRpm = ok / minutes;
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
    utilization: o.limits.rpm > 0 ? achievedRpm / o.limits.rpm : 0,
    // Fairness of the served share: each instance's ok relative to what it offered.
    fairness: jainIndex(reports.map((r) => (r.offered > 0 ? r.ok / r.offered : 0))),
    latency: { p50: l.p50, p99: l.p99 },
    waitMs: { p50: w.p50, p99: w.p99 },
    roundTripsPerRequest: sent > 0 ? roundTrips / sent : 0,
    perInstanceOk: reports.map((r) => r.ok),
    okPerSecond: Array.from(okPerSecond, (v) => v ?? 0),
  };
}

/** Runs every mode in turn on identical offered load. Throws RedisServerMissingError without redis-server. */
export async function runScale(o: ScaleRunOptions): Promise<ScaleResult> {
  const log = o.log ?? (() => undefined);
  const signal = o.signal;
  let server: RedisServerHandle | null = null;
  const redisUrl = o.redisUrl ?? (server = await startRedisServer()).url;
  const timeScale = o.timeScale ?? 1;
  const modes: ModeResult[] = [];
  try {
    for (const mode of o.modes) {
      if (signal?.aborted) break;
      const simOptions: SimulatorOptions = {
        latency: 'fast',
        limits: o.limits,
        burstSeconds: o.burstSeconds,
        timeScale,
      };
      const sim = await startSimulator(simOptions);
      const namespace = `rehearsal-${Date.now().toString(36)}-${mode}`;
      const shares = instanceShares(o.instances, o.skew);
      const running = shares.map((share, index) =>
        startInstance({
          index,
          mode,
          baseURL: sim.url,
          redisUrl,
          namespace,
          rps: Math.max(1e-3, o.offeredRps * share),
          durationMs: o.durationMs,
          drainMs: o.drainMs ?? 15_000,
          limits: o.limits,
          burstSeconds: o.burstSeconds,
          timeScale,
          model: o.model,
          maxTokens: o.maxTokens,
          concurrency: 8,
        }),
      );
      // Cancel: kill every instance of this mode at once (their reports reject and end the mode).
      const killAll = () => running.forEach((r) => r.kill());
      signal?.addEventListener('abort', killAll, { once: true });
      // A report that fails is handled below (the first failure ends the mode); none goes unhandled.
      for (const r of running) r.done.catch(() => undefined);
      try {
        // An instance that dies (or is killed) before it is ready ends the wait with its error.
        await Promise.all(running.map((r) => Promise.race([r.ready, r.done.then(() => undefined)])));
        const startAt = Date.now() + 200;
        for (const r of running) r.go(startAt);
        log(`${mode}: ${o.instances} instances running for ${(o.durationMs / 1000).toFixed(1)} s`);
        const reports = await Promise.all(running.map((r) => r.done));
        const result = summarizeMode(mode, reports, o);
        modes.push(result);
        log(
          `${mode}: ok ${result.ok}/${result.sent}, 429 ${result.rateLimited} (${(result.rateLimitedRate * 100).toFixed(1)} %), ` +
            `utilisation ${(result.utilization * 100).toFixed(0)} %`,
        );
      } catch (e) {
        killAll();
        if (signal?.aborted) break;
        throw e;
      } finally {
        signal?.removeEventListener('abort', killAll);
        await sim.close();
      }
    }
  } finally {
    await server?.stop();
  }
  return {
    instances: o.instances,
    offeredRps: o.offeredRps,
    durationMs: o.durationMs,
    limits: o.limits,
    burstSeconds: o.burstSeconds,
    modes,
    ...(signal?.aborted ? { cancelled: true } : {}),
  };
}

// The shared limiter's cost. redis-server runs pinned to the target core, this process (the client)
// to the other; both loops use ONE ioredis client on that server; the order alternates per
// repetition; rows are min/median/max over >= 3 repetitions (scripts/bench.mjs makes the table).
//  1. acquire + settle through Redis vs a bare EVALSHA loop (a trivial script: the floor of any script
//     round trip), one loop (target >= 0.5x) and 16 concurrent loops (information). Settle is not
//     awaited (apps do not wait for it); it rides on the next acquire's script call.
//  2. Added latency at 1,000 acquires/s (open loop): from the acquire call to the lease, p99 (target
//     <= 1 ms), next to the bare EVALSHA round trip at the same rate and the timer's own lateness
//     (which is the generator's, not the limiter's, so it is reported, not added).
//  3. The same with quotaMs 100 (information): most acquires are admitted from the instance's
//     quota, without a round trip.
//  4. In-process acquires/s (target >= 500,000).
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createLimiter } from '../src/core/limiter/index';
import { MetricHistogram } from '../src/core/metrics/histogram';
import { startRedisServer } from '../src/core/scale/redisServer';
import { alternate, cores, emitRow, fmtSpread, pinSelf, pinned, reps, scale, spread } from './lib';
import { sleepUntil } from './timing';

const roundMs = Math.round(1500 * scale);
const limits = { rpm: 1e12, itpm: 1e15, otpm: 1e15 }; // far above the loop: this measures cost, not waiting
const acquireRequest = { model: 'claude-sonnet-5-5', inputTokens: 100, outputTokens: 60 };
const usage = { input_tokens: 100, output_tokens: 50 };

/** Calls per second of `body` run by `loops` concurrent loops for `ms`. */
async function rate(body: () => Promise<unknown>, loops: number, ms: number): Promise<number> {
  let n = 0;
  const end = performance.now() + ms;
  const loop = async () => {
    while (performance.now() < end) {
      await body();
      n++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: loops }, loop));
  return n / ((performance.now() - t0) / 1000);
}

/** Open loop at `perSecond` for `seconds`: p50/p99 of call -> resolve, and the timer's lateness p99. */
async function openLoop(call: () => Promise<unknown>, perSecond: number, seconds: number) {
  const took = new MetricHistogram();
  const late = new MetricHistogram();
  const interval = 1000 / perSecond;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i * interval < seconds * 1000; i++) {
    const due = t0 + i * interval;
    await sleepUntil(due);
    const start = performance.now();
    late.record(start - due);
    pending.push(call().then(() => took.record(performance.now() - start)));
  }
  await Promise.all(pending);
  return { p50: took.percentile(50), p99: took.percentile(99), lateP99: late.percentile(99) };
}

async function redisRows(url: string): Promise<void> {
  const client = new Redis(url);
  client.defineCommand('benchBareScript', { numberOfKeys: 1, lua: "return redis.call('TIME')[1]" });
  const bare = () =>
    (client as Redis & { benchBareScript(key: string): Promise<unknown> }).benchBareScript('{bench}');
  const limiter = await createLimiter({ redis: client, namespace: 'bench', limits });
  const acquireSettle = async () => {
    const lease = await limiter.acquire(acquireRequest);
    void lease.settle(usage);
  };
  try {
    // Warm-up of both: JIT, the script cache, the connection.
    await rate(acquireSettle, 1, 300);
    await rate(bare, 1, 300);
    for (const loops of [1, 16]) {
      const trips0 = limiter.stats().roundTrips;
      const acquires0 = limiter.stats().acquires;
      const r = await alternate(
        reps,
        () => rate(acquireSettle, loops, roundMs),
        () => rate(bare, loops, roundMs),
        (i, l, b) =>
          console.log(
            `  ${loops} loop(s), rep ${i + 1}: acquire+settle ${l.toFixed(0)}/s, bare EVALSHA ${b.toFixed(0)}/s`,
          ),
      );
      const s = limiter.stats();
      const tripsPer = (s.roundTrips - trips0) / (s.acquires - acquires0);
      const ratio = spread(r.a.map((l, i) => l / r.b[i]!));
      emitRow({
        name: `Limiter via Redis, ${loops === 1 ? 'one loop' : `${loops} concurrent loops`}: acquire+settle/s / bare EVALSHA/s (same client, same Redis)`,
        value: fmtSpread(ratio),
        target: loops === 1 ? '>= 0.5x' : 'information',
        pass: loops === 1 ? ratio.median >= 0.5 : true,
        detail: `median ${spread(r.a).median.toFixed(0)} vs ${spread(r.b).median.toFixed(0)}/s; ${tripsPer.toFixed(2)} round trips per acquire+settle`,
      });
    }

    const seconds = Math.max(2, Math.round(3 * scale));
    const lat = await alternate(
      reps,
      () => openLoop(() => limiter.acquire(acquireRequest).then((l) => void l.settle(usage)), 1000, seconds),
      () => openLoop(bare, 1000, seconds),
      (i, l, b) =>
        console.log(
          `  1,000/s, rep ${i + 1}: acquire p50 ${l.p50.toFixed(3)} p99 ${l.p99.toFixed(3)} ms; bare EVALSHA p99 ${b.p99.toFixed(3)} ms; timer late p99 ${l.lateP99.toFixed(2)} ms`,
        ),
    );
    const p99 = spread(lat.a.map((x) => x.p99));
    emitRow({
      name: 'Limiter via Redis at 1,000 acquires/s (open loop): added latency p99, acquire call to lease',
      value: fmtSpread(p99, 3, ' ms'),
      target: '<= 1 ms',
      pass: p99.median <= 1,
      detail:
        `p50 ${spread(lat.a.map((x) => x.p50)).median.toFixed(3)} ms; bare EVALSHA p99 ${spread(lat.b.map((x) => x.p99)).median.toFixed(3)} ms ` +
        `at the same rate; timer lateness p99 ${spread(lat.a.map((x) => x.lateP99)).median.toFixed(2)} ms (the generator's, not counted)`,
    });

    // A limiter of its own (its quota), on the same client and server.
    const quota = await createLimiter({ redis: client, namespace: 'bench-quota', limits, quotaMs: 100 });
    try {
      const q0 = quota.stats();
      const withQuota = await alternate(
        reps,
        () => openLoop(() => quota.acquire(acquireRequest).then((l) => void l.settle(usage)), 1000, seconds),
        () => openLoop(bare, 1000, seconds),
        (i, q, b) =>
          console.log(
            `  1,000/s with quotaMs 100, rep ${i + 1}: acquire p50 ${q.p50.toFixed(3)} p99 ${q.p99.toFixed(3)} ms; bare EVALSHA p99 ${b.p99.toFixed(3)} ms`,
          ),
      );
      const q1 = quota.stats();
      const acquires = q1.acquires - q0.acquires;
      emitRow({
        name: 'Limiter via Redis with quotaMs 100 at 1,000 acquires/s (open loop): added latency p99, acquire call to lease',
        value: fmtSpread(spread(withQuota.a.map((x) => x.p99)), 3, ' ms'),
        target: 'information',
        pass: true,
        detail:
          `p50 ${spread(withQuota.a.map((x) => x.p50)).median.toFixed(3)} ms; ` +
          `${(((q1.quotaHits - q0.quotaHits) / acquires) * 100).toFixed(1)} % of acquires from quota, ` +
          `${((q1.roundTrips - q0.roundTrips) / acquires).toFixed(2)} round trips per acquire+settle`,
      });
    } finally {
      await quota.close();
    }
  } finally {
    await limiter.close();
    client.disconnect();
  }
}

async function inProcessRow(): Promise<void> {
  const local = await createLimiter({ namespace: 'bench', limits });
  const n = Math.round(500_000 * scale);
  const rates: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await local.acquire(acquireRequest);
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  const s = spread(rates);
  emitRow({
    name: 'Limiter in process: acquires/s (one loop, each awaited)',
    value: `${s.median.toFixed(0)} (${s.min.toFixed(0)}-${s.max.toFixed(0)})`,
    target: '>= 500,000',
    pass: s.median >= 500_000,
  });
  await local.close();
}

async function main(): Promise<void> {
  if (!pinSelf(cores.client)) console.log('  (not pinned: no taskset)');
  const server = await startRedisServer('redis-server', {
    wrap: (cmd, args) => pinned(cores.target, cmd, args),
  });
  try {
    console.log(`limiter via Redis (${reps} repetitions, alternating with a bare EVALSHA loop)`);
    await redisRows(server.url);
  } finally {
    await server.stop();
  }
  console.log(`limiter in process (${reps} repetitions)`);
  await inProcessRow();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// Limiter benchmark (standalone: node --import tsx bench/limiter.bench.ts). Starts its own
// redis-server on a free loopback port.
//  1. acquire + settle through Redis vs a bare EVALSHA loop (trivial script) in the same run, same
//     concurrency, >= 3 alternating repetitions: ratio min/median/max.  Target >= 0.5x for one loop
//     (concurrency 1); 16 concurrent loops are shown too (there both saturate the CPUs, so the
//     script's own cost and the settle's second call weigh fully).
//  2. In-process acquires/s.  Target >= 500,000.
//  3. Added latency at 1,000 acquires/s (open loop) through Redis: p50/p99.  Target p99 <= 1 ms.
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createLimiter } from '../src/core/limiter/index';
import { MetricHistogram } from '../src/core/metrics/histogram';
import { startRedisServer } from '../src/core/scale/redisServer';

let CONCURRENCY = 1;
const ROUND_MS = 1500;
const REPS = 3;

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
};

async function loop(body: () => Promise<unknown>, ms: number): Promise<number> {
  let n = 0;
  const end = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < end) {
      await body();
      n++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return n / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  try {
    const bare = new Redis(server.url);
    bare.defineCommand('bareNoop', { numberOfKeys: 1, lua: "return redis.call('TIME')[1]" });
    const noop = bare as Redis & { bareNoop(key: string): Promise<unknown> };
    // Limits far above what the loop reaches: this measures the cost, not the waiting.
    const limiter = await createLimiter({
      redis: server.url,
      namespace: 'bench',
      limits: { rpm: 1e12, itpm: 1e15, otpm: 1e15 },
    });
    const usage = { input_tokens: 100, output_tokens: 50 };
    const acquireSettle = async () => {
      const lease = await limiter.acquire({ model: 'claude-sonnet-5-5', inputTokens: 100, outputTokens: 60 });
      // settle is not awaited by apps (it never throws); its round trip overlaps the next acquire.
      void lease.settle(usage);
    };
    await loop(acquireSettle, 300);
    await loop(() => noop.bareNoop('{bench}'), 300);
    for (const c of [1, 16]) {
      CONCURRENCY = c;
      const ratios: number[] = [];
      const limiterRates: number[] = [];
      const bareRates: number[] = [];
      for (let i = 0; i < REPS; i++) {
        const b = await loop(() => noop.bareNoop('{bench}'), ROUND_MS);
        const l = await loop(acquireSettle, ROUND_MS);
        bareRates.push(b);
        limiterRates.push(l);
        ratios.push(l / b);
      }
      const r = stat(ratios);
      const verdict =
        c === 1 ? (r.median >= 0.5 ? ' (target >= 0.5) OK' : ' (target >= 0.5) BELOW TARGET') : '';
      console.log(
        `redis: acquire+settle ${stat(limiterRates).median.toFixed(0)}/s vs bare EVALSHA ${stat(bareRates).median.toFixed(0)}/s ` +
          `(concurrency ${c}); ratio min ${r.min.toFixed(2)} median ${r.median.toFixed(2)} max ${r.max.toFixed(2)}${verdict}`,
      );
    }

    // Added latency at 1,000 acquires/s, open loop, measured from the intended start.
    const h = new MetricHistogram();
    const N = 3000;
    const t0 = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      const intended = t0 + i;
      const d = intended - performance.now();
      if (d > 1) await new Promise((res) => setTimeout(res, d));
      pending.push(
        limiter.acquire({ model: 'claude-sonnet-5-5', inputTokens: 100, outputTokens: 60 }).then((lease) => {
          h.record(performance.now() - Math.max(intended, t0));
          void lease.settle(usage);
        }),
      );
    }
    await Promise.all(pending);
    const s = h.summary();
    console.log(
      `redis: added latency at 1,000 acquires/s: p50 ${s.p50.toFixed(3)} ms, p99 ${s.p99.toFixed(3)} ms ` +
        `(target p99 <= 1 ms) ${s.p99 <= 1 ? 'OK' : 'ABOVE TARGET'}`,
    );
    await limiter.close();
    bare.disconnect();

    const local = await createLimiter({ namespace: 'bench', limits: { rpm: 1e12, itpm: 1e15, otpm: 1e15 } });
    const rates: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      const n = 500_000;
      const a = performance.now();
      for (let i = 0; i < n; i++)
        await local.acquire({ model: 'claude-sonnet-5-5', inputTokens: 100, outputTokens: 60 });
      rates.push(n / ((performance.now() - a) / 1000));
    }
    const lr = stat(rates);
    console.log(
      `in-process: ${lr.median.toFixed(0)} acquires/s (min ${lr.min.toFixed(0)}, max ${lr.max.toFixed(0)}) ` +
        `(target >= 500,000) ${lr.median >= 500_000 ? 'OK' : 'BELOW TARGET'}`,
    );
  } finally {
    await server.stop();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});

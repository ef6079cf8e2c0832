// Engine benchmarks (npm run bench). Ratios are against baselines measured in the same run; the
// simulator runs in a child process so the engine's CPU is measured alone. Loopback only, bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Anthropic } from '@anthropic-ai/sdk';
import { fetch as undiciFetch } from 'undici';
import { builtinCatalog, parseScenario, startLoadTest } from '../src/core/index';
import { Recorder } from '../src/core/engine/recorder';
import type { RequestSample } from '../src/core/index';

const quick = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
const results: { name: string; value: string; target: string; pass: boolean }[] = [];

async function startSimProcess(extra: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['dist/cli.js', 'simulate', '--quiet', '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Keep reading stdout for the child's whole life: a closed pipe would kill it on its next line.
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (chunk) => {
      buf += String(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve({ url: m[1]!, child });
    });
    child.on('exit', (code) => reject(new Error(`simulator exited (${code}) before listening`)));
  });
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** Bare loop: N workers each awaiting SDK calls back to back. */
async function bareLoop(url: string, stream: boolean, concurrency: number, total: number): Promise<number> {
  const client = new Anthropic({ apiKey: 'bench', baseURL: url, maxRetries: 0 });
  const body = {
    model: 'claude-haiku-4-5',
    max_tokens: 16,
    messages: [{ role: 'user' as const, content: 'Respond with exactly: OK' }],
  };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        if (stream) {
          const s = await client.messages.create({ ...body, stream: true });
          for await (const _ of s) void _;
        } else {
          await client.messages.create(body);
        }
      }
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

async function engineRun(url: string, stream: boolean, concurrency: number, total: number): Promise<number> {
  const scenario = parseScenario({
    target: { baseUrl: url },
    model: 'claude-haiku-4-5',
    maxTokens: 16,
    stream,
    load: { type: 'concurrency', concurrency },
    requests: total,
  });
  const r = await startLoadTest(scenario, { apiKey: 'bench' }).done;
  if (r.summary.requests.ok !== total)
    throw new Error(`engine run had failures: ${JSON.stringify(r.summary.requests)}`);
  return total / r.summary.durationS;
}

async function throughputRatio() {
  const sim = await startSimProcess([
    '--latency',
    'zero',
    '--rpm',
    '100000000',
    '--itpm',
    '100000000000',
    '--otpm',
    '100000000000',
  ]);
  try {
    const total = quick ? 1500 : 6000;
    for (const stream of [false, true]) {
      await bareLoop(sim.url, stream, 32, 300); // warm-up
      const bare = await bareLoop(sim.url, stream, 32, total);
      const engine = await engineRun(sim.url, stream, 32, total);
      const ratio = engine / bare;
      results.push({
        name: `engine vs bare SDK loop, ${stream ? 'streaming' : 'non-streaming'} (req/s ${engine.toFixed(0)} vs ${bare.toFixed(0)})`,
        value: `${ratio.toFixed(2)}x`,
        target: '>= 0.85x',
        pass: ratio >= 0.85,
      });
    }
  } finally {
    await stop(sim.child);
  }
}

async function scaleTierOpenLoop() {
  // Scale tier: 10,000 RPM = 166.7 req/s streamed, ~200 output tokens each (~2M output tokens/min).
  // Realistic Haiku pacing (streams stay open ~1.5 s, deltas arrive over time) and ~200-token replies.
  const sim = await startSimProcess([
    '--latency',
    'realistic',
    '--reply-mean',
    '200',
    '--reply-sd',
    '20',
    '--rpm',
    '100000',
    '--itpm',
    '100000000',
    '--otpm',
    '100000000',
  ]);
  try {
    const scenario = parseScenario({
      target: { baseUrl: sim.url },
      model: 'claude-haiku-4-5',
      maxTokens: 260,
      prompt: 'Write about capacity planning.',
      stream: true,
      load: { type: 'rate', rps: 10_000 / 60, maxInFlight: 5000 },
      duration: quick ? '6s' : '20s',
    });
    // Baseline in the same run: a bare open loop of SDK calls (same fetch, same timer re-check).
    const base = await bareOpenLoop(sim.url, 10_000 / 60, quick ? 6 : 20);
    const r = await startLoadTest(scenario, { apiKey: 'bench' }).done;
    const s = r.summary;
    console.log(
      `  (baseline bare SDK open loop: CPU ${(base.cpuCores * 100).toFixed(1)} % of a core, ` +
        `send lateness p50 ${base.lateP50.toFixed(2)} ms, p99 ${base.lateP99.toFixed(2)} ms)`,
    );
    results.push({
      name: 'Scale-tier open loop: engine CPU / bare SDK loop CPU',
      value: `${(s.health.cpuCores / base.cpuCores).toFixed(2)}x`,
      target: 'close to 1x (the SDK is the floor)',
      pass: s.health.cpuCores / base.cpuCores <= 1.3,
    });
    const outPerMin = (s.tokens.output / s.durationS) * 60;
    results.push({
      name: `Scale-tier open loop: CPU of one core (${s.requests.ok} ok, ${Math.round(outPerMin)} output tok/min)`,
      value: `${(s.health.cpuCores * 100).toFixed(1)} %`,
      target: '<= 50 %',
      pass: s.health.cpuCores <= 0.5,
    });
    const timer = s.health.timerLatenessMs;
    console.log(
      `  (scheduler timer lateness p50 ${timer?.p50.toFixed(2)} ms, p99 ${timer?.p99.toFixed(2)} ms; ` +
        `send lag p50 ${s.sendLagMs.p50.toFixed(2)} ms, p99 ${s.sendLagMs.p99.toFixed(2)} ms, max ${s.sendLagMs.max.toFixed(1)} ms)`,
    );
    results.push({
      name: 'Scale-tier open loop: send lateness p99',
      value: `${s.sendLagMs.p99.toFixed(2)} ms`,
      target: '<= 2 ms',
      pass: s.sendLagMs.p99 <= 2,
    });
  } finally {
    await stop(sim.child);
  }
}

/** A bare open loop: SDK streaming calls started on schedule, for the CPU and lateness baseline. */
async function bareOpenLoop(url: string, rps: number, seconds: number) {
  const client = new Anthropic({
    apiKey: 'bench',
    baseURL: url,
    maxRetries: 0,
    fetch: undiciFetch as unknown as typeof fetch,
  });
  const late: number[] = [];
  const inflight: Promise<void>[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const n = Math.round(rps * seconds);
  for (let i = 0; i < n; i++) {
    const due = (i * 1000) / rps;
    while (performance.now() - t0 < due) {
      await new Promise((r) => setTimeout(r, Math.ceil(due - (performance.now() - t0))));
    }
    late.push(performance.now() - t0 - due);
    inflight.push(
      (async () => {
        const s = await client.messages.create({
          model: 'claude-haiku-4-5',
          max_tokens: 260,
          stream: true,
          messages: [{ role: 'user', content: 'Write about capacity planning.' }],
        });
        for await (const _ of s) void _;
      })(),
    );
  }
  await Promise.all(inflight);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  late.sort((a, b) => a - b);
  return {
    cpuCores: (cpu.user + cpu.system) / 1000 / wall,
    lateP50: late[Math.floor(late.length * 0.5)]!,
    lateP99: late[Math.floor(late.length * 0.99)]!,
  };
}

function recorderMemory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    results.push({
      name: 'heap growth for 1,000,000 recorded requests',
      value: 'skipped (run with --expose-gc)',
      target: '< 20 MB',
      pass: true,
    });
    return;
  }
  const rec = new Recorder(builtinCatalog, true);
  const sample: RequestSample = {
    index: 0,
    model: 'claude-haiku-4-5',
    outcome: 'ok',
    intendedAt: 0,
    sentAt: 0,
    firstTextAt: 0,
    endAt: 0,
    inputTokens: 20,
    outputTokens: 50,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    costUsd: 0.0001,
    attempts: 1,
  };
  for (let i = 0; i < 10_000; i++) rec.record({ ...sample, endAt: 100 + (i % 5000) }, 'haiku-4-5'); // warm histograms
  gc();
  const before = process.memoryUsage().heapUsed;
  const n = 1_000_000;
  for (let i = 0; i < n; i++) {
    sample.index = i;
    sample.intendedAt = i;
    sample.sentAt = i + (i % 7);
    sample.firstTextAt = sample.sentAt + 200 + (i % 900);
    sample.endAt = sample.firstTextAt + 1000 + (i % 3000);
    sample.outcome = i % 97 === 0 ? 'rate_limited' : 'ok';
    rec.record(sample, 'haiku-4-5');
    if (i % 1000 === 999) rec.closeWindow(1);
  }
  gc();
  const grew = (process.memoryUsage().heapUsed - before) / 1e6;
  results.push({
    name: 'heap growth for 1,000,000 recorded requests',
    value: `${grew.toFixed(1)} MB`,
    target: '< 20 MB',
    pass: grew < 20,
  });
}

async function main() {
  recorderMemory();
  await throughputRatio();
  await scaleTierOpenLoop();
  console.log('\nEngine benchmarks');
  for (const r of results)
    console.log(`  ${r.pass ? 'ok  ' : 'MISS'} ${r.name}: ${r.value} (target ${r.target})`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

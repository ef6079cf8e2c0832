// Simulator benchmark: it must never be the bottleneck of the tests it serves.
//  1. Non-streaming requests/s at latency zero, the server on one core (this process's main thread),
//     driven by a raw keep-alive HTTP client in a child process.  Target >= 10,000 req/s.
//  2. 5,000 concurrent open streams at realistic latency.  Target: all held, RSS < 500 MB, no errors.
// Loopback only, bounded in count and time. The same file is the load client (`--client <json>`).
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../src/core/simulator/index';
import type { SimulatorHandle } from '../src/core/simulator/index';

// ---------------------------------------------------------------- client (child process) ----------

interface ClientJob {
  mode: 'requests' | 'streams';
  port: number;
  body: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** streams: connections opened per ramp step (every 20 ms). */
  rampPerStep?: number;
}

interface ClientResult {
  completed: number;
  byStatus: Record<string, number>;
  socketErrors: number;
  streamErrors: number;
  peakOpen: number;
  measuredMs: number;
  clientCpuMs: number;
}

const TERMINATOR = '\r\n0\r\n\r\n';

function runClient(job: ClientJob): Promise<ClientResult> {
  const head =
    `POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1:${job.port}\r\nContent-Type: application/json\r\n` +
    `x-api-key: bench\r\nanthropic-version: 2026-10-21\r\nContent-Length: ${Buffer.byteLength(job.body)}\r\n\r\n`;
  const request = Buffer.from(head + job.body);
  const result: ClientResult = {
    completed: 0,
    byStatus: {},
    socketErrors: 0,
    streamErrors: 0,
    peakOpen: 0,
    measuredMs: 0,
    clientCpuMs: 0,
  };
  let running = true;
  let measuring = false;
  let open = 0;
  const sockets: Socket[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();

  const count = (status: string) => {
    if (!measuring && job.mode === 'requests') return;
    result.completed++;
    result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
  };

  const openConnection = () => {
    const socket = connect({ host: '127.0.0.1', port: job.port, noDelay: true });
    sockets.push(socket);
    let buf: Buffer | null = null;
    let status = '';
    let bodyStart = -1;
    let contentLength = -1;
    let tail = '';
    const send = () => {
      if (!running) return;
      open++;
      if (open > result.peakOpen) result.peakOpen = open;
      socket.write(request);
    };
    socket.on('connect', send);
    socket.on('error', () => {
      if (running) result.socketErrors++;
    });
    socket.on('close', () => {
      if (running) result.socketErrors++;
    });
    socket.on('data', (chunk: Buffer) => {
      buf = buf === null ? chunk : Buffer.concat([buf, chunk]);
      for (;;) {
        if (bodyStart < 0) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const header = buf.toString('latin1', 0, end);
          status = header.slice(9, 12);
          const m = /\r\ncontent-length: (\d+)/i.exec(header);
          contentLength = m ? Number(m[1]) : -1;
          bodyStart = end + 4;
          tail = '';
        }
        if (contentLength >= 0) {
          const total = bodyStart + contentLength;
          if (buf.length < total) return;
          if (job.mode === 'streams' && buf.includes('event: error', bodyStart)) result.streamErrors++;
          buf = buf.length === total ? null : buf.subarray(total);
        } else {
          // Chunked (paced stream): look for the terminating chunk; keep only a short tail.
          const text = tail + buf.toString('latin1', bodyStart);
          if (text.includes('event: error')) result.streamErrors++;
          if (!text.endsWith(TERMINATOR)) {
            tail = text.slice(-16);
            buf = null;
            bodyStart = 0;
            return;
          }
          buf = null;
        }
        bodyStart = -1;
        open--;
        count(status);
        send();
        if (buf === null) return;
      }
    });
  };

  return new Promise((resolve) => {
    if (job.mode === 'requests') {
      for (let i = 0; i < job.connections; i++) openConnection();
    } else {
      const step = job.rampPerStep ?? 250;
      let made = 0;
      const ramp = setInterval(() => {
        for (let i = 0; i < step && made < job.connections; i++, made++) openConnection();
        if (made >= job.connections) clearInterval(ramp);
      }, 20);
    }
    setTimeout(() => {
      measuring = true;
      result.completed = 0;
      result.byStatus = {};
    }, job.warmupMs);
    setTimeout(() => {
      running = false;
      result.measuredMs = performance.now() - t0 - job.warmupMs;
      const finish = () => {
        for (const s of sockets) s.destroy();
        const cpu = process.cpuUsage(cpu0);
        result.clientCpuMs = (cpu.user + cpu.system) / 1000;
        resolve(result);
      };
      if (job.mode === 'requests') finish();
      else {
        // Let the open streams finish (bounded), so an error at the end is still seen.
        const deadline = performance.now() + 15_000;
        const wait = setInterval(() => {
          if (open <= 0 || performance.now() > deadline) {
            clearInterval(wait);
            finish();
          }
        }, 50);
      }
    }, job.warmupMs + job.durationMs);
  });
}

// ---------------------------------------------------------------- server side ----------------------

function spawnClient(job: ClientJob): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--client', JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`bench client exited ${code}: ${out}`));
      else resolve(JSON.parse(line) as ClientResult);
    });
  });
}

/** Samples the server process while the client runs. */
function sampler(sim: SimulatorHandle) {
  const peak = { rss: 0, heap: 0, inFlight: 0 };
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
    peak.inFlight = Math.max(peak.inFlight, sim.stats().inFlight);
  }, 100);
  return () => {
    clearInterval(timer);
    const cpu = process.cpuUsage(cpu0);
    return {
      ...peak,
      elu: performance.eventLoopUtilization(elu0).utilization,
      cpuMs: (cpu.user + cpu.system) / 1000,
      cpuShare: (cpu.user + cpu.system) / 1000 / (performance.now() - t0),
    };
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
const fast = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
/** Keep-alive connections of the request benchmark, one request in flight on each. */
const CONNECTIONS = 128;

async function benchRequests(label: string, content: string, maxTokens: number): Promise<boolean> {
  const sim = await startSimulator({
    latency: 'zero',
    limits: { rpm: 1e12, itpm: 1e15, otpm: 1e15 },
    port: 0,
  });
  const body = JSON.stringify({
    model: 'claude-sonnet-5-5',
    max_tokens: maxTokens,
    messages: [{ role: 'user', content }],
  });
  const stop = sampler(sim);
  const r = await spawnClient({
    mode: 'requests',
    port: sim.port,
    body,
    connections: CONNECTIONS,
    warmupMs: 1000,
    durationMs: fast ? 2000 : 5000,
  });
  const server = stop();
  const served = sim.stats().requests;
  await sim.close();
  const rps = (r.completed / r.measuredMs) * 1000;
  // Server CPU per request over the whole run (warm-up included) / everything it served.
  const usPerRequest = (server.cpuMs * 1000) / served;
  const errors = r.completed - (r.byStatus['200'] ?? 0) + r.socketErrors;
  const ok = rps >= 10_000 && errors === 0;
  console.log(
    `  ${label}: ${fmt(rps)} req/s over ${(r.measuredMs / 1000).toFixed(1)} s, ${CONNECTIONS} keep-alive connections; ` +
      `target >= 10,000 req/s: ${verdict(ok)} (${(rps / 10_000).toFixed(2)}x); errors ${errors}; ` +
      `server process CPU ${usPerRequest.toFixed(1)} us per request (all threads, GC included)`,
  );
  return ok;
}

async function benchStreams(): Promise<boolean> {
  const target = 5000;
  const sim = await startSimulator({
    latency: 'realistic',
    limits: { rpm: 1e12, itpm: 1e15, otpm: 1e15 },
    port: 0,
  });
  const body = JSON.stringify({
    model: 'claude-sonnet-5-5',
    max_tokens: 1024,
    stream: true,
    messages: [{ role: 'user', content: 'Write a short story about load testing.' }],
  });
  const stop = sampler(sim);
  const r = await spawnClient({
    mode: 'streams',
    port: sim.port,
    body,
    connections: target,
    warmupMs: 0,
    durationMs: fast ? 8000 : 12_000,
    rampPerStep: 100, // 5,000 new connections/s: a burst of 5,000 at once would overflow accept queues
  });
  const server = stop();
  const stats = sim.stats();
  await sim.close();
  const errors = r.completed - (r.byStatus['200'] ?? 0) + r.socketErrors + r.streamErrors;
  const held = stats.peakInFlight; // exact peak counted by the simulator itself, not by the client
  const ok = held >= target && server.rss < 500 * 1048576 && errors === 0;
  console.log(
    `  ${fmt(target)} concurrent streams (realistic Sonnet latency, ~${(r.measuredMs / 1000).toFixed(0)} s): ` +
      `peak open ${fmt(held)} on the server (${fmt(r.peakOpen)} sent by the client); peak RSS ${mb(server.rss)} (heap ${mb(server.heap)}); ` +
      `errors ${errors}; streams completed ${fmt(r.completed)}; output ${fmt(stats.outputTokens)} tokens; ` +
      `server CPU ${(server.cpuShare * 100).toFixed(0)}% of one core, ELU ${server.elu.toFixed(2)}`,
  );
  console.log(
    `    targets: ${fmt(target)} held: ${verdict(held >= target)}; RSS < 500 MB: ${verdict(server.rss < 500 * 1048576)} ` +
      `(${(server.rss / (500 * 1048576)).toFixed(2)}x of the budget); no errors: ${verdict(errors === 0)}`,
  );
  return ok;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--client');
  if (i >= 0) {
    const result = await runClient(JSON.parse(process.argv[i + 1]!) as ClientJob);
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  console.log(
    `simulator bench: Node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}); server on this ` +
      `process's main thread, load from a separate raw-HTTP client process`,
  );
  const results = [
    await benchRequests('non-streaming, "Respond with exactly: OK"', 'Respond with exactly: OK', 64),
    await benchRequests('non-streaming, ~150-token replies', 'Tell me something.', 1024),
    await benchStreams(),
  ];
  console.log(`simulator bench: ${results.filter(Boolean).length}/${results.length} targets met`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

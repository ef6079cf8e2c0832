// Simulator throughput against raw HTTP on the same machine: autocannon (pinned to the client core)
// drives the simulator (its own process, pinned to the target core) and, alternately, a bare
// node:http server answering the same bytes (same core). The row is simulator req/s / raw req/s per
// repetition: what the simulator's work costs over Node's HTTP floor. Loopback only, bounded.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  alternate,
  cores,
  emitRow,
  fmtSpread,
  pinned,
  reps,
  scale,
  spread,
  startSimProcess,
  unlimited,
} from './lib';

const body = JSON.stringify({
  model: 'claude-haiku-4-5',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'Respond with exactly: OK' }],
});

/** A node:http server answering every request with `reply` (the simulator's answer, captured). */
const rawServerSource = `
const http = require('node:http');
const reply = Buffer.from(process.env.REPLY);
const server = http.createServer({ noDelay: true }, (req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': reply.length }); res.end(reply); });
});
server.keepAliveTimeout = 65000;
server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

async function startRawServer(reply: string): Promise<{ url: string; stop(): Promise<void> }> {
  const [cmd, args] = pinned(cores.target, process.execPath, ['-e', rawServerSource]);
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, REPLY: reply },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (c) => {
      buf += String(c);
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`raw server exited (${code})`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** autocannon's CLI, pinned; returns mean requests/s over the run (after its own warm-up). */
async function autocannon(url: string, seconds: number, requestBody: string): Promise<number> {
  const [cmd, args] = pinned(cores.client, process.execPath, [
    'node_modules/autocannon/autocannon.js',
    '-j',
    '-c',
    '64',
    '-d',
    String(seconds),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-H',
    'x-api-key=bench',
    '-H',
    'anthropic-version=2023-06-01',
    '-b',
    requestBody,
    `${url}/v1/messages`,
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`autocannon exited ${code}`);
  const r = JSON.parse(out) as { requests: { average: number }; non2xx: number; errors: number };
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`autocannon saw ${r.non2xx} non-2xx and ${r.errors} errors`);
  return r.requests.average;
}

async function compare(stream: boolean): Promise<void> {
  const requestBody = stream ? body.replace('{', '{"stream":true,') : body;
  const sim = await startSimProcess(['--latency', 'zero', ...unlimited]);
  // The raw server answers with the simulator's own bytes, so both send the same payload.
  const sample = await fetch(`${sim.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' },
    body: requestBody,
  }).then((r) => r.text());
  const raw = await startRawServer(sample);
  try {
    const seconds = Math.max(3, Math.round(5 * scale));
    await autocannon(sim.url, 2, requestBody); // warm-up, both
    await autocannon(raw.url, 2, requestBody);
    const r = await alternate(
      reps,
      () => autocannon(raw.url, seconds, requestBody),
      () => autocannon(sim.url, seconds, requestBody),
      (i, rawRate, simRate) =>
        console.log(
          `  rep ${i + 1}: raw node:http ${rawRate.toFixed(0)} req/s, simulator ${simRate.toFixed(0)} req/s`,
        ),
    );
    const ratio = spread(r.b.map((s, i) => s / r.a[i]!));
    const simRate = spread(r.b);
    const mode = stream ? 'streamed (SSE)' : 'non-streaming';
    emitRow({
      name: `Simulator on one core, ${mode}, latency zero: req/s (autocannon, 64 connections)`,
      value: `${simRate.median.toFixed(0)} (${simRate.min.toFixed(0)}-${simRate.max.toFixed(0)})`,
      target: stream ? '>= 5,000' : '>= 10,000',
      pass: simRate.median >= (stream ? 5000 : 10_000),
    });
    emitRow({
      name: `Simulator / raw node:http server with the same reply, ${mode}`,
      value: fmtSpread(ratio),
      target: 'information',
      pass: true,
      detail: `raw node:http median ${spread(r.a).median.toFixed(0)} req/s`,
    });
  } finally {
    await raw.stop();
    await sim.stop();
  }
}

async function main(): Promise<void> {
  for (const stream of [false, true]) {
    console.log(`simulator vs raw HTTP, ${stream ? 'streamed' : 'non-streaming'} (${reps} repetitions)`);
    await compare(stream);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// Distributed load generation end to end: 3 real agent processes (`claude-load run --coordinator
// --agents 3`) against one simulator (time-scaled) behind a recording proxy, one real redis-server.
// Every scheduled request is sent exactly once across the agents, the agents start together, and the
// last one merges a run.json whose counts are the sum and which `claude-load report` accepts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type SimulatorHandle } from '../../src/core/index';
import { startRedisServer, type RedisServerHandle } from '../../src/core/scale/redisServer';
import { cli, ensureReportBuilt, root } from '../cli/harness';

const requests = 60;
let redis: RedisServerHandle;
let sim: SimulatorHandle;
let proxy: Server;
let proxyUrl: string;
/** The prompt of every /v1/messages request the agents sent. */
const seen: string[] = [];

before(async () => {
  ensureReportBuilt();
  redis = await startRedisServer();
  sim = await startSimulator({ port: 0, latency: 'fast', timeScale: 10 });
  // Records each request's prompt, then forwards it to the simulator (non-streaming replies).
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (req.url?.startsWith('/v1/messages')) {
        const parsed = JSON.parse(body) as { messages: { content: string }[] };
        seen.push(String(parsed.messages[0]!.content));
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
      ) as Record<string, string>;
      fetch(sim.url + req.url, { method: req.method, headers, body: req.method === 'GET' ? undefined : body })
        .then(async (r) => {
          const text = await r.text();
          const out: Record<string, string> = {};
          r.headers.forEach((v, k) => {
            if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k))
              out[k] = v;
          });
          res.writeHead(r.status, out).end(text);
        })
        .catch((e: Error) => res.writeHead(502).end(e.message));
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const addr = proxy.address();
  proxyUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
after(async () => {
  await new Promise((r) => proxy?.close(r));
  await sim?.close();
  await redis?.stop();
});

function agent(
  args: string[],
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/bin.ts'), ...args], {
      cwd: root,
      env: { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-distributed' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      onStderr?.(stderr, child);
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('3 agent processes: each request once, start together, merged counts are the sum, report accepts it', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dist-agents-'));
  const items = Array.from({ length: requests }, (_, i) => `Respond with exactly: request ${i}`);
  const plan = join(tmp, 'plan.claudeload.json');
  writeFileSync(
    plan,
    JSON.stringify({
      name: 'distributed',
      model: 'claude-haiku-4-5',
      prompts: { type: 'list', items },
      load: { type: 'rate', rps: 30, arrival: 'poisson' },
      requests,
      stream: false,
    }),
  );
  const out = join(tmp, 'out');
  const args = [
    'run',
    plan,
    '--base-url',
    proxyUrl,
    '--coordinator',
    redis.url,
    '--agents',
    '3',
    '--run-id',
    'slow',
    '--out',
    out,
  ];
  const t0 = Date.now();
  const agents = await Promise.all([0, 1, 2].map(() => agent(args)));
  assert.ok(Date.now() - t0 < 60_000);
  for (const a of agents) assert.equal(a.code, 0, a.stderr);
  assert.equal(agents.filter((a) => /merged the runs of 3 agents/.test(a.stderr)).length, 1);

  // Every scheduled request exactly once across the agents.
  assert.equal(seen.length, requests);
  assert.deepEqual([...seen].sort(), [...items].sort());

  const runs = [1, 2, 3].map((k) => JSON.parse(readFileSync(join(out, `agent-${k}`, 'run.json'), 'utf8')));
  const totals = runs.map((r) => r.summary.requests.total as number);
  assert.deepEqual(totals, [20, 20, 20]);
  // Started together: the same Redis instant, reached by each agent's own timer.
  const starts = runs.map((r) => Date.parse(r.startedAt));
  const spread = Math.max(...starts) - Math.min(...starts);
  assert.ok(spread < 250, `start instants spread over ${spread} ms`);

  const merged = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(merged.summary.requests.total, requests);
  assert.equal(
    merged.summary.requests.ok,
    runs.reduce((a, r) => a + r.summary.requests.ok, 0),
  );
  assert.equal(
    merged.summary.latencyMs.count,
    runs.reduce((a, r) => a + r.summary.latencyMs.count, 0),
  );
  assert.ok(Math.abs(merged.summary.costUsd - runs.reduce((a, r) => a + r.summary.costUsd, 0)) < 1e-9);
  assert.equal(Date.parse(merged.startedAt), Math.min(...starts));

  const report = await cli(['report', out, '--out', join(tmp, 'report')]);
  assert.equal(report.code, 0, report.stderr);
  assert.ok(existsSync(join(tmp, 'report', 'report.html')));
});

test('Ctrl-C (a real SIGINT) to one of 3 agents: it saves its partial run and leaves, the others still merge', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dist-sigint-'));
  const out = join(tmp, 'out');
  const args = [
    'run',
    '--base-url',
    proxyUrl,
    '--model',
    'claude-haiku-4-5',
    '--no-stream',
    '--rate',
    '15',
    '--duration',
    '6s',
    '--coordinator',
    redis.url,
    '--agents',
    '3',
    '--run-id',
    'sigint',
    '--out',
    out,
  ];
  let interrupted = false;
  const agents = await Promise.all(
    [0, 1, 2].map((k) =>
      agent(args, (text, child) => {
        // Agent 1 of the three processes is stopped once it has been sending for a moment.
        if (k === 1 && !interrupted && /sending to/.test(text)) {
          interrupted = true;
          setTimeout(() => child.kill('SIGINT'), 1500);
        }
      }),
    ),
  );
  const codes = agents.map((a) => a.code);
  assert.deepEqual([...codes].sort(), [0, 0, 130], agents.map((a) => a.stderr).join('\n---\n'));
  const stopped = agents[codes.indexOf(130)]!;
  assert.match(stopped.stderr, /that agent \d left \(its partial run counts\)/);
  const merged = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  const runs = [1, 2, 3].map((k) => JSON.parse(readFileSync(join(out, `agent-${k}`, 'run.json'), 'utf8')));
  assert.equal(runs.filter((r) => r.summary.stopReason === 'aborted').length, 1);
  assert.equal(
    merged.summary.requests.total,
    runs.reduce((a, r) => a + r.summary.requests.total, 0),
  );
});

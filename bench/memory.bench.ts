// Memory end to end: the bundled CLI (engine, SDK, sockets) runs N requests against the simulator in
// its own process; this bench samples the CLI's RSS from /proc every second. Default 60,000 requests
// (under a minute); --memory-requests 1000000 for the full row (several minutes). Loopback only.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argValue, cores, emitRow, pinned, quick, startSimProcess, unlimited } from './lib';

const requests = Number(argValue('--memory-requests') ?? (quick ? 30_000 : 60_000));

function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const sim = await startSimProcess(['--latency', 'zero', ...unlimited]);
  const dir = mkdtempSync(join(tmpdir(), 'claude-load-membench-'));
  try {
    const plan = join(dir, 'mem.claudeload.json');
    writeFileSync(
      plan,
      JSON.stringify({
        target: { baseUrl: sim.url },
        model: 'claude-haiku-4-5',
        maxTokens: 16,
        stream: false,
        load: { type: 'concurrency', concurrency: 64 },
        requests,
      }),
    );
    const [cmd, args] = pinned(cores.client, process.execPath, [
      'dist/cli.js',
      'run',
      plan,
      '--allow-host',
      new URL(sim.url).host,
      '--json',
    ]);
    const t0 = Date.now();
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ANTHROPIC_API_KEY: 'bench-not-a-key' },
    });
    let out = '';
    child.stdout!.on('data', (c) => (out += String(c)));
    const samples: { s: number; mb: number }[] = [];
    const timer = setInterval(() => {
      const mb = child.pid !== undefined ? rssMb(child.pid) : undefined;
      if (mb !== undefined) samples.push({ s: (Date.now() - t0) / 1000, mb });
    }, 1000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearInterval(timer);
    if (code !== 0) throw new Error(`the CLI exited ${code}: ${out.slice(-400)}`);
    const summary = JSON.parse(out) as {
      requests?: { ok?: number };
      summary?: { requests?: { ok?: number } };
    };
    const ok = summary.summary?.requests?.ok ?? summary.requests?.ok ?? 0;
    if (samples.length < 3) throw new Error('the run was too short to sample RSS');
    // RSS over time: first quarter vs last quarter (after warm-up) and the peak.
    const q = Math.max(1, Math.floor(samples.length / 4));
    const early = Math.max(...samples.slice(q, 2 * q).map((x) => x.mb));
    const late = Math.max(...samples.slice(-q).map((x) => x.mb));
    const peak = Math.max(...samples.map((x) => x.mb));
    const every = Math.max(1, Math.floor(samples.length / 8));
    console.log(
      '  RSS over time: ' +
        samples
          .filter((_, i) => i % every === 0 || i === samples.length - 1)
          .map((x) => `${x.s.toFixed(0)}s ${x.mb.toFixed(0)} MB`)
          .join(', '),
    );
    const growth = late - early;
    emitRow({
      name: `Memory end to end (CLI, SDK, sockets): ${requests.toLocaleString('en-US')} requests, RSS peak`,
      value: `${peak.toFixed(0)} MB`,
      target: '< 300 MB, flat',
      pass: peak < 300 && growth < 30,
      detail: `${ok.toLocaleString('en-US')} ok in ${((Date.now() - t0) / 1000).toFixed(0)} s; RSS second quarter ${early.toFixed(0)} MB, last quarter ${late.toFixed(0)} MB`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

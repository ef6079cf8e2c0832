// Shared parts of the benches: processes pinned to cores, the simulator in its own process, repeated
// measurements with alternating order, and the rows scripts/bench.mjs turns into the README table.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { buildSync } from 'esbuild';

/** Options every bench takes: --reps N (default 3), --quick (shorter samples), --long (longer). */
export const reps = Math.max(3, Number(argValue('--reps') ?? 3));
export const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
export const long = process.argv.includes('--long');
/** Length multiplier of each sample: 0.5 quick, 1 default, 4 long. */
export const scale = quick ? 0.5 : long ? 4 : 1;

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
/** Core for the target (simulator) and for the client; the same core when the machine has one. */
export const cores = { target: '0', client: '1' };

/** `taskset -c CORE cmd args` where taskset exists, else the command as is (unpinned). */
export function pinned(core: string, cmd: string, args: string[]): [string, string[]] {
  return hasTaskset ? ['taskset', ['-c', core, cmd, ...args]] : [cmd, args];
}
/** Pins this process (all its threads) to `core` where taskset exists; false when it could not. */
export function pinSelf(core: string): boolean {
  return hasTaskset && spawnSync('taskset', ['-a', '-cp', core, String(process.pid)]).status === 0;
}
export const pinning = hasTaskset
  ? 'simulator pinned to core 0, clients to core 1 (taskset)'
  : 'unpinned (no taskset)';

export interface SimProcess {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The bundled CLI's simulator in its own process, pinned to the target core. */
export async function startSimProcess(extra: string[]): Promise<SimProcess> {
  const [cmd, args] = pinned(cores.target, process.execPath, [
    'dist/cli.js',
    'simulate',
    '--quiet',
    '--port',
    '0',
    ...extra,
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  // Keep reading stdout for the child's whole life: a closed pipe would kill it on its next line.
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (chunk) => {
      buf += String(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`simulator exited (${code}) before listening`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** No limits in the way: the benches measure speed, not 429s. */
export const unlimited = [
  '--tier',
  'scale',
  '--rpm',
  '100000000',
  '--itpm',
  '100000000000',
  '--otpm',
  '100000000000',
];

let clientBundle: string | undefined;
/**
 * bench/client.ts bundled the way scripts/build.mjs bundles the CLI (esbuild, cjs, node20): the bench
 * measures the engine as users run it. (Under tsx every closure the engine creates per request also
 * paid a keepNames `Object.defineProperty`, a cost the shipped bundle does not have.)
 */
function bundledClient(): string {
  clientBundle ??= (() => {
    const out = 'dist/bench/client.js';
    buildSync({
      entryPoints: ['bench/client.ts'],
      outfile: out,
      bundle: true,
      platform: 'node',
      mainFields: ['module', 'main'],
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    return out;
  })();
  return clientBundle;
}

/** Runs bench/client.ts (bundled) in its own process pinned to the client core; resolves its JSON result. */
export async function runClient<T>(job: object): Promise<T> {
  const [cmd, args] = pinned(cores.client, process.execPath, [
    '--expose-gc',
    bundledClient(),
    JSON.stringify(job),
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (code !== 0 || !line) throw new Error(`bench client exited ${code}: ${out.slice(-500)}`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, median, max: s[s.length - 1]! };
}

export function fmtSpread(s: Spread, digits = 2, unit = 'x'): string {
  // "-3.1 to 2.0", not "-3.1-2.0", when a figure can be negative (a difference).
  const sep = s.min < 0 ? ' to ' : '-';
  return `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}${sep}${s.max.toFixed(digits)})`;
}

/** One row of the README table; scripts/bench.mjs collects them from every bench's stdout. */
export interface BenchRow {
  name: string;
  /** median (min-max) over repetitions. */
  value: string;
  target: string;
  pass: boolean;
  /** Raw figures behind the row (absolute rates, CPU), shown under the table. */
  detail?: string;
}

export function emitRow(row: BenchRow): void {
  console.log(`BENCH_ROW ${JSON.stringify(row)}`);
}

/**
 * Repetition i runs A then B when i is even, B then A when odd, so neither side always runs on a
 * cooler (or hotter) machine. Returns the per-repetition results of both sides.
 */
export async function alternate<T>(
  count: number,
  a: () => Promise<T>,
  b: () => Promise<T>,
  onRep?: (i: number, ra: T, rb: T) => void,
): Promise<{ a: T[]; b: T[] }> {
  const out = { a: [] as T[], b: [] as T[] };
  for (let i = 0; i < count; i++) {
    let ra: T;
    let rb: T;
    if (i % 2 === 0) {
      ra = await a();
      rb = await b();
    } else {
      rb = await b();
      ra = await a();
    }
    out.a.push(ra);
    out.b.push(rb);
    onRep?.(i, ra, rb);
  }
  return out;
}

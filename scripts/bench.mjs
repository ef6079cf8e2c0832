// npm run bench: runs each bench/<name>.bench.ts in its own process, one after another, collects the
// rows they print (`BENCH_ROW {json}`) and prints a markdown table the README takes verbatim, with the
// date, the machine (cores, CPU model) and its load average before and after.
// Options (passed to every bench): --reps N (>= 3), --quick, --long, --memory-requests N,
// --only NAME[,NAME] (e.g. --only engine,memory). Exits non-zero if a bench failed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

// The order of the table. A bench file listed here but absent is skipped (limiter.bench.ts is
// written separately); any other bench/*.bench.ts is not run.
const benches = ['engine', 'simulator', 'memory', 'limiter'];

const argv = process.argv.slice(2);
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1].split(',')) : undefined;
const extra = onlyAt >= 0 ? argv.filter((_, i) => i !== onlyAt && i !== onlyAt + 1) : argv;

const fmtLoad = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
const loadBefore = fmtLoad();
const rows = [];
let failed = 0;
let ran = 0;
for (const name of benches) {
  const file = join('bench', `${name}.bench.ts`);
  if (!existsSync(file) || (only && !only.has(name))) continue;
  ran++;
  console.log(`\n== ${file}`);
  const started = Date.now();
  const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file, ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of (res.stdout ?? '').split('\n')) {
    if (line.startsWith('BENCH_ROW ')) rows.push(JSON.parse(line.slice('BENCH_ROW '.length)));
    else if (line.trim()) console.log(line);
  }
  const status = res.status ?? 1;
  if (status !== 0) failed++;
  console.log(
    `== ${file}: ${status === 0 ? 'done' : `exit ${status}`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

const cpu = cpus();
const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
const cell = (s) => String(s).replace(/\|/g, '\\|');
console.log('\n' + '-'.repeat(80));
console.log(
  `Measured ${date} UTC on ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}; ` +
    `load average (1/5/15 min) ${loadBefore} before, ${fmtLoad()} after. Each comparison: separate processes, ` +
    'the target (simulator, redis-server) pinned to core 0 and clients to core 1 where taskset exists, ' +
    'order alternated, median (min-max) over the repetitions.\n',
);
console.log('| Measure | Result | Target | |');
console.log('|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${cell(r.name)}${r.detail ? ` (${cell(r.detail)})` : ''} | ${cell(r.value)} | ${cell(r.target)} | ${r.pass ? 'ok' : '**misses target**'} |`,
  );
console.log(`\n${ran - failed}/${ran} benches ran cleanly`);
process.exit(failed ? 1 : 0);

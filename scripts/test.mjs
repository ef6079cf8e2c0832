// Runs the tests with node's test runner, at one test file per CPU.
//   node scripts/test.mjs            every test/**/*.test.ts except *.slow.test.ts (npm test)
//   node scripts/test.mjs --slow     only *.slow.test.ts: multi-process and time-scaled integration
//                                    runs (limiter proof, scale rehearsal, sweeps, compare; npm run test:slow)
//   node scripts/test.mjs engine     files whose path contains "engine"
// Why a bundle per test file instead of `--import tsx`: tsx resolves and transforms every module of
// a file's import graph in each test process (about 1 s of CPU per file here, most of the suite's
// time on 2 cores); esbuild bundles all test files at once in a few seconds and each process then
// loads one file. Semantics stay those of the sources: packages stay external (node_modules as in
// production), `import.meta.url` and `__dirname` keep the source file's location (fixtures and
// tsx-spawned child processes are found where they are), and inline source maps put the .ts
// lines in stack traces. Browser and e2e tests still run under tsx (scripts/runBrowserTests.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'browser' && name !== 'e2e' && name !== 'fixtures') find(p, out);
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const slow = args.includes('--slow');
const filter = args.filter((a) => a !== '--slow');
const files = find('test')
  .filter((f) => f.endsWith('.slow.test.ts') === slow)
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test file matches ${filter.join(' ')}`);
  process.exit(1);
}
// The app (dist/: tests spawn the CLI, load the webviews, read the limiter's .d.ts) builds while the
// tests are bundled.
const appBuilt = new Promise((resolve) =>
  spawn(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).on('exit', (code) => resolve(code)),
);

/** Keeps each source file's own location (import.meta.url/dirname/filename, __dirname) inside the bundle. */
const keepSourcePaths = {
  name: 'keep-source-paths',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (a) => {
      let text = readFileSync(a.path, 'utf8');
      if (text.includes('import.meta.'))
        text = text
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(a.path)))
          .replaceAll('import.meta.filename', JSON.stringify(a.path));
      if (text.includes('__dirname')) text = text.replace(/\b__dirname\b/g, JSON.stringify(dirname(a.path)));
      return { contents: text, loader: 'ts' };
    });
  },
};

// Fast files share processes, one per test folder: a process spends ~0.4 s of CPU loading the SDK,
// undici, ajv and the source maps before its first test, which over 80 files was a third of the
// suite's CPU. Each file runs inside a describe() named after it, so its before/after hooks stay its
// own and a failure names its file. Files of a folder run one after another (all folders side by
// side broke timing tests and shared fixtures), except the listed group below. The longest files,
// which mostly wait and run their own tests side by side (the README's commands, `run`, distributed
// agents), keep a process each, so the two lanes overlap their waiting with the groups' CPU.
const alone = new Set([
  'test/cli/readme.test.ts',
  'test/cli/run.test.ts',
  'test/distributed/cli.test.ts',
  'test/engine/engine.test.ts',
  'test/engine/results.test.ts',
]);
// These wait on child processes and Redis, hold no tight timing bound and share nothing: they run in
// one process side by side (one at a time, they took a lane for ~14 s).
const sideBySide = new Set([
  'test/limiter/queue.test.ts',
  'test/limiter/redisRoundTrips.test.ts',
  'test/batch/batch.test.ts',
  'test/cli/bin.test.ts',
  'test/simulator/cli.test.ts',
  'test/distributed/join.test.ts',
]);
// Folders whose files together take seconds get a process each; the quick ones share one ("quick"), as
// each process start costs more CPU than most of their files.
const ownProcess = new Set(['simulator', 'engine', 'sweep', 'scale']);
const groups = new Map();
if (!slow) {
  for (const f of files) {
    if (alone.has(f)) continue;
    const folder = dirname(f).split(sep).slice(1).join('-') || 'root';
    const group = sideBySide.has(f) ? 'side-by-side' : ownProcess.has(folder) ? folder : 'quick';
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(f);
  }
}
/** group:<folder> entries: each member file required inside a describe() named after it. */
const groupEntries = {
  name: 'test-groups',
  setup(b) {
    b.onResolve({ filter: /^group:/ }, (a) => ({ path: a.path.slice('group:'.length), namespace: 'group' }));
    b.onLoad({ filter: /.*/, namespace: 'group' }, (a) => ({
      contents:
        "const { describe } = require('node:test');\n" +
        `describe(${JSON.stringify(a.path)}, { concurrency: ${a.path === 'side-by-side'} }, () => {\n` +
        groups
          .get(a.path)
          .map((f) => `describe(${JSON.stringify(f)}, () => { require(${JSON.stringify('./' + f)}); });`)
          .join('\n') +
        '\n});',
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

// Inside the repo so that the external packages resolve from node_modules.
const outdir = slow ? '.test-build/slow' : '.test-build/fast';
rmSync(outdir, { recursive: true, force: true });
rmSync('.test-build/fixtures', { recursive: true, force: true }); // test/fixtures/bundledScript.ts
const single = files.filter((f) => slow || alone.has(f));
await build({
  entryPoints: [
    ...single.map((f) => ({ in: f, out: f.replace(/\.ts$/, '') })),
    ...[...groups.keys()].map((g) => ({ in: `group:${g}`, out: `groups/${g}` })),
  ],
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  external: ['vscode'],
  sourcemap: 'inline',
  logLevel: 'warning',
  plugins: [keepSourcePaths, groupEntries],
});
const appStatus = await appBuilt;
if (appStatus !== 0) process.exit(appStatus ?? 1);
// Longest first, so that neither lane is left with a long process at the end: seconds each took in
// `npm test` on the 2-core machine (a process not listed counts as 1).
const seconds = {
  simulator: 7.6,
  'test/cli/run.test.ts': 6.3,
  'side-by-side': 6.3,
  'test/engine/engine.test.ts': 6.2,
  engine: 5.6,
  'test/distributed/cli.test.ts': 4.4,
  'test/cli/readme.test.ts': 4.2,
  scale: 3.8,
  sweep: 3.2,
  quick: 7.5,
};
const bundles = [
  ...single.map((f) => ({ file: join(outdir, f.replace(/\.ts$/, '.js')), seconds: seconds[f] ?? 1 })),
  ...[...groups.keys()].map((g) => ({ file: join(outdir, 'groups', `${g}.js`), seconds: seconds[g] ?? 1 })),
]
  .sort((a, b) => b.seconds - a.seconds)
  .map((b) => b.file);

const res = spawnSync(
  process.execPath,
  [
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    // A test that hangs fails after 5 minutes instead of holding CI. (--test-force-exit is not used:
    // in Node 20 it once ended a group's process with five of its tests not run, and reported a pass.)
    '--test-timeout=300000',
    // Slow files each start several processes (instances, Redis, simulator): one file at a time.
    `--test-concurrency=${slow ? 1 : availableParallelism()}`,
    ...bundles,
  ],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);

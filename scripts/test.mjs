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
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
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
const app = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (app.status !== 0) process.exit(app.status ?? 1);

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

// Inside the repo so that the external packages resolve from node_modules.
const outdir = slow ? '.test-build/slow' : '.test-build/fast';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: files,
  outdir,
  outbase: '.',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  external: ['vscode'],
  sourcemap: 'inline',
  logLevel: 'warning',
  plugins: [keepSourcePaths],
});
const bundles = files.map((f) => join(outdir, f.replace(/\.ts$/, '.js')));

const res = spawnSync(
  process.execPath,
  [
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    // Slow files each start several processes (instances, Redis, simulator): one file at a time.
    `--test-concurrency=${slow ? 1 : availableParallelism()}`,
    ...bundles,
  ],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);

// Bundles the extension host, the CLI and the webview apps into dist/ with esbuild.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitLimiterTypes } from './limiterTypes.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const nodeTargets = [
  { entry: 'src/extension/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  { entry: 'src/cli/bin.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  // The simulator's worker thread (started by the engine for --simulate and simulator targets).
  { entry: 'src/core/simulator/worker.ts', out: 'dist/simulatorWorker.js' },
  // A rehearsal instance process of `claude-load scale` (spawned next to dist/cli.js).
  { entry: 'src/core/scale/instanceMain.ts', out: 'dist/scaleInstance.js' },
  // The simulator process of a rehearsal, holding the org's limits for all instances.
  { entry: 'src/core/scale/simulatorMain.ts', out: 'dist/scaleSimulator.js' },
];

const jobs = [];
for (const t of nodeTargets) {
  if (!existsSync(t.entry)) continue;
  jobs.push(
    build({
      ...common,
      entryPoints: [t.entry],
      outfile: t.out,
      platform: 'node',
      // jsonc-parser's UMD entry hides its requires from bundlers; its ESM entry bundles cleanly.
      mainFields: ['module', 'main'],
      format: 'cjs',
      target: 'node20',
      external: t.external ?? [],
      banner: t.banner ? { js: t.banner } : undefined,
    }),
  );
}

// The shared limiter as a library for users' apps (package.json exports "./limiter"): ESM and CJS,
// dependencies left as imports, plus its .d.ts files (scripts/limiterTypes.mjs, below).
const limiterEntry = 'src/core/limiterEntry.ts';
if (existsSync(limiterEntry)) {
  for (const [format, out] of [
    ['esm', 'dist/limiter.mjs'],
    ['cjs', 'dist/limiter.cjs'],
  ]) {
    jobs.push(
      build({
        ...common,
        entryPoints: [limiterEntry],
        outfile: out,
        platform: 'node',
        format,
        target: 'node20',
        packages: 'external',
      }),
    );
  }
}

// Every webview/<name>/main.ts becomes dist/webview/<name>.js (browser, no Node built-ins).
if (existsSync('webview')) {
  const apps = readdirSync('webview', { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join('webview', d.name, 'main.ts')))
    .map((d) => d.name);
  for (const app of apps) {
    jobs.push(
      build({
        ...common,
        entryPoints: [join('webview', app, 'main.ts')],
        outfile: join('dist', 'webview', `${app}.js`),
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
      }),
    );
  }
  mkdirSync('dist/webview', { recursive: true });
  for (const f of ['webview/styles.css'])
    if (existsSync(f)) copyFileSync(f, join('dist/webview', 'styles.css'));
  const toolkit = 'node_modules/@vscode/webview-ui-toolkit/dist/toolkit.min.js';
  if (existsSync(toolkit)) copyFileSync(toolkit, 'dist/webview/toolkit.min.js');
}

// While esbuild bundles in its own process (~0.6 s, synchronous; a worker thread was slower on 2 cores).
if (existsSync(limiterEntry)) emitLimiterTypes();
await Promise.all(jobs);
if (watch) console.log('watch mode is not implemented; re-run npm run build');

// Runs the *.test.ts files under one folder (test/browser or test/e2e) with node's test runner via tsx.
// Usage: node scripts/runBrowserTests.mjs <folder> [--setup] [filter...]
//   --setup  runs scripts/e2eSetup.sh first (installs Chromium and the code-server cache if missing).
// Node 20's --test does not expand globs, so the files are listed here (as scripts/test.mjs does).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith('--'));
if (!folder || !existsSync(folder)) {
  console.error('usage: node scripts/runBrowserTests.mjs <test folder> [--setup] [filter...]');
  process.exit(2);
}
const filter = args.filter((a) => !a.startsWith('--') && a !== folder);

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures') find(p, out);
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// e2eSetup.sh is idempotent and returns in well under a second once its cache matches the pinned
// versions, so running it every time also picks up a version bump.
if (args.includes('--setup')) {
  const setup = spawnSync('bash', ['scripts/e2eSetup.sh'], { stdio: 'inherit' });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
}

const files = find(folder)
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no *.test.ts files under ${folder}`);
  process.exit(1);
}
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);

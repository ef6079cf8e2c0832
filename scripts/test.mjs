// Runs the tests with node's test runner (TypeScript through tsx), at one test file per CPU.
//   node scripts/test.mjs            every test/**/*.test.ts except *.slow.test.ts (npm test)
//   node scripts/test.mjs --slow     only *.slow.test.ts: multi-process and time-scaled integration
//                                    runs (limiter proof, scale rehearsal, sweep frontiers; npm run test:slow)
//   node scripts/test.mjs engine     files whose path contains "engine"
// Node 20's --test does not expand globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

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
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const res = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    // Slow files each start several processes (instances, Redis, simulator): one file at a time.
    `--test-concurrency=${slow ? 1 : availableParallelism()}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);

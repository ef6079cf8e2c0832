// Runs every bench/*.bench.ts (TypeScript through tsx) one after another and prints their output.
// Extra arguments (e.g. --quick) are passed to every bench. Exits non-zero if any bench failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'bench';
const benches = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.bench.ts'))
      .sort()
  : [];
if (benches.length === 0) {
  console.log('no bench/*.bench.ts files');
  process.exit(0);
}
const extra = process.argv.slice(2);
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file}`);
  const started = Date.now();
  const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(dir, file), ...extra], {
    stdio: 'inherit',
  });
  const status = res.status ?? 1;
  if (status !== 0) failed++;
  console.log(
    `== ${file}: ${status === 0 ? 'done' : `exit ${status}`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
console.log(`\n${benches.length - failed}/${benches.length} benches ran cleanly`);
process.exit(failed ? 1 : 0);

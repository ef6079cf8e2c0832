// Child-process entry of a rehearsal's simulator (bundled as dist/scaleSimulator.js; run through tsx
// in tests): one process holding the org's limits for every instance. The last argv is the
// SimulatorOptions JSON; it prints "listening <url>" when ready and exits when its stdin closes
// (the coordinator is done or gone) or on SIGTERM.
import { startSimulator } from '../simulator/index';
import type { SimulatorOptions } from '../simulator/index';
import { listenToCoordinator } from './instanceProcess';

async function simulatorMain(): Promise<void> {
  const options = JSON.parse(process.argv[process.argv.length - 1]!) as SimulatorOptions;
  const sim = await startSimulator({ ...options, host: '127.0.0.1', port: 0 });
  const stop = () => void sim.close().finally(() => process.exit(0));
  listenToCoordinator(() => undefined, stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`listening ${sim.url}\n`);
}

void simulatorMain().catch((e: unknown) => {
  process.stderr.write(String((e as Error)?.stack ?? e) + '\n');
  process.exit(1);
});

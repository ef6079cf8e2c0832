// Child-process entry of a rehearsal's simulator (bundled as dist/scaleSimulator.js; run through tsx
// in tests): one process holding the org's limits for every instance. The last argv is a
// SimulatorProcessJob JSON; it prints "listening <url>" when ready and exits when its stdin closes
// (the coordinator is done or gone) or on SIGTERM. It also guards the redis-server the coordinator
// started: redis has no stdin to watch, so this process stops it when the coordinator is gone (even
// SIGKILLed), and nothing outlives a rehearsal.
import { startSimulator } from '../simulator/index';
import type { SimulatorProcessJob } from './simulatorJob';
import { listenToCoordinator } from './instanceProcess';

async function simulatorMain(): Promise<void> {
  const job = JSON.parse(process.argv[process.argv.length - 1]!) as SimulatorProcessJob;
  const sim = await startSimulator({ ...job.simulator, host: '127.0.0.1', port: 0 });
  const stop = () => {
    for (const pid of job.guardPids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone (the coordinator stopped it first).
      }
    }
    void sim.close().finally(() => process.exit(0));
  };
  listenToCoordinator(() => undefined, stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`listening ${sim.url}\n`);
}

void simulatorMain().catch((e: unknown) => {
  process.stderr.write(String((e as Error)?.stack ?? e) + '\n');
  process.exit(1);
});

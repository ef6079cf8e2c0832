// Starts the simulator in a worker thread (worker.ts) and hands back the same handle shape as
// startSimulator(). The worker file is dist/simulatorWorker.js in the bundles (CLI and extension sit
// in dist/ beside it) and worker.ts from source (tests, tsx), which loads through the parent's tsx hook.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SimulatorConfigError } from './options';
import type { SimulatorOptions } from './options';
import type { WorkerReply } from './worker';

export interface WorkerSimulatorHandle {
  url: string;
  close(): Promise<void>;
}

/**
 * The worker's entry file: bundled next to this bundle, else the TypeScript source beside this file;
 * undefined when neither ships (a package that left it out): callers then run the simulator in-process.
 */
export function simulatorWorkerFile(dir: string = __dirname): string | undefined {
  return [join(dir, 'simulatorWorker.js'), join(dir, 'worker.ts')].find((f) => existsSync(f));
}

/** Options must be cloneable: `clock` and `log` (functions) stay behind. */
export async function startSimulatorInWorker(options: SimulatorOptions): Promise<WorkerSimulatorHandle> {
  const { clock: _clock, log: _log, ...cloneable } = options;
  const file = simulatorWorkerFile();
  if (!file) throw new Error('the simulator worker file is missing (dist/simulatorWorker.js)');
  // From source, tsx's hook does not reach worker threads: register its CommonJS loader first.
  const worker = file.endsWith('.ts')
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, {
        eval: true,
        workerData: cloneable,
      })
    : new Worker(file, { workerData: cloneable });
  const first = await new Promise<WorkerReply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`the simulator worker exited (${code}) before listening`)),
    );
  });
  worker.removeAllListeners('error').removeAllListeners('exit');
  if (typeof first === 'object' && 'error' in first) {
    await worker.terminate();
    throw first.field ? new SimulatorConfigError(first.error, first.field) : new Error(first.error);
  }
  if (typeof first !== 'object') throw new Error('the simulator worker answered out of turn');
  // An error after start ends the worker; the run then sees connection errors, not a hang.
  worker.on('error', () => {});
  let closing: Promise<void> | null = null;
  return {
    url: first.url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const finish = () => void worker.terminate().then(() => resolve());
        worker.once('message', finish);
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      });
      return closing;
    },
  };
}

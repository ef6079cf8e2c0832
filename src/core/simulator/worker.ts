// Worker-thread entry of the simulator: its own event loop (the machine's other core), so a load
// generator that drives it hard measures the simulator, not its own saturated loop. Bundled as
// dist/simulatorWorker.js (scripts/build.mjs); from source it runs through tsx.
// Protocol: workerData = SimulatorOptions (cloneable: no functions); posts {url} once listening or
// {error}; on the message 'close' it closes the server and posts 'closed'.
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator } from './server';
import type { SimulatorOptions } from './options';

export type WorkerReply = { url: string } | { error: string; field?: string } | 'closed';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  try {
    const sim = await startSimulator(workerData as SimulatorOptions);
    port.on('message', (m) => {
      if (m === 'close') void sim.close().then(() => port.postMessage('closed' satisfies WorkerReply));
    });
    port.postMessage({ url: sim.url } satisfies WorkerReply);
  } catch (e) {
    const err = e as Error & { field?: string };
    port.postMessage({
      error: err.message,
      ...(err.field ? { field: err.field } : {}),
    } satisfies WorkerReply);
  }
}

void main();

// An app instance as a real OS process: it prints "ready" once set up, starts when told "go <time>"
// on stdin (so all instances start together), and prints its report as the last line of JSON.
import { spawn } from 'node:child_process';

export interface InstanceProcess<Report> {
  ready: Promise<void>;
  /** Starts the instance at wall-clock `startAt` (ms since the epoch). */
  go(startAt: number): void;
  done: Promise<Report>;
  kill(): void;
}

export function startInstanceProcess<Report>(args: string[], label: string): InstanceProcess<Report> {
  // Inside VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it run the script as Node.
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  let out = '';
  let err = '';
  let onReady!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    if (out.includes('ready\n')) onReady();
  });
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<Report>((resolve, reject) => {
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as Report);
      else reject(new Error(`${label} exited with code ${code}: ${err.slice(-2000)}`));
    });
  });
  return { ready, done, go: (t) => child.stdin.end(`go ${t}\n`), kill: () => child.kill('SIGKILL') };
}

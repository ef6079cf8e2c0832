// The child processes of a rehearsal (app instances, the simulator) as real OS processes. Protocol on
// stdin: "go <wall ms>" starts an instance (so all start together), "stop" ends it early (Ctrl-C:
// it reports what it measured). With `keepStdinOpen`, a child (listenToCoordinator) exits when its
// stdin closes, so nothing outlives a coordinator that died, even by SIGKILL. The last JSON line on
// stdout is the child's report.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface InstanceProcess<Report> {
  /** The child printed its ready line ("ready", or what `readyPattern` matches). */
  ready: Promise<void>;
  /** That line. */
  readyLine: Promise<string>;
  /** Starts the instance at wall-clock `startAt` (ms since the epoch). */
  go(startAt: number): void;
  /** Asks it to stop early and report what it measured. */
  stop(): void;
  /** Writes one line to its stdin. */
  send(line: string): void;
  done: Promise<Report>;
  /** Closes its stdin (a child's cue to exit), SIGKILL after `graceMs` if it is still alive. */
  close(graceMs?: number): Promise<void>;
  kill(): void;
  pid: number | undefined;
}

// Live children, killed when the coordinator exits for any reason (an exception, process.exit).
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
/** Kills `child` (SIGKILL) if this process exits while it still runs. */
export function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

export interface InstanceProcessOptions {
  /** The ready line; default "ready". */
  readyPattern?: RegExp;
  /**
   * Keep stdin open after "go", for "stop" and for the exit-when-stdin-closes watchdog. Default
   * false: "go" ends stdin (children that read only "go" and exit when their event loop drains).
   */
  keepStdinOpen?: boolean;
}

export function startInstanceProcess<Report>(
  args: string[],
  label: string,
  options: InstanceProcessOptions = {},
): InstanceProcess<Report> {
  const readyPattern = options.readyPattern ?? /^ready$/m;
  // Inside VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it run the script as Node.
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  killOnExit(child);
  let out = '';
  let err = '';
  let onReady!: (line: string) => void;
  let readyDone = false;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const readyLine = new Promise<string>((resolve, reject) => {
    onReady = resolve;
    void exited.then((code) => {
      if (!readyDone)
        reject(new Error(`${label} exited with code ${code} before it was ready: ${err.slice(-2000)}`));
    });
  });
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    if (!readyDone) {
      const m = readyPattern.exec(out);
      if (m) {
        readyDone = true;
        onReady(m[0]);
      }
    }
  });
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  // A child that is gone cannot read: writing to it must not throw (EPIPE).
  child.stdin.on('error', () => undefined);
  const send = (line: string) => {
    if (child.stdin.writable) child.stdin.write(line + '\n');
  };
  const done = exited.then((code) => {
    const last =
      out
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{')) ?? '';
    if (last) return JSON.parse(last) as Report;
    throw new Error(`${label} exited with code ${code}: ${err.slice(-2000)}`);
  });
  done.catch(() => undefined);
  readyLine.catch(() => undefined);
  const ready = readyLine.then(() => undefined);
  ready.catch(() => undefined);
  return {
    ready,
    readyLine,
    done,
    pid: child.pid,
    go: (t) => (options.keepStdinOpen ? send(`go ${t}`) : child.stdin.end(`go ${t}\n`)),
    stop: () => send('stop'),
    send,
    kill: () => child.kill('SIGKILL'),
    async close(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * In a child: calls `onLine` for each stdin line, and exits when stdin closes (the coordinator is
 * gone or done). Ctrl-C in a terminal reaches the whole process group: the coordinator decides, so
 * SIGINT is ignored here.
 */
export function listenToCoordinator(onLine: (line: string) => void, onClose: () => void): void {
  process.on('SIGINT', () => undefined);
  let buf = '';
  process.stdin.on('data', (b: Buffer) => {
    buf += b.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i).trim());
      buf = buf.slice(i + 1);
    }
  });
  process.stdin.on('end', onClose);
}

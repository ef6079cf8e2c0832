// Starts a throwaway redis-server from PATH on a free loopback port (no persistence) and stops it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { killOnExit } from './instanceProcess';

export interface RedisServerHandle {
  port: number;
  url: string;
  /** The server's process id (of the current process after a restart). */
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM, then SIGKILL). Idempotent. */
  stop(): Promise<void>;
  /** Kills it hard (for outage tests); `restart()` brings it back on the same port. */
  kill(): Promise<void>;
  restart(): Promise<void>;
}

/** redis-server is not on PATH: the message names how to install it. */
export class RedisServerMissingError extends Error {
  constructor() {
    super(
      'redis-server was not found on PATH. Install it (Debian/Ubuntu: sudo apt-get install redis-server; ' +
        'macOS: brew install redis) or pass --redis URL of a running server.',
    );
    this.name = 'RedisServerMissingError';
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Wraps the command line, e.g. in `taskset -c CORE` (the benches pin redis-server to a core). */
export type LaunchWrapper = (cmd: string, args: string[]) => [string, string[]];

function launch(
  binary: string,
  port: number,
  detached: boolean,
  wrap?: LaunchWrapper,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const line: [string, string[]] = [
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--loglevel',
        'notice',
      ],
    ];
    const [cmd, args] = wrap ? wrap(...line) : line;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached });
    killOnExit(child);
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      if (/ready to accept connections/i.test(out)) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new RedisServerMissingError() : e),
    );
    child.on('exit', (code) =>
      reject(new Error(`redis-server exited with code ${code}: ${out.slice(-400)}`)),
    );
  });
}

function waitExit(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * Starts redis-server (default binary `redis-server` from PATH) on a free 127.0.0.1 port. It is
 * killed when this process exits. `detached`: in its own process group, so a Ctrl-C in the terminal
 * (sent to the whole group) leaves it to the coordinator, which still needs it to wind down. `wrap`:
 * the command line wrapped (a bench pins redis-server to a core).
 */
export async function startRedisServer(
  binary = 'redis-server',
  options: { detached?: boolean; wrap?: LaunchWrapper } = {},
): Promise<RedisServerHandle> {
  const port = await freePort();
  const detached = options.detached ?? false;
  const wrap = options.wrap;
  let child = await launch(binary, port, detached, wrap);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child.pid;
    },
    stop: () => waitExit(child, 'SIGTERM'),
    kill: () => waitExit(child, 'SIGKILL'),
    async restart() {
      await waitExit(child, 'SIGKILL');
      child = await launch(binary, port, detached, wrap);
    },
  };
}

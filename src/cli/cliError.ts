// Exit codes, the error type every CLI command throws, and the I/O a command is given. Commands never
// touch `process` directly: tests call them in-process with their own streams, env and signal source.

/**
 * Exit codes (documented in the README and in every command's --help). When several apply, the first
 * of interrupted, could-not-start/save-failed, no-request-succeeded, threshold-failed wins.
 */
export const EXIT = {
  ok: 0,
  /** A --threshold failed (thresholds with no data fail too). */
  thresholdFailed: 1,
  /** Bad flags, plan file or output folder: nothing was sent. */
  badInput: 2,
  /** No key, target unreachable, key refused by the key policy, or the results could not be saved. */
  cannotStart: 3,
  /** The run finished but not one request succeeded. */
  noSuccess: 4,
  /** Stopped by SIGINT (Ctrl-C) or SIGTERM; partial results were saved and printed. */
  interrupted: 130,
} as const;

export const exitCodesHelp = `Exit codes: 0 ok, 1 a threshold failed, 2 bad input, 3 could not start (no key, unreachable,
key policy, saving failed), 4 no request succeeded, 130 interrupted (Ctrl-C / SIGTERM).`;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a command writes text: process.stdout/stderr, or a string buffer in tests. */
export interface CliOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  on?(event: 'error', listener: (e: Error) => void): unknown;
  off?(event: 'error', listener: (e: Error) => void): unknown;
}

export type CliSignal = 'SIGINT' | 'SIGTERM';

/** process in production; an EventEmitter in tests, so Ctrl-C can be simulated without a process. */
export interface SignalSource {
  on(signal: CliSignal, listener: () => void): unknown;
  off(signal: CliSignal, listener: () => void): unknown;
}

export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  env: Record<string, string | undefined>;
  signals: SignalSource;
  /** Leaves at once (a second Ctrl-C): process.exit in production. */
  exitNow(code: number): void;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signals: process,
    exitNow: (code) => process.exit(code),
  };
}

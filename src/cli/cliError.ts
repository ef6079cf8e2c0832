// Exit codes and the error type every CLI command uses.
export const EXIT = { ok: 0, thresholdFailed: 1, badInput: 2, cannotStart: 3 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export type CommandFn = (args: string[], io: CliIo) => Promise<number>;

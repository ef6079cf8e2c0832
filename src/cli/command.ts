// The shape of one CLI command: see the comment at the top of main.ts for how to add one.
import type { Command } from 'commander';
import type { CliIo } from './cliError';

export interface CliCommand<Parsed = Record<string, unknown>> {
  /** The word after claude-load; define() must use it. */
  name: string;
  /** Declares the command: name, one-line summary, arguments, options (each documented). */
  define(): Command;
  /** Example command lines shown at the end of --help (and run by the README test when listed there). */
  examples: string[];
  /** Maps commander's parsed options and arguments to the command's typed options and runs it. */
  run(parsed: Parsed, args: string[], io: CliIo): Promise<number>;
}

/** Identity with types: lets each command file declare its parsed-options type once. */
export function cliCommand<Parsed>(command: CliCommand<Parsed>): CliCommand<Parsed> {
  return command;
}

// claude-load: a thin command-line face over src/core, on commander.
//
// Adding a command is one small file in src/cli/commands/, e.g. sweep.ts:
//
//   export interface SweepOptions { rates: number[]; out?: string }        // typed, no commander types
//   export async function sweepCommand(options: SweepOptions, io: CliIo): Promise<number> { ... }
//   export const sweepCli = cliCommand<{ rates: number[]; out?: string }>({
//     name: 'sweep',
//     define: () => new Command('sweep').summary('one line for the command list').description('...')
//       .addOption(new Option('--rates <list>', 'what it does (default ...)').argParser(...)),
//     examples: ['claude-load sweep --simulate --rates 5,10,20'],
//     run: (parsed, args, io) => sweepCommand({ rates: parsed.rates, out: parsed.out }, io),
//   });
//
// then one line in `commands` below. Rules (test/cli/commands.test.ts checks the first two): every
// option has a description (help is generated) and the command has examples; value parsers come from
// options.ts, so messages name the flag ("--rate must be > 0"); problems are thrown as
// CliError(message, EXIT.x); output goes to io.stdout / io.stderr only and signals come from io.signals,
// so tests call main(argv, io) in-process. A command that runs load tests reuses execute.ts
// (checkKeyPolicy, executeRun: --out checked first, Ctrl-C/SIGTERM, saving, scrubbing, exit codes).
import { Command, CommanderError } from 'commander';
import { toolVersion } from '../core/version';
import { CliError, EXIT, exitCodesHelp, processIo, type CliIo } from './cliError';
import type { CliCommand } from './command';
import { batchCli } from './commands/batch';
import { compareCli } from './commands/compare';
import { demoCli } from './commands/demo';
import { planCli } from './commands/plan';
import { reportCli } from './commands/report';
import { runCli } from './commands/run';
import { scaleCli } from './commands/scale';
import { simulateCli } from './commands/simulate';
import { sweepCli } from './commands/sweep';

export const commands: CliCommand<never>[] = [
  planCli,
  simulateCli,
  runCli,
  sweepCli,
  compareCli,
  scaleCli,
  batchCli,
  demoCli,
  reportCli,
];

/** Settings every command shares: output to io, errors thrown (never process.exit), suggestions. */
export function configure(cmd: Command, io: CliIo, prefix = 'claude-load'): Command {
  return cmd
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(s.replace(/^error: /, `${prefix}: `)),
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
}

/** The examples and exit codes that end a command's --help. */
function epilogue(examples: string[]): string {
  return ['', 'Examples:', ...examples.map((e) => `  $ ${e}`), '', exitCodesHelp].join('\n');
}

/** Builds a fresh program (no state shared between calls); `setExit` receives the command's code. */
function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = configure(new Command('claude-load'), io)
    .description('Plan Claude API capacity and cost, load-test the API, a gateway or the built-in simulator.')
    .version(toolVersion, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpCommand('help [command]', 'show help for a command')
    .addHelpText(
      'after',
      `\nRun claude-load <command> --help for its options and examples.\n${exitCodesHelp}`,
    );
  for (const c of commands) {
    const cmd = configure(c.define(), io, `claude-load ${c.name}`).showHelpAfterError(
      `(run claude-load ${c.name} --help for the options)`,
    );
    cmd.helpOption('-h, --help', 'show this help').addHelpText('after', epilogue(c.examples));
    cmd.action(async (...actionArgs: unknown[]) => {
      const self = actionArgs[actionArgs.length - 1] as Command;
      setExit(await c.run(self.opts() as never, self.args, io));
    });
    program.addCommand(cmd);
  }
  return program;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  const name = commands.find((c) => c.name === argv[0])?.name;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help (--help, `help <command>`) and --version exit 0; no command and parse problems are bad input.
      return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    const prefix = name ? `claude-load ${name}` : 'claude-load';
    if (e instanceof CliError) {
      io.stderr.write(`${prefix}: ${e.message}\n`);
      return e.exitCode;
    }
    io.stderr.write(`${prefix}: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.cannotStart;
  }
}

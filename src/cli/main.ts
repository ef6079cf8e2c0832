// claude-load: a thin command-line face over src/core. Each command lives in its own file.
import { CliError, EXIT } from './cliError';
import type { CommandFn } from './cliError';
import { toolVersion } from '../core/version';

const commands: Record<string, { summary: string; load: () => Promise<CommandFn> }> = {
  plan: {
    summary: 'capacity plan: tier, cost, concurrency',
    load: async () => (await import('./commands/plan')).planCommand,
  },
  simulate: {
    summary: 'run the Anthropic-compatible simulator (no key, no network, no cost)',
    load: async () => (await import('./commands/simulate')).simulateCommand,
  },
  run: {
    summary: 'load test: a plan file or flags, against the API, a URL or the simulator',
    load: async () => (await import('./commands/run')).runCommand,
  },
  demo: {
    summary: 'plan a workload and load-test it on the built-in simulator (no key)',
    load: async () => (await import('./commands/demo')).demoCommand,
  },
  report: {
    summary: 'regenerate report.html and timeseries.csv from a saved run.json',
    load: async () => (await import('./commands/report')).reportCommand,
  },
};

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    'Usage: claude-load <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'Run claude-load <command> --help for its options; claude-load --version prints the version.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${toolVersion}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? EXIT.ok : EXIT.badInput;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`claude-load: unknown command "${name}".\n\n${usage()}\n`);
    return EXIT.badInput;
  }
  try {
    const run = await command.load();
    return await run(rest, { stdout: process.stdout, stderr: process.stderr, env: process.env });
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`claude-load ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`claude-load ${name}: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.cannotStart;
  }
}

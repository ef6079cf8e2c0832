// claude-load report <run.json> [--out DIR]: regenerates report.html and timeseries.csv from a saved run.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { RunFileError, diagnose, metricDefinitions, parseRunFile, writeReportFiles } from '../../core/index';
import { CliError, EXIT, type CliIo } from '../cliError';
import { cliCommand } from '../command';
import { loadReportAssets } from '../reportAssets';
import { mergeCommand } from './compare';

export interface ReportOptions {
  /** run.json, or a run folder holding one. */
  file: string;
  /** Where to write (default: the folder of run.json). */
  out?: string;
}

export async function reportCommand(options: ReportOptions, io: CliIo): Promise<number> {
  // A run folder is accepted too: its run.json is read.
  const given = resolve(options.file);
  const path = (await stat(given).catch(() => undefined))?.isDirectory() ? join(given, 'run.json') : given;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT' ? `${path}: no such file.` : `${path}: cannot read (${(e as Error).message}).`,
    );
  }
  let run;
  try {
    run = parseRunFile(text, path);
  } catch (e) {
    if (e instanceof RunFileError) throw new CliError(e.message);
    throw e;
  }
  // Older or hand-made files may lack these; the current rules and wording fill them in.
  if (run.diagnosis.length === 0) run.diagnosis = diagnose(run);
  if (Object.keys(run.definitions).length === 0) run.definitions = { ...metricDefinitions };

  const assets = loadReportAssets();
  const out = resolve(options.out ?? dirname(path));
  const paths = await writeReportFiles(run, out, assets);
  io.stdout.write(`report ${paths.html}\ncsv    ${paths.csv}\n`);
  return EXIT.ok;
}

export const reportCli = cliCommand<{ out?: string; merge?: boolean; name?: string; json?: boolean }>({
  name: 'report',
  define: () =>
    new Command('report')
      .summary('regenerate a run report, or merge runs taken in parallel into one (--merge)')
      .description(
        'Regenerates report.html (standalone, offline) and timeseries.csv from a saved run.json (or from the ' +
          'run.json in a run folder). With --merge, combines runs taken at the same time by several generator ' +
          'processes or machines into one run: histograms merged exactly, windows aligned on wall-clock ' +
          'seconds, totals summed.',
      )
      .usage('<run.json> [--out DIR] | --merge <run.json> <run.json> [...] --out DIR')
      .argument('[runs...]', 'a saved run.json or run folder (with --merge: two or more)')
      .option('--out <dir>', 'where to write (default: the folder of run.json; required with --merge)')
      .option('--merge', 'merge the given runs into one run.json, timeseries.csv and report.html')
      .option('--name <name>', "with --merge: the merged run's name")
      .option('--json', 'with --merge: print the merged summary as JSON'),
  examples: [
    'claude-load report .claude-load/runs/2026-01-01T00-00-00-000Z-demo',
    'claude-load report run.json --out /tmp/report',
    'claude-load report --merge agent-1/run.json agent-2/run.json --out merged',
  ],
  run: async ({ out, merge, name, json }, files, io) => {
    if (merge) {
      if (!out) throw new CliError('--merge needs --out DIR for the merged run.');
      const runs = await Promise.all(
        files.map(async (f) =>
          (await stat(f).catch(() => undefined))?.isDirectory() ? join(f, 'run.json') : f,
        ),
      );
      return mergeCommand({ files: runs, out, name, json }, io);
    }
    const [file, ...extra] = files;
    if (!file) throw new CliError('missing the run.json to read (claude-load report <run.json>).');
    if (extra.length > 0)
      throw new CliError(`one run at a time (got ${files.length}); to combine runs use --merge.`);
    return reportCommand({ file, out }, io);
  },
});

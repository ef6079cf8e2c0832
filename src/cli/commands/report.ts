// claude-load report <run.json> [--out DIR]: regenerates report.html and timeseries.csv from a saved run.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { RunFileError, diagnose, metricDefinitions, parseRunFile, writeReportFiles } from '../../core/index';
import { CliError, EXIT, type CliIo } from '../cliError';
import { cliCommand } from '../command';
import { loadReportAssets } from '../reportAssets';

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

export const reportCli = cliCommand<{ out?: string }>({
  name: 'report',
  define: () =>
    new Command('report')
      .summary('regenerate report.html and timeseries.csv from a saved run.json')
      .description(
        'Regenerates report.html (standalone, offline) and timeseries.csv from a saved run.json ' +
          '(or from the run.json in a run folder).',
      )
      .usage('<run.json> [--out DIR]')
      .argument('[run.json]', 'a saved run.json, or the run folder that holds it')
      .option('--out <dir>', 'where to write (default: the folder of run.json)'),
  examples: [
    'claude-load report .claude-load/runs/2026-01-01T00-00-00-000Z-demo',
    'claude-load report run.json --out /tmp/report',
  ],
  run: ({ out }, [file], io) => {
    if (!file) throw new CliError('missing the run.json to read (claude-load report <run.json>).');
    return reportCommand({ file, out }, io);
  },
});

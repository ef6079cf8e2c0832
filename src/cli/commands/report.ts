// claude-load report <run.json> [--out DIR]: regenerates report.html and timeseries.csv from a saved run.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RunFileError, diagnose, metricDefinitions, parseRunFile, writeReportFiles } from '../../core/index';
import { CliError, EXIT } from '../cliError';
import type { CommandFn } from '../cliError';
import { loadReportAssets } from '../reportAssets';

const help = `Usage: claude-load report <run.json> [--out DIR]

Regenerates report.html (standalone, offline) and timeseries.csv from a saved run.json
(or from the run.json in a run folder).

Options:
  --out DIR   where to write (default: the folder of run.json)
  -h, --help  show this help
`;

export const reportCommand: CommandFn = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\n${help}`);
  }
  if (parsed.values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file) throw new CliError(`missing the run.json to read.\n\n${help}`);
  if (extra.length) throw new CliError(`one run.json at a time (got also: ${extra.join(' ')}).`);

  // A run folder is accepted too: its run.json is read.
  const given = resolve(file);
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
  const out = resolve(parsed.values.out ?? dirname(path));
  const paths = await writeReportFiles(run, out, assets);
  io.stdout.write(`report ${paths.html}\ncsv    ${paths.csv}\n`);
  return EXIT.ok;
};

// claude-load compare A B [C ...] (run.json or sweep.json) and `report --merge`: typed, validated options
// in; the comparison on stdout (or a file), progress and notes on stderr.
import { readFile, stat } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { join } from 'node:path';
import {
  parseRunFile,
  reportHooks,
  RunFileError,
  serializeRun,
  timeseriesCsv,
  writeRunOutputs,
  type RunResult,
} from '../../core/index';
import {
  compare,
  compareHtml,
  compareMarkdown,
  compareText,
  CompareError,
  mergeRuns,
  readComparable,
  type Comparable,
} from '../../core/compare/index';
import { SweepFileError } from '../../core/sweep/index';
import { writeFileAtomic } from '../../core/util/atomicWrite';
import { CliError, EXIT, type CliIo } from '../cliError';
import { cliCommand } from '../command';
import { loadReportAssets } from '../reportAssets';

export interface CompareCommandOptions {
  /** Two or more run.json / sweep.json paths; the first is the baseline (A). */
  files: string[];
  format: 'text' | 'markdown' | 'json' | 'html';
  /** Write the output here instead of stdout (html: default compare.html in the cwd). */
  out?: string;
  /** `--fail-on-regression 10%`: exit 1 when a metric regresses significantly by more than this. */
  failOnRegressionPct?: number;
  /** The report stylesheet (tests); default: the built report app's styles.css. */
  reportCss?: string;
}

async function readInputs(files: readonly string[]): Promise<Comparable[]> {
  return Promise.all(
    files.map(async (f) => {
      let text: string;
      try {
        text = await readFile(f, 'utf8');
      } catch (e) {
        throw new CliError(`cannot read ${f}: ${(e as Error).message}`);
      }
      try {
        return readComparable(text, f);
      } catch (e) {
        if (e instanceof RunFileError || e instanceof SweepFileError || e instanceof SyntaxError)
          throw new CliError(e.message);
        throw e;
      }
    }),
  );
}

export async function compareCommand(o: CompareCommandOptions, io: CliIo): Promise<number> {
  if (o.files.length < 2)
    throw new CliError('compare needs at least two files: claude-load compare A B [C ...]');
  const inputs = await readInputs(o.files);
  let c;
  try {
    c = compare(
      inputs,
      o.failOnRegressionPct !== undefined ? { failOnRegressionPct: o.failOnRegressionPct } : {},
    );
  } catch (e) {
    if (e instanceof CompareError) throw new CliError(e.message);
    throw e;
  }
  let text: string;
  switch (o.format) {
    case 'text':
      text = compareText(c) + '\n';
      break;
    case 'markdown':
      text = compareMarkdown(c);
      break;
    case 'json':
      text = JSON.stringify(c, null, 2) + '\n';
      break;
    case 'html':
      text = compareHtml(c, inputs, o.reportCss ?? loadReportAssets().css);
      break;
  }
  const out = o.out ?? (o.format === 'html' ? 'compare.html' : undefined);
  if (out) {
    await writeFileAtomic(out, text);
    io.stderr.write(`saved ${out}\n`);
  } else io.stdout.write(text);
  for (const r of c.regressions)
    io.stderr.write(
      `regression: ${r.metric} ${r.changePct.toFixed(1)} % in ${r.source} (limit ${c.failOnRegressionPct} %)\n`,
    );
  return c.regressions.length > 0 ? EXIT.thresholdFailed : EXIT.ok;
}

export interface MergeCommandOptions {
  /** Two or more run.json paths taken in parallel. */
  files: string[];
  /** Folder for the merged run.json, timeseries.csv and report.html. */
  out: string;
  name?: string;
  json?: boolean;
}

/** `claude-load report --merge A B ... --out DIR`: one run from parallel generator runs. */
export async function mergeCommand(o: MergeCommandOptions, io: CliIo): Promise<number> {
  if (o.files.length < 2) throw new CliError('--merge needs at least two run.json files');
  const runs: RunResult[] = await Promise.all(
    o.files.map(async (f) => {
      try {
        return parseRunFile(await readFile(f, 'utf8'), f);
      } catch (e) {
        throw new CliError(
          e instanceof RunFileError ? e.message : `cannot read ${f}: ${(e as Error).message}`,
        );
      }
    }),
  );
  let merged: RunResult;
  try {
    merged = mergeRuns(runs, { ...reportHooks, ...(o.name ? { name: o.name } : {}) });
  } catch (e) {
    if (e instanceof CompareError) throw new CliError(e.message);
    throw e;
  }
  // run.json and the CSV first (atomic), so a missing report bundle never loses the merge.
  await writeFileAtomic(join(o.out, 'run.json'), serializeRun(merged));
  await writeFileAtomic(join(o.out, 'timeseries.csv'), timeseriesCsv(merged));
  try {
    const paths = await writeRunOutputs(merged, o.out, loadReportAssets());
    io.stderr.write(`merged ${runs.length} runs: ${paths.runJson}\nreport ${paths.html}\n`);
  } catch (e) {
    io.stderr.write(
      `merged ${runs.length} runs: ${join(o.out, 'run.json')} (no report.html: ${(e as Error).message})\n`,
    );
  }
  const s = merged.summary;
  if (o.json) io.stdout.write(serializeRun(merged));
  else
    io.stdout.write(
      `${merged.name}: ${s.requests.total} requests (${s.requests.ok} ok) over ${s.durationS.toFixed(1)} s, ` +
        `${s.throughput.rps.toFixed(2)} req/s, latency p95 ${s.latencyMs.p95.toFixed(0)} ms, $${s.costUsd.toFixed(4)}\n`,
    );
  return s.thresholds.some((t) => !t.pass) ? EXIT.thresholdFailed : EXIT.ok;
}

/** "10%" or "10" -> 10. */
function percentFlag(text: string): number {
  const n = Number(text.trim().replace(/%$/, ''));
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new CliError(`--fail-on-regression must be a percentage >= 0, e.g. 10% (got "${text}")`);
  return n;
}

export const compareCli = cliCommand<{
  format: 'text' | 'markdown' | 'json' | 'html';
  out?: string;
  failOnRegression?: number;
}>({
  name: 'compare',
  define: () =>
    new Command('compare')
      .summary('compare runs or sweeps: deltas marked significant only beyond run-to-run noise')
      .description(
        'Compares two or more run.json or sweep.json files (the first is the baseline): every headline ' +
          'metric with its delta and % change, marked significant only when it exceeds the noise estimated ' +
          'from the per-second windows (bootstrap), plus a config diff. Text, Markdown (for a pull request), ' +
          'JSON or HTML (overlaid latency spectra and time series).',
      )
      .usage('<A> <B> [C ...] [options]')
      .argument('<files...>', 'run.json / sweep.json files, or run folders')
      .addOption(
        new Option('--format <kind>', 'output format')
          .choices(['text', 'markdown', 'json', 'html'])
          .default('text'),
      )
      .option('--out <file>', 'write the output to this file (html: default compare.html)')
      .option(
        '--fail-on-regression <pct>',
        'exit 1 when a metric regresses significantly by more than this, e.g. 10%',
        percentFlag,
      ),
  examples: [
    'claude-load compare .claude-load/runs/before .claude-load/runs/after',
    'claude-load compare before/run.json after/run.json --format markdown --fail-on-regression 10%',
  ],
  run: async (p, files, io) =>
    compareCommand(
      {
        files: await Promise.all(files.map(runFileOf)),
        format: p.format,
        out: p.out,
        failOnRegressionPct: p.failOnRegression,
      },
      io,
    ),
});

/** A run folder stands for its run.json (or sweep.json). */
async function runFileOf(path: string): Promise<string> {
  const s = await stat(path).catch(() => undefined);
  if (!s?.isDirectory()) return path;
  for (const name of ['run.json', 'sweep.json']) {
    if (await stat(join(path, name)).catch(() => undefined)) return join(path, name);
  }
  throw new CliError(`${path} holds no run.json or sweep.json`);
}

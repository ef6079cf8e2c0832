// The one run-saving path of the CLI and the extension: run.json first (the measurements are never lost
// to a report that cannot be rendered), then timeseries.csv and report.html. Every file is written to
// a temporary name and renamed, so a full disk or a crash never leaves a truncated run.json; every
// file is scrubbed of the key (its exact value and anything shaped like an Anthropic key).
import { access, constants, mkdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { RunResult } from '../model/run';
import { scrubSecrets } from '../util/scrub';
import { timeseriesCsv } from './csv';
import { renderReportHtml, type ReportAssets } from './html';
import { serializeRun } from './runFile';
import { writeFileAtomic } from '../util/atomicWrite';

export interface RunOutputPaths {
  runJson: string;
  csv: string;
  /** Absent when no report assets were given (the report app is not built). */
  html?: string;
}

/** Exact values to remove from every file (the API key in use). */
export type Secrets = readonly (string | undefined)[];

/** An output folder that cannot be used; the message says which and why. */
export class OutputDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirError';
  }
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never settles for some paths (e.g. under /proc),
 * and a run must not hang on its output folder.
 */
async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    const s = await stat(d).catch(() => undefined);
    if (s) {
      if (!s.isDirectory()) throw new OutputDirError(`${d} exists and is not a folder: choose another path`);
      break;
    }
    missing.unshift(d);
    if (dirname(d) === d) break;
    d = dirname(d);
  }
  for (const m of missing)
    await mkdir(m).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
}

export { writeFileAtomic };

/**
 * Makes sure `dir` is a folder results can be written to, creating it if missing. Called before a run
 * sends anything, so a bad --out costs nothing.
 */
export async function prepareOutputDir(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory())
    throw new OutputDirError(`${dir} exists and is not a folder: choose another path`);
  try {
    await ensureDir(dir);
  } catch (e) {
    throw new OutputDirError(`cannot create ${dir}: ${(e as Error).message}`);
  }
  try {
    await access(dir, constants.W_OK);
    // access() trusts permission bits; a probe file also catches read-only mounts.
    await writeFileAtomic(join(dir, '.claude-load-write-check'), '');
    await unlink(join(dir, '.claude-load-write-check'));
  } catch (e) {
    throw new OutputDirError(`cannot write into ${dir}: ${(e as Error).message}`);
  }
}

/** The run without secrets, for what is shown rather than saved (the extension's results panel). */
export function scrubRun(run: RunResult, secrets: Secrets): RunResult {
  return scrubbedRun(run, secrets).run;
}

/** The run as written to run.json, and the same run parsed back, both free of secrets. */
function scrubbedRun(run: RunResult, secrets: Secrets): { json: string; run: RunResult } {
  const json = scrubSecrets(serializeRun(run), secrets);
  return { json, run: JSON.parse(json) as RunResult };
}

/**
 * Writes timeseries.csv and report.html into dir (created if missing). Without `assets` (the report
 * app is not built) only the CSV is written.
 */
export async function writeReportFiles(
  run: RunResult,
  dir: string,
  assets: ReportAssets | undefined,
  secrets: Secrets = [],
): Promise<Omit<RunOutputPaths, 'runJson'>> {
  await ensureDir(dir);
  const clean = scrubbedRun(run, secrets).run;
  const csv = join(dir, 'timeseries.csv');
  await writeFileAtomic(csv, scrubSecrets(timeseriesCsv(clean), secrets));
  if (!assets) return { csv };
  const html = join(dir, 'report.html');
  await writeFileAtomic(html, scrubSecrets(renderReportHtml(clean, assets), secrets));
  return { csv, html };
}

/** Writes run.json, then timeseries.csv and report.html, into dir (created if missing). */
export async function writeRunOutputs(
  run: RunResult,
  dir: string,
  assets: ReportAssets | undefined,
  secrets: Secrets = [],
): Promise<RunOutputPaths> {
  await ensureDir(dir);
  const runJson = join(dir, 'run.json');
  await writeFileAtomic(runJson, scrubbedRun(run, secrets).json);
  return { runJson, ...(await writeReportFiles(run, dir, assets, secrets)) };
}

// run.json in and out, and the files a run leaves behind (run.json, timeseries.csv, report.html).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../model/run';
import { timeseriesCsv } from './csv';
import { renderReportHtml } from './html';
import type { ReportAssets } from './html';
import { parseRunJson } from './validate';

const keyPattern = /sk-ant-[A-Za-z0-9_-]+/g;

/**
 * Pretty JSON. A RunResult carries no key, but error messages and prompts could echo one, so anything
 * shaped like a key is scrubbed. The pattern never spans JSON syntax, so scrubbing the text is safe.
 */
export function serializeRun(run: RunResult): string {
  return JSON.stringify(run, null, 2).replace(keyPattern, 'sk-ant-***') + '\n';
}

/** Parses and validates run.json text; errors name `source` and the field to fix. */
export function parseRunFile(text: string, source: string): RunResult {
  return parseRunJson(text, source);
}

export interface RunOutputPaths {
  runJson: string;
  csv: string;
  html: string;
}

/** Writes report.html and timeseries.csv into dir (created if missing). */
export async function writeReportFiles(
  run: RunResult,
  dir: string,
  assets: ReportAssets,
): Promise<Omit<RunOutputPaths, 'runJson'>> {
  await mkdir(dir, { recursive: true });
  const csv = join(dir, 'timeseries.csv');
  const html = join(dir, 'report.html');
  // The HTML embeds the scrubbed JSON, so a key cannot reach it either.
  const clean = JSON.parse(serializeRun(run)) as RunResult;
  await writeFile(csv, timeseriesCsv(clean), 'utf8');
  await writeFile(html, renderReportHtml(clean, assets), 'utf8');
  return { csv, html };
}

/** Writes run.json, timeseries.csv and report.html into dir (created if missing). */
export async function writeRunOutputs(
  run: RunResult,
  dir: string,
  assets: ReportAssets,
): Promise<RunOutputPaths> {
  await mkdir(dir, { recursive: true });
  const runJson = join(dir, 'run.json');
  await writeFile(runJson, serializeRun(run), 'utf8');
  return { runJson, ...(await writeReportFiles(run, dir, assets)) };
}

// Where runs are saved: <workspace>/<resultsFolder>/<timestamp>-<name>/ (global storage without a
// workspace), and the history of saved runs for "Open Run Report".
import { readFileSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { writeBatchFile, writeRunOutputs, type BatchReport, type RunResult } from '../core/index';
import type { Settings } from './settings';
import { runsGitignore } from './views/runHistoryModel';

export function runsRoot(context: vscode.ExtensionContext, settings: Settings): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder)
    return vscode.Uri.joinPath(folder.uri, ...settings.resultsFolder.split(/[\\/]+/).filter(Boolean));
  return vscode.Uri.joinPath(context.globalStorageUri, 'runs');
}

export function runFolderName(result: Pick<RunResult, 'name' | 'startedAt'>): string {
  const stamp = result.startedAt.replace(/[:.]/g, '-').replace(/Z$/, '');
  const slug =
    result.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'run';
  return `${stamp}-${slug}`;
}

/** Saves through core's one saving path (run.json first, atomic writes, `secrets` scrubbed). */
export async function saveRun(
  root: vscode.Uri,
  result: RunResult,
  extensionUri: vscode.Uri,
  secrets: readonly (string | undefined)[] = [],
): Promise<vscode.Uri> {
  const dir = vscode.Uri.joinPath(root, runFolderName(result));
  await mkdir(dir.fsPath, { recursive: true });
  await writeRunsGitignore(root);
  await writeRunOutputs(result, dir.fsPath, reportAssets(extensionUri), secrets);
  return dir;
}

/** Saves a batch run's batch.json (atomic) in its own folder under the results folder. */
export async function saveBatch(
  root: vscode.Uri,
  report: BatchReport,
  startedAt: string,
): Promise<vscode.Uri> {
  const dir = vscode.Uri.joinPath(root, `${runFolderName({ name: report.name, startedAt })}-batch`);
  await writeBatchFile(dir.fsPath, report);
  await writeRunsGitignore(root);
  return dir;
}

/**
 * Keeps results out of git: a .gitignore in the results folder's top folder inside the workspace
 * (`.claude-load/` by default), written once; a user who wants them committed deletes it.
 */
async function writeRunsGitignore(root: vscode.Uri): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  let top = root;
  if (folder) {
    const rel = root.fsPath
      .slice(folder.uri.fsPath.length)
      .split(/[\\/]+/)
      .filter(Boolean);
    // Results saved in the workspace root itself: never write a catch-all .gitignore there.
    if (rel.length === 0) return;
    top = vscode.Uri.joinPath(folder.uri, rel[0]!);
  }
  await writeFile(join(top.fsPath, '.gitignore'), runsGitignore, { flag: 'wx' }).catch(() => {});
}

export function reportAssets(extensionUri: vscode.Uri): { script: string; css: string } {
  const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview').fsPath;
  return {
    script: readFileSync(join(root, 'report.js'), 'utf8'),
    css: readFileSync(join(root, 'styles.css'), 'utf8'),
  };
}

export interface SavedRun {
  folder: vscode.Uri;
  name: string;
  mtime: number;
}

/** Saved runs, newest first. */
export function listRuns(root: vscode.Uri): Promise<SavedRun[]> {
  return listSaved(root, 'run.json');
}

/** Saved sweeps (folders holding sweep.json, beside runs), newest first. */
export function listSweeps(root: vscode.Uri): Promise<SavedRun[]> {
  return listSaved(root, 'sweep.json');
}

async function listSaved(root: vscode.Uri, leaf: string): Promise<SavedRun[]> {
  let names: string[];
  try {
    names = await readdir(root.fsPath);
  } catch {
    return [];
  }
  const out: SavedRun[] = [];
  for (const name of names) {
    try {
      const s = await stat(join(root.fsPath, name, leaf));
      out.push({ folder: vscode.Uri.joinPath(root, name), name, mtime: s.mtimeMs });
    } catch {
      // not a run folder
    }
  }
  return out.sort((a, b) => b.mtime - a.mtime);
}

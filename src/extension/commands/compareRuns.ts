// Claude: Compare Runs: pick two or more saved runs or sweeps from the results folder (or select them in
// Run History and choose Compare); the core's comparison opens as Markdown (preview when available).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { compare, compareMarkdown, readComparable } from '../../core/compare/index';
import { listRuns, listSweeps, runsRoot } from '../runStore';
import type { Services } from '../services';

interface SavedResult {
  name: string;
  file: string;
  kind: 'run' | 'sweep';
  mtime: number;
}

/** Saved run.json / sweep.json files under the results folder, newest first. */
async function savedResults(root: vscode.Uri): Promise<SavedResult[]> {
  const runs = (await listRuns(root)).map((r) => ({
    name: r.name,
    file: join(r.folder.fsPath, 'run.json'),
    kind: 'run' as const,
    mtime: r.mtime,
  }));
  const sweeps = (await listSweeps(root)).map((r) => ({
    name: r.name,
    file: join(r.folder.fsPath, 'sweep.json'),
    kind: 'sweep' as const,
    mtime: r.mtime,
  }));
  return [...runs, ...sweeps].sort((a, b) => b.mtime - a.mtime);
}

/** Run History passes (clicked item, selected items); each carries the file to compare. */
function selectedFiles(arg: unknown, selected: unknown): string[] | undefined {
  const items = Array.isArray(selected) ? selected : [arg];
  const files = items
    .map((i) => (i as { resultFile?: unknown } | undefined)?.resultFile)
    .filter((f): f is string => typeof f === 'string');
  return files.length >= 2 ? files : undefined;
}

async function openComparison(files: string[]): Promise<void> {
  try {
    const inputs = await Promise.all(files.map(async (f) => readComparable(await readFile(f, 'utf8'), f)));
    const doc = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: compareMarkdown(compare(inputs)),
    });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => {});
  } catch (e) {
    void vscode.window.showErrorMessage(`Compare Runs: ${(e as Error).message}`);
  }
}

export function registerCompareRuns(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(
    'claudeLoad.compareRuns',
    async (arg?: unknown, selected?: unknown) => {
      const chosen = selectedFiles(arg, selected);
      if (chosen) return openComparison(chosen);
      const saved = await savedResults(runsRoot(services.context, services.settings()));
      if (saved.length < 2) {
        void vscode.window.showInformationMessage('Compare Runs needs at least two saved runs or sweeps.');
        return;
      }
      const picks = await vscode.window.showQuickPick(
        saved.map((s) => ({ label: s.name, description: s.kind, s })),
        { canPickMany: true, title: 'Compare Runs: pick two or more (the first is the baseline)' },
      );
      if (!picks || picks.length < 2) return;
      await openComparison(picks.map((p) => p.s.file));
    },
  );
}

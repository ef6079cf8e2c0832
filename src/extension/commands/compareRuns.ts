// Claude: Compare Runs: pick two or more saved runs or sweeps from the results folder; the core's
// comparison opens as Markdown (preview when available). Also the Run History's "Compare" action.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { compare, compareMarkdown, readComparable } from '../../core/compare/index';
import { runsRoot } from '../runStore';
import type { Services } from '../services';

interface SavedResult {
  name: string;
  file: string;
  mtime: number;
}

/** Saved run.json / sweep.json files under the results folder, newest first. */
async function savedResults(root: string): Promise<SavedResult[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const out: SavedResult[] = [];
  for (const name of names)
    for (const leaf of ['run.json', 'sweep.json']) {
      const file = join(root, name, leaf);
      const s = await stat(file).catch(() => undefined);
      if (s) out.push({ name, file, mtime: s.mtimeMs });
    }
  return out.sort((a, b) => b.mtime - a.mtime);
}

export function registerCompareRuns(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('claudeLoad.compareRuns', async () => {
    const root = runsRoot(services.context, services.settings()).fsPath;
    const saved = await savedResults(root);
    if (saved.length < 2) {
      void vscode.window.showInformationMessage('Compare Runs needs at least two saved runs or sweeps.');
      return;
    }
    const picks = await vscode.window.showQuickPick(
      saved.map((s) => ({ label: s.name, description: s.file.endsWith('sweep.json') ? 'sweep' : 'run', s })),
      { canPickMany: true, title: 'Compare Runs: pick two or more (the first is the baseline)' },
    );
    if (!picks || picks.length < 2) return;
    try {
      const inputs = await Promise.all(
        picks.map(async (p) => readComparable(await readFile(p.s.file, 'utf8'), p.s.file)),
      );
      const doc = await vscode.workspace.openTextDocument({
        language: 'markdown',
        content: compareMarkdown(compare(inputs)),
      });
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => {});
    } catch (e) {
      void vscode.window.showErrorMessage(`Compare Runs: ${(e as Error).message}`);
    }
  });
}

// Claude: Open Run Report: pick from the saved runs (newest first), or open a given run folder.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseRunFile } from '../../core/index';
import { showReportPanel } from '../panels/reportPanel';
import { listRuns, runsRoot } from '../runStore';
import type { Services } from '../services';

export function registerOpenReport(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('claudeLoad.openReport', async (folderArg?: vscode.Uri | string) => {
    let folder = typeof folderArg === 'string' ? vscode.Uri.parse(folderArg) : folderArg;
    if (!folder) {
      const runs = await listRuns(runsRoot(services.context, services.settings()));
      if (runs.length === 0) {
        void vscode.window.showInformationMessage(
          'No saved runs yet. Run a load test first (Claude: Run Load Test).',
        );
        return;
      }
      const pick = await vscode.window.showQuickPick(
        runs.map((r) => ({
          label: r.name,
          description: new Date(r.mtime).toLocaleString(),
          folder: r.folder,
        })),
        { title: 'Claude: Open Run Report', placeHolder: 'Saved runs, newest first' },
      );
      if (!pick) return;
      folder = pick.folder;
    }
    const file = join(folder.fsPath, 'run.json');
    try {
      const run = parseRunFile(await readFile(file, 'utf8'), file);
      showReportPanel(services, run, folder);
    } catch (e) {
      void vscode.window.showErrorMessage(`Cannot open ${file}: ${(e as Error).message}`);
    }
  });
}

// Claude: Open Run Report: pick from the saved runs (newest first), or open a given run folder.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseRunFile } from '../../core/index';
import { showReportPanel } from '../panels/reportPanel';
import { listRuns, runsRoot, type SavedRun } from '../runStore';
import { runPickEntry } from '../views/runHistoryModel';
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
      const pick = await vscode.window.showQuickPick(pickItems(runs), {
        title: 'Claude: Open Run Report',
        placeHolder: 'Saved runs, newest first: filter by name, date, model or outcome',
        matchOnDescription: true,
        matchOnDetail: true,
      });
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

/** The newest this many runs are offered: each row reads its run.json. */
const pickLimit = 100;

/** One row per saved run with its details; a run.json that cannot be read still shows, by folder name. */
async function pickItems(runs: SavedRun[]): Promise<(vscode.QuickPickItem & { folder: vscode.Uri })[]> {
  return Promise.all(
    runs.slice(0, pickLimit).map(async (r) => {
      const file = join(r.folder.fsPath, 'run.json');
      try {
        return { ...runPickEntry(parseRunFile(await readFile(file, 'utf8'), file)), folder: r.folder };
      } catch (e) {
        return {
          label: `$(warning) ${r.name}`,
          detail: `cannot read run.json: ${(e as Error).message}`,
          folder: r.folder,
        };
      }
    }),
  );
}

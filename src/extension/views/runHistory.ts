// The Run History view in the Claude Load side bar: saved runs, newest first, with a status icon,
// time, p95, cost and why they stopped; open, reveal in the file explorer, delete.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseRunFile } from '../../core/index';
import { listRuns, runsRoot } from '../runStore';
import type { Services } from '../services';
import { runHistoryEntry, type RunHistoryEntry } from './runHistoryModel';

class RunItem extends vscode.TreeItem {
  constructor(
    readonly folder: vscode.Uri,
    entry: RunHistoryEntry,
  ) {
    super(entry.label, vscode.TreeItemCollapsibleState.None);
    this.description = entry.description;
    this.tooltip = entry.tooltip;
    this.iconPath = new vscode.ThemeIcon(entry.icon);
    this.contextValue = 'claudeLoad.run';
    this.resourceUri = folder;
    this.command = { command: 'claudeLoad.openReport', title: 'Open Run Report', arguments: [folder] };
  }
}

class RunHistoryProvider implements vscode.TreeDataProvider<RunItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  // run.json files are parsed once per modification time: they hold histograms and can be large.
  private readonly cache = new Map<string, { mtime: number; entry: RunHistoryEntry | null }>();

  constructor(private readonly services: Services) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: RunItem): RunItem {
    return item;
  }

  async getChildren(): Promise<RunItem[]> {
    const runs = await listRuns(runsRoot(this.services.context, this.services.settings()));
    const items: RunItem[] = [];
    for (const r of runs) {
      const entry = await this.entryFor(r.folder);
      if (entry) items.push(new RunItem(r.folder, entry));
    }
    return items;
  }

  private async entryFor(folder: vscode.Uri): Promise<RunHistoryEntry | null> {
    const file = join(folder.fsPath, 'run.json');
    try {
      const { mtimeMs } = await stat(file);
      const hit = this.cache.get(file);
      if (hit && hit.mtime === mtimeMs) return hit.entry;
      const entry = runHistoryEntry(parseRunFile(await readFile(file, 'utf8'), file));
      this.cache.set(file, { mtime: mtimeMs, entry });
      return entry;
    } catch (e) {
      this.services.log.warn(`Run History: skipped ${file}: ${(e as Error).message}`);
      return null;
    }
  }
}

export function registerRunHistory(services: Services): vscode.Disposable {
  const provider = new RunHistoryProvider(services);
  const view = vscode.window.createTreeView('claudeLoad.history', { treeDataProvider: provider });
  return vscode.Disposable.from(
    view,
    services.runs.onDidFinish(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('claudeLoad.resultsFolder')) provider.refresh();
    }),
    vscode.commands.registerCommand('claudeLoad.history.refresh', () => provider.refresh()),
    vscode.commands.registerCommand('claudeLoad.history.reveal', (item?: RunItem) => {
      if (item) void vscode.commands.executeCommand('revealFileInOS', item.folder);
    }),
    vscode.commands.registerCommand('claudeLoad.history.delete', async (item?: RunItem) => {
      if (!item) return;
      const ok = await vscode.window.showWarningMessage(
        `Delete the saved run "${item.label as string}"? Its folder goes to the trash where the system has one.`,
        { modal: true },
        'Delete',
      );
      if (ok !== 'Delete') return;
      await vscode.workspace.fs
        .delete(item.folder, { recursive: true, useTrash: true })
        .then(undefined, () => vscode.workspace.fs.delete(item.folder, { recursive: true, useTrash: false }));
      provider.refresh();
    }),
  );
}

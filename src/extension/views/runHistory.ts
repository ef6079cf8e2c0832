// The Run History view in the Claude Load side bar: saved runs and sweeps, newest first, with a status
// icon, time, p95 (runs) or max sustainable RPM (sweeps), cost and why they stopped; open (a run's report,
// a sweep's panel), reveal in the file explorer, delete, and compare a multi-selection.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import * as vscode from 'vscode';
import { parseRunFile } from '../../core/index';
import { parseSweepFile } from '../../core/sweep/index';
import { SweepPanel } from '../panels/sweepPanel';
import { listRuns, listSweeps, runsRoot } from '../runStore';
import type { Services } from '../services';
import { runHistoryEntry, sweepHistoryEntry, type RunHistoryEntry } from './runHistoryModel';

type SavedKind = 'run' | 'sweep';
const leafOf: Record<SavedKind, string> = { run: 'run.json', sweep: 'sweep.json' };

export class RunItem extends vscode.TreeItem {
  /** run.json or sweep.json: what Compare Runs reads for this item. */
  readonly resultFile: string;

  constructor(
    readonly folder: vscode.Uri,
    readonly kind: SavedKind,
    entry: RunHistoryEntry,
  ) {
    super(entry.label, vscode.TreeItemCollapsibleState.None);
    this.resultFile = join(folder.fsPath, leafOf[kind]);
    this.description = entry.description;
    this.tooltip = entry.tooltip;
    this.iconPath = new vscode.ThemeIcon(entry.icon);
    this.contextValue = kind === 'run' ? 'claudeLoad.run' : 'claudeLoad.sweep';
    this.resourceUri = folder;
    this.command =
      kind === 'run'
        ? { command: 'claudeLoad.openReport', title: 'Open Run Report', arguments: [folder] }
        : { command: 'claudeLoad.history.openSweep', title: 'Open Sweep', arguments: [this] };
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
    const root = runsRoot(this.services.context, this.services.settings());
    const saved = [
      ...(await listRuns(root)).map((r) => ({ ...r, kind: 'run' as const })),
      ...(await listSweeps(root)).map((r) => ({ ...r, kind: 'sweep' as const })),
    ].sort((a, b) => b.mtime - a.mtime);
    // Saved runs can be many MB each (histograms, windows): read a few at a time, not one by one
    // (slow for a long history) nor all at once (memory and open files).
    const limit = pLimit(4);
    const entries = await Promise.all(saved.map((r) => limit(() => this.entryFor(r.folder, r.kind))));
    return saved.flatMap((r, i) => {
      const entry = entries[i];
      return entry ? [new RunItem(r.folder, r.kind, entry)] : [];
    });
  }

  private async entryFor(folder: vscode.Uri, kind: SavedKind): Promise<RunHistoryEntry | null> {
    const file = join(folder.fsPath, leafOf[kind]);
    try {
      const { mtimeMs } = await stat(file);
      const hit = this.cache.get(file);
      if (hit && hit.mtime === mtimeMs) return hit.entry;
      const text = await readFile(file, 'utf8');
      const entry =
        kind === 'run'
          ? runHistoryEntry(parseRunFile(text, file))
          : sweepHistoryEntry(parseSweepFile(text, file));
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
  const view = vscode.window.createTreeView('claudeLoad.history', {
    treeDataProvider: provider,
    canSelectMany: true,
  });
  return vscode.Disposable.from(
    view,
    services.runs.onDidFinish(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('claudeLoad.resultsFolder')) provider.refresh();
    }),
    vscode.commands.registerCommand('claudeLoad.history.refresh', () => provider.refresh()),
    vscode.commands.registerCommand('claudeLoad.history.openSweep', async (item?: RunItem) => {
      if (!item || item.kind !== 'sweep') return;
      try {
        const result = parseSweepFile(await readFile(item.resultFile, 'utf8'), item.resultFile);
        SweepPanel.showSaved(services, result, item.folder, join(item.folder.fsPath, 'report.html'));
      } catch (e) {
        void vscode.window.showErrorMessage(`Open Sweep: ${(e as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('claudeLoad.history.reveal', (item?: RunItem) => {
      if (item) void vscode.commands.executeCommand('revealFileInOS', item.folder);
    }),
    vscode.commands.registerCommand('claudeLoad.history.delete', async (item?: RunItem) => {
      if (!item) return;
      const ok = await vscode.window.showWarningMessage(
        `Delete the saved ${item.kind} "${item.label as string}"? Its folder goes to the trash where the system has one.`,
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

// The results panel: the same report app as report.html, fed over postMessage, with export buttons.
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import {
  renderReportHtml,
  serializeRun,
  timeseriesCsv,
  type BatchView,
  type RunResult,
} from '../../core/index';
import type { ExportFormat, HostToReport, ReportToHost } from '../../shared/protocol/messages';
import { isReportToHost } from '../../shared/protocol/guards';
import { reportAssets } from '../runStore';
import type { Services } from '../services';
import { openWebviewPanel } from '../webviews/vscodeWebviews';
import type { WebviewHandler, WebviewHost } from '../webviews/webviewHost';

/** Open results panels by run (its saved folder, or name and start time): one panel per run. */
const panels = new Map<string, vscode.WebviewPanel>();

/** The results panel's handler: shows one run and exports it. */
class ReportHandler implements WebviewHandler<ReportToHost, HostToReport> {
  readonly app = 'report';
  readonly readyType = 'report/ready';
  readonly isMessage = isReportToHost;
  readonly themeChanged = { type: 'theme/changed' } as const;
  readonly title: string;

  constructor(
    private readonly services: Services,
    private readonly run: RunResult,
    private readonly folder: vscode.Uri | undefined,
    private readonly onClosed: () => void,
  ) {
    this.title = `Load test: ${run.name}`;
  }

  restore(host: WebviewHost<ReportToHost, HostToReport>): void {
    host.post({ type: 'run/show', run: this.run });
  }

  async onMessage(msg: ReportToHost): Promise<void> {
    if (msg.type === 'report/export') await exportRun(this.services, this.run, msg.format, this.folder);
  }

  onDispose(): void {
    this.onClosed();
  }
}

/** Opens (or reveals) the results panel for a run. `folder` is where it was saved, if it was. */
export function showReportPanel(
  services: Services,
  run: RunResult,
  folder?: vscode.Uri,
): vscode.WebviewPanel {
  const id = folder?.toString() ?? `${run.name}@${run.startedAt}`;
  const existing = panels.get(id);
  if (existing) {
    existing.reveal();
    return existing;
  }
  const handler = new ReportHandler(services, run, folder, () => panels.delete(id));
  const { panel } = openWebviewPanel(services, 'claudeLoad.report', handler);
  panels.set(id, panel);
  return panel;
}

/** The results panel showing a Message Batches run (its batch section); batch.json is its export. */
class BatchReportHandler implements WebviewHandler<ReportToHost, HostToReport> {
  readonly app = 'report';
  readonly readyType = 'report/ready';
  readonly isMessage = isReportToHost;
  readonly themeChanged = { type: 'theme/changed' } as const;
  readonly title: string;

  constructor(
    private readonly view: BatchView,
    private readonly onClosed: () => void,
  ) {
    this.title = `Batch: ${view.report.name}`;
  }

  restore(host: WebviewHost<ReportToHost, HostToReport>): void {
    host.post({ type: 'batch/show', batch: this.view });
  }

  onMessage(): void {
    // The batch section has no export buttons: batch.json is saved with the run.
  }

  onDispose(): void {
    this.onClosed();
  }
}

/** Opens (or reveals) the results panel for a batch run, keyed by its batch ids. */
export function showBatchPanel(services: Services, view: BatchView): vscode.WebviewPanel {
  const id = `batch:${view.report.batches.map((b) => b.id).join(',')}`;
  const existing = panels.get(id);
  if (existing) {
    existing.reveal();
    return existing;
  }
  const { panel } = openWebviewPanel(
    services,
    'claudeLoad.report',
    new BatchReportHandler(view, () => panels.delete(id)),
  );
  panels.set(id, panel);
  return panel;
}

async function exportRun(
  services: Services,
  run: RunResult,
  format: ExportFormat,
  folder?: vscode.Uri,
): Promise<void> {
  const ext = format === 'json' ? 'json' : format;
  // Not the run's own run.json / report.html / timeseries.csv: a default that overwrites them loses data.
  const kind = format === 'json' ? 'run' : format === 'csv' ? 'timeseries' : 'report';
  const runFolderName = folder ? folder.path.split('/').filter(Boolean).at(-1) : undefined;
  const base = `${runFolderName ?? 'claude-load'}-${kind}-export.${ext}`;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, base) : undefined,
    filters: { [format.toUpperCase()]: [ext] },
    saveLabel: `Export ${format.toUpperCase()}`,
    title: `Export the run "${run.name}" as ${format.toUpperCase()}`,
  });
  if (!target) return;
  const text =
    format === 'json'
      ? serializeRun(run)
      : format === 'csv'
        ? timeseriesCsv(run)
        : renderReportHtml(JSON.parse(serializeRun(run)) as RunResult, reportAssets(services.extensionUri));
  await writeFile(target.fsPath, text, 'utf8');
  services.log.info(`Exported ${format.toUpperCase()} to ${target.fsPath}`);
  void vscode.window.showInformationMessage(`Exported ${target.fsPath}`);
}

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

/** What a results panel shows: a load test (with export) or a Message Batches run (batch.json is saved). */
type PanelContent =
  { kind: 'run'; run: RunResult; folder?: vscode.Uri } | { kind: 'batch'; batch: BatchView };

/** The results panel's handler: shows one run (and exports it) or one batch run. */
class ReportHandler implements WebviewHandler<ReportToHost, HostToReport> {
  readonly app = 'report';
  readonly readyType = 'report/ready';
  readonly isMessage = isReportToHost;
  readonly themeChanged = { type: 'theme/changed' } as const;
  readonly title: string;

  constructor(
    private readonly services: Services,
    private readonly content: PanelContent,
    private readonly onClosed: () => void,
  ) {
    this.title =
      content.kind === 'run' ? `Load test: ${content.run.name}` : `Batch: ${content.batch.report.name}`;
  }

  restore(host: WebviewHost<ReportToHost, HostToReport>): void {
    const c = this.content;
    host.post(c.kind === 'run' ? { type: 'run/show', run: c.run } : { type: 'batch/show', batch: c.batch });
  }

  async onMessage(msg: ReportToHost): Promise<void> {
    const c = this.content;
    if (msg.type === 'report/export' && c.kind === 'run')
      await exportRun(this.services, c.run, msg.format, c.folder);
  }

  onDispose(): void {
    this.onClosed();
  }
}

/** Opens (or reveals) the results panel keyed `id`. */
function showPanel(services: Services, id: string, content: PanelContent): vscode.WebviewPanel {
  const existing = panels.get(id);
  if (existing) {
    existing.reveal(existing.viewColumn);
    return existing;
  }
  const handler = new ReportHandler(services, content, () => panels.delete(id));
  const { panel } = openWebviewPanel(services, 'claudeLoad.report', handler);
  panels.set(id, panel);
  return panel;
}

/** Opens (or reveals) the results panel for a run. `folder` is where it was saved, if it was. */
export function showReportPanel(
  services: Services,
  run: RunResult,
  folder?: vscode.Uri,
): vscode.WebviewPanel {
  // By the folder's file-system path: a Uri from the history, the picker, a CodeLens or the live view's
  // button may differ in its encoding, and must still find the run's one tab.
  return showPanel(services, folder ? `file:${folder.fsPath}` : `${run.name}@${run.startedAt}`, {
    kind: 'run',
    run,
    folder,
  });
}

/** Opens (or reveals) the results panel for a batch run (its batch section), keyed by its batch ids. */
export function showBatchPanel(services: Services, batch: BatchView): vscode.WebviewPanel {
  return showPanel(services, `batch:${batch.report.batches.map((b) => b.id).join(',')}`, {
    kind: 'batch',
    batch,
  });
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

// The results panel: the same report app as report.html, fed over postMessage, with export buttons.
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { renderReportHtml, serializeRun, timeseriesCsv, type RunResult } from '../../core/index';
import type { ExportFormat, HostToReport } from '../../shared/protocol/messages';
import { isReportToHost } from '../../shared/protocol/guards';
import { reportAssets } from '../runStore';
import type { Services } from '../services';
import { loadWebviewApp } from './webviewSetup';

const panels = new Map<string, vscode.WebviewPanel>();

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
  const panel = vscode.window.createWebviewPanel(
    'claudeLoad.report',
    `Load test: ${run.name}`,
    vscode.ViewColumn.Active,
    { enableScripts: true, retainContextWhenHidden: false },
  );
  panels.set(id, panel);
  loadWebviewApp(panel.webview, services.extensionUri, 'report', `Load test: ${run.name}`);
  const post = (m: HostToReport) => void panel.webview.postMessage(m);
  const sub = panel.webview.onDidReceiveMessage(async (msg: unknown) => {
    if (!isReportToHost(msg)) {
      services.log.warn(`report panel: ignored an unexpected message`);
      return;
    }
    if (msg.type === 'report/ready') post({ type: 'run/show', run });
    else await exportRun(services, run, msg.format, folder);
  });
  panel.onDidDispose(() => {
    sub.dispose();
    panels.delete(id);
  });
  return panel;
}

async function exportRun(
  services: Services,
  run: RunResult,
  format: ExportFormat,
  folder?: vscode.Uri,
): Promise<void> {
  const ext = format === 'json' ? 'json' : format;
  const base = format === 'json' ? 'run.json' : format === 'csv' ? 'timeseries.csv' : 'report.html';
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, base) : undefined,
    filters: { [format.toUpperCase()]: [ext] },
    saveLabel: `Export ${format.toUpperCase()}`,
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

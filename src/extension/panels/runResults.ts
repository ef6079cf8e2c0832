// When a run ends (any command started it): open the results panel and say where it was saved.
import * as vscode from 'vscode';
import { fmtMs } from '../../core/index';
import type { Services } from '../services';
import { showReportPanel } from './reportPanel';

export function registerRunResults(services: Services): vscode.Disposable {
  return services.runs.onDidFinish(({ result, folder }) => {
    showReportPanel(services, result, folder);
    const s = result.summary;
    const failed = s.thresholds.filter((t) => !t.pass);
    const text =
      `Load test "${result.name}" ${s.stopReason === 'aborted' ? 'stopped' : 'finished'}: ${s.requests.ok}/${s.requests.total} ok, ` +
      `p95 ${fmtMs(s.latencyMs.p95)}` +
      (failed.length ? `, ${failed.length} threshold(s) failed` : '') +
      (folder ? `. Saved to ${vscode.workspace.asRelativePath(folder)}.` : '.');
    const reveal = 'Reveal folder';
    const show = failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(text, ...(folder ? [reveal] : [])).then((pick) => {
      if (pick === reveal && folder) void vscode.commands.executeCommand('revealFileInOS', folder);
    });
  });
}

// Claude: Run Load Test from Plan File: the active *.claudeload.json (or the CodeLens's file). A plan
// with "via": "batches" is submitted as Message Batches instead (batchRun.ts).
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { parseJsonc, parseScenario } from '../../core/index';
import type { Services } from '../services';
import { confirmCost } from '../costGuard';
import { runBatchPlan } from '../batchRun';

export function registerRunPlanFile(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('claudeLoad.runPlanFile', async (uri?: vscode.Uri) => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || !target.path.endsWith('.claudeload.json')) {
      void vscode.window.showErrorMessage(
        'Open a *.claudeload.json plan file first (Claude: New Load Test Plan creates one).',
      );
      return;
    }
    const doc = await vscode.workspace.openTextDocument(target);
    if (doc.isDirty) await doc.save();
    let scenario;
    try {
      const raw = parseJsonc(doc.getText(), target.fsPath);
      scenario = parseScenario(raw, {
        catalog: services.catalog(),
        baseDir: dirname(target.fsPath),
        source: target.fsPath,
      });
    } catch (e) {
      void vscode.window.showErrorMessage(
        `${vscode.workspace.asRelativePath(target)}: ${(e as Error).message}`,
      );
      return;
    }
    if (scenario.via === 'batches') {
      await runBatchPlan(services, scenario, { sourceFile: target });
      return;
    }
    if (!(await confirmCost(services, scenario))) return;
    await vscode.commands.executeCommand('claudeLoad.showLatencyCharts');
    await services.runs.start(scenario, { sourceFile: target });
  });
}

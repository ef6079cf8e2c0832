// Claude: Run Load Test: the guided flow, a cost check when money is at stake, then the run.
import * as vscode from 'vscode';
import { parseScenario } from '../../core/index';
import { confirmCost } from '../costGuard';
import { runWizard } from '../runWizard';
import type { Services } from '../services';

export function registerRunLoadTest(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('claudeLoad.runLoadTest', async () => {
    const raw = await runWizard(services);
    if (!raw) return;
    let scenario;
    try {
      scenario = parseScenario(raw, { catalog: services.catalog() });
    } catch (e) {
      void vscode.window.showErrorMessage(`Cannot run this load test: ${(e as Error).message}`);
      return;
    }
    if (!(await confirmCost(services, scenario))) return;
    await vscode.commands.executeCommand('claudeLoad.showLatencyCharts');
    await services.runs.start(scenario);
  });
}

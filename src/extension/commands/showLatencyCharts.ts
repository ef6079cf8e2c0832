// Claude: Show Latency Charts — reveals the Latency view in the Claude Load activity-bar container
// (the status bar item runs it on click). `<viewId>.focus` is the command VS Code adds for every view.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { latencyViewId } from '../views/latencyView';

export const showLatencyChartsCommand = 'claudeLoad.showLatencyCharts';

export async function showLatencyCharts(): Promise<void> {
  await vscode.commands.executeCommand(`${latencyViewId}.focus`);
}

export function registerShowLatencyCharts(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(showLatencyChartsCommand, async () => {
    try {
      await showLatencyCharts();
    } catch (e) {
      services.log.error(`Could not show the Latency view: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

// Claude: Stop Load Test. Partial results are kept and saved.
import * as vscode from 'vscode';
import type { Services } from '../services';

export function registerStopLoadTest(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('claudeLoad.stopLoadTest', () => {
    if (!services.runs.isRunning) {
      void vscode.window.showInformationMessage('No load test is running.');
      return;
    }
    services.runs.stop();
  });
}

// Claude: New Load Test Plan: a documented plan file, runnable as is on the simulator.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { planScaffold } from '../planFiles/scaffold';
import type { Services } from '../services';

export function registerNewPlan(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('claudeLoad.newPlan', async () => {
    const s = services.settings();
    const text = planScaffold(s.defaultModel, s.simulator.tier);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder) {
      // No workspace: an untitled editor the user can save anywhere.
      const doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content: text });
      await vscode.window.showTextDocument(doc);
      return;
    }
    let uri = vscode.Uri.joinPath(folder, 'load-test.claudeload.json');
    for (let i = 2; existsSync(uri.fsPath); i++)
      uri = vscode.Uri.joinPath(folder, `load-test-${i}.claudeload.json`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await vscode.window.showTextDocument(uri);
  });
}

// "Run load test | Plan capacity | Sweep | Rehearse scaling | Open last report" at the top of every plan file.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { planFilePattern } from './diagnostics';

class PlanCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly services: Services) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, {
        // The same command submits a "via": "batches" plan as Message Batches.
        title: /"via"\s*:\s*"batches"/.test(doc.getText()) ? '$(play) Run as batch' : '$(play) Run load test',
        command: 'claudeLoad.runPlanFile',
        arguments: [doc.uri],
      }),
      new vscode.CodeLens(top, {
        title: '$(graph) Plan capacity',
        command: 'claudeLoad.planCapacity',
        arguments: [{ planFile: doc.uri }],
      }),
      new vscode.CodeLens(top, {
        title: '$(pulse) Sweep',
        command: 'claudeLoad.findMaxThroughput',
        arguments: [doc.uri],
      }),
      new vscode.CodeLens(top, {
        title: '$(server-process) Rehearse scaling',
        command: 'claudeLoad.rehearseScaling',
        arguments: [doc.uri],
      }),
    ];
    const last = this.services.runs.lastReportFor(doc.uri);
    if (last) {
      lenses.push(
        new vscode.CodeLens(top, {
          title: '$(file) Open last report',
          command: 'claudeLoad.openReport',
          arguments: [last],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerPlanCodeLens(services: Services): vscode.Disposable {
  const provider = new PlanCodeLensProvider(services);
  return vscode.Disposable.from(
    provider,
    vscode.languages.registerCodeLensProvider({ pattern: planFilePattern }, provider),
    // A finished run adds "Open last report".
    services.runs.onDidFinish(() => provider.refresh()),
  );
}

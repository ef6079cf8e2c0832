// Quick Fix for an unknown or renamed model in a plan file: the diagnostic's "Did you mean X?" (or an
// alias's "Use X or Y.") becomes one "Replace with X" action per suggested id.
import * as vscode from 'vscode';
import { isPlanFile, planFilePattern } from './diagnostics';
import { replacementText, suggestedModels } from './modelSuggestions';
import type { Services } from '../services';

class ModelQuickFix implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (!isPlanFile(doc)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== 'Claude Load') continue;
      suggestedModels(d.message).forEach((id, i) => {
        const action = new vscode.CodeAction(`Replace with ${id}`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, d.range, replacementText(doc.getText(d.range), id));
        action.diagnostics = [d];
        action.isPreferred = i === 0;
        actions.push(action);
      });
    }
    return actions;
  }
}

export function registerModelQuickFix(_services: Services): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider({ pattern: planFilePattern }, new ModelQuickFix(), {
    providedCodeActionKinds: ModelQuickFix.kinds,
  });
}

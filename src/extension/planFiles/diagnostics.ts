// Semantic checks of *.claudeload.json beyond the JSON schema (which VS Code applies through
// contributes.jsonValidation): unknown or retired models, impossible values, deprecated models.
import * as vscode from 'vscode';
import { planFileProblems } from './problems';
import type { Services } from '../services';

export const planFilePattern = '**/*.claudeload.json';

export function isPlanFile(doc: vscode.TextDocument): boolean {
  return doc.uri.path.endsWith('.claudeload.json');
}

const severities = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;

/** Editor diagnostics for one plan file (the checks themselves live in problems.ts). */
export function planDiagnostics(doc: vscode.TextDocument, services: Services): vscode.Diagnostic[] {
  return planFileProblems(
    doc.getText(),
    doc.uri.fsPath,
    services.catalog(),
    services.settings().budgetPerRunUsd,
  ).map((p) => {
    const range = new vscode.Range(
      doc.positionAt(p.offset),
      doc.positionAt(p.offset + Math.max(1, p.length)),
    );
    const d = new vscode.Diagnostic(range, p.message, severities[p.severity]);
    d.source = 'Claude Load';
    return d;
  });
}

export function registerPlanDiagnostics(services: Services): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('claudeLoad');
  const timers = new Map<string, NodeJS.Timeout>();
  const refresh = (doc: vscode.TextDocument) => {
    if (!isPlanFile(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    // Debounced: checking on every keystroke would re-read JSONL prompt files needlessly.
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        try {
          collection.set(doc.uri, planDiagnostics(doc, services));
        } catch (e) {
          services.log.warn(`plan file check failed: ${(e as Error).message}`);
        }
      }, 300),
    );
  };
  vscode.workspace.textDocuments.forEach(refresh);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => refresh(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}

// Semantic checks of *.claudeload.json beyond the JSON schema (which VS Code applies through
// contributes.jsonValidation): unknown or retired models, impossible values, deprecated models.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import {
  findFieldRange,
  findModel,
  JsoncError,
  parseJsonc,
  parseScenario,
  ScenarioError,
} from '../../core/index';
import type { Services } from '../services';

export const planFilePattern = '**/*.claudeload.json';

export function isPlanFile(doc: vscode.TextDocument): boolean {
  return doc.uri.path.endsWith('.claudeload.json');
}

/** Diagnostics for one plan file's text (exported for tests through the extension API). */
export function planDiagnostics(doc: vscode.TextDocument, services: Services): vscode.Diagnostic[] {
  const text = doc.getText();
  const range = (offset: number, length: number) =>
    new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + Math.max(1, length)));
  let raw: unknown;
  try {
    raw = parseJsonc(text, doc.uri.fsPath);
  } catch (e) {
    // VS Code's JSON support already reports syntax errors; one of ours would duplicate them.
    if (e instanceof JsoncError) return [];
    throw e;
  }
  const out: vscode.Diagnostic[] = [];
  const catalog = services.catalog();
  try {
    const scenario = parseScenario(raw, {
      catalog,
      baseDir: dirname(doc.uri.fsPath),
      source: doc.uri.fsPath,
    });
    for (const [i, m] of scenario.models.entries()) {
      const entry = findModel(catalog, m.model);
      if (entry?.status === 'deprecated') {
        const field = scenario.models.length > 1 || 'mix' in (raw as object) ? `mix[${i}].model` : 'model';
        const r = findFieldRange(text, field);
        out.push(
          new vscode.Diagnostic(
            range(r.offset, r.length),
            `${m.model} is deprecated: end of life ${entry.endOfLife}. Move to ${entry.replacement ?? 'a current model'}.`,
            vscode.DiagnosticSeverity.Warning,
          ),
        );
      }
    }
    if (scenario.target.kind !== 'simulator' && scenario.maxCostUsd === undefined) {
      const r = findFieldRange(text, 'target');
      out.push(
        new vscode.Diagnostic(
          range(r.offset, r.length),
          `This plan sends real requests with no "maxCostUsd": the claudeLoad.budgetPerRunUsd setting ($${services.settings().budgetPerRunUsd}) will cap it.`,
          vscode.DiagnosticSeverity.Information,
        ),
      );
    }
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const r = findFieldRange(text, e.field);
    const d = new vscode.Diagnostic(range(r.offset, r.length), e.message, vscode.DiagnosticSeverity.Error);
    d.source = 'Claude Load';
    out.push(d);
  }
  for (const d of out) d.source = 'Claude Load';
  return out;
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

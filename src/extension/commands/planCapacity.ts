// Claude: Plan Capacity: opens the capacity planner. From a plan file's CodeLens ({ planFile }) or the
// explorer (a Uri), the file's `plan` section (or its model/mix) becomes the planner's input.
import * as vscode from 'vscode';
import { parseJsonc } from '../../core/index';
import { PlannerPanel, plannerLastInputKey } from '../panels/plannerPanel';
import { defaultPlanInput, planInputFromPlanFile } from '../../core/planFile/fromCapacityPlan';
import type { Services } from '../services';

export interface PlanCapacityArgs {
  planFile?: vscode.Uri;
}

function planFileOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const file = (arg as PlanCapacityArgs | undefined)?.planFile;
  return file instanceof vscode.Uri ? file : undefined;
}

async function inputFromFile(
  services: Services,
  uri: vscode.Uri,
): Promise<Record<string, unknown> | undefined> {
  // The open document, so unsaved edits count.
  const text = (await vscode.workspace.openTextDocument(uri)).getText();
  const fallback =
    services.context.workspaceState.get<Record<string, unknown>>(plannerLastInputKey) ??
    defaultPlanInput(services.settings().defaultModel);
  return planInputFromPlanFile(parseJsonc(text, uri.fsPath), fallback);
}

export function registerPlanCapacity(services: Services): vscode.Disposable {
  const command = vscode.commands.registerCommand('claudeLoad.planCapacity', async (arg?: unknown) => {
    const planFile = planFileOf(arg);
    let input: Record<string, unknown> | undefined;
    if (planFile) {
      try {
        input = await inputFromFile(services, planFile);
        if (!input) {
          void vscode.window.showInformationMessage(
            `${vscode.workspace.asRelativePath(planFile)} has no "plan" section or model: starting from the last planner input.`,
          );
        }
      } catch (e) {
        void vscode.window.showErrorMessage(`Cannot read ${planFile.fsPath}: ${(e as Error).message}`);
      }
    }
    PlannerPanel.show(services, input);
  });
  return vscode.Disposable.from(command, { dispose: () => PlannerPanel.close() });
}

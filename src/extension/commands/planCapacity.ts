// Claude: Plan Capacity: opens the capacity planner. From a plan file's CodeLens ({ planFile }) or the
// explorer (a Uri), the file's `plan` section (or its model/mix) becomes the planner's input.
import * as vscode from 'vscode';
import { parseJsonc } from '../../core/index';
import { PlannerPanel } from '../panels/plannerPanel';
import { defaultPlanInput, planInputFromPlanFile } from '../../core/planFile/fromCapacityPlan';
import type { PlanFileInput } from '../../core/planFile/fromCapacityPlan';
import type { Services } from '../services';

export interface PlanCapacityArgs {
  planFile?: vscode.Uri;
}

function planFileOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const file = (arg as PlanCapacityArgs | undefined)?.planFile;
  return file instanceof vscode.Uri ? file : undefined;
}

async function inputFromFile(services: Services, uri: vscode.Uri): Promise<PlanFileInput | undefined> {
  // The open document, so unsaved edits count. What the file does not say comes from the defaults, never
  // from the planner's last input: the form shows this file's workload and nothing else.
  const text = (await vscode.workspace.openTextDocument(uri)).getText();
  return planInputFromPlanFile(
    parseJsonc(text, uri.fsPath),
    defaultPlanInput(services.settings().defaultModel),
  );
}

export function registerPlanCapacity(services: Services): vscode.Disposable {
  const command = vscode.commands.registerCommand('claudeLoad.planCapacity', async (arg?: unknown) => {
    const planFile = planFileOf(arg);
    let input: Record<string, unknown> | undefined;
    if (planFile) {
      const name = vscode.workspace.asRelativePath(planFile);
      try {
        const fromFile = await inputFromFile(services, planFile);
        input = fromFile?.input;
        // Say where the numbers came from, so nothing on the form is a surprise.
        void vscode.window.showInformationMessage(
          fromFile
            ? `Planning ${name}: ${fromFile.notes.join('; ')}. Anything else is the planner's default.`
            : `${name} has no "plan" section or model: starting from the last planner input.`,
        );
      } catch (e) {
        void vscode.window.showErrorMessage(`Cannot read ${planFile.fsPath}: ${(e as Error).message}`);
      }
    }
    PlannerPanel.show(services, input);
  });
  return vscode.Disposable.from(command, { dispose: () => PlannerPanel.close() });
}

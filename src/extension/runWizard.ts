// The guided "Claude: Run Load Test" flow in VS Code: quick picks and input boxes with a Back button, over
// the steps in ./runWizardFlow.ts. Escape at any step cancels the whole flow (undefined).
import * as vscode from 'vscode';
import { builtinCatalog } from '../core/index';
import { back, runWizardFlow } from './runWizardFlow';
import type { Answer, WizardItem, WizardQuestion, WizardUi } from './runWizardFlow';
import type { Services } from './services';

/** Resolves once with the first answer: accepted, Back, or hidden (Escape, focus elsewhere). */
function ask<T>(
  input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox,
  q: WizardQuestion,
  onAccept: (settle: (v: Answer<T>) => void) => void,
): Promise<Answer<T>> {
  input.title = q.title;
  input.ignoreFocusOut = true;
  input.buttons = q.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  return new Promise<Answer<T>>((resolve) => {
    let done = false;
    const settle = (v: Answer<T>) => {
      if (done) return;
      done = true;
      resolve(v);
      input.dispose();
    };
    input.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) settle(back);
    });
    input.onDidHide(() => settle(undefined));
    onAccept(settle);
    input.show();
  });
}

const vscodeUi: WizardUi = {
  pick<T>(q: WizardQuestion & { items: WizardItem<T>[]; active?: T }): Promise<Answer<T>> {
    const picker = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
    picker.items = q.items;
    const active = q.items.find((i) => q.active !== undefined && i.value === q.active);
    if (active) picker.activeItems = [active];
    return ask<T>(picker as vscode.QuickPick<vscode.QuickPickItem>, q, (settle) =>
      picker.onDidAccept(() => {
        const chosen = picker.selectedItems[0] ?? picker.activeItems[0];
        if (chosen) settle(chosen.value);
      }),
    );
  },
  input(q) {
    const box = vscode.window.createInputBox();
    box.prompt = q.prompt;
    box.value = q.value;
    box.onDidChangeValue((v) => (box.validationMessage = q.validate(v)));
    return ask<string>(box, q, (settle) =>
      box.onDidAccept(() => {
        const problem = q.validate(box.value);
        box.validationMessage = problem;
        if (!problem) settle(box.value);
      }),
    );
  },
  async noKey(target) {
    const setKey = 'Set API Key';
    const sim = 'Use the simulator';
    const answer = await vscode.window.showErrorMessage(
      `No API key for ${target}. Set one (Claude: Set API Key), or run against the built-in simulator.`,
      setKey,
      sim,
    );
    if (answer === sim) return 'simulator';
    if (answer !== setKey) return undefined;
    await vscode.commands.executeCommand('claudeLoad.setApiKey');
    return 'retry';
  },
};

/** Returns a plan object for parseScenario, or undefined when the user cancelled. */
export async function runWizard(services: Services): Promise<Record<string, unknown> | undefined> {
  const settings = services.settings();
  const editor = vscode.window.activeTextEditor;
  return runWizardFlow(vscodeUi, {
    settings,
    models: (services.catalog() ?? builtinCatalog).models,
    keySource: async () => (await services.keys.get())?.source,
    editor: editor && {
      selection: editor.selection.isEmpty ? '' : editor.document.getText(editor.selection),
      text: editor.document.getText(),
      name: vscode.workspace.asRelativePath(editor.document.uri),
    },
  });
}

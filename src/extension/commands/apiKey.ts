// Claude: Set API Key / Claude: Clear API Key. The key goes only to SecretStorage.
import * as vscode from 'vscode';
import type { Services } from '../services';

export function registerApiKeyCommands(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('claudeLoad.setApiKey', async () => {
      const key = await vscode.window.showInputBox({
        title: 'Claude: Set API Key',
        prompt: 'Your Anthropic API key. It is kept in VS Code secret storage, never in settings or logs.',
        placeHolder: 'sk-ant-...',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) =>
          !v.trim()
            ? 'Enter a key, or press Escape to cancel.'
            : /\s/.test(v.trim())
              ? 'A key has no spaces.'
              : undefined,
      });
      if (!key) return;
      await services.keys.set(key.trim());
      const note = key.trim().startsWith('sk-ant-')
        ? ''
        : ' (it does not start with sk-ant-: check it is an Anthropic key)';
      void vscode.window.showInformationMessage(`API key saved in secret storage${note}.`);
    }),
    vscode.commands.registerCommand('claudeLoad.clearApiKey', async () => {
      await services.keys.clear();
      const fallback = process.env.ANTHROPIC_API_KEY
        ? ' ANTHROPIC_API_KEY from the environment will still be used.'
        : '';
      void vscode.window.showInformationMessage(`API key removed from secret storage.${fallback}`);
    }),
  );
}

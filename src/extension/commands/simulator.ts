// Claude: Start Local Simulator / Claude: Stop Local Simulator.
import * as vscode from 'vscode';
import type { Services } from '../services';

export function registerSimulatorCommands(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('claudeLoad.startSimulator', async () => {
      try {
        const url = await services.simulator.start();
        const copy = 'Copy base URL';
        const pick = await vscode.window.showInformationMessage(
          `Claude simulator listening on ${url} (any non-empty API key is accepted).`,
          copy,
        );
        if (pick === copy) await vscode.env.clipboard.writeText(url);
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not start the simulator: ${(e as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('claudeLoad.stopSimulator', async () => {
      const stopped = await services.simulator.stop();
      void vscode.window.showInformationMessage(
        stopped ? 'Claude simulator stopped.' : 'The simulator is not running.',
      );
    }),
  );
}

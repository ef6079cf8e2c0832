// VS Code entry point: thin glue over src/core. Commands are registered as they are built.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Commands arrive with the extension issue; activation is kept free of work so start-up stays fast.
}

export function deactivate(): void {}

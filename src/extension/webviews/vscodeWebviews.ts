// The VS Code side of the webview host: the environment it runs in, and opening a handler in an editor
// panel or a sidebar view. See ./webviewHost.ts for how to add a panel.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { WebviewHost } from './webviewHost';
import type { WebviewEnvironment, WebviewHandler } from './webviewHost';

/** Where the built webview apps are (the only folder a webview may load from). */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewEnvironment(services: Services): WebviewEnvironment {
  const resourceRoot = webviewRoot(services.extensionUri);
  return {
    resourceRoot,
    resourceUri: (webview, file) => webview.asWebviewUri(vscode.Uri.joinPath(resourceRoot, file)).toString(),
    onDidChangeTheme: vscode.window.onDidChangeActiveColorTheme,
    warn: (message) => services.log.warn(message),
    onError: (where, e) => {
      const message = e instanceof Error ? e.message : String(e);
      services.log.error(`${where}: ${message}`);
      void vscode.window.showErrorMessage(`${where}: ${message}`);
    },
  };
}

export interface OpenPanelOptions {
  /** Default: the active column. */
  column?: vscode.ViewColumn;
}

/** Opens `handler` in a new editor panel; closing the panel disposes the host (and calls onDispose). */
export function openWebviewPanel<In extends { type: string }, Out extends { type: string }>(
  services: Services,
  viewType: string,
  handler: WebviewHandler<In, Out>,
  options: OpenPanelOptions = {},
): { panel: vscode.WebviewPanel; host: WebviewHost<In, Out> } {
  const panel = vscode.window.createWebviewPanel(
    viewType,
    handler.title,
    options.column ?? vscode.ViewColumn.Active,
    { enableScripts: true, retainContextWhenHidden: false },
  );
  return { panel, host: new WebviewHost(panel, handler, webviewEnvironment(services)) };
}

/** Hosts `handler` in a resolved sidebar view (call from `resolveWebviewView`). */
export function hostWebviewView<In extends { type: string }, Out extends { type: string }>(
  services: Services,
  view: vscode.WebviewView,
  handler: WebviewHandler<In, Out>,
): WebviewHost<In, Out> {
  return new WebviewHost(view, handler, webviewEnvironment(services));
}

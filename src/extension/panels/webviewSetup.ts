// Wires a webview to one built app: options (scripts on, resources limited to dist/webview) and HTML.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewHtml } from '../webviewHtml';

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

/** Sets options and HTML for app `dist/webview/<app>.js`. */
export function loadWebviewApp(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  app: string,
  title: string,
): void {
  const root = webviewRoot(extensionUri);
  webview.options = webviewOptions(extensionUri);
  webview.html = webviewHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, `${app}.js`)).toString(),
    toolkitUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'toolkit.min.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'styles.css')).toString(),
    title,
  });
}

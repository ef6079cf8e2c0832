// The HTML every webview gets: strict CSP with a per-load nonce, the built app, the shared styles and
// (only where used) the toolkit. Pure: no vscode import, so browser tests render the same page.
import { escapeHtml } from '../../core/format/escapeHtml';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the only origin scripts, styles, fonts and images may come from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  toolkitUri: string;
  styleUri: string;
  title?: string;
}

export function webviewHtml(o: WebviewHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource} data:`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${o.nonce}">
<link rel="stylesheet" href="${o.styleUri}">
<title>${escapeHtml(o.title ?? 'Claude Load & Scale')}</title>
</head>
<body>
<div id="app"></div>
<script type="module" nonce="${o.nonce}" src="${o.toolkitUri}"></script>
<script nonce="${o.nonce}" src="${o.scriptUri}"></script>
</body>
</html>`;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webviewHtml } from '../../src/extension/webviews/webviewHtml';

test('every webview page has a strict nonce CSP and loads only from the webview origin', () => {
  const html = webviewHtml({
    cspSource: 'vscode-webview://abc',
    nonce: 'N0nce',
    scriptUri: 'vscode-webview://abc/dist/webview/report.js',
    toolkitUri: 'vscode-webview://abc/dist/webview/toolkit.min.js',
    styleUri: 'vscode-webview://abc/dist/webview/styles.css',
    title: 'Run <b>',
  });
  const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-N0nce'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  // Every script carries the nonce; nothing is loaded from the network.
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.equal(scripts.length, 2);
  for (const s of scripts) assert.match(s, /nonce="N0nce"/);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.match(html, /<title>Run &lt;b&gt;<\/title>/);
});

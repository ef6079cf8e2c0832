// A standalone, offline report.html: the run JSON, the report app's bundle and the CSS, all inline.
import { createHash } from 'node:crypto';
import type { RunResult } from '../model/run';
import { escapeHtml } from '../format/escapeHtml';

/** The built report app (dist/webview/report.js) and the shared stylesheet (dist/webview/styles.css). */
export interface ReportAssets {
  script: string;
  css: string;
}

/**
 * JSON that is safe inside a <script> element: every `<` becomes \u003c, so neither `</script` nor `<!--`
 * can appear. JSON.parse reads the escape back as `<`.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Makes bundled JS safe to inline: no closing tag or comment opener, no link to a source map file. */
export function inlineScript(js: string): string {
  return js
    .replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--');
}

function inlineCss(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

export function renderReportHtml(run: RunResult, assets: ReportAssets): string {
  const script = inlineScript(assets.script);
  // A hash-based CSP: only this exact script may run, and nothing can be fetched (the file is offline).
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
  ].join('; ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="claude-load-scale">',
    `<title>${escapeHtml(`${run.name}: Claude Load & Scale report`)}</title>`,
    `<style>\n${inlineCss(assets.css)}\n</style>`,
    '</head>',
    '<body class="standalone">',
    '<main id="app"><noscript>This report draws with JavaScript. The same numbers are in run.json and ' +
      'timeseries.csv next to this file.</noscript></main>',
    `<script type="application/json" id="run-data">${embedJson(run)}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

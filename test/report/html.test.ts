import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { embedJson, renderReportHtml } from '../../src/core/report/html';
import { makeSampleRun } from '../fixtures/sampleRun';

const assets = {
  script: 'console.log("app </script> <!-- x");\n//# sourceMappingURL=report.js.map\n',
  css: 'body { color: red; } /* </style> */',
};

/** The text between <script type="application/json" id="run-data"> and the next </script>. */
function payload(html: string): string {
  const open = '<script type="application/json" id="run-data">';
  const start = html.indexOf(open);
  assert.ok(start >= 0, 'run-data element present');
  const from = start + open.length;
  return html.slice(from, html.indexOf('</script>', from));
}

test('embeds the run as JSON that round-trips', () => {
  const run = makeSampleRun();
  const html = renderReportHtml(run, assets);
  assert.deepEqual(JSON.parse(payload(html)), JSON.parse(JSON.stringify(run)));
});

test('hostile strings cannot close the data element or open a comment', () => {
  const name = '</script><script>alert(1)</script><!-- <SCRIPT';
  const run = makeSampleRun({ name });
  const html = renderReportHtml(run, assets);
  const data = payload(html);
  assert.ok(!data.includes('<'), 'no < in the embedded JSON');
  assert.equal(JSON.parse(data).name, name);
  assert.ok(!html.includes('<script>alert'), 'no injected script');
  // The <title> is HTML-escaped.
  assert.match(html, /<title>&lt;\/script&gt;&lt;script&gt;alert\(1\)/);
  assert.equal(embedJson('<!--</script>'), '"\\u003c!--\\u003c/script>"');
});

test('inlines the app script and CSS safely, with a CSP hash that matches the script', () => {
  const html = renderReportHtml(makeSampleRun(), assets);
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  assert.equal(scripts.length, 1);
  const script = scripts[0] ?? '';
  assert.ok(script.includes('console.log("app <\\/script> <\\!-- x");'));
  assert.ok(!script.includes('sourceMappingURL'), 'no link to a source map file');
  const hash = createHash('sha256').update(script).digest('base64');
  assert.ok(html.includes(`script-src 'sha256-${hash}'`));
  assert.ok(html.includes("default-src 'none'"));
  assert.ok(html.includes('body { color: red; } /* <\\/style> */'));
  assert.equal((html.match(/<\/style>/g) ?? []).length, 1);
});

test('is offline: no external resources', () => {
  const html = renderReportHtml(makeSampleRun({ targetUrl: 'https://api.anthropic.com' }), assets);
  assert.doesNotMatch(html, /<(script|link|img|iframe)[^>]+(src|href)=/i);
  assert.doesNotMatch(html, /@import|url\(\s*['"]?https?:/i);
  // Outside the embedded data (where the target URL is a value), no http(s) URL at all.
  const withoutData = html.replace(payload(html), '');
  assert.doesNotMatch(withoutData, /https?:\/\//);
});

const built = 'dist/webview/report.js';
test(
  'with the real build: one inline script, no external references',
  { skip: !existsSync(built) && 'not built' },
  () => {
    const real = {
      script: readFileSync(built, 'utf8'),
      css: readFileSync('dist/webview/styles.css', 'utf8'),
    };
    const html = renderReportHtml(makeSampleRun(), real);
    assert.doesNotMatch(html, /<(script|link|img|iframe)[^>]+(src|href)=/i);
    assert.doesNotMatch(html, /@import|url\(\s*['"]?https?:/i);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.ok(!html.includes('sourceMappingURL'));
  },
);

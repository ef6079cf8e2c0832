// Smoke test of the webview harness with a fixture app (bundled here with esbuild, like scripts/build.mjs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import {
  canvasIsDrawn,
  cspViolations,
  pageErrors,
  post,
  posted,
  repoRoot,
  screenshot,
  startWebviewHarness,
  waitForPosted,
  webviewState,
} from './harness';
import type { WebviewHarness } from './harness';
import { webviewHtml } from '../../src/extension/webviews/webviewHtml';
import type { WebviewHtmlOptions } from '../../src/extension/webviews/webviewHtml';

const bundle = join(repoRoot, 'test-output', 'browser', 'fixtures', 'hello.js');
let harness: WebviewHarness | undefined;

before(async () => {
  await build({
    entryPoints: [join(repoRoot, 'test', 'browser', 'fixtures', 'hello', 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
  });
  assert.ok(
    existsSync(join(repoRoot, 'dist', 'webview', 'toolkit.min.js')),
    'run the build first (toolkit copy)',
  );
  harness = await startWebviewHarness();
});

after(async () => {
  await harness?.close();
});

/** Everything the CSP or the page complained about, for one assertion message. */
async function problems(page: Page): Promise<string[]> {
  const csp = (await cspViolations(page)).map((v) => `csp ${v.directive} ${v.blockedURI} ${v.sample}`);
  return [...csp, ...pageErrors(page)];
}

test(
  'fixture app renders a chart and a toolkit button under the strict CSP',
  { timeout: 60_000 },
  async () => {
    assert.ok(harness);
    const page = await harness.openWebview('hello', { scriptFile: bundle });
    try {
      assert.deepEqual(await waitForPosted(page, 'ready'), { type: 'ready', clicks: 0 });
      assert.ok(await canvasIsDrawn(page, '#chart'), 'canvas #chart has drawn pixels');

      // The toolkit is a module script: wait for the custom element to be defined and rendered.
      await page.waitForFunction(() => {
        const g = globalThis as unknown as {
          customElements: { get(n: string): unknown };
          document: { querySelector(s: string): { shadowRoot: unknown } | null };
        };
        return (
          g.customElements.get('vscode-button') !== undefined && !!g.document.querySelector('#go')?.shadowRoot
        );
      });
      const box = await page.locator('#go').boundingBox();
      assert.ok(box && box.width > 10 && box.height > 10, `vscode-button has a size: ${JSON.stringify(box)}`);

      await page.locator('#go').click();
      assert.deepEqual(await waitForPosted(page, 'clicked'), { type: 'clicked', clicks: 1 });
      assert.deepEqual(await webviewState(page), { clicks: 1 });

      await post(page, { type: 'ping', value: 42 });
      assert.deepEqual(await waitForPosted(page, 'pong'), { type: 'pong', value: 42 });
      assert.equal((await posted(page)).length, 3);

      const shot = await screenshot(page, 'hello');
      assert.ok(statSync(shot).size > 1000, 'screenshot written');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test('initialState reaches getState()', { timeout: 30_000 }, async () => {
  assert.ok(harness);
  const page = await harness.openWebview('hello', { scriptFile: bundle, initialState: { clicks: 5 } });
  try {
    assert.deepEqual(await waitForPosted(page, 'ready'), { type: 'ready', clicks: 5 });
    assert.deepEqual(await problems(page), []);
  } finally {
    await page.close();
  }
});

test('pages use the production HTML, and CSP violations are caught', { timeout: 30_000 }, async () => {
  assert.ok(harness);
  const page = await harness.openWebview('hello', { scriptFile: bundle });
  try {
    await waitForPosted(page, 'ready');
    assert.ok(await canvasIsDrawn(page, '#chart'));
    // The page is the extension's: its CSP and nonce, byte for byte.
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.equal(csp, cspOf(webviewHtml(sampleHtmlOptions(csp))));
    // An inline style attribute is what the strict CSP must block.
    await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: DocumentLike }).document;
      const p = doc.createElement('p');
      p.setAttribute('style', 'color: red');
      doc.body.append(p);
    });
    await page.waitForFunction(
      () => (globalThis as unknown as { __cspViolations: unknown[] }).__cspViolations.length > 0,
    );
    const violations = await cspViolations(page);
    assert.ok(
      violations.some((v) => v.directive.startsWith('style-src')),
      `expected a style-src violation, got ${JSON.stringify(violations)}`,
    );
  } finally {
    await page.close();
  }
});

// No DOM lib in this project's typecheck: the few DOM calls the test makes inside the page.
interface DocumentLike {
  createElement(tag: string): { setAttribute(name: string, value: string): void };
  body: { append(node: unknown): void };
}

function cspOf(html: string): string | undefined {
  return /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
}

/** Options that reproduce a served page's CSP: its origin and nonce, read back from the CSP itself. */
function sampleHtmlOptions(csp: string | null): WebviewHtmlOptions {
  const nonce = /'nonce-([^']+)'/.exec(csp ?? '')?.[1] ?? '';
  const origin = harness?.origin ?? '';
  return { cspSource: origin, nonce, scriptUri: '', toolkitUri: '', styleUri: '' };
}

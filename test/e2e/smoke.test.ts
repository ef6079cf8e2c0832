// Smoke test of the e2e harness: the packaged .vsix installs into code-server (VS Code 1.139), the
// workbench opens in Chromium, the palette runs commands, and a webview's content can be read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  baseSettings,
  findWebviewFrame,
  frameText,
  launchChromium,
  openFile,
  openWorkbench,
  packageExtension,
  readUserSettings,
  runCommand,
  screenshot,
  startCodeServer,
} from './codeServer';
import type { ChromiumSession, CodeServer, PackagedExtension } from './codeServer';

let ext: PackagedExtension | undefined;
let server: CodeServer | undefined;
let browser: ChromiumSession | undefined;
let page: Page | undefined;
let workspace = '';

before(
  async () => {
    ext = packageExtension();
    workspace = mkdtempSync(join(tmpdir(), 'cls-e2e-ws-'));
    writeFileSync(join(workspace, 'README.md'), '# Hello preview\n\nRendered by the markdown webview.\n');
    server = await startCodeServer({ workspace, vsixPath: ext.vsixPath });
    browser = await launchChromium();
  },
  { timeout: 120_000 },
);

after(
  async () => {
    await page?.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    if (workspace && !process.env.KEEP) rmSync(workspace, { recursive: true, force: true });
  },
  { timeout: 60_000 },
);

/** Runs a step; on failure saves a screenshot next to the others before rethrowing. */
async function withShot<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (page) await screenshot(page, `${name}-failed`).catch(() => undefined);
    throw err;
  }
}

test('the packaged extension is installed in code-server', { timeout: 60_000 }, () => {
  assert.ok(ext && server);
  assert.ok(statSync(ext.vsixPath).size < 2_000_000, '.vsix stays small');
  assert.ok(server.listExtensions().includes(ext.id), `--list-extensions lists ${ext.id}`);
  assert.ok(
    readdirSync(server.extensionsDir).some((d) => d.toLowerCase().startsWith(`${ext?.id}-`)),
    'unpacked into the extensions dir',
  );
});

test('the workbench opens and the palette runs a built-in command', { timeout: 120_000 }, async (t) => {
  assert.ok(server && browser);
  const s = server;
  const b = browser;
  await withShot('workbench', async () => {
    const started = Date.now();
    page = await openWorkbench(b, s.url, workspace);
    t.diagnostic(`workbench shown after ${Date.now() - started} ms`);
    const tries = await runCommand(page, 'Preferences: Open User Settings (JSON)');
    t.diagnostic(`palette openings needed: ${tries}`);
    await page.locator('.monaco-workbench .tab[aria-label^="settings.json"]').waitFor({ timeout: 15_000 });
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.getByText('workbench.startupEditor').first().waitFor({ timeout: 15_000 });
  });
  // The seeded settings are still what we wrote (nothing migrated or rewrote them).
  const settings = readUserSettings(s.userDataDir);
  for (const [k, v] of Object.entries(baseSettings)) assert.deepEqual(settings[k], v, k);
  assert.ok(page);
  const shot = await screenshot(page, 'workbench-settings');
  assert.ok(existsSync(shot));
});

test('a webview (markdown preview) is found and read through its frame', { timeout: 120_000 }, async (t) => {
  assert.ok(page);
  const p = page;
  await withShot('markdown-preview', async () => {
    await openFile(p, 'README.md');
    // Rows of commands with a keybinding are labelled "<title>, <keys>": runCommand matches both forms.
    t.diagnostic(`palette openings needed: ${await runCommand(p, 'Markdown: Open Preview')}`);
    const frame = await findWebviewFrame(p, async (f) => (await frameText(f)).includes('Hello preview'), {
      extensionId: 'vscode.markdown-language-features',
    });
    assert.match(await frameText(frame), /Rendered by the markdown webview/);
  });
  await screenshot(p, 'markdown-preview');
});

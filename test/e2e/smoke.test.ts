// Smoke test of the packaging: the .vsix stays small and installs into code-server (VS Code 1.139).
// How the workbench, the palette and webview frames behave is VS Code's business; the journeys test
// exercises them through the extension's own commands and panels.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageExtension, startCodeServer } from './codeServer';
import type { CodeServer, PackagedExtension } from './codeServer';

let ext: PackagedExtension | undefined;
let server: CodeServer | undefined;
let workspace = '';

before(
  async () => {
    ext = packageExtension();
    workspace = mkdtempSync(join(tmpdir(), 'cls-e2e-ws-'));
    server = await startCodeServer({ workspace, vsixPath: ext.vsixPath });
  },
  { timeout: 120_000 },
);

after(
  async () => {
    await server?.stop();
    if (workspace && !process.env.KEEP) rmSync(workspace, { recursive: true, force: true });
  },
  { timeout: 60_000 },
);

test('the packaged extension is installed in code-server', { timeout: 60_000 }, () => {
  assert.ok(ext && server);
  assert.ok(statSync(ext.vsixPath).size < 2_000_000, '.vsix stays small');
  assert.ok(server.listExtensions().includes(ext.id), `--list-extensions lists ${ext.id}`);
  assert.ok(
    readdirSync(server.extensionsDir).some((d) => d.toLowerCase().startsWith(`${ext?.id}-`)),
    'unpacked into the extensions dir',
  );
});

// Guards of the architecture: the core and the webviews never import vscode at run time, the public
// API is one index, and the version written into run.json is the package's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { toolVersion } from '../../src/core/index';

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('src/core and webview import vscode only as types (if at all)', () => {
  const runtimeImport = /^\s*import\s+(?!type\b)[^;]*from\s+['"]vscode['"]|require\(['"]vscode['"]\)/m;
  for (const f of [...tsFiles('src/core'), ...tsFiles('webview')]) {
    assert.ok(!runtimeImport.test(readFileSync(f, 'utf8')), `${f} imports vscode at run time`);
  }
});

test('no default exports in project sources', () => {
  for (const f of [...tsFiles('src'), ...tsFiles('webview')]) {
    assert.ok(!/^export default /m.test(readFileSync(f, 'utf8')), `${f} has a default export`);
  }
});

test('run.json records the package version', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  assert.equal(toolVersion, pkg.version);
});

// Guards of the architecture: the core and the webviews never import vscode at run time, the public
// API is one index, and the version written into run.json is the package's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
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

/** Relative imports of a file, resolved to .ts paths (index.ts for folders). */
function relativeImports(file: string): string[] {
  const out: string[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const base = normalize(join(dirname(file), m[1]!));
    out.push(base.endsWith('.json') ? base : statSafe(base) ? join(base, 'index.ts') : base + '.ts');
  }
  return out;
}

function statSafe(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

test('webviews import the core only through its browser entry (src/core/browser.ts)', () => {
  const coreDir = join('src', 'core') + sep;
  for (const f of tsFiles('webview')) {
    for (const target of relativeImports(f)) {
      if (target.startsWith(coreDir))
        assert.equal(target, join('src', 'core', 'browser.ts'), `${f} imports ${target}`);
    }
  }
});

test("src/core/browser.ts's import graph has no node: module", () => {
  const seen = new Set<string>();
  const queue = [join('src', 'core', 'browser.ts')];
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (seen.has(f) || f.endsWith('.json')) continue;
    seen.add(f);
    const text = readFileSync(f, 'utf8');
    assert.ok(
      !/from\s+['"]node:|require\(['"]node:/.test(text),
      `${f} (reached from src/core/browser.ts) imports a node: module`,
    );
    queue.push(...relativeImports(f));
  }
  assert.ok(seen.size > 3);
});

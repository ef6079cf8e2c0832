// Guards of the architecture: the core and the webviews never import vscode at run time, the public
// API is one index (two entries: index.ts for Node, browser.ts for webviews), webviews reach core only
// through the browser entry, and the version written into run.json is the package's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
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

/** Every module specifier a file imports or re-exports (type-only ones included). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]/gms)) out.push(m[1]!);
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

function resolveTs(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return relative(process.cwd(), candidate);
    } catch {
      // try the next form
    }
  }
  throw new Error(`${from}: cannot resolve ${spec}`);
}

test('webviews (and the protocol they share) import core only through src/core/browser.ts', () => {
  for (const f of [...tsFiles('webview'), ...tsFiles('src/shared')]) {
    for (const spec of specifiers(f)) {
      if (!spec.startsWith('.')) continue;
      const target = resolveTs(f, spec);
      if (!target.startsWith(join('src', 'core'))) continue;
      assert.equal(
        target,
        join('src', 'core', 'browser.ts'),
        `${f} imports ${spec}: use src/core/browser.ts`,
      );
    }
  }
});

test("src/core/browser.ts's import graph has no Node module and no vscode", () => {
  const node = new Set(builtinModules);
  const seen = new Set<string>();
  const queue = [join('src', 'core', 'browser.ts')];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith('.')) queue.push(resolveTs(file, spec));
      else {
        assert.ok(!spec.startsWith('node:') && !node.has(spec.split('/')[0]!), `${file} imports ${spec}`);
        assert.notEqual(spec, 'vscode', `${file} imports vscode`);
      }
    }
  }
  // The walk did follow the graph (catalog, planner, formatting, live windows...).
  for (const f of ['capacity/planner.ts', 'format/format.ts', 'live/windows.ts', 'report/validate.ts'])
    assert.ok(seen.has(join('src', 'core', f)), `${f} reached from browser.ts`);
  assert.ok(
    !seen.has(join('src', 'core', 'simulator', 'index.ts')),
    'the simulator is not in the browser entry',
  );
});

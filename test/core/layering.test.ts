// No two folders of src/core import each other, type imports included: the core stays a set of layers
// (catalog, tokens, metrics, model, ... below engine and report) that a reader can take one at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const core = 'src/core';

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Top folder of a file under src/core ('' for the entry files at its root). */
function folderOf(file: string): string {
  const rel = relative(core, file).split(sep);
  return rel.length > 1 ? rel[0]! : '';
}

function folderEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const spec = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const f of tsFiles(core)) {
    const from = folderOf(f);
    if (from === '') continue;
    for (const m of readFileSync(f, 'utf8').matchAll(spec)) {
      const target = normalize(join(dirname(f), m[1]!));
      if (!target.startsWith(core + sep)) continue;
      const to = folderOf(target + '.ts');
      if (to === '' || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  return edges;
}

test('no two src/core folders import each other (type imports included)', () => {
  const edges = folderEdges();
  const cycles: string[] = [];
  for (const [a, tos] of edges)
    for (const b of tos) if (a < b && edges.get(b)?.has(a)) cycles.push(`${a} <-> ${b}`);
  assert.deepEqual(cycles, []);
});

test('the folder graph of src/core has no cycle at all', () => {
  const edges = folderEdges();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  let cycle: string[] | undefined;
  const visit = (n: string) => {
    if (cycle || state.get(n) === 'done') return;
    if (state.get(n) === 'open') return void (cycle = [...path.slice(path.indexOf(n)), n]);
    state.set(n, 'open');
    path.push(n);
    for (const m of edges.get(n) ?? []) visit(m);
    path.pop();
    state.set(n, 'done');
  };
  for (const n of edges.keys()) visit(n);
  assert.equal(cycle?.join(' -> '), undefined);
});

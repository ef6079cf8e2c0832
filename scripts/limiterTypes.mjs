// The limiter's .d.ts files (package.json exports "./limiter" types) in dist/types/, one per source file
// of the entry's import graph, as `tsc -p tsconfig.limiter.json` would write them. The sources follow
// `isolatedDeclarations` (tsconfig.limiter.json sets it, `npm run typecheck` checks it), so each file's
// declarations come from its own text: ~0.6 s here, where a full tsc program (748 files, the SDK's,
// ioredis' and Node's types) took ~2.7 s of every build and test run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const entry = 'src/core/limiterEntry.ts';
const rootDir = 'src';
const outDir = 'dist/types';

/** The relative imports of a file, resolved as the bundler does (`./x` -> x.ts or x/index.ts). */
function localImports(file, text) {
  const out = [];
  for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), fileName);
    const found = [`${base}.ts`, join(base, 'index.ts'), base].find(
      (f) => f.endsWith('.ts') && existsSync(f),
    );
    if (!found) throw new Error(`${relative('.', file)}: cannot resolve import "${fileName}"`);
    out.push(found);
  }
  return out;
}

/** Writes the declarations; throws with every diagnostic (file:line: message) when a file has any. */
export function emitLimiterTypes() {
  const compilerOptions = {
    ...ts.getDefaultCompilerOptions(),
    declaration: true,
    isolatedDeclarations: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const seen = new Set();
  const pending = [resolve(entry)];
  const problems = [];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    pending.push(...localImports(file, text));
    const { outputText, diagnostics = [] } = ts.transpileDeclaration(text, {
      fileName: file,
      compilerOptions,
      reportDiagnostics: true,
    });
    for (const d of diagnostics) {
      const { line } = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0) : { line: 0 };
      problems.push(
        `${relative('.', file)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    }
    const out = join(outDir, relative(rootDir, file).replace(/\.ts$/, '.d.ts'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  if (problems.length > 0)
    throw new Error(`the limiter's declarations (isolatedDeclarations):\n${problems.join('\n')}`);
  return seen.size;
}

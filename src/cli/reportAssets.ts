// Finds the built report app (dist/webview/report.js + styles.css) that report.html inlines.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ReportAssets } from '../core/index';
import { CliError, EXIT } from './cliError';

/** Folders that may hold report.js: next to the running bundle (dist/), then <repo>/dist from cwd up. */
function candidateDirs(): string[] {
  const dirs: string[] = [];
  // When bundled, __dirname is dist/; under tsx it is src/cli/ (no webview build there).
  if (typeof __dirname === 'string')
    dirs.push(join(__dirname, 'webview'), join(__dirname, '..', '..', 'dist', 'webview'));
  for (let d = resolve(process.cwd()); ; d = dirname(d)) {
    dirs.push(join(d, 'dist', 'webview'));
    if (dirname(d) === d) break;
  }
  return dirs;
}

/** The report app's script and CSS; `dir` overrides the search (the extension passes its own). */
export function loadReportAssets(dir?: string): ReportAssets {
  const dirs = dir ? [dir] : candidateDirs();
  for (const d of dirs) {
    const script = join(d, 'report.js');
    const css = join(d, 'styles.css');
    if (existsSync(script) && existsSync(css)) {
      return { script: readFileSync(script, 'utf8'), css: readFileSync(css, 'utf8') };
    }
  }
  throw new CliError(
    `the report app is not built (looked for report.js and styles.css in ${dirs.slice(0, 3).join(', ')}): ` +
      'run npm run build',
    EXIT.cannotStart,
  );
}

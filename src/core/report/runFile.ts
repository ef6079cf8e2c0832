// run.json text in and out. Writing the files a run leaves behind is save.ts.
import type { RunResult } from '../model/run';
import { scrubSecrets } from '../util/scrub';
import { parseRunJson } from './validate';

/**
 * Pretty JSON. A RunResult carries no key, but error messages and prompts could echo one, so anything
 * shaped like a key is scrubbed. The pattern never spans JSON syntax, so scrubbing the text is safe.
 */
export function serializeRun(run: RunResult): string {
  return scrubSecrets(JSON.stringify(run, null, 2)) + '\n';
}

/** Parses and validates run.json text; errors name `source` and the field to fix. */
export function parseRunFile(text: string, source: string): RunResult {
  return parseRunJson(text, source);
}

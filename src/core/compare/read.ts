// Reads run.json or sweep.json text into something compare understands (by the file's own `kind`).
import { parseRunFile } from '../report/index';
import { parseSweepFile } from '../sweep/index';
import type { Comparable } from './compare';

export function readComparable(text: string, source: string): Comparable {
  let kind: unknown;
  try {
    kind = (JSON.parse(text) as { kind?: unknown }).kind;
  } catch (e) {
    throw new SyntaxError(`${source}: not JSON (${(e as Error).message})`);
  }
  return kind === 'sweep'
    ? { kind: 'sweep', source, sweep: parseSweepFile(text, source) }
    : { kind: 'run', source, run: parseRunFile(text, source) };
}

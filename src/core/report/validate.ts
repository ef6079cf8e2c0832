// Checks that a parsed run.json has the shape the report needs. Pure (no Node, no DOM): the report
// webview uses it too.
import type { RunResult } from '../model/run';

/** A run file that cannot be used; `field` names the JSON path to fix ('' for the file itself). */
export class RunFileError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'RunFileError';
  }
}

type Kind = 'object' | 'array' | 'string' | 'number';

const topLevel: [string, Kind][] = [
  ['tool', 'object'],
  ['name', 'string'],
  ['startedAt', 'string'],
  ['endedAt', 'string'],
  ['scenario', 'object'],
  ['targetUrl', 'string'],
  ['environment', 'object'],
  ['summary', 'object'],
  ['timeseries', 'array'],
  ['histograms', 'object'],
  ['latencyDistribution', 'array'],
  ['diagnosis', 'array'],
  ['definitions', 'object'],
];

// The summary fields the report reads without further checks.
const summaryFields: [string, Kind][] = [
  ['requests', 'object'],
  ['latencyMs', 'object'],
  ['sendLagMs', 'object'],
  ['ttftMs', 'object'],
  ['tpotMs', 'object'],
  ['outputTokensPerSecPerRequest', 'object'],
  ['tokens', 'object'],
  ['costUsd', 'number'],
  ['throughput', 'object'],
  ['durationS', 'number'],
  ['stopReason', 'string'],
  ['thresholds', 'array'],
  ['rateLimitedBy', 'array'],
  ['errorsByMessage', 'array'],
  ['health', 'object'],
];

const scenarioFields: [string, Kind][] = [
  ['name', 'string'],
  ['target', 'object'],
  ['models', 'array'],
  ['load', 'object'],
];

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function check(obj: Record<string, unknown>, fields: [string, Kind][], prefix: string, source: string): void {
  for (const [name, kind] of fields) {
    const v = obj[name];
    const field = prefix + name;
    if (v === undefined) {
      throw new RunFileError(
        `${source}: field "${field}" is missing (expected ${article(kind)}). The file is incomplete or was not ` +
          'written by claude-load; re-run the load test to get a complete run.json.',
        source,
        field,
      );
    }
    if (kindOf(v) !== kind || (kind === 'number' && !Number.isFinite(v))) {
      throw new RunFileError(
        `${source}: field "${field}" should be ${article(kind)} but is ${article(kindOf(v))}. ` +
          'Restore the value or re-run the load test.',
        source,
        field,
      );
    }
  }
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** Validates a parsed run.json value and returns it typed; throws RunFileError naming the field. */
export function validateRun(value: unknown, source: string): RunResult {
  if (kindOf(value) !== 'object') {
    throw new RunFileError(
      `${source}: expected a JSON object (a claude-load run.json), got ${article(kindOf(value))}.`,
      source,
      '',
    );
  }
  const obj = value as Record<string, unknown>;
  if (obj.schemaVersion === undefined) {
    throw new RunFileError(
      `${source}: field "schemaVersion" is missing: this is not a claude-load run.json. Pass the run.json a load test wrote.`,
      source,
      'schemaVersion',
    );
  }
  if (obj.schemaVersion !== 1) {
    throw new RunFileError(
      `${source}: field "schemaVersion" is ${JSON.stringify(obj.schemaVersion)}, this version reads 1. ` +
        'Update claude-load-scale to read newer run files.',
      source,
      'schemaVersion',
    );
  }
  check(obj, topLevel, '', source);
  check(obj.summary as Record<string, unknown>, summaryFields, 'summary.', source);
  check(obj.scenario as Record<string, unknown>, scenarioFields, 'scenario.', source);
  return obj as unknown as RunResult;
}

/** Parses run.json text; JSON syntax errors name the file. */
export function parseRunJson(text: string, source: string): RunResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RunFileError(`${source}: not valid JSON (${(e as Error).message}).`, source, '');
  }
  return validateRun(value, source);
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunFileError, parseRunFile, serializeRun, writeRunOutputs } from '../../src/core/report/index';
import { makeSampleRun } from '../fixtures/sampleRun';

function errorOf(fn: () => unknown): RunFileError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RunFileError, `expected RunFileError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

function without(path: string[]): string {
  const obj = JSON.parse(serializeRun(makeSampleRun())) as Record<string, unknown>;
  let o = obj;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
  delete o[path.at(-1) as string];
  return JSON.stringify(obj);
}

test('serializeRun round-trips through parseRunFile', () => {
  const run = makeSampleRun();
  const text = serializeRun(run);
  assert.ok(text.startsWith('{\n  "schemaVersion": 1,'), 'pretty JSON');
  assert.deepEqual(parseRunFile(text, 'run.json'), JSON.parse(JSON.stringify(run)));
});

test('serializeRun scrubs anything shaped like an API key, values and keys alike', () => {
  const key = 'sk-ant-api03-AbC_dEf-123';
  const run = makeSampleRun({ name: `leak ${key}` });
  run.summary.errorsByMessage = [{ outcome: 'client_error', message: `invalid x-api-key ${key}`, count: 1 }];
  run.scenario.thresholds = { [key]: '< 1' };
  const text = serializeRun(run);
  assert.ok(!text.includes('AbC_dEf'));
  assert.ok(text.includes('"leak sk-ant-***"'));
  assert.ok(text.includes('invalid x-api-key sk-ant-***'));
  assert.doesNotThrow(() => JSON.parse(text));
});

test('errors name the source and the field', () => {
  let e = errorOf(() => parseRunFile('{"schemaVersion": 1,', 'runs/a.json'));
  assert.match(e.message, /^runs\/a\.json: not valid JSON/);

  e = errorOf(() => parseRunFile('[]', 'a.json'));
  assert.match(e.message, /expected a JSON object/);

  e = errorOf(() => parseRunFile('{"name": "x"}', 'a.json'));
  assert.equal(e.field, 'schemaVersion');
  assert.match(e.message, /not a claude-load run\.json/);

  e = errorOf(() => parseRunFile(JSON.stringify({ ...makeSampleRun(), schemaVersion: 2 }), 'a.json'));
  assert.equal(e.field, 'schemaVersion');
  assert.match(e.message, /"schemaVersion" is 2, this version reads 1\. Update claude-load-scale/);

  e = errorOf(() => parseRunFile(without(['timeseries']), 'a.json'));
  assert.equal(e.field, 'timeseries');
  assert.match(e.message, /a\.json: field "timeseries" is missing \(expected an array\)/);

  e = errorOf(() => parseRunFile(without(['summary', 'latencyMs']), 'a.json'));
  assert.equal(e.field, 'summary.latencyMs');
  assert.match(e.message, /field "summary\.latencyMs" is missing/);

  e = errorOf(() => parseRunFile(JSON.stringify({ ...makeSampleRun(), name: 42 }), 'a.json'));
  assert.equal(e.field, 'name');
  assert.match(e.message, /field "name" should be a string but is a number/);
});

test('writeRunOutputs writes run.json, timeseries.csv and report.html (mkdir -p)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cls-report-'));
  try {
    const out = join(dir, 'a', 'b');
    const run = makeSampleRun({ name: 'key sk-ant-secret-1' });
    const paths = await writeRunOutputs(run, out, { script: 'void 0;', css: 'body{}' });
    assert.deepEqual(paths, {
      runJson: join(out, 'run.json'),
      csv: join(out, 'timeseries.csv'),
      html: join(out, 'report.html'),
    });
    assert.equal(parseRunFile(readFileSync(paths.runJson, 'utf8'), paths.runJson).name, 'key sk-ant-***');
    assert.match(readFileSync(paths.csv, 'utf8'), /^t,sent,completed,/);
    const html = readFileSync(paths.html, 'utf8');
    assert.ok(html.includes('id="run-data"'));
    assert.ok(!html.includes('secret'), 'the HTML embeds the scrubbed run');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunFile, serializeRun } from '../../src/core/report/index';
import { makeSampleRun } from '../fixtures/sampleRun';
import { cli as runCli, ensureReportBuilt } from '../cli/harness';

let dir = '';

/** `claude-load report ...` in-process (the report needs the built report app: ensureReportBuilt). */
async function cli(...args: string[]) {
  const r = await runCli(['report', ...args]);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  ensureReportBuilt();
  dir = mkdtempSync(join(tmpdir(), 'cls-cli-report-'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('regenerates report.html and timeseries.csv next to run.json', async () => {
  const file = join(dir, 'run.json');
  const run = makeSampleRun({ diagnosis: [] });
  writeFileSync(file, serializeRun(run));
  const r = await cli(file);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /report .*report\.html/);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  const m = /<script type="application\/json" id="run-data">([\s\S]*?)<\/script>/.exec(html);
  const embedded = parseRunFile(m?.[1] ?? '', 'report.html');
  assert.equal(embedded.summary.requests.total, 300);
  // An empty diagnosis is filled in with the current rules.
  assert.deepEqual(
    embedded.diagnosis.map((d) => d.id),
    ['healthy'],
  );
  const csv = readFileSync(join(dir, 'timeseries.csv'), 'utf8');
  assert.equal(csv.trimEnd().split('\r\n').length, run.timeseries.length + 1);
});

test('--out writes elsewhere (creating the folder)', async () => {
  const file = join(dir, 'run.json');
  writeFileSync(file, serializeRun(makeSampleRun()));
  const out = join(dir, 'nested', 'out');
  const r = await cli(file, '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(out, 'report.html')));
  assert.ok(existsSync(join(out, 'timeseries.csv')));
});

test('accepts the run folder instead of run.json', async () => {
  writeFileSync(join(dir, 'run.json'), serializeRun(makeSampleRun()));
  const r = await cli(dir);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'report.html')));
});

test('bad input exits 2 and names the file or the field', async () => {
  let r = await cli(join(dir, 'missing.json'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing\.json: no such file/);

  const bad = join(dir, 'bad.json');
  const obj = JSON.parse(serializeRun(makeSampleRun())) as Record<string, unknown>;
  delete (obj.summary as Record<string, unknown>).ttftMs;
  writeFileSync(bad, JSON.stringify(obj));
  r = await cli(bad);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.json: field "summary\.ttftMs" is missing/);

  writeFileSync(bad, '{ not json');
  r = await cli(bad);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.json: not valid JSON/);

  r = await cli();
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing the run\.json/);
});

test('--help prints usage', async () => {
  const r = await cli('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: claude-load report <run\.json> \[--out DIR\]/);
});

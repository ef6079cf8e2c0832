// The one run-saving path (CLI and extension): atomic writes, run.json first, secrets scrubbed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OutputDirError,
  prepareOutputDir,
  scrubRun,
  writeFileAtomic,
  writeRunOutputs,
} from '../../src/core/index';
import { makeSampleRun as sampleRun } from '../fixtures/sampleRun';

const tmp = () => mkdtempSync(join(tmpdir(), 'save-'));

test('writeFileAtomic: a failed write keeps the old file and leaves no temp file', async () => {
  const dir = tmp();
  const target = join(dir, 'run.json');
  writeFileSync(target, 'old');
  await writeFileAtomic(target, 'new');
  assert.equal(readFileSync(target, 'utf8'), 'new');
  // Renaming onto a non-empty folder fails after the temp file was written.
  const blocked = join(dir, 'blocked');
  mkdirSync(join(blocked, 'inside'), { recursive: true });
  await assert.rejects(writeFileAtomic(blocked, 'x'));
  assert.deepEqual(readdirSync(dir).sort(), ['blocked', 'run.json']);
});

test('prepareOutputDir creates the folder, refuses a file and an impossible path', async () => {
  const dir = tmp();
  await prepareOutputDir(join(dir, 'a', 'b'));
  assert.deepEqual(readdirSync(join(dir, 'a', 'b')), [], 'no probe file left');
  writeFileSync(join(dir, 'file'), '');
  await assert.rejects(
    prepareOutputDir(join(dir, 'file')),
    (e) => e instanceof OutputDirError && /not a folder/.test(e.message),
  );
  await assert.rejects(
    prepareOutputDir(join(dir, 'file', 'sub')),
    (e) => e instanceof OutputDirError && /cannot create/.test(e.message),
  );
});

test('writeRunOutputs scrubs the exact secret from every file; no report assets -> run.json and CSV only', async () => {
  const run = sampleRun();
  run.summary.errorsByMessage = [{ outcome: 'client_error', message: 'bad key gw-TESTSECRET123', count: 1 }];
  run.name = 'run gw-TESTSECRET123';
  const dir = tmp();
  const paths = await writeRunOutputs(run, dir, { script: 'window.x=1', css: 'body{}' }, [
    'gw-TESTSECRET123',
  ]);
  for (const f of [paths.runJson, paths.csv, paths.html!]) {
    assert.ok(!readFileSync(f, 'utf8').includes('gw-TESTSECRET123'), f);
  }
  assert.match(readFileSync(paths.runJson, 'utf8'), /bad key \*\*\*/);
  const bare = await writeRunOutputs(run, join(dir, 'bare'), undefined);
  assert.equal(bare.html, undefined);
  assert.deepEqual(readdirSync(join(dir, 'bare')).sort(), ['run.json', 'timeseries.csv']);
});

test('scrubRun: what the extension shows carries no secret', () => {
  const run = sampleRun();
  run.summary.errorsByMessage = [{ outcome: 'client_error', message: 'echo gw-TESTSECRET123', count: 1 }];
  const clean = scrubRun(run, ['gw-TESTSECRET123']);
  assert.equal(clean.summary.errorsByMessage[0]!.message, 'echo ***');
  assert.ok(!JSON.stringify(clean).includes('gw-TESTSECRET123'));
});

// --out is checked before a sweep or a batch sends anything; a sweep may switch its warm-up off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { testIo } from './harness';

const file = join(mkdtempSync(join(tmpdir(), 'out-checks-')), 'a-file');
writeFileSync(file, 'x');

for (const argv of [
  ['sweep', '--simulate', '--rates', '1', '--step-duration', '1s', '--out', file],
  ['batch', '--simulate', '--requests', '5', '--out', file],
]) {
  test(`${argv[0]}: --out on a file exits 2 before sending`, async () => {
    const io = testIo();
    const t0 = Date.now();
    assert.equal(await main(argv, io), 2, io.out.stderr);
    assert.match(io.out.stderr, /--out: .*exists and is not a folder/);
    assert.ok(Date.now() - t0 < 5000, 'nothing was run first');
  });
}

test('sweep: --warmup 0s is allowed (it switches the warm-up off)', async () => {
  const io = testIo();
  const code = await main(
    [
      'sweep',
      '--simulate',
      '--sim-latency',
      'zero',
      '--time-scale',
      '50',
      '--rates',
      '2',
      '--step-duration',
      '1s',
      '--warmup',
      '0s',
      '--json',
    ],
    io,
  );
  assert.equal(code, 0, io.out.stderr);
  assert.equal(JSON.parse(io.out.stdout).steps.length, 1);
});

// Ctrl-C (and SIGTERM) halfway through `claude-load sweep`: the steps measured so far are saved and
// printed, the exit code is 130 as for `run`, and a second Ctrl-C quits at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, testIo } from '../cli/harness';
import { EXIT } from '../../src/cli/cliError';

const sweepArgs = (out: string) => [
  'sweep',
  '--simulate',
  '--sim-latency',
  'zero',
  '--rates',
  '2,4,8,16',
  '--step-duration',
  '1s',
  '--warmup',
  '0s',
  '--output-tokens',
  '16',
  '--out',
  out,
];

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} after the first step: saved, printed, exit 130; a second signal quits at once`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-int-'));
    try {
      const io = testIo();
      // The first step's result line is on stderr: interrupt right then, during the second step.
      const write = io.stderr.write;
      let sent = false;
      io.stderr.write = (s: string) => {
        write(s);
        if (!sent && /-> (pass|fail)/.test(s)) {
          sent = true;
          setImmediate(() => io.signals.emit(signal));
        }
        return true;
      };
      const r = await cli(sweepArgs(dir), {}, io);
      assert.equal(r.code, EXIT.interrupted, r.stderr);
      assert.match(r.stderr, /stopping the sweep: the steps measured so far are kept/);
      const saved = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { steps: unknown[] };
      assert.ok(saved.steps.length >= 1 && saved.steps.length < 4, `${saved.steps.length} steps`);
      assert.match(r.stdout, /step|rate/i, 'the summary is printed');
      assert.deepEqual(r.exits, []);
      // Once stopping, another signal exits at once (the handler is gone after the command returns,
      // so emit while it still listens: a fresh sweep interrupted twice in a row).
      const io2 = testIo();
      const w2 = io2.stderr.write;
      io2.stderr.write = (s: string) => {
        w2(s);
        if (/^step 1 /.test(s))
          setImmediate(() => {
            io2.signals.emit(signal);
            io2.signals.emit(signal);
          });
        return true;
      };
      await cli(sweepArgs(join(dir, 'second')), {}, io2);
      assert.deepEqual(io2.exits, [EXIT.interrupted]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

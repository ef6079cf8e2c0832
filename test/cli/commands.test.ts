// Rules every CLI command keeps (see the comment at the top of src/cli/main.ts): documented options,
// examples, a summary for the command list. A command added later that forgets one fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../../src/cli/main';
import { cli } from './harness';

test('every command has a summary, examples, and a description for every option', () => {
  assert.ok(commands.length >= 5);
  for (const c of commands) {
    const cmd = c.define();
    assert.equal(cmd.name(), c.name);
    assert.ok(cmd.summary() || cmd.description(), `${c.name}: summary`);
    assert.ok(c.examples.length > 0, `${c.name}: examples`);
    for (const e of c.examples) assert.ok(e.startsWith(`claude-load ${c.name}`), `${c.name}: example "${e}"`);
    for (const o of cmd.options) assert.ok(o.description.trim(), `${c.name}: ${o.flags} has no description`);
  }
});

test('batch is wired: flags parsed and checked, the report printed', async () => {
  let r = await cli([
    'batch',
    '--simulate',
    '--requests',
    '20',
    '--time-scale',
    '3600',
    '--poll',
    '50ms',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).outcomes.succeeded, 20);
  r = await cli(['batch', '--simulate', '--poll', '10']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--poll: use a number with a unit/);
});

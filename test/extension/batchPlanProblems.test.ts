// Editor diagnostics of a "via": "batches" plan: errors at the field with the fix, and notes on the
// fields a batch run does not use. (problems.ts is vscode-free; diagnostics.ts maps these 1:1.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog } from '../../src/core/index';
import { planFileProblems } from '../../src/extension/planFiles/problems';

const problems = (text: string) => planFileProblems(text, '/ws/b.claudeload.json', builtinCatalog, 5);
const marked = (text: string, p: { offset: number; length: number }) =>
  text.slice(p.offset, p.offset + p.length);

test('a clean batch plan has no problems', () => {
  assert.deepEqual(problems('{ "model": "claude-haiku-4-5", "requests": 50, "via": "batches" }'), []);
});

test('a wrong "via" value and a batch without requests are errors at the field', () => {
  const text = '{ "model": "claude-haiku-4-5", "requests": 5, "via": "batch" }';
  const [p] = problems(text);
  assert.equal(p?.severity, 'error');
  assert.equal(p?.field, 'via');
  assert.equal(marked(text, p!), '"batch"');
  assert.equal(p?.message, 'via must be one of messages, batches');
  const none = '{ "model": "claude-haiku-4-5", "via": "batches" }';
  const [q] = problems(none);
  assert.equal(q?.field, 'requests');
  assert.match(q!.message, /"via": "batches" needs "requests"/);
  const orphan = '{ "model": "claude-haiku-4-5", "requests": 5, "batch": { "compareLive": true } }';
  const [r] = problems(orphan);
  assert.equal(r?.field, 'batch');
  assert.equal(marked(orphan, r!), '"batch"'); // an object field is marked at its key
});

test('load, thresholds and stream are flagged as unused, unless the live comparison uses them', () => {
  const text =
    '{ "model": "claude-haiku-4-5", "requests": 5, "via": "batches", "stream": true,\n' +
    '  "load": { "type": "rate", "rps": 2 }, "thresholds": { "latency.p95": "<2000" } }';
  const notes = problems(text);
  assert.deepEqual(
    notes.map((n) => [n.severity, n.field, marked(text, n)]),
    [
      ['info', 'stream', 'true'],
      ['warning', 'load', '"load"'],
      ['warning', 'thresholds', '"thresholds"'],
    ],
  );
  assert.match(notes[1]!.message, /not used by a batch run.*"compareLive": true/);
  const live = problems(
    text.replace('"via": "batches",', '"via": "batches", "batch": { "compareLive": true },'),
  );
  assert.deepEqual(
    live.map((n) => n.field),
    ['stream'],
  );
  assert.match(live[0]!.message, /applies only to the live comparison/);
});

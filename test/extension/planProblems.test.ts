import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog } from '../../src/core/index';
import { planFileProblems } from '../../src/extension/planFiles/problems';

const problems = (text: string, budget = 5) =>
  planFileProblems(text, '/ws/a.claudeload.json', builtinCatalog, budget);
const marked = (text: string, p: { offset: number; length: number }) =>
  text.slice(p.offset, p.offset + p.length);

test('an unknown model is an error on the model value, naming current models', () => {
  const text = '{\n  // comment\n  "model": "claude-sonet-5-5",\n  "requests": 3\n}';
  const [p, ...rest] = problems(text);
  assert.equal(rest.length, 0);
  assert.equal(p?.severity, 'error');
  assert.equal(p?.field, 'model');
  assert.equal(marked(text, p!), '"claude-sonet-5-5"');
  assert.match(p!.message, /unknown model "claude-sonet-5-5".*Did you mean claude-sonnet-5-5/);
});

test('impossible values are errors on the value; old-guide ids name the replacement', () => {
  const text = '{ "requests": 3, "load": { "type": "rate", "rps": 0 } }';
  const [p] = problems(text);
  assert.equal(p?.field, 'load.rps');
  assert.equal(marked(text, p!), '0');
  const old =
    '{ "requests": 3, "mix": [{ "model": "claude-haiku-4-5", "share": 0.5 }, { "model": "claude-opus-4-20250514", "share": 0.5 }] }';
  const [q] = problems(old);
  assert.equal(q?.field, 'mix[1].model');
  assert.equal(marked(old, q!), '"claude-opus-4-20250514"');
  assert.match(q!.message, /claude-opus-5-5/);
});

test('deprecated models are warnings with the end-of-life date; real targets without a budget are noted', () => {
  const text = '{ "target": "anthropic", "model": "claude-sonnet-4-5", "requests": 3 }';
  const ps = problems(text);
  assert.deepEqual(
    ps.map((p) => [p.severity, p.field]),
    [
      ['warning', 'model'],
      ['info', 'target'],
    ],
  );
  assert.match(ps[0]!.message, /deprecated: end of life 2026-11-30\. Move to claude-sonnet-5-5/);
  assert.match(ps[1]!.message, /budgetPerRunUsd setting \(\$5\)/);
  assert.match(problems(text, 0)[1]!.message, /nothing caps its cost/);
});

test('a valid simulator plan and a file with a syntax error have no semantic problems', () => {
  assert.deepEqual(problems('{ "requests": 3 }'), []);
  assert.deepEqual(problems('{ "requests": '), []);
});

// The Quick Fix for "Did you mean claude-sonnet-5-5" (#14 item 3): the suggestion is read from the real
// diagnostic and replaces the flagged JSON string, quotes kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog } from '../../src/core/index';
import { planFileProblems } from '../../src/extension/planFiles/problems';
import { replacementText, suggestedModels } from '../../src/extension/planFiles/modelSuggestions';

test('an unknown model offers its suggestion, replacing the quoted value', () => {
  const text = '{\n  "model": "claude-sonet-5-5",\n  "requests": 3\n}';
  const [p] = planFileProblems(text, '/ws/a.claudeload.json', builtinCatalog, 5);
  assert.ok(p);
  const ids = suggestedModels(p.message);
  assert.equal(ids[0], 'claude-sonnet-5-5');
  const flagged = text.slice(p.offset, p.offset + p.length);
  const fixed = text.slice(0, p.offset) + replacementText(flagged, ids[0]!) + text.slice(p.offset + p.length);
  assert.equal(JSON.parse(fixed).model, 'claude-sonnet-5-5');
  assert.deepEqual(planFileProblems(fixed, '/ws/a.claudeload.json', builtinCatalog, 5), []);
});

test('several suggestions in order; an alias "Use X or Y."; none when nothing is suggested', () => {
  assert.deepEqual(
    suggestedModels('model: unknown model "x". Did you mean claude-opus-5 or claude-opus-5-5?'),
    ['claude-opus-5', 'claude-opus-5-5'],
  );
  assert.deepEqual(suggestedModels('model: claude-3-opus is retired. Use claude-opus-4-8.'), [
    'claude-opus-4-8',
  ]);
  assert.deepEqual(suggestedModels('rpm must be a number'), []);
  assert.equal(replacementText('claude-x', 'claude-y'), 'claude-y');
});

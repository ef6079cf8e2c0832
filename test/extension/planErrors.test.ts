// The planner lists every bad field at once (#14 item 3), each with the validator's own message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog } from '../../src/core/index';
import { collectPlanProblems } from '../../src/extension/panels/planErrors';

test('three bad fields are reported together, in the validator order', () => {
  const { answer, problems } = collectPlanProblems(
    { model: 'claude-sonnet-5-5', rpm: '-1', inputTokens: 'x', outputTokens: 'abc', cacheHitRate: '7' },
    builtinCatalog,
  );
  assert.equal(answer.ok, false);
  const fields = problems.map((p) => p.field);
  assert.ok(fields.includes('rpm'), fields.join());
  assert.ok(fields.includes('inputTokens'), fields.join());
  assert.ok(fields.includes('outputTokens'), fields.join());
  assert.ok(fields.includes('cacheHitRate'), fields.join());
  assert.equal(new Set(fields).size, fields.length, 'each field once');
  assert.equal(problems[0]!.field, answer.ok ? '' : answer.field);
  for (const p of problems) assert.match(p.message, new RegExp(`^${p.field.replace(/[[\].]/g, '\\$&')}`));
});

test('a valid input has no problems; one bad field gives one problem', () => {
  const base = { model: 'claude-sonnet-5-5', rpm: 100, inputTokens: 500, outputTokens: 200 };
  assert.deepEqual(collectPlanProblems(base, builtinCatalog).problems, []);
  const one = collectPlanProblems({ ...base, peakFactor: '0.5' }, builtinCatalog).problems;
  assert.deepEqual(
    one.map((p) => p.field),
    ['peakFactor'],
  );
});

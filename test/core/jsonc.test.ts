import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldPath, findFieldRange, JsoncError, parseJsonc } from '../../src/core/index';

test('plan files may carry comments and trailing commas; syntax errors give line and column', () => {
  assert.deepEqual(parseJsonc('{\n  // a comment\n  "a": 1, /* b */\n  "c": [1, 2,],\n}', 'p.json'), {
    a: 1,
    c: [1, 2],
  });
  assert.throws(
    () => parseJsonc('{\n  "a": 1\n  "b": 2\n}', 'p.json'),
    (e: unknown) =>
      e instanceof JsoncError &&
      /^p.json:3:3: a comma \(,\) is expected between items/.test(e.message) &&
      e.offset === 13,
  );
});

test('field paths from error messages: indexes and dotted threshold keys', () => {
  assert.deepEqual(fieldPath('mix[1].share'), ['mix', 1, 'share']);
  assert.deepEqual(fieldPath('load.stages[0].duration'), ['load', 'stages', 0, 'duration']);
  assert.deepEqual(fieldPath('thresholds.latency.p95'), ['thresholds', 'latency.p95']);
});

test('findFieldRange points at the value, the key of a container, or the nearest parent', () => {
  const text = '{\n  "load": { "type": "rate", "rps": -1 },\n  "thresholds": { "latency.p42": "<1" }\n}';
  const at = (field: string) => {
    const r = findFieldRange(text, field);
    return text.slice(r.offset, r.offset + r.length);
  };
  assert.equal(at('load.rps'), '-1');
  assert.equal(at('thresholds.latency.p42'), '"<1"');
  assert.equal(at('load'), '"load"');
  // A missing field (e.g. "load.maxInFlight is required") highlights the object it belongs in.
  assert.equal(at('load.maxInFlight'), '{ "type": "rate", "rps": -1 }');
  assert.equal(findFieldRange('{}', 'model').offset, 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WarningLog } from '../../src/core/engine/warnings';

test('warnings: one per kind, keeping the worst value; listeners hear each kind once', () => {
  const heard: string[] = [];
  const log = new WarningLog((m) => heard.push(m));
  log.report('event-loop', 'event loop 85 % busy', 0.85);
  log.report('event-loop', 'event loop 97 % busy', 0.97);
  log.report('event-loop', 'event loop 90 % busy', 0.9);
  log.report('late-sends', 'sends 12 ms late', 12);
  assert.deepEqual(log.messages, ['event loop 97 % busy', 'sends 12 ms late']);
  assert.deepEqual(heard, ['event loop 85 % busy', 'sends 12 ms late']);
});

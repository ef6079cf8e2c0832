// The rehearsal's instances send on one shared clock but not in lockstep: N sends landing on the same
// instant would measure the harness (every process woken at once on a 2-core machine), not the limiter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendSchedule } from '../../src/core/scale/instance';

test('instances are offset by index / instances of an interval; each keeps its rate', () => {
  const instances = 4;
  const all = Array.from({ length: instances }, (_, index) => [
    ...sendSchedule({ rps: 2.5, durationMs: 2000, phase: index / instances }),
  ]);
  assert.deepEqual(all[0], [0, 400, 800, 1200, 1600]);
  assert.deepEqual(all[1], [100, 500, 900, 1300, 1700]);
  assert.deepEqual(all[3], [300, 700, 1100, 1500, 1900]);
  // Together: one send every 100 ms, never two at once.
  const merged = all.flat().sort((a, b) => a - b);
  for (let i = 1; i < merged.length; i++) assert.equal(merged[i]! - merged[i - 1]!, 100);
});

test('no phase: the first send at 0; nothing at or past the duration', () => {
  assert.deepEqual([...sendSchedule({ rps: 1, durationMs: 3000 })], [0, 1000, 2000]);
  assert.deepEqual([...sendSchedule({ rps: 1, durationMs: 3000, phase: 0.5 })], [500, 1500, 2500]);
  assert.deepEqual([...sendSchedule({ rps: 1, durationMs: 0 })], []);
});

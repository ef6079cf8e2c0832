import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrivalTimes } from '../../src/core/engine/schedule';
import { seededRandom } from '../../src/core/util/random';

function take(it: Iterator<number>, n = Infinity): number[] {
  const out: number[] = [];
  for (let r = it.next(); !r.done && out.length < n; r = it.next()) out.push(r.value);
  return out;
}

test('constant rate: evenly spaced intended times', () => {
  const t = take(
    arrivalTimes({ type: 'rate', rps: 4, arrival: 'constant', maxInFlight: 1 }, seededRandom(1))!,
    5,
  );
  assert.deepEqual(t, [0, 250, 500, 750, 1000]);
});

test('poisson: mean inter-arrival 1/rps, repeatable under a seed', () => {
  const a = take(
    arrivalTimes({ type: 'rate', rps: 10, arrival: 'poisson', maxInFlight: 1 }, seededRandom(42))!,
    20_001,
  );
  const b = take(
    arrivalTimes({ type: 'rate', rps: 10, arrival: 'poisson', maxInFlight: 1 }, seededRandom(42))!,
    20_001,
  );
  assert.deepEqual(a, b);
  const meanGap = a.at(-1)! / 20_000;
  assert.ok(Math.abs(meanGap - 100) < 3, `mean gap ${meanGap}`);
  // Exponential gaps: about 63.2 % are shorter than the mean.
  let short = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! - a[i - 1]! < 100) short++;
  assert.ok(Math.abs(short / 20_000 - 0.632) < 0.02);
});

test('ramp: rate rises linearly (area under the curve = requests) then holds', () => {
  const t = take(
    arrivalTimes(
      {
        type: 'ramp',
        startRps: 0,
        maxInFlight: 1,
        stages: [
          { durationMs: 10_000, rps: 10 },
          { durationMs: 5_000, rps: 10 },
        ],
      },
      seededRandom(1),
    )!,
  );
  // 0 -> 10 rps over 10 s is 50 requests; 10 rps for 5 s is 50 more.
  assert.equal(t.length, 100);
  assert.equal(t[0], 0);
  // Arrival n during the ramp is at sqrt(2n) s (rate r(t) = t, integral t^2/2 = n).
  assert.ok(Math.abs(t[8]! - 4000) < 1e-6);
  assert.ok(Math.abs(t[99]! - 14_900) < 1e-6);
  for (let i = 1; i < t.length; i++) assert.ok(t[i]! > t[i - 1]!);
});

// The scaling rehearsal panel's view model: rows carry the core's numbers unchanged, per-instance
// throughput adds up to the mode's achieved RPM, the offered multiple and the verdict are right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScaleResult } from '../../src/core/browser';
import { isHostToScale, isScaleToHost } from '../../src/shared/protocol/guards';
import { sampleMode, sampleScaleResult } from '../fixtures/sampleScale';
import { modeRows, offeredMultiple, perInstanceRpm, verdict } from '../../webview/scale/model';

const sample: ScaleResult = {
  ...sampleScaleResult,
  instances: 3,
  modes: [
    sampleMode({
      mode: 'none',
      rateLimited: 40,
      rateLimitedRate: 40 / 160,
      attempts: 160,
      retries: 60,
      ok: 90,
      fairness: 0.8,
    }),
    sampleMode({ mode: 'shared' }),
  ],
};

test('rows keep the core numbers', () => {
  const [none, shared] = modeRows(sample);
  assert.equal(none!.label, 'No coordination');
  assert.equal(none!.rateLimitedShare, 0.25);
  assert.equal(none!.retries, 60);
  assert.equal(shared!.utilization, 0.95);
  assert.equal(shared!.p99Ms, 80);
  assert.equal(shared!.waitP99Ms, 40);
  assert.equal(shared!.fairness, 0.99);
});

test('per-instance RPM splits the achieved RPM by ok replies and adds up to it', () => {
  const per = perInstanceRpm(sample.modes[1]!);
  assert.deepEqual(per, [114, 171, 285]);
  assert.equal(
    per.reduce((a, b) => a + b, 0),
    570,
  );
  assert.deepEqual(perInstanceRpm(sampleMode({ mode: 'queue', perInstanceOk: [0, 0] })), [0, 0]);
});

test('offered multiple: 20 req/s against 600 RPM is 2x', () => {
  assert.equal(offeredMultiple(sample), 2);
});

test('verdict: who stayed under the limit, who drew 429s, and a cancelled run says so', () => {
  const v = verdict(sample);
  assert.match(v, /Stayed under the limit: Shared limiter 0 % 429s at 95 % utilisation\./);
  assert.match(v, /Drew 429s: No coordination 25 % 429s/);
  assert.match(verdict({ ...sample, modes: [], interrupted: true }), /Cancelled before any mode finished/);
  assert.match(verdict({ ...sample, interrupted: true }), /Cancelled: only the modes above finished/);
});

test('guards: the host takes only scale/ready and scale/copySetup; the app only well-formed scale/*', () => {
  assert.ok(isScaleToHost({ type: 'scale/ready' }));
  assert.ok(isScaleToHost({ type: 'scale/copySetup' }));
  assert.ok(!isScaleToHost({ type: 'scale/run' }));
  assert.ok(!isScaleToHost({ type: 'plan/save' }));
  const info = { model: 'm', tierDisplayName: 'Build', source: 's', offeredMultiple: 2, startedAt: '' };
  assert.ok(isHostToScale({ type: 'scale/show', result: sample, info }));
  assert.ok(!isHostToScale({ type: 'scale/show', result: { modes: 'x' }, info }));
  assert.ok(!isHostToScale({ type: 'scale/show', result: sample }));
  assert.ok(isHostToScale({ type: 'scale/notice', message: 'copied', level: 'info' }));
  assert.ok(!isHostToScale({ type: 'scale/notice', message: 'copied', level: 'loud' }));
  assert.ok(isHostToScale({ type: 'theme/changed' }));
});

test('a mode cut short by Cancel is left out of the comparison, and the verdict says so', () => {
  const cut = { ...sampleScaleResult.modes[0]!, mode: 'queue' as const, sent: 0, ok: 0, interrupted: true };
  const result = { ...sampleScaleResult, modes: [...sampleScaleResult.modes, cut], interrupted: true };
  assert.ok(!modeRows(result).some((r) => r.mode === 'queue' && r.sent === 0));
  assert.equal(modeRows(result).length, sampleScaleResult.modes.filter((m) => !m.interrupted).length);
  assert.match(verdict(result), /Cancelled: only the modes above finished/);
});

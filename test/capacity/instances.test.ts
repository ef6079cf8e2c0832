// The planner's "instances" field: validated as a whole number >= 1, and above 1 it recommends the
// shared limiter with each instance's even share of the tier's limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  builtinCatalog,
  findTier,
  fmtNumber,
  limitsFor,
  PlanInputError,
  planCapacity,
  validatePlanInput,
} from '../../src/core/index';

const base = { model: 'claude-sonnet-5-5', rpm: 120, inputTokens: 1000, outputTokens: 200, tier: 'build' };
const plan = (raw: Record<string, unknown>) =>
  planCapacity(validatePlanInput(raw, builtinCatalog), { catalog: builtinCatalog });

test('instances: edge values rejected naming the field', () => {
  for (const bad of ['0', '-1', '1.5', 'abc', '100000']) {
    assert.throws(
      () => validatePlanInput({ ...base, instances: bad }),
      (e: unknown) => e instanceof PlanInputError && e.field === 'instances' && /instances/.test(e.message),
      bad,
    );
  }
  assert.equal(validatePlanInput({ ...base, instances: '4' }).instances, 4);
  assert.equal(validatePlanInput({ ...base, instances: '' }).instances, undefined);
});

test('one instance (or none given): no shared-limiter advice', () => {
  assert.ok(!plan(base).recommendations.some((r) => r.id === 'shared-limiter'));
  assert.ok(!plan({ ...base, instances: 1 }).recommendations.some((r) => r.id === 'shared-limiter'));
});

test('above one instance: the shared limiter with the per-instance share of the tier limits', () => {
  const r = plan({ ...base, instances: 4 });
  const advice = r.recommendations.find((x) => x.id === 'shared-limiter');
  assert.ok(advice, 'recommended');
  assert.equal(r.recommendations[0]?.id, 'shared-limiter', 'first: it decides how the app is built');
  const bucket = builtinCatalog.models.find((m) => m.id === 'claude-sonnet-5-5')!.bucket;
  const l = limitsFor(findTier(builtinCatalog, 'build'), bucket)!;
  assert.ok(advice.message.includes(`${fmtNumber(Math.floor(l.rpm / 4), 0)} RPM`), advice.message);
  assert.ok(advice.message.includes(`${fmtNumber(Math.floor(l.otpm / 4), 0)} OTPM`), advice.message);
  assert.ok(
    advice.message.includes(`${fmtNumber(r.traffic.peakMessagesRpm / 4, 1)} RPM`),
    'peak per instance',
  );
  assert.match(advice.message, /claude-load-scale\/limiter/);
});

test('no tier named: the share is of the recommended tier', () => {
  const { tier: _omit, ...noTier } = base;
  const r = plan({ ...noTier, instances: 2 });
  const advice = r.recommendations.find((x) => x.id === 'shared-limiter')!;
  const name = r.tiers.find((t) => t.name === r.recommendedTier)?.displayName ?? '';
  assert.ok(advice.message.includes(`share on ${name}`), advice.message);
});

// Claude: Rehearse Horizontal Scaling, the pure parts: edge values of every prompt are rejected with a
// message naming the field; the limits come from the planner's tier (else the given tier) for the
// bucket of the plan's main model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog, findTier, limitsFor } from '../../src/core/index';
import {
  instancesProblem,
  offeredProblem,
  offeredRps,
  parseInstances,
  parseModes,
  parseOffered,
  rehearsalBasis,
  RehearsalInputError,
} from '../../src/extension/commands/rehearsalBasis';
import { rehearsalBurstSeconds } from '../../src/core/scale/index';

const bucketOf = (id: string) => builtinCatalog.models.find((m) => m.id === id)!.bucket;

test('instances: 2..64 whole numbers; edge values name the field', () => {
  for (const ok of ['2', '8', ' 64 ']) assert.equal(instancesProblem(ok), undefined, ok);
  for (const bad of ['', '1', '0', '-3', '2.5', '65', 'eight']) {
    assert.match(instancesProblem(bad) ?? '', /^Instances must be a whole number from 2 to 64/, bad);
    assert.throws(
      () => parseInstances(bad),
      (e: unknown) => e instanceof RehearsalInputError && e.field === 'Instances',
    );
  }
  assert.equal(parseInstances('8'), 8);
});

test('offered load: a multiple above 0 and at most 10, with or without x', () => {
  assert.equal(parseOffered('2x'), 2);
  assert.equal(parseOffered('0.5'), 0.5);
  assert.equal(parseOffered('10X'), 10);
  for (const bad of ['', '0', '0x', '-1', '10.5', 'lots', 'Infinity']) {
    assert.match(offeredProblem(bad) ?? '', /^Offered load must be/, bad);
    assert.throws(
      () => parseOffered(bad),
      (e: unknown) => e instanceof RehearsalInputError && e.field === 'Offered load',
    );
  }
  assert.equal(offeredRps({ rpm: 600, itpm: 1, otpm: 1 }, 2), 20);
});

test('modes: canonical order, none picked or an unknown one rejected naming Modes', () => {
  assert.deepEqual(parseModes(['queue', 'none']), ['none', 'queue']);
  assert.throws(() => parseModes([]), /^RehearsalInputError: Modes: pick at least one/);
  assert.throws(() => parseModes(['shared', 'sharded']), /Modes: unknown mode sharded/);
});

test('limits from the planner: its chosen tier, its main model, its instances', () => {
  const basis = rehearsalBasis(builtinCatalog, {
    plannerInput: {
      mix: [
        { model: 'claude-haiku-4-5', share: '0.8' },
        { model: 'claude-sonnet-5-5', share: '0.2' },
      ],
      rpm: '100',
      inputTokens: '500',
      outputTokens: '100',
      tier: 'build',
      instances: '6',
    },
    model: 'claude-opus-4-1',
    tier: 'start',
    source: 'settings',
  });
  const l = limitsFor(findTier(builtinCatalog, 'build'), bucketOf('claude-haiku-4-5'))!;
  assert.equal(basis.model, 'claude-haiku-4-5');
  assert.equal(basis.source, 'the planner');
  assert.deepEqual(basis.limits, { rpm: l.rpm, itpm: l.itpm, otpm: l.otpm });
  assert.equal(basis.instances, 6);
  assert.equal(basis.setup.buckets.length, 2, 'the snippet covers both buckets of the mix');
});

test('an invalid planner input falls back to the given model and tier', () => {
  const tier = builtinCatalog.tiers[0]!.name;
  const basis = rehearsalBasis(builtinCatalog, {
    plannerInput: { model: 'claude-sonnet-5-5', rpm: '-1' },
    model: 'claude-sonnet-5-5',
    tier,
    source: 'the default tier setting',
  });
  const l = limitsFor(findTier(builtinCatalog, tier), bucketOf('claude-sonnet-5-5'))!;
  assert.equal(basis.source, 'the default tier setting');
  assert.equal(basis.limits.rpm, l.rpm);
  assert.equal(basis.instances, undefined);
  assert.throws(
    () => rehearsalBasis(builtinCatalog, { model: 'claude-nope', tier, source: 'x' }),
    (e: unknown) => e instanceof RehearsalInputError && e.field === 'model',
  );
});

test('burst: 1 s of the limit, longer where 1 s holds less than one request', () => {
  assert.equal(rehearsalBurstSeconds({ rpm: 4000, itpm: 2_000_000, otpm: 400_000 }, 64), 1);
  // Tier 1: 50 RPM is 0.83 requests a second; 1.2 s holds one, plus 20 %.
  assert.equal(rehearsalBurstSeconds({ rpm: 50, itpm: 30_000, otpm: 8000 }, 64), 1.5);
  // A tiny OTPM: one 64-token reply needs 3.84 s of 1,000 OTPM.
  assert.equal(rehearsalBurstSeconds({ rpm: 600, itpm: 1_000_000, otpm: 1000 }, 64), 4.7);
});

// "Copy limiter setup": the snippet carries the planner tier's limits from the catalog, and it
// compiles against the library's published types (the TypeScript compiler, `claude-load-scale/limiter`
// mapped to the .d.ts files the build emits, the SDK from node_modules, strict mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { builtinCatalog, findTier, limitsFor, planCapacity, validatePlanInput } from '../../src/core/index';
import {
  LimiterSetupError,
  limiterSetupFromPlan,
  limiterSetupSnippet,
  tsNumber,
} from '../../src/core/scale/index';

const repo = resolve(import.meta.dirname, '../..');

function plan(raw: Record<string, unknown>) {
  return planCapacity(validatePlanInput(raw, builtinCatalog), { catalog: builtinCatalog });
}

/** Type errors of `source` as a module of an app that depends on the package (empty = compiles). */
function typeErrors(sources: Record<string, string>): string[] {
  // Inside the repo so node_modules (the SDK, ioredis) resolve as in an app that installed the package.
  const dir = mkdtempSync(join(repo, 'test-output-snippet-'));
  try {
    const files = Object.entries(sources).map(([name, text]) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      skipLibCheck: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      // The declarations the package ships (package.json exports "./limiter" types), which the test
      // runner's build emits: what an app compiles against, and a fraction of the sources' checking time.
      paths: { 'claude-load-scale/limiter': [join(repo, 'dist/types/core/limiterEntry.d.ts')] },
    });
    return ts
      .getPreEmitDiagnostics(program)
      .filter((d) => !d.file || d.file.fileName.startsWith(dir))
      .map(
        (d) =>
          `${d.file?.fileName.slice(dir.length + 1) ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('numbers read like the catalog: 5_000_000, small ones as they are', () => {
  assert.equal(tsNumber(5_000_000), '5_000_000');
  assert.equal(tsNumber(4000), '4000');
  assert.equal(tsNumber(40_000), '40_000');
  assert.equal(tsNumber(0.5), '0.5');
});

test('one model: the planner tier limits for its bucket, the per-instance share and localShare', () => {
  const p = plan({
    model: 'claude-sonnet-5-5',
    rpm: 100,
    inputTokens: 1000,
    outputTokens: 200,
    tier: 'build',
    instances: 8,
  });
  const setup = limiterSetupFromPlan(p);
  const bucket = builtinCatalog.models.find((m) => m.id === 'claude-sonnet-5-5')!.bucket;
  const l = limitsFor(findTier(builtinCatalog, 'build'), bucket)!;
  assert.equal(setup.instances, 8);
  assert.deepEqual(
    setup.buckets.map((b) => b.limits),
    [{ rpm: l.rpm, itpm: l.itpm, otpm: l.otpm }],
  );
  const text = limiterSetupSnippet(setup);
  assert.ok(
    text.includes(
      `limits: { rpm: ${tsNumber(l.rpm)}, itpm: ${tsNumber(l.itpm)}, otpm: ${tsNumber(l.otpm)} }`,
    ),
    text,
  );
  assert.ok(text.includes('localShare: 1 / 8'));
  assert.ok(text.includes(`${Math.floor(l.rpm / 8).toLocaleString('en-US')} RPM`), 'even share per instance');
  assert.ok(text.includes(`as of ${builtinCatalog.asOf}`));
});

test('no tier chosen: the recommended tier; a mix: limits per rate-limit bucket', () => {
  const p = plan({
    mix: [
      { model: 'claude-sonnet-5-5', share: 0.5 },
      { model: 'claude-haiku-4-5', share: 0.5 },
    ],
    rpm: 50,
    inputTokens: 1000,
    outputTokens: 200,
  });
  const setup = limiterSetupFromPlan(p, 3);
  const tier = findTier(builtinCatalog, p.recommendedTier);
  assert.equal(setup.tierDisplayName, tier.displayName);
  assert.equal(setup.buckets.length, 2);
  const text = limiterSetupSnippet(setup);
  for (const b of setup.buckets) {
    const l = limitsFor(tier, b.bucket)!;
    assert.ok(text.includes(`'${b.bucket}': { rpm: ${tsNumber(l.rpm)}`), text);
  }
});

test('custom limits from the planner are used as they are', () => {
  const p = plan({
    model: 'claude-haiku-4-5',
    rpm: 10,
    inputTokens: 100,
    outputTokens: 10,
    tier: 'custom',
    customLimits: { rpm: 600, itpm: 50_000, otpm: 10_000 },
  });
  const setup = limiterSetupFromPlan(p, 1);
  assert.deepEqual(setup.buckets[0]!.limits, { rpm: 600, itpm: 50_000, otpm: 10_000 });
  const text = limiterSetupSnippet(setup);
  assert.ok(text.includes('one instance'));
  assert.ok(!text.includes('localShare'));
});

test('no standard tier fits and none was chosen: a message naming the planner field', () => {
  const p = plan({ model: 'claude-sonnet-5-5', rpm: 10_000_000, inputTokens: 1000, outputTokens: 200 });
  if (p.recommendedTier !== 'custom') return; // the catalog grew a tier that fits; nothing to check
  assert.throws(
    () => limiterSetupFromPlan(p),
    (e: unknown) => {
      assert.ok(e instanceof LimiterSetupError);
      assert.match((e as Error).message, /Tier to evaluate/);
      return true;
    },
  );
});

test('every form of the snippet type-checks against the library and the SDK', { timeout: 120_000 }, () => {
  const one = plan({
    model: 'claude-sonnet-5-5',
    rpm: 100,
    inputTokens: 1000,
    outputTokens: 200,
    tier: 'build',
  });
  const mix = plan({
    mix: [
      { model: 'claude-sonnet-5-5', share: 0.5 },
      { model: 'claude-haiku-4-5', share: 0.5 },
    ],
    rpm: 50,
    inputTokens: 1000,
    outputTokens: 200,
  });
  const errors = typeErrors({
    'single.ts': limiterSetupSnippet(limiterSetupFromPlan(one, 8)),
    'alone.ts': limiterSetupSnippet(limiterSetupFromPlan(one, 1)),
    'mix.ts': limiterSetupSnippet({
      ...limiterSetupFromPlan(mix, 4),
      namespace: "acme's-prod",
      burstSeconds: 2,
    }),
    // The commented-out quota option compiles once the user uncomments it.
    'quota.ts': (() => {
      const text = limiterSetupSnippet(limiterSetupFromPlan(one, 8));
      assert.ok(text.includes('    // quotaMs: 250,'));
      return text.replace('// quotaMs: 250,', 'quotaMs: 250,');
    })(),
    // The check itself works: a wrong option is caught.
    'broken.ts': limiterSetupSnippet(limiterSetupFromPlan(one, 2)).replace('burstSeconds:', 'burstSecs:'),
  });
  const good = errors.filter((e) => !e.startsWith('broken.ts'));
  assert.deepEqual(good, []);
  assert.ok(
    errors.some((e) => e.startsWith('broken.ts')),
    'a misspelt option is a type error',
  );
});

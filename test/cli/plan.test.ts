// `claude-load plan` in-process: JSON numbers, text, help and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './harness';

const run = (...args: string[]) => cli(['plan', ...args]);

const worked = [
  '--model',
  'claude-sonnet-5-5',
  '--rpm',
  '100',
  '--input-tokens',
  '500',
  '--output-tokens',
  '200',
];

const traffic = worked.slice(2);

function near(actual: unknown, expected: number, what: string): void {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: got ${String(actual)}, expected ${expected}`,
  );
}

test('--json: the worked example, with every documented field', async () => {
  const r = await run(...worked, '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const j = JSON.parse(r.stdout);
  assert.equal(j.model, 'claude-sonnet-5-5');
  assert.equal(j.monthDays, 30);
  assert.match(j.asOf, /^\d{4}-\d{2}-\d{2}$/);
  // 100 RPM; ITPM 100 * 500 = 50,000; OTPM 100 * 200 = 20,000; peak factor 1.
  for (const [k, v] of Object.entries({ rpm: 100, itpm: 50_000, otpm: 20_000 })) {
    assert.equal(j.requirements[k], v);
    assert.equal(j.requirements[`peak${k[0]!.toUpperCase()}${k.slice(1)}`], v);
  }
  assert.equal(j.requirements.buckets[0].bucket, 'sonnet-5-5');
  // $0.003 per request (0.001 input + 0.002 output); $432 a day; $12,960 a 30-day month. Unrounded.
  near(j.cost.perRequestUsd, 0.003, 'per request');
  near(j.cost.perDayUsd, 432, 'per day');
  near(j.cost.perMonthUsd, 12_960, 'per month');
  near(j.cost.breakdown.inputUsd, 0.001, 'input');
  near(j.cost.breakdown.outputUsd, 0.002, 'output');
  assert.equal(j.cost.breakdown.cacheWriteUsd, 0);
  assert.equal(j.cost.breakdown.cacheReadUsd, 0);
  const byName = new Map(j.tiers.map((t: { name: string }) => [t.name, t]));
  for (const name of ['start', 'build', 'scale', 'tier1', 'tier2', 'tier3', 'tier4']) {
    const t = byName.get(name) as { fits: boolean; binding: string; utilization: Record<string, number> };
    assert.ok(t, name);
    assert.deepEqual(Object.keys(t.utilization).sort(), ['itpm', 'otpm', 'rpm', 'spend']);
  }
  const start = byName.get('start') as { fits: boolean; binding: string; utilization: { spend: number } };
  assert.equal(start.fits, false);
  assert.equal(start.binding, 'spend');
  near(start.utilization.spend, 25.92, 'start spend'); // 12,960 / 500
  assert.equal((byName.get('build') as { binding: string }).binding, 'spend');
  assert.equal((byName.get('scale') as { fits: boolean }).fits, true);
  assert.equal(j.recommendedTier, 'scale');
  // 100/60 req/s * 3.6646428 s (Sonnet speed profile) = 6.1077...
  near(j.concurrency, 6.107738095238095, 'concurrency');
  assert.ok(j.recommendations.every((x: { id: string; message: string }) => x.id && x.message));
  assert.ok(Array.isArray(j.warnings));
});

test('--json: every optional flag, worked out by hand', async () => {
  const r = await run(
    ...worked,
    '--peak-factor', '2',
    '--cached-tokens', '400',
    '--cache-hit-rate', '0.9',
    '--cache-ttl', '1h',
    '--batch-share', '0.5',
    '--duplicate-share', '0.1',
    '--latency-s', '4',
    '--tier', 'build',
    '--json',
  ); // prettier-ignore
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  // 100 RPM -> 90 unique -> 45 batched + 45 Messages. Peak 90 RPM.
  near(j.requirements.rpm, 45, 'rpm');
  near(j.requirements.peakRpm, 90, 'peak rpm');
  // ITPM per request: 100 uncached + 400 * 0.1 = 40 written = 140; 45 * 140 = 6,300; peak 12,600.
  near(j.requirements.itpm, 6_300, 'itpm');
  near(j.requirements.peakItpm, 12_600, 'peak itpm');
  near(j.requirements.peakOtpm, 18_000, 'peak otpm'); // 90 * 200
  // Per arriving request: sent 0.9; input/output factor 0.9 * (0.5 + 0.5 * 0.5) = 0.675.
  // input 100 * 2/1e6 * 0.675 = 0.000135; output 200 * 10/1e6 * 0.675 = 0.00135;
  // 1h writes 40 * 4/1e6 * 0.9 = 0.000144; reads 360 * 0.1/1e6 * 0.9 = 0.0000324. Total 0.0016614.
  near(j.cost.breakdown.inputUsd, 0.000135, 'input');
  near(j.cost.breakdown.outputUsd, 0.00135, 'output');
  near(j.cost.breakdown.cacheWriteUsd, 0.000144, 'cache write');
  near(j.cost.breakdown.cacheReadUsd, 0.0000324, 'cache read');
  near(j.cost.perMonthUsd, 7_177.248, 'month'); // 0.0016614 * 4,320,000
  // Only Build is evaluated: $7,177.25 > $1,000; the recommendation still looks at every standard tier.
  assert.deepEqual(
    j.tiers.map((t: { name: string }) => t.name),
    ['build'],
  );
  near(j.tiers[0].utilization.spend, 7.177248, 'build spend');
  assert.equal(j.recommendedTier, 'scale');
  // Given latency: 90/60 req/s * 4 s = 6.
  near(j.concurrency, 6, 'concurrency');
  assert.equal(j.latency.source, 'input');
});

test('--mix routes traffic without --model', async () => {
  const r = await run(
    '--mix', 'claude-haiku-4-5:0.7,claude-sonnet-5-5:30%',
    '--rpm', '100', '--input-tokens', '500', '--output-tokens', '200', '--json',
  ); // prettier-ignore
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.model, 'claude-haiku-4-5:0.7,claude-sonnet-5-5:0.3');
  // 0.7 * $0.0015 + 0.3 * $0.003 = $0.00195 * 4,320,000 = $8,424.
  near(j.cost.perMonthUsd, 8_424, 'month');
  assert.equal(j.requirements.buckets.length, 2);
});

test('human output: compact table with requirements, cost, tiers, recommendation and catalog date', async () => {
  const r = await run(...worked, '--peak-factor', '2');
  assert.equal(r.code, 0, r.stderr);
  for (const s of [
    'Capacity plan for claude-sonnet-5-5 (catalog as of ',
    'Messages API requirements',
    'peak (Sonnet 5.5 bucket)',
    '100,000', // peak ITPM
    'month = 30 days',
    '$0.003',
    '$432.00',
    '$12,960.00',
    'cache write',
    'Recommended tier: scale',
    'Concurrency: 13 requests in flight', // 200/60 * 3.66 s = 12.2
    'Recommendations:',
    '[model-routing]',
    // The one caveat here is about catalog data, not the plan: listed apart from warnings.
    'Notes on the data:',
    '[unconfirmed]',
  ]) {
    assert.ok(r.stdout.includes(s), `output has ${JSON.stringify(s)}:\n${r.stdout}`);
  }
  assert.ok(!r.stdout.includes('Warnings:'), r.stdout);
  assert.match(r.stdout, /start\s+no\s+20%\s+5%\s+10%\s+2,592%\s+\$500\.00\s+spend/);
  const md = await run(...worked, '--markdown');
  assert.equal(md.code, 0);
  assert.match(md.stdout, /^## Capacity plan/);
  assert.match(md.stdout, /\| --- \| ---: \|/);
});

test('--help lists every flag, shows examples and exits 0', async () => {
  const r = await run('--help');
  assert.equal(r.code, 0);
  for (const flag of [
    '--model',
    '--mix',
    '--rpm',
    '--peak-factor',
    '--input-tokens',
    '--output-tokens',
    '--cached-tokens',
    '--cache-hit-rate',
    '--cache-ttl',
    '--batch-share',
    '--duplicate-share',
    '--latency-s',
    '--tier',
    '--custom-rpm',
    '--custom-itpm',
    '--custom-otpm',
    '--custom-spend-cap',
    '--catalog',
    '--json',
    '--markdown',
  ]) {
    // prettier-ignore
    assert.ok(r.stdout.includes(flag), `help mentions ${flag}`);
  }
  assert.match(r.stdout, /Examples:\n {2}\$ claude-load plan --model/);
  assert.match(r.stdout, /Exit codes: 0 ok/);
});

test('bad input exits 2 and stderr names the flag', async () => {
  const cases: [string[], RegExp][] = [
    [['--model', 'claude-sonnet-5-5', '--rpm', 'abc', '--input-tokens', '1', '--output-tokens', '1'], /--rpm must be a number >= 0 \(got "abc"\)/],
    [[...worked, '--rpm', '-5'], /--rpm must be a number >= 0 \(got "-5"\)/],
    [[...worked, '--batch-share', '1.5'], /--batch-share must be a number between 0 and 1/],
    [[...worked, '--duplicate-share', 'NaN'], /--duplicate-share must be a number/],
    [[...worked, '--peak-factor', '0.5'], /--peak-factor must be a number >= 1/],
    [[...worked, '--cached-tokens', '600', '--cache-hit-rate', '0.9'], /--cached-tokens \(600\) must not exceed/],
    [[...worked, '--cached-tokens', '100'], /--cache-hit-rate is required/],
    [[...worked, '--cache-ttl', '2h'], /--cache-ttl must be 5m or 1h/],
    [[...worked, '--model', 'claude-nope'], /--model: unknown model "claude-nope"/],
    [[...worked, '--model', 'claude-sonnet-4-20250514'], /--model: .*claude-sonnet-5-5/],
    [[...traffic, '--mix', 'claude-haiku-4-5'], /--mix entry 1 .* must look like model:share/],
    [[...traffic, '--mix', 'claude-haiku-4-5:0.5,claude-sonnet-5-5:0.2'], /--mix: mix shares must sum to 1/],
    [[...traffic, '--mix', 'claude-haiku-4-5:0.5,claude-sonnet-5-5:x'], /--mix: mix\[1\]\.share must be a number/],
    [[...worked, '--mix', 'claude-haiku-4-5:1'], /'--mix .*' cannot be used with option '--model/],
    [[...worked, '--json', '--markdown'], /'--markdown' cannot be used with option '--json'/],
    [[...worked, '--tier', 'gold'], /plan: --tier: unknown tier "gold"/],
    [[...worked, '--tier', 'custom', '--custom-rpm', '10'], /--custom-itpm is required/],
    [[...worked, '--custom-rpm', '10'], /--custom-rpm applies only with --tier custom/],
    [[...worked, '--latency-s', '0'], /--latency-s must be a number > 0/],
    [['--model', 'claude-sonnet-5-5', '--input-tokens', '1', '--output-tokens', '1'], /--rpm is required/],
    [['--rpm', '1', '--input-tokens', '1', '--output-tokens', '1'], /--model is required/],
    [[...worked, '--rpmm', '3'], /unknown option '--rpmm'\n\(Did you mean --rpm\?\)/],
    [[...worked, '--rpm'], /--rpm/],
    [[...worked, 'extra'], /too many arguments/],
    [[...worked, '--catalog', '/nonexistent/catalog.json'], /--catalog: cannot read \/nonexistent\/catalog\.json/],
  ]; // prettier-ignore
  for (const [args, message] of cases) {
    const r = await run(...args);
    assert.doesNotMatch(r.stderr, /tier: tier:|argument is ambiguous/, 'no doubled field or parser jargon');
    assert.equal(r.code, 2, `exit 2 for ${args.join(' ')} (stderr: ${r.stderr})`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '', 'nothing on stdout');
  }
});

test('--catalog overrides prices; a bad field in it is named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-cli-'));
  const good = join(dir, 'good.json');
  writeFileSync(
    good,
    JSON.stringify({ asOf: '2027-01-01', models: [{ id: 'claude-sonnet-5-5', prices: { input: 1 } }] }),
  );
  const r = await run(...worked, '--catalog', good, '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.asOf, '2027-01-01');
  // 500 * 1/1e6 + 200 * 10/1e6 = $0.0025 per request.
  near(j.cost.perRequestUsd, 0.0025, 'per request');
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ models: [{ id: 'claude-sonnet-5-5', prices: { input: -1 } }] }));
  const e = await run(...worked, '--catalog', bad);
  assert.equal(e.code, 2);
  assert.match(e.stderr, /--catalog .*bad\.json: catalog\.models\[0\]\.prices\.input must be >= 0/);
});

test('a named tier is answered first, without prose about the smaller standard tiers (#9 item 21)', async () => {
  const custom = [
    '--model', 'claude-sonnet-5-5', '--rpm', '500', '--input-tokens', '500', '--output-tokens', '200',
    '--tier', 'custom', '--custom-rpm', '500', '--custom-itpm', '400000', '--custom-otpm', '200000',
  ]; // prettier-ignore
  const r = await run(...custom);
  assert.equal(r.code, 0, r.stderr);
  const answer = r.stdout.indexOf('Tier custom: fits at peak; closest limit: RPM at 100 %');
  assert.ok(answer > 0, r.stdout);
  assert.ok(answer < r.stdout.indexOf('Standard tiers: Scale is the smallest standard tier that fits'));
  assert.doesNotMatch(r.stdout, /Recommended tier|Smaller tiers do not fit|Start:|Build:/);
  const j = JSON.parse((await run(...custom, '--json')).stdout);
  assert.equal(j.requestedTier.name, 'custom');
  assert.equal(j.requestedTier.fits, true);
  // Without a named tier the recommendation stays as it was.
  const all = await run(...worked);
  assert.match(all.stdout, /Recommended tier: scale\. .*Smaller tiers do not fit: Start/);
});

test("--instances 4: the shared limiter comes first with each instance's share; bad values name the flag", async () => {
  const r = await run('--model', 'claude-sonnet-5-5', '--rpm', '600', '--input-tokens', '500', '--output-tokens', '200', '--instances', '4'); // prettier-ignore
  assert.equal(r.code, 0, r.stderr);
  const first = /Recommendations:\n\s+- \[(\S+)\] (.*)/.exec(r.stdout);
  assert.equal(first?.[1], 'shared-limiter', r.stdout);
  // Scale's Sonnet 5.5 limits (10,000 RPM, 10M ITPM, 2M OTPM) split four ways; 600 RPM peak x1 / 4.
  assert.match(first?.[2] ?? '', /2,500 RPM, 2,500,000 ITPM, 500,000 OTPM/);
  assert.match(first?.[2] ?? '', /about 150 RPM/);
  assert.ok(!/shared-limiter/.test((await run(...worked)).stdout), 'one instance: no shared-limiter advice');
  for (const bad of ['0', '-1', '2.5', 'many', '100000']) {
    const b = await run(...worked, '--instances', bad);
    assert.equal(b.code, 2, bad);
    assert.match(b.stderr, /^claude-load plan: --instances /, b.stderr);
  }
});

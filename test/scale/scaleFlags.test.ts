// `claude-load scale` refuses bad flags and plan files before anything starts: exit 2 and a message
// naming the flag or the plan's field (no process, no Redis, nothing sent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/harness';
import { resolveWorkload } from '../../src/cli/commands/scale';
import type { ScaleOptions } from '../../src/cli/commands/scale';

const tmp = mkdtempSync(join(tmpdir(), 'scale-flags-'));
const limits = ['--rpm', '600', '--itpm', '1000000', '--otpm', '100000'];

const refused: [string[], RegExp][] = [
  [['--instances', '0'], /--instances must be > 0/],
  [['--instances', '-3'], /--instances/],
  [['--instances', '10000'], /--instances must be <= 64/],
  [['--instances', '2.5'], /--instances must be a whole number/],
  [['--instances', 'many'], /--instances must be an integer/],
  [['--instances'], /--instances.*argument missing/],
  [['--rate', '0'], /--rate must be > 0/],
  [['--rate', '-1'], /--rate/],
  [['--rate', '1e9'], /--rate must be <= 10000/],
  [['--rate', 'Infinity'], /--rate must be/],
  [['--offered', '0x'], /--offered must be a multiple/],
  [['--offered', '-2x'], /--offered/],
  [['--offered', 'lots'], /--offered must be a multiple/],
  [['--offered', '1000x'], /--offered must be .*at most 100/],
  [['--offered', '2x', '--rate', '5'], /--offered.*--rate|--rate.*--offered/],
  [['--duration', '0s'], /--duration/],
  [['--duration', '-5s'], /--duration/],
  [['--duration', 'soon'], /--duration: use a number with a unit/],
  [['--duration', '1000h'], /--duration must be at most 1h/],
  [['--duration'], /--duration.*argument missing/],
  [['--modes', 'none,turbo'], /--modes: unknown mode "turbo"/],
  [['--modes', ''], /--modes needs at least one/],
  [['--modes', 'shared,shared'], /--modes: "shared" is listed twice/],
  [['--skew', '1.5'], /--skew must be <= 0.9/],
  [['--skew', '-0.1'], /--skew/],
  [['--tier', 'platinum'], /--tier: unknown tier "platinum"/],
  [['--rpm', '600'], /--rpm, --itpm and --otpm go together/],
  [['--rpm', '0', '--itpm', '1', '--otpm', '1'], /--rpm must be > 0/],
  [['--tier', 'build', ...limits], /use --tier or --rpm/],
  [['--burst-seconds', '0'], /--burst-seconds must be > 0/],
  [['--burst-seconds', '600'], /--burst-seconds must be <= 60/],
  [['--model', 'gpt-4'], /--model/],
  [['--max-tokens', '0'], /--max-tokens must be > 0/],
  [['--max-tokens', '1000000'], /--max-tokens must be <= 128000/],
  [['--time-scale', '0'], /--time-scale must be > 0/],
  [['--time-scale', '1e6'], /--time-scale must be <= 1000/],
  [['--redis', 'localhost:6379'], /--redis must be a redis:\/\/ or rediss:\/\/ URL/],
  [['--quota-ms', '-5'], /--quota-ms must be >= 0/],
  [['--quota-ms', 'soon'], /--quota-ms must be a number/],
  [['--quota-ms', '1e9'], /--quota-ms must be <= 30000/],
  // The bound comes from the burst window, and the flag needs a mode that runs the shared limiter.
  [
    ['--quota-ms', '600', '--burst-seconds', '1', ...limits],
    /--quota-ms must be at most half the burst window \(1 s burst \/ time scale 1 \/ 2 = 500 ms; got 600\)/,
  ],
  [
    ['--quota-ms', '60', '--burst-seconds', '1', '--time-scale', '10', ...limits],
    /--quota-ms must be at most half the burst window \(1 s burst \/ time scale 10 \/ 2 = 50 ms/,
  ],
  [
    ['--quota-ms', '100', '--modes', 'none,fixed-window', ...limits],
    /--quota-ms applies to the shared and queue modes/,
  ],
  [['--redis', 'http://127.0.0.1:6379'], /--redis must be a redis:\/\//],
  // Derived bounds name the flags that produced them.
  [
    ['--offered', '100x', '--time-scale', '1000', ...limits],
    /--offered 100x of 600 RPM at --time-scale 1000 asks for/,
  ],
  [
    ['--rate', '10000', '--duration', '1h', ...limits],
    /--duration 3600s at 10000 req\/s .* shorten --duration/,
  ],
  [['missing.claudeload.json'], /cannot read plan file missing\.claudeload\.json/],
  [['a.json', 'b.json'], /too many arguments/],
];

for (const [args, message] of refused) {
  test(`scale ${args.join(' ') || '""'}: exit 2 naming the flag`, async () => {
    const r = await cli(['scale', ...args]);
    assert.equal(r.code, 2, `${r.stderr}${r.stdout}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /unexpected error|at .*\.ts:\d+/);
  });
}

test('--out under a file is refused before anything starts', async () => {
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'x');
  const r = await cli(['scale', ...limits, '--out', join(file, 'sub')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--out/);
});

function plan(name: string, body: unknown): string {
  const p = join(tmp, name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
}

const opts = (p: string, extra: Partial<ScaleOptions> = {}): ScaleOptions => ({
  plan: p,
  instances: 2,
  durationMs: 1000,
  modes: ['shared'],
  skew: 0,
  json: false,
  ...extra,
});

test('plan file problems name the plan and the field', async () => {
  const cases: [unknown, RegExp][] = [
    ['{ "model": ', /bad\.json/],
    [[1, 2], /must hold a JSON object/],
    [{ model: 'claude-nope-1' }, /model/],
    [{ maxTokens: -5 }, /maxTokens/],
    [{ target: { simulator: { tier: 'gold' } } }, /target\.simulator\.tier/],
    [{ target: { simulator: { tier: 'build', burstSeconds: 0 } } }, /burstSeconds/],
    [
      {
        mix: [
          { model: 'claude-haiku-4-5', share: 0.5 },
          { model: 'claude-sonnet-4-5', share: 0.5 },
        ],
      },
      /mix: a rehearsal shares one rate-limit bucket/,
    ],
  ];
  for (const [body, message] of cases) {
    const p = plan('bad.json', body);
    const r = await cli(['scale', p, '--modes', 'shared']);
    assert.equal(r.code, 2, `${JSON.stringify(body)}: ${r.stderr}`);
    assert.match(r.stderr, message, JSON.stringify(body));
    assert.match(r.stderr, /bad\.json/, `names the file: ${r.stderr}`);
  }
});

test('the plan gives model, prompts, max_tokens and the simulator tier, limits, burst and time scale; flags override', () => {
  const p = plan('good.claudeload.json', {
    name: 'checkout',
    model: 'claude-sonnet-4-5',
    maxTokens: 200,
    prompts: { type: 'synthetic', inputTokens: { mean: 400, sd: 0 } },
    target: { simulator: { tier: 'build', burstSeconds: 2, timeScale: 5, limits: { rpm: 120 } } },
  });
  const w = resolveWorkload(opts(p));
  assert.equal(w.name, 'checkout');
  assert.equal(w.model, 'claude-sonnet-4-5');
  assert.equal(w.maxTokens, 200);
  assert.equal(w.burstSeconds, 2);
  assert.equal(w.timeScale, 5);
  assert.equal(w.limits.rpm, 120, 'the plan simulator limits override the tier');
  assert.ok(w.limits.itpm > 0 && w.limits.otpm > 0, 'the rest from the tier');
  assert.equal(w.bodies.length, 32);
  const first = w.bodies[0] as { model: string; max_tokens: number; messages: { content: string }[] };
  assert.equal(first.model, 'claude-sonnet-4-5');
  assert.equal(first.max_tokens, 200);
  // 400 tokens at 4 characters a token.
  assert.ok(
    Math.abs(first.messages[0]!.content.length - 1600) < 8,
    String(first.messages[0]!.content.length),
  );

  const o = resolveWorkload(
    opts(p, {
      model: 'claude-haiku-4-5',
      maxTokens: 50,
      limits: { rpm: 600, itpm: 1e6, otpm: 1e5 },
      burstSeconds: 1,
      timeScale: 1,
    }),
  );
  assert.equal(o.model, 'claude-haiku-4-5');
  assert.equal(o.maxTokens, 50);
  assert.deepEqual(o.limits, { rpm: 600, itpm: 1e6, otpm: 1e5 });
  assert.equal((o.bodies[3] as { model: string }).model, 'claude-haiku-4-5');
  assert.equal(o.burstSeconds, 1);
  assert.equal(o.timeScale, 1);
  // --tier replaces the plan's tier and limits.
  const t = resolveWorkload(opts(p, { tier: 'start' }));
  assert.notEqual(t.limits.rpm, 120);
});

test('without a plan: the default workload and the build tier for the model', () => {
  const w = resolveWorkload({ instances: 2, durationMs: 1000, modes: ['none'], skew: 0, json: false });
  assert.equal(w.model, 'claude-haiku-4-5');
  assert.equal(w.maxTokens, 64);
  assert.equal(w.burstSeconds, 1);
  assert.ok(w.limits.rpm > 0);
});

// The one formatting module: every number the CLI, the report, the planner, the live panel and the
// status bar show goes through these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dash,
  describeLoad,
  describePrompts,
  escapeHtml,
  fmtCount,
  fmtDuration,
  fmtMs,
  fmtNumber,
  fmtPct,
  fmtRate,
  fmtUsd,
} from '../../src/core/format/index';

test('USD: cents from $1, four significant digits below (a single request stays readable)', () => {
  assert.equal(fmtUsd(12_960), '$12,960.00');
  assert.equal(fmtUsd(1), '$1.00');
  assert.equal(fmtUsd(0.5), '$0.50');
  assert.equal(fmtUsd(0.003), '$0.003');
  assert.equal(fmtUsd(0.000075), '$0.000075');
  assert.equal(fmtUsd(0.000105), '$0.000105');
  assert.equal(fmtUsd(0.00251234), '$0.002512');
  assert.equal(fmtUsd(0.5012), '$0.5012');
  assert.equal(fmtUsd(0), '$0.00');
  assert.equal(fmtUsd(-1944), '-$1,944.00');
  assert.equal(fmtUsd(null), dash);
  assert.equal(fmtUsd(Number.NaN), dash);
});

test('milliseconds: about 3 significant digits, and a duration from a minute on', () => {
  assert.equal(fmtMs(0.612), '0.61 ms');
  assert.equal(fmtMs(45.24), '45.2 ms');
  assert.equal(fmtMs(25), '25 ms');
  assert.equal(fmtMs(3574.4), '3,574 ms');
  assert.equal(fmtMs(59_999), '59,999 ms');
  assert.equal(fmtMs(600_000), '10 min');
  assert.equal(fmtMs(90_000), '1 min 30 s');
  assert.equal(fmtMs(0), '0 ms');
  assert.equal(fmtMs(undefined), dash);
});

test('durations: seconds, then minutes and hours without empty parts', () => {
  assert.equal(fmtDuration(0.5), '0.5 s');
  assert.equal(fmtDuration(45.24), '45.2 s');
  assert.equal(fmtDuration(185), '3 min 05 s');
  assert.equal(fmtDuration(600), '10 min');
  assert.equal(fmtDuration(3720), '1 h 02 min');
  assert.equal(fmtDuration(7200), '2 h');
  assert.equal(fmtDuration(Number.POSITIVE_INFINITY), dash);
});

test('counts, numbers, rates and percentages', () => {
  assert.equal(fmtCount(1234.6), '1,235');
  assert.equal(fmtNumber(50_000), '50,000');
  assert.equal(fmtNumber(3.25, 1), '3.3');
  assert.equal(fmtNumber(0.25, 2), '0.25');
  assert.equal(fmtRate(12.345), '12.35/s');
  assert.equal(fmtPct(0.14), '14 %');
  assert.equal(fmtPct(0.0648), '6.5 %');
  assert.equal(fmtPct(0.005), '0.5 %');
  assert.equal(fmtPct(0), '0 %');
  assert.equal(fmtPct(0.2, { compact: true }), '20%');
  assert.equal(fmtPct(0.14, { digits: 1, fixed: true }), '14.0 %');
  assert.equal(fmtPct(0.333, { digits: 1 }), '33.3 %');
  assert.equal(fmtPct(null), dash);
});

test('a load shape in one line', () => {
  assert.equal(describeLoad({ type: 'concurrency', concurrency: 8 }), 'closed loop: 8 concurrent requests');
  assert.equal(
    describeLoad({
      type: 'ramp',
      startRps: 1,
      maxInFlight: 50,
      stages: [
        { rps: 5, durationMs: 300_000 },
        { rps: 10, durationMs: 300_000 },
      ],
    }),
    'open-loop ramp: 1 → 10 req/s over 10 min in 2 stages (at most 50 in flight)',
  );
});

test('escapeHtml escapes the five characters that matter in content and attributes', () => {
  assert.equal(
    escapeHtml(`<a href="x">Tom & 'Jerry'</a>`),
    '&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;',
  );
});

test('describePrompts: the prompt a run sends in one line, from the scenario or a saved digest', () => {
  assert.equal(
    describePrompts({ type: 'fixed', text: 'Write at least 300 words about\n rate limits.' }),
    '"Write at least 300 words about rate limits." (44 characters)',
  );
  assert.equal(
    describePrompts({ type: 'fixed', text: 'x'.repeat(2000) }),
    `"${'x'.repeat(59)}…" (2,000 characters)`,
  );
  assert.equal(describePrompts({ type: 'list', items: ['a', 'b'] }), '2 prompts in turn, first "a"');
  assert.equal(
    describePrompts({ type: 'synthetic', inputTokens: { mean: 500, sd: 100 } }),
    'synthetic, about 500 input tokens (sd 100)',
  );
  assert.equal(
    describePrompts({
      type: 'synthetic',
      inputTokens: { mean: 3000, sd: 0 },
      cachedPrefix: { tokens: 2000, hitRate: 0.8, ttl: '1h' },
    }),
    'synthetic, about 3,000 input tokens, a cached prefix of 2,000 tokens at 80 % hits (1h TTL)',
  );
  assert.equal(
    describePrompts({
      type: 'digest',
      of: 'fixed',
      count: 1,
      items: [{ sha256: 'ab', length: 1234, preview: 'Hello there' }],
    }),
    '"Hello there" (1,234 characters)',
  );
  assert.equal(
    describePrompts({ type: 'digest', of: 'messages', count: 3, items: [], source: 'p.jsonl' }),
    '3 recorded Messages bodies from p.jsonl',
  );
});

// The rehearsal's report.html: offline (no script source, no external URL), every text escaped, the
// comparison charts and usage vs limit over time; scale.json and report.html written atomically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barChartSvg, renderScaleHtml, scaleSentence, writeScaleOutputs } from '../../src/core/scale/index';
import type { ModeResult, ScaleResult } from '../../src/core/scale/index';
import { formatScaleTable } from '../../src/cli/commands/scale';

function mode(
  name: ModeResult['mode'],
  rateLimitedRate: number,
  utilization: number,
  p99: number,
): ModeResult {
  return {
    mode: name,
    sent: 100,
    ok: 100,
    rateLimited: Math.round(rateLimitedRate * 100),
    rateLimitedRate,
    attempts: 100,
    retries: 0,
    achievedRpm: 600 * utilization,
    limitRpm: 600,
    allowedRequests: 100,
    utilization,
    fairness: 0.97,
    latency: { p50: 40, p99 },
    waitMs: { p50: 0.4, p99: 1.2 },
    roundTripsPerRequest: 2,
    limiterWaits: 0,
    perInstanceOk: [50, 50],
    okPerSecond: [12, 10, 9],
  };
}

const result: ScaleResult = {
  instances: 2,
  offeredRps: 20,
  durationMs: 3000,
  limits: { rpm: 600, itpm: 1e6, otpm: 1e5 },
  burstSeconds: 1,
  timeScale: 2,
  modes: [mode('none', 0.4, 0.8, 900), mode('fixed-window', 0.3, 0.85, 700), mode('shared', 0, 0.97, 120)],
};

test('report.html: offline, the four comparison charts and usage vs the limit over time, data embedded', () => {
  const html = renderScaleHtml(result, 'body{color:red}');
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<script(?! type="application\/json")/, 'no executable script');
  assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//, 'nothing loaded from the network');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  const hostile = renderScaleHtml(result, 'body{}</style><script>alert(1)</script>');
  assert.doesNotMatch(hostile, /<\/style><script>/, 'the stylesheet cannot close its element');
  for (const title of [
    '429 share of attempts',
    'Utilisation',
    'Fairness',
    'Latency p99',
    'Org-level usage vs limit',
  ])
    assert.ok(html.includes(title), title);
  assert.equal((html.match(/<svg /g) ?? []).length, 5);
  // The limit per real second at time scale 2: 600 x 2 / 60 = 20.
  assert.match(html, /limit 20\/s/);
  // Per-mode bars carry their values.
  assert.ok(html.includes('40.0 %') && html.includes('97.0 %') && html.includes('120 ms'));
  const data = /<script type="application\/json" id="scale-data">(.*?)<\/script>/s.exec(html);
  assert.ok(data);
  assert.deepEqual(JSON.parse(data[1]!), JSON.parse(JSON.stringify(result)));
});

test('every text in the report is escaped', () => {
  const svg = barChartSvg({
    title: '<img src=x onerror=alert(1)>',
    unit: '"ms"',
    bars: [{ label: '</text><script>x</script>', value: 3 }],
  });
  assert.doesNotMatch(svg, /<img|<script/);
  assert.match(svg, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(svg, /&lt;\/text&gt;&lt;script&gt;/);
  assert.match(svg, /3\.00 &quot;ms&quot;/);
});

test('the sentence and the table name the best and the worst mode', () => {
  assert.match(
    scaleSentence(result),
    /^2 instances offering 600 RPM against a limit of 600 RPM: shared drew 0\.0 % 429s at 97\.0 % utilisation; none drew 40\.0 %/,
  );
  const table = formatScaleTable({ ...result, modes: [{ ...result.modes[0]!, interrupted: true }] });
  assert.match(table, /^mode\s+sent\s+ok\s+429/);
  assert.match(table, /none \(interrupted\)\s+100\s+100\s+40\s+40\.0 %\s+480 \/ 600\s+80\.0 %/);
});

test('scale.json and report.html written atomically (no temp file left); without a stylesheet only scale.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scale-out-'));
  const paths = await writeScaleOutputs(result, dir, 'body{}');
  assert.deepEqual(readdirSync(dir).sort(), ['report.html', 'scale.json']);
  assert.deepEqual(JSON.parse(readFileSync(paths.scaleJson, 'utf8')), JSON.parse(JSON.stringify(result)));
  const bare = mkdtempSync(join(tmpdir(), 'scale-out-'));
  const only = await writeScaleOutputs(result, bare, undefined);
  assert.equal(only.html, undefined);
  assert.deepEqual(readdirSync(bare), ['scale.json']);
});

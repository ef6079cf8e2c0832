// The report app in headless Chromium: as a VS Code webview (strict nonce CSP, host messages) and as the
// standalone report.html opened from disk. Numbers shown must be the run's numbers; charts must draw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { renderReportHtml } from '../../src/core/report/html';
import { describePrompts } from '../../src/core/format/format';
import type { RunResult } from '../../src/core/model/run';
import { parseScenario, reportHooks, startLoadTest } from '../../src/core/index';
import { analyzeSpike, parseStages, spikeWindowOf } from '../../src/core/sweep/index';
import { makeSampleRun } from '../fixtures/sampleRun';
import {
  canvasBarColumns,
  canvasIsDrawn,
  cspViolations,
  pageErrors,
  post,
  repoRoot,
  screenshot,
  shownMetrics,
  useWebviewHarness,
  waitForPosted,
  webviewState,
} from './harness';

const charts = ['latency', 'ttft', 'throughput', 'outcomes', 'headroom', 'histogram'];
const harness = useWebviewHarness();
async function assertShowsRun(page: Page, run: RunResult): Promise<void> {
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 10_000 });
  const m = await shownMetrics(page);
  const s = run.summary;
  const expectNumber = (key: string, value: number) => {
    assert.ok(m[key], `metric ${key} shown`);
    assert.equal(Number(m[key]?.value), value, key);
  };
  expectNumber('requests.total', s.requests.total);
  expectNumber('requests.ok', s.requests.ok);
  expectNumber('latency.p50', s.latencyMs.p50);
  expectNumber('latency.p95', s.latencyMs.p95);
  expectNumber('latency.p999', s.latencyMs.p999);
  expectNumber('latencyUncorrected.p99', s.latencyUncorrectedMs?.p99 ?? NaN);
  expectNumber('ttft.p99', s.ttftMs.p99);
  expectNumber('tpot.mean', s.tpotMs.mean);
  expectNumber('sendLag.max', s.sendLagMs.max);
  expectNumber('costUsd', s.costUsd);
  expectNumber('tokens.output', s.tokens.output);
  // Formatted text matches the number (en-US grouping, ms units).
  assert.equal(m['requests.total']?.text, '300');
  assert.equal(m['latency.p95']?.text, `${Math.round(s.latencyMs.p95).toLocaleString('en-US')} ms`);
  const header = await page.textContent('[data-field="name"]');
  assert.equal(header, run.name);
  // The prompt the run sent is named (issue #14 item 8), from the scenario or its saved digest.
  assert.equal(await page.textContent('[data-field="prompts"]'), describePrompts(run.scenario.prompts));
  assert.equal(await page.locator('[data-diagnosis="healthy"]').count(), 1);
  assert.equal(await page.locator('[data-threshold]').count(), s.thresholds.length);
  for (const c of charts)
    assert.ok(await canvasIsDrawn(page, `canvas[data-chart="${c}"]`), `chart ${c} drew`);
}

test(
  'in VS Code: asks for the run, shows its numbers, draws six charts, exports',
  { timeout: 60_000 },
  async () => {
    const run = makeSampleRun({ name: 'webview run </script>' });
    const page = await harness().openWebview('report');
    try {
      assert.deepEqual(await waitForPosted(page, 'report/ready'), { type: 'report/ready' });
      await post(page, { type: 'run/show', run });
      await assertShowsRun(page, run);
      assert.deepEqual(await webviewState(page), { run: JSON.parse(JSON.stringify(run)) });

      await page.locator('[data-testid="export-csv"]').click();
      assert.deepEqual(await waitForPosted(page, 'report/export'), { type: 'report/export', format: 'csv' });

      await post(page, { type: 'theme/changed' });
      await post(page, { type: 'not/ours', run: 1 });
      assert.ok(await canvasIsDrawn(page, 'canvas[data-chart="latency"]'));
      await screenshot(page, 'report-webview');
      const csp = (await cspViolations(page)).map((v) => `${v.directive} ${v.blockedURI} ${v.sample}`);
      assert.deepEqual([...csp, ...pageErrors(page)], []);
    } finally {
      await page.close();
    }
  },
);

test('in VS Code: restores the last run from the webview state', { timeout: 60_000 }, async () => {
  const run = makeSampleRun();
  const page = await harness().openWebview('report', { initialState: { run }, theme: 'light' });
  try {
    await assertShowsRun(page, run);
    assert.deepEqual(pageErrors(page), []);
  } finally {
    await page.close();
  }
});

test('in VS Code: a malformed run shows an error naming the field', { timeout: 60_000 }, async () => {
  const page = await harness().openWebview('report');
  try {
    await waitForPosted(page, 'report/ready');
    const bad = JSON.parse(JSON.stringify(makeSampleRun())) as Record<string, unknown>;
    delete bad.timeseries;
    await post(page, { type: 'run/show', run: bad });
    await page.waitForSelector('#app[data-ready="error"]');
    assert.match((await page.textContent('[data-field="error"]')) ?? '', /"timeseries" is missing/);
  } finally {
    await page.close();
  }
});

test('a 6-second run: one outcome bar per second, each centred on its slot, none skipped', async () => {
  const base = makeSampleRun();
  const src = base.timeseries.filter((w) => w.completed > 0);
  const timeseries = src.slice(0, 6).map((w, t) => ({ ...w, t }));
  const run = makeSampleRun({ timeseries, name: 'six seconds' });
  const page = await harness().openWebview('report');
  try {
    await waitForPosted(page, 'report/ready');
    await post(page, { type: 'run/show', run });
    await page.waitForSelector('#app[data-ready="true"]');
    const selector = 'canvas[data-chart="outcomes"]';
    assert.ok(await canvasIsDrawn(page, selector));
    await screenshot(page, 'report-six-seconds');
    // Wider than any tick label's stroke: only bars count.
    const bars = await canvasBarColumns(page, selector, 20);
    // Short runs once drew bars on every other slot with repeated ticks (0, 1, 1, 2, 2, ...).
    assert.equal(bars.length, 6, JSON.stringify(bars));
    const centres = bars.map(([l, r]) => (l + r) / 2);
    const widths = bars.map(([l, r]) => r - l + 1);
    const gaps = centres.slice(1).map((c, i) => c - centres[i]!);
    for (const g of gaps) assert.ok(Math.abs(g - gaps[0]!) <= 2, `even spacing: ${JSON.stringify(gaps)}`);
    // Each bar fills most of its one-second slot (not half of it).
    for (const w of widths) assert.ok(w >= 0.6 * gaps[0]!, `bar ${w} px of a ${gaps[0]} px slot`);
    assert.deepEqual(pageErrors(page), []);
  } finally {
    await page.close();
  }
});

test('a one-hour run with errors draws quickly (decimation, binned bars)', { timeout: 60_000 }, async () => {
  const base = makeSampleRun();
  const src = base.timeseries.filter((w) => w.completed > 0);
  const timeseries = Array.from({ length: 3600 }, (_, t) => {
    const w = src[t % src.length]!;
    const outcomes = { ...w.outcomes, rate_limited: t % 7 === 0 ? 2 : 0, overloaded: t % 11 === 0 ? 1 : 0 };
    return {
      ...w,
      t,
      outcomes,
      headroom: { requests: 0.5, inputTokens: null, outputTokens: (t % 600) / 600 },
    };
  });
  const run = makeSampleRun({ timeseries, name: 'one hour' });
  const page = await harness().openWebview('report');
  try {
    await waitForPosted(page, 'report/ready');
    const t0 = Date.now();
    await post(page, { type: 'run/show', run });
    await page.waitForSelector('#app[data-ready="true"]');
    const ms = Date.now() - t0;
    // About a second on an idle 2-core machine; the budget leaves room for a loaded one running test
    // files in parallel, and still catches drawing every point (no decimation), which takes far longer.
    assert.ok(ms < 15_000, `rendered in ${ms} ms`);
    for (const c of charts)
      assert.ok(await canvasIsDrawn(page, `canvas[data-chart="${c}"]`), `chart ${c} drew`);
    await screenshot(page, 'report-one-hour');
    assert.deepEqual(pageErrors(page), []);
  } finally {
    await page.close();
  }
});

test(
  'standalone report.html from disk: same numbers, charts, no buttons, no CSP errors',
  { timeout: 60_000 },
  async () => {
    const run = makeSampleRun();
    const assets = {
      script: readFileSync(join(repoRoot, 'dist/webview/report.js'), 'utf8'),
      css: readFileSync(join(repoRoot, 'dist/webview/styles.css'), 'utf8'),
    };
    const dir = join(repoRoot, 'test-output', 'browser');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'report-standalone.html');
    writeFileSync(file, renderReportHtml(run, assets));
    const page = await harness().session.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    try {
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await assertShowsRun(page, run);
      assert.equal(await page.locator('.toolbar, [data-testid^="export-"]').count(), 0);
      await screenshot(page, 'report-standalone');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  },
);

test(
  'an agentic/thinking run shows time to first content, thinking tokens and tool-use replies',
  { timeout: 60_000 },
  async () => {
    const base = makeSampleRun();
    const firstContentMs = { ...base.summary.ttftMs, p50: 41, p95: 77, p99: 90 };
    const run = {
      ...base,
      summary: {
        ...base.summary,
        firstContentMs,
        tokens: { ...base.summary.tokens, thinking: 12_345 },
        toolUseReplies: 17,
      },
    };
    const page = await harness().openWebview('report', { initialState: { run } });
    try {
      await page.waitForSelector('#app[data-ready="true"]', { timeout: 10_000 });
      const m = await shownMetrics(page);
      assert.equal(Number(m['firstContent.p95']?.value), 77);
      assert.equal(m['firstContent.p95']?.text, '77 ms');
      assert.equal(Number(m['tokens.thinking']?.value), 12_345);
      assert.equal(m['tokens.thinking']?.text, '12,345');
      assert.equal(Number(m['toolUseReplies']?.value), 17);
      // An ordinary run shows none of the three.
      const plain = await shownMetrics(
        await harness()
          .openWebview('report', { initialState: { run: base } })
          .then(async (p) => {
            await p.waitForSelector('#app[data-ready="true"]', { timeout: 10_000 });
            return p;
          }),
      );
      assert.equal(plain['firstContent.p95'], undefined);
      assert.equal(plain['tokens.thinking'], undefined);
    } finally {
      await page.close();
    }
  },
);

test(
  'a run the user stopped: plain stop reason, no "No problems found" (#14 item 13)',
  { timeout: 60_000 },
  async () => {
    const run = makeSampleRun();
    run.summary.stopReason = 'aborted';
    run.diagnosis = [
      { id: 'healthy', severity: 'info', title: 'No problems found', detail: 'd', advice: 'a' },
      ...run.diagnosis.filter((d) => d.id !== 'healthy'),
    ];
    const page = await harness().openWebview('report', { initialState: { run } });
    try {
      await page.waitForSelector('[data-field="stopReason"], #diagnosis');
      const text = (await page.textContent('body')) ?? '';
      assert.match(text, /Stopped by the user/);
      assert.doesNotMatch(text, /aborted: stopped by the user/);
      assert.equal(await page.locator('[data-diagnosis="healthy"]').count(), 0);
      assert.deepEqual(pageErrors(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'a mix run with a spike: the Per model and Traffic spike sections show the run.json figures',
  { timeout: 60_000 },
  async () => {
    // A real run on the simulator: two models, 4 req/s then 16 req/s for a second then 4 req/s.
    const run = await startLoadTest(
      {
        ...parseScenario({
          name: 'mix spike',
          target: { simulator: { tier: 'scale', latency: 'fast' } },
          mix: [
            { model: 'claude-haiku-4-5', share: 0.5 },
            { model: 'claude-sonnet-5-5', share: 0.5 },
          ],
          prompts: { type: 'synthetic', inputTokens: 50 },
          maxTokens: 10,
          load: { type: 'rate', rps: 1 },
          duration: '1s',
        }),
        load: parseStages(['1s:4', '10ms:16', '1s:16', '10ms:4', '1s:4'], { startRps: 4 }),
        durationMs: undefined,
      },
      reportHooks,
    ).done;
    const by = run.summary.byModel!;
    const w = spikeWindowOf(run.scenario.load)!;
    const a = analyzeSpike(run.timeseries, w);
    const page = await harness().openWebview('report');
    try {
      await post(page, { type: 'run/show', run: JSON.parse(JSON.stringify(run)) as RunResult });
      await page.waitForSelector('#app[data-ready="true"]');
      const m = await shownMetrics(page);
      for (const s of by) {
        assert.equal(Number(m[`byModel.${s.model}.requests`]?.value), s.requests);
        assert.equal(Number(m[`byModel.${s.model}.latency.p95`]?.value), s.latencyMs.p95);
        assert.equal(Number(m[`byModel.${s.model}.costUsd`]?.value), s.costUsd);
        assert.equal(Number(m[`byModel.${s.model}.outputTokens`]?.value), s.outputTokens);
      }
      for (const phase of ['before', 'during', 'after'] as const) {
        assert.equal(Number(m[`spike.${phase}.requests`]?.value), a[phase].requests, phase);
        assert.equal(Number(m[`spike.${phase}.rateLimited`]?.value), a[phase].rateLimited, phase);
      }
      assert.ok(a.during.requests > a.before.requests, JSON.stringify(a));
      assert.match(
        (await page.textContent('#spike')) ?? '',
        /Peak 16 req\/s over a baseline of 4 req\/s, from 1 s to 2 s/,
      );
    } finally {
      await page.close();
    }
  },
);

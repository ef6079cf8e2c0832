// The results panel's batch section in headless Chromium (strict CSP, host messages): a real batch run
// on the simulator (official SDK, 127.0.0.1) is posted as batch/show; every number shown must be the
// report's, and the live comparison appears only when the view has one. Also the planner's link from a
// non-zero batch share to running it as a batch.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  builtinCatalog,
  liveComparison,
  parseScenario,
  planCapacity,
  runBatchScenario,
  timelineRecorder,
  validatePlanInput,
} from '../../src/core/index';
import type { BatchView } from '../../src/core/index';
import { makeSampleRun } from '../fixtures/sampleRun';
import {
  cspViolations,
  pageErrors,
  post,
  screenshot,
  useWebviewHarness,
  waitForPosted,
  webviewState,
} from './harness';

const harness = useWebviewHarness();
let view: BatchView;

before(async () => {
  // 400 requests, 5 % of them overloaded, a 2-minute median at 5 simulated minutes per real second
  // (about 0.4 s real: polls every 30 ms see the counts move).
  const scenario = parseScenario({
    name: 'nightly-summaries',
    target: { simulator: { tier: 'build', timeScale: 300, faultRate: 0.05, fault: '529', seed: 7 } },
    model: 'claude-haiku-4-5',
    prompt: 'Summarise the ticket.',
    maxTokens: 128,
    requests: 400,
    via: 'batches',
    batch: { poll: '30ms', latency: '2m' },
  });
  const timeline = timelineRecorder();
  const report = await runBatchScenario(scenario, { catalog: builtinCatalog, onEvent: timeline.onEvent });
  view = { report, timeline: timeline.points(), savedTo: '.claude-load/runs/x-batch' };
});

/** data-value of every [data-metric] element (first of each key). */
async function values(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } })
      .document;
    const out: Record<string, number> = {};
    for (const el of Array.from(doc.querySelectorAll('[data-metric]')) as {
      getAttribute(n: string): string | null;
    }[]) {
      const key = el.getAttribute('data-metric') ?? '';
      if (!(key in out)) out[key] = Number(el.getAttribute('data-value'));
    }
    return out;
  });
}

test(
  'batch/show: counts by result type, time to end, cost at the batch price, timeline',
  { timeout: 60_000 },
  async () => {
    const r = view.report;
    assert.equal(r.outcomes.succeeded + r.outcomes.errored, 400);
    assert.ok(r.outcomes.errored > 0, 'the fault rate errored some requests');
    const page = await harness().openWebview('report');
    try {
      await waitForPosted(page, 'report/ready');
      await post(page, { type: 'batch/show', batch: view });
      await page.waitForSelector('#app[data-ready="true"] #batch', { timeout: 10_000 });
      const m = await values(page);
      assert.equal(m['batch.requests'], 400);
      for (const k of ['succeeded', 'errored', 'canceled', 'expired'] as const) {
        assert.equal(m[`batch.${k}`], r.outcomes[k], k);
        assert.equal(m[`batch.${k}.share`], r.outcomes[k] / 400, `${k} share`);
      }
      assert.equal(m['batch.errors.overloaded_error'], r.errors.overloaded_error);
      assert.equal(m['batch.turnaroundMs'], r.turnaroundMs);
      assert.equal(m['batch.wallMs'], r.wallMs);
      assert.equal(m['batch.completion.p95'], r.completion!.p95Ms);
      // The 50 % discount from the catalog: the batch price is half the Messages price (no caching).
      assert.equal(r.cost.batchDiscount, builtinCatalog.batchDiscount);
      assert.equal(m['batch.cost.batchUsd'], r.cost.batchUsd);
      assert.equal(m['batch.cost.messagesUsd'], r.cost.messagesUsd);
      assert.ok(Math.abs(r.cost.batchUsd - r.cost.messagesUsd / 2) < 1e-12);
      assert.equal(m['batch.cost.savingUsd'], r.cost.savingUsd);
      assert.equal(m['batch.messagesApi.minutes'], r.messagesApi!.minutes * 60_000);
      const text = (await page.textContent('#batch')) ?? '';
      assert.match(text, /50 % off input and output/);
      assert.match(text, new RegExp(`Saved to${view.savedTo!.replace(/[.]/g, '\\.')}`));
      // The state timeline: one row per recorded point, the last one ended.
      assert.equal(await page.locator('.batch-timeline tbody tr').count(), view.timeline.length);
      assert.equal(await page.locator('.batch-timeline [data-state]').last().textContent(), 'ended');
      assert.equal(await page.locator('#batch-live').count(), 0);
      assert.equal(await page.locator('[data-testid^="export-"]').count(), 0);
      assert.deepEqual(await webviewState(page), { batch: JSON.parse(JSON.stringify(view)) });
      await screenshot(page, 'report-batch');
      const csp = (await cspViolations(page)).map((v) => `${v.directive} ${v.blockedURI}`);
      assert.deepEqual([...csp, ...pageErrors(page)], []);
    } finally {
      await page.close();
    }
  },
);

test(
  'with a live comparison, restored from the webview state; a malformed view names the field',
  { timeout: 60_000 },
  async () => {
    const run = makeSampleRun();
    const withLive: BatchView = { ...view, live: liveComparison(run) };
    const page = await harness().openWebview('report', { initialState: { batch: withLive }, theme: 'light' });
    try {
      await page.waitForSelector('#batch-live', { timeout: 10_000 });
      const m = await values(page);
      assert.equal(m['live.ok'], run.summary.requests.ok);
      assert.equal(m['live.rateLimited'], run.summary.requests.rateLimited);
      assert.equal(m['live.latencyP95Ms'], run.summary.latencyMs.p95);
      assert.equal(m['live.durationMs'], run.summary.durationS * 1000);
      assert.equal(m['live.costUsd'], run.summary.costUsd);
      assert.equal(m['batch.cost.batchUsd.live'], view.report.cost.batchUsd);
      await screenshot(page, 'report-batch-live');

      const { timeline: _t, ...noTimeline } = view;
      await post(page, { type: 'batch/show', batch: noTimeline });
      await page.waitForSelector('#app[data-ready="error"]');
      assert.match((await page.textContent('[data-field="error"]')) ?? '', /"timeline" is missing/);
      assert.deepEqual(pageErrors(page), []);
    } finally {
      await page.close();
    }
  },
);

test('the planner links a non-zero batch share to running it as a batch', { timeout: 60_000 }, async () => {
  const plan = (batchShare: number) =>
    planCapacity(
      validatePlanInput(
        { model: 'claude-haiku-4-5', rpm: 100, inputTokens: 500, outputTokens: 200, batchShare },
        builtinCatalog,
      ),
      { catalog: builtinCatalog },
    );
  const page = await harness().openWebview('planner');
  try {
    await waitForPosted(page, 'planner/ready');
    await post(page, {
      type: 'plan/init',
      models: [
        { id: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5', status: 'active', family: 'haiku' },
      ],
      tiers: builtinCatalog.tiers.map(({ name, displayName, kind }) => ({ name, displayName, kind })),
      input: { model: 'claude-haiku-4-5', rpm: 100, batchShare: 0.3 },
      catalogAsOf: builtinCatalog.asOf,
    });
    await post(page, { type: 'plan/result', result: plan(0.3) });
    const link = page.locator('[data-field="batchShareLink"]');
    await link.waitFor({ timeout: 10_000 });
    assert.match((await link.textContent()) ?? '', /1,800 requests an hour go via Message Batches/);
    await page.locator('[data-testid="plan-batch-test"]').click();
    assert.deepEqual(await waitForPosted(page, 'plan/batchTest'), { type: 'plan/batchTest' });
    // No batch share, no link.
    await post(page, { type: 'plan/result', result: plan(0) });
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(
          '[data-field="batchShareLink"]',
        ) === null,
    );
    assert.deepEqual(pageErrors(page), []);
  } finally {
    await page.close();
  }
});

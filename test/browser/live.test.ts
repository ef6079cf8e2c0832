// The live side panel (webview/live) in headless Chromium, loaded with the extension's real HTML (strict
// nonce CSP) at side-bar width: empty state, streamed ticks, Stop, done + Open report, restore from state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TimeWindow } from '../../src/core/model/run';
import type { HostToLive, LiveRunInfo, LiveTotals } from '../../src/shared/protocol/messages';
import { makeSampleRun } from '../fixtures/sampleRun';
import {
  canvasColorCount,
  canvasIsDrawn,
  cspViolations,
  pageErrors,
  post,
  posted,
  screenshot,
  setTheme,
  shownMetrics,
  useWebviewHarness,
  waitForPosted,
  webviewState,
} from './harness';
import type { OpenWebviewOptions } from './harness';

const charts = ['latency', 'ttft', 'throughput', 'outcomes', 'headroom'];
// About the width of VS Code's side bar.
const harness = useWebviewHarness({ viewport: { width: 340, height: 900 } });
function open(options: OpenWebviewOptions = {}): Promise<Page> {
  return harness().openWebview('live', options);
}

const sample = makeSampleRun({ name: 'live sample </script>' });

const info: LiveRunInfo = {
  name: sample.name,
  targetUrl: 'http://127.0.0.1:4010',
  startedAt: sample.startedAt,
  load: sample.scenario.load,
  models: sample.scenario.models.map((m) => m.model),
  prompt: 'synthetic, about 500 input tokens (sd 100)',
  requests: 300,
};

/** The sample's windows with a few failures mixed in (6 errors in total). */
function windows(): TimeWindow[] {
  return sample.timeseries.map((w) =>
    w.t === 20 || w.t === 30
      ? { ...w, outcomes: { ...w.outcomes, rate_limited: 2, overloaded: 1 } }
      : structuredClone(w),
  );
}

function totalsAt(ws: TimeWindow[], i: number): LiveTotals {
  const upTo = ws.slice(0, i + 1);
  return {
    sent: upTo.reduce((s, w) => s + w.sent, 0),
    completed: upTo.reduce((s, w) => s + w.completed, 0),
    inFlight: ws[i]!.inFlight,
    costUsd: ws[i]!.costUsd,
    elapsedS: ws[i]!.t + 1,
  };
}

/** Posts messages in one go, the way a busy host's messages queue up in the webview. */
async function postAll(page: Page, messages: HostToLive[]): Promise<void> {
  await page.evaluate((list) => {
    const w = globalThis as unknown as { postMessage(m: unknown, origin: string): void };
    for (const m of list) w.postMessage(m, '*');
  }, messages);
}

async function assertChartsDrawn(page: Page): Promise<void> {
  for (const c of charts)
    assert.ok(await canvasIsDrawn(page, `canvas[data-chart="${c}"]`), `chart ${c} drew`);
}

async function problems(page: Page): Promise<string[]> {
  const csp = (await cspViolations(page)).map((v) => `csp ${v.directive} ${v.blockedURI} ${v.sample}`);
  return [...csp, ...pageErrors(page)];
}

const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;

test(
  'empty state, then a streamed run: live numbers, charts, Stop, done and Open report',
  { timeout: 60_000 },
  async () => {
    const page = await open();
    try {
      assert.deepEqual(await waitForPosted(page, 'live/ready'), { type: 'live/ready' });
      await page.waitForSelector('#app[data-state="empty"]');
      assert.match(
        (await page.textContent('[data-field="empty"]')) ?? '',
        /No load test yet\. Run 'Claude: Run Load Test'/,
      );
      assert.equal(await page.isVisible('[data-chart="latency"]'), false);
      // The empty state offers the next steps as buttons (#14 item 10).
      for (const command of ['runLoadTest', 'planCapacity', 'newPlan']) {
        await page.locator(`[data-testid="empty-${command}"]`).click();
        assert.deepEqual(await waitForPosted(page, (m) => (m as { command?: string }).command === command), {
          type: 'live/command',
          command,
        });
      }
      await screenshot(page, 'live-empty');

      // 40 one-window ticks (mid-run), delivered as fast as the page takes them.
      const ws = windows();
      const running = ws.slice(0, 40);
      await postAll(page, [
        { type: 'live/reset', run: info },
        ...running.map((w, i): HostToLive => ({ type: 'live/tick', windows: [w], totals: totalsAt(ws, i) })),
        { type: 'live/warning', message: 'The engine is short of CPU: send lag p99 120 ms.' },
        { type: 'live/warning', message: 'The engine is short of CPU: send lag p99 120 ms.' },
      ]);
      await page.waitForSelector('#app[data-state="running"][data-windows="40"]');
      const renders = Number(await page.getAttribute('#app', 'data-renders'));
      assert.ok(renders < 15, `renders coalesced (${renders} for 43 messages)`);

      const last = running.at(-1)!;
      const totals = totalsAt(ws, 39);
      const m = await shownMetrics(page);
      assert.equal(Number(m['latency.p95']?.value), last.latencyMs.p95);
      assert.equal(m['latency.p95']?.text, ms(last.latencyMs.p95));
      assert.equal(Number(m['latency.p50']?.value), last.latencyMs.p50);
      assert.equal(Number(m['latency.p99']?.value), last.latencyMs.p99);
      assert.equal(Number(m['ttft.p95']?.value), last.ttftMs.p95);
      assert.equal(Number(m.rps?.value), last.completed);
      assert.equal(Number(m.errors?.value), 6);
      assert.equal(Number(m.inFlight?.value), totals.inFlight);
      assert.equal(Number(m.costUsd?.value), totals.costUsd);
      assert.equal(Number(m.completed?.value), totals.completed);
      assert.equal(Number(m.elapsedS?.value), totals.elapsedS);
      assert.equal(await page.textContent('[data-field="name"]'), info.name);
      // The prompt the run sends is named under the target (issue #14 item 8).
      assert.equal(await page.textContent('[data-field="prompt"]'), `Prompt: ${info.prompt}`);
      assert.match(
        (await page.textContent('[data-field="progressLabel"]')) ?? '',
        new RegExp(`^${totals.sent} of 300 requests sent$`),
      );
      assert.equal(await page.locator('[data-field="warnings"] li').count(), 1);
      assert.equal(await page.isVisible('[data-field="rollingNote"]'), false);
      await assertChartsDrawn(page);

      // Stop while running: posts live/stop once, shows "stopping".
      assert.equal(await page.isVisible('[data-testid="open-report"]'), false);
      await page.locator('[data-testid="stop"]').click();
      assert.deepEqual(await waitForPosted(page, 'live/stop'), { type: 'live/stop' });
      await page.waitForSelector('[data-field="status"][data-status="stopping"]');
      await page.locator('[data-testid="stop"]').click({ force: true });
      assert.equal(
        (await posted(page)).filter((x) => (x as { type: string }).type === 'live/stop').length,
        1,
      );
      await screenshot(page, 'live-running');

      // The rest of the windows as one coalesced tick, then done.
      await postAll(page, [
        { type: 'live/tick', windows: ws.slice(40), totals: totalsAt(ws, ws.length - 1) },
        { type: 'live/done', summary: sample.summary, diagnosis: sample.diagnosis },
      ]);
      await page.waitForSelector(`#app[data-state="done"][data-windows="${ws.length}"]`);
      const done = await shownMetrics(page);
      assert.equal(Number(done['summary.total']?.value), sample.summary.requests.total);
      assert.equal(Number(done['summary.latency.p95']?.value), sample.summary.latencyMs.p95);
      // Finished: the tiles show the whole run (the summary), not the last second (#14 item 5).
      assert.equal(Number(done['latency.p95']?.value), sample.summary.latencyMs.p95);
      assert.equal(Number(done['latency.p50']?.value), sample.summary.latencyMs.p50);
      assert.equal(Number(done['latency.p99']?.value), sample.summary.latencyMs.p99);
      assert.equal(Number(done['ttft.p95']?.value), sample.summary.ttftMs.p95);
      assert.equal(Number(done.rps?.value), sample.summary.throughput.rps);
      assert.equal(
        await page.getAttribute('.live-metrics .kv:has([data-metric="latency.p95"])', 'title'),
        'Latency p95, whole run',
      );
      assert.match(
        (await page.textContent('[data-field="summary"]')) ?? '',
        /300 requests, 300 ok, 0 failed/,
      );
      assert.equal(await page.locator('[data-diagnosis="healthy"]').count(), 1);
      assert.equal(await page.isVisible('[data-testid="stop"]'), false);
      await page.locator('[data-testid="open-report"]').click();
      assert.deepEqual(await waitForPosted(page, 'live/openReport'), { type: 'live/openReport' });

      // The state is what a re-created view draws from.
      const state = (await webviewState(page)) as {
        v: number;
        windows: TimeWindow[];
        errors: number;
        summary?: unknown;
      };
      assert.equal(state.v, 1);
      assert.equal(state.windows.length, ws.length);
      assert.equal(state.errors, 6);
      assert.ok(state.summary);

      await post(page, { type: 'theme/changed' });
      await post(page, { type: 'live/tick', totals: {} });
      await post(page, { type: 'not/ours' });
      await assertChartsDrawn(page);
      await screenshot(page, 'live-done');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'reload: draws the saved state before the host answers, then goes live on restore',
  { timeout: 60_000 },
  async () => {
    const ws = windows();
    const mid = ws.slice(0, 30);
    const saved = {
      v: 1,
      run: info,
      windows: mid,
      totals: totalsAt(ws, 29),
      errors: 3,
      warnings: ['kept warning'],
    };
    const page = await open({ initialState: saved, theme: 'light' });
    try {
      await page.waitForSelector('#app[data-state="running"][data-windows="30"][data-live="false"]');
      const m = await shownMetrics(page);
      assert.equal(Number(m['latency.p95']?.value), mid.at(-1)!.latencyMs.p95);
      assert.equal(Number(m.errors?.value), 3);
      await assertChartsDrawn(page);
      // Saved state alone may be a run from an earlier session: no Stop button until the host confirms.
      assert.equal(await page.isVisible('[data-testid="stop"]'), false);
      assert.equal(await page.textContent('[data-field="status"]'), 'earlier session');
      await waitForPosted(page, 'live/ready');

      // The host's restore (with one overlapping tick, which must not be counted twice).
      await postAll(page, [
        { type: 'live/restore', run: info, windows: ws.slice(0, 35), totals: totalsAt(ws, 34) },
        { type: 'live/tick', windows: ws.slice(33, 36), totals: totalsAt(ws, 35) },
      ]);
      await page.waitForSelector('#app[data-state="running"][data-windows="36"][data-live="true"]');
      assert.equal(await page.isVisible('[data-testid="stop"]'), true);
      const m2 = await shownMetrics(page);
      assert.equal(Number(m2.errors?.value), 6);
      assert.equal(Number(m2['latency.p95']?.value), ws[35]!.latencyMs.p95);
      assert.equal(
        await page.locator('[data-field="warnings"] li').count(),
        1,
        'warnings of the same run kept',
      );
      await screenshot(page, 'live-restored-light');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'a finished run restored from state shows its summary; a new run resets the view',
  { timeout: 60_000 },
  async () => {
    const ws = windows();
    const saved = {
      v: 1,
      run: info,
      windows: ws,
      totals: totalsAt(ws, ws.length - 1),
      errors: 6,
      warnings: [],
      summary: sample.summary,
      diagnosis: sample.diagnosis,
    };
    const page = await open({ initialState: saved });
    try {
      await page.waitForSelector('#app[data-state="done"][data-live="false"]');
      assert.equal(Number((await shownMetrics(page))['summary.total']?.value), 300);
      assert.equal(await page.isVisible('[data-testid="open-report"]'), false);
      await post(page, {
        type: 'live/restore',
        run: info,
        windows: ws,
        totals: saved.totals,
        summary: sample.summary,
      });
      await page.waitForSelector('#app[data-state="done"][data-live="true"]');
      assert.equal(await page.isVisible('[data-testid="open-report"]'), true);

      const next = { ...info, name: 'second run', startedAt: new Date().toISOString(), durationMs: 60_000 };
      await post(page, { type: 'live/reset', run: next });
      await page.waitForSelector('#app[data-state="running"][data-windows="0"]');
      assert.equal(await page.textContent('[data-field="name"]'), 'second run');
      assert.equal(await page.locator('[data-field="summary"]').count(), 0);
      assert.equal((await shownMetrics(page))['latency.p95']?.value, '');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'an hour-long run keeps the newest 600 windows, counts errors over all, draws fast',
  { timeout: 60_000 },
  async () => {
    const src = sample.timeseries.filter((w) => w.completed > 0);
    const hour = Array.from({ length: 3600 }, (_, t) => {
      const w = src[t % src.length]!;
      return {
        ...w,
        t,
        outcomes: { ...w.outcomes, rate_limited: t % 10 === 0 ? 1 : 0 },
        headroom: { requests: 0.5, inputTokens: null, outputTokens: (t % 600) / 600 },
      };
    });
    const page = await open();
    try {
      await waitForPosted(page, 'live/ready');
      const restore: HostToLive = {
        type: 'live/restore',
        run: { ...info, durationMs: 3_600_000, requests: undefined },
        windows: hour,
        totals: { sent: 18_000, completed: 17_990, inFlight: 10, costUsd: 54.2, elapsedS: 3600 },
      };
      // Timed inside the page: shipping 3,600 windows through the test driver alone takes about a second.
      const elapsed = await page.evaluate(async (m) => {
        const g = globalThis as unknown as {
          postMessage(m: unknown, origin: string): void;
          document: { querySelector(s: string): unknown };
        };
        const t0 = performance.now();
        g.postMessage(m, '*');
        for (let i = 0; i < 1000 && !g.document.querySelector('#app[data-windows="600"]'); i++)
          await new Promise((r) => setTimeout(r, 5));
        return performance.now() - t0;
      }, restore);
      await page.waitForSelector('#app[data-windows="600"]');
      // A few hundred ms when idle; room for a loaded machine running test files in parallel.
      assert.ok(elapsed < 4000, `drawn in ${Math.round(elapsed)} ms`);
      const m = await shownMetrics(page);
      assert.equal(Number(m.errors?.value), 360);
      assert.equal(Number(m['latency.p95']?.value), hour.at(-1)!.latencyMs.p95);
      const state = (await webviewState(page)) as { windows: TimeWindow[] };
      assert.equal(state.windows.length, 600);
      assert.equal(state.windows[0]!.t, 3000);
      assert.equal(await page.isVisible('[data-field="rollingNote"]'), true);
      await assertChartsDrawn(page);
      await screenshot(page, 'live-one-hour');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'themes: translucent theme colours draw solid, every chart re-colours on a theme change, 250 px fits',
  { timeout: 60_000 },
  async () => {
    const page = await open();
    try {
      // Dark Modern's own value: p95 must not draw at a third of its strength.
      await setTheme(page, 'vscode-dark', { '--vscode-charts-orange': 'rgba(234, 92, 0, 0.33)' });
      const ws = windows();
      await postAll(page, [
        { type: 'live/reset', run: info },
        { type: 'live/tick', windows: ws, totals: totalsAt(ws, ws.length - 1) },
        { type: 'live/done', summary: sample.summary, diagnosis: sample.diagnosis },
      ]);
      await page.waitForSelector('#app[data-state="done"]');
      await assertChartsDrawn(page);
      assert.ok(
        (await canvasColorCount(page, 'canvas[data-chart="latency"]', '#ea5c00', 10)) > 10,
        'p95 drawn in the solid orange',
      );
      // Dark palette: overloaded in the light yellow of the colour-blind-safe palette.
      assert.ok((await canvasColorCount(page, 'canvas[data-chart="outcomes"]', '#f0e442', 4)) > 0);
      await screenshot(page, 'theme-dark-modern-live');

      await setTheme(page, 'vscode-light', {
        '--vscode-editor-background': '#ffffff',
        '--vscode-foreground': '#3b3b3b',
        '--vscode-charts-orange': 'rgba(234, 92, 0, 0.33)',
      });
      // The outcome bars follow the theme too (they kept their old colour before).
      for (let i = 0; i < 50; i++) {
        if ((await canvasColorCount(page, 'canvas[data-chart="outcomes"]', '#b8a900', 4)) > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok((await canvasColorCount(page, 'canvas[data-chart="outcomes"]', '#b8a900', 4)) > 0);
      await screenshot(page, 'theme-light-modern-live');
      const [lightYellow, darkYellow] = [
        await canvasColorCount(page, 'canvas[data-chart="outcomes"]', '#b8a900', 4),
        await canvasColorCount(page, 'canvas[data-chart="outcomes"]', '#f0e442', 4),
      ];
      assert.ok(lightYellow > 3 * darkYellow, `light palette drawn (${lightYellow} vs ${darkYellow})`);
      assert.ok((await canvasColorCount(page, 'canvas[data-chart="latency"]', '#ea5c00', 10)) > 10);

      await setTheme(page, 'vscode-high-contrast', {
        '--vscode-editor-background': '#000000',
        '--vscode-foreground': '#ffffff',
        '--vscode-charts-orange': '#d18616',
        '--vscode-charts-green': '#89d185',
      });
      for (let i = 0; i < 50; i++) {
        if ((await canvasColorCount(page, 'canvas[data-chart="outcomes"]', '#f0e442', 4)) > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok((await canvasColorCount(page, 'canvas[data-chart="outcomes"]', '#f0e442', 4)) > 0);
      assert.ok((await canvasColorCount(page, 'canvas[data-chart="latency"]', '#d18616', 10)) > 10);
      await screenshot(page, 'theme-high-contrast-live');

      // A 250 px side panel: no sideways scroll, every tile inside the panel.
      await page.setViewportSize({ width: 250, height: 900 });
      await page.waitForTimeout(300);
      const fit = await page.evaluate(() => {
        type Box = { getBoundingClientRect(): { right: number } };
        const doc = (
          globalThis as unknown as {
            document: {
              documentElement: { scrollWidth: number; clientWidth: number };
              querySelectorAll(s: string): Iterable<Box>;
            };
          }
        ).document;
        const d = doc.documentElement;
        const tiles = [...doc.querySelectorAll('.live-metrics .kv')].map(
          (e) => e.getBoundingClientRect().right,
        );
        // A value wider than its tile is cut ("$0.0064" read "$0.00"): none may overflow.
        const cut = [...(doc.querySelectorAll('.live-metrics [data-metric]') as Iterable<unknown>)]
          .map((e) => e as { scrollWidth: number; clientWidth: number; textContent: string })
          .filter((e) => e.scrollWidth > e.clientWidth + 1)
          .map((e) => e.textContent);
        const charts = [...doc.querySelectorAll('canvas[data-chart]')].map(
          (e) =>
            (e as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width,
        );
        return {
          scroll: d.scrollWidth,
          client: d.clientWidth,
          right: Math.max(...tiles),
          cut,
          narrowestChart: Math.min(...charts),
        };
      });
      assert.ok(fit.scroll <= fit.client, `no sideways scroll at 250 px (${fit.scroll} > ${fit.client})`);
      assert.ok(fit.right <= fit.client, `tiles inside the panel (${fit.right} > ${fit.client})`);
      assert.deepEqual(fit.cut, [], 'no tile value cut');
      // Charts use the panel's width (they were ~110 px wide beside a second axis).
      assert.ok(fit.narrowestChart >= 0.8 * fit.client, `charts ${fit.narrowestChart} px of ${fit.client}`);
      await screenshot(page, 'live-250px');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'a run the user stopped says "stopped" and claims no "No problems found" (#14 item 13)',
  { timeout: 60_000 },
  async () => {
    const page = await open();
    try {
      const ws = windows().slice(0, 10);
      await postAll(page, [
        { type: 'live/reset', run: info },
        { type: 'live/tick', windows: ws, totals: totalsAt(ws, ws.length - 1) },
        {
          type: 'live/done',
          summary: { ...sample.summary, stopReason: 'aborted' },
          diagnosis: [
            { id: 'healthy', severity: 'info', title: 'No problems found', detail: 'd', advice: 'a' },
          ],
        },
      ]);
      await page.waitForSelector('#app[data-state="done"]');
      assert.equal(await page.textContent('[data-field="status"]'), 'stopped');
      assert.equal(await page.locator('[data-diagnosis="healthy"]').count(), 0);
      assert.match((await page.textContent('[data-field="stopReason"]')) ?? '', /Stopped by you/);
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

// The sweep panel (webview/sweep) in headless Chromium with the extension's real HTML (strict nonce CSP):
// steps arrive one by one and the table and the three charts grow; Stop; the answer in one sentence;
// Light / Dark Modern, a narrow editor, the keyboard, a re-created panel, a malformed message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { parseScenario, reportHooks, type SweepStep } from '../../src/core/index';
import { describeBinding, startSweep, sweepSentence } from '../../src/core/sweep/index';
import {
  resultAnalysis,
  sweepPanelAnalysis,
  sweepPanelInfo,
} from '../../src/extension/panels/sweepPanelModel';
import type { HostToSweep, SweepPanelAnalysis, SweepPanelInfo } from '../../src/shared/protocol/messages';
import { makeSampleSweep } from '../fixtures/sampleSweep';
import {
  canvasColorCount,
  canvasIsDrawn,
  cspViolations,
  pageErrors,
  post,
  posted,
  screenshot,
  setTheme,
  useWebviewHarness,
  waitForPosted,
  webviewState,
} from './harness';
import type { OpenWebviewOptions } from './harness';

const charts = ['sweep-throughput', 'sweep-latency', 'sweep-rate-limited'];
const harness = useWebviewHarness({ viewport: { width: 1100, height: 1300 } });
function open(options: OpenWebviewOptions = {}): Promise<Page> {
  return harness().openWebview('sweep', options);
}

const sweep = makeSampleSweep();
const info: SweepPanelInfo = {
  name: sweep.name,
  target: 'simulator (build)',
  mode: 'rates',
  slo: sweep.slo,
  startedAt: sweep.startedAt,
  stepDurationMs: sweep.settings.stepDurationMs,
  warmupMs: sweep.settings.warmupMs,
};
const noAnalysis: SweepPanelAnalysis = {
  maxSustainableRps: null,
  bindingRps: null,
  binding: null,
  kneeRps: null,
};
const final: SweepPanelAnalysis = {
  maxSustainableRps: 0.75,
  bindingRps: 1,
  binding: describeBinding(sweep.binding),
  kneeRps: 0.75,
};

async function problems(page: Page): Promise<string[]> {
  const csp = (await cspViolations(page)).map((v) => `csp ${v.directive} ${v.blockedURI} ${v.sample}`);
  return [...csp, ...pageErrors(page)];
}

async function cell(page: Page, key: string): Promise<{ value: string | null; text: string | null }> {
  const el = page.locator(`[data-metric="${key}"]`).first();
  return { value: await el.getAttribute('data-value'), text: await el.textContent() };
}

async function send(page: Page, m: HostToSweep): Promise<void> {
  await post(page, m);
}

test(
  'a sweep streamed step by step: progress, table and charts grow, Stop, then the answer',
  { timeout: 90_000 },
  async () => {
    const page = await open();
    try {
      assert.deepEqual(await waitForPosted(page, 'sweep/ready'), { type: 'sweep/ready' });
      await send(page, { type: 'sweep/show', info, steps: [], analysis: noAnalysis });
      await page.waitForSelector('#app[data-state="running"]');
      assert.match(
        (await page.textContent('[data-field="meta"]')) ?? '',
        /simulator \(build\) · fixed rates · steps of 60 s after 5 s warm-up · SLO errors\.rate<0\.01/,
      );
      assert.equal(await page.isVisible('[data-field="noSteps"]'), true);
      await send(page, {
        type: 'sweep/progress',
        progress: {
          index: 0,
          phase: 'rates',
          offeredRps: 0.25,
          elapsedS: 12,
          sent: 3,
          completed: 2,
          inFlight: 1,
          costUsd: 0.0123,
        },
      });
      await page.waitForFunction(() =>
        /Step 1 \(rate at 0\.25 req\/s\): 12 s, sent 3, done 2, in flight 1, \$0\.0123/.test(
          (
            globalThis as unknown as { document: { querySelector(s: string): { textContent: string } } }
          ).document.querySelector('[data-field="progress"]').textContent,
        ),
      );
      // The steps arrive one at a time; after each the table has one more row.
      const steps: SweepStep[] = [];
      for (const step of sweep.steps) {
        steps.push(step);
        const analysis =
          steps.length >= 4 ? { ...final } : { ...noAnalysis, maxSustainableRps: step.offeredRps };
        await send(page, { type: 'sweep/step', step, analysis });
        await page.waitForSelector(`#app[data-steps="${steps.length}"]`);
        assert.equal(await page.locator('table.sw-steps tbody tr').count(), steps.length);
      }
      for (const c of charts)
        assert.ok(await canvasIsDrawn(page, `canvas[data-chart="${c}"]`), `chart ${c} drew`);
      // Every number in the table is the step's own, formatted.
      const s3 = sweep.steps[3]!;
      assert.deepEqual(await cell(page, 'steps.3.offeredRps'), { value: '1', text: '1' });
      assert.equal(Number((await cell(page, 'steps.3.latency.p95')).value), s3.latency.p95);
      assert.equal(
        (await cell(page, 'steps.3.latency.p95')).text,
        `${Math.round(s3.latency.p95).toLocaleString('en-US')} ms`,
      );
      assert.equal(Number((await cell(page, 'steps.3.rateLimitedRate')).value), s3.rateLimitedRate);
      assert.equal((await cell(page, 'steps.3.rateLimitedRate')).text, '17 %');
      assert.equal((await cell(page, 'steps.3.pass')).text, 'fail: errors.rate<0.01, rateLimited.rate<0.01');
      assert.equal((await cell(page, 'steps.0.pass')).text, 'pass');

      // Stop: posted once, then disabled while the step finishes.
      await page.locator('[data-testid="sweep-stop"]').click();
      await waitForPosted(page, 'sweep/stop');
      assert.equal(await page.locator('[data-testid="sweep-stop"]').getAttribute('disabled'), '');

      const sentence = sweepSentence(sweep);
      await send(page, { type: 'sweep/done', result: sweep, sentence, saved: true, analysis: final });
      await page.waitForSelector('#app[data-state="done"]');
      assert.equal(await page.textContent('[data-field="sentence"]'), sentence);
      assert.match(
        sentence,
        /^Sustains 45 RPM under your SLO; requests per minute \(bucket sonnet-5-5\) binds at 60 RPM; the planner predicted 50 \(-10\.0 %\)\.$/,
      );
      assert.deepEqual(await cell(page, 'maxSustainableRpm'), { value: '45', text: '45 RPM' });
      assert.deepEqual(await cell(page, 'predictedMaxRpm'), { value: '50', text: '50 RPM' });
      assert.deepEqual(await cell(page, 'predictionErrorPct'), { value: '-10', text: '−10.0 %' });
      assert.equal(
        await page.textContent('[data-field="binding"]'),
        'requests per minute (bucket sonnet-5-5)',
      );
      assert.equal(await page.isVisible('[data-testid="sweep-stop"]'), false);
      assert.match(
        (await page.textContent('[data-field="progress"]')) ?? '',
        /^Finished: completed, 5 steps, \$/,
      );

      // Keyboard: Open report is reachable and works with Enter.
      await page.focus('[data-testid="sweep-open-report"]');
      await page.keyboard.press('Enter');
      await waitForPosted(page, 'sweep/openReport');
      await screenshot(page, 'sweep-done-dark');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'Light and Dark Modern colours, a 360 px editor without sideways scroll, a re-created panel',
  { timeout: 90_000 },
  async () => {
    const page = await open({ theme: 'light' });
    try {
      await waitForPosted(page, 'sweep/ready');
      await setTheme(page, 'vscode-light', {
        '--vscode-editor-background': '#ffffff',
        '--vscode-foreground': '#3b3b3b',
        '--vscode-charts-red': '#e51400',
      });
      await send(page, {
        type: 'sweep/show',
        info,
        steps: sweep.steps,
        analysis: final,
        done: { result: sweep, sentence: sweepSentence(sweep), saved: false, analysis: final },
      });
      await page.waitForSelector('#app[data-state="done"]');
      for (const c of charts)
        assert.ok(await canvasIsDrawn(page, `canvas[data-chart="${c}"]`), `chart ${c} drew`);
      assert.ok(
        (await canvasColorCount(page, 'canvas[data-chart="sweep-rate-limited"]', '#e51400', 10)) > 10,
        '429 share in the theme red',
      );
      // Not saved: no report to open.
      assert.equal(await page.isVisible('[data-testid="sweep-open-report"]'), false);
      await screenshot(page, 'sweep-light');
      await setTheme(page, 'vscode-dark', {
        '--vscode-editor-background': '#1f1f1f',
        '--vscode-foreground': '#cccccc',
        '--vscode-charts-red': '#f14c4c',
      });
      let red = 0;
      for (let i = 0; i < 50 && red <= 10; i++) {
        red = await canvasColorCount(page, 'canvas[data-chart="sweep-rate-limited"]', '#f14c4c', 10);
        if (red <= 10) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(red > 10, 're-coloured on the theme change');

      await page.setViewportSize({ width: 360, height: 1400 });
      await page.waitForTimeout(300);
      const fit = await page.evaluate(() => {
        const d = (
          globalThis as unknown as {
            document: { documentElement: { scrollWidth: number; clientWidth: number } };
          }
        ).document;
        return { scroll: d.documentElement.scrollWidth, client: d.documentElement.clientWidth };
      });
      assert.ok(fit.scroll <= fit.client, `no sideways scroll at 360 px (${fit.scroll} > ${fit.client})`);
      for (const c of charts)
        assert.ok(await canvasIsDrawn(page, `canvas[data-chart="${c}"]`), `chart ${c} at 360 px`);
      await screenshot(page, 'sweep-360px');

      // A malformed message is ignored, not a crash.
      await post(page, { type: 'sweep/step', step: {} });
      await post(page, { type: 'sweep/done', result: null });
      assert.equal(await page.getAttribute('#app', 'data-steps'), '5');

      // Re-created (hidden and shown): the saved state draws before the host answers.
      const state = await webviewState(page);
      const again = await open({ initialState: state, theme: 'dark' });
      try {
        await again.waitForSelector('#app[data-state="done"]');
        assert.equal(await again.getAttribute('#app', 'data-steps'), '5');
        assert.equal(await again.textContent('[data-field="sentence"]'), sweepSentence(sweep));
        assert.ok(await canvasIsDrawn(again, 'canvas[data-chart="sweep-latency"]'));
        assert.deepEqual(await problems(again), []);
      } finally {
        await again.close();
      }
      assert.ok((await posted(page)).some((m) => (m as { type: string }).type === 'sweep/ready'));
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'a real sweep on the simulator, streamed as the host streams it: the panel shows its own numbers',
  { timeout: 120_000 },
  async () => {
    // Legacy Tier 1 (50 RPM) at 20x simulated time with a 10 s bucket: 0.4 and 0.8 req/s pass, 1.2 and
    // 1.6 req/s (72 and 96 RPM) draw 429s. About 15 s of real time.
    const scenario = parseScenario({
      name: 'checkout-assistant',
      target: { simulator: { tier: 'tier1', latency: 'realistic', timeScale: 20 } },
      model: 'claude-haiku-4-5',
      maxTokens: 60,
      prompts: { type: 'synthetic', inputTokens: 300 },
      load: { type: 'rate', rps: 1 },
      duration: '1s',
    });
    const page = await open();
    try {
      await waitForPosted(page, 'sweep/ready');
      const run = startSweep(
        {
          scenario,
          mode: 'rates',
          rates: [0.4, 0.8, 1.2, 1.6],
          stepDurationMs: 3000,
          warmupMs: 0,
          slo: ['latency.p95<1000, ttft.p95<1000'],
          simulatorBurstSeconds: 10,
        },
        reportHooks,
      );
      const steps: SweepStep[] = [];
      const sent: Promise<void>[] = [];
      const liveInfo: SweepPanelInfo = {
        ...info,
        name: scenario.name,
        target: 'simulator (tier1), 20x time',
        stepDurationMs: 3000,
        warmupMs: 0,
      };
      run.on('start', (e) =>
        sent.push(
          send(page, {
            type: 'sweep/show',
            info: { ...liveInfo, slo: e.slo },
            steps: [],
            analysis: noAnalysis,
          }),
        ),
      );
      run.on('step', (e) => {
        steps.push(e.step);
        sent.push(send(page, { type: 'sweep/step', step: e.step, analysis: sweepPanelAnalysis(steps) }));
      });
      const result = await run.done;
      await Promise.all(sent);
      await send(page, {
        type: 'sweep/done',
        result,
        sentence: sweepSentence(result),
        saved: true,
        analysis: resultAnalysis(result),
      });
      await page.waitForSelector('#app[data-state="done"]');
      assert.equal(await page.getAttribute('#app', 'data-steps'), String(result.steps.length));
      assert.equal(await page.textContent('[data-field="sentence"]'), sweepSentence(result));
      for (const st of result.steps) {
        assert.equal(Number((await cell(page, `steps.${st.index}.latency.p95`)).value), st.latency.p95);
        assert.equal((await cell(page, `steps.${st.index}.pass`)).value, String(st.pass));
      }
      assert.equal(
        result.maxSustainableRpm,
        48,
        JSON.stringify(result.steps.map((x) => [x.offeredRps, x.pass])),
      );
      assert.equal(result.binding.kind, 'rate-limit');
      assert.deepEqual(sweepPanelInfo(result).slo, result.slo);
      for (const c of charts)
        assert.ok(await canvasIsDrawn(page, `canvas[data-chart="${c}"]`), `chart ${c} drew`);
      await screenshot(page, 'sweep-real-dark');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

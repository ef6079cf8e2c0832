// The scaling rehearsal panel in headless Chromium with the extension's real HTML (strict nonce CSP):
// scale/show draws the four mode charts and per-instance throughput with the core's numbers in the
// tables, Copy limiter setup posts its message and the notice is announced, the modes keep their
// colour-blind-safe colours in Dark Modern, Light Modern and High Contrast (re-coloured on a theme
// change), narrow panels do not scroll sideways, the keyboard reaches every control, and the state
// redraws a re-created panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { ScaleResult } from '../../src/core/browser';
import type { ScaleRunInfo } from '../../src/shared/protocol/messages';
import { modeRows, perInstanceRpm } from '../../webview/scale/model';
import { sampleScaleResult } from '../fixtures/sampleScale';
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

const harness = useWebviewHarness();
const info: ScaleRunInfo = {
  model: 'claude-haiku-4-5',
  tierDisplayName: 'Build',
  source: 'the planner',
  offeredMultiple: 2,
  startedAt: '2026-11-28T10:00:00.000Z',
};
const show = { type: 'scale/show', result: sampleScaleResult, info };
const charts = ['rateLimitedShare', 'utilization', 'fairness', 'p99', 'perInstance'];

async function open(options: { initialState?: unknown; theme?: 'dark' | 'light' } = {}): Promise<Page> {
  const page = await harness().openWebview('scale', options);
  await waitForPosted(page, 'scale/ready');
  return page;
}

async function shown(page: Page): Promise<void> {
  await post(page, show);
  await page.waitForSelector('#app[data-state="done"]');
}

async function assertChartsDrawn(page: Page): Promise<void> {
  for (const id of charts)
    assert.ok(await canvasIsDrawn(page, `canvas[data-chart="${id}"]`), `${id} chart drawn`);
}

/** Polls until the canvas has pixels of `hex` (charts redraw on the next frame after a theme change). */
async function waitForColor(page: Page, chart: string, hex: string): Promise<number> {
  let n = 0;
  for (let i = 0; i < 50; i++) {
    n = await canvasColorCount(page, `canvas[data-chart="${chart}"]`, hex, 4);
    if (n > 0) return n;
    await page.waitForTimeout(100);
  }
  return n;
}

async function metricValues(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } })
      .document;
    const out: Record<string, string> = {};
    for (const el of Array.from(doc.querySelectorAll('[data-metric]')) as {
      getAttribute(n: string): string | null;
    }[])
      out[el.getAttribute('data-metric') ?? ''] = el.getAttribute('data-value') ?? '';
    return out;
  });
}

async function noSidewaysScroll(page: Page): Promise<{ scroll: number; client: number }> {
  return page.evaluate(() => {
    const d = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number } };
      }
    ).document.documentElement;
    return { scroll: d.scrollWidth, client: d.clientWidth };
  });
}

test(
  'scale/show: the charts are drawn and the tables carry the core numbers',
  { timeout: 60_000 },
  async () => {
    const page = await open();
    try {
      await shown(page);
      await assertChartsDrawn(page);
      const values = await metricValues(page);
      for (const r of modeRows(sampleScaleResult)) {
        assert.equal(Number(values[`${r.mode}.rateLimitedShare`]), r.rateLimitedShare, `${r.mode} 429 share`);
        assert.equal(Number(values[`${r.mode}.utilization`]), r.utilization);
        assert.equal(Number(values[`${r.mode}.fairness`]), r.fairness);
        assert.equal(Number(values[`${r.mode}.p99`]), r.p99Ms);
        assert.equal(Number(values[`${r.mode}.sent`]), r.sent);
      }
      sampleScaleResult.modes.forEach((m) =>
        perInstanceRpm(m).forEach((v, i) =>
          assert.equal(Number(values[`${m.mode}.instance.${i}`]), v, `${m.mode} instance ${i}`),
        ),
      );
      const text = await page.locator('[data-field="verdict"]').textContent();
      assert.match(text ?? '', /Stayed under the limit: Shared limiter 0 % 429s at 98 % utilisation/);
      assert.match(text ?? '', /Drew 429s: No coordination 41 % 429s at 131 % utilisation/);
      const setup = (await page.locator('[data-field="setup"]').textContent()) ?? '';
      assert.match(setup, /4 instances of claude-haiku-4-5, offered 2x the RPM limit \(20 req\/s\)/);
      assert.match(setup, /Build, from the planner\): 600 RPM/);
      // The chart's accessible name carries its numbers.
      const label = await page.locator('canvas[data-chart="rateLimitedShare"]').getAttribute('aria-label');
      assert.match(label ?? '', /none 41 %.*shared 0 %/);
      // Table text is formatted like the CLI table.
      assert.equal(
        (await page.locator('tr[data-mode="shared"] [data-metric="shared.p99"]').textContent())?.trim(),
        '9,870 ms',
      );
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(pageErrors(page), []);
      await screenshot(page, 'scale-dark');
    } finally {
      await page.close();
    }
  },
);

test('Copy limiter setup posts scale/copySetup; the notice is announced', { timeout: 30_000 }, async () => {
  const page = await open();
  try {
    await shown(page);
    await page.locator('[data-testid="scale-copy-setup"]').click();
    await waitForPosted(page, 'scale/copySetup');
    await post(page, { type: 'scale/notice', message: 'Limiter setup copied: 4 instances', level: 'info' });
    const notice = page.locator('[data-field="notice"]');
    assert.equal(await notice.getAttribute('role'), 'status');
    assert.equal(await notice.textContent(), 'Limiter setup copied: 4 instances');
    // A stray message (wrong shape) is ignored, not drawn.
    await post(page, { type: 'scale/show', result: { modes: 'x' }, info });
    await post(page, { type: 'scale/notice', message: 42, level: 'info' });
    assert.equal(await notice.textContent(), 'Limiter setup copied: 4 instances');
    assert.deepEqual(pageErrors(page), []);
  } finally {
    await page.close();
  }
});

test(
  'keyboard: Tab reaches the copy button and the comparison table; Enter copies',
  { timeout: 30_000 },
  async () => {
    const page = await open();
    try {
      await shown(page);
      const stops: string[] = [];
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Tab');
        stops.push(
          await page.evaluate(() => {
            const a = (
              globalThis as unknown as {
                document: {
                  activeElement: { getAttribute(n: string): string | null; tagName: string } | null;
                };
              }
            ).document.activeElement;
            return a ? (a.getAttribute('data-testid') ?? a.getAttribute('aria-label') ?? a.tagName) : '';
          }),
        );
      }
      assert.equal(stops[0], 'scale-copy-setup', stops.join(' > '));
      assert.ok(stops.includes('Mode comparison table'), stops.join(' > '));
      assert.ok(
        stops.includes('SUMMARY'),
        `the per-instance table opens from the keyboard: ${stops.join(' > ')}`,
      );
      await page.locator('[data-testid="scale-copy-setup"]').focus();
      await page.keyboard.press('Enter');
      await waitForPosted(page, 'scale/copySetup');
    } finally {
      await page.close();
    }
  },
);

test(
  'themes: each mode keeps its colour-blind-safe colour in Dark Modern, Light Modern and High Contrast',
  { timeout: 60_000 },
  async () => {
    const page = await open();
    try {
      await setTheme(page, 'vscode-dark', { '--vscode-charts-orange': 'rgba(234, 92, 0, 0.33)' });
      await shown(page);
      await assertChartsDrawn(page);
      // Dark: shared in Okabe-Ito green, queue in the lighter blue of the dark palette.
      assert.ok((await waitForColor(page, 'utilization', '#009e73')) > 0, 'shared bar green');
      assert.ok((await waitForColor(page, 'utilization', '#3a9ad9')) > 0, 'queue bar light blue');
      assert.ok((await waitForColor(page, 'rateLimitedShare', '#d55e00')) > 0, 'none bar vermillion');
      await screenshot(page, 'theme-dark-modern-scale');

      await setTheme(page, 'vscode-light', {
        '--vscode-editor-background': '#ffffff',
        '--vscode-foreground': '#3b3b3b',
      });
      assert.ok((await waitForColor(page, 'utilization', '#0072b2')) > 0, 'queue bar in the light blue');
      assert.ok((await waitForColor(page, 'perInstance', '#e69f00')) > 0, 'fixed-window bars orange');
      await screenshot(page, 'theme-light-modern-scale');

      await setTheme(page, 'vscode-high-contrast', {
        '--vscode-editor-background': '#000000',
        '--vscode-foreground': '#ffffff',
      });
      assert.ok((await waitForColor(page, 'utilization', '#3a9ad9')) > 0);
      // High Contrast outlines every bar in the foreground colour.
      assert.ok((await waitForColor(page, 'utilization', '#ffffff')) > 20, 'bars outlined');
      await screenshot(page, 'theme-high-contrast-scale');
      assert.deepEqual(pageErrors(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'narrow panels (360 px split editor, 250 px): no sideways scroll, charts still drawn',
  { timeout: 60_000 },
  async () => {
    const page = await open({ theme: 'light' });
    try {
      await shown(page);
      for (const width of [360, 250]) {
        await page.setViewportSize({ width, height: 1400 });
        await page.waitForTimeout(300);
        const fit = await noSidewaysScroll(page);
        assert.ok(
          fit.scroll <= fit.client,
          `no sideways scroll at ${width} px (${fit.scroll} > ${fit.client})`,
        );
        await assertChartsDrawn(page);
        await screenshot(page, `scale-${width}px`);
      }
    } finally {
      await page.close();
    }
  },
);

test('a re-created panel redraws from its state before the host answers', { timeout: 30_000 }, async () => {
  const first = await open({ theme: 'light' });
  let state: unknown;
  try {
    await shown(first);
    state = await webviewState(first);
  } finally {
    await first.close();
  }
  const page = await open({ theme: 'light', initialState: state });
  try {
    await page.waitForSelector('#app[data-state="done"]');
    await assertChartsDrawn(page);
    assert.equal(await page.locator('#app').getAttribute('data-modes'), '4');
    assert.ok((await posted(page)).some((m) => (m as { type: string }).type === 'scale/ready'));
    await page.setViewportSize({ width: 1100, height: 1300 });
    await page.waitForTimeout(300);
    await screenshot(page, 'scale-light');
  } finally {
    await page.close();
  }
});

test(
  'a recorded rehearsal (runScale on the simulator, 4 instances at 2x) renders in Light and Dark Modern',
  { timeout: 60_000 },
  async () => {
    // Recorded with runScale (4 instances, skew 0.5, 600 RPM, 6 s per mode) on the development machine.
    const recorded = JSON.parse(
      readFileSync(new URL('../fixtures/scaleRehearsal.json', import.meta.url), 'utf8'),
    ) as ScaleResult;
    for (const theme of ['light', 'dark'] as const) {
      const page = await open({ theme });
      try {
        await page.setViewportSize({ width: 1000, height: 1100 });
        await post(page, {
          type: 'scale/show',
          result: recorded,
          info: {
            ...info,
            tierDisplayName: 'Custom',
            source: 'the command',
            startedAt: '2026-11-28T10:42:00.000Z',
          },
        });
        await page.waitForSelector('#app[data-state="done"]');
        await assertChartsDrawn(page);
        const values = await metricValues(page);
        for (const r of modeRows(recorded))
          assert.equal(Number(values[`${r.mode}.utilization`]), r.utilization, `${r.mode} utilisation`);
        await screenshot(page, `scale-recorded-${theme}`);
      } finally {
        await page.close();
      }
    }
  },
);

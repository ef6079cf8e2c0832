// The scaling rehearsal journey in real VS Code (code-server + Debian Chromium, the packaged .vsix):
// a plan file's "Rehearse scaling" CodeLens asks instances, offered load, modes and duration, runs
// real instance processes against the simulator with a redis-server from PATH, opens the comparison
// panel with drawn charts, saves scale.json, and "Copy limiter setup" puts the snippet on the clipboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { findWebviewFrame, openFile, screenshot, useWorkbench } from './codeServer';

const extensionId = 'claude-load-scale.claude-load-scale';
const ours = { extensionId };

const wb = useWorkbench('scale', {
  prepare: (workspace) => {
    // Tier 1 (legacy): 50 RPM, so 2x is 1.7 req/s: light on a shared machine, still over the limit.
    writeFileSync(
      join(workspace, 'rehearse.claudeload.json'),
      JSON.stringify(
        {
          name: 'e2e-rehearsal',
          target: { simulator: { tier: 'tier1', latency: 'fast' } },
          model: 'claude-haiku-4-5',
          maxTokens: 64,
          load: { type: 'rate', rps: 1 },
          duration: '5s',
        },
        null,
        2,
      ),
    );
  },
  chromium: { viewport: { width: 1400, height: 1000 } },
  beforeOpen: (browser, server) =>
    browser.context
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
      .catch(() => undefined),
});

/**
 * Opens the plan file from the Explorer (Quick Open's file search can take minutes on a loaded
 * machine), falling back to Quick Open.
 */
async function openPlanFile(p: Page): Promise<void> {
  const name = 'rehearse.claudeload.json';
  const row = p.locator('.explorer-viewlet .monaco-list-row', { hasText: name }).first();
  if (
    await row.waitFor({ state: 'visible', timeout: 20_000 }).then(
      () => true,
      () => false,
    )
  ) {
    await row.dblclick();
    await p.locator(`.monaco-workbench .tab[aria-label^="${name}"]`).first().waitFor({ timeout: 15_000 });
  } else {
    await openFile(p, name);
  }
}

/** Unticks a row of a multi-select quick pick: its checkbox when there is one, else the row. */
async function untick(p: Page, text: string): Promise<void> {
  const row = p.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  const box = row.locator('.quick-input-list-checkbox, input[type="checkbox"]').first();
  if ((await box.count()) > 0) await box.click();
  else await row.click();
}

/** Waits for the quick input to show a row with `text` (the prompt's step is on screen). */
async function quickRow(p: Page, text: string) {
  const row = p.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  return row;
}

test(
  'Rehearse scaling from a plan file: prompts, real processes, the panel, scale.json, Copy limiter setup',
  { timeout: 300_000 },
  async () => {
    const p = wb.page;
    try {
      await openPlanFile(p);
      const lens = p
        .locator('.monaco-editor .codelens-decoration a', { hasText: 'Rehearse scaling' })
        .first();
      await lens.waitFor({ state: 'visible', timeout: 30_000 });
      await lens.click();

      // 1/4 Instances: an edge value is refused with a message naming the field.
      const input = p.locator('.quick-input-widget input').first();
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      await input.fill('1');
      await p
        .locator('.quick-input-widget', { hasText: 'Instances must be a whole number from 2 to 64' })
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('2');
      await p.keyboard.press('Enter');

      // 2/4 Offered load: 2x (the first choice).
      await quickRow(p, 'over the limit');
      await p.keyboard.press('Enter');

      // 3/4 Modes: all four are picked; leave none and shared.
      await quickRow(p, 'fixed-window');
      for (const mode of ['fixed-window', 'queue']) await untick(p, mode);
      // Accept with the OK button (Enter in the list could toggle instead).
      const ok = p.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ }).first();
      if ((await ok.count()) > 0) await ok.click();
      else await p.keyboard.press('Enter');

      // 4/4 Duration: 10 s.
      await (await quickRow(p, 'a quick look')).click();

      const frame: Frame = await findWebviewFrame(
        p,
        async (f) => (await f.locator('#app[data-state="done"]').count()) > 0,
        { ...ours, timeoutMs: 180_000 },
      );
      assert.deepEqual(
        await frame
          .locator('tr[data-mode]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-mode'))),
        ['none', 'shared'],
      );
      const sent = await frame.locator('[data-metric="shared.sent"]').getAttribute('data-value');
      assert.ok(Number(sent) > 0, `shared sent ${sent}`);
      // The burst holds one request even at tier 1's 50 RPM, so requests get through.
      const sharedOk = await frame.locator('[data-metric="shared.ok"]').getAttribute('data-value');
      assert.ok(Number(sharedOk) > 0, `shared ok ${sharedOk}`);
      for (const chart of ['rateLimitedShare', 'utilization', 'fairness', 'p99', 'perInstance']) {
        const drawn = await frame.evaluate((sel) => {
          const c = (
            globalThis as unknown as { document: { querySelector(s: string): unknown } }
          ).document.querySelector(sel) as { width: number; height: number } | null;
          return !!c && c.width > 0 && c.height > 0;
        }, `canvas[data-chart="${chart}"]`);
        assert.ok(drawn, `${chart} chart has a size`);
      }

      // Saved beside runs.
      const runs = join(wb.workspace, '.claude-load', 'runs');
      const dir = readdirSync(runs).find((d) => d.endsWith('-scale'));
      assert.ok(dir, `a *-scale folder under ${runs}`);
      const saved = JSON.parse(readFileSync(join(runs, dir, 'scale.json'), 'utf8')) as {
        instances: number;
        limits: { rpm: number };
      };
      assert.equal(saved.instances, 2);
      assert.equal(saved.limits.rpm, 50, 'tier 1 limits from the plan file');

      await frame.locator('[data-testid="scale-copy-setup"]').click();
      await frame
        .locator('[data-field="notice"]', { hasText: 'Limiter setup copied' })
        .waitFor({ state: 'visible', timeout: 15_000 });
      const clip = await p
        .evaluate(() =>
          (
            globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
          ).navigator.clipboard.readText(),
        )
        .catch(() => '');
      if (clip) {
        assert.match(clip, /from 'claude-load-scale\/limiter'/);
        assert.match(clip, /localShare: 1 \/ 2/);
        assert.match(clip, /limits: \{ rpm: 50, itpm: 30_000, otpm: 8000 \}/);
      }
      await screenshot(p, 'journey-scale');
    } catch (err) {
      await screenshot(p, 'journey-scale-failed').catch(() => undefined);
      throw err;
    }
    assert.ok(existsSync(wb.workspace));
  },
);

// Issue #14 in a real VS Code (code-server 1.139 + Debian Chromium), Light Modern then Dark Modern:
// "Plan capacity" from a plan file shows the file's load; the Run wizard's counter, Back button and
// early missing-key message; a run opened again from Run History reveals its one results tab; the Open
// Run Report picker shows run details. It also takes the README's screenshots in both themes
// (test-output/e2e/readme-*.png; with CLS_README_SCREENSHOTS=1 they are copied to media/screenshots/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { repoRoot } from '../browser/chromium';
import {
  findWebviewFrame,
  openFile,
  runCommand,
  screenshot,
  waitFor,
  waitForNotification,
  useWorkbench,
} from './codeServer';

const ours = { extensionId: 'claude-load-scale.claude-load-scale' };
const planName = 'polish-plan';

const wb = useWorkbench('polish', {
  prepare: (workspace) => {
    writeFileSync(
      join(workspace, 'polish.claudeload.json'),
      JSON.stringify(
        {
          name: planName,
          target: { simulator: { tier: 'build', latency: 'fast' } },
          model: 'claude-haiku-4-5',
          maxTokens: 64,
          prompts: { type: 'synthetic', inputTokens: 200 },
          load: { type: 'rate', rps: 8, arrival: 'constant' },
          duration: '12s',
        },
        null,
        2,
      ),
    );
  },
  settings: { 'claudeLoad.simulator.port': 0, 'workbench.colorTheme': 'Default Light Modern' },
});

/** A README screenshot: kept under test-output, and copied into media/screenshots on request. */
async function readmeShot(p: Page, name: string): Promise<void> {
  const file = await screenshot(p, `readme-${name}`);
  if (process.env.CLS_README_SCREENSHOTS === '1')
    copyFileSync(file, join(repoRoot, 'media', 'screenshots', `${name}.png`));
}

function savedRuns(name: string): string[] {
  const runs = join(wb.workspace, '.claude-load', 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs).filter((f) => f.endsWith(`-${name}`) && existsSync(join(runs, f, 'report.html')));
}

const quickTitle = (p: Page) => p.locator('.quick-input-widget .quick-input-title').first().innerText();
const quickRow = (p: Page, text: string) =>
  p.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();

async function plannerFromCodeLens(p: Page): Promise<Frame> {
  await runCommand(p, 'View: Close All Editors');
  await openFile(p, 'polish.claudeload.json');
  const lens = p.locator('.monaco-editor .codelens-decoration a', { hasText: 'Plan capacity' }).first();
  await lens.waitFor({ state: 'visible', timeout: 30_000 });
  await lens.click();
  return findWebviewFrame(
    p,
    async (f) => (await f.locator('[data-metric="cost.perMonthUsd"]').count()) > 0,
    ours,
  );
}

/** Runs the plan file from its CodeLens; screenshots the live charts mid-run and the results panel. */
async function runPlanFile(p: Page, theme: string): Promise<void> {
  const before = savedRuns(planName).length;
  await runCommand(p, 'View: Close All Editors');
  await openFile(p, 'polish.claudeload.json');
  const lens = p.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run load test' }).first();
  await lens.waitFor({ state: 'visible', timeout: 30_000 });
  await lens.click();
  const live = await findWebviewFrame(
    p,
    async (f) => (await f.locator('#app[data-state]').count()) > 0,
    ours,
  );
  // The charts need the side bar's height: Run History folds away while the screenshot is taken.
  const history = p.locator('.pane-header[aria-expanded="true"]', { hasText: 'Run History' }).first();
  if ((await history.count()) > 0) await history.click();
  await waitFor(
    async () => Number((await live.locator('#app').getAttribute('data-windows')) ?? 0) >= 5,
    30_000,
    'five live windows',
  );
  await readmeShot(p, `live-charts-${theme}`);
  await waitFor(async () => savedRuns(planName).length > before, 60_000, 'run saved');
  const report = await findWebviewFrame(
    p,
    async (f) =>
      (await f.locator('[data-testid="export-json"]').count()) > 0 &&
      (await f.locator('[data-field="name"]').first().innerText()) === planName,
    ours,
  );
  await report.locator('canvas').first().waitFor({ timeout: 20_000 });
  await p.waitForTimeout(1_000);
  await readmeShot(p, `report-${theme}`);
}

test(
  "Light Modern: Plan capacity from a plan file shows the file's load, not the last planner input (#14 item 6)",
  { timeout: 180_000 },
  async () => {
    await wb.step('plan-from-file', async (p) => {
      // A planner input from an earlier session must not leak into the plan file's numbers.
      await runCommand(p, 'Claude: Plan Capacity');
      const first = await findWebviewFrame(
        p,
        async (f) => (await f.locator('[data-field="rpm"] input').count()) > 0,
        ours,
      );
      const rpm = first.locator('[data-field="rpm"] input').first();
      await rpm.click();
      await rpm.fill('');
      await rpm.pressSequentially('999', { delay: 15 });
      await p.waitForTimeout(500);
      const planner = await plannerFromCodeLens(p);
      await waitFor(
        async () => (await planner.locator('[data-field="rpm"] input').first().inputValue()) === '480',
        20_000,
        'planner RPM 480 from load.rps 8',
      );
      assert.equal(await planner.locator('[data-field="inputTokens"] input').first().inputValue(), '200');
      assert.equal(await planner.locator('[data-field="outputTokens"] input').first().inputValue(), '64');
      const note = await waitForNotification(p, 'Planning polish.claudeload.json');
      assert.match(note, /480 RPM from load\.rps 8/);
      await waitFor(
        async () => (await planner.locator('canvas[data-chart="tier-utilisation"]').count()) > 0,
        10_000,
        'planner charts',
      );
      await p.waitForTimeout(1_000);
      await readmeShot(p, 'planner-light');
    });
  },
);

test(
  'Light Modern: the Run wizard counts its steps, says a missing key at once, and goes Back (#14 item 8)',
  { timeout: 180_000 },
  async () => {
    await wb.step('wizard', async (p) => {
      await runCommand(p, 'View: Close All Editors');
      await runCommand(p, 'Claude: Run Load Test');
      await quickRow(p, 'Built-in simulator').waitFor({ timeout: 10_000 });
      assert.match(await quickTitle(p), /Claude: Run Load Test \(1\/6\): target/);
      // No key: the Anthropic API is refused right after this step, not after six.
      await quickRow(p, 'Anthropic API').click();
      const toast = p.locator('.notification-toast', { hasText: 'No API key for the Anthropic API' }).first();
      await toast.waitFor({ timeout: 15_000 });
      assert.equal(
        await p.locator('.quick-input-widget .quick-input-title', { hasText: '(2/6)' }).count(),
        0,
      );
      await toast.getByRole('button', { name: 'Use the simulator' }).click();
      await waitFor(async () => /\(2\/6\): model/.test(await quickTitle(p)), 10_000, 'model step');
      // Back returns to the target step.
      await p.locator('.quick-input-widget .quick-input-left-action-bar .action-label').first().click();
      await waitFor(
        async () => /\(1\/6\): target/.test(await quickTitle(p)),
        10_000,
        'back to the target step',
      );
      await quickRow(p, 'Built-in simulator').click();
      await waitFor(async () => /\(2\/6\): model/.test(await quickTitle(p)), 10_000, 'model step again');
      await p.locator('.quick-input-widget input').first().fill('claude-haiku-4-5');
      await quickRow(p, 'claude-haiku-4-5').click();
      await quickRow(p, 'Concurrency').click();
      // The follow-up input keeps the step's counter.
      await waitFor(
        async () => /\(3\/6\): load shape/.test(await quickTitle(p)),
        10_000,
        'concurrency input',
      );
      const input = p.locator('.quick-input-widget input').first();
      await input.fill('2');
      await p.keyboard.press('Enter');
      await quickRow(p, 'A number of requests').click();
      await waitFor(async () => /\(4\/6\): stop after/.test(await quickTitle(p)), 10_000, 'requests input');
      await input.fill('6');
      await p.keyboard.press('Enter');
      await quickRow(p, 'Default').click();
      await quickRow(p, 'Stream').click();
      await waitFor(
        async () => savedRuns('claude-haiku-4-5-concurrency').length === 1,
        60_000,
        'wizard run saved',
      );
    });
  },
);

test(
  'Light Modern: live charts and results; a run opened again from Run History reuses its tab; the picker shows details (#14 item 9)',
  { timeout: 240_000 },
  async () => {
    await wb.step('history', async (p) => {
      await runPlanFile(p, 'light');
      await runCommand(p, 'View: Close All Editors');
      await runCommand(p, 'Claude Load: Focus on Run History View');
      const row = p.locator('.monaco-list-row', { hasText: planName }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      const tabs = p.locator(`.monaco-workbench .tab[aria-label^="Load test: ${planName}"]`);
      await row.click();
      await tabs.first().waitFor({ timeout: 20_000 });
      await row.click();
      await p.waitForTimeout(1_500);
      await row.click();
      await p.waitForTimeout(1_500);
      assert.equal(await tabs.count(), 1, 'one results tab for the run');
      await readmeShot(p, 'run-history-light');

      await runCommand(p, 'Claude: Open Run Report');
      const pickRow = quickRow(p, planName);
      await pickRow.waitFor({ timeout: 15_000 });
      const text = await pickRow.innerText();
      assert.match(text, /claude-haiku-4-5 · 8 req\/s/);
      assert.match(text, /\d{2}:\d{2}:\d{2}/);
      assert.match(text, /of \d+ ok · p95 [\d,.]+ ms · \$/);
      assert.ok(!/\d{4}-\d{2}-\d{2}T/.test(text), `no folder name in "${text}"`);
      await pickRow.click();
      await p.waitForTimeout(1_500);
      assert.equal(await tabs.count(), 1, 'the picker reveals the same tab');
    });
  },
);

test('Dark Modern: the README screenshots again', { timeout: 240_000 }, async () => {
  await wb.step('dark', async (p) => {
    // As a person would: Preferences: Color Theme, then the theme's row.
    await runCommand(p, 'Preferences: Color Theme');
    const input = p.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('Dark Modern');
    await p.locator('.quick-input-widget .monaco-list-row', { hasText: 'Dark Modern' }).first().click();
    await waitFor(
      async () => (await p.locator('.monaco-workbench.vs-dark').count()) > 0,
      20_000,
      'Dark Modern applied',
    );
    await plannerFromCodeLens(p);
    await p.waitForTimeout(1_500);
    await readmeShot(p, 'planner-dark');
    await runPlanFile(p, 'dark');
    await runCommand(p, 'View: Close All Editors');
    await runCommand(p, 'Claude Load: Focus on Run History View');
    await p.locator('.monaco-list-row', { hasText: planName }).first().waitFor({ timeout: 30_000 });
    await p.waitForTimeout(500);
    await readmeShot(p, 'run-history-dark');
  });
});

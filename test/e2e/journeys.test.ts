// The three journeys a person takes in real VS Code (code-server 1.139 + Debian Chromium), with the
// packaged .vsix installed: plan capacity, store an API key, and run a load test from a plan file's
// CodeLens while the side panel's charts update and the run is saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import {
  findWebviewFrame,
  frameText,
  openFile,
  readUserSettings,
  runCommand,
  screenshot,
  waitFor,
  waitForNotification,
  useWorkbench,
} from './codeServer';

const extensionId = 'claude-load-scale.claude-load-scale';
const fakeKey = 'sk-ant-api03-E2EJOURNEYKEY-0123456789abcdefghijklmnopqrstuv';

const wb = useWorkbench('journeys', {
  prepare: (workspace) => {
    writeFileSync(
      join(workspace, 'journey.claudeload.json'),
      JSON.stringify(
        {
          name: 'e2e-journey',
          target: { simulator: { tier: 'build', latency: 'fast' } },
          model: 'claude-haiku-4-5',
          maxTokens: 64,
          prompts: { type: 'synthetic', inputTokens: 200 },
          load: { type: 'rate', rps: 8, arrival: 'constant' },
          duration: '8s',
          thresholds: { 'errors.rate': '<0.5' },
        },
        null,
        2,
      ),
    );
    // Files opened later must exist before the workbench starts: Quick Open may not see files added
    // afterwards for a while. Journey 4 rewrites its file's content once it knows the simulator URL.
    writeFileSync(join(workspace, 'keyed.claudeload.json'), '{}\n');
    writeFileSync(
      join(workspace, 'typo.claudeload.json'),
      '{\n  // a typo in the model id\n  "model": "claude-sonet-5-5",\n  "requests": 3\n}\n',
    );
  },
  // Port 0: "Start Local Simulator" takes any free port (CI machines may have 4010 busy).
  settings: { 'claudeLoad.simulator.port': 0 },
});

const ours = { extensionId };

async function attr(frame: Frame, selector: string, name: string): Promise<string | null> {
  return frame.locator(selector).first().getAttribute(name);
}

async function canvasDrawn(frame: Frame, selector = 'canvas'): Promise<boolean> {
  return frame.evaluate((sel) => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } })
      .document;
    const list = Array.from(doc.querySelectorAll(sel)) as {
      width: number;
      height: number;
      getContext(
        k: '2d',
      ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    }[];
    return list.some((c) => {
      if (!c.width || !c.height) return false;
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
      if (!data) return false;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n > 200;
    });
  }, selector);
}

function filesUnder(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) filesUnder(p, out);
    else if (s.isFile() && s.size < 5_000_000) out.push(p);
  }
  return out;
}

test(
  'journey 1: Claude: Plan Capacity shows the numbers and a drawn chart',
  { timeout: 120_000 },
  async () => {
    await wb.step('plan', async (p) => {
      await runCommand(p, 'Claude: Plan Capacity');
      const frame = await findWebviewFrame(
        p,
        async (f) => (await f.locator('[data-metric="cost.perMonthUsd"]').count()) > 0,
        ours,
      );
      const monthly = () => frame.locator('[data-metric="cost.perMonthUsd"]').first().innerText();
      // Sonnet 5.5 at 200 RPM, 500 in / 200 out: $0.003 x 200 x 1440 x 30 = $25,920 a month.
      await fillPlanner(frame, { rpm: '200', inputTokens: '500', outputTokens: '200' });
      await waitFor(async () => /25,920/.test(await monthly()), 15_000, 'monthly cost $25,920');
      // Results recompute as you type: back to 100 RPM halves it.
      await fillPlanner(frame, { rpm: '100' });
      await waitFor(async () => /12,960/.test(await monthly()), 15_000, 'monthly cost $12,960');
      assert.match(await frameText(frame), /scale/i);
      await waitFor(() => canvasDrawn(frame), 10_000, 'planner chart drawn');
      await screenshot(p, 'journey-plan');
    });
  },
);

test(
  'journey 2: Claude: Set API Key stores the key in secret storage and nowhere else',
  { timeout: 120_000 },
  async () => {
    const s = wb.server;
    await wb.step('api-key', async (p) => {
      await runCommand(p, 'Claude: Set API Key');
      const input = p.locator('.quick-input-widget input[type="password"]');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(fakeKey);
      await p.keyboard.press('Enter');
      await waitForNotification(p, 'API key saved in secret storage');
      // The Run Load Test flow reads the key back and names where it came from.
      await runCommand(p, 'Claude: Run Load Test');
      await p
        .locator('.quick-input-widget .monaco-list-row', { hasText: 'key from secret storage' })
        .first()
        .waitFor({ timeout: 10_000 });
      await p.keyboard.press('Escape');
    });
    const settings = JSON.stringify(readUserSettings(s.userDataDir));
    assert.ok(!settings.includes(fakeKey), 'settings.json holds no key');
    for (const f of [...filesUnder(join(s.userDataDir, 'User')), ...filesUnder(wb.workspace)]) {
      assert.ok(!readFileSync(f).includes(fakeKey), `plaintext key found in ${f}`);
    }
  },
);

test(
  'journey 3: a plan file CodeLens runs a load test; the side panel charts update; the run is saved',
  { timeout: 180_000 },
  async () => {
    await wb.step('load-test', async (p) => {
      await openFile(p, 'journey.claudeload.json');
      const lens = p.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run load test' }).first();
      await lens.waitFor({ state: 'visible', timeout: 30_000 });
      await lens.click();
      const live = await findWebviewFrame(
        p,
        async (f) => (await f.locator('#app[data-state]').count()) > 0,
        ours,
      );
      await waitFor(
        async () => (await attr(live, '#app', 'data-state')) === 'running',
        20_000,
        'live panel running',
      );
      const first = Number((await attr(live, '[data-metric="completed"]', 'data-value')) ?? 0);
      await waitFor(
        async () => Number((await attr(live, '#app', 'data-windows')) ?? 0) >= 3,
        20_000,
        'three 1-second windows',
      );
      const later = Number((await attr(live, '[data-metric="completed"]', 'data-value')) ?? 0);
      assert.ok(later > first, `completed count moved: ${first} -> ${later}`);
      await waitFor(() => canvasDrawn(live), 10_000, 'live charts drawn');
      await screenshot(p, 'journey-live-running');
      await waitFor(async () => (await attr(live, '#app', 'data-state')) === 'done', 60_000, 'run done');
      // The results panel opens with the report, and its six charts draw (the same app as report.html,
      // fed over postMessage). The live panel shows some of the same numbers, so the report is told
      // apart by its export buttons; its frame can be re-created while the workbench settles, so it is
      // looked up again on every check.
      const isReport = (f: Frame) =>
        f.evaluate(() => {
          const d = (
            globalThis as unknown as {
              document: { querySelector(s: string): unknown; body: { innerText: string } };
            }
          ).document;
          return (
            d.querySelector('[data-testid="export-json"]') !== null &&
            d.body.innerText.includes('e2e-journey')
          );
        });
      await findWebviewFrame(p, isReport, ours);
      await waitFor(
        async () => {
          const report = await findWebviewFrame(p, isReport, { ...ours, timeoutMs: 2_000 });
          return (await report.locator('canvas').count()) >= 6 && (await canvasDrawn(report));
        },
        20_000,
        'report charts drawn',
      );
      await screenshot(p, 'journey-report');
    });
    const runs = join(wb.workspace, '.claude-load', 'runs');
    const folders = existsSync(runs) ? readdirSync(runs) : [];
    assert.equal(folders.length, 1, `one saved run in ${runs}`);
    const run = JSON.parse(readFileSync(join(runs, folders[0]!, 'run.json'), 'utf8'));
    assert.equal(run.name, 'e2e-journey');
    assert.ok(run.summary.requests.ok > 20, `ok requests: ${run.summary.requests.ok}`);
    assert.ok(existsSync(join(runs, folders[0]!, 'report.html')));
  },
);

test(
  'journey 4: with a key, a run against another host asks first, and the key leaks nowhere',
  { timeout: 180_000 },
  async () => {
    const s = wb.server;
    const simUrl = await wb.step('key-host', async (p) => {
      await runCommand(p, 'Claude: Start Local Simulator');
      const text = await waitForNotification(p, 'Claude simulator listening on');
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      assert.ok(url, `simulator URL in "${text}"`);
      writeFileSync(
        join(wb.workspace, 'keyed.claudeload.json'),
        JSON.stringify({
          name: 'keyed-run',
          target: { baseUrl: url },
          model: 'claude-haiku-4-5',
          requests: 6,
          maxTokens: 32,
        }),
      );
      await openFile(p, 'keyed.claudeload.json');
      const lens = p.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run load test' }).first();
      await lens.waitFor({ state: 'visible', timeout: 30_000 });
      await lens.click();
      // The key is about to go to a host other than api.anthropic.com: asked once, in a modal.
      const dialog = p.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      assert.match(await dialog.innerText(), /Send your Anthropic API key to (http:\/\/)?127\.0\.0\.1:\d+\?/);
      await dialog.getByRole('button', { name: 'Send key to this host' }).click();
      // The run is saved when it ends; then its results panel opens and takes the focus.
      await waitFor(async () => savedRun('keyed-run') !== undefined, 60_000, 'keyed run saved');
      await waitForReportPanel(p, 'keyed-run');
      await runCommand(p, 'Claude: Stop Local Simulator');
      return url;
    });
    const runs = join(wb.workspace, '.claude-load', 'runs');
    const folder = readdirSync(runs).find((f) => f.endsWith('-keyed-run'));
    assert.ok(folder, 'keyed run saved');
    const run = JSON.parse(readFileSync(join(runs, folder, 'run.json'), 'utf8'));
    assert.equal(run.summary.requests.ok, 6);
    assert.equal(run.targetUrl, simUrl);
    // Nothing on disk holds the key in plain text: settings, logs (the output channel), results, wb.workspace.
    const files = [...filesUnder(s.userDataDir), ...filesUnder(wb.workspace)];
    assert.ok(
      files.some((f) => /Claude Load & Scale\.log$/.test(f)),
      'the output channel log exists',
    );
    for (const f of files) assert.ok(!readFileSync(f).includes(fakeKey), `plaintext key found in ${f}`);
  },
);

test(
  'journey 5: the guided Claude: Run Load Test flow runs on the simulator',
  { timeout: 180_000 },
  async () => {
    await wb.step('wizard', async (p) => {
      const row = (text: string) =>
        p.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
      const input = p.locator('.quick-input-widget input').first();
      const answer = async (value: string) => {
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(value);
        await p.keyboard.press('Enter');
      };
      await runCommand(p, 'Claude: Run Load Test');
      await row('Built-in simulator').click();
      await input.fill('claude-haiku-4-5');
      await row('claude-haiku-4-5').click();
      await row('Concurrency').click();
      await answer('2');
      await row('A number of requests').click();
      await answer('8');
      await row('Default').click();
      await row('Stream').click();
      await waitFor(
        async () => savedRun('claude-haiku-4-5-concurrency') !== undefined,
        60_000,
        'wizard run saved',
      );
      await waitForReportPanel(p, 'claude-haiku-4-5-concurrency');
    });
    const runs = join(wb.workspace, '.claude-load', 'runs');
    const run = JSON.parse(
      readFileSync(join(runs, savedRun('claude-haiku-4-5-concurrency')!, 'run.json'), 'utf8'),
    );
    assert.equal(run.summary.requests.ok, 8);
    assert.deepEqual(run.scenario.load, { type: 'concurrency', concurrency: 2 });
    assert.equal(run.scenario.target.kind, 'simulator');
  },
);

test(
  'journey 6: a plan file with an unknown model shows a diagnostic that names the fix',
  { timeout: 120_000 },
  async () => {
    await wb.step('diagnostics', async (p) => {
      writeFileSync(
        join(wb.workspace, 'typo.claudeload.json'),
        '{\n  // a typo in the model id\n  "model": "claude-sonet-5-5",\n  "requests": 3\n}\n',
      );
      // Webview editors from earlier journeys can hold the keyboard focus: start from a clean editor area.
      await runCommand(p, 'View: Close All Editors');
      await openFile(p, 'typo.claudeload.json');
      await p.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 20_000 });
      await runCommand(p, 'View: Focus Problems (Errors, Warnings, Infos)');
      await p
        .getByText('Did you mean claude-sonnet-5-5', { exact: false })
        .first()
        .waitFor({ timeout: 15_000 });
      await screenshot(p, 'journey-diagnostics');
    });
  },
);

test(
  'journey 7: the Run History view lists saved runs with status, p95 and cost; results stay out of git',
  { timeout: 120_000 },
  async () => {
    await wb.step('history', async (p) => {
      await runCommand(p, 'Claude Load: Focus on Run History View');
      const row = p.locator('.monaco-list-row', { hasText: 'keyed-run' }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      const text = await row.innerText();
      assert.match(text, /p95 \d/);
      assert.match(text, /\$\d/);
      assert.ok(
        (await row.locator('.codicon-pass, .codicon-warning').count()) > 0,
        `status icon in "${text}"`,
      );
      // Nothing is running: the Latency view offers no Stop (context key claudeLoad.running).
      assert.equal(await p.locator('.pane-header [aria-label^="Stop Load Test"]').count(), 0);
      await screenshot(p, 'journey-history');
    });
    const ignore = join(wb.workspace, '.claude-load', '.gitignore');
    assert.ok(existsSync(ignore), '.claude-load/.gitignore written');
    assert.match(readFileSync(ignore, 'utf8'), /^\*$/m);
  },
);

/** Waits until the results panel of run `name` shows (it takes the focus when it opens). */
async function waitForReportPanel(p: Page, name: string): Promise<void> {
  await findWebviewFrame(
    p,
    (f) =>
      f.evaluate((n) => {
        const d = (
          globalThis as unknown as {
            document: { querySelector(s: string): unknown; body: { innerText: string } };
          }
        ).document;
        return d.querySelector('[data-testid="export-json"]') !== null && d.body.innerText.includes(n);
      }, name),
    { ...ours, timeoutMs: 30_000 },
  );
}

/** The folder of a saved run (run.json written) by name, if there is one yet. */
function savedRun(name: string): string | undefined {
  const runs = join(wb.workspace, '.claude-load', 'runs');
  if (!existsSync(runs)) return undefined;
  return readdirSync(runs).find((f) => f.endsWith(`-${name}`) && existsSync(join(runs, f, 'report.html')));
}

/** Types into the planner form as a person would: RPM, input and output tokens (selectors from webview/planner). */
async function fillPlanner(frame: Frame, values: Record<string, string>): Promise<void> {
  for (const [field, value] of Object.entries(values)) {
    const input = frame.locator(`[data-field="${field}"] input`).first();
    await input.click();
    await input.fill('');
    await input.pressSequentially(value, { delay: 15 });
  }
}

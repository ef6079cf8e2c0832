// The planner's "App instances" field in headless Chromium (real HTML/CSP): it is restored from the
// host's input and posted with plan/input, a plan for 4 instances shows the shared-limiter advice with
// each instance's share, and an edge value is flagged in the label's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog, planCapacity, validatePlanInput } from '../../src/core/index';
import { pageErrors, post, posted, screenshot, useWebviewHarness, waitForPosted } from './harness';

const harness = useWebviewHarness();
const input = {
  model: 'claude-sonnet-5-5',
  rpm: '300',
  inputTokens: '500',
  outputTokens: '200',
  tier: 'build',
  instances: '4',
};

test(
  'App instances: restored, posted, and above 1 the shared limiter is recommended',
  { timeout: 60_000 },
  async () => {
    const page = await harness().openWebview('planner', { theme: 'light' });
    try {
      await waitForPosted(page, 'planner/ready');
      await post(page, {
        type: 'plan/init',
        models: builtinCatalog.models
          .filter((m) => m.status !== 'retired')
          .map(({ id, displayName, status, family }) => ({ id, displayName, status, family })),
        tiers: builtinCatalog.tiers.map(({ name, displayName, kind }) => ({ name, displayName, kind })),
        input,
      });
      await page.waitForSelector('#app[data-ready="form"]');
      const sent = (await waitForPosted(page, 'plan/input')) as { input: Record<string, unknown> };
      assert.equal(sent.input.instances, '4', 'the field value goes to the host');
      const field = page.locator('vscode-text-field[data-field="instances"]');
      assert.equal(await field.getAttribute('value'), '4');
      assert.match((await field.textContent()) ?? '', /App instances sharing the API key/);

      const result = planCapacity(validatePlanInput(sent.input, builtinCatalog), { catalog: builtinCatalog });
      const advice = result.recommendations.find((r) => r.id === 'shared-limiter');
      assert.ok(advice);
      await post(page, { type: 'plan/result', result });
      await page.waitForSelector('#app[data-results="1"]');
      const text = (await page.textContent('body')) ?? '';
      assert.ok(text.includes(advice.message), 'the advice with the per-instance share is shown');
      await page.locator('vscode-text-field[data-field="instances"]').scrollIntoViewIfNeeded();
      await screenshot(page, 'planner-instances');

      await post(page, {
        type: 'plan/error',
        field: 'instances',
        message: 'instances must be a whole number of app instances (got "2.5")',
      });
      await page.waitForSelector('#app[data-state="error"]');
      assert.equal(
        await page.textContent('[data-error-for="instances"]'),
        'App instances sharing the API key must be a whole number of app instances (got "2.5")',
      );
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.ok((await posted(page)).length > 0);
      assert.deepEqual(pageErrors(page), []);
    } finally {
      await page.close();
    }
  },
);

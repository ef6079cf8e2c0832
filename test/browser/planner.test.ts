// The capacity planner app in headless Chromium with the extension's real HTML (strict nonce CSP): plan/init
// fills the form, typing posts debounced plan/input, a real plan/result (computed here with planCapacity)
// shows the same numbers and draws both charts, plan/error highlights the named field, the buttons post
// their messages, every control has an accessible name, and the state restores the panel.
import { measuredVsPredicted } from '../../src/core/sweep/index';
import { makeSampleSweep } from '../fixtures/sampleSweep';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type { Page } from 'playwright-core';
import { builtinCatalog, planCapacity, validatePlanInput } from '../../src/core/index';
import type { PlanResult } from '../../src/core/index';
import { defaultPlanInput } from '../../src/core/planFile/fromCapacityPlan';
import {
  canvasIsDrawn,
  cspViolations,
  pageErrors,
  post,
  posted,
  screenshot,
  useWebviewHarness,
  waitForPosted,
  webviewState,
} from './harness';

const harness = useWebviewHarness();
type Msg = { type: string; input?: Record<string, unknown> };

const init = {
  type: 'plan/init',
  models: builtinCatalog.models
    .filter((m) => m.status !== 'retired')
    .map(({ id, displayName, status, family }) => ({ id, displayName, status, family })),
  tiers: builtinCatalog.tiers.map(({ name, displayName, kind }) => ({ name, displayName, kind })),
  input: defaultPlanInput('claude-sonnet-5-5'),
  catalogAsOf: builtinCatalog.asOf,
};

function planFor(input: Record<string, unknown>): PlanResult {
  return planCapacity(validatePlanInput(input, builtinCatalog), { catalog: builtinCatalog });
}

async function open(options: { initialState?: unknown; theme?: 'dark' | 'light' } = {}): Promise<Page> {
  return harness().openWebview('planner', options);
}

async function inputs(page: Page): Promise<Record<string, unknown>[]> {
  return ((await posted(page)) as Msg[]).filter((m) => m.type === 'plan/input').map((m) => m.input ?? {});
}

/** Waits until `n` plan/input messages were posted and returns the last. */
async function nthInput(page: Page, n: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const all = await inputs(page);
    if (all.length >= n) return all[n - 1]!;
    if (Date.now() > deadline)
      throw new Error(`expected ${n} plan/input messages, got ${JSON.stringify(all)}`);
    await page.waitForTimeout(30);
  }
}

/**
 * Waits until the newest plan/input passes `check` and returns it. The form debounces, and on a loaded
 * machine the debounce fires late: poll for the expected message instead of sleeping a fixed time.
 */
async function lastInputWhere(
  page: Page,
  check: (input: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const last = (await inputs(page)).at(-1);
    if (last && check(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`no plan/input passed the check; the last: ${JSON.stringify(last)}`);
    await page.waitForTimeout(30);
  }
}

/** Waits for the toolkit to upgrade the form's elements (it loads as a module after the app). */
async function toolkitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const g = globalThis as unknown as {
      customElements: { get(n: string): unknown };
      document: { querySelector(s: string): { shadowRoot: unknown } | null };
    };
    return (
      g.customElements.get('vscode-text-field') !== undefined &&
      !!g.document.querySelector('vscode-text-field[data-field="rpm"]')?.shadowRoot
    );
  });
}

/** data-value of every [data-metric] element. Keys are unique. */
async function metrics(page: Page): Promise<Record<string, { value: string; text: string; count: number }>> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } })
      .document;
    const out: Record<string, { value: string; text: string; count: number }> = {};
    for (const el of Array.from(doc.querySelectorAll('[data-metric]')) as {
      getAttribute(n: string): string | null;
      textContent: string | null;
    }[]) {
      const key = el.getAttribute('data-metric') ?? '';
      const prev = out[key];
      out[key] = {
        value: el.getAttribute('data-value') ?? '',
        text: el.textContent ?? '',
        count: (prev?.count ?? 0) + 1,
      };
    }
    return out;
  });
}

/** Follows a data-metric path into the result; list items are picked by bucket/name/model/id. */
function resolve(result: PlanResult, key: string): unknown {
  let cur: unknown = result;
  for (const part of key.split('.')) {
    if (Array.isArray(cur)) {
      cur = cur.find((x: Record<string, unknown>) => [x.bucket, x.name, x.model, x.id].includes(part));
    } else if (cur && typeof cur === 'object') {
      cur = (cur as Record<string, unknown>)[part];
    } else return undefined;
  }
  return cur;
}

async function assertShowsResult(page: Page, result: PlanResult): Promise<void> {
  const m = await metrics(page);
  const keys = Object.keys(m);
  assert.ok(keys.length > 40, `many numbers shown (${keys.length})`);
  for (const key of keys) {
    assert.equal(m[key]?.count, 1, `data-metric ${key} is unique`);
    if (key.startsWith('summary.')) continue;
    const expected = resolve(result, key);
    assert.ok(typeof expected === 'number' || expected === null, `${key} is a number of the result`);
    assert.equal(m[key]?.value, expected === null ? '' : String(expected), key);
  }
  assert.equal(Number(m['summary.costPerMonthUsd']?.value), result.cost.perMonthUsd);
  assert.equal(Number(m['summary.concurrency']?.value), result.concurrencyRoundedUp);
  assert.equal(
    await page.getAttribute('[data-field="recommendedTier"]', 'data-value'),
    result.recommendedTier,
  );
  assert.equal(await page.textContent('[data-field="asOf"]'), result.asOf);
  for (const t of result.tiers) assert.equal(await page.locator(`tr[data-tier="${t.name}"]`).count(), 1);
  for (const chart of ['tier-utilisation', 'cost-breakdown'])
    assert.ok(await canvasIsDrawn(page, `canvas[data-chart="${chart}"]`), `chart ${chart} drew`);
}

/**
 * Every form control and button has an accessible name (aria-label, aria-labelledby, <label for>, or the
 * text of a button/radio); returns the ones without. A string, so tsx's helpers stay out of the page.
 */
const unlabelledScript = `(() => {
  const named = (el) => {
    if (el.getAttribute('aria-label')?.trim()) return true;
    const by = el.getAttribute('aria-labelledby');
    if (by && by.split(/\\s+/).some((id) => document.getElementById(id)?.textContent?.trim())) return true;
    return !!el.id && [...document.querySelectorAll('label')].some((l) => l.htmlFor === el.id && l.textContent.trim());
  };
  const bad = [];
  const sel = 'input, select, textarea, button, vscode-text-field, vscode-dropdown, vscode-radio-group, ' +
    'vscode-radio, vscode-checkbox, vscode-button';
  for (const el of document.querySelectorAll(sel)) {
    const byText = ['button', 'vscode-button', 'vscode-radio'].includes(el.localName) && el.textContent.trim();
    if (!named(el) && !byText) bad.push(el.localName + '#' + el.id);
    // The toolkit passes the host's aria-label to its inner <input>.
    if (el.localName === 'vscode-text-field' && !el.shadowRoot?.querySelector('input')?.getAttribute('aria-label')?.trim())
      bad.push(el.localName + '#' + el.id + ' (inner input)');
  }
  return bad;
})()`;

async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(unlabelledScript) as Promise<string[]>;
}

async function problems(page: Page): Promise<string[]> {
  const csp = (await cspViolations(page)).map((v) => `csp ${v.directive} ${v.blockedURI} ${v.sample}`);
  return [...csp, ...pageErrors(page)];
}

const field = (name: string) => `vscode-text-field[data-field="${name}"]`;

test(
  'plan/init fills the form, typing posts plan/input, results and charts show the plan',
  { timeout: 90_000 },
  async () => {
    const page = await open();
    try {
      assert.deepEqual(await waitForPosted(page, 'planner/ready'), { type: 'planner/ready' });
      await post(page, init);
      await page.waitForSelector('#app[data-ready="form"]');
      // After init the form's input is posted at once (strings as typed, empty fields left out).
      const first = await nthInput(page, 1);
      assert.deepEqual(first, {
        model: 'claude-sonnet-5-5',
        rpm: '100',
        peakFactor: '1',
        inputTokens: '500',
        outputTokens: '200',
        cacheTtl: '5m',
      });
      await toolkitReady(page);

      // The worked example: $12,960 a month.
      const result = planFor(first);
      assert.equal(result.cost.perMonthUsd, 12_960);
      await post(page, { type: 'plan/result', result });
      await page.waitForSelector('#app[data-results="1"]');
      await assertShowsResult(page, result);
      assert.equal((await metrics(page))['cost.perMonthUsd']?.text, '$12,960.00');
      assert.equal(await page.getAttribute('tr[data-tier="scale"]', 'class'), 'fits pl-recommended');
      assert.match((await page.textContent('#plan-cost')) ?? '', /30 days/);

      // Typing: one plan/input per pause (debounced), carrying the typed value. The burst of edits is
      // dispatched in one task, so however slow the machine no debounce timer can fire in between.
      await page.evaluate((name) => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
        const el = doc.querySelector(`vscode-text-field[data-field="${name}"]`) as {
          value: string;
          dispatchEvent(e: unknown): boolean;
        };
        for (const value of ['', '2', '25', '250', '2500']) {
          el.value = value;
          el.dispatchEvent(new Event('input', { bubbles: true }));
        }
      }, 'rpm');
      const second = await nthInput(page, 2);
      assert.equal(second.rpm, '2500');
      // Nothing else is pending: a debounce later still finds the one message.
      await page.waitForTimeout(400);
      assert.equal((await inputs(page)).length, 2, 'one message for the whole burst');
      const result2 = planFor(second);
      await post(page, { type: 'plan/result', result: result2 });
      await page.waitForSelector('#app[data-results="2"]');
      await assertShowsResult(page, result2);

      // plan/error highlights the named field and marks the results stale; the buttons wait for a valid plan.
      await post(page, { type: 'plan/error', field: 'rpm', message: 'rpm must be a number >= 0 (got "-1")' });
      await page.waitForSelector('#app[data-state="error"]');
      assert.equal(await page.getAttribute(field('rpm'), 'aria-invalid'), 'true');
      // The toolkit copies aria-invalid onto its inner <input> on its next update, not synchronously.
      await page.locator(`${field('rpm')} input[aria-invalid="true"]`).waitFor({ timeout: 5_000 });
      // In the label's words, not the internal field name (#14 item 3).
      assert.equal(
        await page.textContent('[data-error-for="rpm"]'),
        'Requests per minute (average) must be a number ≥ 0 (got "-1")',
      );
      assert.ok(await page.locator('[data-error-for="rpm"]').isVisible());
      assert.ok(await page.locator('.pl-results.pl-stale').isVisible());
      assert.equal(await page.getAttribute('[data-testid="plan-save"]', 'disabled'), '');
      await screenshot(page, 'planner-error');
      // An unknown field lands in the form-level slot; the previous highlight goes.
      await post(page, { type: 'plan/error', field: 'input', message: 'planner input must be an object' });
      await page.waitForFunction(() => {
        const d = (
          globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } | null } }
        ).document;
        return d.querySelector('[data-error-for="input"]')?.hidden === false;
      });
      assert.equal(await page.getAttribute(field('rpm'), 'aria-invalid'), null);

      await post(page, { type: 'plan/result', result });
      await page.waitForSelector('#app[data-results="3"]');
      // Inner toolkit inputs drop aria-invalid on their next update: poll briefly.
      for (let i = 0; i < 50 && (await page.locator('[aria-invalid="true"]').count()) > 0; i++)
        await page.waitForTimeout(100);
      assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
      assert.equal(await page.locator('.pl-stale').count(), 0);

      // The buttons post their messages.
      for (const [id, type] of [
        ['plan-save', 'plan/save'],
        ['plan-copy', 'plan/copyMarkdown'],
        ['plan-load-test', 'plan/loadTest'],
      ] as const) {
        await page.locator(`[data-testid="${id}"]`).click();
        assert.deepEqual(await waitForPosted(page, type), { type });
      }

      assert.deepEqual(await unlabelled(page), []);
      await post(page, { type: 'theme/changed' });
      await post(page, { type: 'plan/result', result: 'not a result' });
      assert.ok(await canvasIsDrawn(page, 'canvas[data-chart="tier-utilisation"]'));
      await screenshot(page, 'planner-webview');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test('model mix rows, the custom tier and errors on nested fields', { timeout: 90_000 }, async () => {
  const page = await open({ theme: 'light' });
  try {
    await waitForPosted(page, 'planner/ready');
    await post(page, init);
    await nthInput(page, 1);
    await toolkitReady(page);

    // Single model -> mix: the mix starts from the model with share 1.
    await page.locator('vscode-radio[value="mix"]').click();
    assert.deepEqual((await nthInput(page, 2)).mix, [{ model: 'claude-sonnet-5-5', share: '1' }]);
    assert.equal((await nthInput(page, 2)).model, undefined);
    assert.ok(await page.locator('vscode-dropdown[data-field="model"]').isHidden());

    await page.locator('[data-testid="mix-add"]').click();
    await page.locator(`${field('mix[0].share')} input`).fill('0.7');
    await page.locator(`${field('mix[1].share')} input`).fill('0.3');
    // Pick the second row's model from the dropdown.
    await page.locator('vscode-dropdown[data-field="mix[1].model"]').click();
    await page
      .locator('vscode-dropdown[data-field="mix[1].model"] vscode-option[value="claude-haiku-4-5"]')
      .click();
    const twoModels = [
      { model: 'claude-sonnet-5-5', share: '0.7' },
      { model: 'claude-haiku-4-5', share: '0.3' },
    ];
    const mixed = await lastInputWhere(page, (i) => isDeepStrictEqual(i.mix, twoModels));

    await post(page, { type: 'plan/error', field: 'mix[1].share', message: 'mix[1].share must be a number' });
    await page.waitForSelector(`${field('mix[1].share')}[aria-invalid="true"]`);
    assert.equal(await page.textContent('[data-error-for="mix[1].share"]'), 'Share 2 must be a number');
    // Every bad field at once: the host lists them all, each is flagged next to its field.
    await post(page, {
      type: 'plan/error',
      field: 'mix[0].share',
      message: 'mix[0].share must be a number',
      problems: [
        { field: 'mix[0].share', message: 'mix[0].share must be a number' },
        { field: 'rpm', message: 'rpm must be a number >= 0 (got "x")' },
        { field: 'outputTokens', message: 'outputTokens must be a whole number >= 1' },
      ],
    });
    await page.waitForSelector(`${field('outputTokens')}[aria-invalid="true"]`);
    assert.equal(await page.getAttribute(field('mix[0].share'), 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute(field('rpm'), 'aria-invalid'), 'true');
    assert.equal(
      await page.textContent('[data-error-for="outputTokens"]'),
      'Output tokens per request must be a whole number ≥ 1',
    );
    assert.match((await page.textContent('[data-field="status"]')) ?? '', /3 highlighted fields/);
    await post(page, { type: 'plan/error', field: 'mix', message: 'mix shares must sum to 1' });
    await page.waitForSelector('fieldset[data-field="mix"][aria-invalid="true"]');

    const result = planFor(mixed);
    await post(page, { type: 'plan/result', result });
    await page.waitForSelector('#app[data-results="1"]');
    await assertShowsResult(page, result);
    assert.equal(await page.locator('[data-metric="cost.byModel.claude-haiku-4-5.perMonthUsd"]').count(), 1);

    await page.locator('[data-testid="mix-remove-1"]').click();
    await lastInputWhere(page, (i) =>
      isDeepStrictEqual(i.mix, [{ model: 'claude-sonnet-5-5', share: '0.7' }]),
    );
    // Keyboard: focus stays in the mix (the remaining row's Remove), not lost to <body> (#14 item 12).
    assert.equal(
      await page.evaluate(() =>
        (
          globalThis as unknown as { document: { activeElement: { getAttribute(a: string): string | null } } }
        ).document.activeElement.getAttribute('data-testid'),
      ),
      'mix-remove-0',
    );
    // After Add model, the new row's model choice has the focus.
    await page.locator('[data-testid="mix-add"]').press('Enter');
    await page.waitForFunction(() => {
      const d = globalThis as unknown as {
        document: { activeElement: { getAttribute(a: string): string | null } | null };
      };
      return d.document.activeElement?.getAttribute('data-field') === 'mix[1].model';
    });
    await page.locator('[data-testid="mix-remove-1"]').click();
    await lastInputWhere(page, (i) =>
      isDeepStrictEqual(i.mix, [{ model: 'claude-sonnet-5-5', share: '0.7' }]),
    );

    // The custom tier shows its limit fields; their errors name customLimits.*.
    assert.ok(await page.locator('fieldset[data-field="customLimits"]').isHidden());
    await page.locator('vscode-dropdown[data-field="tier"]').click();
    await page.locator('vscode-dropdown[data-field="tier"] vscode-option[value="custom"]').click();
    await page.locator(`${field('customLimits.rpm')} input`).fill('5000');
    await lastInputWhere(
      page,
      (i) => i.tier === 'custom' && isDeepStrictEqual(i.customLimits, { rpm: '5000' }),
    );
    await post(page, {
      type: 'plan/error',
      field: 'customLimits.itpm',
      message: 'customLimits.itpm is required',
    });
    await page.waitForSelector(`${field('customLimits.itpm')}[aria-invalid="true"]`);
    assert.deepEqual(await unlabelled(page), []);
    await screenshot(page, 'planner-mix-custom-light');
    assert.deepEqual(await problems(page), []);
  } finally {
    await page.close();
  }
});

test(
  'the webview state restores the form and the last plan; a new plan/init replaces the form',
  { timeout: 90_000 },
  async () => {
    let saved: unknown;
    const input = {
      ...defaultPlanInput('claude-haiku-4-5'),
      rpm: '321',
      cachedTokens: '300',
      cacheHitRate: '0.8',
    };
    const result = planFor(input);
    {
      const page = await open();
      try {
        await waitForPosted(page, 'planner/ready');
        await post(page, { ...init, input });
        await nthInput(page, 1);
        await post(page, { type: 'plan/result', result });
        await page.waitForSelector('#app[data-results="1"]');
        saved = await webviewState(page);
      } finally {
        await page.close();
      }
    }
    const page = await open({ initialState: saved });
    try {
      // Before the host says anything: the form and the plan are back.
      await page.waitForSelector('#app[data-results="1"]');
      await toolkitReady(page);
      assert.equal(await page.locator(`${field('rpm')} input`).inputValue(), '321');
      assert.equal(await page.locator(`${field('cacheHitRate')} input`).inputValue(), '0.8');
      await assertShowsResult(page, result);
      await waitForPosted(page, 'planner/ready');
      assert.equal((await inputs(page)).length, 0, 'nothing posted before plan/init');

      // The host remembers the same input: the form stays, the input is posted for a fresh plan.
      await post(page, { ...init, input });
      assert.equal((await nthInput(page, 1)).rpm, '321');
      // A plan file's input replaces the form.
      await post(page, { ...init, input: { ...input, rpm: 42, model: 'claude-opus-5-5' } });
      const next = await nthInput(page, 2);
      assert.equal(next.rpm, '42');
      assert.equal(next.model, 'claude-opus-5-5');
      assert.equal(await page.locator(`${field('rpm')} input`).inputValue(), '42');
      await screenshot(page, 'planner-restored');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'reflows in a split editor (594 px) and down to 360 px; the recommendation stays in view (#14 items 2, 11)',
  { timeout: 90_000 },
  async () => {
    const page = await open();
    try {
      await waitForPosted(page, 'planner/ready');
      const mixInput = {
        ...defaultPlanInput('claude-sonnet-5-5'),
        model: undefined,
        mix: [
          { model: 'claude-sonnet-5-5', share: 0.7 },
          { model: 'claude-haiku-4-5', share: 0.3 },
        ],
      };
      await post(page, { ...init, input: mixInput });
      await nthInput(page, 1);
      await toolkitReady(page);
      const result = planFor({ ...defaultPlanInput('claude-sonnet-5-5') });
      await post(page, { type: 'plan/result', result });
      await page.waitForSelector('#app[data-results="1"]');
      const sticky = '[data-field="stickySummary"]';
      assert.match((await page.textContent(sticky)) ?? '', /^Recommended: .+ · \$[\d,.]+ \/ month$/);

      for (const width of [594, 360]) {
        await page.setViewportSize({ width, height: 700 });
        await page.waitForTimeout(200);
        const fit = await page.evaluate(() => {
          type Box = { getBoundingClientRect(): { right: number; top: number; bottom: number } };
          const doc = (
            globalThis as unknown as {
              document: {
                documentElement: { scrollWidth: number; clientWidth: number };
                querySelectorAll(s: string): Iterable<Box>;
              };
            }
          ).document;
          return {
            scroll: doc.documentElement.scrollWidth,
            client: doc.documentElement.clientWidth,
            remove: Math.max(
              ...[...doc.querySelectorAll('[data-testid^="mix-remove-"]')].map(
                (e) => e.getBoundingClientRect().right,
              ),
            ),
            fields: Math.max(
              ...[...doc.querySelectorAll('.pl-form .cls-field')].map((e) => e.getBoundingClientRect().right),
            ),
          };
        });
        assert.ok(
          fit.scroll <= fit.client,
          `${width} px: no sideways scroll (${fit.scroll} > ${fit.client})`,
        );
        assert.ok(fit.remove <= fit.client, `${width} px: Remove buttons in view (${fit.remove})`);
        assert.ok(fit.fields <= fit.client, `${width} px: form fields in view (${fit.fields})`);
        // Editing a lower field: the summary is still at the top of the view.
        await page.locator(field('latencyS')).scrollIntoViewIfNeeded();
        await page.mouse.wheel(0, 3000);
        await page.waitForTimeout(100);
        const box = await page.locator(sticky).boundingBox();
        assert.ok(box && box.y >= -1 && box.y < 5, `${width} px: summary pinned at the top (y ${box?.y})`);
        await screenshot(page, `planner-${width}px`);
      }

      // One tier chosen: the top line says whether it fits.
      const oneTier = planFor({ ...defaultPlanInput('claude-sonnet-5-5'), tier: result.tiers[0]!.name });
      await post(page, { type: 'plan/result', result: oneTier });
      await page.waitForSelector('#app[data-results="2"]');
      assert.equal(oneTier.tiers.length, 1);
      assert.equal(
        await page.getAttribute('[data-field="chosenTierFits"]', 'data-value'),
        String(oneTier.tiers[0]!.fits),
      );
      assert.match(
        (await page.textContent(sticky)) ?? '',
        oneTier.tiers[0]!.fits ? / fits this traffic/ : /does not fit/,
      );
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'spend bars beyond 200 % are cut and labelled with their value; the recommendation is a short list (#14 item 11)',
  { timeout: 60_000 },
  async () => {
    const page = await open();
    try {
      await waitForPosted(page, 'planner/ready');
      await post(page, init);
      await nthInput(page, 1);
      // Sonnet 5.5 at 100 RPM: $12,960 a month, 25.9x Start's $500 cap and 13x Build's $1,000.
      const result = planFor(defaultPlanInput('claude-sonnet-5-5'));
      await post(page, { type: 'plan/result', result });
      await page.waitForSelector('#app[data-results="1"]');
      const canvas = 'canvas[data-chart="tier-utilisation"]';
      const clipped = (await page.getAttribute(canvas, 'data-clipped')) ?? '';
      const start = result.tiers.find((t) => t.name === 'start')!;
      assert.equal(result.tiers.find((t) => t.name === 'build')!.utilization.spend, 12_960 / 1000);
      assert.equal(start.utilization.spend, 12_960 / 500);
      // Two bars that both end at the cap now read differently.
      assert.match(clipped, /Start spend 2,592 %/);
      assert.match(clipped, /Build spend 1,296 %/);
      assert.match((await page.getAttribute(canvas, 'aria-label')) ?? '', /above 200 %: Start spend 2,592 %/);
      assert.ok(await canvasIsDrawn(page, canvas));
      // The chart's foreground is painted above the 200 % tick (the labels), not only the bars below it.
      const painted = await page.evaluate((sel) => {
        const c = (
          globalThis as unknown as {
            document: {
              querySelector(s: string): {
                width: number;
                height: number;
                getContext(k: '2d'): {
                  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
                };
              };
            };
          }
        ).document.querySelector(sel);
        const top = c.getContext('2d').getImageData(0, 0, c.width, Math.floor(c.height * 0.3)).data;
        let n = 0;
        for (let i = 3; i < top.length; i += 4) if (top[i]! > 0) n++;
        return n;
      }, canvas);
      assert.ok(painted > 100, `labels drawn above the cut bars (${painted} pixels)`);

      // The recommendation: a sentence, then points, not one run of semicolons.
      const reason = page.locator('[data-field="recommendedReason"]');
      const text = (await reason.innerText()).trim();
      assert.ok(!text.includes(';'), `no semicolons: ${text}`);
      assert.match(text, /^Scale is the smallest standard tier that fits at peak:/);
      assert.equal(await reason.locator(':scope > ul.pl-reasons').first().locator(':scope > li').count(), 2);
      assert.match(text, /Closest limit: spend at 6\.5 %/);
      assert.match(
        await reason.locator('li[data-tier="start"]').innerText(),
        /^Start: Monthly cost \$12,960\.00 > \$500\.00 cap/,
      );
      assert.equal(await reason.locator('li[data-tier]').count(), 2);
      // Models are named by their id in the form too, as everywhere else (#14 item 13).
      const options = await page
        .locator('[data-field="model"] vscode-option, [data-field="model"] option')
        .allInnerTexts();
      assert.ok(
        options.map((o) => o.trim()).includes('claude-sonnet-5-5'),
        `model options: ${options.join(', ')}`,
      );
      assert.ok(!options.some((o) => /^Claude /.test(o.trim())), `no display names: ${options.join(', ')}`);
      await screenshot(page, 'planner-clipped-bars');
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

test(
  'a saved sweep of the same workload: measured max sustainable RPM beside the prediction, with the gap',
  { timeout: 60_000 },
  async () => {
    const page = await open();
    try {
      await waitForPosted(page, 'planner/ready');
      await post(page, init);
      await page.waitForSelector('#app[data-ready="form"]');
      const result = planFor(await nthInput(page, 1));
      await post(page, { type: 'plan/result', result });
      await page.waitForSelector('#app[data-results="1"]');
      assert.equal(await page.isVisible('[data-field="measured"]'), false);
      // What the host computes with measuredVsPredicted for a matching sweep.
      const match = measuredVsPredicted(planCapacity({ ...result.input, tier: 'build' }), [
        makeSampleSweep({ maxSustainableRpm: 4_700 }),
      ]);
      assert.ok(match, 'the sample sweep matches a 500 in / 200 out Sonnet plan on Build');
      await post(page, {
        type: 'plan/measured',
        measured: {
          sweepName: match.sweep.name,
          endedAt: match.sweep.endedAt,
          tier: match.tier,
          measuredRpm: match.measuredRpm,
          predictedRpm: match.predictedRpm,
          gapPct: match.gapPct,
          binding: 'requests per minute (bucket sonnet-5-5)',
        },
      });
      await page.waitForSelector('#app[data-measured="yes"]');
      const m = await metrics(page);
      assert.equal(Number(m['measured.measuredRpm']?.value), 4_700);
      assert.equal(m['measured.measuredRpm']?.text, '4,700 RPM');
      assert.equal(Number(m['measured.predictedRpm']?.value), match.predictedRpm);
      assert.equal(Number(m['measured.gapPct']?.value), match.gapPct);
      assert.equal(
        m['measured.gapPct']?.text,
        `${match.gapPct >= 0 ? '+' : '−'}${Math.abs(match.gapPct).toFixed(1)} %`,
      );
      assert.match(
        (await page.textContent('[data-field="measured"]')) ?? '',
        /sweep “checkout”, build, bound by requests per minute/,
      );
      await post(page, { type: 'plan/measured', measured: null });
      await page.waitForSelector('#app[data-measured="no"]');
      assert.equal(await page.isVisible('[data-field="measured"]'), false);
      assert.deepEqual(await problems(page), []);
    } finally {
      await page.close();
    }
  },
);

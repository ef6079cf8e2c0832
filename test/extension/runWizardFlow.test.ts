// The Run Load Test wizard's steps, scripted: Back at every step, "(n/6)" on every question, a missing
// key said right after the target step, the selection preselected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog } from '../../src/core/index';
import { back, runWizardFlow, wizardSteps } from '../../src/extension/runWizardFlow';
import type { Answer, WizardContext, WizardItem, WizardUi } from '../../src/extension/runWizardFlow';

interface Asked {
  kind: 'pick' | 'input' | 'noKey';
  title: string;
  canGoBack?: boolean;
  active?: unknown;
  labels?: string[];
}

/** Answers each question in turn from `script`: an item label, an input value, 'BACK' or 'ESC'. */
function scripted(script: string[], asked: Asked[]): WizardUi {
  const next = () => {
    const s = script.shift();
    assert.ok(s !== undefined, `the wizard asked more than scripted: ${JSON.stringify(asked.at(-1))}`);
    return s;
  };
  return {
    async pick<T>(q: {
      title: string;
      canGoBack: boolean;
      items: WizardItem<T>[];
      active?: T;
    }): Promise<Answer<T>> {
      asked.push({
        kind: 'pick',
        title: q.title,
        canGoBack: q.canGoBack,
        active: q.active,
        labels: q.items.map((i) => i.label),
      });
      const s = next();
      if (s === 'BACK') return back;
      if (s === 'ESC') return undefined;
      const item = q.items.find((i) => i.label.includes(s));
      assert.ok(item, `no item "${s}" in ${q.title}`);
      return item.value;
    },
    async input(q) {
      asked.push({ kind: 'input', title: q.title, canGoBack: q.canGoBack });
      const s = next();
      if (s === 'BACK') return back;
      if (s === 'ESC') return undefined;
      assert.equal(q.validate(s), undefined, `"${s}" is valid for ${q.title}`);
      return s;
    },
    async noKey(target) {
      asked.push({ kind: 'noKey', title: target });
      const s = next();
      return s === 'SIM' ? 'simulator' : s === 'RETRY' ? 'retry' : undefined;
    },
  };
}

function context(overrides: Partial<WizardContext> = {}): WizardContext {
  return {
    settings: {
      defaultModel: 'claude-sonnet-5-5',
      baseUrl: '',
      simulator: { tier: 'build', latency: 'fast', timeScale: 1 },
    },
    models: builtinCatalog.models,
    keySource: async () => undefined,
    ...overrides,
  };
}

test('every question names its step (n/6); Back returns to the previous question with its answer kept', async () => {
  const asked: Asked[] = [];
  const plan = await runWizardFlow(
    scripted(
      [
        'Built-in simulator',
        'claude-haiku-4-5',
        'Concurrency',
        '2',
        // At "stop after": Back to the load shape, which shows the earlier answer; then Rate instead.
        'BACK',
        'Rate',
        // Back from the rate's input box returns to the load shape question.
        'BACK',
        'Rate',
        '5',
        'A duration',
        '20s',
        'Synthetic',
        'BACK',
        'Synthetic',
        '800',
        // Back from the last step: the prompt question again, with "Synthetic" and 800 kept.
        'BACK',
        'Synthetic',
        '800',
        'Stream',
      ],
      asked,
    ),
    context(),
  );
  assert.ok(plan);
  for (const q of asked)
    assert.match(q.title, new RegExp(`^Claude: Run Load Test \\(\\d/${wizardSteps}\\): `));
  assert.deepEqual(
    asked.map((q) => Number(/\((\d)\//.exec(q.title)?.[1])),
    [1, 2, 3, 3, 4, 3, 3, 3, 3, 4, 4, 5, 5, 5, 5, 6, 5, 5, 6],
  );
  // Back on every question but the first.
  assert.equal(asked[0]!.canGoBack, false);
  assert.ok(asked.slice(1).every((q) => q.canGoBack));
  // Going back shows the answer given before.
  const shapeAgain = asked.filter((q) => q.title.endsWith('load shape') && q.kind === 'pick');
  assert.deepEqual(
    shapeAgain.map((q) => q.active),
    [undefined, 'concurrency', 'rate'],
  );
  assert.deepEqual(plan, {
    name: 'claude-haiku-4-5-rate',
    target: { simulator: { tier: 'build', latency: 'fast', timeScale: 1 } },
    model: 'claude-haiku-4-5',
    load: { type: 'rate', rps: 5, arrival: 'poisson', maxInFlight: 1000 },
    duration: '20s',
    prompts: { type: 'synthetic', inputTokens: { mean: 800, sd: 160 } },
    stream: true,
    maxTokens: 256,
  });
});

test('no API key: said right after the target step, before the model is asked; the simulator is offered', async () => {
  const asked: Asked[] = [];
  const plan = await runWizardFlow(
    scripted(
      [
        'Anthropic API',
        'SIM',
        'claude-haiku-4-5',
        'Concurrency',
        '1',
        'A number of requests',
        '3',
        'Default',
        'Do not stream',
      ],
      asked,
    ),
    context(),
  );
  assert.deepEqual(
    asked.slice(0, 3).map((q) => [q.kind, q.title]),
    [
      ['pick', 'Claude: Run Load Test (1/6): target'],
      ['noKey', 'the Anthropic API'],
      ['pick', 'Claude: Run Load Test (2/6): model'],
    ],
  );
  assert.deepEqual(plan?.target, { simulator: { tier: 'build', latency: 'fast', timeScale: 1 } });
  // Dismissing the message cancels; a key set from it lets the flow go on to the API.
  assert.equal(await runWizardFlow(scripted(['Anthropic API', 'ESC'], []), context()), undefined);
  let key: 'secret-storage' | undefined;
  const asked2: Asked[] = [];
  const ui = scripted(['Custom base URL', 'http://127.0.0.1:4010', 'RETRY', 'ESC'], asked2);
  const noKey = ui.noKey.bind(ui);
  ui.noKey = async (t) => {
    const r = await noKey(t);
    key = 'secret-storage';
    return r;
  };
  await runWizardFlow(ui, context({ keySource: async () => key }));
  assert.deepEqual(
    asked2.map((q) => q.kind),
    ['pick', 'input', 'noKey', 'pick'],
  );
  assert.equal(asked2[1]!.title, 'Claude: Run Load Test (1/6): target');
  assert.equal(asked2[3]!.title, 'Claude: Run Load Test (2/6): model');
});

test('with a key, the API is listed first and no key message shows', async () => {
  const asked: Asked[] = [];
  await runWizardFlow(
    scripted(['Anthropic API', 'ESC'], asked),
    context({ keySource: async () => 'environment' }),
  );
  assert.match(asked[0]!.labels![0]!, /Anthropic API/);
  assert.deepEqual(
    asked.map((q) => q.kind),
    ['pick', 'pick'],
  );
});

test('text selected in the editor is preselected as the prompt and sent as it is', async () => {
  const asked: Asked[] = [];
  const plan = await runWizardFlow(
    scripted(
      [
        'simulator',
        'claude-haiku-4-5',
        'Concurrency',
        '1',
        'A number of requests',
        '2',
        'Selection',
        'Stream',
      ],
      asked,
    ),
    context({ editor: { selection: 'Explain token buckets.', text: 'whole file', name: 'notes.md' } }),
  );
  const promptQuestion = asked.find((q) => q.title.endsWith('prompt'));
  assert.equal(promptQuestion?.active, 'selection');
  assert.deepEqual(promptQuestion?.labels, [
    'Default',
    'Selection',
    'Active file',
    'Synthetic prompt of N tokens',
  ]);
  assert.deepEqual(plan?.prompts, { type: 'fixed', text: 'Explain token buckets.' });
  // No selection: nothing preselected beyond the first item.
  const asked2: Asked[] = [];
  await runWizardFlow(
    scripted(
      ['simulator', 'claude-haiku-4-5', 'Concurrency', '1', 'A number of requests', '2', 'ESC'],
      asked2,
    ),
    context({ editor: { selection: '', text: 'whole file', name: 'notes.md' } }),
  );
  assert.equal(asked2.at(-1)?.active, undefined);
});

test('a ramp has no "stop after" step, going forward or back', async () => {
  const asked: Asked[] = [];
  const plan = await runWizardFlow(
    scripted(
      [
        'simulator',
        'claude-haiku-4-5',
        'Ramp',
        '4',
        '10s',
        '20s',
        'BACK',
        'Ramp',
        '4',
        '10s',
        '20s',
        'Default',
        'Stream',
      ],
      asked,
    ),
    context(),
  );
  assert.ok(!asked.some((q) => q.title.includes('(4/6)')));
  assert.equal(asked[6]!.title, 'Claude: Run Load Test (5/6): prompt');
  assert.equal(asked[7]!.title, 'Claude: Run Load Test (3/6): load shape');
  assert.deepEqual(plan?.load, {
    type: 'ramp',
    stages: [
      { duration: '10s', rps: 4 },
      { duration: '20s', rps: 4 },
    ],
  });
  assert.equal(plan?.requests, undefined);
});

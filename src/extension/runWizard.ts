// The guided "Claude: Run Load Test" flow: quick picks and input boxes that build a plan object.
// Escape at any step cancels the whole flow (undefined).
import * as vscode from 'vscode';
import { builtinCatalog, defaultPrompt } from '../core/index';
import type { Services } from './services';

type Pick<T> = vscode.QuickPickItem & { value: T };

async function pick<T>(title: string, items: Pick<T>[], placeHolder?: string): Promise<T | undefined> {
  const choice = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
  return choice?.value;
}

async function askNumber(
  title: string,
  prompt: string,
  value: string,
  opts: { min: number; int?: boolean },
): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const n = Number(v);
      if (!v.trim() || !Number.isFinite(n) || n < opts.min || (opts.int && !Number.isInteger(n))) {
        return `Enter ${opts.int ? 'a whole number' : 'a number'} of at least ${opts.min}.`;
      }
      return undefined;
    },
  });
  return text === undefined ? undefined : Number(text);
}

async function askDuration(title: string, prompt: string, value: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (v) =>
      /^\s*\d+(\.\d+)?\s*(ms|s|m|h)\s*$/.test(v) ? undefined : 'Use a duration like 30s, 2m or 1h.',
  });
}

/** Returns a plan object for parseScenario, or undefined when the user cancelled. */
export async function runWizard(services: Services): Promise<Record<string, unknown> | undefined> {
  const settings = services.settings();
  const key = await services.keys.get();
  const title = 'Claude: Run Load Test';

  // 1. Target: the simulator is the default when no key is set.
  const simulatorItem: Pick<string> = {
    label: '$(beaker) Built-in simulator',
    description: `free, no key, ${settings.simulator.tier} tier limits`,
    value: 'simulator',
  };
  const apiItem: Pick<string> = {
    label: '$(cloud) Anthropic API',
    description: key
      ? `key from ${key.source === 'environment' ? 'ANTHROPIC_API_KEY' : 'secret storage'} - costs money`
      : 'no key set',
    value: 'anthropic',
  };
  const urlItem: Pick<string> = {
    label: '$(link) Custom base URL...',
    description: settings.baseUrl || undefined,
    value: 'url',
  };
  const targetKind = await pick(
    title + ' (1/6): target',
    key ? [apiItem, simulatorItem, urlItem] : [simulatorItem, apiItem, urlItem],
  );
  if (!targetKind) return undefined;
  let target: unknown;
  if (targetKind === 'simulator') {
    target = {
      simulator: {
        tier: settings.simulator.tier,
        latency: settings.simulator.latency,
        timeScale: settings.simulator.timeScale,
      },
    };
  } else if (targetKind === 'anthropic') {
    target = settings.baseUrl ? { baseUrl: settings.baseUrl } : 'anthropic';
  } else {
    const url = await vscode.window.showInputBox({
      title,
      prompt: 'Base URL of an Anthropic-compatible endpoint',
      value: settings.baseUrl || 'http://127.0.0.1:4010',
      ignoreFocusOut: true,
      validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'Enter an http(s):// URL.'),
    });
    if (!url) return undefined;
    target = { baseUrl: url.trim() };
  }

  // 2. Model.
  const catalog = services.catalog() ?? builtinCatalog;
  const models = catalog.models
    .filter((m) => m.status !== 'retired')
    .sort((a, b) => Number(b.id === settings.defaultModel) - Number(a.id === settings.defaultModel));
  const model = await pick(
    title + ' (2/6): model',
    models.map((m) => ({
      label: m.id,
      description: `$${m.prices.input}/$${m.prices.output} per M tokens`,
      detail: m.status === 'deprecated' ? `deprecated: end of life ${m.endOfLife}` : m.status,
      value: m.id,
    })),
  );
  if (!model) return undefined;

  // 3. Load shape.
  const shape = await pick(title + ' (3/6): load shape', [
    { label: 'Concurrency', description: 'closed loop: N requests always in flight', value: 'concurrency' },
    {
      label: 'Rate',
      description: 'open loop: N new requests per second (measures queueing honestly)',
      value: 'rate',
    },
    { label: 'Ramp', description: 'open loop: rate rises to a target, then holds', value: 'ramp' },
  ]);
  if (!shape) return undefined;
  let load: unknown;
  if (shape === 'concurrency') {
    const c = await askNumber(title, 'Requests in flight at once', '4', { min: 1, int: true });
    if (c === undefined) return undefined;
    load = { type: 'concurrency', concurrency: c };
  } else {
    const rps = await askNumber(
      title,
      shape === 'ramp' ? 'Target requests per second' : 'Requests per second',
      '2',
      { min: 0.01 },
    );
    if (rps === undefined) return undefined;
    if (shape === 'rate') load = { type: 'rate', rps, arrival: 'poisson', maxInFlight: 1000 };
    else {
      const up = await askDuration(title, 'Ramp-up time', '30s');
      if (!up) return undefined;
      const hold = await askDuration(title, 'Hold at the target rate for', '30s');
      if (!hold) return undefined;
      load = {
        type: 'ramp',
        stages: [
          { duration: up, rps },
          { duration: hold, rps },
        ],
      };
    }
  }

  // 4. When to stop (a ramp stops by itself).
  const stop: Record<string, unknown> = {};
  if (shape !== 'ramp') {
    const by = await pick(title + ' (4/6): stop after', [
      { label: 'A number of requests', value: 'requests' },
      { label: 'A duration', value: 'duration' },
    ]);
    if (!by) return undefined;
    if (by === 'requests') {
      const n = await askNumber(title, 'Requests to send', '50', { min: 1, int: true });
      if (n === undefined) return undefined;
      stop.requests = n;
    } else {
      const d = await askDuration(title, 'Send for', '30s');
      if (!d) return undefined;
      stop.duration = d;
    }
  }

  // 5. Prompt: the default, the active editor's selection or file, or a synthetic size.
  const editor = vscode.window.activeTextEditor;
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  const fileText = editor?.document.getText() ?? '';
  const promptItems: Pick<string>[] = [{ label: 'Default', description: defaultPrompt, value: 'default' }];
  if (selection.trim())
    promptItems.push({
      label: 'Selection',
      description: `${selection.length} characters from the editor`,
      value: 'selection',
    });
  if (fileText.trim()) {
    promptItems.push({
      label: 'Active file',
      description: `${vscode.workspace.asRelativePath(editor!.document.uri)} (${fileText.length} characters)`,
      value: 'file',
    });
  }
  promptItems.push({ label: 'Synthetic prompt of N tokens', value: 'synthetic' });
  const promptKind = await pick(title + ' (5/6): prompt', promptItems);
  if (!promptKind) return undefined;
  let prompts: unknown;
  if (promptKind === 'default') prompts = { type: 'fixed', text: defaultPrompt };
  else if (promptKind === 'selection') prompts = { type: 'fixed', text: selection };
  else if (promptKind === 'file') prompts = { type: 'fixed', text: fileText };
  else {
    const n = await askNumber(title, 'Input tokens per request (about)', '500', { min: 1, int: true });
    if (n === undefined) return undefined;
    prompts = { type: 'synthetic', inputTokens: { mean: n, sd: Math.round(n / 5) } };
  }

  // 6. Streaming.
  const stream = await pick(title + ' (6/6): streaming', [
    { label: 'Stream', description: 'measures time to first token (recommended)', value: true },
    { label: 'Do not stream', description: 'one response body; no TTFT', value: false },
  ]);
  if (stream === undefined) return undefined;

  return { name: `${model}-${shape}`, target, model, load, ...stop, prompts, stream, maxTokens: 256 };
}

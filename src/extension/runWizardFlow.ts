// The steps of "Claude: Run Load Test" as a pure state machine over a small UI interface (no vscode), so
// tests script every path: Back at any step returns to the previous question with its answer kept,
// every question names its step ("(3/6)"), and a missing API key is said right after the target step.
import { defaultPrompt, type ModelEntry } from '../core/index';

export const wizardSteps = 6;
const title = 'Claude: Run Load Test';

/** `back`: the user pressed Back; undefined: Escape (the whole flow is cancelled). */
export type Answer<T> = T | typeof back | undefined;
export const back = Symbol('back');

export interface WizardItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export interface WizardQuestion {
  /** "Claude: Run Load Test (3/6): load shape". */
  title: string;
  /** Whether Back is offered (every step but the first). */
  canGoBack: boolean;
}

export interface WizardUi {
  pick<T>(q: WizardQuestion & { items: WizardItem<T>[]; active?: T }): Promise<Answer<T>>;
  input(
    q: WizardQuestion & { prompt: string; value: string; validate: (v: string) => string | undefined },
  ): Promise<Answer<string>>;
  /**
   * No API key for the chosen target: says so before the remaining steps. Resolves to 'retry' after the
   * user set a key, 'simulator' to switch to the simulator, undefined to cancel.
   */
  noKey(target: string): Promise<'retry' | 'simulator' | undefined>;
}

export interface WizardContext {
  settings: {
    defaultModel: string;
    baseUrl: string;
    simulator: { tier: string; latency: string; timeScale: number };
  };
  models: readonly Pick<ModelEntry, 'id' | 'status' | 'prices' | 'endOfLife'>[];
  /** Where the key comes from, or undefined when there is none (read again after `noKey` says retry). */
  keySource: () => Promise<'environment' | 'secret-storage' | undefined>;
  /** The active editor's selection and whole text ('' when none), and its name. */
  editor?: { selection: string; text: string; name: string };
}

type TargetKind = 'simulator' | 'anthropic' | 'url';
type Shape = 'concurrency' | 'rate' | 'ramp';

interface Answers {
  targetKind?: TargetKind;
  url?: string;
  model?: string;
  shape?: Shape;
  concurrency?: string;
  rps?: string;
  rampUp?: string;
  hold?: string;
  stopBy?: 'requests' | 'duration';
  requests?: string;
  duration?: string;
  promptKind?: 'default' | 'selection' | 'file' | 'synthetic';
  syntheticTokens?: string;
  stream?: boolean;
}

function numberCheck(opts: { min: number; int?: boolean }): (v: string) => string | undefined {
  return (v) => {
    const n = Number(v);
    if (!v.trim() || !Number.isFinite(n) || n < opts.min || (opts.int && !Number.isInteger(n)))
      return `Enter ${opts.int ? 'a whole number' : 'a number'} of at least ${opts.min}.`;
    return undefined;
  };
}

const durationCheck = (v: string): string | undefined =>
  /^\s*\d+(\.\d+)?\s*(ms|s|m|h)\s*$/.test(v) ? undefined : 'Use a duration like 30s, 2m or 1h.';

const urlCheck = (v: string): string | undefined =>
  /^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'Enter an http(s):// URL.';

/** Returns a plan object for parseScenario, or undefined when the user cancelled. */
export async function runWizardFlow(
  ui: WizardUi,
  ctx: WizardContext,
): Promise<Record<string, unknown> | undefined> {
  const a: Answers = {};
  const q = (step: number, what: string): WizardQuestion => ({
    title: `${title} (${step}/${wizardSteps}): ${what}`,
    canGoBack: step > 1,
  });
  // Each step asks its question(s) and answers 'next', 'back', 'cancel' or 'skip' (nothing to ask). Back from a follow-up
  // question (e.g. the rate after "Rate") returns to its step's first question.
  const steps: (() => Promise<'next' | 'back' | 'cancel' | 'skip'>)[] = [
    async () => {
      const source = await ctx.keySource();
      const simulatorItem: WizardItem<TargetKind> = {
        label: '$(beaker) Built-in simulator',
        description: `free, no key, ${ctx.settings.simulator.tier} tier limits`,
        value: 'simulator',
      };
      const apiItem: WizardItem<TargetKind> = {
        label: '$(cloud) Anthropic API',
        description: source
          ? `key from ${source === 'environment' ? 'ANTHROPIC_API_KEY' : 'secret storage'} - costs money`
          : 'no key set',
        value: 'anthropic',
      };
      const urlItem: WizardItem<TargetKind> = {
        label: '$(link) Custom base URL...',
        description: ctx.settings.baseUrl || undefined,
        value: 'url',
      };
      for (;;) {
        const kind = await ui.pick({
          ...q(1, 'target'),
          items: source ? [apiItem, simulatorItem, urlItem] : [simulatorItem, apiItem, urlItem],
          active: a.targetKind,
        });
        if (kind === undefined || kind === back) return 'cancel';
        a.targetKind = kind;
        if (kind === 'url') {
          const url = await ui.input({
            ...q(1, 'target'),
            canGoBack: true,
            prompt: 'Base URL of an Anthropic-compatible endpoint',
            value: a.url ?? (ctx.settings.baseUrl || 'http://127.0.0.1:4010'),
            validate: urlCheck,
          });
          if (url === undefined) return 'cancel';
          if (url === back) continue;
          a.url = url.trim();
        }
        if (kind === 'simulator') return 'next';
        // Every other target needs a key: said now, not after five more questions.
        while (!(await ctx.keySource())) {
          const answer = await ui.noKey(kind === 'anthropic' ? 'the Anthropic API' : (a.url ?? 'this URL'));
          if (answer === undefined) return 'cancel';
          if (answer === 'simulator') {
            a.targetKind = 'simulator';
            break;
          }
        }
        return 'next';
      }
    },
    async () => {
      const models = [...ctx.models]
        .filter((m) => m.status !== 'retired')
        .sort(
          (x, y) => Number(y.id === ctx.settings.defaultModel) - Number(x.id === ctx.settings.defaultModel),
        );
      const model = await ui.pick({
        ...q(2, 'model'),
        items: models.map((m) => ({
          label: m.id,
          description: `$${m.prices.input}/$${m.prices.output} per M tokens`,
          detail: m.status === 'deprecated' ? `deprecated: end of life ${m.endOfLife}` : m.status,
          value: m.id,
        })),
        active: a.model,
      });
      if (model === undefined) return 'cancel';
      if (model === back) return 'back';
      a.model = model;
      return 'next';
    },
    async () => {
      for (;;) {
        const step = q(3, 'load shape');
        const shape = await ui.pick<Shape>({
          ...step,
          items: [
            {
              label: 'Concurrency',
              description: 'closed loop: N requests always in flight',
              value: 'concurrency',
            },
            {
              label: 'Rate',
              description: 'open loop: N new requests per second (measures queueing honestly)',
              value: 'rate',
            },
            { label: 'Ramp', description: 'open loop: rate rises to a target, then holds', value: 'ramp' },
          ],
          active: a.shape,
        });
        if (shape === undefined) return 'cancel';
        if (shape === back) return 'back';
        a.shape = shape;
        const follow = { ...step, canGoBack: true };
        if (shape === 'concurrency') {
          const c = await ui.input({
            ...follow,
            prompt: 'Requests in flight at once',
            value: a.concurrency ?? '4',
            validate: numberCheck({ min: 1, int: true }),
          });
          if (c === undefined) return 'cancel';
          if (c === back) continue;
          a.concurrency = c;
          return 'next';
        }
        const rps = await ui.input({
          ...follow,
          prompt: shape === 'ramp' ? 'Target requests per second' : 'Requests per second',
          value: a.rps ?? '2',
          validate: numberCheck({ min: 0.01 }),
        });
        if (rps === undefined) return 'cancel';
        if (rps === back) continue;
        a.rps = rps;
        if (shape === 'rate') return 'next';
        const up = await ui.input({
          ...follow,
          prompt: 'Ramp-up time',
          value: a.rampUp ?? '30s',
          validate: durationCheck,
        });
        if (up === undefined) return 'cancel';
        if (up === back) continue;
        a.rampUp = up;
        const hold = await ui.input({
          ...follow,
          prompt: 'Hold at the target rate for',
          value: a.hold ?? '30s',
          validate: durationCheck,
        });
        if (hold === undefined) return 'cancel';
        if (hold === back) continue;
        a.hold = hold;
        return 'next';
      }
    },
    async () => {
      // A ramp stops by itself: the step is skipped, in both directions.
      if (a.shape === 'ramp') return 'skip';
      for (;;) {
        const step = q(4, 'stop after');
        const by = await ui.pick<'requests' | 'duration'>({
          ...step,
          items: [
            { label: 'A number of requests', value: 'requests' },
            { label: 'A duration', value: 'duration' },
          ],
          active: a.stopBy,
        });
        if (by === undefined) return 'cancel';
        if (by === back) return 'back';
        a.stopBy = by;
        const follow = { ...step, canGoBack: true };
        const value =
          by === 'requests'
            ? await ui.input({
                ...follow,
                prompt: 'Requests to send',
                value: a.requests ?? '50',
                validate: numberCheck({ min: 1, int: true }),
              })
            : await ui.input({
                ...follow,
                prompt: 'Send for',
                value: a.duration ?? '30s',
                validate: durationCheck,
              });
        if (value === undefined) return 'cancel';
        if (value === back) continue;
        if (by === 'requests') a.requests = value;
        else a.duration = value;
        return 'next';
      }
    },
    async () => {
      const editor = ctx.editor;
      const items: WizardItem<NonNullable<Answers['promptKind']>>[] = [
        { label: 'Default', description: defaultPrompt, value: 'default' },
      ];
      if (editor?.selection.trim())
        items.push({
          label: 'Selection',
          description: `${editor.selection.length} characters from the editor`,
          value: 'selection',
        });
      if (editor?.text.trim())
        items.push({
          label: 'Active file',
          description: `${editor.name} (${editor.text.length} characters)`,
          value: 'file',
        });
      items.push({ label: 'Synthetic prompt of N tokens', value: 'synthetic' });
      for (;;) {
        const step = q(5, 'prompt');
        // Text selected in the editor is most likely what the user wants to send.
        const preselected = editor?.selection.trim() ? 'selection' : undefined;
        const kind = await ui.pick({ ...step, items, active: a.promptKind ?? preselected });
        if (kind === undefined) return 'cancel';
        if (kind === back) return 'back';
        a.promptKind = kind;
        if (kind !== 'synthetic') return 'next';
        const n = await ui.input({
          ...step,
          canGoBack: true,
          prompt: 'Input tokens per request (about)',
          value: a.syntheticTokens ?? '500',
          validate: numberCheck({ min: 1, int: true }),
        });
        if (n === undefined) return 'cancel';
        if (n === back) continue;
        a.syntheticTokens = n;
        return 'next';
      }
    },
    async () => {
      const stream = await ui.pick({
        ...q(6, 'streaming'),
        items: [
          { label: 'Stream', description: 'measures time to first token (recommended)', value: true },
          { label: 'Do not stream', description: 'one response body; no TTFT', value: false },
        ],
        active: a.stream,
      });
      if (stream === undefined) return 'cancel';
      if (stream === back) return 'back';
      a.stream = stream;
      return 'next';
    },
  ];

  let i = 0;
  let direction: 'next' | 'back' = 'next';
  while (i < steps.length) {
    const outcome = await steps[i]!();
    if (outcome === 'cancel') return undefined;
    if (outcome === 'skip') {
      i += direction === 'next' ? 1 : -1;
      continue;
    }
    direction = outcome;
    i += outcome === 'next' ? 1 : -1;
    if (i < 0) i = 0;
  }
  return planOf(a, ctx);
}

function planOf(a: Answers, ctx: WizardContext): Record<string, unknown> {
  const s = ctx.settings;
  const target =
    a.targetKind === 'simulator'
      ? {
          simulator: {
            tier: s.simulator.tier,
            latency: s.simulator.latency,
            timeScale: s.simulator.timeScale,
          },
        }
      : a.targetKind === 'anthropic'
        ? s.baseUrl
          ? { baseUrl: s.baseUrl }
          : 'anthropic'
        : { baseUrl: a.url };
  const rps = Number(a.rps);
  const load =
    a.shape === 'concurrency'
      ? { type: 'concurrency', concurrency: Number(a.concurrency) }
      : a.shape === 'rate'
        ? { type: 'rate', rps, arrival: 'poisson', maxInFlight: 1000 }
        : {
            type: 'ramp',
            stages: [
              { duration: a.rampUp, rps },
              { duration: a.hold, rps },
            ],
          };
  const stop =
    a.shape === 'ramp'
      ? {}
      : a.stopBy === 'requests'
        ? { requests: Number(a.requests) }
        : { duration: a.duration };
  const editor = ctx.editor;
  const prompts =
    a.promptKind === 'selection'
      ? { type: 'fixed', text: editor?.selection ?? '' }
      : a.promptKind === 'file'
        ? { type: 'fixed', text: editor?.text ?? '' }
        : a.promptKind === 'synthetic'
          ? {
              type: 'synthetic',
              inputTokens: { mean: Number(a.syntheticTokens), sd: Math.round(Number(a.syntheticTokens) / 5) },
            }
          : { type: 'fixed', text: defaultPrompt };
  return {
    name: `${a.model}-${a.shape}`,
    target,
    model: a.model,
    load,
    ...stop,
    prompts,
    stream: a.stream,
    maxTokens: 256,
  };
}

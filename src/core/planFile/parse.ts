// Plan files (*.claudeload.json) -> a validated, normalised Scenario. Errors name the field and the fix.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import planSchema from '../../../schemas/plan.schema.json';
import {
  builtinCatalog,
  CatalogError,
  describeSchemaError,
  findModel,
  findTier,
  maxTokensProblem,
  OUTPUT_300K_BETA,
  resolveModel,
} from '../catalog/index';
import type { Catalog, ModelEntry } from '../catalog/index';
import { DurationError, parseDuration } from '../util/duration';
import { closestName } from '../util/editDistance';
import { findFieldRange, lineColumn, parseJsonc } from '../util/jsonc';
import { parseThreshold, ThresholdError } from '../engine/thresholds';
import type { LoadShape, MessagesBody, PromptSource, Scenario, Target } from '../model/run';

// The schema has checked shapes before these readers run, so loose access is safe here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PlanObject = Record<string, any>;

export const anthropicBaseUrl = 'https://api.anthropic.com';

/** The default workload asks for answers of a realistic length (TPOT and tokens/s need several tokens). */
export const defaultOutputTokens = 300;

/** A prompt asking for an answer of about `words` words; the simulator answers it with that many tokens. */
export function longAnswerPrompt(words: number, topic: string): string {
  return `Write at least ${words} words about ${topic}.`;
}

const defaultTopics = [
  'how rate limits shape the design of an API client',
  'the trade-offs of streaming responses',
  'why tail latency matters more than the average',
  'caching a long system prompt',
  'planning capacity for a traffic spike',
];

export const defaultPrompt = longAnswerPrompt(defaultOutputTokens, defaultTopics[0]!);

/**
 * Upper bounds of a plan (documented in the schema and the README): beyond them a run would never end
 * or would exhaust the generator's memory long before it measured anything.
 */
export const planLimits = {
  requests: 10_000_000,
  durationMs: 24 * 3_600_000,
  concurrency: 10_000,
  rps: 10_000,
  maxInFlight: 100_000,
} as const;

export class ScenarioError extends Error {
  /** Every problem found (the message lists them all); `field` is the first one's. */
  readonly problems: PlanProblem[];

  constructor(
    message: string,
    readonly field: string,
    problems?: PlanProblem[],
  ) {
    super(message);
    this.name = 'ScenarioError';
    this.problems = problems ?? [{ field, message }];
  }
}

// verbose: errors carry their schema, so an unknown field can be matched against the known ones.
const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true, verbose: true });
const validatePlan = ajv.compile(planSchema);

export interface ParseScenarioOptions {
  catalog?: Catalog;
  /** Folder that relative paths (prompts.file) resolve against. */
  baseDir?: string;
  /** Label for messages, e.g. the plan file's name. */
  source?: string;
  /** The plan's text, so problems can name their line and column. */
  text?: string;
  readFile?: (path: string) => string;
}

/** Validates a parsed plan object and returns the Scenario the engine runs. */
export function parseScenario(raw: unknown, options: ParseScenarioOptions = {}): Scenario {
  const catalog = options.catalog ?? builtinCatalog;
  if (!validatePlan(raw)) {
    const problems = schemaProblems(validatePlan.errors ?? []).map((p) => ({
      ...p,
      ...locate(options.text, p.field),
    }));
    throw problemsError(problems, options.source);
  }
  const p = raw as PlanObject;
  try {
    const target = parseTarget(p.target, catalog);
    const models = parseModels(p, catalog, target);
    const load = parseLoad(p.load);
    // No prompt given: the default workload asks for answers of a realistic length.
    const outputTokens: number | undefined =
      p.outputTokens ?? (p.prompt === undefined && p.prompts === undefined ? defaultOutputTokens : undefined);
    const scenario: Scenario = {
      name: typeof p.name === 'string' && p.name.trim() ? p.name.trim() : 'load-test',
      target,
      models,
      maxTokens: p.maxTokens ?? p.max_tokens ?? outputTokens ?? 256,
      ...(outputTokens !== undefined ? { outputTokens } : {}),
      stream: p.stream ?? true,
      system: parseSystem(p.system),
      prompts: parsePrompts(p, options, outputTokens ?? defaultOutputTokens),
      ...(p.keepPrompts ? { keepPrompts: true } : {}),
      load,
      requests: p.requests,
      durationMs: p.duration !== undefined ? boundedDuration(p.duration, 'duration') : undefined,
      gracefulStopMs: p.gracefulStop !== undefined ? boundedDuration(p.gracefulStop, 'gracefulStop') : 30_000,
      maxCostUsd: p.maxCostUsd,
      retries: p.retries ?? 'none',
      timeoutMs: p.timeout !== undefined ? boundedDuration(p.timeout, 'timeout') : 600_000,
      thresholds: p.thresholds ?? {},
      seed: p.seed ?? 1,
    };
    const extras = parseRequestExtras(p, scenario.maxTokens);
    if (extras) scenario.requestExtras = extras;
    const batch = parseBatch(p, target);
    if (p.via === 'batches') scenario.via = 'batches';
    if (batch) scenario.batch = batch;
    const unpriced = models.filter((m) => !findModel(catalog, m.model)).map((m) => m.model);
    if (scenario.maxCostUsd !== undefined && unpriced.length > 0) {
      throw new ScenarioError(
        `maxCostUsd needs prices, and ${unpriced.join(', ')} is not in the catalog: add it with --catalog ` +
          '(a catalog override file) or remove maxCostUsd',
        'maxCostUsd',
      );
    }
    for (const [metric, cond] of Object.entries(scenario.thresholds)) parseThreshold(metric, cond);
    // max_tokens above a model's max output is a 400 from the API: say so before sending anything.
    const maxTokensField = p.maxTokens !== undefined ? 'maxTokens' : 'max_tokens';
    for (const m of models) {
      const entry = findModel(catalog, m.model);
      if (!entry) continue;
      checkBatchBeta(scenario, entry);
      const problem = maxTokensProblem(entry, scenario.maxTokens, maxTokensField, batch?.output300k);
      if (problem) throw new ScenarioError(problem, maxTokensField);
      // The live comparison sends the same max_tokens through the Messages API.
      const live = batch?.compareLive ? maxTokensProblem(entry, scenario.maxTokens, maxTokensField) : null;
      if (live) {
        throw new ScenarioError(
          `batch.compareLive sends the same requests through the Messages API, which refuses them: ${live}. ` +
            'Lower maxTokens or remove compareLive',
          'batch.compareLive',
        );
      }
    }
    if (scenario.via === 'batches') checkBatchRun(scenario);
    if (scenario.requests === undefined && scenario.durationMs === undefined && load.type !== 'ramp') {
      throw new ScenarioError(
        'requests or duration is required: say when the test stops (e.g. "requests": 100 or "duration": "30s")',
        'requests',
      );
    }
    return scenario;
  } catch (e) {
    if (e instanceof CatalogError || e instanceof DurationError || e instanceof ThresholdError) {
      throw problemsError(
        [{ field: e.field, message: e.message, ...locate(options.text, e.field) }],
        options.source,
      );
    }
    if (e instanceof ScenarioError && options.text !== undefined && e.problems.length === 1)
      throw problemsError([{ ...e.problems[0]!, ...locate(options.text, e.field) }], options.source);
    throw e;
  }
}

/** Reads and parses a plan file from disk. */
export function loadScenarioFile(
  path: string,
  options: Omit<ParseScenarioOptions, 'baseDir' | 'source'> = {},
): Scenario {
  const read = options.readFile ?? ((f: string) => readFileSync(f, 'utf8'));
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    throw new ScenarioError(`cannot read plan file ${path}: ${(e as Error).message}`, 'file');
  }
  let raw: unknown;
  try {
    raw = parseJsonc(text, path);
  } catch (e) {
    throw new ScenarioError((e as Error).message, 'file');
  }
  return parseScenario(raw, { ...options, baseDir: dirname(resolve(path)), source: path, text });
}

/** One thing wrong with a plan file; line and column when the plan's text is known (1-based). */
export interface PlanProblem {
  field: string;
  message: string;
  line?: number;
  column?: number;
}

type SchemaErrors = NonNullable<typeof validatePlan.errors>;
type SchemaError = SchemaErrors[number];

/** Schema errors as problems in words: one per field, branch noise of oneOf dropped, typos suggested. */
function schemaProblems(errors: SchemaErrors): PlanProblem[] {
  if (errors.some((e) => e.instancePath === '/target' || e.instancePath.startsWith('/target/'))) {
    const deep = errors.filter((e) => e.instancePath.startsWith('/target/simulator'));
    if (!deep.length)
      return [
        {
          field: 'target',
          message:
            'target must be "simulator", "anthropic", {"baseUrl": "https://..."} or {"simulator": {"tier": "build"}}',
        },
      ];
    errors = [...errors.filter((e) => !e.instancePath.startsWith('/target')), ...deep];
  }
  const byField = new Map<string, SchemaError[]>();
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const { field } = describeSchemaError(e, '');
    const list = byField.get(field) ?? [];
    list.push(e);
    byField.set(field, list);
  }
  const out: PlanProblem[] = [];
  for (const [rawField, list] of byField) {
    const f = rawField || 'plan';
    // In a oneOf, a value of the right type for one branch also fails the others' type checks:
    // report what is wrong with it for its own branch.
    const specific = list.filter((e) => e.keyword !== 'type');
    const chosen = specific.length ? specific : list;
    const e = chosen[0]!;
    if (e.keyword === 'discriminator') {
      out.push({
        field: `${f}.type`,
        message: `${f}.type must be one of the documented types (see the plan schema)`,
      });
      continue;
    }
    out.push({ field: f, message: `${f} ${schemaMessage(e, chosen)}` });
  }
  return out;
}

function schemaMessage(e: SchemaError, all: SchemaError[]): string {
  const schemaPath = e.schemaPath;
  if (e.keyword === 'additionalProperty' || e.keyword === 'additionalProperties') {
    const name = String(e.params.additionalProperty);
    const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const guess = closestName(name, known);
    return `is not a known field${guess ? `: did you mean "${guess}"?` : ' (check its spelling)'}`;
  }
  if (e.keyword === 'type') {
    const types = [...new Set(all.map((x) => String(x.params.type)))];
    return `must be ${types.map((t) => (t === 'integer' ? 'a whole number' : `a ${t}`)).join(' or ')}`;
  }
  if (e.keyword === 'pattern') {
    if (schemaPath.includes('duration'))
      return 'must be a duration such as "500ms", "30s", "5m" or "1h", or a number of seconds';
    if (e.instancePath.startsWith('/thresholds/'))
      return 'must be a condition such as "<1500", ">=0.99" or "==0"';
    if (e.instancePath.endsWith('/baseUrl')) return 'must start with http:// or https://';
  }
  return describeSchemaError(e, '').message;
}

/** Where a field is in the plan's text (1-based), when the text is known. */
function locate(text: string | undefined, field: string): { line?: number; column?: number } {
  if (text === undefined) return {};
  return lineColumn(text, findFieldRange(text, field).offset);
}

function problemsError(problems: PlanProblem[], source: string | undefined): ScenarioError {
  const where = (p: PlanProblem) =>
    p.line !== undefined ? `${source ? `${source}:` : 'line '}${p.line}:${p.column}: ` : '';
  const message =
    problems.length === 1
      ? `${where(problems[0]!)}${problems[0]!.message}`
      : `${problems.length} problems${source ? ` in ${source}` : ''}:\n` +
        problems.map((p) => `  ${where(p)}${p.message}`).join('\n');
  return new ScenarioError(message, problems[0]?.field ?? '', problems);
}

/**
 * The catalog knows the Anthropic API's model ids. A gateway or proxy (any other base URL) may serve its
 * own ids: those are allowed there, with cost unknown unless a catalog override prices them.
 */
function checkModel(catalog: Catalog, id: string, field: string, target: Target): void {
  if (target.kind === 'url' && !findModel(catalog, id) && !catalog.aliases.some((a) => a.id === id)) return;
  resolveModel(catalog, id, field);
}

function parseModels(p: PlanObject, catalog: Catalog, target: Target): Scenario['models'] {
  if (p.model && p.mix) throw new ScenarioError('give either model or mix, not both', 'mix');
  if (p.mix) {
    const mix = p.mix as { model: string; share: number }[];
    mix.forEach((m, i) => checkModel(catalog, m.model, `mix[${i}].model`, target));
    const sum = mix.reduce((a, m) => a + m.share, 0);
    if (Math.abs(sum - 1) > 1e-6) {
      throw new ScenarioError(`mix shares must sum to 1 (they sum to ${+sum.toFixed(6)})`, 'mix');
    }
    return mix.map((m) => ({ model: m.model, share: m.share }));
  }
  const model = (p.model as string | undefined) ?? 'claude-haiku-4-5';
  checkModel(catalog, model, 'model', target);
  return [{ model, share: 1 }];
}

function parseTarget(t: unknown, catalog: Catalog): Target {
  const sim = (o: PlanObject = {}): Target => {
    const tier = o.tier ?? 'build';
    if (tier === 'custom') {
      // As `simulate --tier custom`: the limits are the tier.
      const l = o.limits as { rpm?: number; itpm?: number; otpm?: number } | undefined;
      if (!l?.rpm || !l.itpm || !l.otpm)
        throw new ScenarioError(
          'target.simulator.tier "custom" needs target.simulator.limits with rpm, itpm and otpm',
          'target.simulator.limits',
        );
    } else findTier(catalog, tier, 'target.simulator.tier');
    return {
      kind: 'simulator',
      tier,
      latency: o.latency ?? 'realistic',
      timeScale: o.timeScale ?? 1,
      seed: o.seed ?? 1,
      faultRate: o.faultRate,
      fault: o.fault,
      capacity: o.capacity,
      limits: o.limits,
      burstSeconds: o.burstSeconds,
      accelerationLimit: o.accelerationLimit,
    };
  };
  if (t === undefined || t === 'simulator') return sim();
  if (t === 'anthropic') return { kind: 'anthropic', baseUrl: anthropicBaseUrl };
  const o = t as PlanObject;
  if (o.simulator) return sim(o.simulator);
  const baseUrl = String(o.baseUrl).replace(/\/+$/, '');
  return new URL(baseUrl).hostname === 'api.anthropic.com'
    ? { kind: 'anthropic', baseUrl }
    : { kind: 'url', baseUrl };
}

function parseLoad(l: PlanObject | undefined): LoadShape {
  if (!l) return { type: 'concurrency', concurrency: 1 };
  if (l.type === 'concurrency') return { type: 'concurrency', concurrency: l.concurrency };
  if (l.type === 'rate')
    return { type: 'rate', rps: l.rps, arrival: l.arrival ?? 'constant', maxInFlight: l.maxInFlight ?? 1000 };
  const stages = (l.stages as { duration: unknown; rps: number }[]).map((s, i) => ({
    durationMs: boundedDuration(s.duration, `load.stages[${i}].duration`),
    rps: s.rps,
  }));
  if (stages.every((s) => s.rps === 0) && !(l.startRps > 0)) {
    throw new ScenarioError('load.stages: at least one stage needs rps > 0', 'load.stages');
  }
  const totalMs = stages.reduce((a, st) => a + st.durationMs, 0);
  if (totalMs > planLimits.durationMs)
    throw new ScenarioError(
      `load.stages last ${Math.round(totalMs / 3_600_000)} h in all: at most 24 h`,
      'load.stages',
    );
  return { type: 'ramp', stages, startRps: l.startRps ?? 0, maxInFlight: l.maxInFlight ?? 1000 };
}

/** tools, toolChoice and thinking in the API's own shape (the schema has checked their types). */
function parseRequestExtras(p: PlanObject, maxTokens: number): Scenario['requestExtras'] {
  const extras: NonNullable<Scenario['requestExtras']> = {};
  const tools = p.tools as { name: string }[] | undefined;
  if (tools) {
    const names = new Set<string>();
    tools.forEach((t, i) => {
      if (names.has(t.name))
        throw new ScenarioError(`tools[${i}].name: "${t.name}" is defined twice`, `tools[${i}].name`);
      names.add(t.name);
    });
    extras.tools = tools;
  }
  const choice = p.toolChoice as
    { type: string; name?: string; disableParallelToolUse?: boolean } | undefined;
  if (choice) {
    if (!tools && choice.type !== 'none')
      throw new ScenarioError('toolChoice needs "tools": define the tools the model may call', 'toolChoice');
    if (choice.type === 'tool') {
      if (!choice.name)
        throw new ScenarioError('toolChoice.name is required with "type": "tool"', 'toolChoice.name');
      if (!tools?.some((t) => t.name === choice.name))
        throw new ScenarioError(
          `toolChoice.name: no tool named "${choice.name}" in tools (${tools?.map((t) => t.name).join(', ')})`,
          'toolChoice.name',
        );
    }
    extras.tool_choice = {
      type: choice.type,
      ...(choice.name ? { name: choice.name } : {}),
      ...(choice.disableParallelToolUse !== undefined
        ? { disable_parallel_tool_use: choice.disableParallelToolUse }
        : {}),
    };
  }
  const thinking = p.thinking as { type: string; budgetTokens?: number; effort?: string } | undefined;
  if (thinking) {
    if (thinking.type === 'enabled') {
      if (thinking.budgetTokens! >= maxTokens)
        throw new ScenarioError(
          `thinking.budgetTokens (${thinking.budgetTokens}) must be below maxTokens (${maxTokens}): thinking tokens are output tokens`,
          'thinking.budgetTokens',
        );
      extras.thinking = { type: 'enabled', budget_tokens: thinking.budgetTokens };
    } else {
      extras.thinking = { type: thinking.type };
      if (thinking.effort) extras.output_config = { effort: thinking.effort };
    }
  }
  return Object.keys(extras).length > 0 ? extras : undefined;
}

/** The "batch" section; only a `via: "batches"` plan may have one. */
function parseBatch(p: PlanObject, target: Target): Scenario['batch'] {
  const b = p.batch as
    { poll?: unknown; latency?: unknown; compareLive?: boolean; output300k?: boolean } | undefined;
  if (b === undefined) return undefined;
  if (p.via !== 'batches') {
    throw new ScenarioError(
      '"batch" settings apply only to a batch run: add "via": "batches" or remove "batch"',
      'batch',
    );
  }
  if (b.latency !== undefined && target.kind !== 'simulator') {
    throw new ScenarioError(
      'batch.latency applies only to the simulator (the API takes the time it takes): remove it or target the simulator',
      'batch.latency',
    );
  }
  return {
    ...(b.poll !== undefined ? { pollMs: boundedDuration(b.poll, 'batch.poll') } : {}),
    ...(b.latency !== undefined ? { latencyMs: boundedDuration(b.latency, 'batch.latency') } : {}),
    ...(b.compareLive ? { compareLive: true } : {}),
    ...(b.output300k ? { output300k: true } : {}),
  };
}

/** batch.output300k names a beta the model must have (reference: Sonnet 5 / 5.5 in the Batch API). */
function checkBatchBeta(scenario: Scenario, entry: ModelEntry): void {
  if (!scenario.batch?.output300k || entry.batchMaxOutputTokens !== undefined) return;
  throw new ScenarioError(
    `batch.output300k: ${entry.id} has no 300K-output batch beta (${OUTPUT_300K_BETA}); remove it, or use a ` +
      'model the catalog lists with batchMaxOutputTokens (Claude Sonnet 5 or 5.5)',
    'batch.output300k',
  );
}

/** A batch is a count of requests processed at the API's pace: no duration, a request count. */
function checkBatchRun(scenario: Scenario): void {
  if (scenario.durationMs !== undefined) {
    throw new ScenarioError(
      'duration does not apply to "via": "batches" (a batch runs until every request has ended): ' +
        'remove it and give "requests"',
      'duration',
    );
  }
  if (scenario.requests === undefined) {
    throw new ScenarioError(
      '"via": "batches" needs "requests": how many requests to submit (e.g. "requests": 1000)',
      'requests',
    );
  }
}

/** A duration within the plan's limit (24 h): "99999999999999999999h" would never end. */
function boundedDuration(value: unknown, field: string): number {
  const ms = parseDuration(value, field);
  if (!Number.isFinite(ms) || ms > planLimits.durationMs)
    throw new ScenarioError(`${field} must be at most 24h (got ${String(value)})`, field);
  return ms;
}

function parseSystem(s: unknown): Scenario['system'] {
  if (s === undefined) return undefined;
  if (typeof s === 'string') return { text: s };
  const o = s as { text: string; cacheControl?: '5m' | '1h' };
  return o.cacheControl ? { text: o.text, cacheTtl: o.cacheControl } : { text: o.text };
}

function parsePrompts(p: PlanObject, options: ParseScenarioOptions, words: number): PromptSource {
  if (p.prompt !== undefined && p.prompts !== undefined)
    throw new ScenarioError('give either prompt or prompts, not both', 'prompts');
  if (typeof p.prompt === 'string') {
    if (!p.prompt.trim()) throw new ScenarioError('prompt must not be empty', 'prompt');
    return { type: 'fixed', text: p.prompt };
  }
  const src = p.prompts as PlanObject | undefined;
  if (!src) return { type: 'list', items: defaultTopics.map((t) => longAnswerPrompt(words, t)) };
  switch (src.type) {
    case 'fixed':
      return { type: 'fixed', text: src.text };
    case 'list':
      return { type: 'list', items: src.items };
    case 'synthetic': {
      const it = src.inputTokens;
      const inputTokens = typeof it === 'number' ? { mean: it, sd: 0 } : { mean: it.mean, sd: it.sd ?? 0 };
      const prefix = src.cachedPrefix as { tokens: number; hitRate: number; ttl?: '5m' | '1h' } | undefined;
      if (prefix && prefix.tokens >= inputTokens.mean)
        throw new ScenarioError(
          `prompts.cachedPrefix.tokens (${prefix.tokens}) must be below prompts.inputTokens (${inputTokens.mean}): the prefix is part of the prompt`,
          'prompts.cachedPrefix.tokens',
        );
      return {
        type: 'synthetic',
        inputTokens,
        ...(prefix
          ? { cachedPrefix: { tokens: prefix.tokens, hitRate: prefix.hitRate, ttl: prefix.ttl ?? '5m' } }
          : {}),
      };
    }
    default: {
      const file = resolve(options.baseDir ?? process.cwd(), src.file as string);
      return { type: 'messages', bodies: readJsonl(file, options.readFile), source: file };
    }
  }
}

/** Reads a JSONL file of Messages bodies; each bad line is reported by number. */
export function readJsonl(
  file: string,
  read: (path: string) => string = (f) => readFileSync(f, 'utf8'),
): MessagesBody[] {
  let text: string;
  try {
    text = read(file);
  } catch (e) {
    throw new ScenarioError(`prompts.file: cannot read ${file}: ${(e as Error).message}`, 'prompts.file');
  }
  const bodies: MessagesBody[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let body: unknown;
    try {
      body = JSON.parse(line);
    } catch {
      throw new ScenarioError(`prompts.file: line ${i + 1} of ${file} is not valid JSON`, 'prompts.file');
    }
    const b = body as MessagesBody;
    if (!b || typeof b !== 'object' || !Array.isArray(b.messages) || b.messages.length === 0) {
      throw new ScenarioError(
        `prompts.file: line ${i + 1} of ${file} needs a non-empty "messages" array`,
        'prompts.file',
      );
    }
    bodies.push(b);
  });
  if (bodies.length === 0) throw new ScenarioError(`prompts.file: ${file} has no requests`, 'prompts.file');
  return bodies;
}

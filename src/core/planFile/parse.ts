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
  resolveModel,
} from '../catalog/index';
import type { Catalog } from '../catalog/index';
import { DurationError, parseDuration } from '../util/duration';
import { parseJsonc } from '../util/jsonc';
import { parseThreshold, ThresholdError } from '../engine/thresholds';
import type { LoadShape, MessagesBody, PromptSource, Scenario, Target } from '../model/run';

// The schema has checked shapes before these readers run, so loose access is safe here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PlanObject = Record<string, any>;

export const defaultPrompt = 'Respond with exactly: OK';
export const anthropicBaseUrl = 'https://api.anthropic.com';

export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true });
const validatePlan = ajv.compile(planSchema);

export interface ParseScenarioOptions {
  catalog?: Catalog;
  /** Folder that relative paths (prompts.file) resolve against. */
  baseDir?: string;
  /** Label for messages, e.g. the plan file's name. */
  source?: string;
  readFile?: (path: string) => string;
}

/** Validates a parsed plan object and returns the Scenario the engine runs. */
export function parseScenario(raw: unknown, options: ParseScenarioOptions = {}): Scenario {
  const catalog = options.catalog ?? builtinCatalog;
  if (!validatePlan(raw)) throw schemaError(validatePlan.errors ?? []);
  const p = raw as PlanObject;
  try {
    const models = parseModels(p, catalog);
    const target = parseTarget(p.target, catalog);
    const load = parseLoad(p.load);
    const scenario: Scenario = {
      name: typeof p.name === 'string' && p.name.trim() ? p.name.trim() : 'load-test',
      target,
      models,
      maxTokens: p.maxTokens ?? p.max_tokens ?? 256,
      stream: p.stream ?? true,
      system: parseSystem(p.system),
      prompts: parsePrompts(p, options),
      load,
      requests: p.requests,
      durationMs: p.duration !== undefined ? parseDuration(p.duration, 'duration') : undefined,
      gracefulStopMs: p.gracefulStop !== undefined ? parseDuration(p.gracefulStop, 'gracefulStop') : 30_000,
      maxCostUsd: p.maxCostUsd,
      retries: p.retries ?? 'none',
      timeoutMs: p.timeout !== undefined ? parseDuration(p.timeout, 'timeout') : 600_000,
      thresholds: p.thresholds ?? {},
      seed: p.seed ?? 1,
    };
    for (const [metric, cond] of Object.entries(scenario.thresholds)) parseThreshold(metric, cond);
    // max_tokens above a model's max output is a 400 from the API: say so before sending anything.
    const maxTokensField = p.maxTokens !== undefined ? 'maxTokens' : 'max_tokens';
    for (const m of models) {
      const entry = findModel(catalog, m.model);
      const problem = entry ? maxTokensProblem(entry, scenario.maxTokens, maxTokensField) : null;
      if (problem) throw new ScenarioError(problem, maxTokensField);
    }
    if (scenario.requests === undefined && scenario.durationMs === undefined && load.type !== 'ramp') {
      throw new ScenarioError(
        'requests or duration is required: say when the test stops (e.g. "requests": 100 or "duration": "30s")',
        'requests',
      );
    }
    return scenario;
  } catch (e) {
    if (e instanceof CatalogError || e instanceof DurationError || e instanceof ThresholdError) {
      throw new ScenarioError(e.message, e.field);
    }
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
  return parseScenario(raw, { ...options, baseDir: dirname(resolve(path)), source: path });
}

function schemaError(errors: NonNullable<typeof validatePlan.errors>): ScenarioError {
  // oneOf branches produce noise; prefer the most specific error that is not a branch mismatch.
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'discriminator');
  const targetErr = errors.find((e) => e.instancePath === '/target' || e.instancePath.startsWith('/target/'));
  const deepTarget = errors.find((e) => e.instancePath.startsWith('/target/simulator/'));
  if (targetErr && !deepTarget) {
    return new ScenarioError(
      'target must be "simulator", "anthropic", {"baseUrl": "https://..."} or {"simulator": {"tier": "build"}}',
      'target',
    );
  }
  const chosen = (deepTarget ? [deepTarget] : specific.length ? specific : errors).sort(
    (a, b) => b.instancePath.length - a.instancePath.length,
  )[0];
  if (!chosen) return new ScenarioError('plan file is invalid', '');
  const { field, message } = describeSchemaError(chosen, '');
  const f = field || 'plan';
  if (chosen.keyword === 'discriminator') {
    return new ScenarioError(
      `${f}.type must be one of the documented types (see the plan schema)`,
      `${f}.type`,
    );
  }
  return new ScenarioError(`${f} ${message}`, f);
}

function parseModels(p: PlanObject, catalog: Catalog): Scenario['models'] {
  if (p.model && p.mix) throw new ScenarioError('give either model or mix, not both', 'mix');
  if (p.mix) {
    const mix = p.mix as { model: string; share: number }[];
    mix.forEach((m, i) => resolveModel(catalog, m.model, `mix[${i}].model`));
    const sum = mix.reduce((a, m) => a + m.share, 0);
    if (Math.abs(sum - 1) > 1e-6) {
      throw new ScenarioError(`mix shares must sum to 1 (they sum to ${+sum.toFixed(6)})`, 'mix');
    }
    return mix.map((m) => ({ model: m.model, share: m.share }));
  }
  const model = (p.model as string | undefined) ?? 'claude-haiku-4-5';
  resolveModel(catalog, model, 'model');
  return [{ model, share: 1 }];
}

function parseTarget(t: unknown, catalog: Catalog): Target {
  const sim = (o: PlanObject = {}): Target => {
    const tier = o.tier ?? 'build';
    findTier(catalog, tier, 'target.simulator.tier');
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
    durationMs: parseDuration(s.duration, `load.stages[${i}].duration`),
    rps: s.rps,
  }));
  if (stages.every((s) => s.rps === 0) && !(l.startRps > 0)) {
    throw new ScenarioError('load.stages: at least one stage needs rps > 0', 'load.stages');
  }
  return { type: 'ramp', stages, startRps: l.startRps ?? 0, maxInFlight: l.maxInFlight ?? 1000 };
}

function parseSystem(s: unknown): Scenario['system'] {
  if (s === undefined) return undefined;
  if (typeof s === 'string') return { text: s };
  const o = s as { text: string; cacheControl?: '5m' | '1h' };
  return o.cacheControl ? { text: o.text, cacheTtl: o.cacheControl } : { text: o.text };
}

function parsePrompts(p: PlanObject, options: ParseScenarioOptions): PromptSource {
  if (p.prompt !== undefined && p.prompts !== undefined)
    throw new ScenarioError('give either prompt or prompts, not both', 'prompts');
  if (typeof p.prompt === 'string') {
    if (!p.prompt.trim()) throw new ScenarioError('prompt must not be empty', 'prompt');
    return { type: 'fixed', text: p.prompt };
  }
  const src = p.prompts as PlanObject | undefined;
  if (!src) return { type: 'fixed', text: defaultPrompt };
  switch (src.type) {
    case 'fixed':
      return { type: 'fixed', text: src.text };
    case 'list':
      return { type: 'list', items: src.items };
    case 'synthetic': {
      const it = src.inputTokens;
      return {
        type: 'synthetic',
        inputTokens: typeof it === 'number' ? { mean: it, sd: 0 } : { mean: it.mean, sd: it.sd ?? 0 },
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

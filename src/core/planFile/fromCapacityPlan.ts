// Planner <-> plan files, for the planner panel: a capacity plan becomes a load-test plan file ("Save as
// plan file", "Load test this plan"), and a plan file's `plan` section becomes the planner's input.
// Pure (no vscode), so it is tested with node's test runner.
import { PlanInputError, planCapacity, validatePlanInput } from '../capacity/index';
import type { PlanInput, PlanResult } from '../capacity/index';
import type { Catalog } from '../catalog/index';
import { estimateTokens } from '../tokens/count';
import { parseDuration } from '../util/duration';
import { defaultOutputTokens, defaultPrompt } from './parse';

/** A plan-file object (schemas/plan.schema.json), ready for JSON.stringify or parseScenario. */
export type PlanFileObject = Record<string, unknown>;

export interface PlanFileOptions {
  /** Simulator tier when the plan's recommendation is 'custom' (no standard tier fits): the settings default. */
  defaultTier: string;
  /** Plan name; default derived from the model and the rate. */
  name?: string;
}

/** The planner cannot produce a runnable plan (e.g. nothing goes to the Messages API). */
export class PlanToScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanToScenarioError';
  }
}

/** Long enough to see the rate limits (per-minute buckets refill continuously) without costing much. */
export const planTestDuration = '60s';

/** max_tokens leaves room above the average output so responses are not cut short at the mean. */
export function maxTokensFor(outputTokens: number): number {
  return Math.max(1, Math.round(outputTokens * 1.5));
}

/** "claude-sonnet-5-5-100rpm", "mix-250rpm": a file-name-safe default name. */
export function defaultPlanName(input: PlanInput): string {
  const model = input.mix ? 'mix' : (input.model ?? 'plan');
  const rpm = Number(input.rpm.toFixed(2));
  return `${model}-${rpm}rpm`.replace(/[^a-zA-Z0-9._-]+/g, '-');
}

/**
 * The plan file for a capacity plan: the recommended tier's simulator (or `defaultTier` when none fits),
 * the model or mix, synthetic prompts of the average input size, and an open-loop Poisson load at the peak
 * rate of the Messages API share (batched and coalesced requests never reach it). `plan` keeps the planner
 * input, so "Plan Capacity" on the file restores it.
 */
export function planToPlanFile(result: PlanResult, options: PlanFileOptions): PlanFileObject {
  const input = result.input;
  const rps = result.traffic.peakMessagesRpm / 60;
  if (!(rps > 0)) {
    throw new PlanToScenarioError(
      'Nothing to load test: no requests reach the Messages API at this input ' +
        `(${result.traffic.incomingRpm} RPM, batch share ${input.batchShare}, duplicate share ${input.duplicateShare}).`,
    );
  }
  const tier = result.recommendedTier === 'custom' ? options.defaultTier : result.recommendedTier;
  // Limits the user typed for a custom tier are what the rehearsal should enforce, on every bucket.
  const custom = input.tier === 'custom' && input.customLimits ? input.customLimits : undefined;
  const simulator = custom
    ? { tier, limits: { rpm: custom.rpm, itpm: custom.itpm, otpm: custom.otpm } }
    : { tier };
  const name = options.name ?? defaultPlanName(input);
  // Slowest model's latency: the p95 of a mix follows its slowest model. Twice it leaves room for queueing.
  const slowestS = Math.max(result.latency.seconds, ...result.models.map((m) => m.latencyS));
  const p95LimitMs = Math.max(1000, Math.ceil((slowestS * 2000) / 100) * 100);
  return {
    name,
    description:
      `From Claude: Plan Capacity (catalog as of ${result.asOf}): ${result.model} at ${result.traffic.incomingRpm} RPM, ` +
      `peak x${input.peakFactor}; recommended tier ${result.recommendedTier}. The load is the peak Messages API rate.`,
    target: { simulator },
    ...(input.mix
      ? { mix: input.mix.map((m) => ({ model: m.model, share: m.share })) }
      : { model: input.model }),
    maxTokens: maxTokensFor(input.outputTokens),
    stream: true,
    prompts: syntheticPrompts(input),
    load: { type: 'rate', rps, arrival: 'poisson' },
    duration: planTestDuration,
    thresholds: {
      'errors.rate': '<0.01',
      'rateLimited.rate': '<0.01',
      'latency.p95': `<${p95LimitMs}`,
    },
    plan: planSection(input),
  };
}

/**
 * Synthetic prompts of the plan's average size; with prompt caching, its prefix and hit rate, so the
 * rehearsal's cache reads and writes (and so its cost) match the plan's.
 */
function syntheticPrompts(input: PlanInput): Record<string, unknown> {
  const mean = Math.max(1, Math.round(input.inputTokens));
  const cached = Math.min(Math.round(input.cachedTokens), mean - 1);
  if (!(cached >= 1)) return { type: 'synthetic', inputTokens: { mean } };
  return {
    type: 'synthetic',
    inputTokens: { mean },
    cachedPrefix: { tokens: cached, hitRate: input.cacheHitRate, ttl: input.cacheTtl },
  };
}

/** Simulated time per real second of the batch rehearsal: a simulated hour a second. */
export const batchRehearsalTimeScale = 3600;
/** At most one batch's worth of requests in a rehearsal. */
const maxRehearsalRequests = 100_000;

/**
 * The planner's batch share as a "via": "batches" plan file: one hour of the batch traffic (at most one
 * batch of 100,000 requests) with the plan's model or mix and prompt sizes, on the recommended tier's
 * simulator at a simulated hour per second.
 */
export function planToBatchPlanFile(result: PlanResult, options: PlanFileOptions): PlanFileObject {
  const input = result.input;
  const perHour = Math.round(result.traffic.batchRpm * 60);
  if (!(perHour >= 1)) {
    throw new PlanToScenarioError(
      `Nothing to run as a batch: no requests go via Message Batches at this input (batch share ${input.batchShare}). ` +
        'Set "Batch share" above 0.',
    );
  }
  const tier = result.recommendedTier === 'custom' ? options.defaultTier : result.recommendedTier;
  const requests = Math.min(perHour, maxRehearsalRequests);
  return {
    name: options.name ?? `${defaultPlanName(input)}-batch`,
    description:
      `From Claude: Plan Capacity (catalog as of ${result.asOf}): the batch share of ${result.model} ` +
      `(${result.traffic.batchRpm} RPM), ${requests === perHour ? 'one hour' : 'the first 100,000 requests of an hour'} ` +
      'of it as Message Batches on the simulator.',
    target: { simulator: { tier, timeScale: batchRehearsalTimeScale } },
    ...(input.mix
      ? { mix: input.mix.map((m) => ({ model: m.model, share: m.share })) }
      : { model: input.model }),
    maxTokens: maxTokensFor(input.outputTokens),
    prompts: syntheticPrompts(input),
    requests,
    via: 'batches',
    batch: { poll: '200ms' },
    plan: planSection(input),
  };
}

/** The planner input as stored in a plan file: validated values, no undefined keys. */
export function planSection(input: PlanInput): Record<string, unknown> {
  return JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a plan file gives the planner: its input, and where each value came from (said to the user). */
export interface PlanFileInput {
  input: Record<string, unknown>;
  /** One short phrase per value, e.g. "480 RPM from load.rps 8". */
  notes: string[];
}

/**
 * The planner input a plan file offers: its `plan` section as saved; else its own workload (model or
 * mix, the load's rate and peak, prompt and reply tokens, prompt caching) over `defaults` for what the
 * file does not say. Never the planner's previous input: that would show numbers the file does not
 * hold. Undefined when the file names no model and has no plan section.
 */
export function planInputFromPlanFile(
  file: unknown,
  defaults: Record<string, unknown>,
): PlanFileInput | undefined {
  if (!isObject(file)) return undefined;
  if (isObject(file.plan)) return { input: { ...file.plan }, notes: ['the file\'s "plan" section'] };
  const input: Record<string, unknown> = { ...defaults };
  delete input.model;
  delete input.mix;
  const notes: string[] = [];
  if (Array.isArray(file.mix) && file.mix.length > 0) {
    input.mix = file.mix;
    notes.push('the model mix');
  } else if (typeof file.model === 'string') {
    input.model = file.model;
    notes.push(file.model);
  } else return undefined;
  Object.assign(input, loadOf(file.load, notes));
  const tokens = promptTokensOf(file, notes);
  Object.assign(input, tokens);
  const output = positive(file.outputTokens) ?? positive(file.maxTokens) ?? positive(file.max_tokens);
  if (output !== undefined) {
    input.outputTokens = output;
    notes.push(
      `${output} output tokens from ${file.outputTokens !== undefined ? 'outputTokens' : 'maxTokens'}`,
    );
  } else if (file.prompt === undefined && file.prompts === undefined) {
    input.outputTokens = defaultOutputTokens;
    notes.push(`${defaultOutputTokens} output tokens (the default prompt's answer)`);
  }
  const sim = isObject(file.target) && isObject(file.target.simulator) ? file.target.simulator : undefined;
  if (sim && typeof sim.tier === 'string' && sim.tier !== 'custom') {
    input.tier = sim.tier;
    notes.push(`tier ${sim.tier} from target.simulator`);
  }
  return { input, notes };
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Average RPM and peak factor of a plan file's load; a closed loop's rate depends on latency, so none. */
function loadOf(load: unknown, notes: string[]): Record<string, unknown> {
  if (!isObject(load)) return {};
  if (load.type === 'concurrency') {
    notes.push(
      `no rate: ${String(load.concurrency)} concurrent requests make a rate that depends on latency`,
    );
    return {};
  }
  if (load.type === 'rate') {
    const rps = positive(load.rps);
    if (rps === undefined) return {};
    const rpm = Number((rps * 60).toFixed(2));
    notes.push(`${rpm} RPM from load.rps ${rps}`);
    return { rpm, peakFactor: 1 };
  }
  if (load.type === 'ramp' && Array.isArray(load.stages)) {
    // Each stage moves linearly from the previous rate to its own: its mean is the midpoint.
    let previous = typeof load.startRps === 'number' ? load.startRps : 0;
    let requests = 0;
    let seconds = 0;
    let peak = previous;
    for (const stage of load.stages as unknown[]) {
      if (!isObject(stage) || typeof stage.rps !== 'number') return {};
      let ms: number;
      try {
        ms = parseDuration(stage.duration, 'load.stages.duration');
      } catch {
        return {};
      }
      requests += ((previous + stage.rps) / 2) * (ms / 1000);
      seconds += ms / 1000;
      peak = Math.max(peak, stage.rps);
      previous = stage.rps;
    }
    if (!(seconds > 0) || !(requests > 0)) return {};
    const avgRps = requests / seconds;
    const rpm = Number((avgRps * 60).toFixed(2));
    const peakFactor = Number(Math.max(1, peak / avgRps).toFixed(2));
    notes.push(`${rpm} RPM on average and peak x${peakFactor} from load.stages`);
    return { rpm, peakFactor };
  }
  return {};
}

/** Input tokens (and the cached prefix) of a plan file's prompts, by the simulator's classic count. */
function promptTokensOf(file: Record<string, unknown>, notes: string[]): Record<string, unknown> {
  const system =
    typeof file.system === 'string' ? file.system : isObject(file.system) ? file.system : undefined;
  const systemText =
    typeof system === 'string' ? system : typeof system?.text === 'string' ? system.text : '';
  const systemTokens = estimateTokens(systemText, 'classic');
  const prompts = isObject(file.prompts) ? file.prompts : undefined;
  let promptTokens: number | undefined;
  if (typeof file.prompt === 'string') promptTokens = estimateTokens(file.prompt, 'classic');
  else if (prompts?.type === 'synthetic') {
    const it = prompts.inputTokens;
    promptTokens = positive(it) ?? (isObject(it) ? positive(it.mean) : undefined);
    const prefix = isObject(prompts.cachedPrefix) ? prompts.cachedPrefix : undefined;
    if (promptTokens !== undefined && prefix && positive(prefix.tokens) !== undefined) {
      notes.push(
        `${promptTokens} input tokens with a cached prefix of ${String(prefix.tokens)} from prompts`,
      );
      return {
        inputTokens: promptTokens + systemTokens,
        cachedTokens: prefix.tokens,
        cacheHitRate: typeof prefix.hitRate === 'number' ? prefix.hitRate : 0,
        cacheTtl: prefix.ttl === '1h' ? '1h' : '5m',
      };
    }
  } else if (prompts?.type === 'fixed' && typeof prompts.text === 'string')
    promptTokens = estimateTokens(prompts.text, 'classic');
  else if (prompts?.type === 'list' && Array.isArray(prompts.items) && prompts.items.length > 0) {
    const items = prompts.items.filter((x): x is string => typeof x === 'string');
    promptTokens = Math.round(items.reduce((a, t) => a + estimateTokens(t, 'classic'), 0) / items.length);
  } else if (file.prompt === undefined && prompts === undefined)
    promptTokens = estimateTokens(defaultPrompt, 'classic');
  if (promptTokens === undefined) return {};
  const inputTokens = promptTokens + systemTokens;
  notes.push(
    `${inputTokens} input tokens from the ${systemTokens > 0 ? 'system prompt and prompts' : 'prompts'}`,
  );
  // A system prompt with a cache breakpoint is the same prefix on every request: all but the first hit.
  if (
    isObject(system) &&
    (system.cacheControl === '5m' || system.cacheControl === '1h') &&
    systemTokens > 0
  ) {
    notes.push(`a cached system prompt of ${systemTokens} tokens (every request hits)`);
    return { inputTokens, cachedTokens: systemTokens, cacheHitRate: 1, cacheTtl: system.cacheControl };
  }
  return { inputTokens, cachedTokens: 0, cacheHitRate: 0 };
}

/** The planner's starting input: the default model at 100 RPM, 500 input and 200 output tokens. */
export function defaultPlanInput(defaultModel: string): Record<string, unknown> {
  return { model: defaultModel, rpm: 100, peakFactor: 1, inputTokens: 500, outputTokens: 200 };
}

export type PlanAnswer = { ok: true; result: PlanResult } | { ok: false; field: string; message: string };

/** Validates raw form values and plans; every failure names a field (the form highlights it). */
export function answerPlanInput(raw: unknown, catalog: Catalog): PlanAnswer {
  try {
    const input = validatePlanInput(raw, catalog);
    return { ok: true, result: planCapacity(input, { catalog }) };
  } catch (e) {
    if (e instanceof PlanInputError) return { ok: false, field: e.field, message: e.message };
    return { ok: false, field: 'input', message: `The plan could not be computed: ${(e as Error).message}` };
  }
}

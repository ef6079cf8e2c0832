// Planner <-> plan files, for the planner panel: a capacity plan becomes a load-test plan file ("Save as
// plan file", "Load test this plan"), and a plan file's `plan` section becomes the planner's input.
// Pure (no vscode), so it is tested with node's test runner.
import { PlanInputError, planCapacity, validatePlanInput } from '../capacity/index';
import type { PlanInput, PlanResult } from '../capacity/index';
import type { Catalog } from '../catalog/index';

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
    prompts: { type: 'synthetic', inputTokens: { mean: Math.max(1, Math.round(input.inputTokens)) } },
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
    prompts: { type: 'synthetic', inputTokens: { mean: Math.max(1, Math.round(input.inputTokens)) } },
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

/**
 * The planner input a plan file offers: its `plan` section, else its model or mix over `fallback`
 * (the planner's last or default input). Undefined when the file says nothing the planner can use.
 */
export function planInputFromPlanFile(
  file: unknown,
  fallback: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (!isObject(file)) return undefined;
  if (isObject(file.plan)) return { ...file.plan };
  const base = { ...fallback };
  delete base.model;
  delete base.mix;
  if (Array.isArray(file.mix) && file.mix.length > 0) return { ...base, mix: file.mix };
  if (typeof file.model === 'string') return { ...base, model: file.model };
  return undefined;
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

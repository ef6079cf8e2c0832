// The pure parts of Claude: Rehearse Horizontal Scaling (no vscode import; test/extension tests them):
// where the org's limits come from (the planner's tier, a plan file, or the settings), and the
// validation of every prompt, each message naming its field.
import { answerPlanInput } from '../../core/planFile/fromCapacityPlan';
import type { Catalog } from '../../core/catalog/index';
import type { PlanResult } from '../../core/capacity/index';
import type { RateLimits } from '../../core/limiter/index';
import { limiterSetupFromPlan, SCALE_MODES } from '../../core/scale/index';
import type { LimiterSetup, ScaleMode } from '../../core/scale/index';

/** What a rehearsal needs besides the prompts: the model, the org's limits for its bucket, the snippet's setup. */
export interface RehearsalBasis {
  model: string;
  tierDisplayName: string;
  limits: RateLimits;
  /** Where the limits come from, for the panel ("the planner", "orders.claudeload.json", ...). */
  source: string;
  setup: LimiterSetup;
  /** The planner's instances field, when it is above 1 (the default of the prompt). */
  instances?: number;
}

/** A bad prompt value; `field` is the prompt's name as the user sees it. */
export class RehearsalInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'RehearsalInputError';
  }
}

/** The basis from a plan: the limits of the bucket of its main model (largest share) on the plan's tier. */
export function basisFromPlan(plan: PlanResult, source: string): RehearsalBasis {
  const setup = limiterSetupFromPlan(plan);
  const main = [...plan.models].sort((a, b) => b.share - a.share)[0]!;
  const bucket = setup.buckets.find((b) => b.bucket === main.bucket) ?? setup.buckets[0]!;
  const instances = plan.input.instances;
  return {
    model: main.model,
    tierDisplayName: setup.tierDisplayName,
    limits: bucket.limits,
    source,
    setup,
    ...(instances !== undefined && instances > 1 ? { instances } : {}),
  };
}

/**
 * The planner's last input when it is valid ("the planner"), else the given model on the given tier
 * (a plan file's simulator tier, or the settings' default tier).
 */
export function rehearsalBasis(
  catalog: Catalog,
  o: { plannerInput?: Record<string, unknown>; model: string; tier: string; source: string },
): RehearsalBasis {
  if (o.plannerInput) {
    const answer = answerPlanInput(o.plannerInput, catalog);
    if (answer.ok) return basisFromPlan(answer.result, 'the planner');
  }
  const answer = answerPlanInput(
    { model: o.model, rpm: 1, inputTokens: 500, outputTokens: 200, tier: o.tier },
    catalog,
  );
  if (!answer.ok) throw new RehearsalInputError(answer.message, answer.field);
  return basisFromPlan(answer.result, o.source);
}

/** Most instance processes a rehearsal starts (as `claude-load scale --instances`). */
export const maxInstances = 64;
/** Largest offered load, as a multiple of the RPM limit. */
export const maxOfferedMultiple = 10;

/** Undefined when valid, else the message (for showInputBox's validateInput). */
export function instancesProblem(text: string): string | undefined {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n) || n < 2 || n > maxInstances) {
    return `Instances must be a whole number from 2 to ${maxInstances} (app instances sharing one API key; one instance has nothing to coordinate).`;
  }
  return undefined;
}

/** "2", "2x", "0.5x" -> undefined; anything else -> the message. */
export function offeredProblem(text: string): string | undefined {
  const n = Number(text.trim().replace(/x$/i, ''));
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > maxOfferedMultiple) {
    return `Offered load must be a multiple of the RPM limit above 0 and at most ${maxOfferedMultiple}, e.g. 2x (got "${text}").`;
  }
  return undefined;
}

export function parseOffered(text: string): number {
  const problem = offeredProblem(text);
  if (problem) throw new RehearsalInputError(problem, 'Offered load');
  return Number(text.trim().replace(/x$/i, ''));
}

export function parseInstances(text: string): number {
  const problem = instancesProblem(text);
  if (problem) throw new RehearsalInputError(problem, 'Instances');
  return Number(text.trim());
}

/** The picked modes in the canonical order; none picked (or an unknown one) is an error naming the field. */
export function parseModes(picked: readonly string[]): ScaleMode[] {
  const unknown = picked.filter((m) => !(SCALE_MODES as readonly string[]).includes(m));
  if (unknown.length) {
    throw new RehearsalInputError(
      `Modes: unknown mode ${unknown.join(', ')}; choose from ${SCALE_MODES.join(', ')}.`,
      'Modes',
    );
  }
  if (picked.length === 0) {
    throw new RehearsalInputError(
      'Modes: pick at least one mode to rehearse (all four compare best).',
      'Modes',
    );
  }
  return SCALE_MODES.filter((m) => picked.includes(m));
}

/** Offered requests per second of all instances together at `multiple` x the RPM limit. */
export function offeredRps(limits: RateLimits, multiple: number): number {
  return (multiple * limits.rpm) / 60;
}

/** max_tokens of a rehearsal request (as `claude-load scale`'s default). */
export const rehearsalMaxTokens = 64;

// What a rehearsal's instances send, and the org's limits: from a load-test plan file (model, mix of
// one rate-limit bucket, prompts, system, tools, max_tokens, the simulator target's tier / limits /
// burst / time scale) with the CLI's flags on top, or from the flags alone.
import { builtinCatalog, findModel, findTier, limitsFor, resolveModel } from '../catalog/index';
import type { Catalog } from '../catalog/index';
import { createRequestFactory } from '../engine/prompts';
import type { RateLimits } from '../limiter/index';
import type { Scenario } from '../model/run';
import { parseScenario } from '../planFile/index';
import { seededRandom } from '../util/random';

/** Distinct request bodies an instance cycles through (synthetic prompts and lists vary). */
const BODY_COUNT = 32;

export interface ScaleWorkloadOverrides {
  model?: string;
  maxTokens?: number;
  tier?: string;
  limits?: RateLimits;
  burstSeconds?: number;
  timeScale?: number;
}

export interface ScaleWorkload {
  /** The plan's name, or "rehearsal". */
  name: string;
  model: string;
  maxTokens: number;
  /** Messages bodies the instances send in turn. */
  bodies: Record<string, unknown>[];
  limits: RateLimits;
  /** Where the limits came from, for the log ("tier build, bucket haiku-4-5" or "explicit"). */
  limitsFrom: string;
  burstSeconds: number;
  timeScale: number;
}

/** A problem of the plan or the flags: `field` is the plan field or the flag to fix. */
export class ScaleWorkloadError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'ScaleWorkloadError';
  }
}

/** The body sent without a plan file: a short prompt to `model`. */
export const defaultScaleBody = (model: string, maxTokens: number, index = 0) => ({
  model,
  max_tokens: maxTokens,
  messages: [{ role: 'user', content: `Request ${index}: summarise the rehearsal in one line.` }],
});

function limitsOfTier(catalog: Catalog, tierName: string, model: string, field: string): RateLimits {
  const tier = findTier(catalog, tierName, field);
  const bucket = findModel(catalog, model)?.bucket ?? model;
  const l = limitsFor(tier, bucket);
  if (!l) throw new ScaleWorkloadError(`${field}: tier ${tier.name} has no limits for ${model}`, field);
  return { rpm: l.rpm, itpm: l.itpm, otpm: l.otpm };
}

/**
 * The workload and limits. `plan`: the plan file's parsed JSON (validated here with the plan's own
 * messages, each naming its field), or undefined for flags only. Overrides win over the plan.
 */
export function scaleWorkload(
  plan: Record<string, unknown> | undefined,
  o: ScaleWorkloadOverrides,
  options: { catalog?: Catalog; baseDir?: string; source?: string; text?: string } = {},
): ScaleWorkload {
  const catalog = options.catalog ?? builtinCatalog;
  if (!plan) {
    const model = o.model ?? 'claude-haiku-4-5';
    resolveModel(catalog, model, '--model');
    const maxTokens = o.maxTokens ?? 64;
    const limits = o.limits ?? limitsOfTier(catalog, o.tier ?? 'build', model, '--tier');
    return {
      name: 'rehearsal',
      model,
      maxTokens,
      bodies: Array.from({ length: BODY_COUNT }, (_, i) => defaultScaleBody(model, maxTokens, i)),
      limits,
      limitsFrom: o.limits ? 'explicit' : `tier ${o.tier ?? 'build'}`,
      burstSeconds: o.burstSeconds ?? rehearsalBurstSeconds(limits, maxTokens),
      timeScale: o.timeScale ?? 1,
    };
  }
  const raw: Record<string, unknown> = { ...plan };
  if (o.model !== undefined) {
    delete raw.mix;
    raw.model = o.model;
  }
  if (o.maxTokens !== undefined) {
    delete raw.max_tokens;
    raw.maxTokens = o.maxTokens;
  }
  // The rehearsal sets its own load and duration; the plan only has to be valid.
  raw.load ??= { type: 'rate', rps: 1 };
  if (raw.requests === undefined && raw.duration === undefined) raw.duration = '1s';
  const scenario: Scenario = parseScenario(raw, { catalog, ...options });
  const buckets = new Set(scenario.models.map((m) => findModel(catalog, m.model)?.bucket ?? m.model));
  if (buckets.size > 1)
    throw new ScaleWorkloadError(
      `mix: a rehearsal shares one rate-limit bucket, and the mix spans ${[...buckets].join(', ')}: ` +
        'keep models of one bucket or pass --model',
      'mix',
    );
  const model = scenario.models[0]!.model;
  const sim = scenario.target.kind === 'simulator' ? scenario.target : undefined;
  let limits: RateLimits;
  let limitsFrom: string;
  if (o.limits) {
    limits = o.limits;
    limitsFrom = 'explicit';
  } else if (o.tier !== undefined) {
    limits = limitsOfTier(catalog, o.tier, model, '--tier');
    limitsFrom = `tier ${o.tier}`;
  } else {
    const tier = sim?.tier ?? 'build';
    // A custom tier is its limits (the parser has checked all three are there).
    const base =
      tier === 'custom'
        ? { rpm: 0, itpm: 0, otpm: 0 }
        : limitsOfTier(catalog, tier, model, 'target.simulator.tier');
    limits = { ...base, ...sim?.limits } as RateLimits;
    limitsFrom = `${options.source ?? 'plan'}: tier ${tier}${sim?.limits ? ' with its limits' : ''}`;
  }
  const next = createRequestFactory(scenario, catalog, seededRandom(scenario.seed));
  return {
    name: scenario.name,
    model,
    maxTokens: scenario.maxTokens,
    bodies: Array.from({ length: BODY_COUNT }, (_, i) => next(i).body),
    limits,
    limitsFrom,
    burstSeconds: o.burstSeconds ?? sim?.burstSeconds ?? rehearsalBurstSeconds(limits, scenario.maxTokens),
    timeScale: o.timeScale ?? sim?.timeScale ?? 1,
  };
}

/**
 * Short-interval enforcement for a rehearsal: 1 s of the limit, or more where 1 s of a small limit
 * holds less than one request (tier 1: 50 RPM is 0.83 requests a second, so every request drew a 429
 * and nothing got through), with a 20 % margin, rounded up to 0.1 s.
 */
export function rehearsalBurstSeconds(limits: RateLimits, maxTokens: number): number {
  const oneRequest = Math.max(
    limits.rpm > 0 ? 60 / limits.rpm : 0,
    limits.otpm > 0 ? (60 * maxTokens) / limits.otpm : 0,
  );
  return Math.max(1, Math.ceil(oneRequest * 1.2 * 10) / 10);
}

// "Copy limiter setup": the TypeScript a user pastes into their app so N instances share the org's
// limits through `claude-load-scale/limiter`, filled with a tier's limits from the planner (catalog).
// Pure (no vscode, no DOM); test/scale/limiterSnippet.test.ts type-checks the output against the
// library's own types.
import { perInstanceShare } from '../capacity/index';
import type { PlanResult } from '../capacity/index';
import type { RateLimits } from '../limiter/types';

export interface LimiterSetupBucket {
  /** Catalog rate-limit bucket id (the key of per-bucket limits). */
  bucket: string;
  displayName: string;
  limits: RateLimits;
}

export interface LimiterSetup {
  /** Where the limits come from, e.g. "Build" (shown in a comment). */
  tierDisplayName: string;
  /** One bucket: flat limits; several (a model mix): limits per rate-limit bucket. */
  buckets: LimiterSetupBucket[];
  /** App instances sharing the limits (>= 1). */
  instances: number;
  /** Default 1. */
  burstSeconds?: number;
  /** Default 'my-app'. */
  namespace?: string;
  catalogAsOf?: string;
}

/** The planner cannot name the limits (no standard tier fits and none was chosen). */
export class LimiterSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimiterSetupError';
  }
}

/**
 * The limits the planner stands behind: the tier the user chose, else the recommended one, for every
 * bucket of the plan's models. `instances` defaults to the plan's own instances field.
 */
export function limiterSetupFromPlan(plan: PlanResult, instances = plan.input.instances ?? 1): LimiterSetup {
  const tier = plan.requestedTier ?? plan.tiers.find((t) => t.name === plan.recommendedTier);
  if (!tier) {
    throw new LimiterSetupError(
      'No standard tier fits this plan, so there are no limits to fill in: choose a tier in the ' +
        'planner\'s "Tier to evaluate" field (or Custom limits…).',
    );
  }
  const buckets = tier.buckets.flatMap((b): LimiterSetupBucket[] =>
    b.limits
      ? [
          {
            bucket: b.bucket,
            displayName: b.displayName,
            limits: { rpm: b.limits.rpm, itpm: b.limits.itpm, otpm: b.limits.otpm },
          },
        ]
      : [],
  );
  if (buckets.length === 0) {
    throw new LimiterSetupError(
      `${tier.displayName} has no limits for this plan's models: choose another tier in the planner.`,
    );
  }
  return { tierDisplayName: tier.displayName, buckets, instances, catalogAsOf: plan.asOf };
}

/** 5000000 -> "5_000_000" (a TypeScript numeric literal that reads like the catalog). */
export function tsNumber(n: number): string {
  if (!Number.isInteger(n) || Math.abs(n) < 10_000) return String(n);
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}

function limitsLiteral(l: RateLimits): string {
  return `{ rpm: ${tsNumber(l.rpm)}, itpm: ${tsNumber(l.itpm)}, otpm: ${tsNumber(l.otpm)} }`;
}

const grouped = (n: number) => n.toLocaleString('en-US');

/** The TypeScript module text for the clipboard. */
export function limiterSetupSnippet(setup: LimiterSetup): string {
  const instances = Math.max(1, Math.floor(setup.instances));
  const burstSeconds = setup.burstSeconds ?? 1;
  const namespace = setup.namespace ?? 'my-app';
  const asOf = setup.catalogAsOf ? ` (catalog as of ${setup.catalogAsOf})` : '';
  const many = instances > 1;
  const single = setup.buckets.length === 1 ? setup.buckets[0] : undefined;
  const header = [
    `// Shared Claude rate limiter for ${many ? `${instances} instances` : 'one instance'} of this app on one API key`,
    `// (claude-load-scale/limiter). Limits: ${setup.tierDisplayName} tier${asOf}.`,
  ];
  if (many) {
    for (const b of setup.buckets) {
      const s = perInstanceShare(b.limits, instances);
      header.push(
        `// ${b.displayName}: with even traffic each instance gets about 1/${instances}: ` +
          `${grouped(s.rpm)} RPM, ${grouped(s.itpm)} ITPM, ${grouped(s.otpm)} OTPM.`,
      );
    }
  }
  const limits = single
    ? [`    limits: ${limitsLiteral(single.limits)}, // ${single.displayName}`]
    : [
        '    // Per rate-limit bucket: models sharing a bucket share its limits.',
        '    limits: {',
        ...setup.buckets.map((b) => `      '${b.bucket}': ${limitsLiteral(b.limits)}, // ${b.displayName}`),
        '    },',
      ];
  const redis = many
    ? [
        '    // Every instance points at the same Redis (the limits are shared through it).',
        '    redis: process.env.REDIS_URL,',
      ]
    : [
        '    // One instance needs no Redis: without a URL the limiter runs in-process.',
        '    redis: process.env.REDIS_URL,',
      ];
  const redisDown = many
    ? [
        '    // While Redis is unreachable each instance keeps to its own share of the limits.',
        "    onRedisDown: 'local',",
        `    localShare: 1 / ${instances},`,
        '    // An instance sending more often than every 250 ms can admit most requests without a',
        '    // Redis round trip from quota it reserves ahead (it takes 250 ms off the burst):',
        '    // quotaMs: 250,',
      ]
    : ["    onRedisDown: 'wait',"];
  return [
    ...header,
    "import Anthropic from '@anthropic-ai/sdk';",
    "import { createLimiter, limitedFetch } from 'claude-load-scale/limiter';",
    "import type { Limiter } from 'claude-load-scale/limiter';",
    '',
    '/** A Claude client whose requests wait for the organisation-wide limits (close the limiter on shutdown). */',
    'export async function createClaudeClient(): Promise<{ client: Anthropic; limiter: Limiter }> {',
    '  const limiter = await createLimiter({',
    ...redis,
    '    // The same namespace in every instance of the organisation.',
    `    namespace: '${namespace.replace(/[\\']/g, '')}',`,
    ...limits,
    `    burstSeconds: ${burstSeconds}, // how much of a minute's limit may go at once`,
    ...redisDown,
    '  });',
    '  // 429s pause every instance; adaptive concurrency backs off on 429/529.',
    '  const client = new Anthropic({ fetch: limitedFetch(limiter, { adaptive: true }) });',
    '  return { client, limiter };',
    '}',
    '',
  ].join('\n');
}

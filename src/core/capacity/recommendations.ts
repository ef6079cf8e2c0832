// Advice triggered by the plan's numbers (the strategy table) and warnings about what the numbers rest on.
import { limitsFor } from '../catalog/catalog';
import type { Catalog, ModelEntry } from '../catalog/types';
import { monthlyCost, peakItpm } from './cost';
import type { ModelLine } from './cost';
import { fmtNumber, fmtPct, fmtUsd } from '../format/format';
import type {
  PlanCost,
  PlanInput,
  PlanRecommendation,
  PlanRequirements,
  PlanTraffic,
  PlanWarning,
  TierEvaluation,
} from './types';

/** Above this sustained Messages RPM, a queue with a worker pool beats ad-hoc calls. */
export const QUEUE_RPM_THRESHOLD = 50;
/** Share of traffic the model-routing what-if sends to the current Haiku. */
export const ROUTING_SHARE = 0.7;
/** Share of traffic the batches what-if treats as offline work. */
export const BATCH_WHAT_IF_SHARE = 0.3;
/** Below this monthly cost the batches suggestion is noise. */
export const SIGNIFICANT_MONTHLY_USD = 100;
/** The prompt-caching what-if: per 1,000 prefix tokens at this hit rate. */
const CACHE_WHAT_IF = { tokens: 1000, hitRate: 0.9 };
/** The minimum cacheable prefix for most models. */
const MIN_CACHEABLE_TOKENS = 1024;
const DUPLICATE_WHAT_IF_SHARE = 0.1;

export interface AdviceContext {
  input: PlanInput;
  catalog: Catalog;
  lines: ModelLine[];
  traffic: PlanTraffic;
  requirements: PlanRequirements;
  cost: PlanCost;
  concurrency: number;
  recommendedTier: string;
  /** The recommendation is 'custom' because the largest standard tier's spend cap is exceeded. */
  spendBound: boolean;
  largestStandard: TierEvaluation | undefined;
  requestedTier: TierEvaluation | undefined;
  /** The recommended standard tier's evaluation (undefined when it is 'custom'). */
  recommendedEvaluation?: TierEvaluation | undefined;
}

/** One instance's even share of per-minute limits, rounded down. */
export function perInstanceShare<L extends { rpm: number; itpm: number; otpm: number }>(
  limits: L,
  instances: number,
): { rpm: number; itpm: number; otpm: number } {
  const n = Math.max(1, Math.floor(instances));
  return {
    rpm: Math.floor(limits.rpm / n),
    itpm: Math.floor(limits.itpm / n),
    otpm: Math.floor(limits.otpm / n),
  };
}

/** Above one instance on one key: share the limits through Redis instead of splitting them by hand. */
function sharedLimiter(ctx: AdviceContext): PlanRecommendation[] {
  const n = ctx.input.instances ?? 1;
  if (n <= 1) return [];
  const tier = ctx.requestedTier ?? ctx.recommendedEvaluation;
  const shares = (tier?.buckets ?? []).flatMap((b) => {
    if (!b.limits) return [];
    const s = perInstanceShare(b.limits, n);
    return [
      `${b.displayName} ${fmtNumber(s.rpm, 0)} RPM, ${fmtNumber(s.itpm, 0)} ITPM, ${fmtNumber(s.otpm, 0)} OTPM`,
    ];
  });
  const peakPerInstance = ctx.traffic.peakMessagesRpm / n;
  return [
    {
      id: 'shared-limiter',
      message:
        `Shared limiter: ${n} instances on one API key share the organisation's limits, so limits set per ` +
        `instance either overrun them together (429s) or strand what idle instances leave. Put the shared ` +
        `limiter (claude-load-scale/limiter, one Redis) in every instance.` +
        (tier && shares.length
          ? ` Each instance's even share on ${tier.displayName}: ${shares.join('; ')}.`
          : '') +
        ` At peak each instance sends about ${fmtNumber(peakPerInstance, 1)} RPM. Rehearse it on the ` +
        `simulator first (claude-load scale --instances ${n}).`,
    },
  ];
}

function without<K extends keyof PlanInput>(input: PlanInput, key: K): PlanInput {
  const copy = { ...input };
  delete copy[key];
  return copy;
}

function queue(ctx: AdviceContext): PlanRecommendation[] {
  const { messagesRpm, peakMessagesRpm } = ctx.traffic;
  if (messagesRpm <= QUEUE_RPM_THRESHOLD) return [];
  return [
    {
      id: 'queue',
      message:
        `Queue-based processing: ${fmtNumber(messagesRpm)} RPM sustained (peak ${fmtNumber(peakMessagesRpm)} RPM) is above ` +
        `${QUEUE_RPM_THRESHOLD} RPM. Put requests on a queue drained by about ${Math.max(1, Math.ceil(ctx.concurrency))} ` +
        `workers with a client-side token bucket set below the tier's limits, so bursts wait instead of drawing 429s; ` +
        `retry 429 and 529 with backoff that honours retry-after.`,
    },
  ];
}

function modelRouting(ctx: AdviceContext): PlanRecommendation[] {
  const only = ctx.lines.length === 1 ? ctx.lines[0]!.entry : undefined;
  if (!only || !['opus', 'fable', 'sonnet'].includes(only.family)) return [];
  const haiku = ctx.catalog.models.find((m) => m.family === 'haiku' && m.status === 'current');
  if (!haiku) return [];
  const routed = monthlyCost(
    {
      ...without(ctx.input, 'model'),
      mix: [
        { model: haiku.id, share: ROUTING_SHARE },
        { model: only.id, share: 1 - ROUTING_SHARE },
      ],
    },
    ctx.catalog,
  );
  const saving = ctx.cost.perMonthUsd - routed;
  if (!(saving > 0)) return [];
  return [
    {
      id: 'model-routing',
      message:
        `Model routing: if ${fmtPct(ROUTING_SHARE, { digits: 1 })} of requests are simple enough for ${haiku.id} (classify them, ` +
        `keep ${only.id} for the rest), the monthly cost falls from ${fmtUsd(ctx.cost.perMonthUsd)} to ` +
        `${fmtUsd(routed)}, saving ${fmtUsd(saving)} per month; ${haiku.id} also has its own rate-limit bucket.`,
      savingUsdPerMonth: saving,
    },
  ];
}

function batches(ctx: AdviceContext): PlanRecommendation[] {
  if (ctx.input.batchShare > 0 || ctx.cost.perMonthUsd < SIGNIFICANT_MONTHLY_USD) return [];
  const saving =
    ctx.cost.perMonthUsd - monthlyCost({ ...ctx.input, batchShare: BATCH_WHAT_IF_SHARE }, ctx.catalog);
  if (!(saving > 0)) return [];
  const off = fmtPct(ctx.catalog.batchDiscount, { digits: 1 });
  return [
    {
      id: 'batches',
      message:
        `Message Batches: if ${fmtPct(BATCH_WHAT_IF_SHARE, { digits: 1 })} of this is offline work (evaluations, backfills, ` +
        `nightly jobs: anything that can wait up to 24 h), sending it as batches (${off} off input and output) ` +
        `saves about ${fmtUsd(saving)} per month and takes it out of the Messages rate limits.`,
      savingUsdPerMonth: saving,
    },
  ];
}

function promptCaching(ctx: AdviceContext): PlanRecommendation[] {
  const { input, catalog, cost } = ctx;
  if (input.cachedTokens === 0) {
    if (input.inputTokens < MIN_CACHEABLE_TOKENS || cost.perMonthUsd <= 0) return [];
    const withCache = monthlyCost(
      { ...input, cachedTokens: CACHE_WHAT_IF.tokens, cacheHitRate: CACHE_WHAT_IF.hitRate, cacheTtl: '5m' },
      catalog,
    );
    const saving = cost.perMonthUsd - withCache;
    if (!(saving > 0)) return [];
    return [
      {
        id: 'prompt-caching',
        message:
          `Prompt caching: if requests share a fixed prefix (system prompt, tool definitions, documents), mark it ` +
          `with cache_control. Every ${fmtNumber(CACHE_WHAT_IF.tokens)} tokens of shared prefix at a hit rate of ` +
          `${fmtPct(CACHE_WHAT_IF.hitRate, { digits: 1 })} saves about ${fmtUsd(saving)} per month and takes ` +
          `${fmtNumber(CACHE_WHAT_IF.tokens * CACHE_WHAT_IF.hitRate)} tokens per request out of ITPM (cache reads do ` +
          `not count). Prefixes shorter than the model's minimum (${fmtNumber(MIN_CACHEABLE_TOKENS)}+ tokens) are not cached.`,
        savingUsdPerMonth: saving,
      },
    ];
  }
  const noCache = { ...input, cachedTokens: 0, cacheHitRate: 0 };
  const saving = monthlyCost(noCache, catalog) - cost.perMonthUsd;
  const itpmBefore = peakItpm(noCache, catalog);
  const itpm =
    itpmBefore > ctx.requirements.peakItpm
      ? ` and cuts peak ITPM from ${fmtNumber(itpmBefore, 0)} to ${fmtNumber(ctx.requirements.peakItpm, 0)}`
      : '';
  const what = `the ${fmtNumber(input.cachedTokens)}-token prefix at a hit rate of ${fmtPct(input.cacheHitRate, { digits: 1 })} (${input.cacheTtl} TTL)`;
  if (saving > 0) {
    return [
      {
        id: 'prompt-caching',
        message: `Prompt caching of ${what} saves ${fmtUsd(saving)} per month versus no caching${itpm}.`,
        savingUsdPerMonth: saving,
      },
    ];
  }
  return [
    {
      id: 'prompt-caching',
      message:
        `Prompt caching of ${what} costs ${fmtUsd(-saving)} per month more than not caching: every miss pays ` +
        `the cache-write price. Raise the hit rate (identical prefix, requests within the TTL) or stop caching.`,
      savingUsdPerMonth: saving,
    },
  ];
}

function coalescing(ctx: AdviceContext): PlanRecommendation[] {
  const { input, catalog, cost } = ctx;
  if (cost.perMonthUsd <= 0 && input.duplicateShare === 0) return [];
  if (input.duplicateShare > 0) {
    const saving = monthlyCost({ ...input, duplicateShare: 0 }, catalog) - cost.perMonthUsd;
    return [
      {
        id: 'coalescing',
        message:
          `Request coalescing: removing the ${fmtPct(input.duplicateShare, { digits: 1 })} duplicate requests (single-flight on ` +
          `identical prompts, or a short-lived response cache) saves ${fmtUsd(saving)} per month; the figures ` +
          `above already exclude them.`,
        savingUsdPerMonth: saving,
      },
    ];
  }
  const saving =
    cost.perMonthUsd - monthlyCost({ ...input, duplicateShare: DUPLICATE_WHAT_IF_SHARE }, catalog);
  return [
    {
      id: 'coalescing',
      message:
        `Request coalescing: if identical requests arrive (retries, popular queries, several users asking the ` +
        `same thing), coalesce them or cache responses; every ${fmtPct(DUPLICATE_WHAT_IF_SHARE, { digits: 1 })} of duplicates ` +
        `removed saves about ${fmtUsd(saving)} per month.`,
      savingUsdPerMonth: saving,
    },
  ];
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

function replacementFor(entry: ModelEntry, catalog: Catalog): string | undefined {
  return (
    entry.replacement ?? catalog.models.find((m) => m.family === entry.family && m.status === 'current')?.id
  );
}

function modelWarnings(ctx: AdviceContext): PlanWarning[] {
  const out: PlanWarning[] = [];
  for (const { entry, prices } of ctx.lines) {
    const replacement = replacementFor(entry, ctx.catalog);
    if (entry.status === 'deprecated') {
      const eol = entry.endOfLife;
      const days = eol ? daysBetween(ctx.catalog.asOf, eol) : undefined;
      const when = !eol
        ? 'is deprecated'
        : days !== undefined && days <= 0
          ? `reached end of life on ${eol}`
          : `is deprecated and reaches end of life on ${eol}${days !== undefined ? ` (${days} days after the catalog date)` : ''}`;
      out.push({
        id: 'deprecated-model',
        message: `${entry.id} ${when}${replacement ? `; move to ${replacement}` : ''}.`,
      });
    } else if (entry.status === 'legacy') {
      out.push({
        id: 'legacy-model',
        message: `${entry.id} is a legacy model: still served, but next in line for deprecation${replacement ? `; prefer ${replacement}` : ''}.`,
      });
    }
    const min = entry.promptCacheMinTokens;
    const cached = ctx.input.cachedTokens;
    if (cached > 0 && min !== undefined && cached < min) {
      out.push({
        id: 'cache-below-minimum',
        message:
          `${entry.id}: the ${fmtNumber(cached)}-token cached prefix is below the model's minimum cacheable ` +
          `length (${fmtNumber(min)} tokens${entry.promptCacheMinUnconfirmed ? ', not confirmed by an official source' : ''}), ` +
          'so it would not be cached and every request would pay the full input price; the costs above assume ' +
          'it is cached. Lengthen the cached prefix or drop the cache settings.',
      });
    }
    const band = entry.longPromptBand;
    if (band && prices !== entry.prices) {
      out.push({
        id: 'long-prompt-band',
        message:
          `${entry.id}: a ${fmtNumber(ctx.input.inputTokens)}-token prompt is above ${fmtNumber(band.aboveInputTokens)} ` +
          `tokens, so the whole request is priced at the long-prompt rate (${fmtUsd(prices.input)} / ` +
          `${fmtUsd(prices.output)} per million input / output tokens instead of ${fmtUsd(entry.prices.input)} / ` +
          `${fmtUsd(entry.prices.output)}).`,
      });
    }
  }
  return out;
}

function capReachedDay(cap: number, perDayUsd: number): number {
  return Math.floor(cap / perDayUsd) + 1;
}

function spendWarnings(ctx: AdviceContext): PlanWarning[] {
  const out: PlanWarning[] = [];
  const { perMonthUsd, perDayUsd } = ctx.cost;
  const consequence =
    'after which requests get 429 enforced_spend_limit_reached (no retry-after) until the next month';
  const largest = ctx.largestStandard;
  if (ctx.spendBound && largest?.monthlySpendCapUsd != null) {
    const cap = largest.monthlySpendCapUsd;
    out.push({
      id: 'spend-cap',
      message:
        `Monthly cost ${fmtUsd(perMonthUsd)} exceeds the largest standard spend cap (${largest.displayName}, ` +
        `${fmtUsd(cap)}): at ${fmtUsd(perDayUsd)} per day it is reached on day ${capReachedDay(cap, perDayUsd)}, ` +
        `${consequence}. Ask Anthropic for a custom tier, or cut cost (batches, caching, routing).`,
    });
  }
  const t = ctx.requestedTier;
  if (t && !t.withinSpendCap && t.monthlySpendCapUsd !== null && t.name !== largest?.name) {
    out.push({
      id: 'spend-cap',
      message:
        `On ${t.displayName}, the ${fmtUsd(t.monthlySpendCapUsd)} monthly spend cap is reached on day ` +
        `${capReachedDay(t.monthlySpendCapUsd, perDayUsd)} at ${fmtUsd(perDayUsd)} per day, ${consequence}.`,
    });
  }
  return out;
}

/** One warning listing every unconfirmed price, limit and cap the plan relies on. */
function unconfirmedWarning(ctx: AdviceContext): PlanWarning[] {
  const notes: string[] = [];
  for (const { entry } of ctx.lines) {
    if (entry.pricesUnconfirmed) notes.push(`${entry.id} prices (${entry.pricesUnconfirmed})`);
  }
  const names = new Set([ctx.recommendedTier, ctx.requestedTier?.name].filter((n): n is string => !!n));
  for (const tier of ctx.catalog.tiers.filter((t) => names.has(t.name))) {
    for (const b of ctx.requirements.buckets) {
      const note = limitsFor(tier, b.bucket)?.unconfirmed;
      if (note) notes.push(`${b.displayName} limits on ${tier.displayName} (${note})`);
    }
    if (tier.spendCapUnconfirmed) notes.push(`${tier.displayName} spend cap (${tier.spendCapUnconfirmed})`);
  }
  if (notes.length === 0) return [];
  return [
    {
      id: 'unconfirmed',
      message: `Not confirmed by an official source: ${notes.join('; ')}. Override them with a catalog file if you know better.`,
    },
  ];
}

export function adviseOn(ctx: AdviceContext): {
  recommendations: PlanRecommendation[];
  warnings: PlanWarning[];
} {
  return {
    recommendations: [
      ...sharedLimiter(ctx),
      ...queue(ctx),
      ...modelRouting(ctx),
      ...batches(ctx),
      ...promptCaching(ctx),
      ...coalescing(ctx),
    ],
    warnings: [...modelWarnings(ctx), ...spendWarnings(ctx), ...unconfirmedWarning(ctx)],
  };
}

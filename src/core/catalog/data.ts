// The built-in catalog: prices, limits and tiers as collected in ../shared/reference/anthropic-api.md.
// Prices change: users override this with a JSON file (see override.ts).
import type { BucketLimits, Catalog, ModelEntry, PriceTable, SpeedProfile, ThinkingSupport } from './types';

/** Builds a price table from the input/output price and the cache-read multiplier. */
function prices(input: number, output: number, cacheReadMultiplier = 0.1): PriceTable {
  return {
    input,
    output,
    cacheWrite5m: round6(input * 1.25),
    cacheWrite1h: round6(input * 2),
    cacheRead: round6(input * cacheReadMultiplier),
  };
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

// Speed profiles are rough public-benchmark style estimates, used only for planning and the simulator.
const speed = {
  fable: { ttftMs: 2000, ttftMsPer1kInput: 40, outputTokensPerSec: 35, estimate: true },
  opus: { ttftMs: 1400, ttftMsPer1kInput: 25, outputTokensPerSec: 45, estimate: true },
  sonnet: { ttftMs: 800, ttftMsPer1kInput: 15, outputTokensPerSec: 70, estimate: true },
  haiku: { ttftMs: 400, ttftMsPer1kInput: 6, outputTokensPerSec: 150, estimate: true },
} satisfies Record<string, SpeedProfile>;

// Limits from the models overview pages (2026-11): context window, max output (Messages API).
const M = 1_000_000;
const K = 1_000;
const big = { contextWindow: 1 * M, maxOutputTokens: 128 * K };
const small = { contextWindow: 200 * K, maxOutputTokens: 64 * K };
const thinking = {
  alwaysOn: { adaptive: true, enabled: false, alwaysOn: true },
  adaptiveOnly: { adaptive: true, enabled: false, alwaysOn: false },
  adaptiveOrBudget: { adaptive: true, enabled: true, alwaysOn: false },
  budgetOnly: { adaptive: false, enabled: true, alwaysOn: false },
} satisfies Record<string, ThinkingSupport>;
const ESTIMATED = 'no official release date found; estimated';
/** The reference: "Batch API (beta) allows up to 300K output on Sonnet 5/5.5". */
const batch300k = { batchMaxOutputTokens: 300 * K };
// Minimum cacheable prompt lengths: the reference gives none, so these come from third-party docs and
// are marked unconfirmed. Models those pages do not name have no figure (the simulator then applies its
// --cache-min-tokens default).
const CACHE_MIN_SOURCE =
  'not in the reference; from third-party docs (LiteLLM prompt caching page, 2026-10-07)';
function cacheMin(
  tokens: number,
  note = '',
): Pick<ModelEntry, 'promptCacheMinTokens' | 'promptCacheMinUnconfirmed'> {
  return { promptCacheMinTokens: tokens, promptCacheMinUnconfirmed: CACHE_MIN_SOURCE + note };
}
// deprecatedAt of the two deprecated models is an estimate too (the reference gives only their end of
// life; the API announces retirements at least 60 days ahead).

const models: ModelEntry[] = [
  {
    id: 'claude-fable-5-2',
    displayName: 'Claude Fable 5.2',
    family: 'fable',
    status: 'current',
    prices: { input: 8, output: 40, cacheWrite5m: 10, cacheWrite1h: 16, cacheRead: 0.2 },
    pricesUnconfirmed: 'released 2026-11-09; prices from third parties',
    bucket: 'fable-5',
    tokenizer: 'new',
    speed: speed.fable,
    ...big,
    thinking: thinking.alwaysOn,
    releaseDate: '2026-11-09',
  },
  {
    id: 'claude-fable-5-1',
    displayName: 'Claude Fable 5.1',
    family: 'fable',
    status: 'current',
    prices: prices(10, 50, 0.025),
    bucket: 'fable-5',
    tokenizer: 'new',
    speed: speed.fable,
    ...big,
    thinking: thinking.alwaysOn,
    releaseDate: '2026-09-15',
    releaseDateUnconfirmed: ESTIMATED,
  },
  {
    id: 'claude-fable-5',
    displayName: 'Claude Fable 5',
    family: 'fable',
    status: 'legacy',
    prices: prices(10, 50, 0.1),
    bucket: 'fable-5',
    tokenizer: 'new',
    speed: speed.fable,
    ...big,
    thinking: thinking.alwaysOn,
    ...cacheMin(512),
    releaseDate: '2026-06-23',
    releaseDateUnconfirmed: ESTIMATED,
  },
  {
    id: 'claude-opus-5-5',
    displayName: 'Claude Opus 5.5',
    family: 'opus',
    status: 'current',
    prices: prices(4, 20, 0.05),
    bucket: 'opus-5-5',
    tokenizer: 'new',
    speed: speed.opus,
    ...big,
    thinking: thinking.alwaysOn,
    releaseDate: '2026-10-07',
    releaseDateUnconfirmed: ESTIMATED,
  },
  {
    id: 'claude-opus-5',
    displayName: 'Claude Opus 5',
    family: 'opus',
    status: 'legacy',
    prices: prices(5, 25),
    bucket: 'opus-5',
    tokenizer: 'new',
    speed: speed.opus,
    ...big,
    thinking: thinking.adaptiveOnly,
    ...cacheMin(512),
    releaseDate: '2026-07-24',
  },
  ...(['4-8', '4-7', '4-6'] as const).map((v): ModelEntry => ({
    id: `claude-opus-${v}`,
    displayName: `Claude Opus ${v.replace('-', '.')}`,
    family: 'opus',
    status: v === '4-8' ? 'active' : 'legacy',
    prices: prices(5, 25),
    bucket: 'opus-4',
    tokenizer: v === '4-6' ? 'classic' : 'new',
    speed: speed.opus,
    ...big,
    thinking: v === '4-6' ? thinking.adaptiveOrBudget : thinking.adaptiveOnly,
    // 4.7 is on no third-party list for the Claude API (one lists it at 4096 on Bedrock only).
    ...(v === '4-8' ? cacheMin(1024) : v === '4-6' ? cacheMin(4096) : {}),
    releaseDate: { '4-8': '2026-06-09', '4-7': '2026-04-16', '4-6': '2026-02-05' }[v],
    ...(v === '4-8' ? { releaseDateUnconfirmed: ESTIMATED } : {}),
  })),
  {
    id: 'claude-opus-4-5',
    displayName: 'Claude Opus 4.5',
    family: 'opus',
    status: 'deprecated',
    endOfLife: '2027-01-22',
    replacement: 'claude-opus-5-5',
    prices: prices(5, 25),
    bucket: 'opus-4',
    tokenizer: 'classic',
    speed: speed.opus,
    ...small,
    thinking: thinking.budgetOnly,
    ...cacheMin(4096),
    releaseDate: '2025-11-24',
    deprecatedAt: '2026-10-22',
  },
  {
    id: 'claude-sonnet-5-5',
    displayName: 'Claude Sonnet 5.5',
    family: 'sonnet',
    status: 'current',
    prices: prices(2, 10, 0.05),
    bucket: 'sonnet-5-5',
    tokenizer: 'new',
    speed: speed.sonnet,
    ...big,
    thinking: thinking.adaptiveOnly,
    ...batch300k,
    releaseDate: '2026-10-07',
    releaseDateUnconfirmed: ESTIMATED,
  },
  {
    id: 'claude-sonnet-5',
    displayName: 'Claude Sonnet 5',
    family: 'sonnet',
    status: 'legacy',
    prices: prices(2, 10, 0.1),
    bucket: 'sonnet-5',
    tokenizer: 'new',
    speed: speed.sonnet,
    ...big,
    thinking: thinking.adaptiveOnly,
    ...batch300k,
    ...cacheMin(1024),
    releaseDate: '2026-04-14',
    releaseDateUnconfirmed: ESTIMATED,
  },
  {
    id: 'claude-sonnet-4-6',
    displayName: 'Claude Sonnet 4.6',
    family: 'sonnet',
    status: 'active',
    prices: prices(3, 15),
    bucket: 'sonnet-4',
    tokenizer: 'classic',
    speed: speed.sonnet,
    ...big,
    thinking: thinking.adaptiveOrBudget,
    ...cacheMin(1024, '; another third-party page says 2048'),
    releaseDate: '2026-02-17',
  },
  {
    id: 'claude-sonnet-4-5',
    displayName: 'Claude Sonnet 4.5',
    family: 'sonnet',
    status: 'deprecated',
    endOfLife: '2026-11-30',
    replacement: 'claude-sonnet-5-5',
    prices: prices(3, 15),
    bucket: 'sonnet-4',
    tokenizer: 'classic',
    speed: speed.sonnet,
    ...small,
    thinking: thinking.budgetOnly,
    ...cacheMin(1024),
    releaseDate: '2025-09-29',
    deprecatedAt: '2026-08-31',
  },
  {
    id: 'claude-haiku-5-5',
    displayName: 'Claude Haiku 5.5',
    family: 'haiku',
    status: 'current',
    prices: prices(0.1, 0.5),
    longPromptBand: { aboveInputTokens: 100_000, prices: prices(0.5, 2.5) },
    bucket: 'haiku-5-5',
    tokenizer: 'new',
    speed: speed.haiku,
    ...big,
    thinking: thinking.adaptiveOnly,
    releaseDate: '2026-10-07',
    releaseDateUnconfirmed: ESTIMATED,
  },
  {
    id: 'claude-haiku-4-5',
    displayName: 'Claude Haiku 4.5',
    family: 'haiku',
    status: 'active',
    prices: prices(1, 5),
    bucket: 'haiku-4-5',
    tokenizer: 'classic',
    speed: speed.haiku,
    ...small,
    thinking: thinking.budgetOnly,
    ...cacheMin(4096),
    releaseDate: '2025-10-15',
  },
  // Retired: requests are refused, prices kept so old reports still price.
  ...(['claude-opus-4-1', 'claude-opus-4'] as const).map((id): ModelEntry => ({
    id,
    displayName: id === 'claude-opus-4' ? 'Claude Opus 4' : 'Claude Opus 4.1',
    family: 'opus',
    status: 'retired',
    replacement: 'claude-opus-5-5',
    prices: prices(15, 75),
    bucket: 'retired',
    tokenizer: 'classic',
    speed: speed.opus,
    releaseDate: id === 'claude-opus-4' ? '2025-05-22' : '2025-08-05',
  })),
  {
    id: 'claude-sonnet-4',
    displayName: 'Claude Sonnet 4',
    family: 'sonnet',
    status: 'retired',
    replacement: 'claude-sonnet-5-5',
    prices: prices(3, 15),
    bucket: 'retired',
    tokenizer: 'classic',
    speed: speed.sonnet,
    releaseDate: '2025-05-22',
  },
  {
    id: 'claude-3-5-haiku-20241022',
    displayName: 'Claude Haiku 3.5',
    family: 'haiku',
    status: 'retired',
    replacement: 'claude-haiku-5-5',
    prices: prices(0.8, 4),
    bucket: 'retired',
    cacheReadsCountTowardItpm: true,
    tokenizer: 'classic',
    speed: speed.haiku,
    releaseDate: '2024-10-22',
  },
];

function limits(rpm: number, itpm: number, otpm: number, unconfirmed?: string): BucketLimits {
  return unconfirmed ? { rpm, itpm, otpm, unconfirmed } : { rpm, itpm, otpm };
}

const bucketNames: Record<string, string> = {
  'fable-5': 'Fable 5.x (5.2, 5.1, 5 combined)',
  'opus-5-5': 'Opus 5.5',
  'opus-5': 'Opus 5',
  'opus-4': 'Opus 4.x (4.8/4.7/4.6/4.5 combined)',
  'sonnet-5-5': 'Sonnet 5.5',
  'sonnet-5': 'Sonnet 5',
  'sonnet-4': 'Sonnet 4.x (4.6 + 4.5)',
  'haiku-5-5': 'Haiku 5.5',
  'haiku-4-5': 'Haiku 4.5',
};

const standardBuckets = (
  start: [number, number, number],
  build: [number, number, number],
  scale: [number, number, number],
) => ({ start, build, scale });

const common = standardBuckets(
  [1000, 2_000_000, 400_000],
  [5000, 5_000_000, 1_000_000],
  [10_000, 10_000_000, 2_000_000],
);
const perBucket: Record<
  string,
  ReturnType<typeof standardBuckets> & { unconfirmed?: Partial<Record<'start' | 'build' | 'scale', string>> }
> = {
  'fable-5': standardBuckets(
    [1000, 500_000, 100_000],
    [2000, 1_500_000, 300_000],
    [4000, 4_000_000, 800_000],
  ),
  'opus-5-5': { ...common, unconfirmed: { build: 'assumed as Opus 5', scale: 'assumed as Opus 5' } },
  'opus-5': common,
  'opus-4': common,
  'sonnet-5-5': { ...common, unconfirmed: { build: 'assumed as Sonnet 5', scale: 'assumed as Sonnet 5' } },
  'sonnet-5': common,
  'sonnet-4': common,
  'haiku-4-5': common,
  'haiku-5-5': {
    ...common,
    unconfirmed: {
      start: 'assumed as Haiku 4.5',
      build: 'assumed as Haiku 4.5',
      scale: 'assumed as Haiku 4.5',
    },
  },
};

function tierBuckets(tier: 'start' | 'build' | 'scale'): Record<string, BucketLimits> {
  const out: Record<string, BucketLimits> = {};
  for (const [bucket, spec] of Object.entries(perBucket)) {
    const [rpm, itpm, otpm] = spec[tier];
    out[bucket] = limits(rpm, itpm, otpm, spec.unconfirmed?.[tier]);
  }
  return out;
}

const legacyNote =
  'Legacy 2025 preset; the reference quotes the Sonnet/Opus 4 figures, applied here to every bucket.';
const legacySpendNote = 'Monthly cap from the 2025 tier table, not in the current reference.';

export const builtinCatalog: Catalog = {
  asOf: '2026-11-25',
  currency: 'USD',
  batchDiscount: 0.5,
  models,
  buckets: Object.entries(bucketNames).map(([id, displayName]) => ({ id, displayName })),
  standardTierOrder: ['start', 'build', 'scale'],
  tiers: [
    {
      name: 'start',
      displayName: 'Start',
      kind: 'standard',
      monthlySpendCapUsd: 500,
      buckets: tierBuckets('start'),
      batch: { rpm: 1000, queuedRequests: 200_000 },
      countTokensRpm: 5000,
    },
    {
      name: 'build',
      displayName: 'Build',
      kind: 'standard',
      monthlySpendCapUsd: 1000,
      buckets: tierBuckets('build'),
      batch: { rpm: 2000, queuedRequests: 300_000 },
      countTokensRpm: 10_000,
    },
    {
      name: 'scale',
      displayName: 'Scale',
      kind: 'standard',
      monthlySpendCapUsd: 200_000,
      buckets: tierBuckets('scale'),
      batch: { rpm: 4000, queuedRequests: 500_000 },
      countTokensRpm: 20_000,
    },
    ...(
      [
        ['tier1', 'Tier 1 (legacy)', 50, 30_000, 8_000, 100],
        ['tier2', 'Tier 2 (legacy)', 1000, 450_000, 90_000, 500],
        ['tier3', 'Tier 3 (legacy)', 2000, 800_000, 160_000, 1000],
        ['tier4', 'Tier 4 (legacy)', 4000, 2_000_000, 400_000, 5000],
      ] as const
    ).map(([name, displayName, rpm, itpm, otpm, cap]) => ({
      name,
      displayName,
      kind: 'legacy' as const,
      monthlySpendCapUsd: cap,
      spendCapUnconfirmed: legacySpendNote,
      buckets: {},
      defaultLimits: limits(rpm, itpm, otpm),
      note: legacyNote,
    })),
  ],
  aliases: [
    {
      id: 'claude-sonnet-4-20250514',
      message: 'claude-sonnet-4-20250514 is an id from older guides (Claude Sonnet 4, now retired).',
      suggestions: ['claude-sonnet-5-5', 'claude-sonnet-4-6'],
    },
    {
      id: 'claude-opus-4-20250514',
      message: 'claude-opus-4-20250514 is an id from older guides (Claude Opus 4, now retired).',
      suggestions: ['claude-opus-5-5', 'claude-opus-4-8'],
    },
    {
      id: 'claude-haiku-4-20250514',
      message: 'claude-haiku-4-20250514 appears in older guides but was never a current model id.',
      suggestions: ['claude-haiku-5-5', 'claude-haiku-4-5'],
    },
  ],
};

// Resolves the `limits` option into a function from model id to its rate-limit bucket and limits.
import { builtinCatalog, customTier, findModel, findTier, limitsFor } from '../catalog/index';
import type { TierEntry } from '../catalog/index';
import { LimiterConfigError } from './types';
import type { LimitsOption, RateLimits } from './types';

export interface ResolvedBucket {
  bucket: string;
  limits: RateLimits;
  /** Legacy Haiku 3.5 counted cache reads toward ITPM. */
  cacheReadsCount: boolean;
}

export interface LimitResolver {
  resolve(model: string | undefined): ResolvedBucket;
  /** Every bucket these limits know (pause() without a model pauses them all). */
  knownBuckets(): string[];
}

const DIMENSIONS = ['rpm', 'itpm', 'otpm'] as const;

function checkLimits(l: unknown, field: string): RateLimits {
  const o = l as Record<string, unknown>;
  for (const d of DIMENSIONS) {
    const v = o?.[d];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new LimiterConfigError(
        `${field}.${d}: expected a per-minute limit >= 0 (0 = not limited), got ${JSON.stringify(v)}.`,
        `${field}.${d}`,
      );
    }
  }
  return { rpm: o.rpm as number, itpm: o.itpm as number, otpm: o.otpm as number };
}

function isFlat(l: LimitsOption): l is RateLimits {
  return DIMENSIONS.some((d) => d in l) && !('tier' in l);
}

export function createLimitResolver(option: LimitsOption): LimitResolver {
  if (!option || typeof option !== 'object') {
    throw new LimiterConfigError(
      'limits: expected { rpm, itpm, otpm }, { tier, model } or limits per bucket.',
      'limits',
    );
  }
  let tier: TierEntry;
  let defaultModel: string | undefined;
  if (isFlat(option)) {
    tier = customTier(checkLimits(option, 'limits'));
  } else if ('tier' in option && typeof option.tier === 'string') {
    try {
      tier = findTier(builtinCatalog, option.tier, 'limits.tier');
    } catch (e) {
      throw new LimiterConfigError((e as Error).message, 'limits.tier');
    }
    defaultModel = typeof option.model === 'string' ? option.model : undefined;
  } else {
    const buckets: Record<string, RateLimits> = {};
    for (const [id, l] of Object.entries(option as Record<string, unknown>))
      buckets[id] = checkLimits(l, `limits.${id}`);
    if (Object.keys(buckets).length === 0) throw new LimiterConfigError('limits: no bucket given.', 'limits');
    tier = { name: 'custom', displayName: 'Custom', kind: 'custom', monthlySpendCapUsd: null, buckets };
  }
  const cache = new Map<string, ResolvedBucket>();
  const resolve = (model: string | undefined): ResolvedBucket => {
    const id = model ?? defaultModel ?? '';
    const hit = cache.get(id);
    if (hit) return hit;
    const entry = id ? findModel(builtinCatalog, id) : undefined;
    // A model the catalog does not know is its own bucket (flat limits still apply to it).
    const bucket = entry?.bucket ?? (id || 'default');
    const l = tier.buckets[bucket] ?? tier.buckets[id] ?? limitsFor(tier, bucket) ?? tier.buckets.default;
    if (!l) {
      throw new LimiterConfigError(
        `model "${id}": no limits for its rate-limit bucket "${bucket}". Add limits["${bucket}"] or a "default" entry.`,
        'limits',
      );
    }
    const out: ResolvedBucket = {
      bucket,
      limits: { rpm: l.rpm, itpm: l.itpm, otpm: l.otpm },
      cacheReadsCount: entry?.cacheReadsCountTowardItpm === true,
    };
    cache.set(id, out);
    return out;
  };
  return {
    resolve,
    knownBuckets() {
      const ids = new Set<string>(Object.keys(tier.buckets));
      for (const r of cache.values()) ids.add(r.bucket);
      // Flat limits apply to every bucket: another instance may use one this one never touched.
      if (tier.defaultLimits) for (const b of builtinCatalog.buckets) if (b.id !== 'retired') ids.add(b.id);
      return [...ids];
    },
  };
}

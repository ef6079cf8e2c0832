// Prompt cache: `cache_control` breakpoints write prefix entries; a later request whose prompt starts
// with a cached prefix (same model) reads it. Order of the prefix: tools, system, messages.
// Simplifications: the lookback searches every earlier block (the API looks back 20 blocks). The
// minimum cacheable length is the model's (catalog) unless --cache-min-tokens fixes one for all.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import type { TokenizerGeneration } from '../catalog/index';
import { walkRequestTokens } from '../tokens/count';
import type { CacheTtl } from '../tokens/count';

const TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

export interface CachePlan {
  /** Total input tokens of the request. */
  total: number;
  /** Tokens read from the cache. */
  read: number;
  /** Tokens written to the cache, by TTL. */
  write5m: number;
  write1h: number;
  /** Tokens neither read nor written (usage.input_tokens). */
  uncached: number;
  /** Internal: entries to refresh and write on commit. */
  hitKey: string | null;
  writes: { key: string; ttl: CacheTtl }[];
}

interface Entry {
  expiresAt: number;
  ttl: CacheTtl;
}

export class PromptCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** Prefixes shorter than this many tokens are not cached, unless plan() is given a model's own. */
    private readonly minTokens: number,
    private readonly maxEntries = 100_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Works out reads and writes for a request with cache_control; nothing is stored until commit(). */
  plan(
    modelId: string,
    body: Record<string, unknown>,
    tokenizer: TokenizerGeneration,
    simNow: number,
    /** The model's minimum cacheable length (default: the cache's). */
    minTokens: number = this.minTokens,
  ): CachePlan {
    const hash: Hash = createHash('sha256').update(modelId);
    const keys: string[] = [];
    const prefix: number[] = [];
    const ttls: (CacheTtl | undefined)[] = [];
    let running = 0;
    const { total } = walkRequestTokens(body, tokenizer, (tokens, material, ttl) => {
      hash.update(`${material.length}:`).update(material);
      running += tokens;
      keys.push(hash.copy().digest('base64'));
      prefix.push(running);
      ttls.push(ttl);
    });
    // Top-level cache_control (automatic caching) puts a breakpoint on the last block.
    if (body.cache_control && typeof body.cache_control === 'object' && ttls.length > 0) {
      const last = ttls.length - 1;
      if (!ttls[last]) ttls[last] = (body.cache_control as { ttl?: string }).ttl === '1h' ? '1h' : '5m';
    }

    let lastBreakpoint = -1;
    for (let i = ttls.length - 1; i >= 0; i--) {
      if (ttls[i]) {
        lastBreakpoint = i;
        break;
      }
    }
    // Longest cached prefix at or before the last breakpoint.
    let hit = -1;
    for (let i = lastBreakpoint; i >= 0; i--) {
      const e = this.entries.get(keys[i]!);
      if (e && e.expiresAt > simNow) {
        hit = i;
        break;
      }
    }
    const read = hit >= 0 ? prefix[hit]! : 0;

    // Breakpoints after the hit write entries when their prefix is long enough; the tokens between
    // the hit and the last written breakpoint are billed as cache writes at that segment's TTL.
    let write5m = 0;
    let write1h = 0;
    let boundary = read;
    const writes: { key: string; ttl: CacheTtl }[] = [];
    let pendingTtls: { tokens: number; ttl: CacheTtl }[] = [];
    for (let i = hit + 1; i <= lastBreakpoint; i++) {
      const ttl = ttls[i];
      if (!ttl) continue;
      pendingTtls.push({ tokens: prefix[i]! - boundary, ttl });
      boundary = prefix[i]!;
      if (prefix[i]! >= minTokens) {
        writes.push({ key: keys[i]!, ttl });
        for (const p of pendingTtls) {
          if (p.ttl === '1h') write1h += p.tokens;
          else write5m += p.tokens;
        }
        pendingTtls = [];
      }
    }
    return {
      total,
      read,
      write5m,
      write1h,
      uncached: total - read - write5m - write1h,
      hitKey: hit >= 0 ? keys[hit]! : null,
      writes,
    };
  }

  /** Stores the plan's writes and refreshes the entry it read (reads extend the TTL). */
  commit(plan: CachePlan, simNow: number): void {
    if (plan.hitKey) {
      const e = this.entries.get(plan.hitKey);
      if (e) e.expiresAt = Math.max(e.expiresAt, simNow + TTL_MS[e.ttl]);
    }
    for (const w of plan.writes) {
      const existing = this.entries.get(w.key);
      const expiresAt = simNow + TTL_MS[w.ttl];
      if (existing) {
        existing.expiresAt = Math.max(existing.expiresAt, expiresAt);
      } else {
        this.entries.set(w.key, { expiresAt, ttl: w.ttl });
      }
    }
    if (this.entries.size > this.maxEntries) this.evict(simNow);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drops expired entries, then the oldest inserted ones, to stay bounded. */
  private evict(simNow: number): void {
    for (const [k, e] of this.entries) if (e.expiresAt <= simNow) this.entries.delete(k);
    const excess = this.entries.size - Math.floor(this.maxEntries * 0.9);
    if (excess <= 0) return;
    let n = 0;
    for (const k of this.entries.keys()) {
      if (n++ >= excess) break;
      this.entries.delete(k);
    }
  }
}

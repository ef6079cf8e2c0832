// createLimiter: one organisation's rate limits shared by every instance through Redis (or kept
// in-process). See gcra.ts for the arithmetic and gcra.lua.ts for the Redis script.
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { adjust, newState, pauseFor, reserve, syncDeficits } from './gcra';
import type { GcraParams, GcraState } from './gcra';
import { FIXED_WINDOW_LUA, GCRA_LUA } from './gcra.lua';
import { createLimitResolver } from './limits';
import type { ResolvedBucket } from './limits';
import { sleep } from './sleep';
import { LimiterConfigError, LimiterUnavailableError } from './types';
import type {
  AcquireRequest,
  ApiUsage,
  Lease,
  Limiter,
  LimiterOptions,
  LimiterStats,
  RateLimits,
  RemainingSnapshot,
} from './types';

/** 'OK', or for acquire [wait, send time] in whole microseconds (Redis time), plus quota requests for acquireq. */
type ScriptReply = string | [number, number] | [number, number, number];
interface LimiterRedis extends Redis {
  claudeLimiterGcra(key: string, ...args: (string | number)[]): Promise<ScriptReply>;
  claudeLimiterFixedWindow(key: string, windowMs: number): Promise<number>;
}

/** Redis key of a bucket: the hash tag `{namespace:bucket}` keeps it in one Cluster slot. */
export function bucketKey(namespace: string, bucket: string): string {
  return `{${namespace}:${bucket}}`;
}

/** Registers the limiter's scripts on a client (ioredis runs EVALSHA and falls back to EVAL on NOSCRIPT). */
export function defineLimiterScripts(redis: Redis): void {
  const r = redis as LimiterRedis;
  if (typeof r.claudeLimiterGcra !== 'function')
    redis.defineCommand('claudeLimiterGcra', { numberOfKeys: 1, lua: GCRA_LUA });
  if (typeof r.claudeLimiterFixedWindow !== 'function')
    redis.defineCommand('claudeLimiterFixedWindow', { numberOfKeys: 1, lua: FIXED_WINDOW_LUA });
}

function isConnectionError(e: unknown): boolean {
  // A ReplyError is Redis answering (a bug or a wrong key type): not an outage.
  return !(e instanceof Error && e.name === 'ReplyError');
}

function nonNegative(v: number | null | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}

function checkOptions(o: LimiterOptions): void {
  if (!o || typeof o !== 'object') throw new LimiterConfigError('options: expected an object.', 'options');
  if (typeof o.namespace !== 'string' || o.namespace.length === 0 || /[{}]/.test(o.namespace)) {
    throw new LimiterConfigError(
      'namespace: a non-empty string without { or } (shared by every instance).',
      'namespace',
    );
  }
  const pos = (v: unknown, field: string) => {
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) {
      throw new LimiterConfigError(`${field}: expected a number > 0, got ${JSON.stringify(v)}.`, field);
    }
  };
  pos(o.burstSeconds, 'burstSeconds');
  pos(o.timeScale, 'timeScale');
  pos(o.localShare, 'localShare');
  pos(o.commandTimeoutMs, 'commandTimeoutMs');
  if (o.quotaMs !== undefined) {
    if (!(typeof o.quotaMs === 'number' && Number.isFinite(o.quotaMs) && o.quotaMs >= 0)) {
      throw new LimiterConfigError(
        `quotaMs: expected a number >= 0, got ${JSON.stringify(o.quotaMs)}.`,
        'quotaMs',
      );
    }
    const halfWindow = ((o.burstSeconds ?? 1) * 1000) / (o.timeScale ?? 1) / 2;
    if (o.quotaMs > halfWindow) {
      throw new LimiterConfigError(
        `quotaMs: at most half the burst window (burstSeconds x 1000 / timeScale / 2 = ${halfWindow} ms), ` +
          `got ${o.quotaMs}: the quota is taken out of the burst. Lower quotaMs or raise burstSeconds.`,
        'quotaMs',
      );
    }
  }
  if (o.onRedisDown !== undefined && !['wait', 'local', 'fail'].includes(o.onRedisDown)) {
    throw new LimiterConfigError(
      `onRedisDown: use 'wait', 'local' or 'fail' (got ${JSON.stringify(o.onRedisDown)}).`,
      'onRedisDown',
    );
  }
  if (o.strategy !== undefined && !['gcra', 'fixedWindow'].includes(o.strategy)) {
    throw new LimiterConfigError(
      `strategy: use 'gcra' or 'fixedWindow' (got ${JSON.stringify(o.strategy)}).`,
      'strategy',
    );
  }
}

interface BucketRuntime {
  resolved: ResolvedBucket;
  key: string;
  params: GcraParams;
  localParams: GcraParams;
  /** ARGV prefix of the script: rpm, itpm, otpm, burstSeconds, timeScale (pre-stringified). */
  argv: string[];
  /** Settles (and releases) not yet sent: they ride on the next acquire's script call. */
  pending: PendingAdjust | undefined;
  /** Quota reserved ahead (`quotaMs`), oldest first. */
  slices: QuotaSlice[];
  /** A background reservation of quota under way (close() waits for it, to give it back). */
  prefetching: Promise<void> | undefined;
  /** Smoothed ms between this instance's acquires and costs per acquire: how much quota to reserve. */
  intervalMs: number;
  lastAcquireAt: number;
  avgCosts: [number, number, number];
}

/**
 * Requests, input and output tokens reserved in Redis at one instant and admitted locally until
 * `expiresAt` (local clock); what is left then goes back. Admitted no earlier than `startsAt` (the
 * reservation's send time when the bucket made it wait).
 */
interface QuotaSlice {
  remaining: [number, number, number];
  startsAt: number;
  expiresAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Summed true-ups of a bucket waiting for a round trip; one promise for all of them. */
interface PendingAdjust {
  /** actual - reserved per dimension, summed. */
  deltas: [number, number, number];
  /** Deficits to sync from response headers (the largest seen), or none. */
  deficits: [number, number, number] | undefined;
  done: Promise<void>;
  resolve: () => void;
}

/** Creates a limiter. With `redis`, every instance using the same namespace shares the limits. */
export async function createLimiter(options: LimiterOptions): Promise<Limiter> {
  checkOptions(options);
  const resolver = createLimitResolver(options.limits);
  const namespace = options.namespace;
  const burstSeconds = options.burstSeconds ?? 1;
  const timeScale = options.timeScale ?? 1;
  const policy = options.onRedisDown ?? 'wait';
  const strategy = options.strategy ?? 'gcra';
  const localShare = options.localShare ?? 1;
  const now = options.now ?? (() => performance.now());
  const quotaMs = options.redis !== undefined && strategy === 'gcra' ? (options.quotaMs ?? 0) : 0;
  // Quota reserved at t may be spent until t + quotaMs: the bucket keeps that much of its burst free,
  // so that what is sent in any window W stays <= burst + rate x W (see gcra.ts).
  const reservedBurst = burstSeconds - (quotaMs * timeScale) / 1000;
  const stats: LimiterStats = {
    acquires: 0,
    waited: 0,
    roundTrips: 0,
    redisErrors: 0,
    localFallbacks: 0,
    quotaHits: 0,
    pauses: 0,
  };

  let redis: LimiterRedis | null = null;
  let ownsRedis = false;
  if (options.redis !== undefined) {
    if (typeof options.redis === 'string') {
      redis = new Redis(options.redis, {
        lazyConnect: true,
        // Fail fast while disconnected: the onRedisDown policy decides what happens, not a hidden queue.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: options.commandTimeoutMs ?? 1000,
        retryStrategy: (times) => Math.min(50 * times, 500),
      }) as LimiterRedis;
      ownsRedis = true;
      redis.on('error', () => {
        stats.redisErrors++;
      });
      try {
        await redis.connect();
      } catch (e) {
        if (policy === 'fail') {
          redis.disconnect();
          throw new LimiterUnavailableError(
            `redis: cannot connect (${(e as Error).message}); onRedisDown is 'fail'.`,
          );
        }
      }
    } else {
      redis = options.redis as LimiterRedis;
    }
    defineLimiterScripts(redis);
    // Loaded now, so the first acquire is one EVALSHA like every other (not EVALSHA, NOSCRIPT, EVAL:
    // the first request of a cold instance paid ~5 ms more). Best effort: the fallback stays.
    if (redis.status === 'ready')
      await redis.script('LOAD', strategy === 'fixedWindow' ? FIXED_WINDOW_LUA : GCRA_LUA).catch(() => {});
  }

  const runtimes = new Map<string, BucketRuntime>();
  const runtimeOf = (model: string | undefined): BucketRuntime => {
    const resolved = resolver.resolve(model);
    let rt = runtimes.get(resolved.bucket);
    if (!rt) {
      const l = resolved.limits;
      const limits = [l.rpm, l.itpm, l.otpm] as const;
      rt = {
        resolved,
        key: bucketKey(namespace, resolved.bucket),
        params: { limits, burstSeconds: reservedBurst, timeScale },
        localParams: {
          limits: [l.rpm * localShare, l.itpm * localShare, l.otpm * localShare],
          burstSeconds: reservedBurst,
          timeScale,
        },
        argv: [l.rpm, l.itpm, l.otpm, reservedBurst, timeScale].map(String),
        pending: undefined,
        slices: [],
        prefetching: undefined,
        intervalMs: quotaMs,
        lastAcquireAt: NaN,
        avgCosts: [0, 0, 0],
      };
      runtimes.set(resolved.bucket, rt);
    }
    return rt;
  };

  // In-process state: the whole limiter without Redis, or the 'local' fallback while Redis is down.
  const localStates = new Map<string, GcraState>();
  const localState = (bucket: string): GcraState => {
    let st = localStates.get(bucket);
    if (!st) localStates.set(bucket, (st = newState()));
    return st;
  };
  const localParamsOf = (rt: BucketRuntime) => (redis ? rt.localParams : rt.params);

  const redisUp = () => redis !== null && redis.status === 'ready';
  let closed = false;

  const send = (rt: BucketRuntime, op: string, a: readonly number[]): Promise<ScriptReply> => {
    stats.roundTrips++;
    const p = rt.pending;
    if ((op !== 'acquire' && op !== 'acquireq') || !p)
      return redis!.claudeLimiterGcra(rt.key, op, ...rt.argv, ...a);
    // Pending settles ride on this acquire: one round trip for both (the script applies them first).
    rt.pending = undefined;
    const call = p.deficits
      ? redis!.claudeLimiterGcra(rt.key, op, ...rt.argv, ...a, ...p.deltas, ...p.deficits)
      : redis!.claudeLimiterGcra(rt.key, op, ...rt.argv, ...a, ...p.deltas);
    call.then(p.resolve, p.resolve);
    return call;
  };
  // A settle with no acquire behind it in this turn of the event loop goes out on its own.
  const flushPending = (rt: BucketRuntime): void => {
    const p = rt.pending;
    if (!p) return;
    rt.pending = undefined;
    if (!redisUp()) return p.resolve();
    void sendQuietly(rt, 'adjust', p.deficits ? [...p.deltas, ...p.deficits] : p.deltas).then(p.resolve);
  };
  /**
   * Queues a true-up (deltas = actual - reserved, then optional deficits) for the bucket's next script
   * call: the next acquire of this instance carries it, or, if none comes in this turn of the event
   * loop, an adjust call of its own. Resolves once Redis has applied it (or the call failed).
   */
  const queueAdjust = (rt: BucketRuntime, deltas: readonly number[]): Promise<void> => {
    let p = rt.pending;
    if (!p) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      p = rt.pending = { deltas: [0, 0, 0], deficits: undefined, done, resolve };
      setImmediate(flushPending, rt);
    }
    p.deltas[0] += deltas[0]!;
    p.deltas[1] += deltas[1]!;
    p.deltas[2] += deltas[2]!;
    if (deltas.length > 3) {
      const d = (p.deficits ??= [0, 0, 0]);
      for (let i = 0; i < 3; i++) if (deltas[3 + i]! > d[i]!) d[i] = deltas[3 + i]!;
    }
    return p.done;
  };
  // The server's remaining as tokens below OUR bucket's capacity (its bucket may be larger).
  const deficitsOf = (rt: BucketRuntime, r: RemainingSnapshot): number[] => {
    const l = rt.params.limits;
    const one = (limit: number, rem: number | undefined) =>
      rem !== undefined && Number.isFinite(rem) && limit > 0
        ? Math.max(0, (limit * reservedBurst) / 60 - rem)
        : 0;
    return [one(l[0], r.requests), one(l[1], r.inputTokens), one(l[2], r.outputTokens)];
  };
  const sendQuietly = (rt: BucketRuntime, op: string, a: readonly number[]): Promise<void> =>
    send(rt, op, a).then(
      () => undefined,
      () => {
        stats.redisErrors++;
      },
    );

  class LimiterLease implements Lease {
    private done = false;
    constructor(
      private readonly rt: BucketRuntime,
      readonly waitedMs: number,
      readonly inputTokens: number,
      readonly outputTokens: number,
      readonly source: 'redis' | 'local',
      readonly scheduledAt: number,
    ) {}
    get bucket(): string {
      return this.rt.resolved.bucket;
    }
    private apply(deltas: readonly number[]): Promise<void> {
      if (strategy === 'fixedWindow') return Promise.resolve();
      if (this.source === 'local') {
        const st = localState(this.rt.resolved.bucket);
        const p = localParamsOf(this.rt);
        adjust(st, p, deltas, now());
        if (deltas.length > 3) syncDeficits(st, p, deltas.slice(3), now());
        return Promise.resolve();
      }
      // The reservation was made in Redis; a true-up while it is down is lost (the next sync corrects it).
      if (!redisUp()) return Promise.resolve();
      return queueAdjust(this.rt, deltas);
    }
    settle(usage: ApiUsage | null | undefined, remaining?: RemainingSnapshot): Promise<void> {
      if (this.done || !usage) return Promise.resolve();
      this.done = true;
      const deficits = remaining ? deficitsOf(this.rt, remaining) : null;
      const input =
        nonNegative(usage.input_tokens) +
        nonNegative(usage.cache_creation_input_tokens) +
        (this.rt.resolved.cacheReadsCount ? nonNegative(usage.cache_read_input_tokens) : 0);
      const output = nonNegative(usage.output_tokens);
      const din = input - this.inputTokens;
      const dout = output - this.outputTokens;
      if (din === 0 && dout === 0 && !deficits) return Promise.resolve();
      return this.apply(deficits ? [0, din, dout, ...deficits] : [0, din, dout]);
    }
    release(): void {
      if (this.done) return;
      this.done = true;
      void this.apply([-1, -this.inputTokens, -this.outputTokens]);
    }
  }

  const waitThenLease = async (
    rt: BucketRuntime,
    waitMs: number,
    started: number,
    costs: readonly number[],
    source: 'redis' | 'local',
    signal: AbortSignal | undefined,
    scheduledAt: number,
  ): Promise<Lease> => {
    const lease = new LimiterLease(rt, 0, costs[1]!, costs[2]!, source, scheduledAt);
    if (waitMs > 0) {
      stats.waited++;
      try {
        await sleep(waitMs, signal);
      } catch (e) {
        lease.release();
        throw e;
      }
    }
    (lease as { waitedMs: number }).waitedMs = now() - started;
    return lease;
  };

  const acquireLocal = (rt: BucketRuntime, costs: number[], started: number, signal?: AbortSignal) => {
    const t = now();
    const at = reserve(localState(rt.resolved.bucket), localParamsOf(rt), costs, t);
    return waitThenLease(rt, at - t, started, costs, 'local', signal, at);
  };

  // --- Quota reserved ahead (quotaMs > 0, Redis): most acquires are admitted without a round trip. ---
  /** Follows the instance's pace and costs (smoothed), which size the next reservation. */
  const observe = (rt: BucketRuntime, costs: readonly number[], t: number): void => {
    if (Number.isNaN(rt.lastAcquireAt)) {
      rt.avgCosts = [costs[0]!, costs[1]!, costs[2]!];
    } else {
      rt.intervalMs = 0.7 * rt.intervalMs + 0.3 * Math.max(0.01, t - rt.lastAcquireAt);
      for (let d = 0; d < 3; d++) rt.avgCosts[d] = 0.7 * rt.avgCosts[d]! + 0.3 * costs[d]!;
    }
    rt.lastAcquireAt = t;
  };
  /**
   * The next reservation: quotaMs of this instance's pace (>= 1 request), tokens with a 25 % margin,
   * at most a quarter of the bucket per dimension (counting the requests the instance already holds);
   * none (zeros) when that would not hold one acquire.
   */
  const quotaCosts = (rt: BucketRuntime): [number, number, number] => {
    const lim = rt.params.limits;
    const quarter = (d: number) => (lim[d]! > 0 ? (lim[d]! * reservedBurst) / 60 / 4 : Infinity);
    // What the instance still holds when its next acquire is due counts toward its quarter of the
    // bucket (quota that expires before then goes back).
    const next = now() + rt.intervalMs;
    const held = rt.slices.reduce((a, s) => a + (s.expiresAt > next ? s.remaining[0] : 0), 0);
    const room = Math.floor(quarter(0) - held);
    if (room < 1) return [0, 0, 0];
    // The acquires expected within quotaMs of now (a slice is taken right after an acquire).
    const k = Math.max(1, Math.min(room, 1000, Math.floor(quotaMs / rt.intervalMs)));
    const tokens = (d: number) => Math.min(Math.ceil(k * rt.avgCosts[d]! * 1.25), Math.floor(quarter(d)));
    const quota: [number, number, number] = [k, tokens(1), tokens(2)];
    return quota[1] >= rt.avgCosts[1] && quota[2] >= rt.avgCosts[2] ? quota : [0, 0, 0];
  };
  /** What is left of a slice goes back to the shared bucket (it rides on the next script call). */
  const returnSlice = (rt: BucketRuntime, slice: QuotaSlice): void => {
    const i = rt.slices.indexOf(slice);
    if (i >= 0) rt.slices.splice(i, 1);
    if (slice.timer) clearTimeout(slice.timer);
    const r = slice.remaining;
    if ((r[0] > 0 || r[1] > 0 || r[2] > 0) && redisUp()) void queueAdjust(rt, [-r[0], -r[1], -r[2]]);
  };
  /** Keeps what Redis granted of the `wanted` quota: `granted` whole requests and their share of tokens. */
  const installSlice = (
    rt: BucketRuntime,
    wanted: readonly number[],
    granted: number,
    sentAt: number,
    waitMs: number,
  ): void => {
    if (!(granted > 0)) return;
    const share = granted / wanted[0]!;
    const costs = [granted, wanted[1]! * share, wanted[2]! * share];
    // An acquire answered while closing: best effort to give it back.
    if (closed) return void queueAdjust(rt, [-costs[0]!, -costs[1]!, -costs[2]!]);
    // Redis reserved at its own instant, between sentAt and now: start no earlier than the latest
    // possible send time, end no later than the earliest one + quotaMs.
    const slice: QuotaSlice = {
      remaining: [costs[0]!, costs[1]!, costs[2]!],
      startsAt: now() + waitMs,
      expiresAt: sentAt + waitMs + quotaMs,
      timer: undefined,
    };
    slice.timer = setTimeout(() => returnSlice(rt, slice), Math.max(0, slice.expiresAt - now()));
    slice.timer.unref?.();
    rt.slices.push(slice);
  };
  /** Takes `costs` from the first live slice that holds them all; returns that slice. */
  const takeFromQuota = (rt: BucketRuntime, costs: readonly number[], t: number): QuotaSlice | undefined => {
    for (const slice of rt.slices) {
      if (t >= slice.expiresAt) continue; // its timer returns it
      const r = slice.remaining;
      if (r[0] >= costs[0]! && r[1] >= costs[1]! && r[2] >= costs[2]!) {
        r[0] -= costs[0]!;
        r[1] -= costs[1]!;
        r[2] -= costs[2]!;
        return slice;
      }
    }
    return undefined;
  };
  /** Admits from the quota (no round trip), or undefined when no live slice holds `costs`. */
  const admitFromQuota = (
    rt: BucketRuntime,
    costs: readonly number[],
    started: number,
    signal: AbortSignal | undefined,
  ): Promise<Lease> | undefined => {
    const slice = takeFromQuota(rt, costs, now());
    if (!slice) return undefined;
    stats.quotaHits++;
    // After the caller has sent its request (writing a command costs ~0.1-1 ms): a slice with no
    // request left goes back (its spare tokens ride on the top-up's round trip), then the top-up.
    setImmediate(() => {
      if (slice.remaining[0] < 1) returnSlice(rt, slice);
      topUpQuota(rt);
    });
    // The quota's send time is Redis time; NaN says it was not scheduled by a round trip of its own.
    const early = slice.startsAt - now();
    if (early > 0) return waitThenLease(rt, early, started, costs, 'redis', signal, NaN);
    return Promise.resolve(new LimiterLease(rt, now() - started, costs[1]!, costs[2]!, 'redis', NaN));
  };
  /**
   * Reserves the next quota in the background once what is left would not hold an average acquire
   * at the time the next one is expected (quota that expires before then does not count).
   */
  const topUpQuota = (rt: BucketRuntime): void => {
    if (rt.prefetching || closed || !redisUp()) return;
    const next = now() + rt.intervalMs;
    const left = [0, 0, 0];
    for (const s of rt.slices) {
      if (next >= s.expiresAt) continue;
      for (let d = 0; d < 3; d++) left[d]! += s.remaining[d]!;
    }
    if (left[0]! >= 1 && left[1]! >= rt.avgCosts[1] && left[2]! >= rt.avgCosts[2]) return;
    // Paced slower than quotaMs, a reservation would expire before the next acquire: none.
    if (rt.intervalMs > quotaMs) return;
    const quota = quotaCosts(rt);
    if (quota[0] === 0) return;
    const sentAt = now();
    // No request of its own: Redis grants what the bucket holds now, or nothing (never a wait).
    rt.prefetching = send(rt, 'acquireq', [0, 0, 0, ...quota]).then(
      (reply) => {
        rt.prefetching = undefined;
        const [waitUs, , granted] = reply as [number, number, number];
        installSlice(rt, quota, granted, sentAt, waitUs / 1000);
      },
      () => {
        rt.prefetching = undefined;
        stats.redisErrors++;
      },
    );
  };
  /**
   * An acquire the quota could not hold: one round trip reserves it and, as far as the bucket holds
   * it at the same send time, the next quota (so the quota never makes a request wait longer).
   */
  const acquireWithQuota = (
    rt: BucketRuntime,
    costs: number[],
    started: number,
    signal: AbortSignal | undefined,
  ): Promise<Lease> => {
    // While a reservation of quota is on its way, this one takes only what it needs.
    const quota = rt.prefetching || rt.intervalMs > quotaMs ? ([0, 0, 0] as const) : quotaCosts(rt);
    const sentAt = now();
    const call = send(rt, quota[0] > 0 ? 'acquireq' : 'acquire', quota[0] > 0 ? [...costs, ...quota] : costs);
    const leased = call.then(
      (reply) => {
        const [waitUs, atUs, granted] = reply as [number, number, number?];
        installSlice(rt, quota, granted ?? 0, sentAt, waitUs / 1000);
        if (waitUs > 0) return waitThenLease(rt, waitUs / 1000, started, costs, 'redis', signal, atUs / 1000);
        return new LimiterLease(rt, now() - started, costs[1]!, costs[2]!, 'redis', atUs / 1000);
      },
      (e: unknown) => {
        if (!isConnectionError(e)) throw e;
        stats.redisErrors++;
        return acquireShared(rt, costs, started, signal);
      },
    );
    // Acquires that miss meanwhile (a burst) wait for this quota instead of each reserving their own:
    // each would hoard a slice, and the bucket would go to quota nobody spends.
    if (quota[0] > 0) {
      const done = (): void => void (rt.prefetching = undefined);
      rt.prefetching = call.then(done, done);
    }
    return leased;
  };

  const acquireFixedWindow = async (rt: BucketRuntime, signal?: AbortSignal): Promise<Lease> => {
    // The widely copied pattern: INCR a per-minute key (window from the instance's clock), EXPIRE it,
    // and over the limit wait for the next window. Requests only; tokens are not counted.
    const started = now();
    const windowMs = 60_000 / timeScale;
    const limit = rt.resolved.limits.rpm;
    const counts = localFixed;
    for (;;) {
      const wallNow = Date.now();
      const window = Math.floor(wallNow / windowMs);
      let n = 0;
      let shared = redis !== null && redisUp();
      if (shared) {
        stats.roundTrips++;
        try {
          n = await redis!.claudeLimiterFixedWindow(`${rt.key}:fw:${window}`, Math.ceil(windowMs));
        } catch (e) {
          if (!isConnectionError(e)) throw e;
          stats.redisErrors++;
          shared = false;
        }
      }
      if (redis && !shared) {
        // The same onRedisDown policy as the token buckets.
        if (policy === 'fail')
          throw new LimiterUnavailableError("redis is unreachable; onRedisDown is 'fail'.");
        if (policy === 'wait') {
          await sleep(100, signal);
          continue;
        }
        stats.localFallbacks++;
      }
      if (!shared) {
        const k = `${rt.key}:${window}`;
        n = (counts.get(k) ?? 0) + 1;
        if (counts.size > 4) counts.clear();
        counts.set(k, n);
      }
      if (limit <= 0 || n <= limit) break;
      stats.waited++;
      await sleep((window + 1) * windowMs - wallNow, signal);
    }
    return new LimiterLease(rt, now() - started, 0, 0, redis && redisUp() ? 'redis' : 'local', NaN);
  };
  const localFixed = new Map<string, number>();

  const acquire = (request: AcquireRequest = {}): Promise<Lease> => {
    if (closed) return Promise.reject(new LimiterUnavailableError('the limiter is closed.'));
    stats.acquires++;
    let rt: BucketRuntime;
    try {
      rt = runtimeOf(request.model);
    } catch (e) {
      return Promise.reject(e);
    }
    if (request.signal?.aborted) return Promise.reject(request.signal.reason);
    if (strategy === 'fixedWindow') return acquireFixedWindow(rt, request.signal);
    const costs = [1, nonNegative(request.inputTokens), nonNegative(request.outputTokens)];
    const started = now();
    if (!redis) return acquireLocal(rt, costs, started, request.signal);
    if (quotaMs > 0) {
      observe(rt, costs, started);
      const signal = request.signal;
      const hit = admitFromQuota(rt, costs, started, signal);
      if (hit) return hit;
      // A reservation on its way may be what this acquire needs: it would otherwise take the bucket's
      // last room from under it. Waiting for it costs at most the round trip the acquire would make.
      if (rt.prefetching) {
        return rt.prefetching.then(
          () =>
            admitFromQuota(rt, costs, started, signal) ??
            (redisUp()
              ? acquireWithQuota(rt, costs, started, signal)
              : acquireShared(rt, costs, started, signal)),
        );
      }
      if (redisUp()) return acquireWithQuota(rt, costs, started, signal);
    }
    // Fast path (Redis up, no wait): one script call and no extra promise hops.
    if (redisUp()) {
      const signal = request.signal;
      return send(rt, 'acquire', costs).then(
        (reply) => {
          const [waitUs, atUs] = reply as [number, number];
          if (waitUs > 0)
            return waitThenLease(rt, waitUs / 1000, started, costs, 'redis', signal, atUs / 1000);
          return new LimiterLease(rt, now() - started, costs[1]!, costs[2]!, 'redis', atUs / 1000);
        },
        (e: unknown) => {
          if (!isConnectionError(e)) throw e;
          stats.redisErrors++;
          return acquireShared(rt, costs, started, signal);
        },
      );
    }
    return acquireShared(rt, costs, started, request.signal);
  };

  const acquireShared = async (
    rt: BucketRuntime,
    costs: number[],
    started: number,
    signal: AbortSignal | undefined,
  ): Promise<Lease> => {
    let backoff = 50;
    for (;;) {
      if (redisUp()) {
        try {
          const reply = (await send(rt, 'acquire', costs)) as [number, number];
          return waitThenLease(rt, reply[0] / 1000, started, costs, 'redis', signal, reply[1] / 1000);
        } catch (e) {
          if (!isConnectionError(e)) throw e;
          stats.redisErrors++;
        }
      }
      if (closed) throw new LimiterUnavailableError('the limiter is closed.');
      if (policy === 'fail') {
        throw new LimiterUnavailableError(
          `redis is unreachable (status ${redis!.status}); onRedisDown is 'fail'.`,
        );
      }
      if (policy === 'local') {
        stats.localFallbacks++;
        return acquireLocal(rt, costs, started, signal);
      }
      // 'wait': poll until Redis is back (ioredis reconnects in the background) or the caller aborts.
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, 500);
    }
  };

  const bucketsFor = (model: string | undefined): BucketRuntime[] =>
    model !== undefined ? [runtimeOf(model)] : resolver.knownBuckets().map((b) => runtimeByBucket(b));
  const runtimeByBucket = (bucket: string): BucketRuntime => {
    const hit = runtimes.get(bucket);
    if (hit) return hit;
    // A bucket id resolves like a model id the catalog does not know (flat or per-bucket limits).
    try {
      const viaModel = [...runtimes.values()].find((r) => r.resolved.bucket === bucket);
      if (viaModel) return viaModel;
      return runtimeOf(bucket);
    } catch {
      return runtimeOf(undefined);
    }
  };

  return {
    namespace,
    strategy,
    acquire,
    limitsFor(model?: string): { bucket: string; limits: RateLimits; cacheReadsCount: boolean } {
      const r = resolver.resolve(model);
      return { bucket: r.bucket, limits: { ...r.limits }, cacheReadsCount: r.cacheReadsCount };
    },
    async pause(retryAfterSeconds: number, model?: string): Promise<void> {
      if (!(retryAfterSeconds > 0) || !Number.isFinite(retryAfterSeconds)) return;
      stats.pauses++;
      const ms = retryAfterSeconds * 1000;
      const targets = bucketsFor(model);
      // The local state pauses too: it is the store without Redis and the fallback while it is down.
      for (const rt of targets) pauseFor(localState(rt.resolved.bucket), ms, now());
      // Quota reserved before the 429 is not spent during the pause.
      for (const rt of targets) for (const slice of [...rt.slices]) returnSlice(rt, slice);
      if (redis && redisUp()) await Promise.all(targets.map((rt) => sendQuietly(rt, 'pause', [ms, 0, 0])));
    },
    async sync(model: string | undefined, remaining: RemainingSnapshot): Promise<void> {
      if (strategy === 'fixedWindow') return;
      const rt = runtimeOf(model);
      const d = deficitsOf(rt, remaining);
      if (d[0] === 0 && d[1] === 0 && d[2] === 0) return;
      if (!redis) {
        syncDeficits(localState(rt.resolved.bucket), rt.params, d, now());
        return;
      }
      if (redisUp()) await sendQuietly(rt, 'sync', d);
    },
    stats: () => ({ ...stats }),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // Unspent quota goes back (a reservation on its way first lands), and settles still queued go
      // out, before the connection closes.
      await Promise.all([...runtimes.values()].map((rt) => rt.prefetching));
      for (const rt of runtimes.values()) for (const slice of [...rt.slices]) returnSlice(rt, slice);
      if (redis) for (const rt of runtimes.values()) flushPending(rt);
      if (redis && ownsRedis) {
        try {
          await redis.quit();
        } catch {
          redis.disconnect();
        }
      }
    },
  };
}

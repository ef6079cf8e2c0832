// Message Batches in the simulator: a batch's state is computed from the simulated clock when it is
// asked for (no timers), so time scale and injected clocks drive it exactly like the rate limits.
//
// Processing model: request i of a batch finishes at created + batchLatencyMs x a seeded lognormal
// factor (median 1, sigma BATCH_SPREAD); its outcome is drawn from the simulator's fault settings
// (a 529/stream-error fault -> errored overloaded_error, 500/disconnect -> errored api_error). The
// batch ends when its last request finishes, at expiry (created + 24 h: the rest `expired`) or
// CANCEL_MS after a cancel (requests not finished by then `canceled`).
import type { ModelEntry } from '../../catalog/index';
import { limitsFor } from '../../catalog/index';
import { walkRequestTokens } from '../../tokens/count';
import { failure } from '../errors';
import type { ApiFailure } from '../errors';
import { FaultInjector } from '../faults';
import { composeReply } from '../generator';
import { deriveSeed, Rng } from '../../util/random';
import { TokenBucket } from '../rateLimiter';
import { messageObject, replyContent } from '../sse';
import type { SimState, UsageCounts } from '../state';
import { checkAgainstModel } from '../validation';
import type { MessagesRequest } from '../validation';

export const BATCH_MAX_REQUESTS = 100_000;
export const BATCH_MAX_BYTES: number = 256 * 1024 * 1024;
export const BATCH_EXPIRY_MS: number = 24 * 3600_000;
/** Simulated time from a cancel to `ended`. */
export const CANCEL_MS = 10_000;
/** Sigma of the lognormal spread of per-request completion times. */
export const BATCH_SPREAD = 0.5;
/** Batch limits of tiers that do not state them (the legacy presets): the Start tier's. */
const DEFAULT_BATCH_LIMITS = { rpm: 1000, queuedRequests: 200_000 };
/** Seed stream numbers above the simulator's own four (ids, text, latency, faults). */
const BATCH_STREAM = 100;

export type ProcessingStatus = 'in_progress' | 'canceling' | 'ended';

export interface BatchRequestInput {
  customId: string;
  params: Record<string, unknown>;
  /** The params as validated (tools, thinking, max_tokens...). */
  request: MessagesRequest;
}

/** What the create call's headers switch on for every request of the batch. */
export interface BatchCreateFlags {
  /** anthropic-beta named OUTPUT_300K_BETA: max_tokens up to the model's batchMaxOutputTokens. */
  output300k?: boolean;
}

interface RequestCounts {
  processing: number;
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
}

export class SimBatch {
  cancelAt: number | null = null;
  /** Set once the ended batch's usage is charged. */
  private charged = false;
  /** Finish times in ascending order, and errored counts over that order as a prefix sum. */
  private readonly sortedDone: Float64Array;
  private readonly erroredPrefix: Uint32Array;
  readonly lastDone: number;

  constructor(
    readonly id: string,
    readonly seed: number,
    readonly createdAt: number,
    readonly requests: BatchRequestInput[],
    readonly doneAt: Float64Array,
    readonly errors: (ApiFailure | null)[],
    readonly models: (ModelEntry | null)[],
  ) {
    const n = requests.length;
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => doneAt[a]! - doneAt[b]!);
    this.sortedDone = Float64Array.from(idx, (i) => doneAt[i]!);
    this.erroredPrefix = new Uint32Array(n + 1);
    for (let k = 0; k < n; k++)
      this.erroredPrefix[k + 1] = this.erroredPrefix[k]! + (errors[idx[k]!] ? 1 : 0);
    this.lastDone = n > 0 ? this.sortedDone[n - 1]! : createdAt;
  }

  get expiresAt(): number {
    return this.createdAt + BATCH_EXPIRY_MS;
  }

  /** When the batch ends (or ended), given what is known now. */
  get endsAt(): number {
    const cancelEnd = this.cancelAt === null ? Infinity : Math.min(this.cancelAt + CANCEL_MS, this.lastDone);
    return Math.min(this.lastDone, this.expiresAt, cancelEnd);
  }

  /** Why the unfinished requests stop at the end. */
  private get endKind(): 'canceled' | 'expired' {
    return this.cancelAt !== null && this.cancelAt + CANCEL_MS <= this.expiresAt ? 'canceled' : 'expired';
  }

  status(now: number): ProcessingStatus {
    if (now >= this.endsAt) return 'ended';
    return this.cancelAt === null ? 'in_progress' : 'canceling';
  }

  /** Requests finished by time t (binary search over the sorted finish times). */
  private finishedBy(t: number): number {
    let lo = 0;
    let hi = this.sortedDone.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sortedDone[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  counts(now: number): RequestCounts {
    const n = this.requests.length;
    const ended = now >= this.endsAt;
    const done = this.finishedBy(ended ? this.endsAt : now);
    const errored = this.erroredPrefix[done]!;
    const rest = n - done;
    return {
      processing: ended ? 0 : rest,
      succeeded: done - errored,
      errored,
      canceled: ended && this.endKind === 'canceled' ? rest : 0,
      expired: ended && this.endKind === 'expired' ? rest : 0,
    };
  }

  /** The result of request i once the batch has ended. */
  resultOf(i: number): 'succeeded' | 'errored' | 'canceled' | 'expired' {
    if (this.doneAt[i]! <= this.endsAt) return this.errors[i] ? 'errored' : 'succeeded';
    return this.endKind;
  }

  /** The deterministic reply of request i (same text every time the results are read). */
  reply(i: number, sim: SimState): { message: Record<string, unknown>; usage: UsageCounts; output: number } {
    const r = this.requests[i]!;
    const model = this.models[i]!;
    const rng = new Rng(deriveSeed(this.seed, i));
    const reply = composeReply(
      { text: rng, tools: rng },
      r.request,
      model.tokenizer,
      sim.cfg.reply,
      () => 'toolu_01' + rng.base62(22),
    );
    const usage: UsageCounts = {
      input: walkRequestTokens(r.params, model.tokenizer).total,
      cacheRead: 0,
      write5m: 0,
      write1h: 0,
    };
    const output = Math.max(1, reply.pieces.length);
    const id = 'msg_01' + rng.base62(22);
    const message = messageObject(
      id,
      String(r.params.model),
      replyContent(reply),
      reply.stopReason,
      reply.stopSequence,
      usage,
      output,
    );
    (message.usage as Record<string, unknown>).service_tier = 'batch';
    return { message, usage, output };
  }

  /** Charges the succeeded requests at the batch price, once, when the batch is seen ended. */
  chargeOnce(sim: SimState): void {
    if (this.charged) return;
    this.charged = true;
    const discount = sim.cfg.catalog.batchDiscount;
    for (let i = 0; i < this.requests.length; i++) {
      if (this.resultOf(i) !== 'succeeded') continue;
      const { usage, output } = this.reply(i, sim);
      sim.addSpend(this.models[i]!, usage, output, discount);
    }
  }
}

function outcomeFailure(kind: string): ApiFailure {
  return kind === '500' || kind === 'disconnect'
    ? failure(500, 'api_error', 'Internal server error (simulated)')
    : failure(529, 'overloaded_error', 'Overloaded');
}

/** Every batch of one simulator, newest first, plus the batch endpoints' own rate limits. */
export class BatchStore {
  readonly batches: SimBatch[] = [];
  readonly byId: Map<string, SimBatch> = new Map<string, SimBatch>();
  readonly rpm: TokenBucket;
  readonly queuedLimit: number;
  /** Wall-clock epoch ms of simulated time 0: timestamps are on the simulated timeline. */
  private readonly epoch0: number;
  private readonly faults: FaultInjector;
  private readonly timing: Rng;
  private created = 0;

  constructor(private readonly sim: SimState) {
    const limits = sim.cfg.tier.batch ?? DEFAULT_BATCH_LIMITS;
    this.rpm = new TokenBucket(limits.rpm, sim.cfg.burstSeconds, sim.clock.simNow());
    this.queuedLimit = limits.queuedRequests;
    this.epoch0 = sim.clock.wallNow() - sim.clock.simNow() / sim.clock.timeScale;
    // Own random streams: batches do not shift the Messages replies, ids or faults of a seed.
    this.faults = new FaultInjector(sim.cfg.faults, new Rng(deriveSeed(sim.cfg.seed, BATCH_STREAM)));
    this.timing = new Rng(deriveSeed(sim.cfg.seed, BATCH_STREAM + 1));
  }

  iso(simMs: number): string {
    return new Date(this.epoch0 + simMs).toISOString();
  }

  /** Requests of unfinished batches still processing now (the tier's "queued requests"). */
  queued(now: number): number {
    let n = 0;
    for (const b of this.batches) if (b.status(now) !== 'ended') n += b.counts(now).processing;
    return n;
  }

  create(requests: BatchRequestInput[], flags: BatchCreateFlags = {}): SimBatch {
    const sim = this.sim;
    const n = requests.length;
    const errors: (ApiFailure | null)[] = new Array(n).fill(null);
    const models: (ModelEntry | null)[] = new Array(n).fill(null);
    for (let i = 0; i < n; i++) {
      const id = String(requests[i]!.params.model);
      const model = sim.model(id);
      if (!model) errors[i] = sim.modelFailure(id);
      else if (!limitsFor(sim.cfg.tier, model.bucket)) {
        errors[i] = failure(
          403,
          'permission_error',
          `model ${id} is not available on the ${sim.cfg.tier.name} tier`,
        );
      } else {
        models[i] = model;
        // What the Messages API would refuse for this model (max_tokens, context window, thinking)
        // errors the request, not the batch.
        const r = requests[i]!;
        const input = walkRequestTokens(r.params, model.tokenizer).total;
        const wrong = checkAgainstModel(r.request, model, input, false, flags.output300k === true);
        const fault = wrong ? null : this.faults.pick();
        if (wrong) errors[i] = wrong;
        else if (fault) errors[i] = outcomeFailure(fault);
      }
    }
    // The batch exists from here: the checks above (a token walk per request) are upload time, not
    // processing time, as the client sees it (its clock starts when create answers).
    const now = sim.clock.simNow();
    const doneAt = new Float64Array(n);
    const median = sim.cfg.batchLatencyMs;
    for (let i = 0; i < n; i++) doneAt[i] = now + median * this.timing.jitter(BATCH_SPREAD);
    const id = 'msgbatch_01' + sim.rng.ids.base62(22);
    const batch = new SimBatch(
      id,
      deriveSeed(sim.cfg.seed, BATCH_STREAM + 2 + this.created++),
      now,
      requests,
      doneAt,
      errors,
      models,
    );
    this.batches.unshift(batch);
    this.byId.set(id, batch);
    return batch;
  }

  remove(batch: SimBatch): void {
    this.byId.delete(batch.id);
    const i = this.batches.indexOf(batch);
    if (i >= 0) this.batches.splice(i, 1);
  }

  /** The API's MessageBatch object. */
  view(b: SimBatch, origin: string): Record<string, unknown> {
    const now = this.sim.clock.simNow();
    const status = b.status(now);
    if (status === 'ended') b.chargeOnce(this.sim);
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: status,
      request_counts: b.counts(now),
      ended_at: status === 'ended' ? this.iso(b.endsAt) : null,
      created_at: this.iso(b.createdAt),
      expires_at: this.iso(b.expiresAt),
      archived_at: null,
      cancel_initiated_at: b.cancelAt === null ? null : this.iso(b.cancelAt),
      results_url: status === 'ended' ? `${origin}/v1/messages/batches/${b.id}/results` : null,
    };
  }
}

const stores = new WeakMap<SimState, BatchStore>();

/** The batch store of a simulator, created on first use (no cost for simulators that never batch). */
export function batchStore(sim: SimState): BatchStore {
  let s = stores.get(sim);
  if (!s) {
    s = new BatchStore(sim);
    stores.set(sim, s);
  }
  return s;
}

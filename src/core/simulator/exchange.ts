// One admitted Messages request from its service slot to the last byte: fault, reply, latency, and
// delivery as JSON or as a paced SSE stream (one timer per request, never one per token).
import type { ServerResponse } from 'node:http';
import type { ModelEntry } from '../catalog/index';
import type { CachePlan } from './cache';
import type { Servable } from './capacity';
import { API_ERROR_MESSAGE, OVERLOADED_MESSAGE, failure } from './errors';
import type { FaultKind } from './faults';
import { composeReply } from './generator';
import type { Reply } from './generator';
import { ZERO_TIMING, planTiming } from './latency';
import type { Timing } from './latency';
import { pushRateLimitHeaders } from './rateLimiter';
import type { LimitState } from './rateLimiter';
import { sendFailure, sendJson } from './respond';
import {
  SSE_HEADERS,
  blockStop,
  errorEvent,
  messageObject,
  renderTokens,
  replyContent,
  streamHead,
  streamTail,
} from './sse';
import type { SimState, Stoppable, UsageCounts } from './state';
import type { MessagesRequest } from './validation';

/** Tokens per content_block_delta after the first (which carries one token, so TTFT is one token). */
const TOKENS_PER_DELTA = 3;
/** Budget of stream writes per ms across all streams; beyond it deltas are coalesced per write. */
const STREAM_WRITES_PER_MS = 50;
const MIN_TICK_MS = 2;
/** Timers may fire a little early: a delta due within this many ms counts as due. */
const DUE_SLACK_MS = 2;

const enum Phase {
  Json,
  Head,
  Deltas,
}

function onTimer(ex: Exchange): void {
  ex.fire();
}

export class Exchange implements Servable, Stoppable {
  private timer: NodeJS.Timeout | null = null;
  /** Delta cadence (real ms), fixed per stream so the one timer is re-armed with refresh(). */
  private tickMs = 0;
  private done = false;
  private inQueue = false;
  private holdsSlot = false;
  private listening = false;
  private streamingCounted = false;
  private phase = Phase.Json;
  private fault: FaultKind | null = null;
  private reply: Reply | null = null;
  private messageId = '';
  private timing: Timing = ZERO_TIMING;
  private t0 = 0;
  private nextDelta = 0;
  private deltaCount = 0;
  private faultAt = -1;
  private outputTokens = 0;
  /** Output tokens debited so far (generated mode) / delivered so far. */
  private sentTokens = 0;
  /** Output tokens reserved up front (max-tokens-estimate mode). */
  private reserved = 0;

  constructor(
    private readonly sim: SimState,
    private readonly res: ServerResponse,
    private readonly requestId: string,
    private readonly model: ModelEntry,
    private readonly request: MessagesRequest,
    private readonly limits: LimitState,
    private readonly usage: UsageCounts,
    private readonly inputCost: number,
    private readonly cachePlan: CachePlan | null,
  ) {
    // admit() already took this reservation from the output bucket.
    if (sim.cfg.otpmMode === 'max-tokens-estimate') {
      this.reserved = Math.min(request.maxTokens, limits.output.capacity);
    }
  }

  /** Client went away (or the response finished: then nothing to do). */
  readonly onClose = (): void => {
    if (this.done || this.res.writableFinished) return;
    if (this.inQueue) this.sim.gate.cancel(this);
    this.sim.stats.clientAborts++;
    this.settleOutput();
    this.complete(false);
  };

  /** Waits in the capacity queue (the client may leave meanwhile). */
  waitInQueue(): void {
    this.inQueue = true;
    this.listen();
  }

  /** Undoes the rate-limit debit of a request that was not served (529, 500). */
  refund(): void {
    this.limits.requests.give(1);
    this.limits.input.give(this.inputCost);
    if (this.reserved > 0) this.limits.output.give(this.reserved);
    this.reserved = 0;
  }

  stop(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  start(): void {
    if (this.done) return;
    this.inQueue = false;
    this.holdsSlot = true;
    const sim = this.sim;
    const f = (this.fault = sim.faults.pick());
    if (f === '529' || f === '500' || (f === 'stream-error' && !this.request.stream)) {
      // Non-streaming requests cannot fail mid-stream: they see the overload as a 529.
      this.refund();
      const fail =
        f === '500'
          ? failure(500, 'api_error', API_ERROR_MESSAGE)
          : failure(529, 'overloaded_error', OVERLOADED_MESSAGE);
      sendFailure(sim, this.res, fail, this.requestId, this.rateLimitHeaders());
      this.complete(false);
      return;
    }
    if (this.cachePlan) sim.cache.commit(this.cachePlan, sim.clock.simNow());
    const u = this.usage;
    sim.stats.inputTokens += u.input;
    sim.stats.cacheRead += u.cacheRead;
    sim.stats.cacheCreation += u.write5m + u.write1h;
    const r = this.request;
    const reply = (this.reply = composeReply(sim.rng, r, this.model.tokenizer, sim.cfg.reply, () =>
      sim.nextToolUseId(),
    ));
    this.outputTokens = Math.max(1, reply.pieces.length);
    this.messageId = sim.nextMessageId();
    this.timing = planTiming(
      sim.cfg.latency,
      this.model.speed,
      u.input + u.write5m + u.write1h,
      u.cacheRead,
      sim.rng.latency,
      sim.clock.timeScale,
    );
    this.t0 = sim.clock.realNow();
    if (!r.stream) {
      const delay = this.timing.ttftMs + (this.outputTokens - 1) * this.timing.msPerToken;
      this.phase = Phase.Json;
      if (delay > 0) this.arm(delay);
      else this.deliverJson();
      return;
    }
    const n = reply.pieces.length;
    this.deltaCount = n === 0 ? 0 : 1 + Math.ceil((n - 1) / TOKENS_PER_DELTA);
    if (f === 'stream-error' || f === 'disconnect') this.faultAt = sim.faults.position(this.deltaCount);
    if (this.timing.ttftMs <= 0) {
      this.tick(this.writeStreamHead());
    } else {
      this.phase = Phase.Head;
      this.arm(this.timing.headMs);
    }
  }

  fire(): void {
    if (this.done) return;
    if (this.res.destroyed) {
      this.onClose();
      return;
    }
    if (this.phase === Phase.Json) {
      this.deliverJson();
    } else if (this.phase === Phase.Head) {
      this.res.write(this.writeStreamHead());
      this.phase = Phase.Deltas;
      this.arm(this.timing.ttftMs - this.timing.headMs);
    } else {
      this.tick('');
    }
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.res.once('close', this.onClose);
    this.sim.active.add(this);
  }

  private arm(delay: number): void {
    this.listen();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(onTimer, delay, this);
  }

  private rateLimitHeaders(): string[] {
    const out: string[] = [];
    pushRateLimitHeaders(out, this.limits, this.sim.clock);
    return out;
  }

  private deliverJson(): void {
    const reply = this.reply!;
    if (this.fault === 'disconnect') {
      this.drop('');
      return;
    }
    this.debitOutput(this.outputTokens);
    this.settleOutput();
    this.sim.addSpend(this.model, this.usage, this.outputTokens);
    const body = JSON.stringify(
      messageObject(
        this.messageId,
        this.request.model,
        replyContent(reply),
        reply.stopReason,
        reply.stopSequence,
        this.usage,
        this.outputTokens,
      ),
    );
    sendJson(this.sim, this.res, 200, body, this.requestId, this.rateLimitHeaders());
    this.complete(true);
  }

  private writeStreamHead(): string {
    const headers = SSE_HEADERS.concat('request-id', this.requestId);
    pushRateLimitHeaders(headers, this.limits, this.sim.clock);
    this.sim.stats.status(200);
    this.res.writeHead(200, headers);
    this.sim.streaming++;
    this.streamingCounted = true;
    return streamHead(this.messageId, this.request.model, this.usage, this.reply!.blocks?.[0]);
  }

  /** Real ms after service start at which delta `d` is complete. */
  private dueAt(d: number): number {
    const last = Math.min(d * TOKENS_PER_DELTA, this.reply!.pieces.length - 1);
    return this.timing.ttftMs + last * this.timing.msPerToken;
  }

  /** Writes every delta that is due (coalesced into one write), then ends or re-arms the timer. */
  private tick(prefix: string): void {
    const pieces = this.reply!.pieces;
    const elapsed = this.timing.ttftMs <= 0 ? Infinity : this.sim.clock.realNow() - this.t0;
    let chunk = prefix;
    let tokens = 0;
    while (this.nextDelta < this.deltaCount) {
      const d = this.nextDelta;
      if (this.dueAt(d) > elapsed + DUE_SLACK_MS) break;
      if (d === this.faultAt) {
        this.streamFault(chunk, tokens);
        return;
      }
      const from = d === 0 ? 0 : 1 + (d - 1) * TOKENS_PER_DELTA;
      const to = d === 0 ? 1 : Math.min(from + TOKENS_PER_DELTA, pieces.length);
      chunk += renderTokens(this.reply!, from, to);
      tokens += to - from;
      this.nextDelta++;
    }
    if (this.nextDelta >= this.deltaCount) {
      if (this.faultAt >= 0) {
        this.streamFault(chunk, tokens);
        return;
      }
      // The API bills at least one output token even for an empty reply.
      this.debitOutput(this.outputTokens - this.sentTokens);
      this.settleOutput();
      this.sim.addSpend(this.model, this.usage, this.outputTokens);
      const reply = this.reply!;
      const blocks = reply.blocks;
      const last =
        blocks && blocks.length > 0 ? blockStop(blocks[blocks.length - 1]!, blocks.length - 1) : undefined;
      this.res.end(
        chunk + streamTail(reply.stopReason, reply.stopSequence, this.usage, this.outputTokens, last),
      );
      this.complete(true);
      return;
    }
    if (chunk.length > 0) this.res.write(chunk);
    this.debitOutput(tokens);
    if (this.tickMs === 0) {
      // One delta per tick, unless so many streams are open that writes must be coalesced.
      const minTick = Math.max(MIN_TICK_MS, this.sim.streaming / STREAM_WRITES_PER_MS);
      this.tickMs = Math.max(this.timing.msPerToken * TOKENS_PER_DELTA, minTick);
      this.arm(this.tickMs);
    } else {
      this.timer!.refresh();
    }
  }

  private streamFault(chunk: string, tokens: number): void {
    this.debitOutput(tokens);
    this.settleOutput();
    if (this.fault === 'stream-error') {
      this.sim.stats.streamErrors++;
      this.res.end(chunk + errorEvent('overloaded_error', OVERLOADED_MESSAGE, this.requestId));
      this.complete(false);
    } else {
      this.drop(chunk);
    }
  }

  /** The disconnect fault: drop the connection (after flushing what was already produced). */
  private drop(chunk: string): void {
    this.sim.stats.disconnects++;
    const res = this.res;
    this.complete(false);
    if (chunk.length > 0) res.write(chunk, () => res.destroy());
    else res.destroy();
  }

  /** Debits generated output tokens (generated mode) and counts them. */
  private debitOutput(tokens: number): void {
    if (tokens <= 0) return;
    this.sentTokens += tokens;
    this.sim.stats.output(tokens);
    if (this.reserved === 0) this.limits.output.take(tokens);
  }

  /** max-tokens-estimate mode: trade the reservation for what was really produced. */
  private settleOutput(): void {
    if (this.reserved === 0) return;
    this.limits.output.refill(this.sim.clock.simNow());
    this.limits.output.give(this.reserved);
    this.limits.output.take(this.sentTokens);
    this.reserved = 0;
  }

  private complete(ok: boolean): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.listening) this.sim.active.delete(this);
    if (this.streamingCounted) this.sim.streaming--;
    if (ok) this.sim.stats.completed();
    if (this.holdsSlot) {
      this.holdsSlot = false;
      this.sim.gate.release();
    }
  }
}

// Aggregates finished requests into histograms, counters and 1-second windows. Memory stays bounded:
// nothing is kept per request.
import type { Catalog, ModelEntry } from '../catalog/index';
import { findModel, pricesFor } from '../catalog/index';
import { ModelBreakdown } from './byModel';
import { MetricHistogram } from '../metrics/histogram';
import type {
  Outcome,
  OutcomeCounts,
  RateLimitSnapshot,
  RequestSample,
  RunSummary,
  TimeWindow,
} from '../model/run';
import { outcomes } from '../model/run';
import { scrubSecrets } from '../util/scrub';

export function emptyOutcomeCounts(): OutcomeCounts {
  return Object.fromEntries(outcomes.map((o) => [o, 0])) as OutcomeCounts;
}

const maxDistinctErrors = 50;

type LimitKind = RunSummary['rateLimitedBy'][number]['limit'];

export class Recorder {
  readonly latency: MetricHistogram = new MetricHistogram();
  readonly latencyUncorrected: MetricHistogram = new MetricHistogram();
  readonly sendLag: MetricHistogram = new MetricHistogram();
  /** Time held inside admission gates (budget, in-flight cap, limiters) before the send. */
  readonly queueWait: MetricHistogram = new MetricHistogram();
  readonly ttft: MetricHistogram = new MetricHistogram();
  /** Time to the first content delta of any kind (thinking, text, tool input). */
  readonly firstContent: MetricHistogram = new MetricHistogram();
  /** Replies that called a tool. */
  toolUseReplies = 0;
  readonly tpot: MetricHistogram = new MetricHistogram();
  readonly tokensPerSec: MetricHistogram = new MetricHistogram();
  readonly counts: OutcomeCounts = emptyOutcomeCounts();
  readonly tokens: {
    input: number;
    output: number;
    cacheRead: number;
    cacheWrite: number;
    thinking: number;
  } = {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    thinking: 0,
  };
  costUsd = 0;
  attempts = 0;
  completed = 0;
  sent = 0;
  /** Requests that met every latency/TTFT threshold (goodput), when thresholds name them. */
  good = 0;
  private readonly rateLimited = new Map<string, number>();
  private readonly models = new Map<string, ModelEntry | null>();
  /** Models the catalog does not price (a gateway's own ids): their cost is unknown, not 0. */
  readonly unpricedModels: Set<string> = new Set<string>();
  /** Per-model figures, reported when a run mixes models. */
  readonly byModel: ModelBreakdown = new ModelBreakdown();
  private readonly errors = new Map<string, { outcome: Outcome; message: string; count: number }>();
  readonly windows: TimeWindow[] = [];
  private win = this.newWindow(0);
  private readonly winLatency = new MetricHistogram();
  private readonly winTtft = new MetricHistogram();

  constructor(
    private readonly catalog: Catalog,
    private readonly openLoop: boolean,
    private readonly slo?: { latencyMs?: number; ttftMs?: number },
  ) {}

  private newWindow(t: number): TimeWindow {
    return {
      t,
      sent: 0,
      completed: 0,
      outcomes: emptyOutcomeCounts(),
      inFlight: 0,
      latencyMs: { p50: 0, p95: 0, p99: 0 },
      ttftMs: { p50: 0, p95: 0, p99: 0 },
      inputTokensPerMin: 0,
      outputTokensPerMin: 0,
      headroom: { requests: null, inputTokens: null, outputTokens: null },
      costUsd: 0,
      sendLagMsMax: 0,
    };
  }

  /** Cost of one request from the catalog and the server's usage (5m vs 1h cache writes priced apart). */
  costOf(
    model: string,
    s: Pick<
      RequestSample,
      'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'cacheWrite1hTokens'
    >,
  ): number {
    let entry = this.models.get(model);
    if (entry === undefined) {
      entry = findModel(this.catalog, model) ?? null;
      this.models.set(model, entry);
    }
    if (!entry) {
      this.unpricedModels.add(model);
      return 0;
    }
    const promptTokens = s.inputTokens + s.cacheReadTokens + s.cacheWriteTokens;
    const p = pricesFor(entry, promptTokens);
    const write5m = s.cacheWriteTokens - s.cacheWrite1hTokens;
    return (
      (s.inputTokens * p.input +
        s.outputTokens * p.output +
        write5m * p.cacheWrite5m +
        s.cacheWrite1hTokens * p.cacheWrite1h +
        s.cacheReadTokens * p.cacheRead) /
      1e6
    );
  }

  onSent(sendLagMs: number): void {
    this.sent++;
    this.win.sent++;
    this.sendLag.record(sendLagMs);
    if (sendLagMs > this.win.sendLagMsMax) this.win.sendLagMsMax = sendLagMs;
  }

  record(s: RequestSample, bucket: string): void {
    this.completed++;
    this.attempts += s.attempts;
    this.counts[s.outcome]++;
    this.win.completed++;
    this.win.outcomes[s.outcome]++;
    this.tokens.input += s.inputTokens;
    this.tokens.output += s.outputTokens;
    this.tokens.thinking += s.thinkingTokens ?? 0;
    this.tokens.cacheRead += s.cacheReadTokens;
    this.tokens.cacheWrite += s.cacheWriteTokens;
    this.win.inputTokensPerMin += (s.inputTokens + s.cacheWriteTokens) * 60;
    this.win.outputTokensPerMin += s.outputTokens * 60;
    this.costUsd += s.costUsd;
    this.byModel.record(s);
    this.trackHeadroom(s.rateLimit);
    if (s.outcome === 'ok') {
      const e2e = s.endAt - s.intendedAt;
      const actual = s.endAt - s.sentAt;
      this.latency.record(e2e);
      this.winLatency.record(e2e);
      if (this.openLoop) this.latencyUncorrected.record(actual);
      if (s.firstContentAt !== undefined) this.firstContent.record(s.firstContentAt - s.sentAt);
      if (s.toolUseBlocks) this.toolUseReplies++;
      if (s.firstTextAt !== undefined) {
        const ttft = s.firstTextAt - s.sentAt;
        this.ttft.record(ttft);
        this.winTtft.record(ttft);
        // Thinking comes before the text: time per output token is over the text tokens.
        const textTokens = s.outputTokens - (s.thinkingTokens ?? 0);
        if (textTokens > 1) this.tpot.record((actual - ttft) / (textTokens - 1));
      }
      if (actual > 0 && s.outputTokens > 0) this.tokensPerSec.record((s.outputTokens * 1000) / actual);
      const slo = this.slo;
      const ttftOk = !slo?.ttftMs || (s.firstTextAt !== undefined && s.firstTextAt - s.sentAt <= slo.ttftMs);
      if ((!slo?.latencyMs || e2e <= slo.latencyMs) && ttftOk) this.good++;
    } else if (s.outcome !== 'aborted') {
      // Aborted by the user is not an error: counted in requests.aborted only.
      if (s.outcome === 'rate_limited') {
        const key = `${bucket}\u0000${limitKind(s)}`;
        this.rateLimited.set(key, (this.rateLimited.get(key) ?? 0) + 1);
      }
      const message = scrub(s.errorMessage ?? s.outcome).slice(0, 300);
      const key = `${s.outcome}\u0000${message}`;
      const e = this.errors.get(key);
      if (e) e.count++;
      else if (this.errors.size < maxDistinctErrors)
        this.errors.set(key, { outcome: s.outcome, message, count: 1 });
    }
  }

  private trackHeadroom(rl: RateLimitSnapshot | undefined): void {
    if (!rl) return;
    // Per request: no closures here (each would be an allocation).
    const h = this.win.headroom;
    if (rl.requests) h.requests = lowerHeadroom(h.requests, rl.requests);
    if (rl.inputTokens) h.inputTokens = lowerHeadroom(h.inputTokens, rl.inputTokens);
    if (rl.outputTokens) h.outputTokens = lowerHeadroom(h.outputTokens, rl.outputTokens);
  }

  /** Closes the current 1-second window and starts the next. */
  closeWindow(inFlight: number): TimeWindow {
    const w = this.win;
    w.inFlight = inFlight;
    w.latencyMs = pick(this.winLatency);
    w.ttftMs = pick(this.winTtft);
    w.costUsd = this.costUsd;
    this.winLatency.reset();
    this.winTtft.reset();
    this.windows.push(w);
    this.win = this.newWindow(w.t + 1);
    return w;
  }

  rateLimitedBy(): RunSummary['rateLimitedBy'] {
    return [...this.rateLimited.entries()]
      .map(([key, count]) => {
        const [bucket, limit] = key.split('\u0000') as [string, LimitKind];
        return { bucket, limit, count };
      })
      .sort((a, b) => b.count - a.count);
  }

  errorsByMessage(): RunSummary['errorsByMessage'] {
    return [...this.errors.values()].sort((a, b) => b.count - a.count);
  }
}

/** The lower of the window's headroom so far and this reply's remaining / limit (0..1). */
function lowerHeadroom(cur: number | null, st: { limit: number; remaining: number }): number {
  const v = Math.max(0, Math.min(1, st.remaining / st.limit));
  return cur === null ? v : Math.min(cur, v);
}

function pick(h: MetricHistogram): { p50: number; p95: number; p99: number } {
  return { p50: h.percentile(50), p95: h.percentile(95), p99: h.percentile(99) };
}

/** Which limit a 429 hit: spend cap by error code, else the exhausted header. */
export function limitKind(s: RequestSample): LimitKind {
  if (s.errorCode?.includes('spend')) return 'spend';
  const rl = s.rateLimit;
  if (!rl) return 'unknown';
  const candidates: [LimitKind, { limit: number; remaining: number } | undefined][] = [
    ['requests', rl.requests],
    ['input_tokens', rl.inputTokens],
    ['output_tokens', rl.outputTokens],
  ];
  let best: LimitKind = 'unknown';
  let bestFrac = Infinity;
  for (const [kind, st] of candidates) {
    if (!st) continue;
    const f = st.remaining / st.limit;
    if (f < bestFrac) {
      bestFrac = f;
      best = kind;
    }
  }
  return best;
}

/** Removes anything shaped like an API key from text that is kept or shown. */
export function scrub(text: string): string {
  return scrubSecrets(text);
}

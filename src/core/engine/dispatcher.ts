// Sends admitted requests and measures them: counts the send in its window, calls the SDK, turns the
// measurement into a sample with cost, and hands it to the recorder and the listeners.
import type { Catalog } from '../catalog/index';
import { resolveModel } from '../catalog/index';
import { estimateTokensOfLength } from '../tokens/count';
import type { PlannedRequest } from './prompts';
import type { Recorder } from './recorder';
import { sendMeasured } from './request';
import { bucketOf } from './summary';
import type { ResolvedTarget } from './target';
import type { RequestSample, Scenario } from '../model/run';

export class Dispatcher {
  inFlight = 0;
  /** Latest end of any request on the engine clock (the drain ends there). */
  lastEndAt = 0;
  /** Rate-limit bucket per model, looked up once (not per request). */
  private readonly buckets = new Map<string, string>();

  constructor(
    private readonly scenario: Scenario,
    private readonly catalog: Catalog,
    private readonly target: ResolvedTarget,
    private readonly rec: Recorder,
    /** Engine clock: ms since the run started. */
    private readonly elapsed: () => number,
    /** Aborts every in-flight request (user stop, graceful-stop limit). */
    private readonly inflightSignal: AbortSignal,
    private readonly onSample: (sample: RequestSample) => void,
  ) {}

  async send(
    index: number,
    intendedAt: number,
    p: PlannedRequest,
    queueWaitMs: number,
  ): Promise<RequestSample> {
    this.inFlight++;
    // Counted when it goes out, so each 1-second window shows what was sent in it.
    const sentAt = this.elapsed();
    this.rec.onSent(Math.max(0, sentAt - intendedAt));
    this.rec.queueWait.record(queueWaitMs);
    const counter = this.scenario.retries === 'sdk' ? { count: 0 } : undefined;
    // The sample is built here, whole, and filled in by the send: one object per request, one shape.
    const sample: RequestSample = {
      index,
      model: p.model,
      intendedAt,
      outcome: 'ok',
      sentAt,
      endAt: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      attempts: 1,
      costUsd: 0,
    };
    const thinkingChars = await sendMeasured(
      {
        client: this.target.client,
        body: p.body,
        stream: this.scenario.stream,
        signal: this.inflightSignal,
        clock: this.elapsed,
        attempts: counter,
      },
      sample,
    );
    this.inFlight--;
    if (counter) sample.attempts = Math.max(1, counter.count);
    if (thinkingChars) {
      // Usage counts thinking inside output_tokens; the split is estimated from the thinking text.
      const estimate = estimateTokensOfLength(thinkingChars, resolveModel(this.catalog, p.model).tokenizer);
      sample.thinkingTokens = Math.min(sample.outputTokens || estimate, estimate);
    }
    sample.costUsd = this.rec.costOf(p.model, sample);
    let bucket = this.buckets.get(p.model);
    if (bucket === undefined) this.buckets.set(p.model, (bucket = bucketOf(this.catalog, p.model)));
    this.rec.record(sample, bucket);
    this.lastEndAt = Math.max(this.lastEndAt, sample.endAt);
    this.onSample(sample);
    return sample;
  }
}

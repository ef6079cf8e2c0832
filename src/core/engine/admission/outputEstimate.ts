// How many output tokens a request will likely generate, before it is sent: its max_tokens until a few
// requests have finished, then the running p99 of their output (never above its max_tokens). The budget
// reserves with it; rate-limiter gates read it through AdmissionContext.expectedOutputTokens.
import { MetricHistogram } from '../../metrics/histogram';
import type { RequestSample } from '../../model/run';

/** Finished requests needed before the observed output replaces max_tokens. */
export const observedOutputAfter = 3;

export class OutputEstimate {
  private readonly seen = new MetricHistogram();

  /** Successful replies only: an error's 0 output tokens says nothing about the next reply. */
  record(sample: Pick<RequestSample, 'outcome' | 'outputTokens'>): void {
    if (sample.outcome === 'ok') this.seen.record(sample.outputTokens);
  }

  get observed(): boolean {
    return this.seen.count >= observedOutputAfter;
  }

  tokens(maxOutputTokens: number): number {
    return this.observed ? Math.min(maxOutputTokens, Math.ceil(this.seen.percentile(99))) : maxOutputTokens;
  }
}

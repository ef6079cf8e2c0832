// Per-model metrics of a mix run (like k6's tags): latency, outcomes and cost per model, from samples.
import { MetricHistogram, type PercentileSummary } from '../metrics/histogram';
import { outcomes, type OutcomeCounts, type RequestSample } from '../model/run';

export interface ModelStats {
  model: string;
  requests: number;
  outcomes: OutcomeCounts;
  /** CO-corrected (from the intended send time), ok requests. */
  latencyMs: PercentileSummary;
  ttftMs: PercentileSummary;
  outputTokens: number;
  costUsd: number;
}

/** Listen with `run.on('sample', (e) => c.record(e.sample))`, read `stats()` at the end. */
export class ModelBreakdown {
  private readonly models = new Map<
    string,
    {
      n: number;
      outcomes: OutcomeCounts;
      latency: MetricHistogram;
      ttft: MetricHistogram;
      out: number;
      cost: number;
    }
  >();

  record(s: RequestSample): void {
    let m = this.models.get(s.model);
    if (!m) {
      m = {
        n: 0,
        outcomes: Object.fromEntries(outcomes.map((o) => [o, 0])) as OutcomeCounts,
        latency: new MetricHistogram(),
        ttft: new MetricHistogram(),
        out: 0,
        cost: 0,
      };
      this.models.set(s.model, m);
    }
    m.n++;
    m.outcomes[s.outcome]++;
    m.cost += s.costUsd;
    m.out += s.outputTokens;
    if (s.outcome === 'ok') {
      m.latency.record(s.endAt - s.intendedAt);
      if (s.firstTextAt !== undefined) m.ttft.record(s.firstTextAt - s.sentAt);
    }
  }

  stats(): ModelStats[] {
    return [...this.models.entries()]
      .sort((a, b) => b[1].n - a[1].n)
      .map(([model, m]) => ({
        model,
        requests: m.n,
        outcomes: { ...m.outcomes },
        latencyMs: m.latency.summary(),
        ttftMs: m.ttft.summary(),
        outputTokens: m.out,
        costUsd: m.cost,
      }));
  }
}

export function modelBreakdown(samples: Iterable<RequestSample>): ModelStats[] {
  const b = new ModelBreakdown();
  for (const s of samples) b.record(s);
  return b.stats();
}

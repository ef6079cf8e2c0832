// Per-model metrics of a mix run (like k6's tags): latency, outcomes, tokens and cost per model, from
// the same samples as the run's totals. Two histograms per model: memory stays bounded.
import { outcomes, type ModelStats, type OutcomeCounts, type RequestSample } from '../model/run';
import { MetricHistogram } from '../metrics/histogram';

export type { ModelStats } from '../model/run';

interface ModelAggregate {
  n: number;
  outcomes: OutcomeCounts;
  latency: MetricHistogram;
  ttft: MetricHistogram;
  input: number;
  output: number;
  cost: number;
}

/** Listen with `run.on('sample', (e) => c.record(e.sample))`, read `stats()` at the end. */
export class ModelBreakdown {
  private readonly models = new Map<string, ModelAggregate>();

  /** How many distinct models were seen. */
  get size(): number {
    return this.models.size;
  }

  record(s: RequestSample): void {
    let m = this.models.get(s.model);
    if (!m) {
      m = {
        n: 0,
        outcomes: Object.fromEntries(outcomes.map((o) => [o, 0])) as OutcomeCounts,
        latency: new MetricHistogram(),
        ttft: new MetricHistogram(),
        input: 0,
        output: 0,
        cost: 0,
      };
      this.models.set(s.model, m);
    }
    m.n++;
    m.outcomes[s.outcome]++;
    m.cost += s.costUsd;
    m.input += s.inputTokens;
    m.output += s.outputTokens;
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
        inputTokens: m.input,
        outputTokens: m.output,
        costUsd: m.cost,
      }));
  }
}

export function modelBreakdown(samples: Iterable<RequestSample>): ModelStats[] {
  const b = new ModelBreakdown();
  for (const s of samples) b.record(s);
  return b.stats();
}

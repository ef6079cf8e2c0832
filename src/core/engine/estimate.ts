// A pre-run cost estimate: how many requests the scenario will send and what they could cost.
import type { Catalog } from '../catalog/index';
import { findModel } from '../catalog/index';
import { seededRandom } from '../util/random';
import { createRequestFactory } from './prompts';
import { rampDurationMs } from './schedule';
import type { Scenario } from '../model/run';

export interface CostEstimate {
  /** Requests the scenario is expected to send (an upper bound where it can be computed). */
  requests: number;
  /** Every request generating max_tokens. */
  worstCaseUsd: number;
  /** How the request count was derived. */
  basis: string;
}

export function estimateScenarioCost(scenario: Scenario, catalog: Catalog): CostEstimate {
  const plan = createRequestFactory(scenario, catalog, seededRandom(scenario.seed));
  const sample = Array.from({ length: 20 }, (_, i) => plan(i));
  const perRequest = sample.reduce((a, p) => a + p.worstCaseCostUsd, 0) / sample.length;
  const load = scenario.load;
  const durationS = (scenario.durationMs ?? rampDurationMs(load) ?? 0) / 1000;
  let byTime = Infinity;
  let basis = 'requests';
  if (durationS > 0) {
    if (load.type === 'rate') byTime = Math.ceil(load.rps * durationS);
    else if (load.type === 'ramp') {
      let from = load.startRps;
      byTime = 0;
      for (const s of load.stages) {
        byTime += ((from + s.rps) / 2) * (s.durationMs / 1000);
        from = s.rps;
      }
      byTime = Math.ceil(byTime);
    } else {
      // Closed loop: each slot sends one request per (estimated) response time.
      const latencyS =
        scenario.models.reduce((a, m) => {
          // A gateway's own model id: assume a mid-range speed for the estimate.
          const sp = findModel(catalog, m.model)?.speed ?? { ttftMs: 1000, outputTokensPerSec: 60 };
          return a + m.share * (sp.ttftMs / 1000 + scenario.maxTokens / sp.outputTokensPerSec);
        }, 0) || 1;
      byTime = Math.ceil((load.concurrency * durationS) / Math.max(0.05, latencyS));
    }
    basis = scenario.requests !== undefined && scenario.requests < byTime ? 'requests' : 'duration';
  }
  const requests = Math.min(scenario.requests ?? Infinity, byTime);
  const n = Number.isFinite(requests) ? requests : 0;
  return { requests: n, worstCaseUsd: n * perRequest, basis };
}

// Plan vs measured: the newest saved sweep of the same model(s), tier and workload as a capacity plan,
// and the planner's own maximum for that plan on that tier, so the planner panel can show both and the
// gap. Pure (no Node, no DOM): the extension host calls it with the sweeps it read.
import type { PlanResult } from '../capacity/types';
import type { SweepResult } from './types';

/** Mean input/output tokens measured by the sweep may differ from the plan's by this share and still match. */
export const workloadTolerance = 0.25;

export interface MeasuredVsPredicted {
  sweep: SweepResult;
  tier: string;
  measuredRpm: number;
  /** Peak Messages RPM at which the plan's workload reaches 100 % of the tier's binding limit. */
  predictedRpm: number;
  /** (measured - predicted) / predicted x 100. */
  gapPct: number;
}

/** The tier a sweep ran against: the simulator's, or the one its prediction used (overrides stripped). */
function sweepTier(s: SweepResult): string | null {
  if (s.scenario.target.kind === 'simulator') return s.scenario.target.limits ? null : s.scenario.target.tier;
  const t = s.prediction?.tier;
  return t && !t.includes('(') ? t : null;
}

const near = (a: number, b: number) => Math.abs(a - b) <= workloadTolerance * Math.max(a, b, 1);

function sameModels(plan: PlanResult, s: SweepResult): boolean {
  const a = plan.models.map((m) => m.model).sort();
  const b = s.scenario.models.map((m) => m.model).sort();
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

/**
 * The newest sweep that measured this plan's model(s) on one of the plan's tiers with mean tokens per
 * request within 25 % of the plan's, with the planner's maximum for the plan on that tier; null when
 * none matches (or nothing passed in it).
 */
export function measuredVsPredicted(
  plan: PlanResult,
  sweeps: readonly SweepResult[],
): MeasuredVsPredicted | null {
  const newest = [...sweeps].sort((a, b) => b.endedAt.localeCompare(a.endedAt));
  for (const s of newest) {
    if (s.maxSustainableRpm === null || !s.prediction || !sameModels(plan, s)) continue;
    const tierName = sweepTier(s);
    const tier = plan.tiers.find((t) => t.name === tierName);
    if (!tier) continue;
    const w = s.prediction.workload;
    if (!near(w.inputTokens, plan.input.inputTokens) || !near(w.outputTokens, plan.input.outputTokens))
      continue;
    const u = tier.utilization;
    const worst = Math.max(u.rpm, u.itpm, u.otpm);
    if (!(worst > 0)) continue;
    const predictedRpm = plan.traffic.peakMessagesRpm / worst;
    return {
      sweep: s,
      tier: tier.name,
      measuredRpm: s.maxSustainableRpm,
      predictedRpm,
      gapPct: ((s.maxSustainableRpm - predictedRpm) / predictedRpm) * 100,
    };
  }
  return null;
}

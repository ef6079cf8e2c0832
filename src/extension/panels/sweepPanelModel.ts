// What the sweep panel's host sends, computed from core: the header info, and where the markers go
// (max sustainable rate, knee, what binds) for the steps so far or for a finished sweep. Pure (no
// vscode), so tests drive the webview with exactly what the host would send.
import type { SweepResult, SweepStep } from '../../core/index';
import { bindingOf, describeBinding, kneeOf, maxSustainable } from '../../core/sweep/index';
import type { SweepPanelAnalysis, SweepPanelInfo } from '../../shared/protocol/messages';

export function sweepTargetLabel(r: Pick<SweepResult, 'scenario'>): string {
  const t = r.scenario.target;
  return t.kind === 'simulator' ? `simulator (${t.tier})` : t.baseUrl;
}

export function sweepPanelInfo(r: SweepResult): SweepPanelInfo {
  return {
    name: r.name,
    target: sweepTargetLabel(r),
    mode: r.mode,
    slo: r.slo,
    startedAt: r.startedAt,
    stepDurationMs: r.settings.stepDurationMs,
    warmupMs: r.settings.warmupMs,
  };
}

/** Markers for the steps so far, from the same analysis the result uses. */
export function sweepPanelAnalysis(steps: readonly SweepStep[]): SweepPanelAnalysis {
  const best = maxSustainable(steps);
  const binding = bindingOf(steps);
  const rated = steps.filter((s) => s.offeredRps !== null);
  return {
    maxSustainableRps: best.rps,
    bindingRps: best.interval?.highRps ?? null,
    binding: binding.kind === 'none' ? null : describeBinding(binding),
    kneeRps: kneeOf(rated.map((s) => ({ x: s.offeredRps!, y: s.outputTokensPerSec }))),
  };
}

/** The result's own figures (what the saved sweep says), in the panel's shape. */
export function resultAnalysis(r: SweepResult): SweepPanelAnalysis {
  return {
    maxSustainableRps: r.maxSustainableRps,
    bindingRps: r.maxSustainableInterval?.highRps ?? null,
    binding: r.binding.kind === 'none' ? null : describeBinding(r.binding),
    kneeRps: r.kneeRps,
  };
}

// Before real money is spent: estimate the worst-case cost and ask above the confirm threshold.
import * as vscode from 'vscode';
import { estimateScenarioCost, fmtUsd, type CostEstimate, type Scenario } from '../core/index';
import type { Services } from './services';

/** `estimate`: another worst case than the load test's (a batch run's, at the batch price). */
export async function confirmCost(
  services: Services,
  scenario: Scenario,
  estimate: Pick<CostEstimate, 'requests' | 'worstCaseUsd'> = estimateScenarioCost(
    scenario,
    services.catalog(),
  ),
  what = 'load test',
): Promise<boolean> {
  if (scenario.target.kind === 'simulator') return true;
  const s = services.settings();
  const budget = scenario.maxCostUsd ?? (s.budgetPerRunUsd > 0 ? s.budgetPerRunUsd : undefined);
  const capped = budget !== undefined ? Math.min(estimate.worstCaseUsd, budget) : estimate.worstCaseUsd;
  if (capped <= s.confirmAboveUsd) return true;
  const run = 'Run';
  const answer = await vscode.window.showWarningMessage(
    `This ${what} may cost up to ${fmtUsd(capped)}.`,
    {
      modal: true,
      detail:
        `${estimate.requests} requests to ${scenario.target.baseUrl}, worst case ${fmtUsd(estimate.worstCaseUsd)} ` +
        `(every request using max_tokens)${budget !== undefined ? `, stopped by the ${fmtUsd(budget)} budget` : ''}. ` +
        `Typical cost is lower. Confirm threshold: claudeLoad.confirmAboveUsd = ${fmtUsd(s.confirmAboveUsd)}.`,
    },
    run,
  );
  return answer === run;
}

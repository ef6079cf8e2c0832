// A plan with "via": "batches" (Run Plan File, the planner's batch share): submits the workload as
// Message Batches on the simulator, or on the API with the user's key after the key policy and the cost
// confirmation; a cancellable progress notification shows the batch status counts (cancel = cancel the
// batches and wait until they have ended); then the results panel's batch section. The work is core's
// runBatchScenario; this file only asks, shows and saves.
import * as vscode from 'vscode';
import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import {
  BatchBudgetError,
  batchEndedText,
  batchFraction,
  batchProgressMessage,
  BatchRunError,
  BatchTargetError,
  DEFAULT_BATCH_REQUESTS,
  fmtUsd,
  liveComparison,
  runBatchScenario,
  SimulatorConfigError,
  timelineRecorder,
  workloadFromScenario,
  worstCaseUsd,
  type BatchReport,
  type BatchView,
  type Scenario,
} from '../core/index';
import { confirmCost } from './costGuard';
import { showBatchPanel } from './panels/reportPanel';
import { runsRoot, saveBatch } from './runStore';
import type { Services } from './services';

let running = false;

export interface BatchPlanOptions {
  sourceFile?: vscode.Uri;
}

/** Runs the scenario as Message Batches; resolves with what the panel shows (undefined if it did not run). */
export async function runBatchPlan(
  services: Services,
  scenario: Scenario,
  options: BatchPlanOptions = {},
): Promise<BatchView | undefined> {
  if (running) {
    void vscode.window.showWarningMessage('A batch run is already going: wait for it or cancel it first.');
    return undefined;
  }
  const { log } = services;
  const catalog = services.catalog();
  let apiKey: string | undefined;
  if (scenario.target.kind !== 'simulator') {
    const key = await services.keys.get();
    if (!key) {
      const setKey = 'Set API Key';
      const pick = await vscode.window.showErrorMessage(
        `No API key for ${scenario.target.baseUrl}. Set one, or target the simulator ("target": "simulator").`,
        setKey,
      );
      if (pick === setKey) await vscode.commands.executeCommand('claudeLoad.setApiKey');
      return undefined;
    }
    if (!(await services.keys.confirmHost(scenario.target.baseUrl))) return undefined;
    apiKey = key.key;
    const budget = services.settings().budgetPerRunUsd;
    if (scenario.maxCostUsd === undefined && budget > 0) scenario = { ...scenario, maxCostUsd: budget };
    const requests = scenario.requests ?? DEFAULT_BATCH_REQUESTS;
    const worst = worstCaseUsd(workloadFromScenario(scenario, requests, catalog));
    // A batch cannot be stopped at the budget halfway: it is refused before anything is submitted.
    if (scenario.maxCostUsd !== undefined && worst > scenario.maxCostUsd) {
      void vscode.window.showErrorMessage(
        `Not submitted: the worst case of this batch is ${fmtUsd(worst)} at the batch price, above the budget of ` +
          `${fmtUsd(scenario.maxCostUsd)} ("maxCostUsd" or claudeLoad.budgetPerRunUsd). Send fewer requests or raise it.`,
      );
      return undefined;
    }
    if (!(await confirmCost(services, scenario, { requests, worstCaseUsd: worst }, 'batch')))
      return undefined;
  }

  running = true;
  const startedAt = new Date().toISOString();
  const timeline = timelineRecorder();
  let report: BatchReport;
  try {
    report = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Batch "${scenario.name}"`,
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let done = 0;
        progress.report({ message: 'submitting…' });
        return runBatchScenario(scenario, {
          catalog,
          apiKey,
          signal: controller.signal,
          onEvent: (e) => {
            timeline.onEvent(e);
            if (e.type === 'progress') {
              const now = Math.round(batchFraction(e.counts) * 100);
              progress.report({ message: batchProgressMessage(e), increment: Math.max(0, now - done) });
              done = Math.max(done, now);
            } else if (e.type === 'submitted') {
              log.info(`Submitted ${e.batchId} (${e.requests} requests, batch ${e.index + 1} of ${e.of})`);
            } else if (e.type === 'canceling') {
              progress.report({ message: 'canceling: waiting until the batches have ended…' });
              log.info(`Canceling ${e.batchIds.join(', ')}`);
            } else if (e.type === 'warning') log.warn(e.message);
          },
        });
      },
    );
  } catch (e) {
    void vscode.window.showErrorMessage(batchFailureText(e, scenario));
    log.warn(`Batch run "${scenario.name}" failed: ${(e as Error).message}`);
    return undefined;
  } finally {
    running = false;
  }

  const view: BatchView = { report, timeline: timeline.points() };
  try {
    const folder = await saveBatch(runsRoot(services.context, services.settings()), report, startedAt);
    view.savedTo = vscode.workspace.asRelativePath(folder);
    log.info(`Saved the batch run to ${folder.fsPath}`);
  } catch (e) {
    log.warn(`Could not save batch.json: ${(e as Error).message}`);
  }
  // The same requests through the Messages API at the plan's load, when the plan asks (not after a cancel).
  if (scenario.batch?.compareLive && !report.canceled) {
    const live = await services.runs.start(
      { ...scenario, via: undefined, batch: undefined },
      { sourceFile: options.sourceFile },
    );
    if (live) {
      view.live = liveComparison(
        live.result,
        live.folder ? vscode.workspace.asRelativePath(live.folder) : undefined,
      );
    }
  }
  showBatchPanel(services, view);
  void vscode.window.showInformationMessage(batchEndedText(report));
  return view;
}

/** What went wrong, in words naming the fix; nothing was submitted unless it says so. */
export function batchFailureText(e: unknown, scenario: Scenario): string {
  const where = scenario.target.kind === 'simulator' ? 'the simulator' : scenario.target.baseUrl;
  if (e instanceof BatchBudgetError)
    return `Not submitted: ${e.message.replace('--max-cost', '"maxCostUsd"')}`;
  if (e instanceof BatchTargetError) return e.message.replace('--simulate', '"target": "simulator"');
  if (e instanceof SimulatorConfigError) return `Simulator: ${e.message}`;
  if (e instanceof BatchRunError) return `Batch run stopped: ${e.message}`;
  if (e instanceof APIConnectionError) return `Cannot reach ${where}: ${e.message}`;
  if (e instanceof APIError) return `The Batches API refused the batch: ${e.message}`;
  return `The batch run failed: ${(e as Error).message}`;
}

// The capacity planner panel (one instance). The webview posts raw form values; this side validates them at
// the boundary, plans with the current catalog and answers plan/result or plan/error. Its buttons save the
// plan as a plan file, copy it as Markdown, or load test it against the simulator. When a saved sweep
// measured the same model(s), tier and workload, plan/measured puts its max sustainable rate beside the
// planner's prediction.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { describeBinding, measuredVsPredicted, parseSweepFile } from '../../core/sweep/index';
import type { SweepResult } from '../../core/sweep/index';
import { listSweeps, runsRoot } from '../runStore';
import { describePrompts, fmtNumber, formatPlanMarkdown, parseScenario } from '../../core/index';
import type { PlanResult, Scenario } from '../../core/index';
import type { HostToPlanner, PlannerToHost } from '../../shared/protocol/messages';
import { isPlannerToHost } from '../../shared/protocol/guards';
import {
  defaultPlanInput,
  planToBatchPlanFile,
  planToPlanFile,
  PlanToScenarioError,
} from '../../core/planFile/fromCapacityPlan';
import type { PlanFileObject } from '../../core/planFile/fromCapacityPlan';
import { runBatchPlan } from '../batchRun';
import { showLatencyCharts } from '../commands/showLatencyCharts';
import type { Services } from '../services';
import { collectPlanProblems } from './planErrors';
import { openWebviewPanel } from '../webviews/vscodeWebviews';
import type { WebviewHandler, WebviewHost } from '../webviews/webviewHost';

/** workspaceState key of the planner's last raw input. */
export const plannerLastInputKey = 'claudeLoad.planner.lastInput';
const title = 'Claude: Plan Capacity';

export class PlannerPanel implements WebviewHandler<PlannerToHost, HostToPlanner>, vscode.Disposable {
  private static current: PlannerPanel | undefined;
  readonly app = 'planner';
  readonly title = title;
  readonly readyType = 'planner/ready';
  readonly isMessage = isPlannerToHost;
  readonly themeChanged = { type: 'theme/changed' } as const;
  private panel: vscode.WebviewPanel | undefined;
  private host: WebviewHost<PlannerToHost, HostToPlanner> | undefined;
  /** The last raw input the webview posted (valid or not), remembered across sessions. */
  private lastInput: Record<string, unknown>;
  /** The plan for lastInput; undefined while it is invalid. */
  private lastResult: PlanResult | undefined;
  /** Saved sweeps by sweep.json path, re-read only when the file changes. */
  private readonly sweeps = new Map<string, { mtime: number; sweep: SweepResult | null }>();

  /** Opens the planner, or reveals it; `input` (e.g. from a plan file) replaces what the form shows. */
  static show(services: Services, input?: Record<string, unknown>): PlannerPanel {
    const open = PlannerPanel.current;
    if (open) {
      open.panel?.reveal();
      if (input) void open.setInput(input);
      return open;
    }
    const planner = new PlannerPanel(services, input);
    PlannerPanel.current = planner;
    // From a plan file: beside it, so the file stays in view.
    const column = input ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    planner.panel = openWebviewPanel(services, 'claudeLoad.planner', planner, { column }).panel;
    return planner;
  }

  /** Closes the planner if it is open (extension deactivation). */
  static close(): void {
    PlannerPanel.current?.dispose();
  }

  private constructor(
    private readonly services: Services,
    input: Record<string, unknown> | undefined,
  ) {
    const state = services.context.workspaceState;
    this.lastInput =
      input ??
      state.get<Record<string, unknown>>(plannerLastInputKey) ??
      defaultPlanInput(services.settings().defaultModel);
    if (input) void state.update(plannerLastInputKey, input);
  }

  attach(host: WebviewHost<PlannerToHost, HostToPlanner>): void {
    this.host = host;
  }

  private post(message: HostToPlanner): void {
    this.host?.post(message);
  }

  /**
   * A new input from outside (a plan file). A live webview gets it now; a hidden or re-created one gets
   * it from restore(). The host's plan/init always wins over the webview's saved form.
   */
  private async setInput(input: Record<string, unknown>): Promise<void> {
    this.lastInput = input;
    this.lastResult = undefined;
    this.restore();
    await this.services.context.workspaceState.update(plannerLastInputKey, input);
  }

  /** Sends plan/init: the catalog's models and tiers and the input to show. */
  restore(): void {
    const catalog = this.services.catalog();
    this.post({
      type: 'plan/init',
      models: catalog.models
        .filter((m) => m.status !== 'retired')
        .map(({ id, displayName, status, family }) => ({ id, displayName, status, family })),
      tiers: catalog.tiers.map(({ name, displayName, kind }) => ({ name, displayName, kind })),
      input: this.lastInput,
      catalogAsOf: catalog.asOf,
    });
  }

  async onMessage(msg: PlannerToHost): Promise<void> {
    switch (msg.type) {
      case 'plan/input':
        return this.plan(msg.input);
      case 'plan/save':
        return this.saveAsPlanFile();
      case 'plan/copyMarkdown':
        return this.copyMarkdown();
      case 'plan/loadTest':
        return this.loadTest();
      case 'plan/batchTest':
        return this.batchTest();
    }
  }

  private async plan(input: Record<string, unknown>): Promise<void> {
    this.lastInput = input;
    const { answer, problems } = collectPlanProblems(input, this.services.catalog());
    this.lastResult = answer.ok ? answer.result : undefined;
    this.post(
      answer.ok
        ? { type: 'plan/result', result: answer.result }
        : { type: 'plan/error', field: answer.field, message: answer.message, problems },
    );
    if (answer.ok) await this.postMeasured(answer.result);
    await this.services.context.workspaceState.update(plannerLastInputKey, input);
  }

  /** The newest saved sweep matching the plan, beside the planner's prediction (null: none matches). */
  private async postMeasured(result: PlanResult): Promise<void> {
    const root = runsRoot(this.services.context, this.services.settings());
    const sweeps: SweepResult[] = [];
    for (const saved of await listSweeps(root)) {
      const file = join(saved.folder.fsPath, 'sweep.json');
      let hit = this.sweeps.get(file);
      if (!hit || hit.mtime !== saved.mtime) {
        let sweep: SweepResult | null = null;
        try {
          sweep = parseSweepFile(await readFile(file, 'utf8'), file);
        } catch (e) {
          this.services.log.warn(`Planner: skipped ${file}: ${(e as Error).message}`);
        }
        hit = { mtime: saved.mtime, sweep };
        this.sweeps.set(file, hit);
      }
      if (hit.sweep) sweeps.push(hit.sweep);
    }
    // The answer may belong to an older input if another edit arrived meanwhile: only the latest counts.
    if (this.lastResult !== result) return;
    const m = measuredVsPredicted(result, sweeps);
    this.post({
      type: 'plan/measured',
      measured: m && {
        sweepName: m.sweep.name,
        endedAt: m.sweep.endedAt,
        tier: m.tier,
        measuredRpm: m.measuredRpm,
        predictedRpm: m.predictedRpm,
        gapPct: m.gapPct,
        binding: describeBinding(m.sweep.binding),
      },
    });
  }

  /** The current plan, or a message saying why there is none. */
  private requireResult(): PlanResult | undefined {
    if (!this.lastResult) {
      void vscode.window.showWarningMessage(
        'Fix the highlighted planner field first: there is no valid plan yet.',
      );
    }
    return this.lastResult;
  }

  /** The plan file for a plan, checked as the engine will read it (a bad default tier shows up here). */
  private planFile(result: PlanResult): { plan: PlanFileObject; scenario: Scenario } {
    const plan = planToPlanFile(result, { defaultTier: this.services.settings().defaultTier });
    const scenario = parseScenario(plan, { catalog: this.services.catalog(), source: 'capacity plan' });
    return { plan, scenario };
  }

  private async saveAsPlanFile(): Promise<void> {
    const result = this.requireResult();
    if (!result) return;
    const { plan } = this.planFile(result);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const fileName = `${String(plan.name)}.claudeload.json`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      filters: { 'Claude load plan': ['json'] },
      saveLabel: 'Save plan file',
      title: 'Save the capacity plan as a load-test plan file',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(
      target,
      new TextEncoder().encode(JSON.stringify(plan, null, 2) + '\n'),
    );
    this.services.log.info(`Saved the capacity plan to ${target.fsPath}`);
    await vscode.window.showTextDocument(target, { preview: false });
  }

  private async copyMarkdown(): Promise<void> {
    const result = this.requireResult();
    if (!result) return;
    await vscode.env.clipboard.writeText(formatPlanMarkdown(result));
    vscode.window.setStatusBarMessage('$(check) Capacity plan copied as Markdown', 4000);
  }

  private async loadTest(): Promise<void> {
    const result = this.requireResult();
    if (!result) return;
    const { plan, scenario } = this.planFile(result);
    const load = scenario.load.type === 'rate' ? `${fmtNumber(scenario.load.rps, 2)} req/s` : 'the peak rate';
    const target = scenario.target.kind === 'simulator' ? scenario.target.tier : 'default';
    // The simulator is free and uses no key: no confirmation modal, just say what runs and show the charts.
    void vscode.window.showInformationMessage(
      `Load testing this plan on the simulator: ${result.model}, Poisson arrivals at ${load} for ` +
        `${plan.duration}, simulated tier ${target}; prompts: ${describePrompts(scenario.prompts)}. ` +
        'No API key is used and nothing is billed.',
    );
    await showLatencyCharts();
    await this.services.runs.start(scenario);
  }

  /** The batch share as a Message Batch on the simulator: the results panel's batch section. */
  private async batchTest(): Promise<void> {
    const result = this.requireResult();
    if (!result) return;
    let scenario: Scenario;
    try {
      const plan = planToBatchPlanFile(result, { defaultTier: this.services.settings().defaultTier });
      scenario = parseScenario(plan, { catalog: this.services.catalog(), source: 'capacity plan' });
    } catch (e) {
      if (!(e instanceof PlanToScenarioError)) throw e;
      void vscode.window.showWarningMessage(e.message);
      return;
    }
    await runBatchPlan(this.services, scenario);
  }

  /** The panel was closed. */
  onDispose(): void {
    if (PlannerPanel.current === this) PlannerPanel.current = undefined;
    this.host = undefined;
    this.panel = undefined;
  }

  dispose(): void {
    this.host?.dispose();
  }
}

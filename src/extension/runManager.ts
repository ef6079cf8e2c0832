// Runs one load test at a time through the core engine and re-broadcasts its events to the UI
// (progress notification, status bar, live view, results panel). It only listens to the engine.
import * as vscode from 'vscode';
import {
  appendWindows,
  describePrompts,
  emptyLiveWindows,
  EngineStartError,
  reportHooks,
  scrubRun,
  fmtMs,
  fmtUsd,
  startLoadTest,
  type Diagnosis,
  type LiveWindows,
  type LoadTestRun,
  type RunResult,
  type RunSummary,
  type Scenario,
  type TimeWindow,
} from '../core/index';
import type { LiveRunInfo, LiveTotals } from '../shared/protocol/messages';
import type { ApiKeyStore } from './apiKeys';
import type { Logger } from './logger';
import { runsRoot, saveRun } from './runStore';
import type { Settings } from './settings';
import type { Catalog } from '../core/index';

/** Everything the live view needs to redraw from scratch (it may be created mid-run). */
export interface RunSnapshot {
  info: LiveRunInfo;
  /** The newest windows (memory stays bounded however long the run) and the run's errors so far. */
  live: LiveWindows;
  totals: LiveTotals;
  summary?: RunSummary;
  diagnosis?: Diagnosis[];
  folder?: vscode.Uri;
  running: boolean;
}

export interface RunFinished {
  result: RunResult;
  folder: vscode.Uri | undefined;
  sourceFile?: vscode.Uri;
}

export interface StartRunOptions {
  /** The plan file the run came from, to offer "Open last report" on it. */
  sourceFile?: vscode.Uri;
}

const lastReportsKey = 'claudeLoad.lastReportByPlan';

export class RunManager implements vscode.Disposable {
  private readonly started = new vscode.EventEmitter<LiveRunInfo>();
  private readonly ticked = new vscode.EventEmitter<{ window: TimeWindow; totals: LiveTotals }>();
  private readonly warned = new vscode.EventEmitter<string>();
  private readonly finished = new vscode.EventEmitter<RunFinished>();
  readonly onDidStart = this.started.event;
  readonly onDidTick = this.ticked.event;
  readonly onDidWarn = this.warned.event;
  readonly onDidFinish = this.finished.event;
  private run: LoadTestRun | undefined;
  private snap: RunSnapshot | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: {
      settings: () => Settings;
      catalog: () => Catalog;
      keys: ApiKeyStore;
      log: Logger;
    },
  ) {}

  get isRunning(): boolean {
    return this.run !== undefined;
  }

  /** The current or last run, for views created after it started. */
  get snapshot(): RunSnapshot | undefined {
    return this.snap;
  }

  stop(): void {
    if (!this.run) return;
    this.deps.log.info('Stop requested: aborting in-flight requests; partial results will be saved.');
    this.run.abort();
  }

  lastReportFor(planFile: vscode.Uri): vscode.Uri | undefined {
    const map = this.context.workspaceState.get<Record<string, string>>(lastReportsKey, {});
    const folder = map[planFile.toString()];
    return folder ? vscode.Uri.parse(folder) : undefined;
  }

  /** Runs the scenario with a cancellable progress notification. Resolves when saved (or undefined if it could not start). */
  async start(scenario: Scenario, options: StartRunOptions = {}): Promise<RunFinished | undefined> {
    if (this.run) {
      void vscode.window.showWarningMessage(
        'A load test is already running. Stop it first (Claude: Stop Load Test).',
      );
      return undefined;
    }
    const settings = this.deps.settings();
    const { log } = this.deps;
    let apiKey: string | undefined;
    if (scenario.target.kind !== 'simulator') {
      const key = await this.deps.keys.get();
      if (!key) {
        const setKey = 'Set API Key';
        const sim = 'Use the simulator';
        const pick = await vscode.window.showErrorMessage(
          `No API key for ${scenario.target.baseUrl}. Set one, or run against the built-in simulator.`,
          setKey,
          sim,
        );
        if (pick === setKey) await vscode.commands.executeCommand('claudeLoad.setApiKey');
        return undefined;
      }
      if (!(await this.deps.keys.confirmHost(scenario.target.baseUrl))) return undefined;
      apiKey = key.key;
      // Real money: the budget setting applies unless the plan sets its own.
      if (scenario.maxCostUsd === undefined && settings.budgetPerRunUsd > 0) {
        scenario = { ...scenario, maxCostUsd: settings.budgetPerRunUsd };
      }
    }
    const run = startLoadTest(scenario, { ...reportHooks, apiKey, catalog: this.deps.catalog() });
    this.run = run;
    setRunningContext(true);
    const info: LiveRunInfo = {
      name: scenario.name,
      targetUrl: '',
      startedAt: new Date().toISOString(),
      load: scenario.load,
      models: scenario.models.map((m) => m.model),
      prompt: describePrompts(scenario.prompts),
      ...(scenario.durationMs !== undefined ? { durationMs: scenario.durationMs } : {}),
      ...(scenario.requests !== undefined ? { requests: scenario.requests } : {}),
      ...(scenario.maxCostUsd !== undefined ? { maxCostUsd: scenario.maxCostUsd } : {}),
    };
    run.on('start', (e) => {
      info.targetUrl = e.targetUrl;
      info.startedAt = e.startedAt;
      this.snap = {
        info,
        live: emptyLiveWindows(),
        totals: { sent: 0, completed: 0, inFlight: 0, costUsd: 0, elapsedS: 0 },
        running: true,
      };
      log.info(`Run "${scenario.name}" started against ${e.targetUrl}.`);
      this.started.fire(info);
    });
    run.on('tick', (e) => {
      if (!this.snap) return;
      appendWindows(this.snap.live, [e.window]);
      this.snap.totals = e.totals;
      if (Math.round(e.totals.elapsedS) % 5 === 0) {
        log.info(
          `${e.totals.elapsedS.toFixed(0)}s: sent ${e.totals.sent}, done ${e.totals.completed}, in flight ${e.totals.inFlight}, ` +
            `p95 ${fmtMs(e.window.latencyMs.p95)}, cost ${fmtUsd(e.totals.costUsd)}`,
        );
      }
      this.ticked.fire(e);
    });
    run.on('warning', (e) => {
      log.warn(e.message);
      this.warned.fire(e.message);
    });

    let result: RunResult;
    try {
      result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Claude load test "${scenario.name}"`,
          cancellable: true,
        },
        async (progress, token) => {
          token.onCancellationRequested(() => this.stop());
          const sub = this.ticked.event((e) =>
            progress.report({
              message: `${e.totals.completed} done, ${e.window.completed} req/s, p95 ${fmtMs(e.window.latencyMs.p95)}`,
            }),
          );
          try {
            return await run.done;
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (e) {
      this.run = undefined;
      setRunningContext(false);
      if (this.snap) this.snap.running = false;
      const message = e instanceof EngineStartError ? e.message : `the run failed: ${(e as Error).message}`;
      log.error(message);
      void vscode.window.showErrorMessage(`Claude load test could not start: ${log.mask(message)}`);
      return undefined;
    }
    this.run = undefined;
    setRunningContext(false);
    // A server may echo the key in error messages: the panel and the saved files get none of it.
    result = scrubRun(result, [apiKey]);
    let folder: vscode.Uri | undefined;
    try {
      folder = await saveRun(runsRoot(this.context, settings), result, this.context.extensionUri, [apiKey]);
      log.info(`Saved to ${folder.fsPath}`);
      if (options.sourceFile) {
        const map = this.context.workspaceState.get<Record<string, string>>(lastReportsKey, {});
        await this.context.workspaceState.update(lastReportsKey, {
          ...map,
          [options.sourceFile.toString()]: folder.toString(),
        });
      }
    } catch (e) {
      log.error(`Could not save the run: ${(e as Error).message}`);
    }
    const s = result.summary;
    log.info(
      `Run "${result.name}" ${s.stopReason}: ${s.requests.ok}/${s.requests.total} ok, p95 ${fmtMs(s.latencyMs.p95)}, ` +
        `TTFT p95 ${fmtMs(s.ttftMs.p95)}, ${fmtUsd(s.costUsd)}.`,
    );
    if (this.snap) {
      this.snap.summary = s;
      this.snap.diagnosis = result.diagnosis;
      this.snap.folder = folder;
      this.snap.running = false;
    }
    const done: RunFinished = { result, folder, sourceFile: options.sourceFile };
    this.finished.fire(done);
    return done;
  }

  dispose(): void {
    this.run?.abort();
    this.started.dispose();
    this.ticked.dispose();
    this.warned.dispose();
    this.finished.dispose();
  }
}

/** `claudeLoad.running` drives where Stop shows (view title, palette): only while a run is going. */
function setRunningContext(running: boolean): void {
  void vscode.commands.executeCommand('setContext', 'claudeLoad.running', running);
}

// Claude: Find Max Throughput: a sweep (the core's startSweep) against a plan file or the built-in
// simulator. Quick inputs ask for the tier, the rates, the SLO, the step length and the warm-up
// (pre-filled from the claudeLoad.sweep.* settings, each checked with a message naming the field). The
// sweep panel grows step by step; Stop (panel or notification) keeps the partial sweep. Saved as
// <results>/<stamp>-sweep-<name>/ (sweep.json, sweep.csv, report.html) beside runs, so Run History lists it.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { parseJsonc, parseScenario, reportHooks, type Scenario } from '../../core/index';
import { startSweep, sweepSentence, writeSweepOutputs } from '../../core/sweep/index';
import { SweepPanel } from '../panels/sweepPanel';
import { reportAssets, runFolderName, runsRoot } from '../runStore';
import type { Services } from '../services';
import { checkRates, checkSlo, checkSweepDuration, parseRates, parseSweepDuration } from './sweepInputs';

interface Target {
  file?: vscode.Uri;
}

async function pickTarget(arg: unknown): Promise<Target | undefined> {
  if (arg instanceof vscode.Uri) return { file: arg };
  const active = vscode.window.activeTextEditor?.document.uri;
  const items: (vscode.QuickPickItem & { uri?: vscode.Uri })[] = [
    { label: 'Built-in simulator', description: 'no API key, no cost' },
  ];
  if (active?.path.endsWith('.claudeload.json'))
    items.unshift({ label: vscode.workspace.asRelativePath(active), description: 'plan file', uri: active });
  const pick = await vscode.window.showQuickPick(items, { title: 'Find Max Throughput (1/5): target' });
  if (!pick) return undefined;
  return pick.uri ? { file: pick.uri } : {};
}

/** The simulated tier (simulator) or the tier the planner's prediction uses (a real target). */
async function pickTier(
  services: Services,
  simulated: boolean,
  current: string,
): Promise<string | undefined> {
  const tiers = services.catalog().tiers.filter((t) => t.kind !== 'custom');
  const items = tiers.map((t) => ({
    label: t.displayName,
    description: t.name === current ? `${t.name} (default)` : t.name,
    name: t.name,
  }));
  items.sort((a, b) => Number(b.name === current) - Number(a.name === current));
  const pick = await vscode.window.showQuickPick(items, {
    title: simulated
      ? 'Find Max Throughput (2/5): tier the simulator enforces'
      : "Find Max Throughput (2/5): your tier (for the planner's prediction)",
  });
  return pick?.name;
}

async function pickRates(): Promise<number[] | 'auto' | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Auto', description: 'search for the maximum (baseline, doubling, bisection)', auto: true },
      { label: 'Fixed rates…', description: 'steps at rates you give', auto: false },
    ],
    { title: 'Find Max Throughput (3/5): rates' },
  );
  if (!pick) return undefined;
  if (pick.auto) return 'auto';
  const text = await vscode.window.showInputBox({
    title: 'Find Max Throughput: rates in requests per second, comma-separated',
    value: '1,2,5',
    validateInput: checkRates,
  });
  if (text === undefined) return undefined;
  const rates = parseRates(text);
  return Array.isArray(rates) ? rates : undefined;
}

async function askSlo(initial: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Find Max Throughput (4/5): SLO',
    prompt:
      'Bounds a rate must meet, comma-separated, on top of errors.rate<0.01 and rateLimited.rate<0.01: ' +
      'latency.p95<8000 (ms), ttft.p95<2000, errors.rate<0.05 (max error share). Empty: the defaults only.',
    value: initial,
    validateInput: checkSlo,
  });
}

async function askDuration(
  field: 'Step length' | 'Warm-up',
  initial: string,
  step: string,
): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: `Find Max Throughput (${step}): ${field.toLowerCase()}`,
    prompt:
      field === 'Step length'
        ? 'Measured window of each step, e.g. 30s or 2m'
        : 'Left out of each step’s statistics, e.g. 5s (0s for none)',
    value: initial,
    validateInput: (v) => checkSweepDuration(v, field),
  });
  if (text === undefined) return undefined;
  const r = parseSweepDuration(text, field);
  return 'ms' in r ? r.ms : undefined;
}

async function loadScenario(services: Services, target: Target, tier: string): Promise<Scenario> {
  const s = services.settings();
  const file = target.file;
  let raw: Record<string, unknown> = {
    name: 'simulator',
    target: { simulator: { tier, latency: s.simulator.latency, timeScale: s.simulator.timeScale } },
    model: s.defaultModel,
  };
  if (file) raw = parseJsonc((await vscode.workspace.openTextDocument(file)).getText(), file.fsPath) as never;
  // A plan file's simulator takes the tier picked; a real target keeps its own (the tier is for the prediction).
  const t = raw.target as { simulator?: Record<string, unknown> } | undefined;
  if (t?.simulator) t.simulator = { ...t.simulator, tier };
  // Each step sets its own load and duration; the plan only needs to be valid (as in the CLI).
  raw.load ??= { type: 'rate', rps: 1 };
  if (raw.requests === undefined && raw.duration === undefined) raw.duration = '1s';
  return parseScenario(raw, {
    catalog: services.catalog(),
    ...(file ? { baseDir: dirname(file.fsPath), source: file.fsPath } : {}),
  });
}

export function registerFindMaxThroughput(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('claudeLoad.findMaxThroughput', async (arg?: unknown) => {
    const settings = services.settings();
    const target = await pickTarget(arg);
    if (!target) return;
    // Whether the plan file targets the simulator decides what the tier means.
    let simulated = !target.file;
    if (target.file) {
      try {
        const raw = parseJsonc(
          (await vscode.workspace.openTextDocument(target.file)).getText(),
          target.file.fsPath,
        ) as { target?: { simulator?: unknown } };
        simulated = raw.target?.simulator !== undefined;
      } catch (e) {
        void vscode.window.showErrorMessage(`Find Max Throughput: ${(e as Error).message}`);
        return;
      }
    }
    const tier = await pickTier(
      services,
      simulated,
      simulated ? settings.simulator.tier : settings.defaultTier,
    );
    if (!tier) return;
    const rates = await pickRates();
    if (!rates) return;
    const slo = await askSlo(settings.sweep.slo);
    if (slo === undefined) return;
    const stepDurationMs = await askDuration('Step length', settings.sweep.stepDuration, '5/5');
    if (stepDurationMs === undefined) return;
    const warmupMs = await askDuration('Warm-up', settings.sweep.warmup, '5/5');
    if (warmupMs === undefined) return;

    let scenario: Scenario;
    try {
      scenario = await loadScenario(services, target, tier);
    } catch (e) {
      void vscode.window.showErrorMessage(`Find Max Throughput: ${(e as Error).message}`);
      return;
    }
    let apiKey: string | undefined;
    if (scenario.target.kind !== 'simulator') {
      const key = await services.keys.get();
      if (!key) {
        void vscode.window.showErrorMessage('No API key: run Claude: Set API Key, or pick the simulator.');
        return;
      }
      // The same key policy as runs: a shared plan file must not be able to collect the key.
      if (!(await services.keys.confirmHost(scenario.target.baseUrl))) return;
      apiKey = key.key;
    }
    const controller = new AbortController();
    const sloList = slo.trim() ? [slo] : [];
    const run = startSweep(
      {
        scenario,
        mode: rates === 'auto' ? 'auto' : 'rates',
        ...(rates === 'auto' ? {} : { rates }),
        stepDurationMs,
        warmupMs,
        slo: sloList,
        ...(scenario.target.kind === 'simulator' ? {} : { tier }),
      },
      { ...reportHooks, apiKey, catalog: services.catalog(), signal: controller.signal },
    );
    const panel = SweepPanel.forRun(
      services,
      {
        name: scenario.name,
        target: scenario.target.kind === 'simulator' ? `simulator (${tier})` : scenario.target.baseUrl,
        mode: rates === 'auto' ? 'auto' : 'rates',
        slo: sloList,
        startedAt: new Date().toISOString(),
        stepDurationMs,
        warmupMs,
      },
      () => controller.abort(),
    );
    run.on('start', (e) => panel.onEvent(e));
    run.on('step-start', (e) => panel.onEvent(e));
    run.on('step-progress', (e) => panel.onEvent(e));
    run.on('step', (e) => panel.onEvent(e));
    run.on('warning', (e) => services.log.warn(`Find Max Throughput: ${e.message}`));
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Find Max Throughput', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        run.on('step', (e) =>
          progress.report({
            message: `step ${e.step.index + 1}: ${e.step.achievedRps.toFixed(2)} req/s, p95 ${e.step.latency.p95.toFixed(0)} ms, ${e.step.pass ? 'pass' : 'fail'}`,
          }),
        );
        try {
          return await run.done;
        } catch (e) {
          void vscode.window.showErrorMessage(`Find Max Throughput: ${(e as Error).message}`);
          return undefined;
        }
      },
    );
    if (!result) return;
    let reportFile: string | undefined;
    try {
      const folderName = runFolderName({ name: `sweep-${result.name}`, startedAt: result.startedAt });
      const dir = vscode.Uri.joinPath(runsRoot(services.context, services.settings()), folderName);
      await mkdir(dir.fsPath, { recursive: true });
      const paths = await writeSweepOutputs(result, dir.fsPath, reportAssets(services.extensionUri).css);
      reportFile = paths.html;
      services.log.info(`Find Max Throughput: saved ${paths.sweepJson}`);
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Find Max Throughput: could not save the sweep: ${(e as Error).message}`,
      );
    }
    panel.finish(result, reportFile);
    void vscode.commands.executeCommand('claudeLoad.history.refresh');
    if (!panel.isOpen) {
      const open = 'Open Report';
      const pick = await vscode.window.showInformationMessage(
        sweepSentence(result),
        ...(reportFile ? [open] : []),
      );
      if (pick === open && reportFile) await vscode.env.openExternal(vscode.Uri.file(reportFile));
    }
  });
}

// Claude: Find Max Throughput: a sweep (the core's startSweep) against a plan file or the built-in
// simulator, with progress in a cancellable notification; Cancel stops and keeps the partial sweep.
// Saved as <results>/<stamp>-sweep-<name>/ (sweep.json, sweep.csv, report.html) beside runs.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { parseJsonc, parseScenario, reportHooks, type Scenario } from '../../core/index';
import { startSweep, sweepSentence, writeSweepOutputs } from '../../core/sweep/index';
import { reportAssets, runsRoot } from '../runStore';
import type { Services } from '../services';

async function pickScenario(services: Services, arg: unknown): Promise<Scenario | undefined> {
  let file = arg instanceof vscode.Uri ? arg : undefined;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (!file) {
    const items: (vscode.QuickPickItem & { uri?: vscode.Uri })[] = [
      { label: 'Built-in simulator (tier 1)', description: 'no API key, no cost' },
    ];
    if (active?.path.endsWith('.claudeload.json'))
      items.unshift({
        label: vscode.workspace.asRelativePath(active),
        description: 'plan file',
        uri: active,
      });
    const pick = await vscode.window.showQuickPick(items, { title: 'Find Max Throughput: target' });
    if (!pick) return undefined;
    file = pick.uri;
  }
  let raw: Record<string, unknown> = { target: { simulator: { tier: 'tier1' } } };
  if (file) raw = parseJsonc((await vscode.workspace.openTextDocument(file)).getText(), file.fsPath) as never;
  // Each step sets its own load and duration; the plan only needs to be valid (as in the CLI).
  raw.load ??= { type: 'rate', rps: 1 };
  if (raw.requests === undefined && raw.duration === undefined) raw.duration = '1s';
  return parseScenario(raw, {
    catalog: services.catalog(),
    ...(file ? { baseDir: dirname(file.fsPath), source: file.fsPath } : {}),
  });
}

async function pickRates(): Promise<number[] | 'auto' | undefined> {
  const pick = await vscode.window.showQuickPick(['Auto (search for the maximum)', 'Fixed rates…'], {
    title: 'Find Max Throughput: rates',
  });
  if (!pick) return undefined;
  if (pick.startsWith('Auto')) return 'auto';
  const text = await vscode.window.showInputBox({
    title: 'Rates in requests per second, comma-separated',
    value: '1,2,5',
    validateInput: (v) =>
      v.split(',').every((r) => Number(r) > 0)
        ? undefined
        : 'positive numbers separated by commas, e.g. 1,2,5',
  });
  return text === undefined ? undefined : text.split(',').map(Number);
}

export function registerFindMaxThroughput(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('claudeLoad.findMaxThroughput', async (arg?: unknown) => {
    let scenario: Scenario | undefined;
    try {
      scenario = await pickScenario(services, arg);
    } catch (e) {
      void vscode.window.showErrorMessage(`Find Max Throughput: ${(e as Error).message}`);
      return;
    }
    if (!scenario) return;
    const rates = await pickRates();
    if (!rates) return;
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
    const run = startSweep(
      {
        scenario,
        mode: rates === 'auto' ? 'auto' : 'rates',
        ...(rates === 'auto' ? {} : { rates }),
        stepDurationMs: 30_000,
        warmupMs: 5_000,
        slo: [],
      },
      { ...reportHooks, apiKey, catalog: services.catalog(), signal: controller.signal },
    );
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
    const stamp = result.startedAt.replace(/[:.]/g, '-').replace(/Z$/, '');
    const dir = vscode.Uri.joinPath(runsRoot(services.context, services.settings()), `${stamp}-sweep`);
    await mkdir(dir.fsPath, { recursive: true });
    const paths = await writeSweepOutputs(result, dir.fsPath, reportAssets(services.extensionUri).css);
    const open = 'Open Report';
    const pick = await vscode.window.showInformationMessage(sweepSentence(result), open);
    if (pick === open) await vscode.env.openExternal(vscode.Uri.file(paths.html));
  });
}

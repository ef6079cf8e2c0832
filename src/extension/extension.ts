// VS Code entry point: builds the shared services once and registers every command, view and provider.
// Each command lives in its own file under commands/; this file only wires them.
import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKeys';
import { Logger } from './logger';
import { RunManager } from './runManager';
import type { Services } from './services';
import { loadCatalog, readSettings, type Settings } from './settings';
import { SimulatorManager } from './simulatorManager';
import type { Catalog } from '../core/index';
import { registerApiKeyCommands } from './commands/apiKey';
import { registerNewPlan } from './commands/newPlan';
import { registerOpenReport } from './commands/openReport';
import { registerRunLoadTest } from './commands/runLoadTest';
import { registerRunPlanFile } from './commands/runPlanFile';
import { registerSimulatorCommands } from './commands/simulator';
import { registerStopLoadTest } from './commands/stopLoadTest';
import { registerRunResults } from './panels/runResults';
import { registerPlanCodeLens } from './planFiles/codeLens';
import { registerPlanDiagnostics } from './planFiles/diagnostics';
import { registerModelQuickFix } from './planFiles/modelFix';
import { registerLatencyView } from './views/latencyView';
import { registerShowLatencyCharts } from './commands/showLatencyCharts';
import { registerStatusBar } from './statusBar';
import { registerPlanCapacity } from './commands/planCapacity';
import { registerRunHistory } from './views/runHistory';
import { registerFindMaxThroughput } from './commands/findMaxThroughput';
import { registerRehearseScaling } from './commands/rehearseScaling';
import { registerCompareRuns } from './commands/compareRuns';

export function activate(context: vscode.ExtensionContext): Services {
  const log = new Logger();
  let settings: Settings = readSettings();
  let catalog: Catalog = loadCatalog(settings, (m) => {
    log.warn(m);
    void vscode.window.showWarningMessage(m);
  });
  const keys = new ApiKeyStore(context.secrets, context.globalState, log);
  const deps = { settings: () => settings, catalog: () => catalog, keys, log };
  const runs = new RunManager(context, deps);
  const simulator = new SimulatorManager(deps);
  const services: Services = {
    context,
    extensionUri: context.extensionUri,
    settings: () => settings,
    catalog: () => catalog,
    log,
    keys,
    runs,
    simulator,
  };
  context.subscriptions.push(
    log,
    keys,
    runs,
    simulator,
    // Settings are re-read on change so commands always see the current values.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('claudeLoad')) return;
      settings = readSettings();
      if (e.affectsConfiguration('claudeLoad.catalogFile'))
        catalog = loadCatalog(settings, (m) => log.warn(m));
    }),
  );
  for (const register of registrations) context.subscriptions.push(register(services));
  return services;
}

/** Every command/view/provider module's register function; each returns its disposables. */
const registrations: ((services: Services) => vscode.Disposable)[] = [
  registerRunLoadTest,
  registerRunPlanFile,
  registerStopLoadTest,
  registerApiKeyCommands,
  registerSimulatorCommands,
  registerNewPlan,
  registerOpenReport,
  registerPlanCodeLens,
  registerPlanDiagnostics,
  registerModelQuickFix,
  registerRunResults,
  registerLatencyView,
  registerShowLatencyCharts,
  registerStatusBar,
  registerPlanCapacity,
  registerRunHistory,
  registerFindMaxThroughput,
  registerCompareRuns,
  registerRehearseScaling,
];

export function deactivate(): void {}

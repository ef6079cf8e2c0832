// What every command, panel and view receives: settings, catalog, key store, logger and the run manager.
// Created once in activate(); commands stay thin by reaching everything through here.
import type * as vscode from 'vscode';
import type { Catalog } from '../core/index';
import type { ApiKeyStore } from './apiKeys';
import type { Logger } from './logger';
import type { RunManager } from './runManager';
import type { Settings } from './settings';
import type { SimulatorManager } from './simulatorManager';

export interface Services {
  context: vscode.ExtensionContext;
  extensionUri: vscode.Uri;
  settings(): Settings;
  catalog(): Catalog;
  log: Logger;
  keys: ApiKeyStore;
  runs: RunManager;
  simulator: SimulatorManager;
}

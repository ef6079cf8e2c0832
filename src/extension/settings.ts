// claudeLoad.* settings, read here and handed to the core as plain options.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { builtinCatalog, parseCatalogOverride, type Catalog } from '../core/index';

export interface Settings {
  defaultModel: string;
  /** Empty means the Anthropic API. */
  baseUrl: string;
  defaultTier: string;
  confirmAboveUsd: number;
  budgetPerRunUsd: number;
  resultsFolder: string;
  simulator: { tier: string; latency: 'realistic' | 'fast' | 'zero'; timeScale: number; port: number };
  catalogFile: string;
  /** Find Max Throughput's defaults (each asked again, pre-filled with these). */
  sweep: { slo: string; stepDuration: string; warmup: string };
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('claudeLoad');
  return {
    defaultModel: c.get('defaultModel', 'claude-sonnet-5-5'),
    baseUrl: c.get('baseUrl', '').trim(),
    defaultTier: c.get('defaultTier', 'build'),
    confirmAboveUsd: c.get('confirmAboveUsd', 1),
    budgetPerRunUsd: c.get('budgetPerRunUsd', 5),
    resultsFolder: c.get('resultsFolder', '.claude-load/runs'),
    simulator: {
      tier: c.get('simulator.tier', 'build'),
      latency: c.get('simulator.latency', 'realistic'),
      timeScale: c.get('simulator.timeScale', 1),
      port: c.get('simulator.port', 4010),
    },
    catalogFile: c.get('catalogFile', '').trim(),
    sweep: {
      slo: c.get('sweep.slo', 'latency.p95<8000, ttft.p95<2000'),
      stepDuration: c.get('sweep.stepDuration', '30s'),
      warmup: c.get('sweep.warmup', '5s'),
    },
  };
}

/** The catalog with the user's override file applied; a bad file is reported and ignored. */
export function loadCatalog(settings: Settings, report: (message: string) => void): Catalog {
  if (!settings.catalogFile) return builtinCatalog;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const file =
    isAbsolute(settings.catalogFile) || !folder ? settings.catalogFile : join(folder, settings.catalogFile);
  try {
    return parseCatalogOverride(builtinCatalog, readFileSync(file, 'utf8'), file);
  } catch (e) {
    report(`claudeLoad.catalogFile: ${(e as Error).message}. Using the built-in catalog.`);
    return builtinCatalog;
  }
}

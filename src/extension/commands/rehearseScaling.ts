// Claude: Rehearse Horizontal Scaling: asks instances, offered load, modes and duration, runs the core's
// runScale on the built-in simulator (redis-server from PATH) with a cancellable progress notification
// (Cancel kills every instance process and keeps the modes that finished), saves scale.json beside runs
// and opens the comparison panel. The org's limits come from the planner's tier (its last valid input),
// a plan file's simulator tier (CodeLens), or the default tier setting.
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { parseJsonc, parseScenario } from '../../core/index';
import { RedisServerMissingError, runScale, SCALE_MODES } from '../../core/scale/index';
import type { ScaleMode, ScaleResult } from '../../core/scale/index';
import { writeFileAtomic } from '../../core/util/atomicWrite';
import { plannerLastInputKey } from '../panels/plannerPanel';
import { ScalePanel } from '../panels/scalePanel';
import { runsRoot } from '../runStore';
import type { Services } from '../services';
import {
  instancesProblem,
  maxInstances,
  offeredProblem,
  offeredRps,
  parseInstances,
  parseModes,
  parseOffered,
  rehearsalBasis,
  RehearsalInputError,
  rehearsalMaxTokens,
} from './rehearsalBasis';
import { rehearsalBurstSeconds } from '../../core/scale/index';
import type { RehearsalBasis } from './rehearsalBasis';

const title = 'Rehearse Horizontal Scaling';

/** Skips the prompts (tests, e2e): every field given is validated like a typed answer. */
export interface RehearseArgs {
  instances?: number | string;
  offered?: number | string;
  modes?: string[];
  durationMs?: number;
  /** Replaces the tier's limits (small limits keep a test rehearsal light). */
  limits?: { rpm: number; itpm: number; otpm: number };
  planFile?: vscode.Uri;
}

const modeDetails: Record<ScaleMode, string> = {
  none: 'each instance alone, SDK retries on (how most apps run)',
  'fixed-window': 'the Redis INCR + EXPIRE per minute pattern',
  shared: 'the shared limiter (claude-load-scale/limiter) in every instance',
  queue: 'a BullMQ queue drained by workers through the shared limiter',
};

async function basisFor(services: Services, planFile: vscode.Uri | undefined): Promise<RehearsalBasis> {
  const settings = services.settings();
  const catalog = services.catalog();
  if (planFile) {
    const raw = parseJsonc((await vscode.workspace.openTextDocument(planFile)).getText(), planFile.fsPath);
    const scenario = parseScenario(raw, {
      catalog,
      baseDir: dirname(planFile.fsPath),
      source: planFile.fsPath,
    });
    const main = [...scenario.models].sort((a, b) => b.share - a.share)[0]?.model ?? settings.defaultModel;
    const tier = scenario.target.kind === 'simulator' ? scenario.target.tier : settings.defaultTier;
    return rehearsalBasis(catalog, { model: main, tier, source: vscode.workspace.asRelativePath(planFile) });
  }
  return rehearsalBasis(catalog, {
    plannerInput: services.context.workspaceState.get<Record<string, unknown>>(plannerLastInputKey),
    model: settings.defaultModel,
    tier: settings.defaultTier,
    source: 'the default tier setting',
  });
}

interface Answers {
  instances: number;
  offered: number;
  modes: ScaleMode[];
  durationMs: number;
}

async function ask(basis: RehearsalBasis, args: RehearseArgs): Promise<Answers | undefined> {
  const step = (n: number) => `${title} (${n}/4)`;
  const instancesText =
    args.instances !== undefined
      ? String(args.instances)
      : await vscode.window.showInputBox({
          title: step(1),
          prompt: `Instances: app processes sharing one API key (${basis.tierDisplayName} limits for ${basis.model}, from ${basis.source})`,
          value: String(Math.min(basis.instances ?? 4, maxInstances)),
          validateInput: instancesProblem,
        });
  if (instancesText === undefined) return undefined;
  const instances = parseInstances(instancesText);

  let offeredText = args.offered !== undefined ? String(args.offered) : undefined;
  if (offeredText === undefined) {
    const rpm = basis.limits.rpm;
    const items = [
      { label: '2x', description: 'over the limit: who draws 429s (default)' },
      { label: '1x', description: 'right at the limit' },
      { label: '0.5x', description: 'under the limit: what coordination costs in latency' },
      { label: 'Custom…', description: 'another multiple of the RPM limit' },
    ].map((i) => ({
      ...i,
      detail:
        i.label === 'Custom…'
          ? undefined
          : `${(offeredRps(basis.limits, Number(i.label.replace('x', ''))) || 0).toFixed(1)} req/s against ${rpm} RPM`,
    }));
    const pick = await vscode.window.showQuickPick(items, {
      title: step(2),
      placeHolder: 'Offered load, as a multiple of the RPM limit',
    });
    if (!pick) return undefined;
    offeredText =
      pick.label === 'Custom…'
        ? await vscode.window.showInputBox({
            title: step(2),
            prompt: 'Offered load: a multiple of the RPM limit, e.g. 1.5x',
            value: '3x',
            validateInput: offeredProblem,
          })
        : pick.label;
    if (offeredText === undefined) return undefined;
  }
  const offered = parseOffered(offeredText);

  let modeIds = args.modes;
  if (!modeIds) {
    const picks = await vscode.window.showQuickPick(
      SCALE_MODES.map((m) => ({ label: m, description: modeDetails[m], picked: true })),
      {
        title: step(3),
        placeHolder: 'Modes to compare (each runs in turn on the same load)',
        canPickMany: true,
      },
    );
    if (!picks) return undefined;
    modeIds = picks.map((p) => p.label);
  }
  const modes = parseModes(modeIds);

  let durationMs = args.durationMs;
  if (durationMs === undefined) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: '10 s', ms: 10_000, description: 'a quick look' },
        { label: '20 s', ms: 20_000, description: 'default' },
        { label: '60 s', ms: 60_000, description: 'a full minute of the per-minute limits' },
      ],
      { title: step(4), placeHolder: 'Measured time per mode' },
    );
    if (!pick) return undefined;
    durationMs = pick.ms;
  }
  if (!Number.isFinite(durationMs) || durationMs < 1000 || durationMs > 600_000) {
    throw new RehearsalInputError('Duration must be from 1 s to 10 min per mode.', 'Duration');
  }
  return { instances, offered, modes, durationMs };
}

async function save(services: Services, result: ScaleResult, startedAt: string): Promise<string> {
  const stamp = startedAt.replace(/[:.]/g, '-').replace(/Z$/, '');
  const dir = vscode.Uri.joinPath(runsRoot(services.context, services.settings()), `${stamp}-scale`);
  const file = join(dir.fsPath, 'scale.json');
  await writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

export async function rehearseScaling(services: Services, arg?: unknown): Promise<ScaleResult | undefined> {
  const args: RehearseArgs =
    arg instanceof vscode.Uri
      ? { planFile: arg }
      : typeof arg === 'object' && arg !== null
        ? (arg as RehearseArgs)
        : {};
  let basis: RehearsalBasis;
  let answers: Answers | undefined;
  try {
    basis = await basisFor(services, args.planFile);
    if (args.limits)
      basis = { ...basis, limits: args.limits, tierDisplayName: 'Custom', source: 'the command' };
    answers = await ask(basis, args);
  } catch (e) {
    void vscode.window.showErrorMessage(`${title}: ${(e as Error).message}`);
    return undefined;
  }
  if (!answers) return undefined;
  const startedAt = new Date().toISOString();
  const controller = new AbortController();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      progress.report({ message: 'starting redis-server and the simulator…' });
      try {
        return await runScale({
          instances: answers.instances,
          offeredRps: offeredRps(basis.limits, answers.offered),
          durationMs: answers.durationMs,
          modes: answers.modes,
          skew: 0,
          limits: basis.limits,
          burstSeconds: rehearsalBurstSeconds(basis.limits, rehearsalMaxTokens),
          model: basis.model,
          maxTokens: rehearsalMaxTokens,
          signal: controller.signal,
          log: (line) => {
            services.log.info(`rehearsal: ${line}`);
            progress.report({ message: line });
          },
        });
      } catch (e) {
        const message =
          e instanceof RedisServerMissingError
            ? 'redis-server was not found on PATH (the rehearsal starts its own on a free loopback port). ' +
              'Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis; ' +
              'Windows: inside WSL) and run the command again.'
            : (e as Error).message;
        void vscode.window.showErrorMessage(`${title}: ${message}`);
        return undefined;
      }
    },
  );
  if (!result) return undefined;
  if (result.modes.length === 0) {
    void vscode.window.showInformationMessage(`${title}: cancelled before a mode finished; nothing to show.`);
    return result;
  }
  try {
    const file = await save(services, result, startedAt);
    services.log.info(`rehearsal saved to ${file}`);
  } catch (e) {
    services.log.error(`rehearsal: could not save scale.json: ${(e as Error).message}`);
  }
  ScalePanel.show(services, {
    result,
    info: {
      model: basis.model,
      tierDisplayName: basis.tierDisplayName,
      source: basis.source,
      offeredMultiple: answers.offered,
      startedAt,
    },
    setup: basis.setup,
  });
  return result;
}

export function registerRehearseScaling(services: Services): vscode.Disposable {
  const command = vscode.commands.registerCommand('claudeLoad.rehearseScaling', (arg?: unknown) =>
    rehearseScaling(services, arg),
  );
  return vscode.Disposable.from(command, { dispose: () => ScalePanel.close() });
}

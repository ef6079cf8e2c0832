// `claude-load run --coordinator redis://host:6379 --agents N`: this process is one agent of a
// distributed run. It joins the run in Redis, sends its share of the one schedule from the shared start
// instant (through the shared limiter and budget when given), saves its own run under --out/agent-K,
// hands the run to the others through Redis, and the last agent to finish merges every agent's run
// into --out/run.json.
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  agentScenario,
  AgentShareError,
  defaultRunId,
  distributedKey,
  JoinError,
  joinRun,
  leaveRun,
  mergeAgentRuns,
  scheduleFingerprint,
  sharedBudgetGate,
  type JoinedRun,
} from '../core/distributed/index';
import { reportHooks, scrubSecrets, serializeRun, writeRunOutputs } from '../core/index';
import type { AdmissionGate, ReportAssets, Scenario } from '../core/index';
import { createLimiter, limiterGate, LimiterConfigError } from '../core/limiter/index';
import type { Limiter, LimitsOption } from '../core/limiter/index';
import { parseDuration } from '../core/util/duration';
import { CliError, EXIT, type CliIo } from './cliError';
import { executeRun, prepareOut, type ExecuteOptions } from './execute';
import { loadReportAssets } from './reportAssets';

export interface DistributedFlags {
  coordinator?: string;
  agents?: number;
  runId?: string;
  /** How long to wait for the other agents, e.g. 60s. */
  joinTimeout?: string;
  /** Limits of a shared limiter every agent honours: a tier name, or "rpm,itpm,otpm". */
  sharedLimits?: string;
  /** The shared limiter's namespace: an app's, so the test and the app share one org limit. */
  limiterNamespace?: string;
}

/** The flags go together: each problem names the flag and the fix. */
export function checkDistributedFlags(flags: DistributedFlags): boolean {
  const on = flags.coordinator !== undefined;
  if (!on) {
    for (const [flag, value] of [
      ['--agents', flags.agents],
      ['--run-id', flags.runId],
      ['--join-timeout', flags.joinTimeout],
      ['--shared-limits', flags.sharedLimits],
      ['--limiter-namespace', flags.limiterNamespace],
    ] as const)
      if (value !== undefined) throw new CliError(`${flag} needs --coordinator redis://HOST:PORT`);
    return false;
  }
  if (flags.agents === undefined)
    throw new CliError(
      '--coordinator needs --agents N (how many agents share the run, the same on every agent)',
    );
  if (flags.runId !== undefined && !/^[\w.:-]{1,100}$/.test(flags.runId))
    throw new CliError(`--run-id may hold letters, digits and . _ : - (at most 100), got "${flags.runId}"`);
  if (flags.limiterNamespace !== undefined) {
    if (flags.sharedLimits === undefined)
      throw new CliError('--limiter-namespace needs --shared-limits (the limits of that namespace)');
    if (!/^[^{}\s]{1,100}$/.test(flags.limiterNamespace))
      throw new CliError(
        `--limiter-namespace: 1-100 characters without spaces, { or } (the namespace your app's createLimiter uses), got "${flags.limiterNamespace}"`,
      );
  }
  return true;
}

/** --coordinator: a redis:// or rediss:// URL (a missing scheme is named as such). */
export function coordinatorFlag(text: string): string {
  if (/^rediss?:\/\/[^/\s]+/.test(text)) return text;
  if (/^[\w.-]+(:\d+)?$/.test(text))
    throw new CliError(`--coordinator: the scheme is missing: write redis://${text}`);
  throw new CliError(
    `--coordinator must be a redis:// or rediss:// URL, e.g. redis://host:6379 (got "${text}")`,
  );
}

/** "build" -> the tier's limits; "5000,5000000,1000000" -> rpm, itpm, otpm. */
export function sharedLimitsOption(text: string): LimitsOption {
  if (!/^[\d,._\s]+$/.test(text)) return { tier: text.trim() };
  const parts = text.split(',').map((p) => Number(p.trim().replace(/_/g, '')));
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n <= 0))
    throw new CliError(
      `--shared-limits takes a tier name (e.g. build) or three numbers RPM,ITPM,OTPM (e.g. 5000,5000000,1000000), got "${text}"`,
    );
  return { rpm: parts[0]!, itpm: parts[1]!, otpm: parts[2]! };
}

export type DistributedRunOptions = Pick<
  ExecuteOptions,
  'json' | 'out' | 'catalog' | 'apiKey' | 'reportAssets'
>;

/** Runs this process as one agent; returns the exit code. */
export async function runAsAgent(
  scenario: Scenario,
  flags: DistributedFlags,
  io: CliIo,
  opts: DistributedRunOptions,
): Promise<number> {
  const secrets = [opts.apiKey];
  const err = (text: string) => io.stderr.write(scrubSecrets(text, secrets));
  const fingerprint = scheduleFingerprint(scenario);
  const runId = flags.runId ?? defaultRunId(scenario);
  const out = opts.out ?? join('.claude-load', 'runs', `dist-${runId}`);
  await prepareOut(out);
  const limits = flags.sharedLimits !== undefined ? sharedLimitsOption(flags.sharedLimits) : undefined;
  let waitMs = 60_000;
  if (flags.joinTimeout !== undefined) waitMs = parseDuration(flags.joinTimeout, '--join-timeout');

  // Everything that can be refused is checked before joining, so a refusal never holds up the others.
  try {
    agentScenario(scenario, 0, flags.agents!);
  } catch (e) {
    if (e instanceof AgentShareError) throw new CliError(e.message);
    throw e;
  }
  let limiter: Limiter | undefined;
  if (limits) {
    try {
      limiter = await createLimiter({
        redis: flags.coordinator!,
        namespace: flags.limiterNamespace ?? `claude-load:${runId}`,
        limits: 'tier' in limits ? { tier: String(limits.tier), model: scenario.models[0]!.model } : limits,
        ...(scenario.target.kind === 'simulator' ? { timeScale: scenario.target.timeScale } : {}),
      });
    } catch (e) {
      if (e instanceof LimiterConfigError) throw new CliError(`--shared-limits: ${e.message}`);
      throw new CliError(
        `--coordinator: the shared limiter cannot start: ${(e as Error).message}`,
        EXIT.cannotStart,
      );
    }
  }

  // Ctrl-C while waiting for the others: leave the run (the slot is freed), exit 130.
  const joining = new AbortController();
  const onSignal = () => joining.abort();
  io.signals.on('SIGINT', onSignal);
  io.signals.on('SIGTERM', onSignal);
  let joined: JoinedRun;
  try {
    err(`run "${runId}": joining ${flags.coordinator} as one of ${flags.agents} agents\n`);
    joined = await joinRun({
      redisUrl: flags.coordinator!,
      runId,
      agents: flags.agents!,
      fingerprint,
      waitMs,
      label: `${hostname()} pid ${process.pid}`,
      signal: joining.signal,
    });
  } catch (e) {
    await limiter?.close();
    if (!(e instanceof JoinError)) throw e;
    if (e.kind === 'aborted') {
      err(`interrupted while waiting for the other agents: left run "${runId}"\n`);
      return EXIT.interrupted;
    }
    // Refused: the flags disagree with the run (nothing was sent); else Redis or the others let us down.
    throw new CliError(e.message, e.kind === 'refused' ? EXIT.badInput : EXIT.cannotStart);
  } finally {
    io.signals.off('SIGINT', onSignal);
    io.signals.off('SIGTERM', onSignal);
  }

  if (joined.reclaimed > 0)
    err(
      `run "${runId}": freed what ${joined.reclaimed} agent${joined.reclaimed === 1 ? '' : 's'} that had died (no heartbeat) held\n`,
    );
  try {
    const share = agentScenario(scenario, joined.agentId, joined.agents);
    const gates: AdmissionGate[] = [];
    if (scenario.maxCostUsd !== undefined)
      gates.push(
        sharedBudgetGate({
          redis: joined.redis,
          key: distributedKey(runId, 'budget'),
          maxCostUsd: scenario.maxCostUsd,
        }),
      );
    if (limiter) gates.push(limiterGate(limiter));
    const inS = Math.max(0, (joined.startAtLocal - Date.now()) / 1000);
    err(
      `agent ${joined.agentId + 1} of ${joined.agents}: sends requests i with i mod ${joined.agents} = ${joined.agentId}, ` +
        `starting at ${new Date(joined.startAt).toISOString()} (in ${inS.toFixed(1)} s; clock offset to Redis ${joined.clockOffsetMs.toFixed(0)} ms)\n`,
    );
    const agentOut = join(out, `agent-${joined.agentId + 1}`);
    const outcome = await executeRun(share, io, {
      json: opts.json,
      out: agentOut,
      catalog: opts.catalog,
      apiKey: opts.apiKey,
      reportAssets: opts.reportAssets,
      engine: { shouldSend: joined.owns, startAt: joined.startAtLocal, gates },
    });
    // Hand the run over through Redis (agents on other machines cannot read this disk).
    let handed: { finished: number; last: boolean };
    try {
      handed = await joined.finish(
        scrubSecrets(serializeRun(outcome.result), secrets),
        outcome.interrupted ? 'left' : 'done',
      );
    } catch (e) {
      err(
        `could not hand this agent's run to the coordinator (${(e as Error).message}); it is saved in ${agentOut}: ` +
          `merge the agents' folders with claude-load report --merge\n`,
      );
      return outcome.exitCode === EXIT.interrupted ? outcome.exitCode : EXIT.cannotStart;
    }
    if (outcome.interrupted)
      err(`told run "${runId}" that agent ${joined.agentId + 1} left (its partial run counts)\n`);
    if (!handed.last) {
      err(
        `${handed.finished} of ${joined.agents} agents finished; the last one to finish merges the run into its --out\n`,
      );
      return outcome.exitCode;
    }
    const mergeCode = await mergeAsLast(joined, scenario, out, io, secrets, opts.reportAssets);
    // Exit codes keep their order: interrupted first, then could-not-save (the merge), then the run's.
    return outcome.interrupted || mergeCode === EXIT.ok ? outcome.exitCode : mergeCode;
  } catch (e) {
    // Failed after joining (e.g. the target refused): the others must not wait for this agent's run.
    const left = await leaveRun(joined).catch(() => undefined);
    if (left?.last && (await joined.results().catch(() => [])).length > 0)
      await mergeAsLast(joined, scenario, out, io, secrets, opts.reportAssets);
    throw e;
  } finally {
    await limiter?.close();
    await joined.close();
  }
}

/** The last agent: every agent's run from Redis, merged into out/run.json (+ CSV and report). */
async function mergeAsLast(
  joined: JoinedRun,
  scenario: Scenario,
  out: string,
  io: CliIo,
  secrets: (string | undefined)[],
  reportAssets: (() => ReportAssets) | undefined,
): Promise<number> {
  const err = (text: string) => io.stderr.write(scrubSecrets(text, secrets));
  try {
    const runs = await joined.results();
    const merged = mergeAgentRuns(runs, { ...reportHooks, scenario });
    let assets: ReportAssets | undefined;
    try {
      assets = (reportAssets ?? loadReportAssets)();
    } catch (e) {
      err(`no report.html: ${(e as Error).message}\n`);
    }
    const paths = await writeRunOutputs(merged, out, assets, secrets);
    await joined.markMerged(`${hostname()}:${paths.runJson}`);
    const left = runs.filter((r) => r.how === 'left').map((r) => r.agentId + 1);
    const s = merged.summary;
    err(
      `merged the runs of ${runs.length} agent${runs.length === 1 ? '' : 's'}: ${paths.runJson} (${s.requests.total} requests, ${s.requests.ok} ok)` +
        (left.length ? `; agent ${left.join(', ')} was interrupted: its part is partial` : '') +
        '\n',
    );
    return EXIT.ok;
  } catch (e) {
    err(`could not merge the agents' runs: ${(e as Error).message}\n`);
    return EXIT.cannotStart;
  }
}

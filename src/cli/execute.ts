// Running a scenario from the terminal, shared by `run` and `demo`: the key policy, the output folder
// checked before anything is sent, live progress, Ctrl-C / SIGTERM, saving, the summary, the exit code.
import {
  EngineStartError,
  judgeKeyHost,
  OutputDirError,
  prepareOutputDir,
  reportHooks,
  scrubSecrets,
  startLoadTest,
  writeRunOutputs,
} from '../core/index';
import type { Catalog, EngineOptions, ReportAssets, RunResult, Scenario } from '../core/index';
import { CliError, EXIT, type CliIo, type CliSignal } from './cliError';
import { loadReportAssets } from './reportAssets';
import { jsonSummary, progressLine, summaryText } from './runOutput';

export interface KeyPolicyInput {
  apiKey: string | undefined;
  /** The plan file that named the target, for the message. */
  source?: string;
  /** --base-url: the user typed this URL, so the key may go there. */
  baseUrlFlag?: string;
  /** --allow-host values and CLAUDE_LOAD_ALLOWED_HOSTS entries. */
  allowHosts: string[];
}

/**
 * The environment key goes only to https://api.anthropic.com, to the URL given with --base-url, or to
 * allow-listed hosts: a shared plan file must not be able to collect it. Exit 3 otherwise.
 */
export function checkKeyPolicy(scenario: Scenario, input: KeyPolicyInput): void {
  if (scenario.target.kind === 'simulator' || !input.apiKey) return;
  const allowed = [...input.allowHosts, ...(input.baseUrlFlag ? [input.baseUrlFlag] : [])];
  const verdict = judgeKeyHost(scenario.target.baseUrl, allowed);
  if (verdict.kind === 'trusted') return;
  if (verdict.kind === 'refused')
    throw new CliError(`ANTHROPIC_API_KEY is not sent: ${verdict.reason}.`, EXIT.cannotStart);
  throw new CliError(
    `${input.source ? `${input.source} sends` : 'this run sends'} requests to ${verdict.origin}, which is not ` +
      `api.anthropic.com, so ANTHROPIC_API_KEY is not sent there. If you trust that host, allow it with ` +
      `--allow-host ${verdict.host} (or CLAUDE_LOAD_ALLOWED_HOSTS=${verdict.host}), or give the URL with --base-url.`,
    EXIT.cannotStart,
  );
}

export interface ExecuteOptions {
  json: boolean;
  out?: string;
  catalog?: Catalog;
  /** The key in use: sent by the engine, scrubbed from every file and line this prints. */
  apiKey?: string;
  /** Print no summary table (default: print it unless json). */
  quiet?: boolean;
  /** Report app override (tests); default: the built dist/webview. */
  reportAssets?: () => ReportAssets;
  /** Distributed runs: this agent's share of the schedule, the shared start instant, shared gates. */
  engine?: Pick<EngineOptions, 'shouldSend' | 'startAt' | 'gates'>;
}

export interface ExecuteOutcome {
  result: RunResult;
  exitCode: number;
  interrupted: boolean;
  /** Where run.json went, or undefined (no --out, or saving failed). */
  savedRunJson?: string;
}

/** The exit code of a finished run; the first that applies wins (see EXIT). */
export function exitCodeOf(result: RunResult, state: { interrupted: boolean; saveFailed: boolean }): number {
  if (state.interrupted) return EXIT.interrupted;
  if (state.saveFailed) return EXIT.cannotStart;
  if (result.summary.requests.ok === 0) return EXIT.noSuccess;
  if (result.summary.thresholds.some((t) => !t.pass)) return EXIT.thresholdFailed;
  return EXIT.ok;
}

/** Checks (or creates) the --out folder before anything is sent: exit 2 when it cannot be used. */
export async function prepareOut(out: string): Promise<void> {
  try {
    await prepareOutputDir(out);
  } catch (e) {
    if (e instanceof OutputDirError) throw new CliError(`--out: ${e.message}`, EXIT.badInput);
    throw e;
  }
}

/** Runs a scenario with terminal progress, Ctrl-C / SIGTERM cancellation (partial results kept) and outputs. */
export async function executeRun(
  scenario: Scenario,
  io: CliIo,
  opts: ExecuteOptions,
): Promise<ExecuteOutcome> {
  const secrets = [opts.apiKey];
  const err = (text: string) => io.stderr.write(scrubSecrets(text, secrets));
  const out = (text: string) => io.stdout.write(scrubSecrets(text, secrets));
  if (opts.out) await prepareOut(opts.out);

  const controller = new AbortController();
  let interruptedBy: CliSignal | undefined;
  const tty = io.stderr.isTTY === true;
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const listener = () => {
      if (interruptedBy) {
        err(`\n${signal} again: quitting without saving\n`);
        io.exitNow(EXIT.interrupted);
        return;
      }
      interruptedBy = signal;
      err(`\n${signal}: stopping, aborting in-flight requests, then saving (Ctrl-C again quits at once)\n`);
      controller.abort();
    };
    io.signals.on(signal, listener);
    return { signal, listener };
  });

  const run = startLoadTest(scenario, {
    ...opts.engine,
    ...reportHooks,
    apiKey: opts.apiKey,
    catalog: opts.catalog,
    signal: controller.signal,
  });
  run.on('start', (e) => err(`${scenario.name}: sending to ${e.targetUrl}\n`));
  run.on('tick', (e) => {
    if (tty) err(`\r${progressLine(e)}\x1b[K`);
    else if (Math.round(e.totals.elapsedS) % 5 === 0) err(`${progressLine(e)}\n`);
  });
  run.on('warning', (e) => err(`${tty ? '\n' : ''}warning: ${e.message}\n`));
  let result: RunResult;
  try {
    result = await run.done;
  } catch (e) {
    if (e instanceof EngineStartError) throw new CliError(scrubSecrets(e.message, secrets), EXIT.cannotStart);
    throw e;
  } finally {
    for (const { signal, listener } of listeners) io.signals.off(signal, listener);
    if (tty) err('\n');
  }

  // Saved before printing, but a failure to save never hides the summary.
  let saveFailed = false;
  let savedRunJson: string | undefined;
  if (opts.out) {
    try {
      let assets: ReportAssets | undefined;
      try {
        assets = (opts.reportAssets ?? loadReportAssets)();
      } catch (e) {
        err(`no report.html: ${(e as Error).message}\n`);
      }
      const paths = await writeRunOutputs(result, opts.out, assets, secrets);
      savedRunJson = paths.runJson;
      err(`saved ${paths.runJson}\n${paths.html ? `report ${paths.html}\n` : ''}`);
    } catch (e) {
      saveFailed = true;
      err(`could not save the results into ${opts.out}: ${(e as Error).message}\n`);
    }
  }
  const interrupted = interruptedBy !== undefined;
  if (opts.json) out(JSON.stringify({ ...jsonSummary(result), interrupted }, null, 2) + '\n');
  else if (!opts.quiet)
    out(
      (interrupted ? `interrupted by ${interruptedBy}: partial results\n` : '') + summaryText(result) + '\n',
    );
  return { result, exitCode: exitCodeOf(result, { interrupted, saveFailed }), interrupted, savedRunJson };
}

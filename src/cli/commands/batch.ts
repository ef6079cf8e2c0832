// claude-load batch: the plan's workload through the Message Batches API (or the simulator's), with a
// live progress line on stderr and the result (text or JSON) on stdout. Options arrive validated.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import {
  BatchBudgetError,
  BatchRunError,
  BatchTargetError,
  batchCountsText,
  builtinCatalog,
  DEFAULT_BATCH_REQUESTS,
  formatDuration,
  JsoncError,
  parseJsonc,
  parseScenario,
  OUTPUT_300K_BETA,
  runBatchScenario,
  ScenarioError,
  SimulatorConfigError,
  writeBatchFile,
} from '../../core/index';
import type { BatchEvent, BatchReport, Catalog, Scenario } from '../../core/index';
import { Command } from 'commander';
import { fmtUsd } from '../../core/format/format';
import { parseDuration } from '../../core/util/duration';
import { loadCatalogOption } from '../catalogOption';
import { CliError, EXIT } from '../cliError';
import { cliCommand } from '../command';
import { prepareOut } from '../execute';
import { durationFlag, numberFlag } from '../options';
import type { CliIo } from '../cliError';

/**
 * Validated options of `claude-load batch [plan file]`. Flags (validation belongs to the parser):
 *   --requests N         integer >= 1 (default: the plan's "requests", else 100)
 *   --simulate[=TIER]    the in-process simulator (tier start|build|scale|tier1..tier4; default build)
 *   --poll D             longest wait between polls, a duration > 0 (default: the plan's batch.poll,
 *                        else 10s); polls start at min(500ms, D) and double
 *   --output-300k        send the output-300k-2026-03-24 beta (max_tokens up to 300K on Sonnet 5/5.5)
 *   --json               the report as JSON on stdout
 *   --out DIR            write DIR/batch.json (versioned, atomic)
 *   --max-cost USD       number > 0: refuse to submit when the worst case at the batch price is above
 *   --batch-latency D    simulator: median time for one request of a batch to finish (default 10m)
 *   --time-scale X       simulator: number > 0, simulated time runs X times faster
 *   --tier NAME          tier whose Messages limits the comparison uses (default: the simulator's, else build)
 *   --model ID, --max-tokens N (integer >= 1), --catalog FILE (loaded into `catalog`)
 */
export interface BatchOptions {
  planFile?: string;
  requests?: number;
  /** true = the plan's simulator (or build); a string = that tier. */
  simulate?: boolean | string;
  /** Default: the plan's batch.poll, else 10 s. */
  pollMs?: number;
  json: boolean;
  output300k?: boolean;
  out?: string;
  maxCostUsd?: number;
  batchLatencyMs?: number;
  timeScale?: number;
  tier?: string;
  model?: string;
  maxTokens?: number;
  catalog?: Catalog;
  /** Aborts the run: the batches are canceled and the command waits until they have ended. */
  signal?: AbortSignal;
}

/** The scenario: the plan file's content, overridden by the flags. */
function scenarioOf(o: BatchOptions, catalog: Catalog): Scenario {
  let raw: Record<string, unknown> = {};
  let baseDir = process.cwd();
  if (o.planFile) {
    try {
      raw = parseJsonc(readFileSync(o.planFile, 'utf8'), o.planFile) as Record<string, unknown>;
    } catch (e) {
      throw new CliError(
        e instanceof JsoncError ? e.message : `plan file ${o.planFile}: ${(e as Error).message}`,
      );
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new CliError(`plan file ${o.planFile} must hold a JSON object`);
    }
    baseDir = dirname(resolve(o.planFile));
  }
  if (o.simulate !== undefined && o.simulate !== false) {
    const t = raw.target as { simulator?: Record<string, unknown> } | undefined;
    const sim = typeof t === 'object' && t?.simulator ? { ...t.simulator } : {};
    if (typeof o.simulate === 'string') sim.tier = o.simulate;
    raw.target = { simulator: sim };
  } else if (!o.planFile) {
    raw.target = 'anthropic';
  }
  if (o.model) {
    delete raw.mix;
    raw.model = o.model;
  }
  if (o.maxTokens !== undefined) raw.maxTokens = o.maxTokens;
  // Any plan runs as a batch here; a plan written for a load test keeps its settings but its
  // duration (a batch is a count of requests).
  if (raw.via !== 'batches') {
    raw.via = 'batches';
    delete raw.duration;
  }
  if (o.output300k) raw.batch = { ...(raw.batch as object | undefined), output300k: true };
  raw.requests = o.requests ?? (typeof raw.requests === 'number' ? raw.requests : DEFAULT_BATCH_REQUESTS);
  if (o.maxCostUsd !== undefined) raw.maxCostUsd = o.maxCostUsd;
  try {
    return parseScenario(raw, { catalog, baseDir, source: o.planFile });
  } catch (e) {
    if (e instanceof ScenarioError) throw new CliError(`${o.planFile ? `${o.planFile}: ` : ''}${e.message}`);
    throw e;
  }
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

export function progressText(e: Extract<BatchEvent, { type: 'progress' }>): string {
  return (
    `[${(e.elapsedMs / 1000).toFixed(0).padStart(4)}s] ${e.status}  ${batchCountsText(e.counts, '  ')}  ` +
    `(${e.batchesEnded}/${e.batches} batches ended)`
  );
}

export function batchSummaryText(r: BatchReport): string {
  const lines: string[] = [];
  const n = r.batches.length;
  lines.push(
    `${r.name}: ${fmtInt(r.requests)} requests of ${r.model} in ${n} batch${n === 1 ? '' : 'es'} -> ${r.baseUrl}`,
  );
  if (r.canceled) lines.push('canceled: unprocessed requests were canceled; the batches have ended');
  const scaled = r.timeScale !== 1 ? ` (simulated; time scale ${r.timeScale})` : '';
  lines.push(
    `turnaround ${r.turnaroundMs === null ? 'n/a' : formatDuration(r.turnaroundMs)} (submit -> ended)${scaled}, ` +
      `wall ${formatDuration(r.wallMs)}`,
  );
  if (r.completion) {
    const c = r.completion;
    lines.push(
      `per-request completion: p50 <= ${formatDuration(c.p50Ms)}, p95 <= ${formatDuration(c.p95Ms)}, max <= ${formatDuration(c.maxMs)} ` +
        `(seen by polling; resolution ${formatDuration(c.resolutionMs)})`,
    );
  }
  const o = r.outcomes;
  const errors = Object.entries(r.errors)
    .map(([k, v]) => `${k} ${fmtInt(v)}`)
    .join(', ');
  lines.push(
    `outcomes: succeeded ${fmtInt(o.succeeded)}, errored ${fmtInt(o.errored)}, canceled ${fmtInt(o.canceled)}, ` +
      `expired ${fmtInt(o.expired)}${errors ? ` (${errors})` : ''}`,
  );
  const t = r.tokens;
  lines.push(
    `tokens: input ${fmtInt(t.input)}, output ${fmtInt(t.output)}, cache read ${fmtInt(t.cacheRead)}, ` +
      `cache write ${fmtInt(t.cacheWrite)}`,
  );
  const k = r.cost;
  lines.push(
    `cost ${fmtUsd(k.batchUsd)} at the batch price; ${fmtUsd(k.messagesUsd)} through the Messages API: saving ` +
      `${fmtUsd(k.savingUsd)} (${Math.round(k.batchDiscount * 100)} % off input and output; catalog as of ${k.catalogAsOf})`,
  );
  const m = r.messagesApi;
  if (m) {
    lines.push(
      m.unavailable
        ? `Messages API: ${m.unavailable}`
        : `Messages API on the ${m.tier} tier: ${formatDuration(m.minutes * 60_000)} for ${fmtInt(r.requests)} requests ` +
            `at ${fmtInt(m.sustainableRpm)} RPM (bound by ${m.binding.toUpperCase()})`,
    );
  }
  return lines.join('\n');
}

export async function batchCommand(options: BatchOptions, io: CliIo): Promise<number> {
  const catalog = options.catalog ?? builtinCatalog;
  const scenario = scenarioOf(options, catalog);
  // A bad --out costs nothing: checked before any batch is submitted.
  if (options.out) await prepareOut(options.out);
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let lastPrinted = -Infinity;
  let lastStatus = '';
  const onEvent = (e: BatchEvent) => {
    if (e.type === 'split' && e.batches > 1) {
      io.stderr.write(
        `${fmtInt(e.requests)} requests split into ${e.batches} batches (100,000 / 256 MB limits)\n`,
      );
    } else if (e.type === 'submitted') {
      io.stderr.write(`${tty ? '\r\x1b[K' : ''}submitted ${e.batchId} (${fmtInt(e.requests)} requests)\n`);
    } else if (e.type === 'progress') {
      if (tty) io.stderr.write(`\r${progressText(e)}\x1b[K`);
      else if (e.status !== lastStatus || e.elapsedMs - lastPrinted >= 5000 || e.nextPollMs === 0) {
        io.stderr.write(progressText(e) + '\n');
        lastPrinted = e.elapsedMs;
      }
      lastStatus = e.status;
    } else if (e.type === 'canceling') {
      io.stderr.write(
        `${tty ? '\n' : ''}canceling ${e.batchIds.join(', ')}: waiting until they have ended\n`,
      );
    } else if (e.type === 'warning') {
      io.stderr.write(`${tty ? '\n' : ''}warning: ${e.message}\n`);
    }
  };

  let report: BatchReport;
  let baseUrl = scenario.target.kind === 'simulator' ? 'the simulator' : scenario.target.baseUrl;
  try {
    report = await runBatchScenario(scenario, {
      catalog,
      apiKey: io.env.ANTHROPIC_API_KEY,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      ...(options.tier !== undefined ? { tier: options.tier } : {}),
      ...(options.batchLatencyMs !== undefined ? { batchLatencyMs: options.batchLatencyMs } : {}),
      ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
      signal: options.signal,
      onEvent,
      onTarget: (t) => (baseUrl = t.baseUrl),
    });
  } catch (e) {
    if (e instanceof BatchTargetError) throw new CliError(e.message, EXIT.cannotStart);
    if (e instanceof SimulatorConfigError) throw new CliError(`simulator: ${e.message}`);
    if (e instanceof BatchBudgetError) throw new CliError(`--max-cost: ${e.message}`);
    if (e instanceof BatchRunError) throw new CliError(e.message, EXIT.cannotStart);
    if (e instanceof APIConnectionError) {
      throw new CliError(`cannot reach ${baseUrl}: ${e.message}`, EXIT.cannotStart);
    }
    if (e instanceof APIError) {
      const bad = e.status === 400 || e.status === 413;
      throw new CliError(
        `the Batches API refused the batch: ${e.message}`,
        bad ? EXIT.badInput : EXIT.cannotStart,
      );
    }
    throw e;
  } finally {
    if (tty) io.stderr.write('\n');
  }

  // Printed first: a folder that cannot be written never loses the results.
  io.stdout.write((options.json ? JSON.stringify(report, null, 2) : batchSummaryText(report)) + '\n');
  if (options.out) {
    try {
      io.stderr.write(`saved ${await writeBatchFile(options.out, report)}\n`);
    } catch (e) {
      throw new CliError(
        `--out ${options.out}: cannot save batch.json: ${(e as Error).message}`,
        EXIT.cannotStart,
      );
    }
  }
  // Ctrl-C: the batches were canceled (and ended); the partial results were printed and saved.
  return report.canceled ? EXIT.interrupted : EXIT.ok;
}

interface BatchParsed {
  requests?: number;
  simulate?: boolean | string;
  poll?: string;
  json?: boolean;
  output300k?: boolean;
  out?: string;
  maxCost?: number;
  batchLatency?: string;
  timeScale?: number;
  tier?: string;
  model?: string;
  maxTokens?: number;
  catalog?: string;
}

export const batchCli = cliCommand<BatchParsed>({
  name: 'batch',
  define: () =>
    new Command('batch')
      .summary('run the workload through the Message Batches API: turnaround, outcomes, the saving')
      .description(
        "Submits the plan's workload as Message Batches (split at 100,000 requests / 256 MB), polls with " +
          'backoff, downloads the results and reports turnaround, outcomes, tokens, the cost at the batch ' +
          'price and the saving against the Messages API. Ctrl-C cancels the batches and waits until they end.',
      )
      .usage('[plan.claudeload.json] [options]')
      .argument('[plan]', 'a plan file (*.claudeload.json); flags override it')
      .option(
        '--requests <n>',
        "requests in the workload (default: the plan's, else 100)",
        numberFlag('--requests', { int: true, max: 10_000_000 }),
      )
      .option('--simulate [tier]', 'the built-in simulator (no key, no cost), optionally at a tier')
      .option(
        '--poll <duration>',
        "longest wait between status polls (default: the plan's batch.poll, else 10s)",
        durationFlag('--poll'),
      )
      .option('--json', 'print the report as JSON')
      .option('--out <dir>', 'write batch.json there')
      .option('--max-cost <usd>', 'refuse to submit when the worst case costs more', numberFlag('--max-cost'))
      .option(
        '--batch-latency <duration>',
        'simulator: typical time for a request of a batch to finish',
        durationFlag('--batch-latency'),
      )
      .option(
        '--time-scale <x>',
        'simulator: run time this many times faster',
        numberFlag('--time-scale', { max: 1_000_000 }),
      )
      .option('--tier <tier>', 'tier whose Messages limits the saving is compared with')
      .option('--output-300k', `send the ${OUTPUT_300K_BETA} beta: max_tokens up to 300K (Sonnet 5 / 5.5)`)
      .option('--model <id>', 'model (overrides the plan)')
      .option(
        '--max-tokens <n>',
        'max_tokens (overrides the plan)',
        numberFlag('--max-tokens', { int: true }),
      )
      .option('--catalog <file>', 'a catalog override file (prices, limits, tiers)'),
  examples: [
    'claude-load batch --simulate --requests 2000 --time-scale 3600 --poll 100ms',
    'claude-load batch checkout.claudeload.json --max-cost 5 --out .claude-load/batches',
  ],
  run: async (p, [planFile], io) => {
    const controller = new AbortController();
    let stopping = false;
    const onSignal = () => {
      if (stopping) return io.exitNow(EXIT.interrupted);
      stopping = true;
      io.stderr.write('\ncanceling the batches and waiting until they end (Ctrl-C again quits at once)\n');
      controller.abort();
    };
    io.signals.on('SIGINT', onSignal);
    io.signals.on('SIGTERM', onSignal);
    try {
      return await batchCommand(
        {
          planFile,
          requests: p.requests,
          simulate: p.simulate,
          pollMs: p.poll !== undefined ? parseDuration(p.poll, '--poll') : undefined,
          output300k: p.output300k === true,
          json: p.json === true,
          out: p.out,
          maxCostUsd: p.maxCost,
          batchLatencyMs:
            p.batchLatency !== undefined ? parseDuration(p.batchLatency, '--batch-latency') : undefined,
          timeScale: p.timeScale,
          tier: p.tier,
          model: p.model,
          maxTokens: p.maxTokens,
          catalog: p.catalog !== undefined ? loadCatalogOption(p.catalog) : undefined,
          signal: controller.signal,
        },
        io,
      );
    } finally {
      io.signals.off('SIGINT', onSignal);
      io.signals.off('SIGTERM', onSignal);
    }
  },
});

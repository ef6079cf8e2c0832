// claude-load run: a load test from a plan file and/or flags. The CLI only listens to engine events.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  EngineStartError,
  JsoncError,
  parseJsonc,
  parseScenario,
  parseThresholdExpression,
  ScenarioError,
  serializeRun,
  reportHooks,
  startLoadTest,
  ThresholdError,
  timeseriesCsv,
  writeRunOutputs,
} from '../../core/index';
import type { RunResult, Scenario } from '../../core/index';
import { CliError, EXIT, type CliIo, type CommandFn } from '../cliError';
import { loadReportAssets } from '../reportAssets';
import { jsonSummary, progressLine, summaryText } from '../runOutput';
import { loadCatalogOption } from '../catalogOption';

export const runUsage = `Usage: claude-load run [plan.claudeload.json] [options]

Target (default: the plan's target, else the Anthropic API with ANTHROPIC_API_KEY):
  --simulate[=TIER]        built-in simulator in-process (start|build|scale|tier1..tier4; default build); no key
  --sim-latency MODE       simulator latency: realistic (default) | fast | zero
  --time-scale X           simulator time compression (default 1)
  --base-url URL           any Anthropic-compatible base URL
Workload:
  --model ID               model id (default claude-haiku-4-5)
  --max-tokens N           max_tokens per request (default 256)
  --stream | --no-stream   stream responses (default: stream; needed for TTFT)
  --prompt TEXT            fixed prompt (default "Respond with exactly: OK")
  --prompt-file F          a .jsonl file of Messages bodies, or a text file used as the prompt
  --input-tokens N         synthetic prompts of about N input tokens
Load:
  --concurrency N          closed loop: N requests in flight
  --rate R                 open loop: R requests/s  [--arrival constant|poisson] [--max-in-flight N]
  --requests N             stop after N requests (default 20 when no duration is given)
  --duration D             stop after D (e.g. 30s, 5m)
  --max-cost USD           stop sending before the cost could exceed USD
  --retries none|sdk       none (default): 429/529 are measured; sdk: the SDK retries (attempts counted)
  --timeout D              per-request timeout (default 10m)
Results:
  --threshold EXPR         e.g. "ttft.p95<1500" (repeatable); exit code 1 when one fails
  --out DIR                write run.json, timeseries.csv and report.html into DIR
  --json                   print one JSON summary on stdout
  --name NAME              run name
  --catalog FILE           catalog override (prices, limits)
Exit codes: 0 ok, 1 a threshold failed, 2 bad input, 3 the run could not start.
The API key is read from ANTHROPIC_API_KEY only (never a flag).`;

const options = {
  simulate: { type: 'string' },
  'sim-latency': { type: 'string' },
  'time-scale': { type: 'string' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'max-tokens': { type: 'string' },
  stream: { type: 'string' },
  prompt: { type: 'string' },
  'prompt-file': { type: 'string' },
  'input-tokens': { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  arrival: { type: 'string' },
  'max-in-flight': { type: 'string' },
  requests: { type: 'string' },
  duration: { type: 'string' },
  'max-cost': { type: 'string' },
  retries: { type: 'string' },
  timeout: { type: 'string' },
  threshold: { type: 'string', multiple: true },
  out: { type: 'string' },
  json: { type: 'boolean' },
  name: { type: 'string' },
  catalog: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

/** Optional-value and negated flags that util.parseArgs cannot express directly. */
function normaliseArgv(args: string[]): string[] {
  return args.map((a) =>
    a === '--simulate'
      ? '--simulate=build'
      : a === '--stream'
        ? '--stream=true'
        : a === '--no-stream'
          ? '--stream=false'
          : a,
  );
}

function num(
  v: string | undefined,
  flag: string,
  opts: { int?: boolean; min?: number } = {},
): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  const min = opts.min ?? 0;
  if (v.trim() === '' || !Number.isFinite(n) || n < min || (opts.int && !Number.isInteger(n))) {
    throw new CliError(`--${flag} must be ${opts.int ? 'an integer' : 'a number'} >= ${min} (got "${v}")`);
  }
  return n;
}

/** Builds a plan object: the file's content, overridden by flags. */
export function planFromArgs(
  values: Values,
  positionals: string[],
): { raw: Record<string, unknown>; baseDir: string } {
  let raw: Record<string, unknown> = {};
  let baseDir = process.cwd();
  const file = positionals[0];
  if (positionals.length > 1)
    throw new CliError(`expected at most one plan file, got ${positionals.length}: ${positionals.join(' ')}`);
  if (file) {
    try {
      raw = parseJsonc(readFileSync(file, 'utf8'), file) as Record<string, unknown>;
    } catch (e) {
      throw new CliError(e instanceof JsoncError ? e.message : `plan file ${file}: ${(e as Error).message}`);
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw new CliError(`plan file ${file} must hold a JSON object`);
    baseDir = dirname(resolve(file));
  }
  if (values.simulate !== undefined) {
    raw.target = {
      simulator: {
        tier: values.simulate,
        ...(values['sim-latency'] ? { latency: values['sim-latency'] } : {}),
        ...(values['time-scale'] ? { timeScale: num(values['time-scale'], 'time-scale') } : {}),
      },
    };
  } else if (values['base-url']) {
    raw.target = { baseUrl: values['base-url'] };
  } else if (!file) {
    raw.target = 'anthropic';
  }
  if (values.model) {
    delete raw.mix;
    raw.model = values.model;
  }
  if (values['max-tokens'] !== undefined)
    raw.maxTokens = num(values['max-tokens'], 'max-tokens', { int: true, min: 1 });
  if (values.stream !== undefined) raw.stream = values.stream === 'true';
  const promptFlags = ['prompt', 'prompt-file', 'input-tokens'].filter(
    (f) => values[f as keyof Values] !== undefined,
  );
  if (promptFlags.length > 1)
    throw new CliError(
      `use only one of --prompt, --prompt-file, --input-tokens (got ${promptFlags.map((f) => `--${f}`).join(', ')})`,
    );
  if (promptFlags.length) {
    delete raw.prompt;
    delete raw.prompts;
  }
  if (values.prompt !== undefined) raw.prompt = values.prompt;
  if (values['prompt-file'] !== undefined) {
    const f = values['prompt-file'];
    if (f.endsWith('.jsonl')) raw.prompts = { type: 'jsonl', file: resolve(f) };
    else {
      try {
        raw.prompt = readFileSync(f, 'utf8');
      } catch (e) {
        throw new CliError(`--prompt-file: cannot read ${f}: ${(e as Error).message}`);
      }
    }
  }
  if (values['input-tokens'] !== undefined) {
    raw.prompts = {
      type: 'synthetic',
      inputTokens: num(values['input-tokens'], 'input-tokens', { int: true, min: 1 }),
    };
  }
  if (values.concurrency !== undefined && values.rate !== undefined)
    throw new CliError('use either --concurrency or --rate, not both');
  if (values.concurrency !== undefined)
    raw.load = {
      type: 'concurrency',
      concurrency: num(values.concurrency, 'concurrency', { int: true, min: 1 }),
    };
  if (values.rate !== undefined) {
    raw.load = {
      type: 'rate',
      rps: num(values.rate, 'rate', { min: 0.001 }),
      ...(values.arrival ? { arrival: values.arrival } : {}),
      ...(values['max-in-flight']
        ? { maxInFlight: num(values['max-in-flight'], 'max-in-flight', { int: true, min: 1 }) }
        : {}),
    };
  } else if (values.arrival || values['max-in-flight']) {
    throw new CliError('--arrival and --max-in-flight need --rate');
  }
  if (values.requests !== undefined) raw.requests = num(values.requests, 'requests', { int: true, min: 1 });
  if (values.duration !== undefined) raw.duration = values.duration;
  if (
    raw.requests === undefined &&
    raw.duration === undefined &&
    (raw.load as { type?: string } | undefined)?.type !== 'ramp'
  ) {
    raw.requests = 20;
  }
  if (values['max-cost'] !== undefined)
    raw.maxCostUsd = num(values['max-cost'], 'max-cost', { min: 0.000001 });
  if (values.retries !== undefined) raw.retries = values.retries;
  if (values.timeout !== undefined) raw.timeout = values.timeout;
  if (values.name !== undefined) raw.name = values.name;
  if (values.seed !== undefined) raw.seed = num(values.seed, 'seed', { int: true });
  if (values.threshold?.length) {
    const thresholds = { ...((raw.thresholds as Record<string, string>) ?? {}) };
    for (const expr of values.threshold) {
      try {
        const t = parseThresholdExpression(expr);
        thresholds[t.metric] = `${t.op}${t.value}`;
      } catch (e) {
        if (e instanceof ThresholdError) throw new CliError(e.message);
        throw e;
      }
    }
    raw.thresholds = thresholds;
  }
  return { raw, baseDir };
}

export const runCommand: CommandFn = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args: normaliseArgv(args), options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\n${runUsage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(runUsage + '\n');
    return EXIT.ok;
  }
  const catalog = loadCatalogOption(values.catalog);
  const { raw, baseDir } = planFromArgs(values, positionals);
  let scenario: Scenario;
  try {
    scenario = parseScenario(raw, { catalog, baseDir, source: positionals[0] });
  } catch (e) {
    if (e instanceof ScenarioError)
      throw new CliError(`${positionals[0] ? `${positionals[0]}: ` : ''}${e.message}`);
    throw e;
  }
  const result = await executeRun(scenario, io, { json: values.json ?? false, out: values.out, catalog });
  return result.summary.thresholds.some((t) => !t.pass) ? EXIT.thresholdFailed : EXIT.ok;
};

/** Saves run.json and the CSV first, so a missing report bundle never loses the measurements. */
async function saveRun(result: RunResult, out: string, io: CliIo): Promise<void> {
  let assets;
  try {
    assets = loadReportAssets();
  } catch (e) {
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'run.json'), serializeRun(result));
    await writeFile(join(out, 'timeseries.csv'), timeseriesCsv(result));
    io.stderr.write(`saved ${join(out, 'run.json')} (no report.html: ${(e as Error).message})\n`);
    return;
  }
  const paths = await writeRunOutputs(result, out, assets);
  io.stderr.write(`saved ${paths.runJson}\nreport ${paths.html}\n`);
}

export interface ExecuteOptions {
  json: boolean;
  out?: string;
  catalog?: ReturnType<typeof loadCatalogOption>;
  /** Print the summary table (default true unless json). */
  quiet?: boolean;
}

/** Runs a scenario with terminal progress, SIGINT cancellation (partial results kept) and outputs. */
export async function executeRun(scenario: Scenario, io: CliIo, opts: ExecuteOptions): Promise<RunResult> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    io.stderr.write('\nstopping: waiting for in-flight requests to be aborted (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
  const run = startLoadTest(scenario, {
    ...reportHooks,
    apiKey: io.env.ANTHROPIC_API_KEY,
    catalog: opts.catalog,
    signal: controller.signal,
  });
  run.on('start', (e) => io.stderr.write(`${scenario.name}: sending to ${e.targetUrl}\n`));
  run.on('tick', (e) => {
    if (tty) io.stderr.write(`\r${progressLine(e)}\x1b[K`);
    else if (Math.round(e.totals.elapsedS) % 5 === 0) io.stderr.write(`${progressLine(e)}\n`);
  });
  run.on('warning', (e) => io.stderr.write(`${tty ? '\n' : ''}warning: ${e.message}\n`));
  let result: RunResult;
  try {
    result = await run.done;
  } catch (e) {
    if (e instanceof EngineStartError) throw new CliError(e.message, EXIT.cannotStart);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    if (tty) io.stderr.write('\n');
  }
  if (opts.out) await saveRun(result, opts.out, io);
  if (opts.json) io.stdout.write(JSON.stringify(jsonSummary(result), null, 2) + '\n');
  else if (!opts.quiet) io.stdout.write(summaryText(result) + '\n');
  return result;
}

// claude-load simulate: runs the Anthropic-compatible simulator until SIGINT/SIGTERM.
import { Command, CommanderError, Option } from 'commander';
// The simulator and catalog modules only (not the whole core): the command starts faster and does
// not depend on the engine or the report code loading.
import {
  FAULT_KINDS,
  LATENCY_PRESETS,
  SimulatorConfigError,
  startSimulator,
} from '../../core/simulator/index';
import type {
  FaultKind,
  FaultRates,
  LatencyPreset,
  SimulatorOptions,
  SimulatorStats,
} from '../../core/simulator/index';
import { parseDuration } from '../../core/util/duration';
import { loadCatalogOption } from '../catalogOption';
import { CliError, EXIT, type CliIo } from '../cliError';
import { cliCommand } from '../command';
import { withFlag } from '../options';

const FLAG_OF_FIELD: Record<string, string> = {
  tier: '--tier',
  'limits.rpm': '--rpm',
  'limits.itpm': '--itpm',
  'limits.otpm': '--otpm',
  latency: '--latency',
  timeScale: '--time-scale',
  seed: '--seed',
  faultRate: '--fault-rate',
  fault: '--fault',
  faults: '--fault',
  capacity: '--capacity',
  queueLimit: '--queue-limit',
  apiKey: '--api-key',
  otpmMode: '--otpm-mode',
  spendCapUsd: '--spend-cap',
  'replyTokens.mean': '--reply-mean',
  'replyTokens.sd': '--reply-sd',
  port: '--port',
  burstSeconds: '--burst-seconds',
  batchLatencyMs: '--batch-latency',
  requestTimeoutMs: '--request-timeout',
  headersTimeoutMs: '--headers-timeout',
  keepAliveTimeoutMs: '--keep-alive-timeout',
  maxConnections: '--max-connections',
};

/** The flags as commander parsed them (values still text: the messages below name each flag). */
export interface SimulateFlags {
  host?: string;
  port?: string;
  tier?: string;
  rpm?: string;
  itpm?: string;
  otpm?: string;
  latency?: string;
  timeScale?: string;
  seed?: string;
  faultRate?: string;
  fault?: string;
  capacity?: string;
  burstSeconds?: string;
  accelerationLimit?: boolean;
  batchLatency?: string;
  queueLimit?: string;
  apiKey?: string;
  otpmMode?: string;
  spendCap?: string;
  replyMean?: string;
  replySd?: string;
  requestTimeout?: string;
  headersTimeout?: string;
  keepAliveTimeout?: string;
  maxConnections?: string;
  catalog?: string;
  quiet?: boolean;
}

export interface SimulateOptions {
  simulator: SimulatorOptions;
  quiet: boolean;
}

function num(
  flag: string,
  text: string | undefined,
  check: (n: number) => boolean,
  want: string,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new CliError(`${flag} must be ${want} (got "${text}")`);
  }
  return n;
}

const isPositive = (n: number) => n > 0;
const isPositiveInt = (n: number) => Number.isInteger(n) && n > 0;

/** Turns the flags into simulator options; every message names its flag. */
export function simulateOptions(values: SimulateFlags): SimulateOptions {
  const options: SimulatorOptions = {};
  if (values.host !== undefined) {
    if (values.host.trim() === '') throw new CliError('--host must not be empty');
    options.host = values.host;
  }
  options.port =
    num('--port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer 0..65535') ??
    4010;
  if (values.tier !== undefined) options.tier = values.tier;
  const limits: NonNullable<SimulatorOptions['limits']> = {};
  for (const k of ['rpm', 'itpm', 'otpm'] as const) {
    const v = num(`--${k}`, values[k], isPositive, 'a positive number');
    if (v !== undefined) limits[k] = v;
  }
  if (Object.keys(limits).length > 0) options.limits = limits;
  if (options.tier === 'custom' && Object.keys(limits).length < 3) {
    throw new CliError('--tier custom needs --rpm, --itpm and --otpm');
  }
  if (values.latency !== undefined) {
    if (!LATENCY_PRESETS.includes(values.latency as LatencyPreset)) {
      throw new CliError(`--latency must be one of ${LATENCY_PRESETS.join(', ')} (got "${values.latency}")`);
    }
    options.latency = values.latency as LatencyPreset;
  }
  options.timeScale = num('--time-scale', values.timeScale, isPositive, 'a positive number');
  options.seed = num('--seed', values.seed, Number.isInteger, 'an integer');
  const rate = num('--fault-rate', values.faultRate, (n) => n >= 0 && n <= 1, 'a number between 0 and 1');
  if (values.fault !== undefined && rate === undefined) throw new CliError('--fault needs --fault-rate');
  if (rate !== undefined) {
    const kinds = (values.fault ?? '529').split(',').map((s) => s.trim());
    for (const k of kinds) {
      if (!FAULT_KINDS.includes(k as FaultKind)) {
        throw new CliError(`--fault must be one or more of ${FAULT_KINDS.join(', ')} (got "${k}")`);
      }
    }
    const faults: FaultRates = {};
    for (const k of kinds) faults[k as FaultKind] = (faults[k as FaultKind] ?? 0) + rate / kinds.length;
    options.faults = faults;
  }
  options.capacity = num('--capacity', values.capacity, isPositiveInt, 'a positive integer');
  options.queueLimit = num(
    '--queue-limit',
    values.queueLimit,
    (n) => Number.isInteger(n) && n >= 0,
    'an integer >= 0',
  );
  if (values.apiKey !== undefined) {
    if (values.apiKey === '') throw new CliError('--api-key must not be empty');
    options.apiKey = values.apiKey;
  }
  const mode = values.otpmMode;
  if (mode !== undefined) {
    if (mode !== 'generated' && mode !== 'max-tokens-estimate') {
      throw new CliError(`--otpm-mode must be generated or max-tokens-estimate (got "${mode}")`);
    }
    options.otpmMode = mode;
  }
  const cap = values.spendCap;
  if (cap !== undefined) {
    options.spendCapUsd =
      cap === 'tier' ? 'tier' : num('--spend-cap', cap, isPositive, 'a positive number of USD or "tier"');
  }
  const mean = num('--reply-mean', values.replyMean, isPositive, 'a positive number');
  const sd = num('--reply-sd', values.replySd, (n) => n >= 0, 'a number >= 0');
  if (mean !== undefined || sd !== undefined) options.replyTokens = { mean, sd };
  options.burstSeconds = num(
    '--burst-seconds',
    values.burstSeconds,
    (n) => n > 0 && n <= 60,
    'a number of seconds above 0, at most 60',
  );
  if (values.accelerationLimit) options.accelerationLimit = true;
  if (values.batchLatency !== undefined) {
    try {
      options.batchLatencyMs = parseDuration(values.batchLatency, '--batch-latency');
    } catch {
      throw new CliError(
        `--batch-latency: use a number with a unit, e.g. 30s, 10m (got "${values.batchLatency}")`,
      );
    }
  }
  const ms = 'a positive integer of milliseconds';
  options.requestTimeoutMs = num('--request-timeout', values.requestTimeout, isPositiveInt, ms);
  options.headersTimeoutMs = num('--headers-timeout', values.headersTimeout, isPositiveInt, ms);
  options.keepAliveTimeoutMs = num('--keep-alive-timeout', values.keepAliveTimeout, isPositiveInt, ms);
  options.maxConnections = num(
    '--max-connections',
    values.maxConnections,
    isPositiveInt,
    'a positive integer',
  );
  if (values.catalog !== undefined) options.catalog = loadCatalogOption(values.catalog);
  return { simulator: options, quiet: values.quiet ?? false };
}

/** Parses argv after "simulate" (kept for tests of the flag mapping); problems throw CliError. */
export function parseSimulateArgs(args: string[]): { options: SimulatorOptions; quiet: boolean } {
  const cmd = simulateCli
    .define()
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    cmd.parse(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) throw new CliError(e.message.replace(/^error: /, ''));
    throw e;
  }
  const { simulator, quiet } = simulateOptions(cmd.opts<SimulateFlags>());
  return { options: simulator, quiet };
}

function kilo(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n));
}

/** One line per second of traffic: deltas of the counters since the last line. */
export function summaryLine(prev: SimulatorStats, cur: SimulatorStats, seconds: number): string {
  const rate = (k: 'requests' | 'ok' | 'rateLimited' | 'overloaded' | 'outputTokens') =>
    (cur[k] - prev[k]) / seconds;
  const errors = cur.clientErrors - prev.clientErrors + cur.serverErrors - prev.serverErrors;
  const faults = cur.streamErrors - prev.streamErrors + cur.disconnects - prev.disconnects;
  const time = new Date().toISOString().slice(11, 19);
  return (
    `${time} ${kilo(rate('requests'))} req/s  ok ${kilo(rate('ok'))}  429 ${kilo(rate('rateLimited'))}  ` +
    `529 ${kilo(rate('overloaded'))}  errors ${errors}  faults ${faults}  in-flight ${cur.inFlight}  ` +
    `queued ${cur.queued}  out ${kilo(rate('outputTokens'))} tok/s`
  );
}

export async function simulateCommand(
  { simulator: options, quiet }: SimulateOptions,
  io: CliIo,
): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    io.stderr.write(`warning: binding ${host}: anyone who can reach this machine can use the simulator\n`);
  }
  let sim;
  try {
    sim = await startSimulator(options);
  } catch (e) {
    if (e instanceof SimulatorConfigError) {
      const flag = FLAG_OF_FIELD[e.field];
      throw new CliError(flag ? withFlag(flag, e.field, e.message) : e.message);
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code)
      throw new CliError(`cannot listen on ${host}:${options.port}: ${err.message}`, EXIT.cannotStart);
    throw e;
  }
  // A closed log pipe (EPIPE) must not take the server down: stop logging instead.
  let logging = !quiet;
  const onStdoutError = () => {
    logging = false;
  };
  io.stdout.on?.('error', onStdoutError);
  io.stdout.write(`Simulator listening on ${sim.url}\n`);

  let prev = sim.stats();
  let prevAt = Date.now();
  const ticker = quiet
    ? null
    : setInterval(() => {
        const cur = sim.stats();
        const now = Date.now();
        if (logging && (cur.requests !== prev.requests || cur.inFlight > 0 || cur.queued > 0)) {
          io.stdout.write(summaryLine(prev, cur, Math.max(0.001, (now - prevAt) / 1000)) + '\n');
        }
        prev = cur;
        prevAt = now;
      }, 1000);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      io.signals.off('SIGINT', onInt);
      io.signals.off('SIGTERM', onTerm);
      if (ticker) clearInterval(ticker);
      const s = sim.stats();
      io.stderr.write(
        `${signal}: closing (served ${s.requests} requests, ${s.ok} ok, ${s.rateLimited} 429, ${s.overloaded} 529)\n`,
      );
      void sim.close().then(() => {
        io.stdout.off?.('error', onStdoutError);
        resolve();
      });
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    io.signals.on('SIGINT', onInt);
    io.signals.on('SIGTERM', onTerm);
  });
  return EXIT.ok;
}

const opt = (flags: string, description: string) => new Option(flags, description);

export const simulateCli = cliCommand<SimulateFlags>({
  name: 'simulate',
  define: () =>
    new Command('simulate')
      .summary('run the Anthropic-compatible simulator (no key, no network, no cost)')
      .description(
        'Runs a local server that answers like the Claude Messages API (no key, no network, no cost) until ' +
          'Ctrl-C or SIGTERM. Prints "Simulator listening on http://HOST:PORT" when ready and one summary line ' +
          'per second under load.',
      )
      .addOption(
        opt(
          '--host <host>',
          'interface to bind (default 127.0.0.1; anything else exposes it to the network)',
        ),
      )
      .addOption(opt('--port <n>', 'port, 0 = any free one (default 4010)'))
      .addOption(opt('--tier <name>', 'start | build | scale | tier1..tier4 | custom (default build)'))
      .addOption(
        opt('--rpm <n>', 'requests per minute of every model bucket (custom needs --rpm, --itpm, --otpm)'),
      )
      .addOption(opt('--itpm <n>', 'input tokens per minute of every model bucket'))
      .addOption(opt('--otpm <n>', 'output tokens per minute of every model bucket'))
      .addOption(opt('--latency <preset>', 'realistic | fast | zero (default realistic)'))
      .addOption(
        opt('--time-scale <x>', 'simulated time runs X times faster: latency, bucket refill (default 1)'),
      )
      .addOption(opt('--seed <n>', 'seed of every random choice (default 1)'))
      .addOption(opt('--fault-rate <p>', 'share of requests that get a fault, 0..1'))
      .addOption(
        opt('--fault <kinds>', '529 | 500 | stream-error | disconnect, comma-separated (default 529)'),
      )
      .addOption(opt('--capacity <n>', 'requests in service at once; more queue, then 529 (default 10000)'))
      .addOption(opt('--queue-limit <n>', 'requests that may wait for a slot (default = capacity)'))
      .addOption(
        opt(
          '--burst-seconds <s>',
          'short-interval enforcement: each bucket holds this many seconds of its per-minute limit (1 = 60 RPM acts as 1 request/s; default 60)',
        ),
      )
      .addOption(
        opt('--acceleration-limit', 'a sharp rise over the recent request rate draws 429 (default off)'),
      )
      .addOption(
        opt(
          '--batch-latency <duration>',
          'Message Batches: typical time for a request to finish (default 10m)',
        ),
      )
      .addOption(opt('--api-key <key>', 'the only key accepted (default: any non-empty key)'))
      .addOption(opt('--otpm-mode <mode>', 'generated | max-tokens-estimate (default generated)'))
      .addOption(opt('--spend-cap <usd|tier>', 'monthly spend cap at catalog prices (default none)'))
      .addOption(opt('--reply-mean <n>', 'mean reply length in output tokens (default 150)'))
      .addOption(opt('--reply-sd <n>', 'its standard deviation (default mean/3)'))
      .addOption(opt('--request-timeout <ms>', 'time a client has to send a whole request (default 120000)'))
      .addOption(opt('--headers-timeout <ms>', 'time a client has to send its headers (default 30000)'))
      .addOption(
        opt('--keep-alive-timeout <ms>', 'idle kept-alive connections close after this (default 65000)'),
      )
      .addOption(opt('--max-connections <n>', 'open connections at most; more are refused (default 16384)'))
      .addOption(opt('--catalog <file>', 'catalog override JSON (prices, limits, models)'))
      .addOption(opt('--quiet', 'no per-second summary')),
  examples: [
    'claude-load simulate',
    'claude-load simulate --port 0 --tier scale --latency fast',
    'claude-load simulate --fault-rate 0.05 --fault 529,stream-error --time-scale 10',
  ],
  run: (flags, _args, io) => simulateCommand(simulateOptions(flags), io),
});

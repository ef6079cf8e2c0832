// claude-load simulate: runs the Anthropic-compatible simulator until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
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
import { loadCatalogOption } from '../catalogOption';
import { CliError, EXIT } from '../cliError';
import type { CommandFn } from '../cliError';

const HELP = `Usage: claude-load simulate [options]

Runs a local server that answers like the Claude Messages API (no key, no network, no cost).

Options:
  --host HOST           interface to bind (default 127.0.0.1; anything else exposes it to the network)
  --port N              port, 0 = any free one (default 4010)
  --tier NAME           start | build | scale | tier1..tier4 | custom (default build)
  --rpm N --itpm N --otpm N
                        override the limits of every model bucket (custom needs all three)
  --latency PRESET      realistic | fast | zero (default realistic)
  --time-scale X        simulated time runs X times faster: latency, bucket refill (default 1)
  --seed N              seed of every random choice (default 1)
  --fault-rate P        share of requests that get a fault, 0..1
  --fault KIND[,KIND]   529 | 500 | stream-error | disconnect (default 529; several split the rate)
  --capacity N          requests in service at once; more queue, then 529 (default 10000)
  --queue-limit N       requests that may wait for a slot (default = capacity)
  --api-key KEY         the only key accepted (default: any non-empty key)
  --otpm-mode MODE      generated | max-tokens-estimate (default generated)
  --spend-cap USD|tier  monthly spend cap at catalog prices (default none)
  --reply-mean N        mean reply length in output tokens (default 150)
  --reply-sd N          its standard deviation (default mean/3)
  --request-timeout MS  time a client has to send a whole request (default 120000)
  --headers-timeout MS  time a client has to send its headers (default 30000)
  --keep-alive-timeout MS
                        idle kept-alive connections close after this (default 65000)
  --max-connections N   open connections at most; more are refused (default 16384)
  --catalog FILE        catalog override JSON (prices, limits, models)
  --quiet               no per-second summary
  -h, --help            this help

Prints "Simulator listening on http://HOST:PORT" when ready and one summary line per second under load.`;

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
  requestTimeoutMs: '--request-timeout',
  headersTimeoutMs: '--headers-timeout',
  keepAliveTimeoutMs: '--keep-alive-timeout',
  maxConnections: '--max-connections',
};

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
export function parseSimulateArgs(args: string[]): {
  options: SimulatorOptions;
  quiet: boolean;
  help: boolean;
} {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        tier: { type: 'string' },
        rpm: { type: 'string' },
        itpm: { type: 'string' },
        otpm: { type: 'string' },
        latency: { type: 'string' },
        'time-scale': { type: 'string' },
        seed: { type: 'string' },
        'fault-rate': { type: 'string' },
        fault: { type: 'string' },
        capacity: { type: 'string' },
        'queue-limit': { type: 'string' },
        'api-key': { type: 'string' },
        'otpm-mode': { type: 'string' },
        'spend-cap': { type: 'string' },
        'reply-mean': { type: 'string' },
        'reply-sd': { type: 'string' },
        'request-timeout': { type: 'string' },
        'headers-timeout': { type: 'string' },
        'keep-alive-timeout': { type: 'string' },
        'max-connections': { type: 'string' },
        catalog: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new CliError(`${(e as Error).message}\nRun claude-load simulate --help for the options.`);
  }
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
  options.timeScale = num('--time-scale', values['time-scale'], isPositive, 'a positive number');
  options.seed = num('--seed', values.seed, Number.isInteger, 'an integer');
  const rate = num('--fault-rate', values['fault-rate'], (n) => n >= 0 && n <= 1, 'a number between 0 and 1');
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
    values['queue-limit'],
    (n) => Number.isInteger(n) && n >= 0,
    'an integer >= 0',
  );
  if (values['api-key'] !== undefined) {
    if (values['api-key'] === '') throw new CliError('--api-key must not be empty');
    options.apiKey = values['api-key'];
  }
  const mode = values['otpm-mode'];
  if (mode !== undefined) {
    if (mode !== 'generated' && mode !== 'max-tokens-estimate') {
      throw new CliError(`--otpm-mode must be generated or max-tokens-estimate (got "${mode}")`);
    }
    options.otpmMode = mode;
  }
  const cap = values['spend-cap'];
  if (cap !== undefined) {
    options.spendCapUsd =
      cap === 'tier' ? 'tier' : num('--spend-cap', cap, isPositive, 'a positive number of USD or "tier"');
  }
  const mean = num('--reply-mean', values['reply-mean'], isPositive, 'a positive number');
  const sd = num('--reply-sd', values['reply-sd'], (n) => n >= 0, 'a number >= 0');
  if (mean !== undefined || sd !== undefined) options.replyTokens = { mean, sd };
  const ms = 'a positive integer of milliseconds';
  options.requestTimeoutMs = num('--request-timeout', values['request-timeout'], isPositiveInt, ms);
  options.headersTimeoutMs = num('--headers-timeout', values['headers-timeout'], isPositiveInt, ms);
  options.keepAliveTimeoutMs = num('--keep-alive-timeout', values['keep-alive-timeout'], isPositiveInt, ms);
  options.maxConnections = num(
    '--max-connections',
    values['max-connections'],
    isPositiveInt,
    'a positive integer',
  );
  if (values.catalog !== undefined) options.catalog = loadCatalogOption(values.catalog);
  return { options, quiet: values.quiet ?? false, help: values.help ?? false };
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

export const simulateCommand: CommandFn = async (args, io) => {
  const { options, quiet, help } = parseSimulateArgs(args);
  if (help) {
    io.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    io.stderr.write(`warning: binding ${host}: anyone who can reach this machine can use the simulator\n`);
  }
  let sim;
  try {
    sim = await startSimulator(options);
  } catch (e) {
    if (e instanceof SimulatorConfigError) {
      throw new CliError(`${FLAG_OF_FIELD[e.field] ?? e.field}: ${e.message}`);
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
  io.stdout.on('error', onStdoutError);
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
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (ticker) clearInterval(ticker);
      const s = sim.stats();
      io.stderr.write(
        `${signal}: closing (served ${s.requests} requests, ${s.ok} ok, ${s.rateLimited} 429, ${s.overloaded} 529)\n`,
      );
      void sim.close().then(() => {
        io.stdout.off('error', onStdoutError);
        resolve();
      });
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
  return EXIT.ok;
};

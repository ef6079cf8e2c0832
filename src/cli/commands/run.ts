// claude-load run: a load test from a plan file and/or flags. The CLI only listens to engine events.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  JsoncError,
  parseJsonc,
  parseScenario,
  parseThresholdExpression,
  ScenarioError,
  ThresholdError,
} from '../../core/index';
import { maxAgents } from '../../core/distributed/index';
import { parseStages, StageError } from '../../core/sweep/index';
import type { Scenario } from '../../core/index';
import { loadCatalogOption } from '../catalogOption';
import { CliError, type CliIo } from '../cliError';
import { cliCommand } from '../command';
import { checkDistributedFlags, coordinatorFlag, runAsAgent, type DistributedFlags } from '../distributed';
import { checkKeyPolicy, executeRun } from '../execute';
import { collect, durationFlag, numberFlag, urlFlag, withFlag } from '../options';

/** The flags of `run`, parsed and range-checked (a plan file may set the rest). */
export interface RunFlags {
  simulate?: string | true;
  simLatency?: 'realistic' | 'fast' | 'zero';
  timeScale?: number;
  baseUrl?: string;
  allowHost?: string[];
  model?: string;
  maxTokens?: number;
  outputTokens?: number;
  stream?: boolean;
  prompt?: string;
  promptFile?: string;
  inputTokens?: number;
  keepPrompts?: boolean;
  concurrency?: number;
  rate?: number;
  arrival?: 'constant' | 'poisson';
  maxInFlight?: number;
  /** k6-style stages: "30s:5" = ramp to 5 req/s over 30 s. */
  stage?: string[];
  requests?: number;
  duration?: string;
  maxCost?: number;
  retries?: 'none' | 'sdk';
  timeout?: string;
  seed?: number;
  threshold?: string[];
  out?: string;
  json?: boolean;
  name?: string;
  catalog?: string;
}

export interface RunOptions extends RunFlags, DistributedFlags {
  /** A plan file (.claudeload.json); flags override its fields. */
  planFile?: string;
}

/** Plan-file field -> the flag that sets it, so a problem with a flag's value names the flag. */
const FLAG_OF_FIELD: [field: string, flag: string, key: keyof RunFlags][] = [
  ['target.simulator.tier', '--simulate', 'simulate'],
  ['target.simulator.latency', '--sim-latency', 'simLatency'],
  ['target.simulator.timeScale', '--time-scale', 'timeScale'],
  ['target.baseUrl', '--base-url', 'baseUrl'],
  ['target', '--base-url', 'baseUrl'],
  ['model', '--model', 'model'],
  ['mix', '--model', 'model'],
  ['maxTokens', '--max-tokens', 'maxTokens'],
  ['maxTokens', '--output-tokens', 'outputTokens'],
  ['outputTokens', '--output-tokens', 'outputTokens'],
  ['prompts.inputTokens', '--input-tokens', 'inputTokens'],
  ['prompts.file', '--prompt-file', 'promptFile'],
  ['prompts', '--prompt-file', 'promptFile'],
  ['prompt', '--prompt', 'prompt'],
  ['load.concurrency', '--concurrency', 'concurrency'],
  ['load.rps', '--rate', 'rate'],
  ['load.arrival', '--arrival', 'arrival'],
  ['load.maxInFlight', '--max-in-flight', 'maxInFlight'],
  ['requests', '--requests', 'requests'],
  ['duration', '--duration', 'duration'],
  ['maxCostUsd', '--max-cost', 'maxCost'],
  ['retries', '--retries', 'retries'],
  ['timeout', '--timeout', 'timeout'],
  ['seed', '--seed', 'seed'],
  ['thresholds', '--threshold', 'threshold'],
  ['name', '--name', 'name'],
];

/** "load.rps must be > 0" -> "--rate must be > 0" when --rate was given; else the file's field stays. */
function problemMessage(problem: { field: string; message: string }, flags: RunFlags, file?: string): string {
  const hit = FLAG_OF_FIELD.find(
    ([field, , key]) =>
      flags[key] !== undefined && (problem.field === field || problem.field.startsWith(`${field}.`)),
  );
  if (!hit) return `${file ? `${file}: ` : ''}${problem.message}`;
  const [field, flag] = hit;
  return withFlag(flag, problem.message.startsWith(problem.field) ? problem.field : field, problem.message);
}

/** Every problem of a plan (a ScenarioError may carry several), each naming the flag or the file's field. */
export function flagMessage(e: ScenarioError, flags: RunFlags, file: string | undefined): string {
  const problems = (e as { problems?: { field: string; message: string }[] }).problems;
  if (!problems || problems.length < 2) return problemMessage(e, flags, file);
  return problems.map((p) => problemMessage(p, flags, file)).join('\n  ');
}

/** Builds a plan object: the file's content, overridden by flags. */
export function planFromFlags(
  flags: RunFlags,
  file: string | undefined,
): { raw: Record<string, unknown>; baseDir: string } {
  let raw: Record<string, unknown> = {};
  let baseDir = process.cwd();
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
  if (flags.simulate !== undefined) {
    raw.target = {
      simulator: {
        tier: flags.simulate === true ? 'build' : flags.simulate,
        ...(flags.simLatency ? { latency: flags.simLatency } : {}),
        ...(flags.timeScale !== undefined ? { timeScale: flags.timeScale } : {}),
      },
    };
  } else if (flags.simLatency !== undefined || flags.timeScale !== undefined) {
    throw new CliError(`${flags.simLatency ? '--sim-latency' : '--time-scale'} needs --simulate`);
  } else if (flags.baseUrl) {
    raw.target = { baseUrl: flags.baseUrl };
  } else if (!file) {
    raw.target = 'anthropic';
  }
  if (flags.model) {
    delete raw.mix;
    raw.model = flags.model;
  }
  if (flags.maxTokens !== undefined || flags.outputTokens !== undefined) {
    delete raw.maxTokens;
    delete raw.max_tokens;
    delete raw.outputTokens;
  }
  if (flags.maxTokens !== undefined) raw.maxTokens = flags.maxTokens;
  // The plan file's outputTokens: max_tokens = N and a prompt that asks for a long answer.
  if (flags.outputTokens !== undefined) raw.outputTokens = flags.outputTokens;
  if (flags.keepPrompts) raw.keepPrompts = true;
  if (flags.stream !== undefined) raw.stream = flags.stream;
  if (flags.prompt !== undefined || flags.promptFile !== undefined || flags.inputTokens !== undefined) {
    delete raw.prompt;
    delete raw.prompts;
  }
  if (flags.prompt !== undefined) raw.prompt = flags.prompt;
  if (flags.promptFile !== undefined) {
    const f = flags.promptFile;
    if (f.endsWith('.jsonl')) raw.prompts = { type: 'jsonl', file: resolve(f) };
    else {
      try {
        raw.prompt = readFileSync(f, 'utf8');
      } catch (e) {
        throw new CliError(`--prompt-file: cannot read ${f}: ${(e as Error).message}`);
      }
    }
  }
  if (flags.inputTokens !== undefined) raw.prompts = { type: 'synthetic', inputTokens: flags.inputTokens };
  if (flags.concurrency !== undefined) raw.load = { type: 'concurrency', concurrency: flags.concurrency };
  if (flags.rate !== undefined) {
    raw.load = {
      type: 'rate',
      rps: flags.rate,
      ...(flags.arrival ? { arrival: flags.arrival } : {}),
      ...(flags.maxInFlight !== undefined ? { maxInFlight: flags.maxInFlight } : {}),
    };
  } else if (flags.stage?.length) {
    if (flags.concurrency !== undefined)
      throw new CliError('--stage and --concurrency cannot be used together');
    let shape;
    try {
      shape = parseStages(
        flags.stage,
        flags.maxInFlight !== undefined ? { maxInFlight: flags.maxInFlight } : {},
      );
    } catch (e) {
      if (e instanceof StageError) throw new CliError(e.message);
      throw e;
    }
    // In the plan file's own ramp shape, so the same checks (and limits) apply.
    raw.load = {
      type: 'ramp',
      startRps: shape.startRps,
      stages: shape.stages.map((st) => ({ duration: `${st.durationMs}ms`, rps: st.rps })),
      maxInFlight: shape.maxInFlight,
    };
  } else if (flags.arrival || flags.maxInFlight !== undefined) {
    throw new CliError(`${flags.arrival ? '--arrival' : '--max-in-flight'} needs --rate or --stage`);
  }
  if (flags.requests !== undefined) raw.requests = flags.requests;
  if (flags.duration !== undefined) raw.duration = flags.duration;
  if (
    raw.requests === undefined &&
    raw.duration === undefined &&
    (raw.load as { type?: string } | undefined)?.type !== 'ramp'
  ) {
    raw.requests = 20;
  }
  if (flags.maxCost !== undefined) raw.maxCostUsd = flags.maxCost;
  if (flags.retries !== undefined) raw.retries = flags.retries;
  if (flags.timeout !== undefined) raw.timeout = flags.timeout;
  if (flags.name !== undefined) raw.name = flags.name;
  if (flags.seed !== undefined) raw.seed = flags.seed;
  if (flags.threshold?.length) {
    const thresholds = { ...((raw.thresholds as Record<string, string>) ?? {}) };
    for (const expr of flags.threshold) {
      try {
        const t = parseThresholdExpression(expr);
        thresholds[t.metric] = `${t.op}${t.value}`;
      } catch (e) {
        if (e instanceof ThresholdError)
          throw new CliError(e.message.startsWith('--threshold') ? e.message : `--threshold: ${e.message}`);
        throw e;
      }
    }
    raw.thresholds = thresholds;
  }
  return { raw, baseDir };
}

export async function runCommand(options: RunOptions, io: CliIo): Promise<number> {
  const { planFile, coordinator, agents, runId, joinTimeout, sharedLimits, limiterNamespace, ...flags } =
    options;
  const dist: DistributedFlags = { coordinator, agents, runId, joinTimeout, sharedLimits, limiterNamespace };
  const distributed = checkDistributedFlags(dist);
  const catalog = loadCatalogOption(flags.catalog);
  const { raw, baseDir } = planFromFlags(flags, planFile);
  let scenario: Scenario;
  try {
    scenario = parseScenario(raw, { catalog, baseDir, source: planFile });
  } catch (e) {
    if (e instanceof ScenarioError) throw new CliError(flagMessage(e, flags, planFile));
    throw e;
  }
  // A batch plan sent as a load test would measure something the plan did not ask for.
  if (scenario.via === 'batches') {
    throw new CliError(
      `${planFile ?? 'the plan'} says "via": "batches": run it with claude-load batch ${planFile ?? '<plan>'} ` +
        '(claude-load run is a load test through the Messages API; remove "via" to run one)',
    );
  }
  const apiKey = io.env.ANTHROPIC_API_KEY || undefined;
  checkKeyPolicy(scenario, {
    apiKey,
    source: planFile,
    baseUrlFlag: flags.baseUrl,
    allowHosts: [...(flags.allowHost ?? []), ...(io.env.CLAUDE_LOAD_ALLOWED_HOSTS ?? '').split(',')],
  });
  if (distributed)
    return runAsAgent(scenario, dist, io, { json: flags.json ?? false, out: flags.out, catalog, apiKey });
  const { exitCode } = await executeRun(scenario, io, {
    json: flags.json ?? false,
    out: flags.out,
    catalog,
    apiKey,
  });
  return exitCode;
}

type Parsed = Omit<RunFlags, 'stream'> & { stream?: boolean } & DistributedFlags;

const load = 'Load:';
const workload = 'Workload:';
const target = 'Target (default: the plan file, else api.anthropic.com with ANTHROPIC_API_KEY):';
const results = 'Results:';
const distributed = 'Distributed (several agents, one schedule; see README "Distributed load generation"):';

export const runCli = cliCommand<Parsed>({
  name: 'run',
  define: () => {
    const cmd = new Command('run')
      .summary('load test: a plan file or flags, against the API, a URL or the simulator')
      .description(
        'Load-tests the Claude API, an Anthropic-compatible URL or the built-in simulator, from a plan file ' +
          'and/or flags (flags override the file). Ctrl-C or SIGTERM stops sending, aborts in-flight requests, ' +
          'saves and prints what was measured (a second Ctrl-C quits at once).\n\n' +
          'Key policy: ANTHROPIC_API_KEY is sent only to https://api.anthropic.com, to a URL given with ' +
          '--base-url, or to hosts allowed with --allow-host / CLAUDE_LOAD_ALLOWED_HOSTS (comma-separated); ' +
          'a plan file naming another host exits 3. The key is never a flag.',
      )
      .argument('[plan]', 'a plan file (.claudeload.json)')
      .addOption(
        new Option(
          '--simulate [tier]',
          'built-in simulator, no key: start|build|scale|tier1..tier4 (default build)',
        )
          .conflicts('baseUrl')
          .helpGroup(target),
      )
      .addOption(
        new Option('--sim-latency <mode>', 'simulator latency (default realistic)')
          .choices(['realistic', 'fast', 'zero'])
          .helpGroup(target),
      )
      .addOption(
        new Option('--time-scale <x>', 'simulator time compression, e.g. 10 = ten times faster (default 1)')
          .argParser(numberFlag('--time-scale'))
          .helpGroup(target),
      )
      .addOption(
        new Option('--base-url <url>', 'an Anthropic-compatible base URL (the key may be sent there)')
          .argParser(urlFlag('--base-url'))
          .helpGroup(target),
      )
      .addOption(
        new Option(
          '--allow-host <host>',
          'allow the key to go to HOST or HOST:PORT named by the plan file (repeatable)',
        )
          .argParser(collect)
          .helpGroup(target),
      )
      .addOption(new Option('--model <id>', 'model id (default claude-haiku-4-5)').helpGroup(workload))
      .addOption(
        new Option('--max-tokens <n>', 'max_tokens per request (default 256)')
          .argParser(numberFlag('--max-tokens', { int: true }))
          .helpGroup(workload),
      )
      .addOption(
        new Option(
          '--output-tokens <n>',
          'replies of about N tokens: max_tokens = N and a prompt asking for a long answer',
        )
          .argParser(numberFlag('--output-tokens', { int: true }))
          .conflicts('maxTokens')
          .helpGroup(workload),
      )
      .addOption(
        new Option('--stream', 'stream responses (the default; needed for TTFT)').helpGroup(workload),
      )
      .addOption(new Option('--no-stream', 'do not stream').helpGroup(workload))
      .addOption(
        new Option('--prompt <text>', 'fixed prompt (default "Respond with exactly: OK")')
          .conflicts(['promptFile', 'inputTokens'])
          .helpGroup(workload),
      )
      .addOption(
        new Option(
          '--prompt-file <file>',
          'a .jsonl file of Messages bodies, or a text file used as the prompt',
        )
          .conflicts('inputTokens')
          .helpGroup(workload),
      )
      .addOption(
        new Option(
          '--input-tokens <n>',
          'synthetic prompts of about N input tokens (at most 1,000,000, the largest context window)',
        )
          .argParser(numberFlag('--input-tokens', { int: true, max: 1_000_000 }))
          .helpGroup(workload),
      )
      .addOption(
        new Option(
          '--keep-prompts',
          'keep full prompt bodies in run.json and report.html (default: a digest)',
        ).helpGroup(workload),
      )
      .addOption(
        new Option('--seed <n>', 'seed of the synthetic prompts and Poisson arrivals (default 1)')
          .argParser(numberFlag('--seed', { int: true, min: 0, exclusiveMin: false }))
          .helpGroup(workload),
      )
      .addOption(
        new Option('--concurrency <n>', 'closed loop: N requests in flight')
          .argParser(numberFlag('--concurrency', { int: true }))
          .conflicts('rate')
          .helpGroup(load),
      )
      .addOption(
        new Option('--rate <r>', 'open loop: R requests per second')
          .argParser(numberFlag('--rate'))
          .helpGroup(load),
      )
      .addOption(
        new Option('--arrival <kind>', 'open-loop arrivals (with --rate; default constant)')
          .choices(['constant', 'poisson'])
          .helpGroup(load),
      )
      .addOption(
        new Option(
          '--stage <duration:rate>',
          'k6-style stage, repeatable: ramp to RATE req/s over DURATION (e.g. --stage 30s:5 --stage 10s:50 --stage 30s:5)',
        )
          .argParser(collect)
          .conflicts(['rate', 'concurrency'])
          .helpGroup(load),
      )
      .addOption(
        new Option('--max-in-flight <n>', 'open-loop cap on requests in flight (with --rate or --stage)')
          .argParser(numberFlag('--max-in-flight', { int: true }))
          .helpGroup(load),
      )
      .addOption(
        new Option('--requests <n>', 'stop after N requests (default 20 when no duration is given)')
          .argParser(numberFlag('--requests', { int: true }))
          .helpGroup(load),
      )
      .addOption(
        new Option('--duration <d>', 'stop sending after D, e.g. 30s, 5m')
          .argParser(durationFlag('--duration'))
          .helpGroup(load),
      )
      .addOption(
        new Option('--max-cost <usd>', 'stop sending before the cost could exceed USD')
          .argParser(numberFlag('--max-cost'))
          .helpGroup(load),
      )
      .addOption(
        new Option(
          '--retries <mode>',
          'none: 429/529 are measured (default); sdk: the SDK retries, attempts counted',
        )
          .choices(['none', 'sdk'])
          .helpGroup(load),
      )
      .addOption(
        new Option('--timeout <d>', 'per-request timeout, e.g. 30s (default 10m)')
          .argParser(durationFlag('--timeout'))
          .helpGroup(load),
      )
      .addOption(
        new Option(
          '--threshold <expr>',
          'pass/fail rule, e.g. "ttft.p95<1500" (repeatable); exit 1 when one fails',
        )
          .argParser(collect)
          .helpGroup(results),
      )
      .addOption(
        new Option(
          '--out <dir>',
          'write run.json, timeseries.csv and report.html into DIR (checked before sending)',
        ).helpGroup(results),
      )
      .addOption(new Option('--json', 'print one JSON summary on stdout').helpGroup(results))
      .addOption(new Option('--name <name>', 'run name').helpGroup(results))
      .addOption(new Option('--catalog <file>', 'catalog override JSON (prices, limits)').helpGroup(results))
      .addOption(
        new Option(
          '--coordinator <redis-url>',
          'join a distributed run through this Redis (redis://host:6379): agents start together and request i goes to agent i mod N',
        )
          .argParser(coordinatorFlag)
          .helpGroup(distributed),
      )
      .addOption(
        new Option('--agents <n>', `how many agents share the run (1-${maxAgents}; the same on every agent)`)
          .argParser(numberFlag('--agents', { int: true, max: maxAgents }))
          .helpGroup(distributed),
      )
      .addOption(
        new Option(
          '--run-id <id>',
          'name of the run in Redis (default: derived from the plan and flags)',
        ).helpGroup(distributed),
      )
      .addOption(
        new Option('--join-timeout <d>', 'how long to wait for the other agents (default 60s)')
          .argParser(durationFlag('--join-timeout'))
          .helpGroup(distributed),
      )
      .addOption(
        new Option(
          '--shared-limits <limits>',
          'one rate limiter for all agents in the coordinator Redis: a tier (e.g. build) or RPM,ITPM,OTPM',
        ).helpGroup(distributed),
      )
      .addOption(
        new Option(
          '--limiter-namespace <name>',
          "with --shared-limits: the limiter's namespace, e.g. your app's, so the test and the app share one org limit (default claude-load:<run id>)",
        ).helpGroup(distributed),
      );
    // "--stream --no-stream" would silently keep the last one: refuse it.
    const seen = new Set<string>();
    for (const flag of ['stream', 'no-stream']) {
      cmd.on(`option:${flag}`, () => {
        seen.add(flag);
        if (seen.size > 1) throw new CliError('use either --stream or --no-stream, not both');
      });
    }
    return cmd;
  },
  examples: [
    'claude-load run --simulate --requests 20',
    'claude-load run --simulate scale --rate 20 --duration 30s --threshold "ttft.p95<1500" --out results',
    'claude-load run my.claudeload.json --json',
    'claude-load run --base-url http://127.0.0.1:4010 --concurrency 8 --requests 100',
    'claude-load run shared.claudeload.json --allow-host gateway.internal:8443',
    'claude-load run plan.claudeload.json --coordinator redis://10.0.0.5:6379 --agents 4 --out results',
  ],
  run: (parsed, args, io) => {
    let planFile = args[0];
    let simulate = parsed.simulate;
    // "--simulate plan.json": the optional tier swallowed the plan file.
    if (typeof simulate === 'string' && /\.jsonc?$/.test(simulate) && planFile === undefined) {
      planFile = simulate;
      simulate = true;
    }
    return runCommand({ ...parsed, simulate, planFile }, io);
  },
});

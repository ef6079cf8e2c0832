// claude-load demo: the main job end to end on the built-in simulator, no key and no network.
// 1) plan a workload's tier and cost, 2) load-test it at a small scale, 3) write the HTML report.
import { join } from 'node:path';
import { Command, Option } from 'commander';
import {
  builtinCatalog,
  formatPlanTable,
  parseScenario,
  planCapacity,
  validatePlanInput,
} from '../../core/index';
import type { CliIo } from '../cliError';
import { cliCommand } from '../command';
import { executeRun, prepareOut } from '../execute';
import { durationFlag } from '../options';

export interface DemoOptions {
  /** Where the run is saved (default .claude-load/runs/<timestamp>-demo). */
  out?: string;
  /** How long the load test sends (default 10s). */
  duration?: string;
  /** The simulator's latency (default realistic; fast for a quick look, e.g. a CI smoke test). */
  simLatency?: 'realistic' | 'fast';
  json: boolean;
}

export async function demoCommand(options: DemoOptions, io: CliIo): Promise<number> {
  const workload = {
    model: 'claude-sonnet-5-5',
    rpm: 100,
    peakFactor: 2,
    inputTokens: 500,
    outputTokens: 200,
  };
  const scenario = parseScenario({
    name: 'demo',
    target: { simulator: { tier: 'build', latency: options.simLatency ?? 'realistic', seed: 7 } },
    model: workload.model,
    maxTokens: 300,
    outputTokens: workload.outputTokens, // prompts ask for ~200 words: TPOT and tok/s on real-length answers
    stream: true,
    prompts: { type: 'synthetic', inputTokens: { mean: workload.inputTokens, sd: 100 } },
    load: { type: 'rate', rps: 5, arrival: 'poisson', maxInFlight: 200 },
    duration: options.duration ?? '10s',
    gracefulStop: '30s',
    thresholds: { 'ttft.p95': '<3000', 'errors.rate': '<0.01' },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = options.out ?? join('.claude-load', 'runs', `${stamp}-demo`);
  await prepareOut(out);
  const plan = planCapacity(validatePlanInput(workload, builtinCatalog), { catalog: builtinCatalog });
  if (!options.json) {
    io.stdout.write('== 1. Capacity plan: claude-sonnet-5-5, 100 RPM (peak x2), 500 in / 200 out tokens\n\n');
    io.stdout.write(formatPlanTable(plan) + '\n\n');
    io.stdout.write(
      `== 2. Load test on the built-in simulator (Build tier, ${options.simLatency ?? 'realistic'} latency), 5 req/s open loop\n\n`,
    );
  }
  const { exitCode, savedRunJson } = await executeRun(scenario, io, { json: options.json, out });
  if (!options.json && savedRunJson) {
    io.stdout.write(`\n== 3. Report\n\nOpen ${join(out, 'report.html')} in a browser (works offline).\n`);
  }
  return exitCode;
}

export const demoCli = cliCommand<{
  out?: string;
  duration?: string;
  simLatency?: 'realistic' | 'fast';
  json?: boolean;
}>({
  name: 'demo',
  define: () =>
    new Command('demo')
      .summary('plan a workload and load-test it on the built-in simulator (no key)')
      .description(
        'Plans a Sonnet 5.5 workload (100 RPM, 500 input / 200 output tokens, peak x2), then load-tests it on ' +
          'the built-in simulator (Build tier, realistic latency) at 5 requests/s and writes run.json, ' +
          'timeseries.csv and report.html.',
      )
      .addOption(
        new Option('--out <dir>', 'where to save the run (default .claude-load/runs/<timestamp>-demo)'),
      )
      .addOption(
        new Option('--duration <d>', 'how long to send, e.g. 10s (default 10s)').argParser(
          durationFlag('--duration'),
        ),
      )
      .addOption(
        new Option(
          '--sim-latency <mode>',
          'simulator latency: realistic (default; replies take seconds) or fast (a quick look, e.g. in CI)',
        ).choices(['realistic', 'fast']),
      )
      .addOption(new Option('--json', 'print one JSON summary of the load test instead of the walkthrough')),
  examples: [
    'claude-load demo',
    'claude-load demo --duration 3s --out /tmp/demo --json',
    'claude-load demo --sim-latency fast --duration 2s',
  ],
  run: (parsed, _args, io) => demoCommand({ ...parsed, json: parsed.json ?? false }, io),
});

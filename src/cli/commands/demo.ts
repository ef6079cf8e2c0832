// claude-load demo: the main job end to end on the built-in simulator, no key and no network.
// 1) plan a workload's tier and cost, 2) load-test it at a small scale, 3) write the HTML report.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  builtinCatalog,
  formatPlanTable,
  parseScenario,
  planCapacity,
  validatePlanInput,
} from '../../core/index';
import { CliError, EXIT, type CommandFn } from '../cliError';
import { executeRun } from './run';

const usage = `Usage: claude-load demo [--out DIR] [--duration 10s] [--json]
Plans a Sonnet 5.5 workload (100 RPM, 500 input / 200 output tokens, peak x2), then load-tests it on the
built-in simulator (Build tier, realistic latency) at 5 requests/s and writes run.json, timeseries.csv
and report.html into DIR (default .claude-load/runs/<timestamp>-demo).`;

export const demoCommand: CommandFn = async (args, io) => {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        duration: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    io.stdout.write(usage + '\n');
    return EXIT.ok;
  }
  const workload = {
    model: 'claude-sonnet-5-5',
    rpm: 100,
    peakFactor: 2,
    inputTokens: 500,
    outputTokens: 200,
  };
  const plan = planCapacity(validatePlanInput(workload, builtinCatalog), { catalog: builtinCatalog });
  if (!values.json) {
    io.stdout.write('== 1. Capacity plan: claude-sonnet-5-5, 100 RPM (peak x2), 500 in / 200 out tokens\n\n');
    io.stdout.write(formatPlanTable(plan) + '\n\n');
    io.stdout.write(
      '== 2. Load test on the built-in simulator (Build tier, realistic latency), 5 req/s open loop\n\n',
    );
  }
  const scenario = parseScenario({
    name: 'demo',
    target: { simulator: { tier: 'build', latency: 'realistic', seed: 7 } },
    model: workload.model,
    maxTokens: 300,
    outputTokens: workload.outputTokens, // prompts ask for ~200 words: TPOT and tok/s on real-length answers
    stream: true,
    prompts: { type: 'synthetic', inputTokens: { mean: workload.inputTokens, sd: 100 } },
    load: { type: 'rate', rps: 5, arrival: 'poisson', maxInFlight: 200 },
    duration: values.duration ?? '10s',
    gracefulStop: '30s',
    thresholds: { 'ttft.p95': '<3000', 'errors.rate': '<0.01' },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = values.out ?? join('.claude-load', 'runs', `${stamp}-demo`);
  const result = await executeRun(scenario, io, { json: values.json ?? false, out });
  if (!values.json) {
    io.stdout.write(`\n== 3. Report\n\nOpen ${join(out, 'report.html')} in a browser (works offline).\n`);
  }
  return result.summary.thresholds.some((t) => !t.pass) ? EXIT.thresholdFailed : EXIT.ok;
};

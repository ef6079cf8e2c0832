// Sweeps on the simulator find the rate-limit frontier within 10 % of the planner's prediction, for an
// RPM-, an ITPM- and an OTPM-bound workload. The simulator's time scale (15x) makes each sweep take
// seconds: 2 simulated req/s (120 RPM) are 30 real req/s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../src/core/index';
import { startSweep, type SweepResult } from '../../src/core/sweep/index';

const timeScale = 15;

async function sweepOf(
  limits: { rpm: number; itpm: number; otpm: number },
  inputTokens: number,
  maxTokens: number,
): Promise<SweepResult> {
  const scenario = parseScenario({
    name: 'frontier',
    target: { simulator: { tier: 'build', latency: 'fast', timeScale, limits } },
    model: 'claude-sonnet-5-5',
    prompts: { type: 'synthetic', inputTokens },
    maxTokens,
    stream: true,
    load: { type: 'rate', rps: 1, maxInFlight: 500 },
    duration: '10s',
  });
  const run = startSweep({
    scenario,
    mode: 'auto',
    startRate: 1,
    precision: 0.1,
    stepDurationMs: 2000,
    warmupMs: 400,
    rampMs: 400,
    simulatorBurstSeconds: 2,
  });
  return run.done;
}

function assertWithin10(
  r: SweepResult,
  limit: 'requests' | 'input_tokens' | 'output_tokens',
  planned: string,
): void {
  const detail = JSON.stringify({
    measured: r.maxSustainableRpm,
    predicted: r.predictedMaxRpm,
    err: r.predictionErrorPct,
    binding: r.binding,
    steps: r.steps.map((s) => [s.phase, s.offeredRps, s.pass, s.rateLimitedRate, s.requests]),
  });
  if (process.env.SWEEP_DEBUG) console.log(detail);
  assert.equal(r.stopReason, 'converged', detail);
  assert.ok(r.predictionErrorPct !== null && Math.abs(r.predictionErrorPct) <= 10, detail);
  assert.deepEqual(r.binding, { kind: 'rate-limit', bucket: 'sonnet-5-5', limit }, detail);
  assert.equal(r.prediction?.binding, planned, detail);
  assert.ok(r.maxSustainableInterval && r.maxSustainableInterval.highRps !== null, detail);
}

test('an RPM-bound workload: measured max within 10 % of the planner, requests bind', async () => {
  const r = await sweepOf({ rpm: 120, itpm: 10_000_000, otpm: 10_000_000 }, 50, 20);
  assertWithin10(r, 'requests', 'rpm');
});

test('an ITPM-bound workload: input tokens bind', async () => {
  const r = await sweepOf({ rpm: 100_000, itpm: 120_000, otpm: 10_000_000 }, 1000, 20);
  assertWithin10(r, 'input_tokens', 'itpm');
});

test('an OTPM-bound workload: output tokens bind', async () => {
  const r = await sweepOf({ rpm: 100_000, itpm: 10_000_000, otpm: 12_000 }, 50, 100);
  assertWithin10(r, 'output_tokens', 'otpm');
});

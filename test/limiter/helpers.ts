// Helpers of the limiter tests: child instances, and the sliding-window compliance check.
import type { ProofInstanceJob, ProofInstanceResult } from './fixtures/proofInstance';
import { startInstanceProcess } from '../../src/core/scale/instanceProcess';
import { bundledScript } from '../fixtures/bundledScript';

export interface CostEvent {
  at: number;
  cost: number;
}

/** Largest total cost inside any window [t, t + W] (a maximum starts at some event). */
export function maxWindowCost(events: readonly CostEvent[], windowMs: number): { cost: number; at: number } {
  const ev = [...events].sort((a, b) => a.at - b.at);
  let best = { cost: 0, at: 0 };
  let sum = 0;
  let j = 0;
  for (let i = 0; i < ev.length; i++) {
    while (j < ev.length && ev[j]!.at <= ev[i]!.at + windowMs) sum += ev[j++]!.cost;
    if (sum > best.cost) best = { cost: sum, at: ev[i]!.at };
    sum -= ev[i]!.cost;
  }
  return best;
}

export interface RunningInstance {
  ready: Promise<void>;
  /** Starts the phases at wall-clock `startAt` (jobs created with startAt 0). */
  go(startAt: number): void;
  done: Promise<ProofInstanceResult>;
  kill(): void;
}

/** Starts every instance, waits until all are ready, then starts them together ~300 ms later. */
export async function startTogether(
  jobs: ProofInstanceJob[],
): Promise<{ startAt: number; results: Promise<ProofInstanceResult[]> }> {
  const running = jobs.map((j) => startInstance({ ...j, startAt: 0 }));
  await Promise.all(running.map((r) => r.ready));
  const startAt = Date.now() + 300;
  for (const r of running) r.go(startAt);
  return { startAt, results: Promise.all(running.map((r) => r.done)) };
}

/** Starts a proof instance as a real OS process. */
export function startInstance(job: ProofInstanceJob): RunningInstance {
  return startInstanceProcess<ProofInstanceResult>(
    [bundledScript(new URL('./fixtures/proofInstance.ts', import.meta.url).pathname), JSON.stringify(job)],
    'proof instance',
  );
}

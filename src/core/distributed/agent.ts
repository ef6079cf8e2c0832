// What an agent of a distributed run derives from the plan: the schedule's fingerprint (agents of one
// run must share it), its share of the load, and, for the last agent, the merged run.
import { createHash } from 'node:crypto';
import { mergeRuns, type MergeOptions } from '../compare/index';
import { parseRunFile } from '../report/index';
import type { RunResult, Scenario } from '../model/run';

/**
 * A digest of everything that shapes the shared schedule (load, stop conditions, seed, prompts,
 * models, request bodies), not of where it is sent or how it is judged: the target, name and
 * thresholds may differ between machines.
 */
export function scheduleFingerprint(scenario: Scenario): string {
  const { name: _name, target: _target, thresholds: _thresholds, keepPrompts: _keep, ...schedule } = scenario;
  return createHash('sha256').update(JSON.stringify(schedule)).digest('hex');
}

/** The run id agents started with the same plan and flags agree on without being told one. */
export function defaultRunId(scenario: Scenario): string {
  return `plan-${scheduleFingerprint(scenario).slice(0, 12)}`;
}

export class AgentShareError extends Error {}

/**
 * One agent's scenario: the open-loop schedule is shared as it is (the engine's `shouldSend` picks the
 * agent's requests); a closed loop's workers and an open loop's in-flight cap are divided between the
 * agents (the first ones take the remainder), so the agents together apply the plan's load.
 */
export function agentScenario(scenario: Scenario, agentId: number, agents: number): Scenario {
  const share = (total: number) => Math.floor(total / agents) + (agentId < total % agents ? 1 : 0);
  const load = scenario.load;
  if (load.type === 'concurrency') {
    if (load.concurrency < agents)
      throw new AgentShareError(
        `--concurrency ${load.concurrency} is below --agents ${agents}: each agent runs a share of the workers, so give at least one per agent`,
      );
    return { ...scenario, load: { ...load, concurrency: share(load.concurrency) } };
  }
  return { ...scenario, load: { ...load, maxInFlight: Math.max(1, Math.ceil(load.maxInFlight / agents)) } };
}

/**
 * The agents' runs (serialised run.json) as one run: `mergeRuns` for two or more, the run itself for
 * one. With `scenario` (the plan before it was shared out) the merged run shows the whole load, not
 * the first agent's share of workers and in-flight cap.
 */
export function mergeAgentRuns(
  runs: readonly { agentId: number; runJson: string }[],
  options: MergeOptions & { scenario?: Scenario } = {},
): RunResult {
  const { scenario, ...mergeOptions } = options;
  const parsed = runs.map((r) => parseRunFile(r.runJson, `agent ${r.agentId}`));
  const merged = parsed.length === 1 ? parsed[0]! : mergeRuns(parsed, mergeOptions);
  return scenario ? { ...merged, scenario: { ...scenario, name: merged.scenario.name } } : merged;
}

// Distributed load generation: agents join a run in Redis, send their share of one schedule from a
// shared start instant, and the last to finish merges the runs.
export {
  joinRun,
  leaveRun,
  connectCoordinator,
  measureClockOffset,
  distributedKey,
  maxAgents,
  JoinError,
  type JoinOptions,
  type JoinedRun,
} from './join';
export { sharedBudgetGate, sharedSpentUsd, type SharedBudgetOptions } from './budget';
export { agentScenario, defaultRunId, mergeAgentRuns, scheduleFingerprint, AgentShareError } from './agent';

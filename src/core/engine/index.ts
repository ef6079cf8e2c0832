export type * from '../model/run';
export { outcomes } from '../model/run';
export { startLoadTest, LoadTestRun, type EngineOptions } from './engine';
export { EngineStartError } from './target';
export {
  evaluateThresholds,
  parseThreshold,
  parseThresholdExpression,
  thresholdMetricNames,
  ThresholdError,
  compare as compareThresholdValue,
} from './thresholds';
export { parseRateLimitHeaders, outcomeForStatus } from './request';
export { scrub, limitKind as rateLimitKind } from './recorder';
export { digestPrompt, recordedScenario } from './promptDigest';
export { TypedEmitter } from './emitter';
export { estimateScenarioCost, type CostEstimate } from './estimate';
export {
  AdmissionPipeline,
  BudgetGate,
  InFlightCapGate,
  StopConditionsGate,
  admitted,
  OutputEstimate,
  Waiters,
  type AdmissionContext,
  type AdmissionGate,
  type AdmissionRequest,
  type AdmissionOutcome,
  type GateDecision,
} from './admission/index';

export type { AdmissionContext, AdmissionGate, AdmissionRequest, GateDecision } from './gate';
export { admitted, Waiters } from './gate';
export { AdmissionPipeline, type AdmissionOutcome } from './pipeline';
export { StopConditionsGate } from './stopConditions';
export { InFlightCapGate } from './inFlightCap';
export { BudgetGate } from './budget';
export { OutputEstimate, observedOutputAfter } from './outputEstimate';

// Public API of the capacity planner.
export type * from './types';
export { PlanInputError, validatePlanInput } from './validate';
export { estimateLatencyS, evaluateTier, planCapacity } from './planner';
export { formatPlanMarkdown, formatPlanTable } from './format';
export { perInstanceShare } from './recommendations';

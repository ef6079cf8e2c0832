// Load-test plan files (*.claudeload.json): parsing into a Scenario, and building one from a capacity plan.
export {
  parseScenario,
  loadScenarioFile,
  readJsonl,
  ScenarioError,
  defaultPrompt,
  defaultOutputTokens,
  longAnswerPrompt,
  planLimits,
  anthropicBaseUrl,
} from './parse';
export type { ParseScenarioOptions, PlanProblem } from './parse';
export * from './fromCapacityPlan';

// Load-test plan files (*.claudeload.json): parsing into a Scenario, and building one from a capacity plan.
export {
  parseScenario,
  loadScenarioFile,
  readJsonl,
  ScenarioError,
  defaultPrompt,
  anthropicBaseUrl,
} from './parse';
export type { ParseScenarioOptions } from './parse';
export * from './fromCapacityPlan';

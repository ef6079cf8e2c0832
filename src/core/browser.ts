// The browser-safe entry of the core: what webviews may use. No node: module anywhere in its import
// graph (test/core/architecture.test.ts checks), so esbuild bundles it for a webview as it is.
export type * from './model/run';
export { outcomes } from './model/run';
export type * from './capacity/types';
export { fmtNum, fmtPct, fmtShare, fmtUsd } from './capacity/numbers';
export type { PercentileSummary } from './metrics/histogram';
export { metricDefinitions } from './report/definitions';
export { RunFileError, validateRun } from './report/validate';
export type * from './sweep/types';

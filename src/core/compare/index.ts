// Public API of run/sweep comparison and of merging parallel runs.
export {
  compare,
  bootstrapDelta,
  CompareError,
  type Comparable,
  type Comparison,
  type CompareOptions,
  type ConfigDifference,
  type MetricComparison,
} from './compare';
export { compareText, compareMarkdown, compareJson, compareHtml, percentileSpectrum } from './format';
export { mergeRuns, type MergeOptions } from './merge';
export { readComparable } from './read';

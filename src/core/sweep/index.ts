// Public API of capacity sweeps: max sustainable rate under an SLO, what binds, plan vs measured.
export type * from './types';
export { startSweep, SweepRun } from './runner';
export { parseSlo, wilsonInterval, defaultSloExpressions, SloError, type SloBound } from './slo';
export { kneeOf, maxSustainable, bindingOf, predictMax } from './analysis';
export { stepStats, limitOf429, risingSteadily, achievedRatioFloor } from './stepStats';
export {
  serializeSweep,
  parseSweepFile,
  SweepFileError,
  sweepCsv,
  renderSweepHtml,
  writeSweepOutputs,
  sweepSentence,
  describeBinding,
  evaluateSweepThresholds,
  parseSweepThreshold,
  sweepThresholdMetricNames,
  type SweepOutputPaths,
} from './output';
export { lineChartSvg, staticReportHtml, type ChartSeries, type LineChartSpec } from './svgChart';
export {
  parseStages,
  spikeShape,
  spikeFromPlan,
  spikeWindowOf,
  analyzeSpike,
  describeSpike,
  StageError,
  type SpikeSpec,
  type SpikeShape,
  type SpikeAnalysis,
  type PhaseStats,
} from './spike';
export { measuredVsPredicted, workloadTolerance, type MeasuredVsPredicted } from './measured';
export { ModelBreakdown, modelBreakdown, type ModelStats } from '../engine/byModel';

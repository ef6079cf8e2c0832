// Public API of the reports: run files, CSV, standalone HTML, diagnosis and metric definitions.
export { timeseriesCsv, timeseriesCsvHeader } from './csv';
export { diagnose, diagnosisThresholds } from './diagnosis';
export type { DiagnoseInput } from './diagnosis';
export { metricDefinitions } from './definitions';
export { renderReportHtml, embedJson } from './html';
export type { ReportAssets } from './html';
export { serializeRun, parseRunFile } from './runFile';
export {
  writeRunOutputs,
  writeReportFiles,
  writeFileAtomic,
  prepareOutputDir,
  OutputDirError,
  scrubRun,
} from './save';
export type { RunOutputPaths, Secrets } from './save';
export { RunFileError, validateRun, parseRunJson } from './validate';

import { diagnose } from './diagnosis';
import { metricDefinitions } from './definitions';
/** What a caller of the engine passes so results carry a diagnosis and the metric definitions. */
export const reportHooks = { diagnose, definitions: metricDefinitions } as const;

// batch.json: the report with a format version, written atomically (temporary file + rename) so an
// interrupted save never leaves a truncated file.
import { join } from 'node:path';
import { toolVersion } from '../version';
import { BATCH_FILE_VERSION } from './types';
import type { BatchFile, BatchReport } from './types';
import { writeFileAtomic } from '../util/atomicWrite';

export function serializeBatchReport(report: BatchReport, savedAt = new Date()): string {
  const file: BatchFile = {
    kind: 'claude-load-batch',
    version: BATCH_FILE_VERSION,
    toolVersion,
    savedAt: savedAt.toISOString(),
    report,
  };
  return JSON.stringify(file, null, 2) + '\n';
}

/** Writes `dir`/batch.json (creating `dir`) and returns its path. */
export async function writeBatchFile(dir: string, report: BatchReport): Promise<string> {
  const path = join(dir, 'batch.json');
  await writeFileAtomic(path, serializeBatchReport(report));
  return path;
}

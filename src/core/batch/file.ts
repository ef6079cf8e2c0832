// batch.json: the report with a format version, written atomically (temporary file + rename) so an
// interrupted save never leaves a truncated file.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toolVersion } from '../version';
import { BATCH_FILE_VERSION } from './types';
import type { BatchFile, BatchReport } from './types';

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
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'batch.json');
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, serializeBatchReport(report), 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  return path;
}

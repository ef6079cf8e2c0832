// Calls the CLI in-process: main(argv, io) with string buffers, an env of the test's choosing and an
// EventEmitter as the signal source, so Ctrl-C is simulated without spawning a process.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/cliError';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Codes passed to io.exitNow (a second Ctrl-C). */
  exits: number[];
}

export interface TestIo extends CliIo {
  signals: EventEmitter;
  out: { stdout: string; stderr: string };
  exits: number[];
}

export function testIo(env: Record<string, string | undefined> = {}): TestIo {
  const out = { stdout: '', stderr: '' };
  const exits: number[] = [];
  return {
    out,
    exits,
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    env: { ANTHROPIC_API_KEY: '', ...env },
    signals: new EventEmitter(),
    exitNow: (code) => void exits.push(code),
  };
}

/** Runs `claude-load <argv>` in this process. */
export async function cli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  io = testIo(env),
): Promise<CliResult> {
  const code = await main(argv, io);
  return { code, stdout: io.out.stdout, stderr: io.out.stderr, exits: io.exits };
}

/** report.html inlines the built report app: build once when it is missing. */
export function ensureReportBuilt(): void {
  if (existsSync(join(root, 'dist', 'webview', 'report.js')) && existsSync(join(root, 'dist', 'cli.js')))
    return;
  const res = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(res.status, 0, `build failed: ${res.stderr}`);
}

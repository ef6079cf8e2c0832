// Cancelling a rehearsal (the extension's progress notification): every instance process and the
// redis-server it started are gone, and the modes that finished are returned whole, the cancelled one marked interrupted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { runScale } from '../../src/core/scale/index';

/** Live child processes of this test process but tsx's esbuild service (pgrep exits 1 when there are none). */
function children(): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-P', String(process.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((line) => line && !line.includes('esbuild'));
  } catch {
    return [];
  }
}

test(
  'abort mid-mode: instances and redis-server stopped, finished modes kept',
  { timeout: 90_000 },
  async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const started = Date.now();
    const result = await runScale({
      instances: 2,
      offeredRps: 4,
      durationMs: 1500,
      modes: ['none', 'shared'],
      skew: 0,
      limits: { rpm: 600, itpm: 10_000_000, otpm: 10_000_000 },
      burstSeconds: 1,
      model: 'claude-haiku-4-5',
      maxTokens: 20,
      drainMs: 2000,
      signal: controller.signal,
      log: (line) => {
        lines.push(line);
        // The first mode finished: cancel the second while its instances run .
        if (line.startsWith('shared:') && line.includes('running')) setTimeout(() => controller.abort(), 300);
      },
    });
    assert.equal(result.interrupted, true);
    // The finished mode is kept whole; the cancelled one, if its instances reported in time, is kept
    // as what they measured and marked interrupted (as Ctrl-C does in the CLI).
    const modes = result.modes.map((m) => m.mode);
    assert.ok(modes[0] === 'none' && modes.length <= 2, lines.join('\n'));
    assert.ok(result.modes[0]!.ok > 0);
    assert.ok(!result.modes[0]!.interrupted);
    if (modes[1]) assert.equal(result.modes[1]!.interrupted, true, lines.join('\n'));
    assert.deepEqual(children(), [], 'no instance or redis-server process left');
    assert.ok(Date.now() - started < 60_000);
  },
);

// The batch journey in real VS Code (code-server + Chromium, the packaged .vsix): a plan file with
// "via": "batches" shows the "Run as batch" CodeLens; running it submits a Message Batch on the
// simulator, the progress notification ends with the outcome, batch.json is saved and the results
// panel opens on the batch section with the report's numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWebviewFrame, openFile, screenshot, waitForNotification, useWorkbench } from './codeServer';
import type { BatchFile } from '../../src/core/index';

const extensionId = 'claude-load-scale.claude-load-scale';

const wb = useWorkbench('batch', {
  prepare: (workspace) => {
    writeFileSync(
      join(workspace, 'nightly.claudeload.json'),
      JSON.stringify(
        {
          name: 'e2e-batch',
          // A 2-minute median at 5 simulated minutes a second: about half a second of polling.
          target: { simulator: { tier: 'build', timeScale: 300 } },
          model: 'claude-haiku-4-5',
          prompt: 'Summarise the ticket.',
          maxTokens: 64,
          requests: 200,
          via: 'batches',
          batch: { poll: '100ms', latency: '2m' },
        },
        null,
        2,
      ),
    );
  },
});

test(
  'a "via": "batches" plan runs as a Message Batch and opens the batch section',
  { timeout: 180_000 },
  async () => {
    const p = wb.page;
    try {
      await openFile(p, 'nightly.claudeload.json');
      const lens = p.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run as batch' }).first();
      await lens.waitFor({ state: 'visible', timeout: 30_000 });
      await lens.click();
      const ended = await waitForNotification(p, 'Batch "e2e-batch" ended', 90_000);
      assert.match(ended, /200\/200 succeeded/);

      const runs = join(wb.workspace, '.claude-load', 'runs');
      const folder = existsSync(runs)
        ? readdirSync(runs).find((f) => f.endsWith('-e2e-batch-batch'))
        : undefined;
      assert.ok(folder, 'batch.json saved under the results folder');
      const file = JSON.parse(readFileSync(join(runs, folder, 'batch.json'), 'utf8')) as BatchFile;
      assert.equal(file.kind, 'claude-load-batch');
      assert.equal(file.report.outcomes.succeeded, 200);

      const frame = await findWebviewFrame(
        p,
        (f) =>
          f.evaluate(() => {
            const d = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
            return d.querySelector('#batch [data-metric="batch.succeeded"]') !== null;
          }),
        { extensionId, timeoutMs: 30_000 },
      );
      const value = (key: string) =>
        frame.locator(`[data-metric="${key}"]`).first().getAttribute('data-value');
      assert.equal(Number(await value('batch.succeeded')), 200);
      assert.equal(Number(await value('batch.turnaroundMs')), file.report.turnaroundMs);
      assert.equal(Number(await value('batch.cost.batchUsd')), file.report.cost.batchUsd);
      await screenshot(p, 'batch-journey');
    } catch (err) {
      await screenshot(p, 'batch-journey-failed').catch(() => undefined);
      throw err;
    }
  },
);

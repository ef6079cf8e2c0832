import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isHostToLive,
  isHostToPlanner,
  isHostToReport,
  isLiveToHost,
  isPlannerToHost,
  isReportToHost,
  type GuardTable,
} from '../../src/shared/protocol/guards';
import { makeSampleRun } from '../fixtures/sampleRun';

test('webview -> host messages are checked by type and payload', () => {
  assert.ok(isReportToHost({ type: 'report/ready' }));
  assert.ok(isReportToHost({ type: 'report/export', format: 'csv' }));
  assert.ok(!isReportToHost({ type: 'report/export', format: 'pdf' }));
  assert.ok(!isReportToHost({ type: 'live/ready' }));
  assert.ok(!isReportToHost(null));
  assert.ok(!isReportToHost('report/ready'));

  assert.ok(isLiveToHost({ type: 'live/ready' }));
  assert.ok(isLiveToHost({ type: 'live/openReport' }));
  assert.ok(isLiveToHost({ type: 'live/stop' }));
  assert.ok(!isLiveToHost({ type: 'report/ready' }));

  assert.ok(isPlannerToHost({ type: 'planner/ready' }));
  assert.ok(isPlannerToHost({ type: 'plan/input', input: { rpm: 10 } }));
  assert.ok(!isPlannerToHost({ type: 'plan/input', input: [] }));
  for (const type of ['plan/save', 'plan/copyMarkdown', 'plan/loadTest'])
    assert.ok(isPlannerToHost({ type }));
  assert.ok(!isPlannerToHost({ type: 'plan/result', result: {} }));
});

test('host -> webview messages are checked by type and top-level payload', () => {
  const run = makeSampleRun();
  assert.ok(isHostToReport({ type: 'run/show', run }));
  assert.ok(isHostToReport({ type: 'theme/changed' }));
  assert.ok(!isHostToReport({ type: 'run/show' }));

  assert.ok(isHostToLive({ type: 'live/reset', run: { name: 'a', targetUrl: 'x', startedAt: 'y' } }));
  assert.ok(isHostToLive({ type: 'live/tick', windows: run.timeseries.slice(0, 1), totals: { sent: 1 } }));
  assert.ok(isHostToLive({ type: 'live/done', summary: run.summary }));
  assert.ok(isHostToLive({ type: 'live/restore', run: {}, windows: [], totals: {} }));
  assert.ok(!isHostToLive({ type: 'live/tick', windows: {} }));

  assert.ok(isHostToPlanner({ type: 'plan/init', models: [], tiers: [], input: {} }));
  assert.ok(isHostToPlanner({ type: 'plan/error', field: 'rpm', message: 'must be > 0' }));
  assert.ok(isHostToPlanner({ type: 'plan/result', result: {} }));
  assert.ok(!isHostToPlanner({ type: 'plan/error', field: 'rpm' }));
});

test('every message type has a guard: a table missing one does not compile (checked by npm run typecheck)', () => {
  type Two = { type: 'a/one' } | { type: 'a/two'; n: number };
  const complete = {
    'a/one': () => true,
    'a/two': (m: Record<string, unknown>) => typeof m.n === 'number',
  } satisfies GuardTable<Two>;
  // @ts-expect-error 'a/two' has no guard
  const missing = { 'a/one': () => true } satisfies GuardTable<Two>;
  assert.equal(Object.keys(complete).length, 2);
  assert.equal(Object.keys(missing).length, 1);
  // Inherited names are not message types.
  assert.ok(!isLiveToHost({ type: 'toString' }));
  assert.ok(!isHostToLive({ type: '__proto__' }));
});

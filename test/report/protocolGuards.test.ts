import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hostToLiveGuards,
  hostToPlannerGuards,
  hostToReportGuards,
  isHostToLive,
  isHostToPlanner,
  isHostToReport,
  isLiveToHost,
  isPlannerToHost,
  isReportToHost,
  liveToHostGuards,
  plannerToHostGuards,
  reportToHostGuards,
} from '../../src/shared/protocol/guards';
import type { GuardTable } from '../../src/shared/protocol/guards';
import type {
  HostToLive,
  HostToPlanner,
  HostToReport,
  LiveToHost,
  PlannerToHost,
  ReportToHost,
} from '../../src/shared/protocol/messages';
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

// Type-level: every message type of every direction has a guard and no guard is left over. If a new
// message type is added without one, `satisfies GuardTable<...>` in guards.ts and these lines fail tsc.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const coverage: [
  Exact<keyof typeof reportToHostGuards, ReportToHost['type']>,
  Exact<keyof typeof liveToHostGuards, LiveToHost['type']>,
  Exact<keyof typeof plannerToHostGuards, PlannerToHost['type']>,
  Exact<keyof typeof hostToReportGuards, HostToReport['type']>,
  Exact<keyof typeof hostToLiveGuards, HostToLive['type']>,
  Exact<keyof typeof hostToPlannerGuards, HostToPlanner['type']>,
] = [true, true, true, true, true, true];

test('every message type has a guard (a missing one is a compile error)', () => {
  assert.deepEqual(coverage, [true, true, true, true, true, true]);
  // @ts-expect-error a table without 'live/stop' does not satisfy GuardTable<LiveToHost>
  const incomplete: GuardTable<LiveToHost> = { 'live/ready': () => true, 'live/openReport': () => true };
  assert.ok(incomplete);
  // The runtime tables accept exactly their keys: an unknown type or inherited key is rejected.
  assert.ok(!isLiveToHost({ type: 'toString' }));
  assert.ok(!isHostToLive({ type: 'constructor' }));
  for (const [table, guard] of [
    [liveToHostGuards, isLiveToHost],
    [reportToHostGuards, isReportToHost],
    [plannerToHostGuards, isPlannerToHost],
    [hostToReportGuards, isHostToReport],
    [hostToLiveGuards, isHostToLive],
    [hostToPlannerGuards, isHostToPlanner],
  ] as const) {
    for (const type of Object.keys(table)) assert.equal(typeof guard({ type }), 'boolean');
  }
});

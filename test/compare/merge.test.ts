// mergeRuns carries what one run reports: rates over the union's send window (sent, offered, ok),
// per-model figures, thinking tokens, tool-use replies, unpriced models and an interruption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRuns } from '../../src/core/compare/index';
import type { ModelStats, RunResult } from '../../src/core/model/run';
import { makeSampleRun } from '../fixtures/sampleRun';

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

function modelStats(model: string, requests: number, costUsd: number, p50: number): ModelStats {
  const base = makeSampleRun().summary;
  return {
    model,
    requests,
    outcomes: { ...base.requests, ok: requests, rateLimited: 0 } as unknown as ModelStats['outcomes'],
    latencyMs: { ...base.latencyMs, count: requests, p50 },
    ttftMs: { ...base.ttftMs, count: requests },
    inputTokens: requests * 500,
    outputTokens: requests * 200,
    costUsd,
  };
}

/** An agent's run: `sent` requests in a 60 s send window starting `offsetS` after 10:00:00. */
function agentRun(offsetS: number, sent: number, extra: Partial<RunResult['summary']> = {}): RunResult {
  const run = makeSampleRun({
    startedAt: new Date(Date.parse('2026-12-01T10:00:00.000Z') + offsetS * 1000).toISOString(),
  });
  run.summary = {
    ...run.summary,
    sendWindowS: 60,
    durationS: 62,
    throughput: {
      ...run.summary.throughput,
      sentRps: sent / 60,
      offeredRps: sent / 60,
      goodputRps: sent / 60,
    },
    ...extra,
  };
  return run;
}

test('rates are over the union send window: sent, offered, ok and goodput add up across agents', () => {
  const a = agentRun(0, 300);
  const b = agentRun(1, 300);
  const m = mergeRuns([a, b]);
  // The union sent from 10:00:00 until 10:01:01 (b stopped sending 61 s after a started).
  assert.equal(m.summary.sendWindowS, 61);
  close(m.summary.durationS, 63, 'durationS');
  close(m.summary.drainS!, 2, 'drainS');
  close(m.summary.throughput.sentRps!, 600 / 61, 'sentRps');
  close(m.summary.throughput.offeredRps!, 600 / 61, 'offeredRps');
  close(m.summary.throughput.goodputRps!, 600 / 61, 'goodputRps');
  close(m.summary.throughput.rps, (a.summary.requests.ok + b.summary.requests.ok) / 61, 'rps');
  close(
    m.summary.throughput.outputTokensPerSec,
    (a.summary.tokens.output + b.summary.tokens.output) / 61,
    'outputTokensPerSec',
  );
});

test('closed-loop agents: offeredRps stays null', () => {
  const closed = (offsetS: number) =>
    agentRun(offsetS, 100, {
      throughput: { rps: 1, sentRps: 100 / 60, offeredRps: null, outputTokensPerSec: 1, goodputRps: null },
    });
  const m = mergeRuns([closed(0), closed(0)]);
  assert.equal(m.summary.throughput.offeredRps, null);
  assert.equal(m.summary.throughput.goodputRps, null);
  close(m.summary.throughput.sentRps!, 200 / 60, 'sentRps');
});

test('per model, thinking, tool use, unpriced models and an interruption are carried', () => {
  const a = agentRun(0, 300, {
    byModel: [modelStats('claude-sonnet-5-5', 200, 1.5, 1000), modelStats('claude-haiku-4-5', 100, 0.2, 400)],
    tokens: { input: 10, output: 20, cacheRead: 0, cacheWrite: 0, thinking: 7 },
    toolUseReplies: 3,
    unpricedModels: ['gw-model'],
  });
  const b = agentRun(0, 300, {
    byModel: [modelStats('claude-sonnet-5-5', 100, 0.5, 2500)],
    tokens: { input: 10, output: 20, cacheRead: 0, cacheWrite: 0, thinking: 5 },
    toolUseReplies: 4,
    interrupted: true,
  });
  const m = mergeRuns([a, b]).summary;
  const sonnet = m.byModel!.find((x) => x.model === 'claude-sonnet-5-5')!;
  assert.equal(sonnet.requests, 300);
  assert.equal(sonnet.outcomes.ok, 300);
  assert.equal(sonnet.inputTokens, 300 * 500);
  close(sonnet.costUsd, 2, 'sonnet cost');
  close(sonnet.latencyMs.p50, (200 * 1000 + 100 * 2500) / 300, 'request-weighted p50');
  assert.equal(m.byModel!.find((x) => x.model === 'claude-haiku-4-5')!.requests, 100);
  assert.equal(m.tokens.thinking, 12);
  assert.equal(m.toolUseReplies, 7);
  assert.deepEqual(m.unpricedModels, ['gw-model']);
  assert.equal(m.interrupted, true);
  // Runs without these fields merge without them.
  const plain = mergeRuns([agentRun(0, 10), agentRun(0, 10)]).summary;
  assert.equal(plain.byModel, undefined);
  assert.equal(plain.tokens.thinking, undefined);
  assert.equal(plain.toolUseReplies, undefined);
  assert.equal(plain.interrupted, undefined);
});

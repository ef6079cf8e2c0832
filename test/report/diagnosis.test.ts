import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/core/report/diagnosis';
import { spearman } from '../../src/core/report/stats';
import type { Diagnosis, RunResult, TimeWindow } from '../../src/core/model/run';
import { makeSampleRun } from '../fixtures/sampleRun';
import type { SampleOverrides } from '../fixtures/sampleRun';

function run(o: SampleOverrides = {}): RunResult {
  return makeSampleRun(o);
}

function find(ds: Diagnosis[], id: string): Diagnosis {
  const d = ds.find((x) => x.id === id);
  assert.ok(d, `expected diagnosis ${id}, got ${ds.map((x) => x.id).join(', ')}`);
  return d;
}

const base = makeSampleRun();
const requests = (r: Partial<RunResult['summary']['requests']>) => ({ ...base.summary.requests, ...r });

test('healthy data: only "no problems found", with numbers', () => {
  const ds = diagnose(base);
  assert.deepEqual(
    ds.map((d) => d.id),
    ['healthy'],
  );
  assert.equal(ds[0]?.severity, 'info');
  assert.match(
    ds[0]?.detail ?? '',
    /^300 of 300 requests \(100 %\) succeeded; p50 latency 3,574 ms, p99 4,547 ms/,
  );
});

test('429s by bucket and limit, with the share and the matching advice', () => {
  const ds = diagnose(
    run({
      summary: {
        requests: requests({ ok: 255, rateLimited: 45 }),
        rateLimitedBy: [
          { bucket: 'sonnet-5-5', limit: 'output_tokens', count: 42 },
          { bucket: 'sonnet-5-5', limit: 'requests', count: 3 },
        ],
      },
    }),
  );
  const otpm = find(ds, 'rate-limit-sonnet-5-5-output_tokens');
  assert.equal(otpm.severity, 'error');
  assert.equal(
    otpm.detail,
    "42 of 300 requests (14 %) got 429 on the Sonnet 5.5 bucket's output-token limit (OTPM).",
  );
  assert.match(otpm.advice, /Lower max_tokens \(now 400;.*spread load.*move to the Build tier/);
  const rpm = find(ds, 'rate-limit-sonnet-5-5-requests');
  assert.equal(rpm.severity, 'warning');
  assert.match(
    rpm.detail,
    /^3 of 300 requests \(1 %\) got 429 on the Sonnet 5\.5 bucket's request limit \(RPM\)/,
  );
  assert.ok(!ds.some((d) => d.id === 'healthy'));
  assert.ok(
    !ds.some((d) => d.id === 'headroom-outputTokens'),
    'a limit that bound is not also "close to binding"',
  );
});

test('429s without attribution are still reported', () => {
  const ds = diagnose(
    run({ summary: { requests: requests({ ok: 290, rateLimited: 10 }), rateLimitedBy: [] } }),
  );
  assert.match(find(ds, 'rate-limit-unattributed').detail, /^10 of 300 requests \(3\.3 %\) got 429/);
});

test('529 overloaded: server capacity, back off with jitter', () => {
  const ds = diagnose(
    run({
      summary: {
        requests: requests({ ok: 270, overloaded: 30 }),
        errorsByMessage: [{ outcome: 'overloaded', message: 'Overloaded', count: 30 }],
      },
    }),
  );
  const d = find(ds, 'overloaded');
  assert.equal(d.severity, 'error');
  assert.match(
    d.detail,
    /^30 of 300 requests \(10 %\) got 529 overloaded_error.*Most common: "Overloaded" \(30\)/,
  );
  assert.match(d.advice, /jitter/);
  assert.match(d.advice, /spread load/);
});

test('5xx, timeouts, network and stream errors each get their advice', () => {
  const ds = diagnose(
    run({
      summary: {
        requests: requests({ ok: 290, serverErrors: 4, timeouts: 3, networkErrors: 2, streamErrors: 1 }),
        errorsByMessage: [{ outcome: 'timeout', message: 'Request timed out.', count: 3 }],
      },
    }),
  );
  assert.match(find(ds, 'server-errors').detail, /^4 of 300 requests \(1\.3 %\) failed with a 5xx/);
  assert.match(find(ds, 'server-errors').advice, /exponential backoff/);
  const t = find(ds, 'timeouts');
  assert.equal(t.severity, 'warning');
  assert.match(t.detail, /Most common: "Request timed out\." \(3\)/);
  assert.match(t.advice, /timeoutMs.*streaming for long outputs/);
  assert.match(find(ds, 'network-errors').advice, /exponential backoff/);
  assert.match(find(ds, 'stream-errors').detail, /^1 of 300 requests \(0\.3 %\)/);
});

test('latency growing with in-flight requests is reported with the correlation and both latencies', () => {
  const windows: TimeWindow[] = base.timeseries.slice(0, 30).map((w, i) => ({
    ...w,
    t: i,
    completed: 5,
    inFlight: 2 + i,
    latencyMs: { p50: 500 + 50 * (2 + i), p95: 900 + 60 * i, p99: 1000 + 70 * i },
  }));
  const ds = diagnose(run({ timeseries: windows }));
  const d = find(ds, 'queueing');
  // Lowest third: in-flight 2..11 (median p50 825 ms); highest third: 22..31 (median p50 1,825 ms).
  assert.match(
    d.detail,
    /^Median p50 latency was 825 ms in windows with ≤ 11 requests in flight and 1,825 ms with ≥ 22 in flight \(2\.2x; Spearman ρ = 1 over 30 windows\)/,
  );
});

test('queueing does not fire on noise or on flat latency', () => {
  const flat: TimeWindow[] = base.timeseries.slice(0, 30).map((w, i) => ({
    ...w,
    completed: 5,
    inFlight: 2 + i,
    latencyMs: { p50: 1000 + (i % 3), p95: 1200, p99: 1300 },
  }));
  assert.ok(!diagnose(run({ timeseries: flat })).some((d) => d.id === 'queueing'));
  // The realistic sample: in-flight and latency co-vary a little (Little's law), but not enough.
  const ws = base.timeseries.filter((w) => w.completed > 0);
  assert.ok(
    (spearman(
      ws.map((w) => w.inFlight),
      ws.map((w) => w.latencyMs.p50),
    ) ?? 1) < 0.6,
  );
});

test('a busy generator is flagged with the reasons, send lag judged against the latency it adds to', () => {
  // Median latency ~3.6 s: a send lag matters above 10 % of it (~357 ms).
  const ds = diagnose(
    run({
      summary: {
        health: { eventLoopUtilization: 0.93, cpuCores: 0.5, warnings: [] },
        sendLagMs: { ...base.summary.sendLagMs, p99: 500 },
      },
    }),
  );
  const d = find(ds, 'generator-saturated');
  assert.match(d.detail, /the load generator, not the target, may be the bottleneck/i);
  assert.match(
    d.detail,
    /event-loop utilisation 93 % \(> 80 %\); send lag p99 500 ms \(> 10 % of the median latency, 357 ms\)/,
  );
  assert.ok(!d.detail.includes('CPU'));
});

test('generator saturation: no false positives on short runs, small lags or an in-process simulator', () => {
  const busy = { eventLoopUtilization: 1, cpuCores: 1.5, warnings: [] };
  // A 4-request run is all start-up: 100 % event-loop use says nothing.
  assert.ok(
    !diagnose(run({ summary: { durationS: 1.2, sendWindowS: 1.2, health: busy } })).some(
      (x) => x.id === 'generator-saturated',
    ),
  );
  // 25 ms of lag against 3.6 s responses, and CPU that includes the in-process simulator: not a finding.
  const ds = diagnose(
    run({
      summary: {
        health: { eventLoopUtilization: 0.08, cpuCores: 1.5, warnings: [] },
        sendLagMs: { ...base.summary.sendLagMs, p99: 25 },
      },
    }),
  );
  assert.ok(!ds.some((x) => x.id === 'generator-saturated'), ds.map((x) => x.id).join(', '));
});

test('engine warnings in a diagnosis read as separate sentences', () => {
  const d = find(
    diagnose(
      run({
        summary: {
          health: {
            eventLoopUtilization: 0.95,
            cpuCores: 0.2,
            warnings: [
              'sends went out up to 40 ms late (p99 timer lateness): the generator is saturated',
              'the simulator ran in the same process: CPU figures include it',
            ],
          },
        },
      }),
    ),
    'generator-saturated',
  );
  assert.match(
    d.detail,
    /the generator is saturated\. The simulator ran in the same process: CPU figures include it\.$/,
  );
  assert.doesNotMatch(d.detail, /saturated the simulator/);
});

test('coordinated omission: corrected p99 far above uncorrected', () => {
  const ds = diagnose(
    run({
      summary: {
        latencyMs: { ...base.summary.latencyMs, p99: 9200 },
        sendLagMs: { ...base.summary.sendLagMs, p99: 4300, max: 4650 },
      },
    }),
  );
  const d = find(ds, 'coordinated-omission');
  assert.match(
    d.detail,
    /^The target stalled: requests waited up to 4,650 ms \(p99 4,300 ms\) before they could be sent\./,
  );
  assert.match(d.detail, /Corrected p99 latency .* is 9,200 ms against 4,547 ms/);
  assert.match(d.advice, /in-flight cap \(64\)/);
  // Not in closed-loop runs (no uncorrected latency).
  const closed = run({
    summary: { latencyUncorrectedMs: null, latencyMs: { ...base.summary.latencyMs, p99: 9200 } },
  });
  assert.ok(!diagnose(closed).some((x) => x.id === 'coordinated-omission'));
});

test('headroom below 10 % is close to binding', () => {
  const windows = base.timeseries.map((w) =>
    w.t === 30 ? { ...w, headroom: { requests: 0.5, inputTokens: null, outputTokens: 0.04 } } : w,
  );
  const ds = diagnose(run({ timeseries: windows }));
  const d = find(ds, 'headroom-outputTokens');
  assert.equal(
    d.detail,
    'The lowest remaining output tokens (OTPM) headroom was 4 % (at 30 s): close to binding.',
  );
  assert.ok(!ds.some((x) => x.id === 'headroom-requests'));
});

test('budget stop names the cost and the cap', () => {
  const ds = diagnose(
    run({ summary: { stopReason: 'budget', costUsd: 0.5012 }, scenario: { maxCostUsd: 0.5 } }),
  );
  assert.match(
    find(ds, 'budget-stop').detail,
    /^The run stopped after 300 requests when its cost reached \$0\.5012 \(maxCostUsd \$0\.50\)\./,
  );
});

test('no finished requests is an error, not "healthy"', () => {
  const ds = diagnose(run({ summary: { requests: requests({ total: 0, ok: 0 }) } }));
  assert.deepEqual(
    ds.map((d) => [d.id, d.severity]),
    [['no-requests', 'error']],
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, timeseriesCsv } from '../../src/core/report/csv';
import type { TimeWindow } from '../../src/core/model/run';
import { makeSampleRun } from '../fixtures/sampleRun';

const header =
  't,sent,completed,ok,rate_limited,overloaded,server_error,client_error,timeout,network,stream_error,aborted,' +
  'in_flight,latency_p50_ms,latency_p95_ms,latency_p99_ms,ttft_p50_ms,ttft_p95_ms,ttft_p99_ms,' +
  'input_tokens_per_min,output_tokens_per_min,headroom_requests,headroom_input_tokens,headroom_output_tokens,' +
  'cost_usd,send_lag_ms_max';

const window: TimeWindow = {
  t: 12,
  sent: 5,
  completed: 4,
  outcomes: {
    ok: 2,
    rate_limited: 1,
    overloaded: 1,
    server_error: 0,
    client_error: 0,
    timeout: 0,
    network: 0,
    stream_error: 0,
    aborted: 0,
  },
  inFlight: 17,
  latencyMs: { p50: 3573.759, p95: 4407.295, p99: 4546.559 },
  ttftMs: { p50: 801.5, p95: 940, p99: 949.1 },
  inputTokensPerMin: 60000,
  outputTokensPerMin: 12000,
  headroom: { requests: 0.9, inputTokens: null, outputTokens: 0.05 },
  costUsd: 0.1 + 0.2,
  sendLagMsMax: 0.987,
};

test('the header names every field, in order', () => {
  const csv = timeseriesCsv(makeSampleRun({ timeseries: [] }));
  assert.equal(csv, header + '\r\n');
});

test('a window becomes one flattened row; missing headroom is an empty cell; float noise is trimmed', () => {
  const csv = timeseriesCsv(makeSampleRun({ timeseries: [window] }));
  const [, row, end] = csv.split('\r\n');
  assert.equal(
    row,
    '12,5,4,2,1,1,0,0,0,0,0,0,17,3573.759,4407.295,4546.559,801.5,940,949.1,60000,12000,0.9,,0.05,0.3,0.987',
  );
  assert.equal(end, '');
  assert.equal(row?.split(',').length, header.split(',').length);
});

test('one row per window of a realistic run', () => {
  const run = makeSampleRun();
  const lines = timeseriesCsv(run).trimEnd().split('\r\n');
  assert.equal(lines.length, run.timeseries.length + 1);
  for (const l of lines) assert.equal(l.split(',').length, 26);
});

test('RFC 4180 quoting: commas, quotes and line breaks are quoted, quotes doubled', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\r'), '"cr\r"');
});

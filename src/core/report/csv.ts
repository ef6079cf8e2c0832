// The per-second time series as CSV (RFC 4180: CRLF line ends, fields quoted only when needed).
import { outcomes } from '../model/run';
import type { RunResult, TimeWindow } from '../model/run';

type Column = { name: string; value: (w: TimeWindow) => number | null };

const columns: Column[] = [
  { name: 't', value: (w) => w.t },
  { name: 'sent', value: (w) => w.sent },
  { name: 'completed', value: (w) => w.completed },
  ...outcomes.map((o): Column => ({ name: o, value: (w) => w.outcomes[o] ?? 0 })),
  { name: 'in_flight', value: (w) => w.inFlight },
  { name: 'latency_p50_ms', value: (w) => w.latencyMs.p50 },
  { name: 'latency_p95_ms', value: (w) => w.latencyMs.p95 },
  { name: 'latency_p99_ms', value: (w) => w.latencyMs.p99 },
  { name: 'ttft_p50_ms', value: (w) => w.ttftMs.p50 },
  { name: 'ttft_p95_ms', value: (w) => w.ttftMs.p95 },
  { name: 'ttft_p99_ms', value: (w) => w.ttftMs.p99 },
  { name: 'input_tokens_per_min', value: (w) => w.inputTokensPerMin },
  { name: 'output_tokens_per_min', value: (w) => w.outputTokensPerMin },
  { name: 'headroom_requests', value: (w) => w.headroom.requests },
  { name: 'headroom_input_tokens', value: (w) => w.headroom.inputTokens },
  { name: 'headroom_output_tokens', value: (w) => w.headroom.outputTokens },
  { name: 'cost_usd', value: (w) => w.costUsd },
  { name: 'send_lag_ms_max', value: (w) => w.sendLagMsMax },
];

export const timeseriesCsvHeader: readonly string[] = columns.map((c) => c.name);

export function timeseriesCsv(run: RunResult): string {
  const rows = [timeseriesCsvHeader.map(csvField)];
  for (const w of run.timeseries) rows.push(columns.map((c) => csvField(formatNumber(c.value(w)))));
  return rows.map((r) => r.join(',') + '\r\n').join('');
}

/** Empty for null/NaN (spreadsheets read an empty cell as missing); float noise trimmed to 6 decimals. */
function formatNumber(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '';
  return String(Math.round(n * 1e6) / 1e6);
}

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

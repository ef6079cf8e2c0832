// The status bar's texts while a load test runs and after it. Pure (no vscode), so tests check every
// number it shows.
import { dash, fmtCount, fmtDuration, fmtMs, fmtNumber, fmtUsd, summaryErrors } from '../core/index';
import type { RunSummary, TimeWindow } from '../core/index';
import type { LiveRunInfo, LiveTotals } from '../shared/protocol/messages';

// Short names for the shared formatters: the texts below use them a lot.
const int = fmtCount;
const ms = fmtMs;
const usd = fmtUsd;

export interface StatusText {
  text: string;
  tooltip: string;
  accessibility: string;
}

/** The running item's text: the newest window's rate and p95, errors so far. */
export function runningText(
  info: LiveRunInfo,
  window: TimeWindow,
  totals: LiveTotals,
  errors: number,
): StatusText {
  const p95 = window.completed > 0 && window.latencyMs.p95 > 0 ? ms(window.latencyMs.p95) : dash;
  const ttft = window.completed > 0 && window.ttftMs.p95 > 0 ? ms(window.ttftMs.p95) : dash;
  return {
    text: `$(pulse) ${int(window.completed)} req/s · p95 ${p95} · ${int(errors)} err`,
    tooltip: [
      `Claude load test "${info.name}" running`,
      info.targetUrl,
      `Elapsed ${fmtDuration(totals.elapsedS)} · sent ${int(totals.sent)} · done ${int(totals.completed)} · in flight ${int(totals.inFlight)}`,
      `Last second: ${int(window.completed)} finished · latency p50 ${ms(window.latencyMs.p50)}, p95 ${p95}, p99 ${ms(window.latencyMs.p99)} · TTFT p95 ${ttft}`,
      `Errors so far ${int(errors)} · cost ${usd(totals.costUsd)}${info.maxCostUsd ? ` of ${usd(info.maxCostUsd)}` : ''}`,
      'Click to show the latency charts.',
    ]
      .filter(Boolean)
      .join('\n'),
    accessibility: `Claude load test running: ${int(window.completed)} requests per second, p95 latency ${p95 === dash ? 'unknown' : p95}, ${int(errors)} errors`,
  };
}

export function finishedText(name: string, s: RunSummary): StatusText {
  const failed = summaryErrors(s);
  const icon = s.stopReason === 'failed' || failed > 0 ? '$(warning)' : '$(check)';
  return {
    text: `${icon} ${int(s.requests.total)} req · p95 ${ms(s.latencyMs.p95)} · ${int(failed)} err`,
    tooltip: [
      `Claude load test "${name}": ${s.stopReason} after ${fmtDuration(s.durationS)}`,
      `${int(s.requests.total)} requests, ${int(s.requests.ok)} ok, ${int(failed)} failed · ${fmtNumber(s.throughput.rps, 1)} req/s`,
      `Latency p50 ${ms(s.latencyMs.p50)}, p95 ${ms(s.latencyMs.p95)}, p99 ${ms(s.latencyMs.p99)} · TTFT p95 ${ms(s.ttftMs.p95)}`,
      `Cost ${usd(s.costUsd)}`,
      'Click to show the latency charts.',
    ].join('\n'),
    accessibility: `Claude load test finished: ${int(s.requests.total)} requests, p95 latency ${ms(s.latencyMs.p95)}, ${int(failed)} errors`,
  };
}

// A status bar item while a load test runs: "$(pulse) 12 req/s · p95 840 ms · 0 err", updated once per
// engine window; click shows the Latency view. After the run it shows the outcome for a while, then hides.
import * as vscode from 'vscode';
import { fmtCount, fmtDuration, fmtMs, fmtNumber, fmtUsd, windowErrors } from '../core/index';
import type { RunSummary, TimeWindow } from '../core/engine/types';
import type { LiveRunInfo, LiveTotals } from '../shared/protocol/messages';
import type { Services } from './services';

/** How long the final summary stays in the status bar. */
export const finishedVisibleMs = 30_000;

// Short names for the shared formatters: the texts below use them a lot.
const int = fmtCount;
const ms = fmtMs;
const usd = fmtUsd;

export interface StatusText {
  text: string;
  tooltip: string;
  accessibility: string;
}

/** The running item's text (pure, for tests): the newest window's rate and p95, errors so far. */
export function runningText(
  info: LiveRunInfo,
  window: TimeWindow,
  totals: LiveTotals,
  errors: number,
): StatusText {
  const p95 = window.completed > 0 && window.latencyMs.p95 > 0 ? ms(window.latencyMs.p95) : '–';
  const ttft = window.completed > 0 && window.ttftMs.p95 > 0 ? ms(window.ttftMs.p95) : '–';
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
    accessibility: `Claude load test running: ${int(window.completed)} requests per second, p95 latency ${p95 === '–' ? 'unknown' : p95}, ${int(errors)} errors`,
  };
}

export function finishedText(name: string, s: RunSummary): StatusText {
  const failed = s.requests.total - s.requests.ok - s.requests.aborted;
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

export class RunStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];
  private info: LiveRunInfo | undefined;
  private errors = 0;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(services: Services) {
    this.item = vscode.window.createStatusBarItem('claudeLoad.run', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Claude Load Test';
    this.item.command = 'claudeLoad.showLatencyCharts';
    const { runs } = services;
    this.subscriptions = [
      runs.onDidStart((info) => this.start(info)),
      runs.onDidTick(({ window, totals }) => this.tick(window, totals)),
      runs.onDidFinish(({ result }) => this.finish(result.name, result.summary)),
    ];
  }

  private apply(t: StatusText): void {
    this.item.text = t.text;
    this.item.tooltip = t.tooltip;
    this.item.accessibilityInformation = { label: t.accessibility, role: 'button' };
  }

  private start(info: LiveRunInfo): void {
    this.cancelHide();
    this.info = info;
    this.errors = 0;
    this.item.backgroundColor = undefined;
    this.apply({
      text: '$(pulse) starting…',
      tooltip: `Claude load test "${info.name}" starting\nClick to show the latency charts.`,
      accessibility: 'Claude load test starting',
    });
    this.item.show();
  }

  private tick(window: TimeWindow, totals: LiveTotals): void {
    if (!this.info) return;
    this.errors += windowErrors(window);
    this.apply(runningText(this.info, window, totals, this.errors));
    this.item.backgroundColor =
      this.errors > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  private finish(name: string, summary: RunSummary): void {
    this.info = undefined;
    const t = finishedText(name, summary);
    this.apply(t);
    this.item.backgroundColor = t.text.startsWith('$(warning)')
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
    this.item.show();
    this.cancelHide();
    this.hideTimer = setTimeout(() => this.item.hide(), finishedVisibleMs);
  }

  private cancelHide(): void {
    if (this.hideTimer !== undefined) clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
  }

  dispose(): void {
    this.cancelHide();
    for (const d of this.subscriptions) d.dispose();
    this.item.dispose();
  }
}

export function registerStatusBar(services: Services): vscode.Disposable {
  return new RunStatusBar(services);
}

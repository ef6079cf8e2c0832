// A status bar item while a load test runs: "$(pulse) 12 req/s · p95 840 ms · 0 err", updated once per
// engine window; click shows the Latency view. After the run it shows the outcome for a while, then hides.
import * as vscode from 'vscode';
import { windowErrors } from '../core/index';
import type { RunSummary, TimeWindow } from '../core/index';
import type { LiveRunInfo, LiveTotals } from '../shared/protocol/messages';
import type { Services } from './services';
import { finishedText, runningText } from './statusText';
import type { StatusText } from './statusText';

/** How long the final summary stays in the status bar. */
export const finishedVisibleMs = 30_000;

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

// The "Latency" webview view (id claudeLoad.latency) in the Claude Load activity-bar container.
// It listens to the run manager for the life of the extension and is the handler of a WebviewHost
// (../webviews/webviewHost.ts) for each time the view is resolved: the webview may be resolved, hidden,
// shown and disposed many times. Ticks go out through a TickCoalescer (at most one live/tick
// per 250 ms); while the view is hidden nothing is posted, and showing it again sends one live/restore
// with the full snapshot (the webview's content is re-created when hidden, so it needs one anyway).
import * as vscode from 'vscode';
import { addLiveWarning, droppedErrors } from '../../core/index';
import type { HostToLive, LiveToHost } from '../../shared/protocol/messages';
import { isLiveToHost } from '../../shared/protocol/guards';
import { hostWebviewView } from '../webviews/vscodeWebviews';
import type { WebviewHandler, WebviewHost } from '../webviews/webviewHost';
import type { RunSnapshot } from '../runManager';
import type { Services } from '../services';
import { TickCoalescer } from './liveThrottle';

export const latencyViewId = 'claudeLoad.latency';

export class LatencyViewProvider
  implements vscode.WebviewViewProvider, WebviewHandler<LiveToHost, HostToLive>, vscode.Disposable
{
  readonly app = 'live';
  readonly title = 'Latency';
  readonly readyType = 'live/ready';
  readonly isMessage = isLiveToHost;
  readonly themeChanged = { type: 'theme/changed' } as const;
  /** Ticks are paused while hidden: showing the view again resumes them with a full snapshot. */
  readonly restoreWhenShown = true;
  /** The host of the current view; replaced when the view is resolved again. */
  private host: WebviewHost<LiveToHost, HostToLive> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly coalescer: TickCoalescer;
  /** The current run's warnings: the snapshot has none, so they are replayed after a restore. */
  private readonly warnings: string[] = [];

  constructor(private readonly services: Services) {
    this.coalescer = new TickCoalescer((batch) => this.post({ type: 'live/tick', ...batch }));
    // Nothing to post to until a view is resolved and its app is ready.
    this.coalescer.pause();
    const { runs } = services;
    this.subscriptions.push(
      runs.onDidStart((run) => {
        this.coalescer.clear();
        this.warnings.length = 0;
        this.post({ type: 'live/reset', run });
      }),
      runs.onDidTick((e) => this.coalescer.push(e.window, e.totals)),
      runs.onDidWarn((message) => {
        addLiveWarning(this.warnings, message);
        this.post({ type: 'live/warning', message });
      }),
      runs.onDidFinish(({ result }) => {
        // The last windows go out before live/done so the charts end where the summary does.
        this.coalescer.flush();
        this.post({ type: 'live/done', summary: result.summary, diagnosis: result.diagnosis });
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.host?.dispose();
    hostWebviewView(this.services, view, this);
  }

  attach(host: WebviewHost<LiveToHost, HostToLive>): void {
    this.host = host;
    // Paused until the app says live/ready: it gets a restore, then ticks flow.
    this.coalescer.pause();
  }

  onMessage(message: LiveToHost): void {
    switch (message.type) {
      case 'live/stop':
        this.services.runs.stop();
        return;
      case 'live/openReport':
        return this.openReport();
      case 'live/command':
        // The empty state's buttons (Run Load Test, Plan Capacity, New Plan), like the Testing view's.
        void vscode.commands.executeCommand(`claudeLoad.${message.command}`);
        return;
    }
  }

  private openReport(): void {
    const folder = this.services.runs.snapshot?.folder;
    if (!folder) {
      void vscode.window.showWarningMessage(
        'This run has no saved report (it is running or could not be saved).',
      );
      return;
    }
    Promise.resolve(vscode.commands.executeCommand('claudeLoad.openReport', folder)).catch((e: unknown) => {
      const text = `Could not open the report: ${e instanceof Error ? e.message : String(e)}`;
      this.services.log.error(text);
      void vscode.window.showErrorMessage(text);
    });
  }

  onVisibilityChanged(visible: boolean): void {
    // Shown again: restore() follows and resumes. Hidden: windows accumulate, nothing is posted.
    if (!visible) this.coalescer.pause();
  }

  /** Sends everything so far and resumes ticks; windows coalesced meanwhile are in the snapshot. */
  restore(): void {
    this.coalescer.resume({ discard: true });
    const snap = this.services.runs.snapshot;
    if (!snap) return;
    this.post(restoreMessage(snap));
    for (const message of this.warnings) this.post({ type: 'live/warning', message });
  }

  onDispose(): void {
    this.host = undefined;
    this.coalescer.pause();
  }

  private post(message: HostToLive): void {
    this.host?.post(message);
  }

  dispose(): void {
    this.host?.dispose();
    this.coalescer.dispose();
    for (const d of this.subscriptions) d.dispose();
    this.subscriptions.length = 0;
  }
}

export function restoreMessage(snap: RunSnapshot): HostToLive {
  return {
    type: 'live/restore',
    run: snap.info,
    windows: snap.live.windows,
    errorsBefore: droppedErrors(snap.live),
    totals: snap.totals,
    ...(snap.summary ? { summary: snap.summary } : {}),
    ...(snap.diagnosis ? { diagnosis: snap.diagnosis } : {}),
  };
}

/** Registers the provider for the Latency view; the returned disposable removes both. */
export function registerLatencyView(services: Services): vscode.Disposable {
  const provider = new LatencyViewProvider(services);
  return vscode.Disposable.from(provider, vscode.window.registerWebviewViewProvider(latencyViewId, provider));
}

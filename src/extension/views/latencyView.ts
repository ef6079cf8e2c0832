// The "Latency" webview view (id claudeLoad.latency) in the Claude Load activity-bar container.
// It listens to the run manager for the life of the extension; the webview itself may be resolved,
// hidden, shown and disposed many times. Ticks go out through a TickCoalescer (at most one live/tick
// per 250 ms); while the view is hidden nothing is posted, and showing it again sends one live/restore
// with the full snapshot (the webview's content is re-created when hidden, so it needs one anyway).
import * as vscode from 'vscode';
import type { HostToLive } from '../../shared/protocol/messages';
import { isLiveToHost } from '../../shared/protocol/guards';
import { loadWebviewApp } from '../panels/webviewSetup';
import type { RunSnapshot } from '../runManager';
import type { Services } from '../services';
import { TickCoalescer } from './liveThrottle';

export const latencyViewId = 'claudeLoad.latency';
const maxWarnings = 20;

export class LatencyViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** Listeners of the current view; replaced when the view is resolved again. */
  private viewSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly coalescer: TickCoalescer;
  /** The current run's warnings: the snapshot has none, so they are replayed after a restore. */
  private warnings: string[] = [];

  constructor(private readonly services: Services) {
    this.coalescer = new TickCoalescer((batch) => this.post({ type: 'live/tick', ...batch }));
    // Nothing to post to until a view is resolved and visible.
    this.coalescer.pause();
    const { runs } = services;
    this.subscriptions.push(
      runs.onDidStart((run) => {
        this.coalescer.clear();
        this.warnings = [];
        this.post({ type: 'live/reset', run });
      }),
      runs.onDidTick((e) => this.coalescer.push(e.window, e.totals)),
      runs.onDidWarn((message) => {
        if (!this.warnings.includes(message)) this.warnings = [...this.warnings, message].slice(-maxWarnings);
        this.post({ type: 'live/warning', message });
      }),
      runs.onDidFinish(({ result }) => {
        // The last windows go out before live/done so the charts end where the summary does.
        this.coalescer.flush();
        this.post({ type: 'live/done', summary: result.summary, diagnosis: result.diagnosis });
      }),
      vscode.window.onDidChangeActiveColorTheme(() => this.post({ type: 'theme/changed' })),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.detachView();
    this.view = view;
    loadWebviewApp(view.webview, this.services.extensionUri, 'live', 'Latency');
    this.viewSubscriptions.push(
      view.webview.onDidReceiveMessage((m: unknown) => this.onMessage(view, m)),
      view.onDidChangeVisibility(() => this.onVisibility(view)),
      view.onDidDispose(() => {
        if (this.view === view) this.detachView();
      }),
    );
    // Paused until the app says live/ready: it answers with a restore, then ticks flow.
    this.coalescer.pause();
  }

  private onMessage(view: vscode.WebviewView, message: unknown): void {
    if (!isLiveToHost(message)) {
      this.services.log.warn(`Latency view: ignored an unexpected message ${preview(message)}`);
      return;
    }
    switch (message.type) {
      case 'live/ready':
        if (view === this.view && view.visible) this.restore();
        return;
      case 'live/stop':
        this.services.runs.stop();
        return;
      case 'live/openReport': {
        const folder = this.services.runs.snapshot?.folder;
        if (!folder) {
          void vscode.window.showWarningMessage(
            'This run has no saved report (it is running or could not be saved).',
          );
          return;
        }
        Promise.resolve(vscode.commands.executeCommand('claudeLoad.openReport', folder)).catch(
          (e: unknown) => {
            const text = `Could not open the report: ${e instanceof Error ? e.message : String(e)}`;
            this.services.log.error(text);
            void vscode.window.showErrorMessage(text);
          },
        );
        return;
      }
    }
  }

  private onVisibility(view: vscode.WebviewView): void {
    if (view !== this.view) return;
    if (view.visible) this.restore();
    else this.coalescer.pause();
  }

  /** Sends everything so far and resumes ticks; windows coalesced meanwhile are in the snapshot. */
  private restore(): void {
    this.coalescer.resume({ discard: true });
    const snap = this.services.runs.snapshot;
    if (!snap) return;
    this.post(restoreMessage(snap));
    for (const message of this.warnings) this.post({ type: 'live/warning', message });
  }

  private post(message: HostToLive): void {
    const view = this.view;
    if (!view?.visible) return;
    // postMessage rejects (or returns false) when the webview went away meanwhile; the next restore covers it.
    Promise.resolve(view.webview.postMessage(message)).catch(() => undefined);
  }

  private detachView(): void {
    for (const d of this.viewSubscriptions) d.dispose();
    this.viewSubscriptions = [];
    this.view = undefined;
    this.coalescer.pause();
  }

  dispose(): void {
    this.detachView();
    this.coalescer.dispose();
    for (const d of this.subscriptions) d.dispose();
    this.subscriptions.length = 0;
  }
}

export function restoreMessage(snap: RunSnapshot): HostToLive {
  return {
    type: 'live/restore',
    run: snap.info,
    windows: snap.windows,
    errorsBefore: snap.errorsBefore,
    totals: snap.totals,
    ...(snap.summary ? { summary: snap.summary } : {}),
    ...(snap.diagnosis ? { diagnosis: snap.diagnosis } : {}),
  };
}

function preview(message: unknown): string {
  try {
    return (JSON.stringify(message) ?? String(message)).slice(0, 200);
  } catch {
    return String(message);
  }
}

/** Registers the provider for the Latency view; the returned disposable removes both. */
export function registerLatencyView(services: Services): vscode.Disposable {
  const provider = new LatencyViewProvider(services);
  return vscode.Disposable.from(provider, vscode.window.registerWebviewViewProvider(latencyViewId, provider));
}

// The scaling rehearsal panel (one, reused): shows the last rehearsal's mode comparison, and its
// "Copy limiter setup" button puts the claude-load-scale/limiter snippet (the tier's limits, this
// rehearsal's instances and burst) on the clipboard.
import * as vscode from 'vscode';
import { limiterSetupSnippet } from '../../core/scale/index';
import type { LimiterSetup, ScaleResult } from '../../core/scale/index';
import { isScaleToHost } from '../../shared/protocol/guards';
import type { HostToScale, ScaleRunInfo, ScaleToHost } from '../../shared/protocol/messages';
import type { Services } from '../services';
import { openWebviewPanel } from '../webviews/vscodeWebviews';
import type { WebviewHandler, WebviewHost } from '../webviews/webviewHost';

export interface ScaleShown {
  result: ScaleResult;
  info: ScaleRunInfo;
  setup: LimiterSetup;
}

export class ScalePanel implements WebviewHandler<ScaleToHost, HostToScale> {
  private static current: ScalePanel | undefined;
  readonly app = 'scale';
  readonly title = 'Claude: Scaling Rehearsal';
  readonly readyType = 'scale/ready';
  readonly isMessage = isScaleToHost;
  readonly themeChanged = { type: 'theme/changed' } as const;
  private panel: vscode.WebviewPanel | undefined;
  private host: WebviewHost<ScaleToHost, HostToScale> | undefined;

  private constructor(private shown: ScaleShown) {}

  /** Opens the panel with a rehearsal's results, or shows them in the open one. */
  static show(services: Services, shown: ScaleShown): void {
    const open = ScalePanel.current;
    if (open) {
      open.shown = shown;
      open.panel?.reveal();
      open.restore();
      return;
    }
    const panel = new ScalePanel(shown);
    ScalePanel.current = panel;
    panel.panel = openWebviewPanel(services, 'claudeLoad.scale', panel).panel;
  }

  /** Closes the panel if it is open (extension deactivation). */
  static close(): void {
    ScalePanel.current?.host?.dispose();
  }

  attach(host: WebviewHost<ScaleToHost, HostToScale>): void {
    this.host = host;
  }

  restore(): void {
    this.host?.post({ type: 'scale/show', result: this.shown.result, info: this.shown.info });
  }

  async onMessage(msg: ScaleToHost): Promise<void> {
    if (msg.type !== 'scale/copySetup') return;
    const { setup, result } = this.shown;
    // The rehearsal's own instances and burst, the planner tier's limits.
    const text = limiterSetupSnippet({
      ...setup,
      instances: result.instances,
      burstSeconds: result.burstSeconds,
    });
    await vscode.env.clipboard.writeText(text);
    const message = `Limiter setup copied: ${result.instances} instances, ${setup.tierDisplayName} limits. Paste it into your app.`;
    this.host?.post({ type: 'scale/notice', message, level: 'info' });
    vscode.window.setStatusBarMessage('$(check) Limiter setup copied', 4000);
  }

  onDispose(): void {
    if (ScalePanel.current === this) ScalePanel.current = undefined;
    this.host = undefined;
    this.panel = undefined;
  }
}

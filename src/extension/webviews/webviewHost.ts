// One host for every webview (editor panels and sidebar views alike). It owns what each panel used to
// repeat: loading the app's HTML with the strict nonce CSP, the ready handshake, checking every message
// the webview posts, forwarding colour-theme changes, visibility and disposal. A panel is only a
// `WebviewHandler` (what to send when the app is ready, what to do with each message) and a webview app.
//
// How to add a panel (e.g. "sweep"):
//   1. Messages: add `HostToSweep` / `SweepToHost` to src/shared/protocol/messages.ts and one guard table
//      per direction to src/shared/protocol/guards.ts (`satisfies GuardTable<...>`: tsc names a missing
//      guard). Include `ThemeChanged` in `HostToSweep`.
//   2. Webview app: webview/sweep/main.ts (the build bundles every webview/<name>/main.ts into
//      dist/webview/<name>.js). It imports core only through src/core/browser.ts, checks what it receives
//      with `isHostToSweep`, and posts `{ type: 'sweep/ready' }` once it listens.
//   3. Handler: a class implementing `WebviewHandler<SweepToHost, HostToSweep>` in src/extension/panels/:
//      `app: 'sweep'`, `readyType: 'sweep/ready'`, `isMessage: isSweepToHost`, `restore()` posts
//      everything the app needs to draw from scratch, `onMessage()` handles the rest.
//   4. Open it with `openWebviewPanel(services, 'claudeLoad.sweep', handler)` (./vscodeWebviews.ts), or for
//      a sidebar view register `hostWebviewView(services, view, handler)` in `resolveWebviewView`.
//
// Delivery rule: `post()` delivers only to a webview that has said it is ready and is visible; anything
// posted meanwhile is dropped, and `restore()` runs when the app (re)announces itself (and, with
// `restoreWhenShown`, when the webview is shown again), so a handler never tracks visibility or
// readiness itself. Webviews are created without `retainContextWhenHidden`: VS Code destroys a hidden
// webview's content and re-creates it when shown, which is why the app asks again with its ready message.
//
// No run-time vscode import here (the environment is injected), so test/extension drives it with fakes.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import { webviewHtml } from './webviewHtml';

/** The messages a handler receives (`In`, from the webview) and sends (`Out`, to it). */
export interface WebviewHandler<In extends { type: string }, Out extends { type: string }> {
  /** The built app: dist/webview/<app>.js. */
  readonly app: string;
  /** The page title (panels show their own title in the tab). */
  readonly title: string;
  /** Validates what the webview posts; anything else is logged and ignored. */
  readonly isMessage: (x: unknown) => x is In;
  /** The message the app posts when it is listening (after every load). */
  readonly readyType: In['type'];
  /** The message sent to the app when the colour theme changes, if the app redraws on it. */
  readonly themeChanged?: Out;
  /**
   * Also restore when the webview is shown again, not only when its app announces itself. For views
   * whose updates are paused while hidden (the Latency view resumes its ticks in restore()); a panel
   * whose app is re-created on show would otherwise get everything twice.
   */
  readonly restoreWhenShown?: boolean;
  /** Called once the host is created: keep it to post later. */
  attach?(host: WebviewHost<In, Out>): void;
  /** Posts everything the app needs to draw from scratch (after ready, and when shown again). */
  restore(host: WebviewHost<In, Out>): void;
  /** Every validated message other than the ready one. Errors are logged and shown by `onError`. */
  onMessage(message: In, host: WebviewHost<In, Out>): void | Promise<void>;
  /** Visible again or hidden: e.g. pause a coalescer while nothing is delivered. */
  onVisibilityChanged?(visible: boolean): void;
  /** The webview went away (closed, or the view was disposed). */
  onDispose?(): void;
}

/** The slice of a WebviewPanel or WebviewView the host needs. */
export interface HostedWebview {
  readonly webview: vscode.Webview;
  readonly visible: boolean;
  readonly onDidDispose: vscode.Event<void>;
  /** WebviewPanel */
  readonly onDidChangeViewState?: vscode.Event<unknown>;
  /** WebviewView */
  readonly onDidChangeVisibility?: vscode.Event<void>;
  dispose?(): unknown;
}

/** What the host needs from VS Code, injected so the host is testable without it. */
export interface WebviewEnvironment {
  /** The folder webviews may load from (dist/webview). */
  readonly resourceRoot: vscode.Uri;
  /** A webview URI for a file in `resourceRoot`. */
  resourceUri(webview: vscode.Webview, file: string): string;
  readonly onDidChangeTheme: vscode.Event<unknown>;
  warn(message: string): void;
  /** An error thrown by a handler's onMessage: logged and shown to the user. */
  onError(where: string, error: unknown): void;
}

export class WebviewHost<In extends { type: string }, Out extends { type: string }> {
  private readonly subscriptions: vscode.Disposable[] = [];
  private ready = false;
  private wasVisible: boolean;
  private disposed = false;

  constructor(
    private readonly surface: HostedWebview,
    private readonly handler: WebviewHandler<In, Out>,
    private readonly env: WebviewEnvironment,
  ) {
    const { webview } = surface;
    this.wasVisible = surface.visible;
    webview.options = { enableScripts: true, localResourceRoots: [env.resourceRoot] };
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: env.resourceUri(webview, `${handler.app}.js`),
      toolkitUri: env.resourceUri(webview, 'toolkit.min.js'),
      styleUri: env.resourceUri(webview, 'styles.css'),
      title: handler.title,
    });
    const visibility = surface.onDidChangeViewState ?? surface.onDidChangeVisibility;
    this.subscriptions.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      env.onDidChangeTheme(() => {
        if (handler.themeChanged) this.post(handler.themeChanged);
      }),
      surface.onDidDispose(() => this.dispose()),
    );
    if (visibility) this.subscriptions.push(visibility(() => this.visibilityChanged()));
    handler.attach?.(this);
  }

  /** True while posted messages reach the app: it said it is ready and it is showing. */
  get isLive(): boolean {
    return this.ready && !this.disposed && this.surface.visible;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Delivers to a live webview; returns false (and drops the message) otherwise: restore() covers it. */
  post(message: Out): boolean {
    if (!this.isLive) return false;
    // postMessage rejects (or returns false) when the webview went away meanwhile; the next restore covers it.
    Promise.resolve(this.surface.webview.postMessage(message)).catch(() => undefined);
    return true;
  }

  private receive(message: unknown): void {
    if (this.disposed) return;
    if (!this.handler.isMessage(message)) {
      this.env.warn(`${this.handler.title}: ignored an unexpected message ${preview(message)}`);
      return;
    }
    if (message.type === this.handler.readyType) {
      this.ready = true;
      if (this.surface.visible) this.handler.restore(this);
      return;
    }
    Promise.resolve()
      .then(() => this.handler.onMessage(message, this))
      .catch((e: unknown) => this.env.onError(this.handler.title, e));
  }

  private visibilityChanged(): void {
    const visible = this.surface.visible;
    if (this.disposed || visible === this.wasVisible) return;
    this.wasVisible = visible;
    this.handler.onVisibilityChanged?.(visible);
    // A re-created page asks with its ready message; restoreWhenShown also covers a page that was kept.
    if (visible && this.ready && this.handler.restoreWhenShown) this.handler.restore(this);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.subscriptions.splice(0)) d.dispose();
    this.handler.onDispose?.();
    this.surface.dispose?.();
  }
}

function preview(message: unknown): string {
  try {
    return (JSON.stringify(message) ?? String(message)).slice(0, 200);
  } catch {
    return String(message);
  }
}

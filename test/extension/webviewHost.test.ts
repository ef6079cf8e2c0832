// WebviewHost with a fake webview: the page it loads, the ready handshake, message guards, theme
// forwarding, delivery only while visible and ready, restore when shown again, and dispose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { WebviewHost } from '../../src/extension/webviews/webviewHost';
import type {
  HostedWebview,
  WebviewEnvironment,
  WebviewHandler,
} from '../../src/extension/webviews/webviewHost';
import { isLiveToHost } from '../../src/shared/protocol/guards';
import type { HostToLive, LiveToHost } from '../../src/shared/protocol/messages';

/** A minimal vscode.EventEmitter. */
class Emitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  readonly event = ((listener: (e: T) => unknown) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }) as unknown as vscode.Event<T>;
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  get size(): number {
    return this.listeners.size;
  }
}

class FakeWebview {
  options: vscode.WebviewOptions = {};
  html = '';
  readonly cspSource = 'vscode-webview://fake';
  readonly posted: unknown[] = [];
  readonly received = new Emitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  postMessage(m: unknown): Promise<boolean> {
    this.posted.push(m);
    return Promise.resolve(true);
  }
}

/** A WebviewView-like surface (onDidChangeVisibility, no dispose of its own). */
class FakeView implements HostedWebview {
  readonly fakeWebview = new FakeWebview();
  readonly webview = this.fakeWebview as unknown as vscode.Webview;
  visible = true;
  readonly disposed = new Emitter<void>();
  readonly visibility = new Emitter<void>();
  readonly onDidDispose = this.disposed.event;
  readonly onDidChangeVisibility = this.visibility.event;
  setVisible(v: boolean): void {
    this.visible = v;
    this.visibility.fire();
  }
}

function fakeEnv() {
  const theme = new Emitter<unknown>();
  const warnings: string[] = [];
  const errors: string[] = [];
  const env: WebviewEnvironment = {
    resourceRoot: { path: '/ext/dist/webview' } as vscode.Uri,
    resourceUri: (_w, file) => `vscode-webview://fake/dist/webview/${file}`,
    onDidChangeTheme: theme.event,
    warn: (m) => warnings.push(m),
    onError: (where, e) => errors.push(`${where}: ${(e as Error).message}`),
  };
  return { env, theme, warnings, errors };
}

class LiveHandler implements WebviewHandler<LiveToHost, HostToLive> {
  readonly app = 'live';
  readonly title = 'Latency';
  readonly readyType = 'live/ready';
  readonly isMessage = isLiveToHost;
  readonly themeChanged = { type: 'theme/changed' } as const;
  readonly restoreWhenShown: boolean;
  constructor(options: { restoreWhenShown?: boolean } = {}) {
    this.restoreWhenShown = options.restoreWhenShown ?? true;
  }
  restores = 0;
  readonly messages: LiveToHost[] = [];
  readonly visibility: boolean[] = [];
  disposed = 0;
  restore(host: WebviewHost<LiveToHost, HostToLive>): void {
    this.restores++;
    host.post({ type: 'live/warning', message: `restore ${this.restores}` });
  }
  onMessage(m: LiveToHost): void {
    if (m.type === 'live/openReport') throw new Error('no report');
    this.messages.push(m);
  }
  onVisibilityChanged(v: boolean): void {
    this.visibility.push(v);
  }
  onDispose(): void {
    this.disposed++;
  }
}

const tick = () => new Promise((r) => setImmediate(r));

test('loads the app with the production page: scripts on, one resource root, nonce CSP', () => {
  const view = new FakeView();
  new WebviewHost(view, new LiveHandler(), fakeEnv().env);
  const w = view.fakeWebview;
  assert.equal(w.options.enableScripts, true);
  assert.equal(w.options.localResourceRoots?.length, 1);
  assert.match(w.html, /script-src 'nonce-[^']+'/);
  assert.match(w.html, /src="vscode-webview:\/\/fake\/dist\/webview\/live\.js"/);
  assert.match(w.html, /<title>Latency<\/title>/);
});

test('nothing is delivered before ready; ready restores; other messages reach the handler', async () => {
  const view = new FakeView();
  const handler = new LiveHandler();
  const { env, warnings, errors } = fakeEnv();
  const host = new WebviewHost(view, handler, env);
  assert.equal(host.post({ type: 'live/warning', message: 'early' }), false);
  assert.deepEqual(view.fakeWebview.posted, []);

  view.fakeWebview.received.fire({ type: 'live/ready' });
  assert.equal(handler.restores, 1);
  assert.deepEqual(view.fakeWebview.posted, [{ type: 'live/warning', message: 'restore 1' }]);
  assert.deepEqual(handler.messages, [], 'the ready message is the host’s, not the handler’s');

  view.fakeWebview.received.fire({ type: 'live/stop' });
  view.fakeWebview.received.fire({ type: 'live/nonsense' });
  view.fakeWebview.received.fire('live/stop');
  view.fakeWebview.received.fire({ type: 'live/openReport' });
  await tick();
  assert.deepEqual(handler.messages, [{ type: 'live/stop' }]);
  assert.equal(warnings.length, 2, 'both unexpected messages are logged');
  assert.match(warnings[0]!, /Latency: ignored an unexpected message \{"type":"live\/nonsense"\}/);
  assert.deepEqual(errors, ['Latency: no report'], 'a handler error is reported, not thrown');
});

test('theme changes are forwarded to a live webview only', () => {
  const view = new FakeView();
  const { env, theme } = fakeEnv();
  new WebviewHost(view, new LiveHandler(), env);
  theme.fire(undefined);
  assert.deepEqual(view.fakeWebview.posted, []);
  view.fakeWebview.received.fire({ type: 'live/ready' });
  theme.fire(undefined);
  assert.deepEqual(view.fakeWebview.posted.at(-1), { type: 'theme/changed' });
});

test('hidden: nothing is posted and the handler is told; shown again: one restore', () => {
  const view = new FakeView();
  const handler = new LiveHandler();
  const host = new WebviewHost(view, handler, fakeEnv().env);
  view.fakeWebview.received.fire({ type: 'live/ready' });
  view.setVisible(false);
  assert.equal(host.post({ type: 'live/warning', message: 'while hidden' }), false);
  view.setVisible(false);
  view.setVisible(true);
  assert.deepEqual(handler.visibility, [false, true], 'repeated events are collapsed');
  assert.equal(handler.restores, 2);
  assert.deepEqual(
    view.fakeWebview.posted.map((m) => (m as { message: string }).message),
    ['restore 1', 'restore 2'],
  );
  // A re-created page announces itself again: it gets a restore of its own.
  view.fakeWebview.received.fire({ type: 'live/ready' });
  assert.equal(handler.restores, 3);
});

test('dispose (by VS Code or the handler) unsubscribes everything once', () => {
  const view = new FakeView();
  const handler = new LiveHandler();
  const { env, theme } = fakeEnv();
  const host = new WebviewHost(view, handler, env);
  view.fakeWebview.received.fire({ type: 'live/ready' });
  view.disposed.fire();
  host.dispose();
  assert.equal(handler.disposed, 1);
  assert.equal(host.isDisposed, true);
  assert.equal(view.fakeWebview.received.size + view.visibility.size + view.disposed.size + theme.size, 0);
  assert.equal(host.post({ type: 'live/warning', message: 'late' }), false);
});

test('without restoreWhenShown, a shown webview waits for its re-created app to ask', () => {
  const view = new FakeView();
  const handler = new LiveHandler({ restoreWhenShown: false });
  new WebviewHost(view, handler, fakeEnv().env);
  view.fakeWebview.received.fire({ type: 'live/ready' });
  view.setVisible(false);
  view.setVisible(true);
  assert.equal(handler.restores, 1, 'no restore on show');
  view.fakeWebview.received.fire({ type: 'live/ready' });
  assert.equal(handler.restores, 2);
});

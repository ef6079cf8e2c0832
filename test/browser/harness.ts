// Runs a webview app (dist/webview/<app>.js) in headless Chromium inside a page that mimics what VS Code
// gives a webview: the extension's own HTML (src/extension/webviews/webviewHtml.ts: strict nonce CSP, the
// toolkit as a module script), plus `acquireVsCodeApi()`. There is no second copy of the page here, so a
// CSP regression in production fails these tests.
// The page is served over http://127.0.0.1:<port 0> so `cspSource`-style origins behave as in VS Code.
//
// Callbacks passed to page.evaluate are serialised into the browser, and tsx (esbuild keepNames) wraps
// named inner functions with a `__name` helper that does not exist there: keep those callbacks flat.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { webviewHtml } from '../../src/extension/webviews/webviewHtml';
import type { WebviewHtmlOptions } from '../../src/extension/webviews/webviewHtml';
import { launchChromium, repoRoot, saveScreenshot } from './chromium';
import type { ChromiumSession, LaunchChromiumOptions } from './chromium';

export {
  chromiumArgs,
  chromiumPath,
  launchChromium,
  loopbackOnlyArgs,
  repoRoot,
  saveScreenshot,
} from './chromium';
export type { ChromiumSession, LaunchChromiumOptions } from './chromium';

export interface OpenWebviewOptions {
  /** Returned by getState() until the app calls setState(). */
  initialState?: unknown;
  /** Bundle to load instead of dist/webview/<app>.js (absolute, or relative to the repo root). */
  scriptFile?: string;
  /** 'dark' (default) or 'light': the body's vscode-dark/vscode-light class and a few theme variables. */
  theme?: 'dark' | 'light';
}

export interface CspViolation {
  directive: string;
  blockedURI: string;
  sample: string;
}

export interface WebviewHarness {
  /** http://127.0.0.1:<port>, also the `cspSource` given to HTML functions. */
  origin: string;
  session: ChromiumSession;
  openWebview(appName: string, options?: OpenWebviewOptions): Promise<Page>;
  close(): Promise<void>;
}

export interface StartWebviewHarnessOptions extends LaunchChromiumOptions {
  /** Folders (absolute or repo-relative) the server may serve, like `localResourceRoots`. */
  resourceRoots?: string[];
}

const mimeTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Starts a local server and headless Chromium; call close() in `after`. */
export async function startWebviewHarness(options: StartWebviewHarnessOptions = {}): Promise<WebviewHarness> {
  const roots = (options.resourceRoots ?? ['dist/webview', 'media', 'test-output']).map((r) =>
    isAbsolute(r) ? r : resolve(repoRoot, r),
  );
  const pages = new Map<string, string>();
  const server = createServer((req, res) => serve(req, res, pages, roots));
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no server address');
  const origin = `http://127.0.0.1:${address.port}`;
  let session: ChromiumSession;
  try {
    session = await launchChromium(options);
  } catch (err) {
    await closeServer(server);
    throw err;
  }

  // Files are addressed by their path under the repo root, the way a webview URI maps a local path.
  const uriFor = (file: string): string => {
    const abs = isAbsolute(file) ? file : resolve(repoRoot, file);
    return `${origin}/${relative(repoRoot, abs).split(sep).map(encodeURIComponent).join('/')}`;
  };

  let counter = 0;
  return {
    origin,
    session,
    async openWebview(appName, opts = {}) {
      const nonce = randomBytes(16).toString('hex');
      const scriptFile = opts.scriptFile ?? join('dist', 'webview', `${appName}.js`);
      const styleFile = join(repoRoot, 'dist', 'webview', 'styles.css');
      const htmlOpts: WebviewHtmlOptions = {
        cspSource: origin,
        nonce,
        scriptUri: uriFor(scriptFile),
        toolkitUri: uriFor(join('dist', 'webview', 'toolkit.min.js')),
        styleUri: uriFor(styleFile),
        title: appName,
      };
      const html = webviewHtml(htmlOpts);
      const id = `${++counter}-${encodeURIComponent(appName)}`;
      pages.set(id, injectVsCodeApi(html, nonce, opts.initialState, opts.theme ?? 'dark'));

      const page = await session.newPage();
      const errors: string[] = [];
      pageErrorsByPage.set(page, errors);
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      await page.goto(`${origin}/__webview/${id}`, { waitUntil: 'load' });
      return page;
    },
    async close() {
      await session.close();
      await closeServer(server);
    },
  };
}

// A few of the variables VS Code sets on a webview's <html>, enough for the toolkit and charts to look right.
const themeVars: Record<'dark' | 'light', Record<string, string>> = {
  dark: {
    '--vscode-font-family': 'system-ui, sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-foreground': '#cccccc',
    '--vscode-editor-background': '#1e1e1e',
    '--vscode-editor-foreground': '#d4d4d4',
    '--vscode-button-background': '#0e639c',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-input-background': '#3c3c3c',
    '--vscode-input-foreground': '#cccccc',
    '--vscode-focusBorder': '#007fd4',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-green': '#89d185',
  },
  light: {
    '--vscode-font-family': 'system-ui, sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-foreground': '#616161',
    '--vscode-editor-background': '#ffffff',
    '--vscode-editor-foreground': '#000000',
    '--vscode-button-background': '#007acc',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-input-background': '#ffffff',
    '--vscode-input-foreground': '#616161',
    '--vscode-focusBorder': '#0090f1',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-green': '#388a34',
  },
};

/**
 * Puts the host's part in front of the app's scripts: `acquireVsCodeApi()`, a CSP violation recorder and
 * the theme. Inserted right after the CSP <meta> so it is itself subject to the CSP (its nonce must match).
 * Theme variables go through CSSOM, which a CSP does not restrict (VS Code sets them the same way).
 */
function injectVsCodeApi(
  html: string,
  nonce: string,
  initialState: unknown,
  theme: 'dark' | 'light',
): string {
  const config = JSON.stringify({ state: initialState ?? null, theme, vars: themeVars[theme] }).replace(
    /</g,
    '\\u003c',
  );
  const script = `<script nonce="${nonce}">
(() => {
  const cfg = ${config};
  const w = window;
  w.__posted = [];
  w.__state = cfg.state;
  w.__cspViolations = [];
  w.__apiAcquired = 0;
  document.addEventListener('securitypolicyviolation', (e) => {
    w.__cspViolations.push({ directive: e.violatedDirective, blockedURI: e.blockedURI, sample: e.sample });
  });
  const root = document.documentElement;
  for (const [k, v] of Object.entries(cfg.vars)) root.style.setProperty(k, v);
  root.style.setProperty('color-scheme', cfg.theme);
  root.style.setProperty('background-color', 'var(--vscode-editor-background)');
  const applyBody = () => {
    document.body.classList.add(cfg.theme === 'dark' ? 'vscode-dark' : 'vscode-light');
    document.body.dataset.vscodeThemeKind = cfg.theme === 'dark' ? 'vscode-dark' : 'vscode-light';
    // VS Code's default webview styles.
    const b = document.body.style;
    b.color = 'var(--vscode-editor-foreground)';
    b.fontFamily = 'var(--vscode-font-family)';
    b.fontSize = 'var(--vscode-font-size)';
    b.margin = '0';
    b.padding = '0 20px';
  };
  if (document.body) applyBody(); else document.addEventListener('DOMContentLoaded', applyBody);
  const api = Object.freeze({
    postMessage: (m) => { w.__posted.push(JSON.parse(JSON.stringify(m))); },
    getState: () => w.__state,
    setState: (s) => { w.__state = s; return s; },
  });
  // Like VS Code: only one acquisition per page.
  w.acquireVsCodeApi = () => {
    if (w.__apiAcquired++) throw new Error('An instance of the VS Code API has already been acquired');
    return api;
  };
})();
</script>`;
  const meta = /<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>/i.exec(html);
  if (meta)
    return html.slice(0, meta.index + meta[0].length) + script + html.slice(meta.index + meta[0].length);
  const head = /<head[^>]*>/i.exec(html);
  if (head)
    return html.slice(0, head.index + head[0].length) + script + html.slice(head.index + head[0].length);
  return script + html;
}

function serve(req: IncomingMessage, res: ServerResponse, pages: Map<string, string>, roots: string[]): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  // Chromium asks for a favicon that a VS Code webview never loads: answer it without a 404 console error.
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204);
    res.end();
    return;
  }
  if (url.pathname.startsWith('/__webview/')) {
    const html = pages.get(url.pathname.slice('/__webview/'.length));
    if (html === undefined) return notFound(res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
    return;
  }
  const file = resolve(repoRoot, decodeURIComponent(url.pathname.slice(1)));
  const allowed = roots.some((r) => file === r || file.startsWith(r + sep));
  if (!allowed || !existsSync(file) || !statSync(file).isFile()) return notFound(res);
  res.writeHead(200, {
    'content-type': mimeTypes[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
    // VS Code serves webview resources cross-origin; keep module scripts loadable the same way.
    'access-control-allow-origin': '*',
  });
  res.end(readFileSync(file));
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((ok) => server.close(() => ok()));
}

const pageErrorsByPage = new WeakMap<Page, string[]>();

/** Console errors and uncaught exceptions seen on a page opened by openWebview. */
export function pageErrors(page: Page): string[] {
  return [...(pageErrorsByPage.get(page) ?? [])];
}

// Shapes of what the injected script keeps on `window` (no DOM lib in this project's typecheck).
interface HarnessWindow {
  __posted: unknown[];
  __state: unknown;
  __cspViolations: CspViolation[];
  postMessage(message: unknown, targetOrigin: string): void;
}

/** Delivers a message to the app the way the extension's `webview.postMessage` does. */
export async function post(page: Page | Frame, message: unknown): Promise<void> {
  await page.evaluate((m) => (globalThis as unknown as HarnessWindow).postMessage(m, '*'), message);
}

/** Messages the app has posted to the extension so far. */
export async function posted(page: Page | Frame): Promise<unknown[]> {
  return page.evaluate(() => (globalThis as unknown as HarnessWindow).__posted);
}

/** Waits for a posted message with this `type` (or matching a predicate) and returns it. */
export async function waitForPosted(
  page: Page | Frame,
  match: string | ((message: unknown) => boolean),
  timeoutMs = 10_000,
): Promise<unknown> {
  const test =
    typeof match === 'string'
      ? (m: unknown) => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === match
      : match;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await posted(page)).find(test);
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `no posted message matched within ${timeoutMs} ms; got ${JSON.stringify(await posted(page))}`,
      );
    }
    await sleep(50);
  }
}

/** The state the app last stored with setState (or the initial state). */
export async function webviewState(page: Page | Frame): Promise<unknown> {
  return page.evaluate(() => (globalThis as unknown as HarnessWindow).__state);
}

/** CSP violations reported inside the page (the `securitypolicyviolation` event). */
export async function cspViolations(page: Page | Frame): Promise<CspViolation[]> {
  return page.evaluate(() => (globalThis as unknown as HarnessWindow).__cspViolations);
}

/** A canvas's RGBA pixels, read in the page (base64 across the wire); null if there is none to read. */
async function canvasPixels(
  page: Page | Frame,
  selector: string,
): Promise<{ width: number; height: number; rgba: Uint8Array } | null> {
  const got = await page.evaluate((sel) => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    const canvas = doc.querySelector(sel) as {
      width: number;
      height: number;
      getContext(
        kind: '2d',
      ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    } | null;
    if (!canvas || typeof canvas.getContext !== 'function' || canvas.width === 0 || canvas.height === 0)
      return null;
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let bin = '';
    for (let i = 0; i < data.length; i += 0x8000)
      bin += String.fromCharCode(...data.subarray(i, Math.min(i + 0x8000, data.length)));
    return { width: canvas.width, height: canvas.height, b64: btoa(bin) };
  }, selector);
  return (
    got && { width: got.width, height: got.height, rgba: new Uint8Array(Buffer.from(got.b64, 'base64')) }
  );
}

/** Number of canvas pixels with any opacity; -1 if there is no such canvas or it cannot be read. */
export async function canvasPixelCount(page: Page | Frame, selector: string): Promise<number> {
  const px = await canvasPixels(page, selector);
  if (!px) return -1;
  let n = 0;
  for (let i = 3; i < px.rgba.length; i += 4) if (px.rgba[i] !== 0) n++;
  return n;
}

/** Number of canvas pixels within `tolerance` (per channel) of the opaque colour `hex` (#rrggbb). */
export async function canvasColorCount(
  page: Page | Frame,
  selector: string,
  hex: string,
  tolerance = 8,
): Promise<number> {
  const px = await canvasPixels(page, selector);
  if (!px) return -1;
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < px.rgba.length; i += 4) {
    if (px.rgba[i + 3]! < 250) continue;
    if (want.every((w, k) => Math.abs(px.rgba[i + k]! - w) <= tolerance)) n++;
  }
  return n;
}

/**
 * Columns of drawn pixels (runs at least `minWidth` px wide, so 1 px grid lines do not count) along
 * the canvas row that has the most of them: the bars of a bar chart, as [left, right] in canvas px.
 */
export async function canvasBarColumns(
  page: Page | Frame,
  selector: string,
  minWidth = 3,
): Promise<[number, number][]> {
  const px = await canvasPixels(page, selector);
  if (!px) return [];
  const { width, height, rgba } = px;
  let best: [number, number][] = [];
  for (let y = Math.floor(height * 0.2); y < Math.floor(height * 0.8); y += 2) {
    const runs: [number, number][] = [];
    let start = -1;
    for (let x = 0; x <= width; x++) {
      const on = x < width && rgba[(y * width + x) * 4 + 3]! > 200;
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        if (x - start >= minWidth) runs.push([start, x - 1]);
        start = -1;
      }
    }
    if (runs.length > best.length) best = runs;
  }
  return best;
}

/**
 * True once the canvas has more than `minPixels` non-transparent pixels; polls up to `timeoutMs`
 * because charts animate in.
 */
export async function canvasIsDrawn(
  page: Page | Frame,
  selector: string,
  { minPixels = 200, timeoutMs = 5_000 }: { minPixels?: number; timeoutMs?: number } = {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await canvasPixelCount(page, selector)) > minPixels) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

/**
 * Switches the page to another VS Code theme the way VS Code does: the body's theme class (vscode-dark,
 * vscode-light, vscode-high-contrast) and the theme variables on <html>.
 */
export async function setTheme(page: Page, kind: string, vars: Record<string, string>): Promise<void> {
  await page.evaluate(
    ({ kind, vars }) => {
      type El = { style: { setProperty(k: string, v: string): void }; classList: DOMTokenListLike };
      type DOMTokenListLike = { add(c: string): void; remove(...c: string[]): void };
      const d = (globalThis as unknown as { document: { documentElement: El; body: El } }).document;
      for (const [k, v] of Object.entries(vars)) d.documentElement.style.setProperty(k, v);
      d.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
      d.body.classList.add(kind);
    },
    { kind, vars },
  );
}

/** Saves a screenshot to test-output/browser/<name>.png and returns its path. */
export function screenshot(page: Page | Frame, name: string): Promise<string> {
  return saveScreenshot(page, 'browser', name);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** data-value and text of every [data-metric] element (first of each key). */
export async function shownMetrics(
  page: Page | Frame,
): Promise<Record<string, { value: string; text: string }>> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } })
      .document;
    const out: Record<string, { value: string; text: string }> = {};
    for (const el of Array.from(doc.querySelectorAll('[data-metric]')) as {
      getAttribute(n: string): string | null;
      textContent: string | null;
    }[]) {
      const key = el.getAttribute('data-metric') ?? '';
      if (!(key in out))
        out[key] = { value: el.getAttribute('data-value') ?? '', text: el.textContent ?? '' };
    }
    return out;
  });
}

/**
 * Registers the file's before/after hooks: the harness starts before its tests and closes after.
 * Returns the running harness (fails clearly when the before hook did not start it).
 */
export function useWebviewHarness(options: StartWebviewHarnessOptions = {}): () => WebviewHarness {
  let harness: WebviewHarness | undefined;
  before(async () => {
    harness = await startWebviewHarness(options);
  });
  after(async () => {
    await harness?.close();
  });
  return () => {
    assert.ok(harness, 'the webview harness did not start (see the before hook)');
    return harness;
  };
}

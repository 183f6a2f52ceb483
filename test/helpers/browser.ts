/**
 * Real headless Chromium driven by playwright-core, for checks on the HTML report. Collects console
 * errors, page errors and blocked requests. Which Chromium: $CHROMIUM_PATH if set, else Debian's
 * /usr/bin/chromium when installed (.ci/run installs it), else the build shipped inside the npm
 * package @sparticuz/chromium (a devDependency: the binary is in the registry tarball, so `npm install`
 * alone is enough on a fresh machine; nothing is downloaded at run time).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './cli.ts';

export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** The Chromium to drive and the extra flags it needs. */
async function findChromium(): Promise<{ path: string; args: string[] }> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist`);
    return { path: fromEnv, args: [] };
  }
  if (existsSync('/usr/bin/chromium')) return { path: '/usr/bin/chromium', args: [] };
  // The npm-shipped build unpacks itself to the temp folder once; it is a single-process headless shell.
  // Its own default flags are not used: they include --disable-web-security, which would hide CSP failures.
  const packaged = (await import('@sparticuz/chromium')).default;
  return { path: await packaged.executablePath(), args: ['--no-zygote', '--single-process'] };
}

export async function launchChromium(): Promise<Browser> {
  const { path, args } = await findChromium();
  return chromium.launch({ executablePath: path, args: [...ARGS, ...args] });
}

export interface OpenedPage {
  page: Page;
  /** Console errors and warnings, uncaught page errors, and any network request (the report must make none). */
  problems: string[];
  requests: string[];
}

/** Open a local file and record everything that went wrong while it loaded. */
export async function openFile(browser: Browser, file: string, viewport = { width: 1300, height: 900 }): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) requests.push(r.url());
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, problems, requests };
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

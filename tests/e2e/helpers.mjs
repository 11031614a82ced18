// Shared by the e2e tests: a static server for dist/ on 127.0.0.1 (a free port), and
// Debian's Chromium through playwright-core with a fresh profile.
import { createServer } from 'node:http';
import { readFile, mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const dist = join(root, 'dist');
export const outputDir = join(root, 'test-output');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2',
};

/**
 * Serves dist/ on 127.0.0.1 at a free port → { url, close() }. `headers` go with every
 * response (e.g. a Content-Security-Policy).
 */
export async function serveDist({ headers = {} } = {}) {
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error('dist/index.html is missing: run `bash scripts/build wasm web` first');
  }
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const file = normalize(join(dist, path.endsWith('/') ? `${path}index.html` : path));
      if (!file.startsWith(dist + sep) && file !== dist) { res.writeHead(403).end(); return; }
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  // Closing ends the browser's kept-alive connections too, which would hold it open otherwise.
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) };
}

/**
 * Debian's Chromium, headless, with a fresh profile (playwright takes the profile as the
 * persistent context's user data dir) → { context, close() }.
 */
export async function launch() {
  const profile = await mkdtemp(join(tmpdir(), 'initscope-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1400, height: 1000 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The setup every e2e file shares: dist/ served and Chromium launched before the file's
 * tests, both closed after them. Returns { server, browser } whose `server.url` and
 * `browser.context` are ready inside the tests.
 * (Node 20 runs a file's top-level before hooks concurrently: what the context needs before
 * the tests goes in the options, not in another hook.)
 * @param {{ permissions?: string[], headers?: object, initScript?: Function }} [options]
 *   permissions granted to the context (e.g. clipboard-read); headers for every response of
 *   the server; a script every page of the context runs before its own
 */
export function useBrowser({ permissions = [], headers, initScript } = {}) {
  let served;
  let launched;
  before(async () => {
    served = await serveDist({ headers });
    launched = await launch();
    if (permissions.length) await launched.context.grantPermissions(permissions);
    if (initScript) await launched.context.addInitScript(initScript);
  });
  after(async () => {
    await launched?.close();
    await served?.close();
  });
  return {
    server: { get url() { return served.url; } },
    browser: { get context() { return launched.context; } },
  };
}

/**
 * A new page on the lab, waiting until the first run is drawn, with console errors and
 * page errors collected in `errors`. `hash` is the URL state (e.g. 'init=zeros').
 */
export async function openLab(context, baseUrl, { hash = '', viewport = { width: 1400, height: 1000 }, reducedMotion = 'no-preference' } = {}) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  await page.emulateMedia({ reducedMotion });
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${baseUrl}${hash ? `#${hash}` : ''}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return { page, errors };
}

export async function screenshotDir() {
  await mkdir(outputDir, { recursive: true });
  return outputDir;
}

export const value = async (page, testid) => Number(await page.getAttribute(`[data-testid="${testid}"]`, 'data-value'));
export const step = (page) => page.evaluate(() => Number(document.body.dataset.step));

/** Plays (the K shortcut) until `predicate(page)` holds (polled), then pauses. */
export async function playUntil(page, predicate, { timeout = 60000 } = {}) {
  await page.keyboard.press('k');
  const start = Date.now();
  try {
    while (!(await predicate(page))) {
      if (Date.now() - start > timeout) throw new Error('playUntil: timed out');
      await page.waitForTimeout(100);
    }
  } finally {
    if ((await page.getAttribute('[data-testid="btn-play"]', 'aria-pressed')) === 'true') {
      await page.evaluate(() => document.activeElement?.blur());
      await page.keyboard.press('Space');
    }
  }
}

/** Waits until the page has drawn a new run after a settings change. */
export async function waitForRun(page) {
  await page.waitForFunction(() => document.body.dataset.step === '0' && document.getElementById('status').textContent.startsWith('Step'));
}

/** Waits until the page is paused and has drawn the settled frame (whole-set evaluation) of the pause. */
export async function waitSettled(page) {
  await page.waitForFunction(() => document.body.dataset.playing === 'false' && document.body.dataset.settled === 'true');
}

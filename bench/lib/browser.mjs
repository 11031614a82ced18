// The page in Debian's Chromium (playwright-core, the root devDependency; headless, fresh
// profile per load): time from navigation until the lab is interactive, and frames per
// second while it trains the default network.
//
// "Interactive" is the moment body[data-ready="true"] appears: the page sets it when the
// first run is drawn and its controls answer (web/src/main.js). A page without that
// marker (the placeholder) is timed to its load event instead, and the report says so.
// Frames per second are requestAnimationFrame callbacks counted in the page over a window
// while it trains (the K shortcut starts training), after a second of warm-up.
import { createServer } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

async function serve(dist) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const file = normalize(join(dist, path.endsWith('/') ? `${path}index.html` : path));
      if (!file.startsWith(dist + sep) && file !== dist) return void res.writeHead(403).end();
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

// Runs in the page before its own scripts: records when data-ready becomes "true".
function readyProbe() {
  window.__bench = { ready: null };
  const check = () => {
    if (window.__bench.ready === null && document.body && document.body.dataset.ready === 'true') {
      window.__bench.ready = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'], childList: true });
}

async function withPage(fn) {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'initscope-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 1000 },
    deviceScaleFactor: 1,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript(readyProbe);
    return await fn(page);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/** One cold load: navigation → interactive (ms), and the paint and load timings. */
async function coldLoad(url) {
  return withPage(async (page) => {
    await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    const hasMarker = await page.evaluate(() => document.querySelector('[data-ready]') !== null ||
      /data-ready|dataset\.ready/.test(document.documentElement.innerHTML));
    let ready = null;
    try {
      await page.waitForFunction(() => window.__bench.ready !== null, null, { timeout: 30000 });
      ready = await page.evaluate(() => window.__bench.ready);
    } catch {
      ready = null;
    }
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
      return { load: nav?.loadEventEnd ?? null, domContentLoaded: nav?.domContentLoadedEventEnd ?? null, fcp: paint['first-contentful-paint'] ?? null };
    });
    return { ...t, ready, marker: ready !== null || hasMarker };
  });
}

/** Frames per second while the page trains its default network (at the pace in `url`). */
async function framesWhileTraining(url, { seconds = 5 } = {}) {
  return withPage(async (page) => {
    await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    await page.waitForFunction(() => window.__bench.ready !== null, null, { timeout: 30000 });
    await page.keyboard.press('k');
    await page.waitForFunction(() => document.body.dataset.playing === 'true', null, { timeout: 10000 });
    await page.waitForTimeout(1000);
    const stepAt = () => page.evaluate(() => Number(document.body.dataset.step ?? NaN));
    const before = await stepAt();
    const frames = await page.evaluate((ms) => new Promise((resolve) => {
      const times = [];
      const start = performance.now();
      const tick = (t) => {
        times.push(t);
        if (t - start < ms) requestAnimationFrame(tick);
        else resolve(times);
      };
      requestAnimationFrame(tick);
    }), seconds * 1000);
    const after = await stepAt();
    const playing = await page.evaluate(() => document.body.dataset.playing);
    const span = frames[frames.length - 1] - frames[0];
    const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
    return {
      fps: ((frames.length - 1) * 1000) / span,
      medianFrameMs: gaps[gaps.length >> 1],
      longestFrameMs: gaps[gaps.length - 1],
      framesOver50ms: gaps.filter((g) => g > 50).length,
      stepsPerSec: Number.isFinite(before) && Number.isFinite(after) ? ((after - before) * 1000) / (seconds * 1000) : null,
      stillPlaying: playing === 'true',
    };
  });
}

/** Cold loads (median of `loads`) and frames while training, on dist/ served on 127.0.0.1. */
export async function browserMetrics(dist, { loads = 5, seconds = 5, log = () => {} } = {}) {
  if (!existsSync(join(dist, 'index.html'))) return { error: 'dist/index.html is missing (scripts/build web)' };
  if (!existsSync(process.env.CHROMIUM ?? '/usr/bin/chromium')) return { error: 'no Chromium at /usr/bin/chromium' };
  const server = await serve(dist);
  try {
    const samples = [];
    for (let i = 0; i < loads; ++i) {
      samples.push(await coldLoad(server.url));
      log(`  cold load ${i + 1}/${loads}: interactive ${samples[i].ready?.toFixed(0) ?? '—'} ms`);
    }
    const median = (key) => {
      const v = samples.map((s) => s[key]).filter((x) => x !== null).sort((a, b) => a - b);
      return v.length ? v[v.length >> 1] : null;
    };
    const marker = samples.every((s) => s.ready !== null);
    let training = null;
    if (marker) {
      const runs = [];
      // At pace max: the most Play asks of the worker and the page (the default pace asks less).
      for (let i = 0; i < 3; ++i) runs.push(await framesWhileTraining(`${server.url}#pace=max`, { seconds }));
      runs.sort((a, b) => a.fps - b.fps);
      training = runs[1];
      training.fpsRuns = runs.map((r) => Math.round(r.fps * 10) / 10);
      log(`  frames while training: ${training.fpsRuns.join(', ')} fps`);
    }
    return {
      marker,
      interactiveMs: marker ? median('ready') : median('load'),
      interactiveRuns: samples.map((s) => (marker ? s.ready : s.load)),
      fcpMs: median('fcp'),
      loadMs: median('load'),
      training,
    };
  } finally {
    await server.close();
  }
}

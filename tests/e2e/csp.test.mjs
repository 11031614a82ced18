// The page under a strict Content-Security-Policy (web/csp.mjs), sent as a header by the
// server: it loads, trains, typesets the formula, runs a preset, a sweep in Web Workers,
// opens the exports, the embed and import dialogs and the embed layout, and the browser
// reports no violation (securitypolicyviolation events, "Refused to …" console errors).
// The engine and the bundles contain no eval or new Function (Emscripten's
// -sDYNAMIC_EXECUTION=0), and eval really is refused on this page (the check can fail).
// The example course page, served by the real server of `npm start` (vite preview), works
// under the same policy: styled, its labs sized to their content, no violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { POLICY } from '../../web/csp.mjs';
import { useBrowser, openLab, dist, root, step, playUntil, waitSettled, screenshotDir } from './helpers.mjs';
import { frames, fits } from './frames.mjs';

// Every page of this context records the policy's violations, from its first script on.
function recordViolations() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
  });
}

const { server, browser } = useBrowser({ headers: { 'Content-Security-Policy': POLICY }, initScript: recordViolations });

const DYNAMIC = /\bnew Function\s*\(|(?<![\w$.])eval\s*\(/;

/** Violations and CSP console errors of `page` so far. */
async function problems(page, errors) {
  const violations = await page.evaluate(() => window.__cspViolations);
  return [...violations, ...errors.filter((e) => /Content Security Policy|Refused to/i.test(e))];
}

test('the meta policy of web/index.html is the header policy, and the built code has no eval', async () => {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(meta, 'dist/index.html carries the policy');
  assert.equal(meta[1], POLICY);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in dist/index.html');
  assert.doesNotMatch(html, /\son[a-z]+="/, 'no inline event handler in dist/index.html');
  const files = [join(root, 'wasm/dist/initscope.mjs'), ...(await readdir(join(dist, 'assets'))).filter((f) => f.endsWith('.js')).map((f) => join(dist, 'assets', f))];
  for (const file of files) {
    assert.doesNotMatch(await readFile(file, 'utf8'), DYNAMIC, `${file} evaluates code from strings`);
  }
  const single = await readFile(join(dist, 'initscope.html'), 'utf8').catch(() => null);
  if (single) assert.doesNotMatch(single, /Content-Security-Policy/, 'the single file (inline scripts) carries no policy it would break');
});

test('under the policy the lab loads, trains, typesets, exports, runs a preset and a sweep with no violation', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  // The engine (wasm) runs in the worker: the worker got the header too and compiled it.
  await playUntil(page, async (p) => (await step(p)) >= 100);
  await waitSettled(page);
  await page.waitForSelector('[data-testid="formula"] math');
  assert.deepEqual(await problems(page, errors), [], 'load, train, formula');

  await page.click('[data-testid="btn-export"]');
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
  assert.ok(JSON.parse(await readFile(await json.path(), 'utf8')).config);
  if (!(await page.isVisible('[data-testid="export-panel"]'))) await page.click('[data-testid="btn-export"]');
  await page.click('[data-testid="export-keras"]');
  await page.waitForSelector('[data-testid="code"][data-framework="keras"]');
  assert.match(await page.textContent('[data-testid="code"]'), /keras/);
  await page.keyboard.press('Escape');
  await page.click('[data-testid="btn-embed"]');
  await page.waitForSelector('[data-testid="embed-dialog"][open]');
  await page.keyboard.press('Escape');
  await page.click('[data-testid="btn-import"]');
  await page.fill('[data-testid="import-text"]', '{"init": "glorot_uniform"}');
  await page.click('[data-testid="import-apply"]');
  await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('init') === 'glorot_uniform');
  assert.deepEqual(await problems(page, errors), [], 'exports, embed and import dialogs');
  await page.close();

  const preset = await openLab(browser.context, server.url, { hash: 'preset=gradient-clipping' });
  await preset.page.click('[data-testid="preset-run"]');
  await preset.page.waitForFunction(() => document.querySelector('[data-testid="preset-panel"]').dataset.done === 'true' && document.body.dataset.settled === 'true', null, { timeout: 120000 });
  assert.deepEqual(await problems(preset.page, preset.errors), [], 'preset');
  await preset.page.close();

  const grid = 'init.scale:0.1:3:3:log;depth:1:2:2:linear;60;trainAccuracy:0.9;loss';
  const config = `layers=${encodeURIComponent('8:tanh|1:sigmoid')}&init=glorot_normal`;
  const sweep = await openLab(browser.context, server.url, { hash: `${config}&sweep=${encodeURIComponent(grid)}` });
  await sweep.page.waitForSelector('[data-testid="sweep-run"]:not([disabled])');
  await sweep.page.fill('[data-testid="sweep-workers"]', '2');
  await sweep.page.locator('[data-testid="sweep-workers"]').blur();
  await sweep.page.click('[data-testid="sweep-run"]');
  await sweep.page.waitForSelector('[data-testid="sweep-panel"][data-state="done"]', { timeout: 120000 });
  assert.match(await sweep.page.textContent('[data-testid="sweep-status"]'), /^6 cells in [\d.]+ s on 2 workers/);
  assert.deepEqual(await problems(sweep.page, sweep.errors), [], 'sweep in workers');
  await sweep.page.close();

  // The embed layout hides its parts with a constructed stylesheet (no <style> element).
  const embed = await openLab(browser.context, server.url, { hash: 'embed=1&hide=controls,summary' });
  assert.equal(await embed.page.isVisible('#settings'), false);
  assert.deepEqual(await problems(embed.page, embed.errors), [], 'embed layout');
  await embed.page.close();
});

test('the policy is in force: code from a string and an inline script are refused and reported', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  // A string for setTimeout is compiled like eval, from the page's own context.
  await page.evaluate(() => setTimeout('window.__evalRan = true', 0));
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.body.append(s);
  });
  await page.waitForFunction(() => window.__cspViolations.length >= 2);
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => [window.__evalRan, window.__inlineRan]), [undefined, undefined]);
  const found = await problems(page, errors);
  assert.ok(found.some((v) => /^script-src.* blocked eval/.test(v)), found.join('\n'));
  assert.ok(found.some((v) => /^script-src.* blocked inline/.test(v)), found.join('\n'));
  await page.close();
});

/** A port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** `vite preview` as `npm start` runs it (scripts/start), on a free port → { url, close() }. */
async function vitePreview() {
  const port = await freePort();
  const child = spawn(join(root, 'node_modules/.bin/vite'),
    ['preview', '--config', 'web/vite.config.mjs', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited: ${output}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`vite preview did not answer on ${url}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, close: async () => { child.kill(); await exited; } };
}

test('npm start\'s server (vite preview) sends the policy, and the course page works under it', async () => {
  const preview = await vitePreview();
  const page = await browser.context.newPage();
  try {
    await page.setViewportSize({ width: 1200, height: 900 });
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    const response = await page.goto(`${preview.url}examples/course.html`);
    assert.equal(response.headers()['content-security-policy'], POLICY);
    // Styled by its own stylesheet (a file: an inline <style> would be refused).
    const style = await page.evaluate(() => ({ font: getComputedStyle(document.body).fontFamily, background: getComputedStyle(document.body).backgroundColor }));
    assert.match(style.font, /Georgia/);
    assert.equal(style.background, 'rgb(251, 250, 247)');
    // Each lab is sized to its content by the page's script (a file too): no default 300 x 150.
    const labs = await frames(page);
    assert.equal(labs.length, 3);
    for (const { el, frame } of labs) {
      const { box } = await fits(el, frame);
      assert.ok(box.height > 600 && box.width > 600, JSON.stringify(box));
      assert.equal(await frame.evaluate(() => document.body.dataset.embed), 'true');
    }
    const violations = [];
    for (const f of page.frames()) violations.push(...await f.evaluate(() => window.__cspViolations ?? ['no recorder']));
    assert.deepEqual([...violations, ...errors.filter((e) => /Content Security Policy|Refused to/i.test(e))], []);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(await screenshotDir(), 'course-npm-start.png'), fullPage: true });
  } finally {
    await page.close();
    await preview.close();
  }
});

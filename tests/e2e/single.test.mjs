// The single-file build (npm run build:single → dist/initscope.html): copied alone into an
// empty folder and opened from a file:// URL in Chromium, it loads the engine without a
// fetch, trains, and gives the same numbers as the served page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useBrowser, openLab, dist, value, step, playUntil, waitSettled } from './helpers.mjs';

const { server, browser } = useBrowser();

let folder;
let fileUrl;

before(async () => {
  const single = join(dist, 'initscope.html');
  if (!existsSync(single)) throw new Error('dist/initscope.html is missing: run `npm run build:single` (scripts/build single) first');
  folder = await mkdtemp(join(tmpdir(), 'initscope-single-'));
  await copyFile(single, join(folder, 'initscope.html'));
  fileUrl = pathToFileURL(join(folder, 'initscope.html')).href;
});

after(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

test('dist/initscope.html trains from a file:// URL with nothing beside it', async () => {
  assert.ok((await stat(join(folder, 'initscope.html'))).size > 500000, 'the wasm is inside');
  const page = await browser.context.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${fileUrl}#opt=adam&lr=0.02`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  assert.equal(await page.textContent('#error'), '');
  assert.match(await page.textContent('#version'), /^engine \d+\.\d+\.\d+/);
  // The formula is typeset too (MathML, web/src/mathml.js).
  await page.waitForSelector('[data-testid="formula"] math');
  await playUntil(page, async (p) => (await value(p, 'metric-test-acc')) > 0.9);
  await waitSettled(page);
  assert.ok((await step(page)) > 0);
  assert.match(await page.getAttribute('[data-testid="verdict"]', 'data-kind'), /^learn(ing|ed)$/);
  // Nothing was fetched but the file itself and the worker's Blob URL.
  const outside = requests.filter((u) => u !== `${fileUrl}#opt=adam&lr=0.02` && u !== fileUrl && !u.startsWith('blob:'));
  assert.deepEqual(outside, []);
  // Copy link points at the file.
  await page.click('[data-testid="btn-link"]');
  assert.ok((await page.inputValue('[data-testid="share-link"]')).startsWith(`${fileUrl}#`));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the single file and the served page give the same numbers', async () => {
  const hash = `seed=4&layers=${encodeURIComponent('16:tanh|16:tanh|1:sigmoid')}&opt=momentum&lr=0.05&step=120`;
  const metrics = ['metric-train-loss', 'metric-test-loss', 'metric-train-acc', 'metric-test-acc'];
  const read = async (page) => {
    await page.waitForFunction(() => document.body.dataset.step === '120' && document.body.dataset.settled === 'true');
    return Promise.all(metrics.map((m) => page.getAttribute(`[data-testid="${m}"]`, 'data-value')));
  };
  const served = await openLab(browser.context, server.url, { hash });
  const file = await browser.context.newPage();
  await file.goto(`${fileUrl}#${hash}`);
  await file.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  assert.deepEqual(await read(file), await read(served.page));
  assert.deepEqual(served.errors, []);
  await served.page.close();
  await file.close();
});

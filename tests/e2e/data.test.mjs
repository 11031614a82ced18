// The learner's own data (dataPanel.js, drawData.js): a CSV pasted, uploaded or named by a
// course page's link (csv=) trains; a CSV with an error is refused with its row and column
// and the run in use goes on; points drawn by mouse or by keyboard train and travel in the
// link (pts=). The CSVs are the engine's own iris rows, written here with semicolons,
// decimal commas, the class first and named.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { useBrowser, openLab, screenshotDir, step } from './helpers.mjs';

const { server, browser } = useBrowser();
const SPECIES = ['setosa', 'versicolor', 'virginica'];
let irisCsv;

before(async () => {
  const lab = await loadInitscope();
  const run = lab.createRun({
    data: { name: 'iris', train: 150, test: 0 },
    layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }], loss: 'cross_entropy',
  });
  const { xTrain, yTrain } = run.dataset();
  run.dispose();
  const rows = [...yTrain].map((c, i) => [SPECIES[c], ...[...xTrain.subarray(i * 4, i * 4 + 4)].map((v) => String(v).replace('.', ','))].join(';'));
  irisCsv = `species;sepal length;sepal width;petal length;petal width\n${rows.join('\n')}\n`;
});

const dataName = (page) => page.$eval('[data-field="data.name"]', (s) => s.value);
const hashOf = (page) => page.evaluate(() => location.hash);

async function openData(page) {
  const section = page.locator('[data-testid="panel-data"]');
  if (!(await section.evaluate((d) => d.open))) await section.locator('summary').first().click();
  const own = page.locator('[data-testid="data-own"]');
  if (!(await own.evaluate((d) => d.open))) await own.locator('summary').click();
}

/** Steps the run a few times (the toolbar's Step) and checks the step moved: the session works. */
async function trainSteps(page, n = 3) {
  const before = await step(page);
  for (let i = 0; i < n; i++) await page.click('[data-testid="btn-step"]');
  await page.waitForFunction((s) => Number(document.body.dataset.step) >= s, before + n);
}

/** Waits until the run being shown is on the custom set and drawn at `at` (a Run JSON's import continues at its step). */
async function waitForCustomRun(page, at = 0) {
  await page.waitForFunction((s) => document.querySelector('[data-field="data.name"]')?.value === 'custom'
    && document.body.dataset.step === String(s) && document.getElementById('status').textContent.startsWith('Step'), at);
}

test('a pasted CSV (semicolons, decimal commas, the class named) trains, and a link does not carry it', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  await openData(page);
  await page.fill('[data-testid="data-csv"]', irisCsv);
  await page.fill('[data-testid="data-label"]', 'species');
  await page.click('[data-testid="data-use"]');
  await waitForCustomRun(page);
  assert.match(await page.textContent('[data-testid="data-summary"]'), /150 rows \(120 train, 30 test\), 4 features, 3 classes \(setosa, versicolor, virginica\)/);
  assert.equal(await page.$eval('[data-field="loss"]', (s) => s.value), 'cross_entropy');
  await trainSteps(page);
  // The link says custom, not the text; opening it falls back with a notice that says why.
  const hash = await hashOf(page);
  assert.match(hash, /data=custom/);
  assert.doesNotMatch(hash, /setosa|csv=/);
  // The Run JSON keeps the text; imported into a fresh lab, it is the same custom set at the same step.
  await page.click('[data-testid="btn-export"]');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
  const record = JSON.parse(await readFile(await dl.path(), 'utf8'));
  assert.equal(record.config.data.csv, irisCsv);
  assert.equal(record.config.data.label, 'species');
  const fresh = await openLab(browser.context, server.url);
  await fresh.page.click('[data-testid="btn-import"]');
  await fresh.page.fill('[data-testid="import-text"]', JSON.stringify(record));
  await fresh.page.click('[data-testid="import-apply"]');
  await waitForCustomRun(fresh.page, await step(page));
  assert.equal(await fresh.page.$eval('[data-field="loss"]', (s) => s.value), 'cross_entropy');
  assert.deepEqual(fresh.errors, []);
  await fresh.page.close();
  const again = await openLab(browser.context, server.url, { hash: hash.slice(1) });
  assert.match(await again.page.textContent('[data-testid="notices"]'), /pasted or uploaded CSV is not kept in a link/);
  assert.equal(await dataName(again.page), 'circles');
  await again.page.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('an uploaded CSV trains; a CSV with an error is refused with its row and column and the run goes on', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  await openData(page);
  await page.fill('[data-testid="data-label"]', '1');  // the class column by number
  await page.setInputFiles('[data-testid="data-file"]', { name: 'iris.csv', mimeType: 'text/csv', buffer: Buffer.from(irisCsv) });
  await waitForCustomRun(page);
  assert.match(await page.textContent('[data-testid="data-summary"]'), /3 classes/);
  await trainSteps(page);

  const broken = irisCsv.split('\n');
  broken[4] = broken[4].replace(/;[^;]+;/, ';5,x1;');  // row 5, column 2: not a number
  await page.fill('[data-testid="data-csv"]', broken.join('\n'));
  const stepBefore = await step(page);
  await page.click('[data-testid="data-use"]');
  await page.waitForSelector('[data-testid="data-error"]:not([hidden])');
  const message = await page.textContent('[data-testid="data-error"]');
  assert.match(message, /^CSV: row 5, column 2 \("sepal length"\): "5,x1" is not a number/);
  // Nothing of the refused text reached the run: same data, same step, and it still trains.
  assert.equal(await dataName(page), 'custom');
  assert.equal(await step(page), stepBefore);
  await trainSteps(page);
  const oneClass = `x;y;k\n${[1, 2, 3].map((i) => `${i};${i};a`).join('\n')}\n`;
  await page.fill('[data-testid="data-csv"]', oneClass);
  await page.fill('[data-testid="data-label"]', '');
  await page.click('[data-testid="data-use"]');
  await page.waitForFunction(() => /holds one class/.test(document.querySelector('[data-testid="data-error"]').textContent));
  assert.match(await page.textContent('[data-testid="data-error"]'), /column 3 \("k"\) holds one class \("a" in every row\); expected 2 to 10 classes/);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.locator('[data-testid="data-error"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(await screenshotDir(), 'data-error-1366.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('points drawn by mouse train, draw their boundary and travel in the link', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { viewport: { width: 1366, height: 768 } });
  await openData(page);
  const plane = page.locator('[data-testid="draw-plane"]');
  await plane.scrollIntoViewIfNeeded();
  const box = await plane.boundingBox();
  const at = (x, y) => ({ x: box.x + ((x + 1) / 2) * box.width, y: box.y + ((1 - y) / 2) * box.height });
  for (const [x, y] of [[-0.6, -0.5], [-0.5, -0.7], [-0.7, -0.3], [-0.3, -0.6]]) await page.mouse.click(at(x, y).x, at(x, y).y);
  await page.click('[data-testid="draw-class-1"]');
  for (const [x, y] of [[0.6, 0.5], [0.5, 0.7], [0.7, 0.3], [0.3, 0.6], [0.9, 0.9]]) await page.mouse.click(at(x, y).x, at(x, y).y);
  // A click on a point takes it away.
  await page.mouse.click(at(0.9, 0.9).x, at(0.9, 0.9).y);
  assert.match(await page.textContent('[data-testid="draw-status"]'), /Removed a point of class 1\. 8 points \(class 0: 4, class 1: 4\)/);
  await page.click('[data-testid="draw-use"]');
  await waitForCustomRun(page);
  assert.equal(await page.isVisible('[data-testid="view-data"] canvas'), true);
  assert.equal(await page.$eval('[data-field="loss"]', (s) => s.value), 'bce');
  await trainSteps(page);
  const hash = await hashOf(page);
  assert.match(hash, /pts=0[0-9a-z]{4}/);
  await page.screenshot({ path: join(await screenshotDir(), 'data-drawn-1366.png') });

  // The link rebuilds the same points.
  const again = await openLab(browser.context, server.url, { hash: hash.slice(1) });
  assert.equal(await dataName(again.page), 'custom');
  assert.equal(await again.page.evaluate(() => location.hash.match(/pts=([0-9a-z]+)/)[1]), hash.match(/pts=([0-9a-z]+)/)[1]);
  await again.page.close();
  // A link of points of one class (no data= key) is refused with a notice; the lab opens on its default set.
  const oneClass = await openLab(browser.context, server.url, { hash: 'pts=0141e01e0u' });
  assert.match(await oneClass.page.textContent('[data-testid="notices"]'), /the drawing holds one class/);
  assert.equal(await dataName(oneClass.page), 'circles');
  assert.deepEqual(oneClass.errors, []);
  await oneClass.page.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('points drawn by keyboard (arrows, Space, C, Delete) train', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { viewport: { width: 375, height: 800 } });
  await openData(page);
  await page.focus('[data-testid="draw-plane"]');
  const press = async (key, times = 1) => { for (let i = 0; i < times; i++) await page.keyboard.press(key); };
  // Class 0 at the lower left, class 1 at the upper right.
  await press('ArrowLeft', 10); await press('ArrowDown', 10);
  for (let i = 0; i < 3; i++) { await press('Space'); await press('ArrowRight'); }
  await press('c');
  await press('Shift+ArrowRight', 4); await press('Shift+ArrowUp', 5);
  for (let i = 0; i < 4; i++) { await press('Enter'); await press('ArrowUp'); }
  await press('Delete');  // nothing under the cursor: the last point goes
  assert.match(await page.textContent('[data-testid="draw-status"]'), /6 points \(class 0: 3, class 1: 3\)/);
  await page.click('[data-testid="draw-use"]');
  await waitForCustomRun(page);
  await trainSteps(page);
  await page.locator('[data-testid="draw-plane"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(await screenshotDir(), 'data-drawn-375.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a course page names its CSV on its own site (csv=) and the lab in an iframe trains on it', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 900, height: 900 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The class last, where the panel looks for it by default.
  const classLast = irisCsv.trim().split('\n').map((line) => { const [c, ...x] = line.split(';'); return [...x, c].join(';'); }).join('\n');
  await browser.context.route('**/course-data/iris.csv', (route) => route.fulfill({ status: 200, contentType: 'text/csv', body: classLast }));
  await page.setContent(`<iframe src="${server.url}#csv=/course-data/iris.csv" style="width:700px;height:860px;border:0"></iframe>`);
  const frame = page.frames()[1];
  await frame.waitForFunction(() => document.querySelector('[data-field="data.name"]')?.value === 'custom'
    && document.body.dataset.step === '0', null, { timeout: 30000 });
  assert.match(await frame.textContent('[data-testid="data-summary"]'), /150 rows/);
  assert.match(await frame.evaluate(() => location.hash), /csv=%2Fcourse-data%2Firis\.csv/);
  await openData(frame);
  await frame.locator('[data-testid="data-summary"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(await screenshotDir(), 'data-iframe-700.png') });
  // A course CSV with the class first names its class column in the link (csvlabel=).
  await browser.context.route('**/course-data/iris-first.csv', (route) => route.fulfill({ status: 200, contentType: 'text/csv', body: irisCsv }));
  const first = await openLab(browser.context, server.url, { hash: 'csv=/course-data/iris-first.csv&csvlabel=species' });
  await first.page.waitForFunction(() => /150 rows/.test(document.querySelector('[data-testid="data-summary"]')?.textContent));
  assert.match(await first.page.textContent('[data-testid="data-summary"]'), /4 features, 3 classes \(setosa, versicolor, virginica\)/);
  assert.match(await first.page.evaluate(() => location.hash), /csvlabel=species/);
  assert.deepEqual(first.errors, []);
  await first.page.close();
  await browser.context.unroute('**/course-data/iris-first.csv');
  // Another site's CSV is refused.
  const other = await openLab(browser.context, server.url, { hash: 'csv=https://example.com/x.csv' });
  assert.match(await other.page.textContent('[data-testid="data-error"]'), /csv=https:\/\/example\.com\/x\.csv is not allowed; expected a path on this site/);
  await other.page.close();
  await browser.context.unroute('**/course-data/iris.csv');
  assert.deepEqual(errors, []);
  await page.close();
});

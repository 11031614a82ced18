// Sweeps: the page's grid over two settings of its run, trained in several Web Workers,
// gives the same cells as one worker and as Node's one-thread runSweepHere (its CSV, byte
// for byte); the heatmap draws every cell and the engine's order/chaos boundary; a sweep
// can be cancelled; its settings are in the URL. init scale works on the default he_normal
// and says why it does not on orthogonal; the heatmap has a colour bar, whole cells, a
// tooltip inside the plot, and a click (or Enter) opens a cell's run in the lab. A network
// of residual blocks sweeps its number of blocks (from the URL) and its gate (from the form),
// and the page's cells are Node's.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { runSweepHere, sweepToCsv, checkSweep, cellConfig } from '../../wasm/sweep.mjs';
import { deserialize } from '../../web/src/state.js';
import { useBrowser, openLab, screenshotDir } from './helpers.mjs';

const { server, browser } = useBrowser();

let lab;

before(async () => {
  lab = await loadInitscope();
});

const CONFIG = `layers=${encodeURIComponent('12:tanh|12:tanh|1:sigmoid')}&init=glorot_normal&opt=adam&lr=0.02&data=spiral`;
const SWEEP = 'init.scale:0.01:3:6:log;depth:1:3:3:linear;150;trainAccuracy:0.9;success';

async function runWith(page, workers) {
  await page.fill('[data-testid="sweep-workers"]', String(workers));
  await page.locator('[data-testid="sweep-workers"]').blur();
  await page.click('[data-testid="sweep-run"]');
  await page.waitForSelector('[data-testid="sweep-panel"][data-state="done"]', { timeout: 120000 });
  assert.match(await page.textContent('[data-testid="sweep-status"]'), new RegExp(`^18 cells in [\\d.]+ s on ${workers} workers`));
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="sweep-csv"]')]);
  return readFile(await dl.path(), 'utf8');
}

test('a sweep gives the same cells in one worker, in several, and in Node', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: `${CONFIG}&sweep=${encodeURIComponent(SWEEP)}` });
  await page.waitForSelector('[data-testid="sweep-run"]:not([disabled])');
  assert.equal(await page.textContent('[data-testid="sweep-status"]'), '18 cells of 150 steps');
  const one = await runWith(page, 1);
  const several = await runWith(page, 3);
  assert.equal(several, one, 'the same cells on 1 and 3 workers');
  assert.equal(await page.$eval('progress[data-testid="sweep-progress"]', (p) => [p.value, p.max].join('/')), '18/18');
  // Node, one thread, the same spec: the page's run config and the URL's grid.
  const config = deserialize(CONFIG, lab.schema().config.default, lab.schema()).config;
  const spec = {
    base: config, x: { param: 'init.scale', from: 0.01, to: 3, count: 6, scale: 'log' },
    y: { param: 'depth', from: 1, to: 3, count: 3, scale: 'linear' }, steps: 150, success: { metric: 'trainAccuracy', atLeast: 0.9 },
  };
  assert.equal(one, sweepToCsv(runSweepHere(lab, spec)));
  const rows = one.trim().split('\r\n');
  assert.equal(rows.length, 19);
  assert.ok(rows.slice(1).some((r) => r.includes(',true,')) && rows.slice(1).some((r) => r.includes(',false,')), 'some cells succeed, some do not');
  // Every cell drawn, and the engine's boundary (tanh, the init's scale on an axis).
  assert.equal(await page.$eval('.heatmap', (h) => h.dataset.cells), '18');
  assert.equal(await page.$eval('.heatmap', (h) => h.dataset.boundary), 'drawn');
  await page.locator('[data-testid="view-sweep"]').screenshot({ path: join(await screenshotDir(), 'sweep.png') });
  await checkHeatmap(page, spec, one);
  assert.deepEqual(errors, []);
  await page.close();
});

// The colour bar, whole cells, the tooltip inside the plot, and opening a cell's run.
async function checkHeatmap(page, spec, csv) {
  const bar = page.locator('[data-testid="heatmap-colorbar"]');
  assert.match(await bar.textContent(), /^succeeded \(train accuracy ≥ 0\.9\)did not$/);
  await page.selectOption('[data-testid="sweep-show"]', 'loss');
  const losses = csv.trim().split('\r\n').slice(1).map((r) => Number(r.split(',')[6])).filter((v) => v > 0);
  const text = await bar.textContent();
  assert.match(text, /^final training loss \(log scale\)/);
  const ends = await bar.locator('.heatmap-scale-ticks span').allTextContents();
  assert.equal(ends.length, 3);
  assert.ok(Math.abs(Number(ends[0]) / Math.min(...losses) - 1) < 0.01, `${ends[0]} vs ${Math.min(...losses)}`);
  assert.ok(Math.abs(Number(ends[2]) / Math.max(...losses) - 1) < 0.01, `${ends[2]} vs ${Math.max(...losses)}`);
  assert.equal(await bar.locator('.heatmap-scale-bar').count(), 1);
  // Whole cells: no grid line through a cell's centre (where the ticks are).
  const over = page.locator('[data-testid="heatmap-cells"]');
  const box = await over.boundingBox();
  const plain = await page.evaluate(() => {
    const u = document.querySelector('.heatmap .u-over');
    const canvas = document.querySelector('.heatmap canvas');
    const ctx = canvas.getContext('2d');
    const r = canvas.getBoundingClientRect();
    const o = u.getBoundingClientRect();
    const scale = canvas.width / r.width;
    // Cell (0, 0) spans the first sixth of the width and the last third of the height.
    const pixel = (fx, fy) => Array.from(ctx.getImageData(Math.round((o.left - r.left + o.width * fx) * scale), Math.round((o.top - r.top + o.height * fy) * scale), 1, 1).data).join();
    return [pixel(1 / 12, 5 / 6), pixel(1 / 24, 5 / 6), pixel(1 / 12, 0.75)];
  });
  assert.equal(new Set(plain).size, 1, `one colour across cell (0, 0): ${plain.join(' | ')}`);
  // The tooltip stays inside the plotting area, off the axes, even at the bottom-left cell.
  await page.mouse.move(box.x + 4, box.y + box.height - 4);
  const tip = page.locator('.heatmap .chart-tip');
  await tip.waitFor();
  const t = await tip.boundingBox();
  assert.ok(t.x >= box.x - 0.5 && t.y >= box.y - 0.5 && t.x + t.width <= box.x + box.width + 0.5 && t.y + t.height <= box.y + box.height + 0.5,
    `tooltip ${JSON.stringify(t)} inside the plot ${JSON.stringify(box)}`);
  assert.match(await tip.textContent(), /click: open its run in the lab/);
  // A click opens the cell's run in a new tab: its config as a lab link at the cell's steps.
  const checked = checkSweep(lab, spec);
  const [popup] = await Promise.all([page.context().waitForEvent('page'), page.mouse.click(box.x + box.width * (3.5 / 6), box.y + box.height * (1.5 / 3))]);
  await popup.waitForURL(/#/);
  const opened = new URLSearchParams(new URL(popup.url()).hash.slice(1));
  assert.equal(opened.get('step'), '150');
  const want = cellConfig(checked, checked.x.values[3], checked.y.values[1]).config;
  assert.deepEqual(deserialize(opened.toString(), lab.schema().config.default, lab.schema()).config, want);
  assert.equal(want.init.name, 'variance_scaling');
  await popup.waitForFunction(() => document.body.dataset.step === '150', null, { timeout: 60000 });
  await popup.close();
  // The keyboard: focus the cells, move right twice and up once, Enter opens that cell.
  await over.focus();
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowUp']) await page.keyboard.press(key);
  assert.match(await page.textContent('.heatmap [aria-live]'), /^init scale \(× variance\) 0\.\d+, depth \(hidden layers\) 2: loss /);
  const [byKey] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
  await byKey.waitForURL(/#/);
  const keyed = new URLSearchParams(new URL(byKey.url()).hash.slice(1));
  assert.deepEqual(deserialize(keyed.toString(), lab.schema().config.default, lab.schema()).config,
    cellConfig(checked, checked.x.values[2], checked.y.values[1]).config);
  await byKey.close();
}

test('init scale applies to the default he_normal and says why not to orthogonal', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: '' });
  await page.click('[data-testid="btn-sweep"]');
  await page.waitForSelector('[data-testid="sweep-run"]:not([disabled])');
  assert.equal(await page.inputValue('[data-testid="sweep-x-param"]'), 'init.scale');
  assert.match(await page.textContent('[data-testid="sweep-status"]'), /^54 cells of 300 steps$/);
  await page.selectOption('[data-testid="sweep-x-param"]', 'init.gain');
  assert.match(await page.textContent('[data-testid="sweep-status"]'), /^54 cells of 300 steps$/);
  await page.close();
  const other = await openLab(browser.context, server.url, { hash: `init=orthogonal&sweep=${encodeURIComponent('init.scale:0.5:2:3:log;;50;trainAccuracy:0.9;loss')}` });
  await other.page.waitForSelector('[data-testid="sweep-run"]');
  assert.match(await other.page.textContent('[data-testid="sweep-status"]'),
    /^x\.param: "init scale" multiplies the variance of the starting weights, so it needs an initializer whose variance follows the layer's size \(.*he_normal.*\)\. The base init orthogonal is not one; sweep "init gain" instead, which multiplies its gain$/);
  assert.ok(await other.page.isDisabled('[data-testid="sweep-run"]'));
  await other.page.selectOption('[data-testid="sweep-x-param"]', 'init.gain');
  assert.match(await other.page.textContent('[data-testid="sweep-status"]'), /^3 cells of 50 steps$/);
  assert.deepEqual([...errors, ...other.errors], []);
  await other.page.close();
});

test('the sweep view opens from the settings, writes its grid to the URL, and cancels', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: CONFIG });
  await page.click('[data-testid="btn-sweep"]');
  await page.waitForSelector('[data-testid="sweep-run"]');
  // The default grid: this init's scale against depth.
  assert.equal(await page.inputValue('[data-testid="sweep-x-param"]'), 'init.scale');
  assert.equal(await page.inputValue('[data-testid="sweep-y-param"]'), 'depth');
  await page.fill('[data-testid="sweep-steps"]', '3000');
  await page.locator('[data-testid="sweep-steps"]').blur();
  const hash = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
  assert.match(hash.get('sweep'), /^init\.scale:0\.25:4:9:log;depth:1:6:6:linear;3000;trainAccuracy:0\.95;loss$/);
  await page.click('[data-testid="sweep-run"]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="sweep-progress"]').value) >= 1);
  await page.click('[data-testid="sweep-cancel"]');
  await page.waitForSelector('[data-testid="sweep-panel"][data-state="cancelled"]');
  assert.match(await page.textContent('[data-testid="sweep-status"]'), /^Cancelled after \d+ of 54 cells$/);
  // A refused grid says why, in the sweep module's words.
  await page.fill('[data-testid="sweep-x-from"]', '-1');
  await page.locator('[data-testid="sweep-x-from"]').blur();
  assert.match(await page.textContent('[data-testid="sweep-status"]'), /^x\.from: -1 is not allowed/);
  assert.ok(await page.isDisabled('[data-testid="sweep-run"]'));
  await page.click('[data-testid="sweep-close"]');
  assert.ok(!(await page.evaluate(() => location.hash)).includes('sweep='));
  assert.deepEqual(errors, []);
  await page.close();
});

// A network of one residual block: blocks copies the last block, gate sets every block's alpha.
const BLOCKS_CONFIG = `layers=${encodeURIComponent('8:relu|residual(activation=relu)|1:sigmoid')}&data=circles&opt=adam&lr=0.02`;

// The sweep's CSV from the page (its CSV button) once every cell is done.
async function sweepCsv(page, cells) {
  await page.click('[data-testid="sweep-run"]');
  await page.waitForSelector('[data-testid="sweep-panel"][data-state="done"]', { timeout: 120000 });
  assert.match(await page.textContent('[data-testid="sweep-status"]'), new RegExp(`^${cells} cells in [\\d.]+ s on 2 workers`));
  assert.equal(await page.$eval('.heatmap', (h) => h.dataset.cells), String(cells));
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="sweep-csv"]')]);
  return readFile(await dl.path(), 'utf8');
}

test('a sweep over the number of residual blocks and one over their gate give Node\'s cells', async () => {
  const sweep = 'blocks:1:4:4:linear;;60;trainAccuracy:0.9;loss';
  const { page, errors } = await openLab(browser.context, server.url, { hash: `${BLOCKS_CONFIG}&sweep=${encodeURIComponent(sweep)}` });
  await page.waitForSelector('[data-testid="sweep-run"]:not([disabled])');
  assert.equal(await page.inputValue('[data-testid="sweep-x-param"]'), 'blocks');
  assert.equal(await page.textContent('[data-testid="sweep-status"]'), '4 cells of 60 steps');
  await page.fill('[data-testid="sweep-workers"]', '2');
  await page.locator('[data-testid="sweep-workers"]').blur();
  const config = deserialize(BLOCKS_CONFIG, lab.schema().config.default, lab.schema()).config;
  assert.equal(config.layers.filter((l) => l.kind === 'residual').length, 1, 'the base has one block');
  const base = { base: config, steps: 60, success: { metric: 'trainAccuracy', atLeast: 0.9 } };
  const blocks = await sweepCsv(page, 4);
  assert.equal(blocks, sweepToCsv(runSweepHere(lab, { ...base, x: { param: 'blocks', from: 1, to: 4, count: 4, scale: 'linear' } })));
  // The table: one row per number of blocks, 1 to 4, each trained its 60 steps to a finite loss.
  const rows = blocks.trim().split('\r\n').map((r) => r.split(','));
  assert.deepEqual(rows[0].slice(0, 7), ['i', 'xi', 'yi', 'blocks', 'y', 'steps', 'loss']);
  assert.deepEqual(rows.slice(1).map((r) => [r[3], r[5]]), [['1', '60'], ['2', '60'], ['3', '60'], ['4', '60']]);
  assert.ok(rows.slice(1).every((r) => Number(r[6]) > 0 && Number.isFinite(Number(r[6]))));
  // The keyboard names the axis in the page's words.
  await page.locator('[data-testid="heatmap-cells"]').focus();
  await page.keyboard.press('ArrowRight');
  assert.match(await page.textContent('.heatmap [aria-live]'), /^residual blocks 2: loss /);

  // The gate, chosen in the form: 0 (every block starts as the identity), 0.5 and 1.
  await page.selectOption('[data-testid="sweep-x-param"]', 'gate');
  for (const [field, value] of [['from', '0'], ['to', '1'], ['count', '3']]) {
    await page.fill(`[data-testid="sweep-x-${field}"]`, value);
    await page.locator(`[data-testid="sweep-x-${field}"]`).blur();
  }
  assert.equal(await page.textContent('[data-testid="sweep-status"]'), '3 cells of 60 steps');
  const hash = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
  assert.equal(hash.get('sweep'), 'gate:0:1:3:linear;;60;trainAccuracy:0.9;loss');
  const gate = await sweepCsv(page, 3);
  assert.equal(gate, sweepToCsv(runSweepHere(lab, { ...base, x: { param: 'gate', from: 0, to: 1, count: 3, scale: 'linear' } })));
  const gates = gate.trim().split('\r\n').slice(1).map((r) => r.split(','));
  assert.deepEqual(gates.map((r) => r[3]), ['0', '0.5', '1']);
  // Gate 1 is the base block as it is (alpha 1 by default): the same cell as one block above.
  assert.equal(gates[2].slice(5).join(), rows[1].slice(5).join());
  assert.deepEqual(errors, []);
  await page.close();
});

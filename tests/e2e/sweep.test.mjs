// Sweeps: the page's grid over two settings of its run, trained in several Web Workers,
// gives the same cells as one worker and as Node's one-thread runSweepHere (its CSV, byte
// for byte); the heatmap draws every cell and the engine's order/chaos boundary; a sweep
// can be cancelled; its settings are in the URL.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { runSweepHere, sweepToCsv } from '../../wasm/sweep.mjs';
import { deserialize } from '../../web/src/state.js';
import { useBrowser, openLab, screenshotDir } from './helpers.mjs';

const { server, browser } = useBrowser();

let lab;

before(async () => {
  lab = await loadInitscope();
});

const CONFIG = `layers=${encodeURIComponent('12:tanh|12:tanh|1:sigmoid')}&init=${encodeURIComponent('random_normal(mean=0,stddev=0.3)')}&opt=adam&lr=0.02&data=spiral`;
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
  assert.deepEqual(errors, []);
  await page.close();
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

// Divergence in the page: a run that blows up (mse on a linear output, learning rate 10)
// stops with a verdict that names the step, the layer and the quantity (the engine's), and
// the page offers Reset (the same initial weights, step 0) and Lower the learning rate
// (÷ 10 and a new run from the same seed), which then trains; in a comparison, one
// "lower" button per diverged run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { deserialize } from '../../web/src/state.js';
import { useBrowser, openLab, step, waitSettled } from './helpers.mjs';

const { server, browser } = useBrowser();

const CONFIG = `loss=mse&layers=${encodeURIComponent('10:relu|5:relu|1:linear')}&lr=10`;
const verdict = (page) => page.textContent('[data-testid="verdict"]');
const lrOf = async (page, prefix = '') => new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get(`${prefix}lr`);

/** Plays until every run has diverged (play stops by itself then). */
async function playToDivergence(page) {
  await page.keyboard.press('k');
  await page.waitForSelector('[data-testid="diverged-actions"]:not([hidden])', { timeout: 60000 });
  await waitSettled(page);
}

test('a diverged run names step, layer and quantity and offers Reset and Lower the learning rate', async () => {
  // The engine's own account of this run, through the JS API.
  const lab = await loadInitscope();
  const schema = lab.schema();
  const run = lab.createRun(deserialize(CONFIG, schema.config.default, schema).config);
  const { diverged } = run.step(1000);
  run.dispose();
  assert.ok(diverged, 'the config diverges in the engine');

  const { page, errors } = await openLab(browser.context, server.url, { hash: CONFIG });
  assert.ok(await page.isHidden('[data-testid="diverged-actions"]'), 'no actions before a divergence');
  await playToDivergence(page);
  const layer = diverged.layer === 2 ? 'the output layer' : `layer ${diverged.layer + 1}`;
  assert.equal(await verdict(page), `Diverged at step ${diverged.step} in ${layer} ${diverged.quantity}s: a value became NaN or infinite. Lower the learning rate, clip gradients or pick a smaller init.`);
  assert.equal(await step(page), diverged.step);
  assert.equal(await page.getAttribute('[data-testid="btn-play"]', 'aria-pressed'), 'false', 'training stopped');
  assert.equal(await page.textContent('[data-testid="diverged-lower-lr"]'), 'Lower the learning rate (10 → 1)');

  // Reset: step 0, the same weights, and it diverges again at the same step.
  await page.click('[data-testid="diverged-reset"]');
  await page.waitForFunction(() => document.body.dataset.step === '0');
  assert.ok(await page.isHidden('[data-testid="diverged-actions"]'));
  await playToDivergence(page);
  assert.equal(await step(page), diverged.step, 'the same run diverges at the same step');

  // Lower: lr ÷ 10 in the settings and the URL, and the run trains past that step.
  await page.click('[data-testid="diverged-lower-lr"]');
  await page.waitForFunction(() => document.body.dataset.step === '0');
  assert.equal(await lrOf(page), '1');
  assert.equal(await page.inputValue('[data-field="optimizer.lr"]'), '1');
  assert.ok(await page.isHidden('[data-testid="diverged-actions"]'));
  await page.keyboard.press('k');
  await page.waitForFunction(() => Number(document.body.dataset.step) >= 300, null, { timeout: 60000 });
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('k');
  await waitSettled(page);
  assert.ok(await page.isHidden('[data-testid="diverged-actions"]'), 'no divergence at lr 1');
  assert.doesNotMatch(await verdict(page), /Diverged/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('in a comparison, the diverged run gets its own Lower button and only its rate changes', async () => {
  const { page, errors } = await openLab(browser.context, server.url, {
    hash: `loss=mse&layers=${encodeURIComponent('10:relu|5:relu|1:linear')}&lr=0.1&runs=2&b.lr=10`,
  });
  await page.keyboard.press('k');
  await page.waitForSelector('[data-testid="diverged-lower-lr-B"]', { timeout: 60000 });
  assert.equal(await page.$$eval('[data-testid^="diverged-lower-lr"]', (bs) => bs.length), 1, 'run A did not diverge');
  await page.evaluate(() => document.activeElement?.blur());
  if ((await page.getAttribute('[data-testid="btn-play"]', 'aria-pressed')) === 'true') await page.keyboard.press('k');
  await waitSettled(page);
  await page.click('[data-testid="diverged-lower-lr-B"]');
  await page.waitForFunction(() => document.body.dataset.step === '0');
  assert.deepEqual([await lrOf(page), await lrOf(page, 'b.')], ['0.1', '1']);
  assert.deepEqual(errors, []);
  await page.close();
});

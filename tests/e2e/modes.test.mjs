// The page's modes (web/src/pageMode.js, shown as body[data-mode]): every way into new runs
// (a link, a link's key the engine refuses, a link's step=, an import taken and refused, a
// comparison, a preset and its Run) walks the transition table and ends in idle, with the
// runs it asked for. An illegal move would be a console error in the built page: none is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openLab, step } from './helpers.mjs';

// Every value body[data-mode] takes, in order (a move to the same mode counts too).
function recordModes() {
  window.modesSeen = [];
  new MutationObserver((records) => {
    for (const r of records) window.modesSeen.push(r.target.dataset.mode);
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-mode'] });
}

const { server, browser } = useBrowser({ initScript: recordModes });

/** The modes seen since the last call, once the page is idle again. */
async function modesUntilIdle(page) {
  await page.waitForFunction(() => document.body.dataset.mode === 'idle' && document.body.dataset.ready === 'true', null, { timeout: 60000 });
  return page.evaluate(() => window.modesSeen.splice(0));
}

const hashParams = (page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.slice(1))));

test('a link: loading, fromUrl, idle; its runs written back as the page writes them', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'init=glorot_uniform&seed=5' });
  assert.deepEqual(await modesUntilIdle(page), ['loading', 'fromUrl', 'idle']);
  assert.deepEqual(await hashParams(page), { init: 'glorot_uniform', seed: '5' });
  assert.equal(await page.inputValue('[data-field="init"]'), 'glorot_uniform');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link\'s key the engine refuses: fromUrl again without it, then idle', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'data=iris&loss=bce' });
  assert.deepEqual(await modesUntilIdle(page), ['loading', 'fromUrl', 'fromUrl', 'idle']);
  assert.deepEqual(await hashParams(page), { data: 'iris' });
  assert.match(await page.textContent('[data-testid="notices"]'), /loss=bce — the engine refused it/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link with step=: fromUrl, jumping to the step, idle once its last frame is in', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'step=300' });
  assert.deepEqual(await modesUntilIdle(page), ['loading', 'fromUrl', 'jumping', 'idle']);
  assert.equal(await step(page), 300);
  assert.equal(await page.evaluate(() => document.body.dataset.settled), 'true');
  assert.ok(await page.isHidden('[data-testid="job"]'), 'the job line is gone');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an import: importing, then idle with its config; refused by the engine: the runs go back (creating), then idle', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'seed=7' });
  await modesUntilIdle(page);
  const importText = async (text) => {
    await page.click('[data-testid="btn-import"]');
    await page.waitForSelector('[data-testid="import-text"]');  // its code loads on the first open
    await page.evaluate((value) => { document.querySelector('[data-testid="import-text"]').value = value; }, text);
    await page.click('[data-testid="import-apply"]');
  };
  await importText(JSON.stringify({ init: 'glorot_uniform', seed: 7 }));
  assert.deepEqual(await modesUntilIdle(page), ['importing', 'idle']);
  assert.deepEqual(await hashParams(page), { init: 'glorot_uniform', seed: '7' });

  await importText(JSON.stringify({ data: 'iris', loss: 'bce' }));
  assert.deepEqual(await modesUntilIdle(page), ['importing', 'creating', 'idle']);
  assert.match(await page.textContent('[data-testid="import-state"]'), /bce/);
  assert.deepEqual(await hashParams(page), { init: 'glorot_uniform', seed: '7' }, 'the runs before the import');
  assert.deepEqual(errors, []);
  await page.close();
});

test('compare and stop comparing: creating, then idle with two runs, then one', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  await modesUntilIdle(page);
  await page.click('[data-testid="btn-compare"]');
  assert.deepEqual(await modesUntilIdle(page), ['creating', 'idle']);
  assert.equal(await page.evaluate(() => document.body.dataset.runs), '2');
  await page.click('[data-testid="btn-compare-stop"]');
  assert.deepEqual(await modesUntilIdle(page), ['creating', 'idle']);
  assert.equal(await page.evaluate(() => document.body.dataset.runs), '1');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a preset: creating, idle; its Run: training to its steps, then idle', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  await modesUntilIdle(page);
  await page.selectOption('[data-testid="preset-select"]', 'dlai-histograms');
  // The first preset waits for the table's chunk, idle meanwhile: wait until it starts.
  await page.waitForFunction(() => window.modesSeen.length > 0, null, { timeout: 60000 });
  assert.deepEqual(await modesUntilIdle(page), ['creating', 'idle']);
  assert.deepEqual(await hashParams(page), { preset: 'dlai-histograms' });
  const runs = await page.evaluate(() => document.body.dataset.runs);
  await page.click('[data-testid="preset-run"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-panel"]').dataset.done === 'true' && document.body.dataset.settled === 'true', null, { timeout: 120000 });
  assert.deepEqual(await modesUntilIdle(page), ['training', 'idle']);
  assert.equal(await step(page), 300);
  assert.equal(await page.evaluate(() => document.body.dataset.runs), runs);
  assert.deepEqual(errors, []);
  await page.close();
});

// The residual initialization in the page: a network with blocks shows a select of the
// schema's schemes in the Network panel; picking one writes it to the link, starts a run
// with it, and typesets its formula with the numbers the engine's snapshot gives (L, m, the
// factor). A network without blocks has no select; a bad value from a link is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openLab, waitForRun } from './helpers.mjs';

const { server, browser } = useBrowser();

const blocks = 'layers=8:relu|residual(activation=relu)|residual(activation=relu)|residual(activation=relu)|residual(activation=relu)|1:sigmoid';
const keyOf = async (page, key) => new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get(key);

test('picking fixup writes it to the link, runs with it and shows its formula with L = 4 and the factor 1/2', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: blocks });
  await waitForRun(page);
  await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = true; });
  const select = page.locator('[data-field="residualInit"]');
  await select.waitFor();
  // The schema's rows, in its order (tests/wasm/residual-init.test.mjs pins the names).
  const options = await select.locator('option').evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(options, ['none', 'zero-last', 'fixup', 'skipinit', 'rezero', 'gpt2']);
  assert.equal(await select.inputValue(), 'none');

  await select.selectOption('fixup');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('residualInit=fixup'));
  await waitForRun(page);
  // The factor comes from the run's snapshot: the run used fixup on 4 blocks.
  const formula = page.locator('[data-testid="residual-init-formula"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="residual-init-formula"]')?.dataset.factor === '0.5');
  // NFKC: the formula's letters are mathematical italic code points.
  const text = (await formula.innerText()).normalize('NFKC');
  assert.match(text, /L\s*=\s*4/);
  assert.match(text, /m\s*=\s*2/);
  assert.match(text, /0\.5/);
  assert.match(await page.locator('[data-field-wrap="residualInit"]').innerText(), /Zhang, Dauphin & Ma/);
  // fixup owns the blocks' gate: their gate and alpha fields give way to a note.
  assert.equal(await page.locator('[data-field="layers[1].alpha"]').count(), 0);
  assert.match(await page.locator('[data-testid="layers-table"]').innerText(), /gate: set by fixup/);

  // skipinit offers its param; gpt2 shows 1/sqrt(2·4).
  await select.selectOption('gpt2');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('residualInit=gpt2(branchesPerLayer=2)'));
  await waitForRun(page);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="residual-init-formula"]')?.dataset.factor) === 1 / Math.sqrt(8));
  assert.equal(await page.locator('[data-field="layers[1].alpha"]').count(), 1, 'gpt2 leaves the gate to the blocks');
  await page.locator('[data-field="residualInit"]').selectOption('skipinit');
  await page.locator('[data-field="residualInit.alpha"]').waitFor();
  assert.equal(await keyOf(page, 'residualInit'), 'skipinit(alpha=0)');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link with a scheme opens with it; one without blocks or out of range is refused with what is allowed', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: `${blocks}&residualInit=rezero` });
  await waitForRun(page);
  await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = true; });
  assert.equal(await page.locator('[data-field="residualInit"]').inputValue(), 'rezero');
  await page.close();

  const plain = await openLab(browser.context, server.url, { hash: 'residualInit=fixup' });
  await waitForRun(plain.page);
  assert.match(await plain.page.locator('#notices').innerText(), /residualInit/);
  assert.equal(await plain.page.locator('[data-field="residualInit"]').count(), 0, 'no select without blocks');
  await plain.page.close();

  const far = await openLab(browser.context, server.url, { hash: `${blocks}&residualInit=skipinit(alpha=0.9)` });
  await waitForRun(far.page);
  assert.match(await far.page.locator('#notices').innerText(), /1\/sqrt\(L\) = 0\.5/);
  await far.page.close();
  assert.deepEqual([...errors, ...plain.errors, ...far.errors], []);
});

// The parameterization in the page: a select of the schema's table in the Network panel,
// its params, and one row per dense layer with the formulas for that layer's place (their
// words are wasm/parameterizationText.mjs's) and m written as this network's width over
// baseWidth; it lives in the link (param=).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { PARAMETERIZATION_TEXT } from '../../wasm/parameterizationText.mjs';
import { useBrowser, openLab, waitForRun, screenshotDir } from './helpers.mjs';

const { server, browser } = useBrowser();
const lab = await loadInitscope();
const table = lab.schema().parameterizations;

const net = 'data=digits&loss=cross_entropy&layers=128:tanh|128:tanh|10:softmax&opt=adam&lr=0.01';
const keyOf = async (page, key) => new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get(key);
const rowsOf = (page) => page.$$eval('[data-testid="parameterization-table"] tbody tr', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)));

test('muP from a link: the select, its base width and a row per layer with the table\'s formulas and m = width/baseWidth', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: `${net}&param=mup(baseWidth=32)` });
  await waitForRun(page);
  await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = true; });
  const select = page.locator('[data-field="parameterization"]');
  await select.waitFor();
  assert.deepEqual(await select.locator('option').evaluateAll((o) => o.map((x) => x.value)), table.map((r) => r.name));
  assert.equal(await select.inputValue(), 'mup');
  assert.equal(await page.inputValue('[data-field="parameterization.baseWidth"]'), '32');
  const place = (name) => PARAMETERIZATION_TEXT.mup.places[name];
  const rows = await rowsOf(page);
  assert.deepEqual(rows.map((r) => r.slice(1, 4)), [['input', '1', '128/32'], ['hidden', '128/32', '128/32'], ['output', '128/32', '1']]);
  for (const [i, name] of ['input', 'hidden', 'output'].entries()) {
    assert.deepEqual(rows[i].slice(4), ['init', 'forward', 'sgdLr', 'adamLr', 'bias'].map((k) => place(name)[k]), name);
  }
  await page.locator('[data-testid="parameterization"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(await screenshotDir(), 'parameterization-1400.png') });

  // zeroReadout and a new base width go to the link; standard leaves it.
  await page.selectOption('[data-field="parameterization.zeroReadout"]', 'true');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('param=mup(baseWidth=32,zeroReadout=true)'));
  await waitForRun(page);
  await page.fill('[data-field="parameterization.baseWidth"]', '64');
  await page.press('[data-field="parameterization.baseWidth"]', 'Enter');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('param=mup(baseWidth=64,zeroReadout=true)'));
  assert.deepEqual((await rowsOf(page))[1].slice(2, 4), ['128/64', '128/64']);
  await page.selectOption('[data-field="parameterization"]', 'standard');
  await page.waitForFunction(() => !location.hash.includes('param='));
  assert.equal(await keyOf(page, 'param'), null);
  const standard = await rowsOf(page);
  assert.deepEqual(standard.map((r) => r[2]), ['1', '', '']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a bad parameterization in a link is refused with the field named; the lab runs standard', async () => {
  const { page } = await openLab(browser.context, server.url, { hash: `${net}&param=mup(baseWidth=5000)` });
  await waitForRun(page);
  assert.equal(await keyOf(page, 'param'), null);
  assert.match(await page.textContent('body'), /param/);
  await page.close();
});

test('at 375 px the panel scrolls its table inside the page', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: `${net}&param=mup(baseWidth=32)`, viewport: { width: 375, height: 800 } });
  await waitForRun(page);
  await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = true; });
  await page.locator('[data-testid="parameterization-table"]').waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375 + 1), 'no sideways scroll of the page');
  await page.locator('[data-testid="parameterization"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(await screenshotDir(), 'parameterization-375.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

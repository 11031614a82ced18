// A way in: on a 1366x768 laptop and a 375 px phone, the initializer (the lab's subject) and
// its formula with this layer's numbers are in view on load, in the first settings section;
// the header leads into the lessons ("Start here"); the experiments from the articles (the
// presets) are found without knowing they exist: a heading and a line say what they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PRESETS } from '../../wasm/presets.mjs';
import { useBrowser, openLab, screenshotDir } from './helpers.mjs';

const { server, browser } = useBrowser();

/** The element's box against the viewport: whether all of it is in view without scrolling. */
const inView = (page, selector) => page.$eval(selector, (e) => {
  const r = e.getBoundingClientRect();
  const visible = getComputedStyle(e).visibility !== 'hidden' && r.width > 0 && r.height > 0;
  return { visible, top: Math.round(r.top), bottom: Math.round(r.bottom), left: Math.round(r.left), right: Math.round(r.right), inside: visible && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth };
});

for (const [name, viewport] of [['laptop', { width: 1366, height: 768 }], ['phone', { width: 375, height: 800 }]]) {
  test(`on load the initializer and its formula's first line are in view, first in the settings (${name})`, async () => {
    const { page, errors } = await openLab(browser.context, server.url, { viewport });
    await page.waitForSelector('[data-testid="formula"] > math');
    // Initialization is the first settings section and open; every other section is there.
    const panels = await page.$$eval('#controls details.panel', (ds) => ds.map((d) => [d.dataset.testid, d.open]));
    assert.deepEqual(panels[0], ['panel-init', true]);
    assert.deepEqual(panels.map((p) => p[0]).sort(), ['panel-data', 'panel-init', 'panel-network', 'panel-stats', 'panel-training']);
    const select = await inView(page, '[data-field="init"]');
    assert.ok(select.inside, `initializer select ${JSON.stringify(select)} in ${JSON.stringify(viewport)}`);
    const formula = await inView(page, '[data-testid="formula"] > math');
    assert.ok(formula.inside, `formula's first line ${JSON.stringify(formula)} in ${JSON.stringify(viewport)}`);
    // Nothing is drawn over them (the pinned run bar, a header).
    for (const selector of ['[data-field="init"]', '[data-testid="formula"] > math']) {
      const hit = await page.$eval(selector, (e) => {
        const r = e.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return e === top || e.contains(top);
      });
      assert.ok(hit, `${selector} is covered`);
    }
    // The formula is this layer's: its numbers are the engine's σ.
    assert.ok(Number(await page.getAttribute('[data-testid="formula"]', 'data-std')) > 0);
    await page.screenshot({ path: join(await screenshotDir(), `wayin-${name}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('"Start here" leads into the lessons; the experiments from the articles say what they are', async () => {
  const presets = PRESETS;
  for (const viewport of [{ width: 1366, height: 768 }, { width: 375, height: 800 }]) {
    const { page, errors } = await openLab(browser.context, server.url, { viewport });
    const start = await inView(page, '[data-testid="start-here"]');
    assert.ok(start.inside, `Start here ${JSON.stringify(start)} at ${viewport.width} px`);
    const href = await page.$eval('[data-testid="start-here"]', (a) => a.href);
    assert.equal(new URL(href).searchParams.get('lesson'), 'contents');
    assert.equal(new URL(href).pathname, new URL(server.url).pathname);
    assert.deepEqual(errors, []);
    await page.close();
  }

  const { page, errors } = await openLab(browser.context, server.url, { viewport: { width: 1366, height: 768 } });
  // On a laptop the experiments are in view too, right under the initializer.
  const menu = await inView(page, '[data-testid="preset-select"]');
  assert.ok(menu.inside, `experiments menu ${JSON.stringify(menu)}`);
  assert.equal(await page.textContent('#preset-menu h3'), 'Experiments from the articles');
  const about = await page.textContent('.preset-menu-about');
  assert.match(about, new RegExp(`^${presets.length} published experiments`));
  assert.equal(await page.getAttribute('[data-testid="preset-select"]', 'aria-describedby'), 'preset-menu-about');
  const first = () => page.$eval('[data-testid="preset-select"] option', (o) => o.textContent);
  assert.equal(await first(), 'Choose an experiment…');
  // The settings' order in the page: the initializer, then the experiments, then the rest.
  const order = await page.$$eval('#controls [data-testid="panel-init"], #preset-menu, #controls [data-testid="panel-data"]',
    (es) => es.map((e) => e.dataset.testid ?? e.id));
  assert.deepEqual(order, ['panel-init', 'preset-menu', 'panel-data']);

  // Opening one; its empty choice becomes the way back.
  await page.selectOption('[data-testid="preset-select"]', presets[0].name);
  await page.waitForSelector(`[data-testid="preset-panel"][data-preset="${presets[0].name}"]`);
  assert.equal(await first(), 'None: back to your own settings');
  await page.selectOption('[data-testid="preset-select"]', '');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-panel"]').hidden);
  assert.equal(await first(), 'Choose an experiment…');
  assert.deepEqual(errors, []);
  await page.close();
});

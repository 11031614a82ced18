// The "Jacobian spectrum" card: the worker's run.jacobianSpectrum drawn as a histogram of
// log σ beside the signal propagation, with χ and the spread in words; computed when the run
// is at rest; the engine's reason for a network it refuses; the dynamical-isometry preset's
// recorded spectra in its columns. Screenshots at 1366 × 768, 375 px and in a 700 px iframe.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { checkOutcome, getPreset, runPreset } from '../../wasm/presets.mjs';
import { fmt } from '../../web/src/format.js';
import { useBrowser, openLab, waitForRun, screenshotDir } from './helpers.mjs';

const { server, browser } = useBrowser();
let lab;
before(async () => { lab = await loadInitscope(); });

const text = (page) => page.textContent('[data-testid="chart-text-jacobian"]');

test('the Jacobian card sits beside the signal propagation and follows steps taken by hand', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { viewport: { width: 1366, height: 768 } });
  await waitForRun(page);
  const cards = await page.$$eval('#cards > section', (ss) => ss.map((s) => s.dataset.testid));
  assert.equal(cards[cards.indexOf('view-signal') + 1], 'view-jacobian');
  await page.waitForSelector('[data-testid="view-jacobian"] .uplot');
  await page.waitForFunction(() => document.querySelector('[data-testid="chart-text-jacobian"]').textContent.startsWith('At step 0,'));
  const chi = Number((await text(page)).match(/χ = mean σ² = ([\d.e+-]+)/)?.[1]);
  assert.ok(chi > 0, await text(page));
  assert.equal(await page.isVisible('[data-testid="jacobian-empty"]'), false);
  await page.click('[data-testid="btn-step"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="chart-text-jacobian"]').textContent.startsWith('At step 1,'));
  const shots = await screenshotDir();
  await page.locator('[data-testid="view-jacobian"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'jacobian-1366.png') });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.locator('[data-testid="view-jacobian"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'jacobian-375.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Jacobian card says why for a network with BatchNorm', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'layers=16:relu|batchnorm|1:sigmoid' });
  await waitForRun(page);
  await page.waitForFunction(() => /BatchNorm/.test(document.querySelector('[data-testid="chart-text-jacobian"]').textContent));
  assert.equal(await page.isVisible('[data-testid="jacobian-empty"]'), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the dynamical-isometry preset\'s columns show the spectra its checks read, in a 700 px iframe too', async () => {
  const preset = getPreset('dynamical-isometry');
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=dynamical-isometry', viewport: { width: 1366, height: 768 } });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-text-jacobian"]:not(:empty)').length === 3, null, { timeout: 60000 });
  const texts = await page.$$eval('[data-testid="chart-text-jacobian"]', (ps) => ps.map((p) => p.textContent));
  preset.runs.forEach((entry, i) => {
    const run = lab.createRun(entry.config);
    try {
      const s = run.jacobianSpectrum(preset.record.jacobianSpectrum);
      assert.ok(texts[i].includes(`χ = mean σ² = ${fmt(s.chi)}`), `${entry.label}: ${texts[i]}`);
      assert.ok(texts[i].includes(`σ from ${fmt(s.min)} to ${fmt(s.max)}`), `${entry.label}: ${texts[i]}`);
    } finally {
      run.dispose();
    }
  });
  const shots = await screenshotDir();
  await page.locator('[data-testid="view-jacobian"]').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'jacobian-preset-1366.png') });
  assert.deepEqual(errors, []);
  await page.close();

  const host = await browser.context.newPage();
  await host.setViewportSize({ width: 760, height: 900 });
  await host.setContent(`<iframe src="${server.url}#preset=dynamical-isometry" style="width:700px;height:880px;border:0"></iframe>`);
  const frame = host.frameLocator('iframe');
  await frame.locator('[data-testid="chart-text-jacobian"]:not(:empty)').first().waitFor({ timeout: 60000 });
  await frame.locator('[data-testid="view-jacobian"]').first().scrollIntoViewIfNeeded();
  await host.screenshot({ path: join(shots, 'jacobian-iframe-700.png') });
  await host.close();
});

test('running the dynamical-isometry preset in the page gives the checks Node gives, and they hold', async () => {
  const preset = getPreset('dynamical-isometry');
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=dynamical-isometry' });
  await page.waitForSelector('[data-testid="preset-run"]');
  await page.click('[data-testid="preset-run"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-panel"]').dataset.done === 'true' && document.body.dataset.settled === 'true', null, { timeout: 300000 });
  const outcome = checkOutcome(preset, await runPreset(lab, preset));
  const shown = await page.$$eval('[data-testid="preset-check"]', (ls) => ls.map((l) => ({ holds: l.dataset.holds, text: l.textContent })));
  assert.equal(shown.length, preset.expect.length);
  outcome.checks.forEach((c, i) => {
    assert.equal(shown[i].holds, 'true', shown[i].text);
    assert.ok(shown[i].text.includes(`${c.claim}: ${c.detail}`), `${shown[i].text} / ${c.detail}`);
  });
  // At rest after the run: each column's card shows the spectrum at step 300.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="chart-text-jacobian"]')].every((p) => p.textContent.startsWith('At step 300,')));
  assert.deepEqual(errors, []);
  await page.close();
});

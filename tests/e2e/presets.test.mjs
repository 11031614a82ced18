// Presets: the menu lists lab.presets(); one click loads a preset's runs side by side with
// its text and published figures; "ours" beside them and the outcome checks are the same
// numbers the preset module computes headless in Node (wasm/presets.mjs runPreset).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { runPreset, comparePublished, checkOutcome } from '../../wasm/presets.mjs';
import { serveDist, launch, openLab, screenshotDir, waitForRun } from './helpers.mjs';

let server;
let browser;
let lab;

before(async () => {
  lab = await loadInitscope();
  server = await serveDist();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const params = async (page) => Object.fromEntries(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)));
const oursOnPage = (page) => page.$$eval('[data-testid="preset-figures"] tbody tr', (rows) => rows.map((r) => ({
  run: r.dataset.run, quantity: r.cells[1].textContent, ours: r.cells[3].dataset.value === undefined ? null : Number(r.cells[3].dataset.value),
})));

test('the menu lists every preset; one click shows a preset\'s runs, text and published numbers beside ours', async () => {
  const presets = lab.presets();
  const { page, errors } = await openLab(browser.context, server.url);
  const menu = await page.$$eval('[data-testid="preset-select"] option', (os) => os.map((o) => [o.value, o.textContent]));
  assert.deepEqual(menu.slice(1), presets.map((p) => [p.name, p.title]));

  // uniform-n10 is at initialization: the pooled initial weights of each run against the published table.
  await page.selectOption('[data-testid="preset-select"]', 'uniform-n10');
  await page.waitForSelector('[data-testid="preset-panel"][data-preset="uniform-n10"]');
  await page.waitForFunction(() => document.body.dataset.ready === 'true' && document.querySelectorAll('[data-testid="run-verdict"]').length === 2);
  const preset = presets.find((p) => p.name === 'uniform-n10');
  assert.equal(await page.textContent('.preset-text'), preset.text);
  assert.deepEqual(await params(page), { preset: 'uniform-n10' });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="preset-ours"]')].every((td) => td.dataset.value !== undefined));
  const expected = comparePublished(preset, await runPreset(lab, preset));
  const shown = await oursOnPage(page);
  assert.equal(shown.length, preset.published.figures.length);
  assert.deepEqual(shown, expected.map((e) => ({ run: e.run, quantity: e.quantity, ours: e.ours })));
  assert.deepEqual(errors, []);
  await page.close();
});

test('running a preset trains its runs to its steps; the checks are the preset module\'s, and hold', async () => {
  const presets = lab.presets();
  const preset = presets.find((p) => p.name === 'he-2015');
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=he-2015' });
  assert.deepEqual(await page.$$eval('.compare-column', (cs) => cs.map((c) => c.dataset.run)), preset.runs.map((r) => r.label));
  await page.click('[data-testid="preset-run"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-panel"]').dataset.done === 'true' && document.body.dataset.settled === 'true', null, { timeout: 120000 });
  assert.equal(await page.evaluate(() => document.body.dataset.step), String(preset.steps));
  const results = await runPreset(lab, preset);
  const outcome = checkOutcome(preset, results);
  const checks = await page.$$eval('[data-testid="preset-check"]', (ls) => ls.map((l) => ({ holds: l.dataset.holds, text: l.textContent })));
  assert.equal(checks.length, outcome.checks.length);
  outcome.checks.forEach((c, i) => {
    assert.equal(checks[i].holds, String(c.holds));
    assert.ok(checks[i].text.includes(c.detail), `${checks[i].text} / ${c.detail}`);
  });
  assert.ok(outcome.holds, 'the published outcome holds');
  await page.screenshot({ path: join(await screenshotDir(), 'preset.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a preset with many runs shows a group at a time; a changed run stays in the link', async () => {
  const preset = lab.presets().find((p) => p.name === 'dlai-playground');
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=dlai-playground' });
  const labels = () => page.$$eval('.compare-column', (cs) => cs.map((c) => c.dataset.run));
  assert.deepEqual(await labels(), preset.runs.filter((r) => r.group === 'circles').map((r) => r.label));
  await page.selectOption('[data-testid="preset-group"]', 'spiral');
  await page.waitForFunction(() => document.querySelector('.compare-column')?.dataset.run === 'spiral-zero' && document.body.dataset.step === '0');
  assert.deepEqual(await labels(), preset.runs.filter((r) => r.group === 'spiral').map((r) => r.label));
  assert.deepEqual(await params(page), { preset: 'dlai-playground', group: 'spiral' });
  // Change the second run's learning rate: the link says so, and reopens it.
  await page.click('[data-testid="edit-run-spiral-small"]');
  await page.fill('[data-field="optimizer.lr"]', '0.3');
  await page.locator('[data-field="optimizer.lr"]').blur();
  await waitForRun(page);
  assert.deepEqual(await params(page), { preset: 'dlai-playground', group: 'spiral', 'b.lr': '0.3' });
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('[data-testid="edit-run-spiral-small"]');
  assert.equal(await page.inputValue('[data-field="optimizer.lr"]'), '0.3');
  await page.click('[data-testid="edit-run-spiral-zero"]');
  assert.equal(await page.inputValue('[data-field="optimizer.lr"]'), String(preset.runs.find((r) => r.label === 'spiral-zero').config.optimizer.lr));
  // Leaving the preset keeps the run being edited, alone.
  await page.selectOption('[data-testid="preset-select"]', '');
  await page.waitForFunction(() => document.body.dataset.runs === '1');
  assert.ok(await page.isHidden('[data-testid="preset-panel"]'));
  assert.deepEqual(errors, []);
  await page.close();
});

// A/B comparison: run B starts as a copy of run A (same data, seed and schedule) and
// differs only in what the learner changes; both train in lockstep, their losses share
// one chart and their per-layer views sit side by side; the URL holds B's differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openLab, screenshotDir, waitForRun, waitSettled } from './helpers.mjs';

const { server, browser } = useBrowser();

const params = async (page) => Object.fromEntries(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)));
const runMetric = (page, label, key) => page.getAttribute(`[data-testid="compare-metric-${label}"]`, `data-${key}`);

test('Compare: B differs only in its initializer; lockstep, overlaid loss, paired views', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'opt=adam&lr=0.02' });
  await page.click('[data-testid="btn-compare"]');
  await page.waitForSelector('[data-testid="run-B"]');
  await page.waitForFunction(() => document.body.dataset.ready === 'true' && document.body.dataset.step === '0');
  assert.equal(await page.getAttribute('[data-testid="edit-run-B"]', 'aria-pressed'), 'true', 'the controls edit the new run');
  await page.selectOption('[data-field="init"]', 'zeros');
  await waitForRun(page);
  assert.deepEqual(await params(page), { runs: '2', opt: 'adam', lr: '0.02', 'b.init': 'zeros' });

  await page.keyboard.press('k');
  await page.waitForFunction(() => Number(document.body.dataset.step) >= 300);
  await page.keyboard.press('k');
  await waitSettled(page);
  // Lockstep: both runs at the same step.
  assert.equal(await runMetric(page, 'A', 'step'), await runMetric(page, 'B', 'step'));
  assert.equal(await page.getAttribute('[data-testid="run-B"] [data-testid="run-verdict"]', 'data-kind'), 'symmetry');
  assert.match(await page.getAttribute('[data-testid="run-A"] [data-testid="run-verdict"]', 'data-kind'), /^learn(ing|ed)$/);
  assert.ok(Number(await runMetric(page, 'A', 'train-loss')) < Number(await runMetric(page, 'B', 'train-loss')));
  // One loss chart with both runs' series; each column has the same per-layer views, side by side.
  const legend = await page.$$eval('[data-testid="view-compare-loss"] .u-legend .u-series', (s) => s.map((x) => x.textContent.trim()).filter(Boolean));
  assert.deepEqual(legend, ['A train loss', 'A test accuracy', 'B train loss', 'B test accuracy']);
  for (const id of ['view-data', 'view-signal', 'view-activations', 'view-gradients']) {
    const a = await page.$(`[data-testid="run-A"] [data-testid="${id}"]`);
    const b = await page.$(`[data-testid="run-B"] [data-testid="${id}"]`);
    const [ba, bb] = [await a.boundingBox(), await b.boundingBox()];
    assert.ok(bb.x > ba.x + ba.width - 1, `${id}: B beside A`);
  }
  const multiples = (label) => page.$$eval(`[data-testid="run-${label}"] [data-testid="hist-activations"] .multiple`, (m) => m.length);
  assert.equal(await multiples('A'), 3);
  assert.equal(await multiples('B'), 3);
  await page.screenshot({ path: join(await screenshotDir(), 'compare.png'), fullPage: true });

  // A change to run A reaches B too; B keeps its own initializer.
  await page.click('[data-testid="edit-run-A"]');
  await page.fill('[data-field="optimizer.lr"]', '0.05');
  await page.locator('[data-field="optimizer.lr"]').blur();
  await waitForRun(page);
  assert.deepEqual(await params(page), { runs: '2', opt: 'adam', lr: '0.05', 'b.init': 'zeros' });
  await page.click('[data-testid="edit-run-B"]');
  assert.equal(await page.inputValue('[data-field="optimizer.lr"]'), '0.05');
  assert.equal(await page.inputValue('[data-field="init"]'), 'zeros');

  // Stop comparing: run A alone again.
  await page.click('[data-testid="btn-compare-stop"]');
  await page.waitForFunction(() => document.body.dataset.runs === '1' && document.body.dataset.ready === 'true');
  assert.deepEqual(await params(page), { opt: 'adam', lr: '0.05' });
  assert.equal(await page.$('[data-testid="run-B"]'), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a comparison\'s runs give the numbers each gives alone, and its link reopens it', async () => {
  const layers = encodeURIComponent('12:tanh|12:tanh|1:sigmoid');
  const alone = await openLab(browser.context, server.url, { hash: `seed=8&layers=${layers}&init=glorot_uniform&step=150` });
  await alone.page.waitForFunction(() => document.body.dataset.settled === 'true');
  const soloLoss = await alone.page.getAttribute('[data-testid="metric-train-loss"]', 'data-value');
  const { page, errors } = await openLab(browser.context, server.url, {
    hash: `runs=2&seed=8&layers=${layers}&init=he_normal&b.init=glorot_uniform&step=150`,
  });
  await page.waitForFunction(() => document.body.dataset.step === '150' && document.body.dataset.settled === 'true');
  assert.equal(await runMetric(page, 'B', 'train-loss'), soloLoss, 'run B = the same config alone');
  assert.equal(await runMetric(page, 'A', 'step'), '150');
  // Copy link, then open it: the same two runs at the same step.
  await page.click('[data-testid="btn-link"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  const again = await browser.context.newPage();
  await again.goto(link);
  await again.waitForFunction(() => document.body.dataset.step === '150' && document.body.dataset.settled === 'true', null, { timeout: 30000 });
  for (const label of ['A', 'B']) assert.equal(await runMetric(again, label, 'train-loss'), await runMetric(page, label, 'train-loss'));
  assert.deepEqual(errors, []);
  assert.deepEqual(alone.errors, []);
  await again.close();
  await alone.page.close();
  await page.close();
});

test('four runs compared: each column\'s a / z toggle is its own, and histogram counts are not cut', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=dlai-histograms', viewport: { width: 1366, height: 768 } });
  await page.waitForSelector('[data-testid="run-normal"] [data-testid="hist-activations"] .multiple');
  const runs = ['zero', 'uniform', 'xavier', 'normal'];
  const names = await Promise.all(runs.map((r) => page.getAttribute(`[data-testid="run-${r}"] [data-testid="hist-activations-z"]`, 'name')));
  assert.equal(new Set(names).size, 4, `one radio group per column: ${names.join(', ')}`);
  const shown = () => Promise.all(runs.map(async (r) => ((await page.isChecked(`[data-testid="run-${r}"] [data-testid="hist-activations-z"]`)) ? 'z' : 'a')));
  assert.deepEqual(await shown(), ['a', 'a', 'a', 'a']);
  await page.check('[data-testid="run-uniform"] [data-testid="hist-activations-z"]');
  await page.check('[data-testid="run-normal"] [data-testid="hist-activations-z"]');
  assert.deepEqual(await shown(), ['a', 'z', 'a', 'z']);
  await page.check('[data-testid="run-uniform"] [data-testid="hist-activations-a"]');
  assert.deepEqual(await shown(), ['a', 'a', 'a', 'z']);
  // Zero init puts all 100 units x 256 probe rows in one bin: a five-digit count, whose
  // label must fit its axis (no ink at the canvas's left edge, where a cut label would be).
  const inked = await page.$$eval('[data-testid="hist-activations"] .multiple canvas', (canvases) => canvases.map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, 2, c.height).data;
    let ink = 0;
    for (let k = 3; k < data.length; k += 4) ink += data[k] > 0 ? 1 : 0;
    return ink;
  }));
  assert.ok(inked.length >= 16, `${inked.length} histograms`);
  assert.deepEqual(inked.filter((n) => n > 0), [], 'a tick label cut at the left edge');
  await page.screenshot({ path: join(await screenshotDir(), 'compare-4.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

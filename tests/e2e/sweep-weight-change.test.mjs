// How far the weights moved: the lab's "Weights moved since initialization" card says the
// engine's weightChange per layer (the numbers of a run made in Node to the same step), and
// the sweep view colours its cells by it ("weights moved") on a log scale whose ends are the
// CSV's smallest and largest weightChange, the CSV being Node's runSweepHere byte for byte.
// Screenshots of the card and the heatmap at 1366x768, at 375 px and in a 700 px iframe.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { runSweepHere, sweepToCsv } from '../../wasm/sweep.mjs';
import { deserialize } from '../../web/src/state.js';
import { fmt } from '../../web/src/format.js';
import { useBrowser, openLab, screenshotDir, playUntil, step, waitSettled } from './helpers.mjs';
import { frames } from './frames.mjs';

const { server, browser } = useBrowser();

let lab;
before(async () => {
  lab = await loadInitscope();
});

const CONFIG = `seed=4&layers=${encodeURIComponent('16:relu|16:relu|1:sigmoid')}&init=he_normal&opt=sgd&lr=0.5&data=circles`;
const STEPS = 150;
// Width against the init scale, one relu layer to a linear unit, mse, full-batch SGD: the
// wider the layer the less its weights move (tests/wasm/lazy.test.mjs measures why).
const SWEEP_CONFIG = `seed=4&layers=${encodeURIComponent('16:relu|1:linear')}&loss=mse&opt=sgd&lr=0.02&batch=300&data=circles`;
const SWEEP = 'width:16:256:3:log;init.scale:0.25:1:3:log;300;trainAccuracy:0.9;weightChange';

const configOf = (hash) => deserialize(hash, lab.schema().config.default, lab.schema()).config;

test('the weights-moved card says the engine\'s weight change per layer', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: CONFIG, viewport: { width: 1366, height: 768 } });
  const card = page.locator('[data-testid="view-moved"]');
  assert.equal(await card.locator('h3').first().textContent(), 'Weights moved since initialization');
  // At step 0 nothing has moved: the note says when the lines come.
  assert.match(await page.textContent('[data-testid="note-moved"]'), /start with the first step/);
  // Played (not a step= jump), so that the chart has a line of drawn steps.
  await playUntil(page, async (p) => (await step(p)) >= STEPS);
  await waitSettled(page);
  const at = await step(page);
  const run = lab.createRun(configOf(CONFIG));
  run.step(at);
  const snapshot = run.snapshot();
  run.dispose();
  const expected = snapshot.layers.map((l, i, all) => `${i === all.length - 1 ? 'output layer' : `layer ${i + 1}`} ${fmt(l.weightChange)}`).join(', ');
  const text = await page.textContent('[data-testid="chart-text-moved"]');
  assert.equal(text, `At step ${at.toLocaleString('en-US')}, weights moved since initialization ‖W − W₀‖/‖W₀‖ per layer: ${expected}; all layers together ${fmt(snapshot.weightChange)}.`);
  assert.ok(snapshot.layers.every((l) => l.weightChange > 0));
  assert.equal(await page.isVisible('[data-testid="note-moved"]'), false, 'every line drawn after a step');
  // The chart has drawn its lines.
  const drawn = await card.locator('canvas').first().evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n += 1;
    return n;
  });
  assert.ok(drawn > 100, `${drawn} drawn pixels`);
  const dir = await screenshotDir();
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(dir, 'weights-moved-1366.png') });
  await card.screenshot({ path: join(dir, 'weights-moved-card.png') });
  await page.setViewportSize({ width: 375, height: 800 });
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(dir, 'weights-moved-375.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the sweep colours its cells by how far the weights moved, Node\'s cells', async () => {
  const { page, errors } = await openLab(browser.context, server.url, {
    hash: `${SWEEP_CONFIG}&sweep=${encodeURIComponent(SWEEP)}`, viewport: { width: 1366, height: 768 },
  });
  await page.waitForSelector('[data-testid="sweep-run"]:not([disabled])');
  assert.equal(await page.$eval('[data-testid="sweep-show"]', (s) => s.value), 'weightChange');
  assert.equal(await page.$eval('[data-testid="sweep-show"] option[value="weightChange"]', (o) => o.textContent), 'weights moved');
  await page.fill('[data-testid="sweep-workers"]', '2');
  await page.locator('[data-testid="sweep-workers"]').blur();
  await page.click('[data-testid="sweep-run"]');
  await page.waitForSelector('[data-testid="sweep-panel"][data-state="done"]', { timeout: 120000 });
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="sweep-csv"]')]);
  const csv = await readFile(await dl.path(), 'utf8');
  const spec = {
    base: configOf(SWEEP_CONFIG), x: { param: 'width', from: 16, to: 256, count: 3, scale: 'log' },
    y: { param: 'init.scale', from: 0.25, to: 1, count: 3, scale: 'log' }, steps: 300, success: { metric: 'trainAccuracy', atLeast: 0.9 },
  };
  assert.equal(csv, sweepToCsv(runSweepHere(lab, spec)));
  const rows = csv.trim().split('\r\n');
  const column = rows[0].split(',').indexOf('weightChange');
  assert.ok(column > 0, rows[0]);
  const moved = rows.slice(1).map((r) => Number(r.split(',')[column]));
  assert.equal(moved.length, 9);
  assert.ok(moved.every((v) => v > 0), moved.join());
  // Each row (one init scale): width 256 moved its weights less than width 16.
  for (let row = 0; row < 3; ++row) assert.ok(moved[3 * row + 2] < moved[3 * row] / 2, moved.join());
  // The colour bar: log scale from the smallest to the largest weight change of the CSV.
  const bar = page.locator('[data-testid="heatmap-colorbar"]');
  assert.match(await bar.textContent(), /^weights moved ‖W − W₀‖\/‖W₀‖ \(log scale\)/);
  const ends = await bar.locator('.heatmap-scale-ticks span').allTextContents();
  assert.equal(ends[0], fmt(Math.min(...moved)));
  assert.equal(ends[2], fmt(Math.max(...moved)));
  assert.match(await page.textContent('[data-testid="view-sweep"]'), /dark: lazy/);
  const dir = await screenshotDir();
  await page.locator('[data-testid="view-sweep"]').screenshot({ path: join(dir, 'sweep-weight-change-1366.png') });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.locator('[data-testid="view-sweep"]').screenshot({ path: join(dir, 'sweep-weight-change-375.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('in a 700 px iframe the weights-moved card fits its column', async () => {
  const host = await browser.context.newPage();
  await host.setViewportSize({ width: 760, height: 900 });
  const errors = [];
  host.on('pageerror', (e) => errors.push(String(e)));
  await host.route(`${server.url}host700.html`, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><meta charset="utf-8"><body style="margin:0 30px"><iframe src="${server.url}?embed=1#${CONFIG}&step=${STEPS}" style="width: 700px; height: 3000px; border: 0"></iframe></body>`,
  }));
  await host.goto(`${server.url}host700.html`);
  const [{ frame }] = await frames(host);
  await frame.waitForFunction((s) => document.body.dataset.step === String(s) && document.body.dataset.settled === 'true', STEPS);
  const box = await frame.$eval('[data-testid="view-moved"]', (c) => { const r = c.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top }; });
  assert.ok(box.left >= 0 && box.right <= 700, JSON.stringify(box));
  await frame.locator('[data-testid="view-moved"]').scrollIntoViewIfNeeded();
  await host.screenshot({ path: join(await screenshotDir(), 'weights-moved-iframe-700.png') });
  assert.deepEqual(errors, []);
  await host.close();
});

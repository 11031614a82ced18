// Pace: Play trains at the chosen steps per second and pauses at "until"; the numbers at a
// step do not depend on how it was reached (a link's step=, Play at a pace up to until,
// Step by hand); pace, until and the step axis live in the URL and in embeds; the words
// under the charts follow the run while it plays, without flooding screen readers; the
// toolbar is one row at the embed width and does not move when the step count grows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openLab, waitSettled, screenshotDir } from './helpers.mjs';
import { fitTickLabels, logSplits, logRangeUpToTop } from '../../web/src/charts/axisSize.js';
import { DEFAULT_PACE } from '../../web/src/pace.js';

const { server, browser } = useBrowser();

const hashOf = (page) => page.evaluate(() => location.hash.slice(1));
const hashKey = async (page, key) => page.evaluate((k) => new URLSearchParams(location.hash.slice(1)).get(k), key);

/** The run's numbers at the step it is paused on: whole-set metrics (full doubles) and the loss chart's sentence. */
async function numbersAt(page) {
  await waitSettled(page);
  return page.evaluate(() => ({
    step: document.body.dataset.step,
    metrics: ['train-loss', 'test-loss', 'train-acc', 'test-acc'].map((m) => document.querySelector(`[data-testid="metric-${m}"]`).dataset.value),
    texts: ['loss', 'signal', 'activations', 'gradients'].map((c) => document.querySelector(`[data-testid="chart-text-${c}"]`).textContent),
  }));
}

/** Records every step the page shows, with its time, from now on (a MutationObserver on body[data-step]). */
const recordSteps = (page) => page.evaluate(() => {
  window.seenSteps = [];
  new MutationObserver(() => window.seenSteps.push([performance.now(), Number(document.body.dataset.step)]))
    .observe(document.body, { attributes: true, attributeFilter: ['data-step'] });
});

test('the same numbers at step 40: a link\'s step=, Play at a pace until 40, and 40 Steps by hand', async () => {
  const N = 40;
  const ways = {};
  {
    const { page, errors } = await openLab(browser.context, server.url, { hash: `step=${N}` });
    ways.link = await numbersAt(page);
    assert.deepEqual(errors, []);
    await page.close();
  }
  {
    const { page, errors } = await openLab(browser.context, server.url, { hash: `pace=20&until=${N}` });
    await recordSteps(page);
    await page.keyboard.press('k');
    await page.waitForFunction((n) => document.body.dataset.step === String(n) && document.body.dataset.playing === 'false', N, { timeout: 20000 });
    ways.paced = await numbersAt(page);
    // At 20 steps a second the learner sees every step: the page shows each one.
    const seen = await page.evaluate(() => window.seenSteps.map(([, s]) => s));
    const distinct = seen.filter((s, i) => s !== seen[i - 1]);
    assert.deepEqual(distinct, Array.from({ length: N }, (_, i) => i + 1), 'one step at a time');
    assert.equal(await page.getAttribute('[data-testid="btn-play"]', 'aria-pressed'), 'false', 'paused at until');
    assert.deepEqual(errors, []);
    await page.close();
  }
  {
    const { page, errors } = await openLab(browser.context, server.url, { hash: `pace=max&until=${N}` });
    await page.keyboard.press('k');
    await page.waitForFunction((n) => document.body.dataset.step === String(n) && document.body.dataset.playing === 'false', N, { timeout: 20000 });
    ways.max = await numbersAt(page);
    assert.deepEqual(errors, []);
    await page.close();
  }
  {
    const { page, errors } = await openLab(browser.context, server.url);
    for (let i = 0; i < N; i++) {
      await page.keyboard.press('s');
      await page.waitForFunction((n) => document.body.dataset.step === String(n), i + 1);
    }
    ways.hand = await numbersAt(page);
    assert.deepEqual(errors, []);
    await page.close();
  }
  assert.equal(ways.link.step, String(N));
  assert.ok(ways.link.metrics.every((v) => Number.isFinite(Number(v))), JSON.stringify(ways.link.metrics));
  assert.match(ways.link.texts[0], new RegExp(`^At step ${N}:`));
  for (const way of ['paced', 'max', 'hand']) assert.deepEqual(ways[way], ways.link, `${way} = link`);
});

test('Play keeps its pace: about 50 steps a second at pace=50, and the default pace without a key', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'pace=50' });
  assert.equal(await page.getAttribute('[data-testid="pace"]', 'aria-valuetext'), '50 steps/s');
  await recordSteps(page);
  await page.keyboard.press('k');
  await page.waitForTimeout(3000);
  await page.keyboard.press('k');
  const seen = await page.evaluate(() => window.seenSteps);
  const playing = seen.filter(([, s]) => s > 0);
  const [t0, s0] = playing[0];
  const [t1, s1] = playing[playing.length - 1];
  const rate = ((s1 - s0) * 1000) / (t1 - t0);
  // Never faster than the pace; slower only by frames that came more than a quarter second
  // late (a loaded machine), whose steps are not owed. The exact rate on a steady clock:
  // tests/wasm/pace.test.mjs.
  assert.ok(rate > 25 && rate < 55, `${rate.toFixed(1)} steps/s at pace 50`);
  assert.deepEqual(errors, []);
  await page.close();

  const lab = await openLab(browser.context, server.url);
  assert.equal(await lab.page.getAttribute('[data-testid="pace"]', 'aria-valuetext'), `${DEFAULT_PACE.toLocaleString('en-US')} steps/s`);
  assert.equal(await hashKey(lab.page, 'pace'), null, 'the default pace is not written');
  await lab.page.close();
});

test('pace, until and the step axis: in the URL, from the controls, refused with a notice, carried by the embed snippet', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'pace=fast&until=-3&stepaxis=round' });
  const notices = await page.$$eval('[data-testid="notice"]', (ns) => ns.map((n) => n.textContent));
  for (const key of ['pace', 'until', 'stepaxis']) assert.ok(notices.some((t) => t.includes(key)), `a notice names ${key}: ${notices}`);
  assert.ok(notices.some((t) => t.includes('max, or an integer from 1 to 50000')), notices.join(' | '));
  assert.equal(await page.getAttribute('[data-testid="pace"]', 'aria-valuetext'), `${DEFAULT_PACE.toLocaleString('en-US')} steps/s`, 'left at the default');
  assert.equal(await page.inputValue('[data-testid="until"]'), '');
  assert.deepEqual(errors, []);

  // The slider, by keyboard: one stop slower, then all the way up to max.
  await page.focus('[data-testid="pace"]');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('[data-testid="pace"]', 'aria-valuetext'), '500 steps/s');
  assert.equal(await hashKey(page, 'pace'), '500');
  await page.keyboard.press('End');
  assert.equal(await page.textContent('[data-testid="pace-value"]'), 'max');
  assert.equal(await hashKey(page, 'pace'), 'max');
  // Space on the slider plays and pauses (the arrow keys stay the slider's: no step was taken).
  assert.equal(await page.evaluate(() => document.body.dataset.step), '0');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.body.dataset.playing === 'true');
  await page.keyboard.press('Space');
  await waitSettled(page);
  // until, typed; a value out of range is marked and not taken.
  await page.fill('[data-testid="until"]', '250');
  await page.press('[data-testid="until"]', 'Enter');
  assert.equal(await hashKey(page, 'until'), '250');
  await page.fill('[data-testid="until"]', '0');
  await page.press('[data-testid="until"]', 'Enter');
  assert.equal(await page.getAttribute('[data-testid="until"]', 'aria-invalid'), 'true');
  assert.equal(await hashKey(page, 'until'), '250');
  await page.check('[data-testid="step-axis-log"]');
  assert.equal(await hashKey(page, 'stepaxis'), 'log');
  // The embed snippet carries them.
  await page.click('[data-testid="btn-embed"]');
  const code = await page.inputValue('[data-testid="embed-code"]');
  for (const kv of ['pace=max', 'until=250', 'stepaxis=log']) assert.ok(code.includes(kv), `${kv} in ${code}`);
  await page.keyboard.press('Escape');

  // Opened from that URL: the controls show it.
  const again = await openLab(browser.context, server.url, { hash: await hashOf(page) });
  assert.equal(await again.page.textContent('[data-testid="pace-value"]'), 'max');
  assert.equal(await again.page.inputValue('[data-testid="until"]'), '250');
  assert.ok(await again.page.isChecked('[data-testid="step-axis-log"]'));
  await again.page.close();
  await page.close();
});

test('a preset plays at its own pace and pauses at its steps; another pace goes in the URL', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=dlai-histograms' });
  assert.equal(await page.getAttribute('[data-testid="pace"]', 'aria-valuetext'), '20 steps/s');
  assert.equal(await page.inputValue('[data-testid="until"]'), '300');
  assert.equal(await hashKey(page, 'pace'), null);
  await page.focus('[data-testid="pace"]');
  await page.keyboard.press('ArrowRight');
  assert.equal(await hashKey(page, 'pace'), '50');
  assert.deepEqual(errors, []);
  await page.close();
});

test('while playing, the words under the charts follow the step at most twice a second, and live regions wait for the pause', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'pace=200' });
  await page.evaluate(() => {
    window.textChanges = 0;
    new MutationObserver(() => { window.textChanges += 1; })
      .observe(document.querySelector('[data-testid="chart-text-loss"]'), { childList: true, characterData: true, subtree: true });
  });
  await page.keyboard.press('k');
  await page.waitForTimeout(2500);
  const during = await page.evaluate(() => ({
    text: document.querySelector('[data-testid="chart-text-loss"]').textContent,
    step: Number(document.body.dataset.step),
    changes: window.textChanges,
    verdictLive: document.getElementById('verdict').getAttribute('aria-live'),
    statusLive: document.getElementById('status').getAttribute('aria-live'),
  }));
  const textStep = Number(/^At step ([\d,]+)/.exec(during.text)[1].replace(/,/g, ''));
  assert.ok(textStep > 0 && during.step - textStep <= 200 * 0.7, `the sentence says step ${textStep} at step ${during.step}`);
  assert.ok(during.changes >= 3 && during.changes <= 7, `${during.changes} sentence updates in 2.5 s`);
  assert.equal(during.verdictLive, 'off');
  assert.equal(during.statusLive, 'off');
  await page.keyboard.press('k');
  await waitSettled(page);
  const after = await page.evaluate(() => ({
    text: document.querySelector('[data-testid="chart-text-loss"]').textContent,
    step: document.body.dataset.step,
    verdictLive: document.getElementById('verdict').getAttribute('aria-live'),
  }));
  assert.ok(after.text.startsWith(`At step ${Number(after.step).toLocaleString('en-US')}:`), after.text);
  assert.equal(after.verdictLive, 'polite');
  assert.deepEqual(errors, []);
  await page.close();
});

// The box of the toolbar and of the run bar around it (the toolbar and the step counter).
const boxes = (frame) => frame.evaluate(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; };
  const toolbar = document.getElementById('toolbar');
  const tops = [...toolbar.children].map((c) => c.getBoundingClientRect()).map((r) => r.top + r.height / 2);
  const s = document.getElementById('status').getBoundingClientRect();
  const statusMiddle = s.top + s.height / 2;
  return {
    toolbar: box(toolbar), runbar: box(document.querySelector('.runbar')), status: box(document.getElementById('status')),
    // One row: every control's middle, and the step counter's, within a few px of the others'.
    rowSpread: Math.max(...tops, statusMiddle) - Math.min(...tops, statusMiddle),
    statusRight: document.getElementById('status').getBoundingClientRect().right - document.querySelector('.runbar').getBoundingClientRect().right,
    overflow: toolbar.scrollWidth - toolbar.clientWidth,
  };
});

test('the toolbar: one row at 700 px in an iframe and at 1366 px, in the same place at step 0 and step 1,234,567', async () => {
  const dir = await screenshotDir();
  const target = 1234567;
  // A network of two units trains fast enough to get there in seconds.
  const hash = `data=xor&layers=1:relu|1:sigmoid&pace=max&until=${target}`;
  for (const [name, width] of [['embed-700', 700], ['lab-1366', 1366]]) {
    const page = await browser.context.newPage();
    let frame;
    if (width === 700) {
      await page.setViewportSize({ width: 760, height: 900 });
      await page.setContent(`<iframe src="${server.url}?embed=1#${hash}" width="700" height="860"></iframe>`);
      frame = await (await page.$('iframe')).contentFrame();
    } else {
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.goto(`${server.url}#${hash}`);
      frame = page.mainFrame();
    }
    await frame.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
    const before = await boxes(frame);
    await frame.click('[data-testid="btn-play"]');
    await frame.waitForFunction(() => document.body.dataset.playing === 'true');
    const playing = await boxes(frame);
    await page.screenshot({ path: join(dir, `pace-toolbar-${name}-playing.png`) });
    await frame.waitForFunction((n) => document.body.dataset.step === String(n) && document.body.dataset.playing === 'false', target, { timeout: 60000 });
    await frame.waitForFunction(() => document.body.dataset.settled === 'true');
    const after = await boxes(frame);
    await page.screenshot({ path: join(dir, `pace-toolbar-${name}-step-1234567.png`) });
    assert.equal(await frame.textContent('#status'), 'Step 1,234,567');
    for (const b of [before, playing, after]) {
      assert.ok(b.rowSpread <= 2, `${name}: the toolbar is one row (${b.rowSpread} px between its controls' middles)`);
      assert.ok(b.overflow <= 0, `${name}: nothing of the toolbar is cut off (${b.overflow} px)`);
      assert.ok(b.statusRight <= 0, `${name}: the step counter ends inside the run bar (${b.statusRight} px past it)`);
    }
    for (const part of ['toolbar', 'runbar', 'status']) {
      assert.deepEqual(playing[part], before[part], `${name}: the ${part} does not move when Play starts`);
      assert.deepEqual(after[part], before[part], `${name}: the ${part} does not move at seven digits`);
    }
    await page.close();
  }
});

test('an axis is as wide as its widest tick label (a loss axis after a divergence)', () => {
  const fake = (labels) => {
    const self = {
      axes: [{ font: ['11px sans-serif'], ticks: { size: 4 }, gap: 5 }],
      ctx: { font: '', measureText: (t) => ({ width: 6.5 * t.length }) },
    };
    return fitTickLabels(52)(self, labels, 0, 1);
  };
  assert.equal(fake(['0.1', '1', '']), 52, 'short labels: the minimum');
  const wide = fake(['1.0e+12', '1.0e+24', '1.0e+36']);
  assert.ok(wide >= 4 + 5 + 6.5 * 7, `${wide} px holds "1.0e+24"`);
  assert.ok(fake(['1.0e+120']) > wide, 'a longer label, a wider axis');
  // A diverging loss (1 to 1e50): the axis stops at 1e15, where uPlot still labels it, and
  // labels every n-th power of ten, as many as fit in its height.
  const [lo, hi] = logRangeUpToTop(null, 1.3, 3.75e50);
  assert.deepEqual([lo, hi], [1, 1e15]);
  const splits = logSplits.splits({ bbox: { height: 145 } }, 1, lo, hi);
  assert.ok(splits.length >= 3 && splits.length <= Math.floor(145 / 24) + 1, `${splits}`);
  assert.ok(splits.every((v) => Number.isInteger(Math.log10(v))), 'powers of ten');
  // Within a couple of decades, the ticks between them too.
  assert.deepEqual(logSplits.splits({ bbox: { height: 145 } }, 1, 0.6, 0.9).map((v) => +v.toPrecision(3)), [0.6, 0.7, 0.8, 0.9]);
  assert.deepEqual(logRangeUpToTop(null, null, null), [null, null]);
});

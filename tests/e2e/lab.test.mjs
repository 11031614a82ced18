// The lab page as a person uses it: Debian's Chromium through playwright-core against the
// built dist/, served on 127.0.0.1. The page exposes data-testid hooks (and data-value
// with the raw number) so these tests read what is shown, not canvas internals; one test
// also checks that every chart canvas has drawn pixels.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { useBrowser, openLab, screenshotDir, value, step, playUntil, waitForRun, waitSettled } from './helpers.mjs';

const { server, browser } = useBrowser();

let schema;

before(async () => {
  schema = (await loadInitscope()).schema();
});

const options = (page, field) => page.$$eval(`[data-field="${field}"] option`, (os) => os.map((o) => o.value).filter(Boolean));

test('the page loads with no console errors and explains the initial state', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  assert.match(await page.textContent('#version'), /^engine \d+\.\d+\.\d+/);
  const verdict = await page.textContent('[data-testid="verdict"]');
  assert.match(verdict, /Initialized: activation std/);
  assert.equal(await page.textContent('[data-testid="total-params"]').then((t) => t.split(' ')[0]), '91');
  // The formula shows this layer's numbers: he_normal on layer 2 (fan_in 10) → σ = √(2/10) = 0.447.
  const formula = await page.textContent('[data-testid="formula"]');
  assert.match(formula, /10/);
  assert.match(formula, /0\.447/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every control in the schema is present, labelled and reachable by keyboard', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  const datasets = schema.datasets.datasets;
  assert.deepEqual(await options(page, 'data.name'), datasets.map((d) => d.name));
  for (const d of datasets) {
    await page.selectOption('[data-field="data.name"]', d.name);
    for (const p of d.params) {
      assert.ok(await page.$(`[data-field="data.${p.name}"]`), `data set ${d.name}: no control for ${p.name}`);
    }
  }
  await page.selectOption('[data-field="data.name"]', 'circles');

  const hidden = await page.$('[data-field="hiddenLayers"]');
  assert.equal(await hidden.getAttribute('min'), String(schema.config.hiddenLayers.min));
  assert.equal(await hidden.getAttribute('max'), String(schema.config.hiddenLayers.max));
  const hiddenActs = schema.activations.filter((a) => !a.outputOnly).map((a) => a.name);
  assert.deepEqual(await options(page, 'layers[0].activation'), hiddenActs);
  assert.deepEqual(await options(page, 'allActivations'), hiddenActs);
  assert.deepEqual(await options(page, 'layers[2].activation'), schema.activations.map((a) => a.name));
  assert.equal(await page.getAttribute('[data-field="layers[0].units"]', 'max'), String(schema.config.units.max));
  assert.deepEqual(await options(page, 'loss'), schema.losses.map((l) => l.name));
  assert.deepEqual(await options(page, 'layers[1].init'), schema.initializers.map((i) => i.name));

  const weightInits = schema.initializers.filter((i) => i.minRank <= 2 && i.maxRank >= 2);
  assert.deepEqual(await options(page, 'init'), weightInits.map((i) => i.name));
  // Optgroups name the frameworks.
  const groups = await page.$$eval('[data-field="init"] optgroup', (gs) => gs.map((g) => g.label));
  assert.ok(groups.includes('Keras') && groups.includes('PyTorch'), groups.join(', '));
  for (const init of weightInits) {
    await page.selectOption('[data-field="init"]', init.name);
    for (const p of init.params) {
      assert.ok(await page.$(`[data-field="init.${p.name}"]`), `${init.name}: no control for ${p.name}`);
    }
    if (init.params.some((p) => p.name === 'gain')) {
      const gains = await page.$$eval('[data-testid="gain-init"] option', (os) => os.length);
      assert.equal(gains, schema.gains.length);
    }
  }
  await page.selectOption('[data-field="init"]', 'he_normal');
  assert.deepEqual(await options(page, 'biasInit'),
    schema.initializers.filter((i) => i.minRank <= 1 && i.maxRank >= 1).map((i) => i.name));

  assert.deepEqual(await options(page, 'optimizer.name'), schema.optimizers.optimizers.map((o) => o.name));
  for (const o of schema.optimizers.optimizers) {
    await page.selectOption('[data-field="optimizer.name"]', o.name);
    for (const p of o.params) {
      assert.ok(await page.$(`[data-field="optimizer.${p}"]`), `optimizer ${o.name}: no control for ${p}`);
    }
  }
  for (const field of ['optimizer.batch', 'seed', ...schema.config.stats.map((s) => `stats.${s.name}`)]) {
    assert.ok(await page.$(`[data-field="${field}"]`), `no control for ${field}`);
  }
  for (const b of ['initialize', 'step', 'play', 'reset', 'reseed']) {
    assert.ok(await page.$(`[data-testid="btn-${b}"]`), `no ${b} button`);
  }

  // Labelled: every control has a <label for> with text; reachable: none is taken out of the tab order.
  await page.$$eval('details.panel', (ds) => ds.forEach((d) => { d.open = true; }));
  const unlabelled = await page.$$eval('[data-field]', (cs) => cs
    .filter((c) => !(c.labels && c.labels.length && c.labels[0].textContent.trim()))
    .map((c) => c.dataset.field));
  assert.deepEqual(unlabelled, []);
  const untabbable = await page.$$eval('[data-field], #toolbar button', (cs) => cs.filter((c) => c.tabIndex < 0).length);
  assert.equal(untabbable, 0);
  // Tab from the top reaches the first control, then the keyboard changes it.
  await page.focus('[data-field="data.name"]');
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => document.activeElement?.dataset.field);
  assert.ok(next, 'Tab leaves the data set select for another control');
  assert.deepEqual(errors, []);
  await page.close();
});

test('he_normal on circles: the loss falls and test accuracy passes 0.9', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  assert.equal(await page.inputValue('[data-field="init"]'), 'he_normal');
  assert.equal(await page.inputValue('[data-field="data.name"]'), 'circles');
  await page.selectOption('[data-field="optimizer.name"]', 'adam');
  await page.fill('[data-field="optimizer.lr"]', '0.02');
  await page.press('[data-field="optimizer.lr"]', 'Enter');
  await page.locator('[data-field="optimizer.lr"]').blur();
  await waitForRun(page);
  const before = await value(page, 'metric-train-loss');
  await page.click('[data-testid="btn-step"]');
  await page.waitForFunction(() => document.body.dataset.step === '1');
  await playUntil(page, async (p) => (await value(p, 'metric-test-acc')) > 0.9);
  await waitSettled(page);
  const after = await value(page, 'metric-train-loss');
  assert.ok(after < before / 2, `train loss ${before} → ${after}`);
  assert.ok((await value(page, 'metric-test-acc')) > 0.9);
  // Learning, or past the goal (train accuracy 95%): either way good news, no alarm.
  assert.match(await page.getAttribute('[data-testid="verdict"]', 'data-kind'), /^learn(ing|ed)$/);
  assert.equal(await page.getAttribute('[data-testid="verdict"]', 'data-severity'), 'good');
  assert.deepEqual(errors, []);
  await page.close();
});

test('zeros init: one distinct unit per layer and a flat loss', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'init=zeros' });
  for (let i = 0; i < 3; i++) assert.equal(await value(page, `distinct-units-${i}`), 1);
  const before = await value(page, 'metric-train-loss');
  await playUntil(page, async (p) => (await step(p)) >= 300);
  await waitSettled(page);
  const after = await value(page, 'metric-train-loss');
  assert.ok(Math.abs(after - before) < 1e-6, `loss ${before} → ${after}`);
  assert.ok(Math.abs(before - Math.log(2)) < 1e-6, `loss ${before} is ln 2`);
  for (let i = 0; i < 3; i++) assert.equal(await value(page, `distinct-units-${i}`), 1);
  assert.equal(await page.getAttribute('[data-testid="verdict"]', 'data-kind'), 'symmetry');
  assert.match(await page.textContent('[data-testid="verdict"]'), /^Symmetry not broken after [\d,]+ steps/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('deep tanh with std 0.01: activations vanish layer by layer', async () => {
  const layers = [...Array(6).fill('100:tanh'), '1:sigmoid'].join('|');
  const hash = `data=gaussian&dim=100&train=256&layers=${encodeURIComponent(layers)}&init=${encodeURIComponent('random_normal(mean=0,stddev=0.01)')}`;
  const { page, errors } = await openLab(browser.context, server.url, { hash });
  const stds = [];
  for (let i = 0; i < 6; i++) stds.push(await value(page, `a-std-${i}`));
  for (let i = 1; i < 6; i++) assert.ok(stds[i] < stds[i - 1] / 5, `layer ${i + 1} std ${stds[i]} vs ${stds[i - 1]}`);
  assert.ok(stds[5] / stds[0] < 1e-4, stds.join(', '));
  // The small multiples say the same, layer by layer.
  const histStds = await page.$$eval('[data-testid="hist-activations"] .multiple', (ms) => ms.map((m) => Number(m.dataset.std)));
  assert.equal(histStds.length, 7);
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(histStds[i] - stds[i]) <= 1e-12 * Math.max(1, stds[i]));
  assert.equal(await page.getAttribute('[data-testid="verdict"]', 'data-kind'), 'vanishing');
  assert.match(await page.textContent('[data-testid="verdict"]'), /^Initialized too small: activation std [\d.]+ → … → [\d.e-]+ over 6 hidden layers \(input RMS [\d.]+\): 1e-\d+ of the input's/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a learning rate of 100 ends in a divergence message naming a step and a layer', async () => {
  const layers = encodeURIComponent('10:leaky_relu|5:leaky_relu|1:sigmoid');
  const { page, errors } = await openLab(browser.context, server.url, { hash: `layers=${layers}` });
  await page.fill('[data-field="optimizer.lr"]', '100');
  await page.locator('[data-field="optimizer.lr"]').blur();
  await waitForRun(page);
  await page.click('[data-testid="btn-play"]');
  await page.waitForSelector('[data-testid="verdict"][data-kind="diverged"]', { timeout: 30000 });
  const text = await page.textContent('[data-testid="verdict"]');
  assert.match(text, /^Diverged at step \d+ in (layer \d+|the output layer) (activations|gradients|weights)/);
  await waitSettled(page);
  assert.ok(await page.isDisabled('[data-testid="btn-play"]'));
  assert.ok(await page.isDisabled('[data-testid="btn-step"]'));
  // Reset brings back the same initial weights and training works again.
  await page.click('[data-testid="btn-reset"]');
  await page.waitForFunction(() => document.body.dataset.step === '0');
  assert.ok(!(await page.isDisabled('[data-testid="btn-play"]')));
  assert.deepEqual(errors, []);
  await page.close();
});

// Non-transparent pixels of every visible canvas in the views.
const blankCanvases = (page) => page.$$eval('#cards canvas', (canvases) => canvases
  .filter((c) => c.offsetParent !== null && c.width > 0 && c.height > 0)
  .map((c, i) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    for (let k = 3; k < data.length; k += 4) if (data[k] > 0) drawn++;
    return { i, drawn, where: c.closest('[data-testid]')?.dataset.testid };
  })
  .filter((c) => c.drawn === 0));

test('every chart canvas has drawn pixels; desktop and phone screenshots', async () => {
  const dir = await screenshotDir();
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'opt=adam&lr=0.02' });
  await playUntil(page, async (p) => (await step(p)) >= 200);
  await waitSettled(page);
  const canvases = await page.$$eval('#cards canvas', (cs) => cs.filter((c) => c.offsetParent !== null).length);
  // loss, boundary, signal, health, std trace, and 3 + 3 histograms
  assert.ok(canvases >= 11, `${canvases} visible canvases`);
  assert.deepEqual(await blankCanvases(page), []);
  await page.screenshot({ path: join(dir, 'desktop.png'), fullPage: true });

  // The digits: sample images with predictions and the confusion matrix.
  const digits = await openLab(browser.context, server.url, { hash: 'data=digits&normalize=standardize&layers=32:relu|10:softmax&loss=cross_entropy&opt=adam&lr=0.01&batch=64' });
  await digits.page.click('[data-testid="btn-step"]');
  await digits.page.waitForFunction(() => document.body.dataset.step === '1');
  await digits.page.waitForFunction(() => !document.querySelector('[data-testid="digit-samples"] figcaption')?.textContent.includes('?'));
  const captions = await digits.page.$$eval('[data-testid="digit-samples"] figcaption', (fs) => fs.map((f) => f.textContent));
  assert.equal(captions.length, 24);
  for (const c of captions) assert.match(c, /^\d → \d$/);
  assert.deepEqual(await blankCanvases(digits.page), []);
  await digits.page.screenshot({ path: join(dir, 'desktop-digits.png'), fullPage: true });
  assert.deepEqual(digits.errors, []);
  await digits.page.close();

  // Phone: 360 px wide, nothing wider than the screen.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `page is ${overflow} px wide on a 360 px screen`);
  assert.deepEqual(await blankCanvases(page), []);
  await page.screenshot({ path: join(dir, 'phone.png'), fullPage: true });
  const phone = await openLab(browser.context, server.url, { viewport: { width: 360, height: 740 } });
  await phone.page.screenshot({ path: join(dir, 'phone-top.png') });
  assert.deepEqual(phone.errors, []);
  await phone.page.close();
  assert.deepEqual(errors, []);
  await page.close();
});

// The 50 ms long-task target is a timing, so it is measured by the benchmark (npm run
// bench), not asserted here: this test checks the behaviour that makes it possible.
test('training runs off the main thread: the page trains and still answers input', async (t) => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: `layers=${encodeURIComponent('32:tanh|32:tanh|32:tanh|32:tanh|1:sigmoid')}` });
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  const start = await step(page);
  await page.keyboard.press('Space');
  await page.waitForTimeout(3000);
  await page.keyboard.press('Space');
  await waitSettled(page);
  const paused = await step(page);
  await page.waitForTimeout(500);
  assert.ok(paused - start > 20, `${paused - start} steps in 3 s`);
  assert.equal(await step(page), paused, 'a pause stops training');
  const longTasks = await page.evaluate(() => window.longTasks);
  t.diagnostic(`main-thread tasks over 50 ms while training: ${longTasks.filter((d) => d > 50).length} (longest ${Math.round(Math.max(0, ...longTasks))} ms)`);
  assert.deepEqual(errors, []);
  await page.close();
});

// A link may ask for a million steps of a big network (hours): the page trains there in
// slices, shows how far it is from the first moment, and stops when asked.
const FAR = `step=1000000&layers=${encodeURIComponent('256:relu|256:relu|256:relu|1:sigmoid')}&batch=300`;
const jobStatus = (page) => page.textContent('[data-testid="job-status"]');
const jobTraining = (page) => page.waitForFunction(() => /^step [1-9][\d,]* of 1,000,000 · /.test(document.querySelector('[data-testid="job-status"]')?.textContent ?? ''));

test('a link to a far step shows its progress at once; Cancel, Pause and a new link stop it, and the lab trains afterwards', async () => {
  const dir = await screenshotDir();
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  // The step the page was at when the job's line first showed: the line comes before the
  // work, not after it (a step, not a clock, so that a busy machine cannot fail it).
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const line = document.querySelector('[data-testid="job"]');
      if (line && !line.hidden) {
        window.jobShownAt = Number(document.body.dataset.step ?? 0);
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.goto(`${server.url}#${FAR}`);
  await page.waitForFunction(() => window.jobShownAt !== undefined);
  const shownAt = await page.evaluate(() => window.jobShownAt);
  assert.ok(shownAt < 1000, `the progress showed at step ${shownAt} of 1,000,000`);
  assert.equal(await page.textContent('[data-testid="job-label"]'), 'Opening the link at step 1,000,000');
  await jobTraining(page);
  // It trains in slices: the player plays, the steps go up, the page answers.
  assert.equal(await page.getAttribute('[data-testid="btn-play"]', 'aria-pressed'), 'true');
  const first = await step(page);
  await page.waitForFunction((n) => Number(document.body.dataset.step) > n, first);
  assert.match(await jobStatus(page), /^step [\d,]+ of 1,000,000 · [\d,]+ steps\/s · about \d+ (h \d+ min|min) left$/);
  await page.screenshot({ path: join(dir, 'job-1366.png') });

  // Cancel: the runs stay where they got to, the link no longer asks for the step, Play trains.
  await page.click('[data-testid="job-cancel"]');
  await page.waitForSelector('[data-testid="job"]', { state: 'hidden' });
  await page.waitForSelector('body[data-ready="true"]');
  await waitSettled(page);
  const stopped = await step(page);
  assert.ok(stopped > 0 && stopped < 1000000, `stopped at step ${stopped}`);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /step=/);
  await page.waitForTimeout(300);
  assert.equal(await step(page), stopped, 'nothing trains after Cancel');
  await page.click('[data-testid="btn-play"]');
  await page.waitForFunction((n) => Number(document.body.dataset.step) > n, stopped);
  await page.click('[data-testid="btn-play"]');
  await waitSettled(page);

  // Pause (the K key) stops a job too.
  await page.evaluate((h) => { location.hash = h; }, `${FAR}&seed=2`);
  await jobTraining(page);
  await page.keyboard.press('k');
  await page.waitForSelector('[data-testid="job"]', { state: 'hidden' });
  await waitSettled(page);
  const paused = await step(page);
  await page.waitForTimeout(300);
  assert.equal(await step(page), paused, 'nothing trains after Pause');

  // A new link stops it and opens its own run.
  await page.evaluate((h) => { location.hash = h; }, `${FAR}&seed=3`);
  await jobTraining(page);
  await page.evaluate(() => { location.hash = 'seed=4'; });
  await page.waitForSelector('[data-testid="job"]', { state: 'hidden' });
  await waitForRun(page);
  assert.equal(await page.inputValue('[data-testid="field-seed"]'), '4');
  await page.click('[data-testid="btn-step"]');
  await page.waitForFunction(() => document.body.dataset.step === '1');
  assert.deepEqual(errors, []);
  await page.close();

  // On a 375 px phone the job's line is on the first screen, and fits.
  const phone = await browser.context.newPage();
  await phone.setViewportSize({ width: 375, height: 740 });
  await phone.goto(`${server.url}#${FAR}`);
  await jobTraining(phone);
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth) <= 375, 'nothing wider than a 375 px screen');
  assert.ok((await phone.locator('[data-testid="job-cancel"]').boundingBox()).y < 740, 'Cancel on the first screen');
  await phone.screenshot({ path: join(dir, 'job-375.png') });
  await phone.click('[data-testid="job-cancel"]');
  await phone.waitForSelector('[data-testid="job"]', { state: 'hidden' });
  await phone.close();

  // In a 700 px iframe (embed mode), the job's line fits.
  const host = await browser.context.newPage();
  await host.setViewportSize({ width: 760, height: 900 });
  await host.setContent(`<iframe src="${server.url}?embed=1#${FAR}" width="700" height="860" style="border:1px solid #999"></iframe>`);
  const frame = await (await host.$('iframe')).contentFrame();
  await jobTraining(frame);
  assert.ok(await frame.evaluate(() => document.documentElement.scrollWidth) <= 700, 'nothing wider than the iframe');
  await host.screenshot({ path: join(dir, 'job-iframe-700.png') });
  await frame.click('[data-testid="job-cancel"]');
  await frame.waitForSelector('[data-testid="job"]', { state: 'hidden' });
  await host.close();
});

test('with reduced motion the page trains and draws every view', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'opt=adam&lr=0.02', reducedMotion: 'reduce' });
  assert.equal(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), true);
  await playUntil(page, async (p) => (await step(p)) >= 100);
  await waitSettled(page);
  assert.deepEqual(await blankCanvases(page), []);
  const titles = await page.$$eval('[data-testid="hist-activations"] .multiple-title', (ts) => ts.map((t) => t.textContent));
  assert.equal(titles.length, 3);
  for (const t of titles) assert.match(t, /std \d/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Import takes a pasted config with names alone and a bad shape gets a message naming it', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  const importText = async (text) => {
    await page.click('[data-testid="btn-import"]');
    await page.fill('[data-testid="import-text"]', text);
    await page.click('[data-testid="import-apply"]');
  };
  await importText('{"data": "moons", "optimizer": "adam", "init": "lecun_normal"}');
  await page.waitForFunction(() => document.querySelector('[data-field="data.name"]').value === 'moons');
  assert.equal(await page.inputValue('[data-field="optimizer.name"]'), 'adam');
  assert.equal(await page.inputValue('[data-field="init"]'), 'lecun_normal');
  // Every key of the engine's default config is allowed, each with its own type.
  await importText('{"layers": {"units": 4}}');
  const { min, max } = schema.config.hiddenLayers;
  assert.equal(await page.textContent('[data-testid="import-state"]'),
    `layers: {"units":4} is an object; expected an array of ${min + 1} to ${max + 1} layers (${min} to ${max} hidden layers, then the output layer).`);
  await page.fill('[data-testid="import-text"]', '{"seeds": 1}');
  await page.click('[data-testid="import-apply"]');
  assert.equal(await page.textContent('[data-testid="import-state"]'),
    `Unknown key "seeds"; allowed: ${schema.config.keys.join(', ')}.`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the layer table shows every menu whole, and the bias help is right for biases', async () => {
  for (const viewport of [{ width: 1366, height: 768 }, { width: 375, height: 740 }]) {
    const { page, errors } = await openLab(browser.context, server.url, {
      hash: `layers=${encodeURIComponent('10:leaky_relu|5:sigmoid|1:sigmoid')}&biasInit=zeros`, viewport,
    });
    await page.evaluate(() => { document.querySelector('[data-testid="panel-network"]').open = true; });
    await page.selectOption('[data-field="layers[1].init"]', 'kaiming_uniform_');
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    // Each select is wide enough for its chosen option's text, its padding and its arrow.
    const cut = await page.$$eval('[data-testid="layers-table"] select', (selects) => {
      const ctx = document.createElement('canvas').getContext('2d');
      return selects.map((s) => {
        const style = getComputedStyle(s);
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const text = s.options[s.selectedIndex].text;
        const need = ctx.measureText(text).width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 20;
        return need > s.clientWidth ? `${text}: ${Math.ceil(need)} > ${s.clientWidth}` : null;
      }).filter(Boolean);
    });
    assert.deepEqual(cut, [], `at ${viewport.width} px`);
    assert.equal(await page.$$eval('[data-testid="layers-table"] select', (s) => s.length), 8, 'two per layer, and kaiming_uniform_\'s mode and nonlinearity');
    const help = await page.textContent('[data-field-wrap="biasInit"] small');
    assert.match(help, /As biases: the usual start, since random weights already break the symmetry/);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

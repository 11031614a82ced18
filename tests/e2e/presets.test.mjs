// Presets: the menu lists the table (wasm/presets.mjs PRESETS); one click loads a preset's runs side by side with
// its text and published figures; "ours" beside them and the outcome checks are the same
// numbers the preset module computes headless in Node (wasm/presets.mjs runPreset); the
// sweeps of a preset run in the page's workers and give runPreset's records; the checks
// across groups are evaluated once every group they need has run. lr-transfer's full run
// in the page (six sweeps): tests/long/preset-lr-transfer.test.mjs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { PRESETS, runPreset, comparePublished, checkOutcome, getPreset, startRecord, keepRecord } from '../../wasm/presets.mjs';
import { useBrowser, openLab, screenshotDir, waitForRun } from './helpers.mjs';
import { checksOnPage, sameChecks, presetInNode } from './presetPage.mjs';

const { server, browser } = useBrowser();

let lab;

before(async () => {
  lab = await loadInitscope();
});

const params = async (page) => Object.fromEntries(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)));
const oursOnPage = (page) => page.$$eval('[data-testid="preset-figures"] tbody tr', (rows) => rows.map((r) => ({
  run: r.dataset.run, quantity: r.cells[1].textContent, ours: r.cells[3].dataset.value === undefined ? null : Number(r.cells[3].dataset.value),
})));

test('the menu lists every preset; one click shows a preset\'s runs, text and published numbers beside ours', async () => {
  const presets = PRESETS;
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
  const preset = getPreset('he-2015');
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
  const preset = getPreset('dlai-playground');
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


test('a preset\'s sweeps run in the page\'s workers, with progress and cancel, and give runPreset\'s records and checks', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=saxe-orthogonal' });
  const saxe = getPreset('saxe-orthogonal');
  const state = () => page.getAttribute('[data-testid="preset-sweeps"]', 'data-state');
  // Before: every check waits for the sweeps, and says so.
  let shown = await checksOnPage(page);
  assert.deepEqual(shown.map((c) => c.holds), saxe.expect.map(() => 'pending'));
  assert.ok(shown.every((c) => /needs the sweeps? (gaussian|orthogonal)/.test(c.text)), shown[0].text);
  assert.equal(await page.getAttribute('[data-testid="preset-missing"]', 'data-sweeps'), 'gaussian,orthogonal');
  // Cancel stops it part way.
  await page.click('[data-testid="preset-sweeps-run"]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="preset-sweeps-progress"]').value) >= 1);
  await page.click('[data-testid="preset-sweeps-cancel"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-sweeps"]').dataset.state === 'cancelled');
  assert.match(await page.textContent('[data-testid="preset-sweeps-status"]'), /^Cancelled after \d+ of 60 cells/);
  assert.equal(await page.getAttribute('[data-testid="preset-sweep"][data-label="orthogonal"]', 'data-state'), 'pending');
  // Run to the end.
  await page.click('[data-testid="preset-sweeps-run"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-sweeps"]').dataset.state === 'done', null, { timeout: 120000 });
  assert.equal(await state(), 'done');
  const sweepLabels = saxe.sweeps.map((s) => s.label);
  const node = await presetInNode(lab, saxe, sweepLabels);
  for (const label of sweepLabels) {
    const summary = JSON.parse(await page.getAttribute(`[data-testid="preset-sweep"][data-label="${label}"]`, 'data-summary'));
    const { count, successes, successRate, byX } = node[label];
    assert.deepEqual(summary, { count, successes, successRate, byX }, label);
    const rows = await page.$$eval(`[data-testid="preset-sweep"][data-label="${label}"] tbody tr`, (rs) => rs.map((r) => r.cells[2].textContent));
    assert.deepEqual(rows, byX.map((b) => (b.bestStepsToSuccess === null ? 'not within 600' : String(b.bestStepsToSuccess))));
  }
  sameChecks(await checksOnPage(page), checkOutcome(saxe, node), saxe);
  assert.ok(await page.isHidden('[data-testid="preset-missing"]'));
  assert.equal(await page.getAttribute('[data-testid="preset-sweep"][data-label="gaussian"] .heatmap', 'data-cells'), '30');
  await page.screenshot({ path: join(await screenshotDir(), 'preset-sweeps.png'), fullPage: true });
  // A cell of a preset's sweep opens as a run in the lab, as in the sweep view: its config at its steps.
  const over = page.locator('[data-testid="preset-sweep"][data-label="gaussian"] [data-testid="heatmap-cells"]');
  await over.scrollIntoViewIfNeeded();
  const box = await over.boundingBox();
  const [popup] = await Promise.all([page.context().waitForEvent('page'), page.mouse.click(box.x + 2, box.y + box.height - 2)]);
  await popup.waitForURL(/#/);
  const opened = new URLSearchParams(new URL(popup.url()).hash.slice(1));
  assert.ok(Number(opened.get('step')) > 0, popup.url());
  assert.ok(opened.get('layers'), popup.url());
  await popup.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  await popup.close();

  // keras-xor: its runs and its sweeps; every check then has what it needs.
  const xor = getPreset('keras-xor');
  await page.selectOption('[data-testid="preset-select"]', 'keras-xor');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-panel"]').dataset.preset === 'keras-xor' && document.body.dataset.ready === 'true');
  await page.click('[data-testid="preset-run"]');
  await page.click('[data-testid="preset-sweeps-run"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-sweeps"]').dataset.state === 'done' &&
    document.querySelector('[data-testid="preset-panel"]').dataset.done === 'true', null, { timeout: 120000 });
  const all = await presetInNode(lab, xor);
  for (const label of xor.sweeps.map((s) => s.label)) {
    const summary = JSON.parse(await page.getAttribute(`[data-testid="preset-sweep"][data-label="${label}"]`, 'data-summary'));
    assert.equal(summary.successes, all[label].successes, label);
    assert.deepEqual(summary.byX, all[label].byX, label);
  }
  sameChecks(await checksOnPage(page), checkOutcome(xor, all), xor);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the worker keeps each run\'s record: step 0 at once, the end where a run diverged, and again after Reset', async () => {
  // coursera-circles: the figures at step 0 are ours as soon as the runs exist; the rest wait.
  const coursera = getPreset('coursera-circles');
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=coursera-circles' });
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const atStart = Object.fromEntries(coursera.runs.map((entry) => {
    const run = lab.createRun(entry.config);
    const record = startRecord(coursera, entry, run);
    keepRecord(coursera, record, run, { step: 0 });
    run.dispose();
    return [entry.label, record];
  }));
  const expected = comparePublished(coursera, atStart).map((e) => ({ run: e.run, quantity: e.quantity, ours: e.ours }));
  assert.ok(expected.filter((e) => e.ours !== null).length >= 3 && expected.some((e) => e.ours === null), 'some figures are at step 0, some later');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="preset-ours"][data-value]').length === n,
    expected.filter((e) => e.ours !== null).length);
  assert.deepEqual(await oursOnPage(page), expected);

  // gradient-clipping: the unclipped run diverges; its record ends there, as runPreset's does.
  const clipping = getPreset('gradient-clipping');
  const node = await runPreset(lab, clipping);
  assert.ok(node.unclipped.diverged, 'the unclipped run diverges');
  await page.selectOption('[data-testid="preset-select"]', 'gradient-clipping');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-panel"]').dataset.preset === 'gradient-clipping' && document.body.dataset.ready === 'true');
  const runToTheEnd = async () => {
    await page.click('[data-testid="preset-run"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="preset-panel"]').dataset.done === 'true' && document.body.dataset.settled === 'true', null, { timeout: 60000 });
    sameChecks(await checksOnPage(page), checkOutcome(clipping, node), clipping);
  };
  await runToTheEnd();
  // Reset: the records start again at step 0 (not done), and the run gives the same ones.
  await page.click('[data-testid="btn-reset"]');
  await page.waitForFunction(() => document.body.dataset.step === '0' && document.querySelector('[data-testid="preset-panel"]').dataset.done === 'false');
  await runToTheEnd();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a preset shown a group at a time checks across groups once every group it needs has run', async () => {
  const preset = getPreset('dlai-playground');
  const groups = [...new Set(preset.runs.map((r) => r.group))];
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=dlai-playground' });
  for (const [k, group] of groups.entries()) {
    if (k > 0) {
      await page.selectOption('[data-testid="preset-group"]', group);
      await page.waitForFunction((g) => document.querySelector('.compare-column')?.dataset.run === `${g}-zero` && document.body.dataset.step === '0', group);
    }
    await page.click('[data-testid="preset-run"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="preset-panel"]').dataset.done === 'true' && document.body.dataset.settled === 'true', null, { timeout: 60000 });
    const shown = await checksOnPage(page);
    const ran = new Set(groups.slice(0, k + 1));
    preset.expect.forEach((e, i) => {
      const needs = [...new Set([e.value, e.above, e.below].filter((p) => typeof p === 'string').map((p) => preset.runs.find((r) => r.label === p.split('.')[0]).group))];
      const missing = needs.filter((g) => !ran.has(g));
      if (missing.length) {
        assert.equal(shown[i].holds, 'pending', shown[i].text);
        assert.equal(shown[i].needs, missing.join(','));
        assert.ok(shown[i].text.includes(`needs the runs of ${missing.join(', ')}`), shown[i].text);
      } else {
        assert.notEqual(shown[i].holds, 'pending', shown[i].text);
      }
    });
    const missingGroups = groups.filter((g) => !ran.has(g));
    assert.equal(await page.getAttribute('[data-testid="preset-missing"]', 'data-groups'), missingGroups.join(','));
    if (missingGroups.length) assert.match(await page.textContent('[data-testid="preset-missing"]'), new RegExp(`the runs of ${missingGroups.join(', ')}`));
  }
  // Every group has run: the checks are runPreset's, all of them.
  sameChecks(await checksOnPage(page), checkOutcome(preset, await runPreset(lab, preset)), preset);
  assert.ok(await page.isHidden('[data-testid="preset-missing"]'));
  assert.deepEqual(errors, []);
  await page.close();
});


test('the shattered-gradients preset\'s checks hold in the page as in Node, and its cards draw the line they read', async () => {
  const shatter = getPreset('shattered-gradients');
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'preset=shattered-gradients' });
  await page.waitForFunction(() => document.body.dataset.ready === 'true'
    && [...document.querySelectorAll('[data-testid="preset-check"]')].every((l) => l.dataset.holds !== 'pending'), null, { timeout: 60000 });
  sameChecks(await checksOnPage(page), checkOutcome(shatter, await runPreset(lab, shatter)), shatter);
  // The plain column's card draws the line the checks read (the preset's 256 points).
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-text-shatter"]:not(:empty)').length === 3);
  const text = await page.$$eval('[data-testid="chart-text-shatter"]', (ps) => ps.map((p) => p.textContent));
  assert.match(text[1], /layer 48 0\.0254/);

  assert.deepEqual(errors, []);
  await page.close();
});

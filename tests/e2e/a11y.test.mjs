// Accessibility: axe-core (axeStates.mjs) on the lab, the embed layout, a diverged run
// with its actions, the import dialog and a phone-sized lab (a preset, a comparison, the
// sweep view and the coordinate check's card: tests/long/a11y-states.test.mjs). No
// violation of impact serious or critical; the others are printed (see the test's output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openLab, playUntil, step } from './helpers.mjs';
import { STATES, checkAxe } from './axeStates.mjs';

const { server, browser } = useBrowser();

for (const state of STATES) {
  test(`axe: no serious or critical violation on the ${state[0]}`, () => checkAxe(browser, server, state));
}

test('every chart says its numbers in text, the engine\'s', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  await playUntil(page, async (p) => (await step(p)) >= 50);
  await page.waitForFunction(() => document.body.dataset.playing === 'false' && document.body.dataset.settled === 'true');
  const texts = await page.$$eval('[data-testid^="chart-text-"]', (ps) => Object.fromEntries(ps.map((p) => [p.dataset.testid.slice(11), p.textContent])));
  assert.deepEqual(Object.keys(texts).sort(), ['activations', 'data', 'gradients', 'health', 'jacobian', 'loss', 'moved', 'shatter', 'signal', 'trace']);
  const at = `At step ${(await step(page)).toLocaleString('en-US')}`;
  for (const [card, text] of Object.entries(texts)) assert.ok(text.startsWith(at), `${card}: ${text}`);
  // The loss sentence carries the numbers the metrics above the chart show.
  const shown = await page.textContent('[data-testid="metric-test-acc"]');
  assert.ok(texts.loss.includes(`test accuracy ${shown.trim()}`), `${texts.loss} / ${shown}`);
  assert.match(texts.activations, /layer 1 [\d.e-]+, layer 2 [\d.e-]+, output layer [\d.e-]+ \(at initialization: /);
  // The gradient line of the settled frame: its step is the snapshot's.
  assert.match(texts.shatter, /per layer: layer 1 -?[\d.e-]+, layer 2 -?[\d.e-]+, output layer -?[\d.e-]+\.$/);
  // Unit health: saturated and dead for the two hidden layers, the rest for all three.
  assert.match(texts.health, /saturated layer 1 [\d.%<]+, layer 2 [\d.%<]+; dead layer 1 [\d.%<]+, layer 2 [\d.%<]+\. Per layer: ‖ΔW‖\/‖W‖ layer 1 [\d.e-]+, layer 2 [\d.e-]+, output layer [\d.e-]+; distinct units layer 1 10 of 10, layer 2 5 of 5, output layer 1 of 1\./);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every control of the settings has a name', async () => {
  const { page } = await openLab(browser.context, server.url);
  // Checked in the page: axe names a missing label as a violation too, this is the list.
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => el.offsetParent !== null || el.closest('dialog[open]'))
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') ||
      (el.tagName === 'BUTTON' && el.textContent.trim()) || el.title))
    .map((el) => el.outerHTML.slice(0, 100)));
  assert.deepEqual(unnamed, []);
  await page.close();
});

test('the clipping checkboxes are named for what they turn on', async () => {
  const { page } = await openLab(browser.context, server.url);
  await page.evaluate(() => { document.querySelector('[data-testid="panel-training"]').open = true; });
  for (const name of ['clip by global norm', 'clip by value']) {
    const box = page.getByRole('checkbox', { name, exact: true });
    assert.equal(await box.count(), 1, name);
    await box.check();
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
  }
  assert.equal(await page.getByRole('checkbox', { name: 'on', exact: true }).count(), 0);
  await page.close();
});

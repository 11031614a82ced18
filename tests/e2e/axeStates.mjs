// Shared by the accessibility tests (tests/e2e/a11y.test.mjs, tests/long/a11y-states.test.mjs):
// the page's states and axe-core's check of one (WCAG 2.x A and AA rules and best
// practices; no violation of impact serious or critical, the others printed).
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { openLab, playUntil, step } from './helpers.mjs';

const SWEEP = 'init.scale:0.25:4:3:log;depth:1:2:2:linear;50;trainAccuracy:0.9;loss';
const DIVERGES = `loss=mse&layers=${encodeURIComponent('10:relu|5:relu|1:linear')}&lr=10`;

// [name, URL state, what to do before the check, viewport]: the states e2e checks.
export const STATES = [
  ['lab', '', async (page) => playUntil(page, async (p) => (await step(p)) >= 50)],
  ['embed', 'embed=1&hide=toolbar,summary'],
  ['diverged', DIVERGES, async (page) => {
    await page.keyboard.press('k');
    await page.waitForSelector('[data-testid="diverged-actions"]:not([hidden])', { timeout: 60000 });
  }],
  ['import dialog', '', async (page) => {
    await page.click('[data-testid="btn-import"]');
    await page.fill('[data-testid="import-text"]', '{');
    await page.click('[data-testid="import-apply"]');
  }],
  ['phone', '', null, { width: 360, height: 740 }],
];

// Heavier states (a preset trained, two runs, a sweep, the coordinate check's 30 runs).
export const LONG_STATES = [
  ['preset', 'preset=he-2015'],
  ['comparison', 'runs=2&b.init=glorot_uniform'],
  ['sweep', `sweep=${encodeURIComponent(SWEEP)}`],
  ['coordinate check', '', async (page) => {
    await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = true; });
    await page.click('[data-testid="coord-open"]');
    await page.waitForFunction(() => /^(\d+) of \1 runs/.test(document.querySelector('[data-testid="coord-status"]')?.textContent), null, { timeout: 120000 });
    await page.locator('[data-testid="panel-network"]').evaluate((d) => { d.open = false; });
  }],
];

/** Opens the lab in `state` on `browser`'s context and runs axe on it. */
export async function checkAxe(browser, server, [name, hash, prepare, viewport]) {
  const { page, errors } = await openLab(browser.context, server.url, { hash, ...(viewport ? { viewport } : {}) });
  if (prepare) await prepare(page);
  const { violations, passes } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  assert.ok(passes.length > 10, 'axe ran its rules');
  for (const v of violations) {
    console.log(`${name}: ${v.impact} ${v.id} (${v.nodes.length}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  }
  const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(grave.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), []);
  assert.deepEqual(errors, []);
  await page.close();
}

// Injection: markup, script and template strings (inert.mjs) in a pasted config and an
// uploaded config file. Nothing runs (window.__pwned stays unset, no dialog opens), no
// element comes from them (a MutationObserver from the first script on records every
// img, script, iframe, object, embed, svg or on…= attribute added), and each string shows
// only as text. Served without a CSP, so the page itself is what keeps them out. The same
// strings in every place a link can put them: tests/long/url-injection.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, step, playUntil } from './helpers.mjs';
import { ATTACKS, watchDom, assertInert, labOpener } from './inert.mjs';

const { server, browser } = useBrowser({ initScript: watchDom });

const { open, dialogs } = labOpener(browser, server);

test('the watch sees an element that markup would create', async () => {
  const { page } = await open('');
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<p><img alt="" src="data:,"></p>'));
  await page.waitForFunction(() => window.__added.length === 1);
  assert.match((await page.evaluate(() => window.__added))[0], /^<img/);
  await page.close();
});

test('a pasted or uploaded config stays text and runs nothing; the lab keeps its run', async () => {
  const { page, errors } = await open('');
  for (const attack of ATTACKS) {
    const configs = [
      { init: attack },
      { data: { name: attack } },
      { layers: [{ units: 4, activation: attack }, { units: 1, activation: 'sigmoid' }] },
      { optimizer: { name: attack, lr: 0.1 } },
      { [attack]: 1 },
      { config: { loss: attack } },
    ];
    for (const config of configs) {
      const text = JSON.stringify(config);
      await page.click('[data-testid="btn-import"]');
      await page.fill('[data-testid="import-text"]', text);
      await page.click('[data-testid="import-apply"]');
      // Refused: by the shape check at once, or by the engine once the worker tried.
      await page.waitForFunction(() => /refused|Unknown key|expected/.test(document.querySelector('[data-testid="import-state"]').textContent));
      const said = await page.textContent('[data-testid="import-state"]');
      assert.ok(said.includes(attack.slice(0, 40)) || said.includes(JSON.stringify(attack).slice(1, 41)), `${text}: the message quotes the value as text: ${said}`);
      await page.keyboard.press('Escape');
      await assertInert(page, errors, text);
    }
  }
  // An uploaded file takes the same path.
  await page.click('[data-testid="btn-import"]');
  await page.setInputFiles('[data-testid="import-file"]', { name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ config: { init: ATTACKS[0] } })) });
  await page.waitForFunction(() => /^init: .* is not allowed; expected/.test(document.querySelector('[data-testid="import-state"]').textContent));
  await page.keyboard.press('Escape');
  await assertInert(page, errors, 'uploaded file');
  // Broken JSON is named, and the lab keeps its run and trains.
  await page.click('[data-testid="btn-import"]');
  await page.fill('[data-testid="import-text"]', `{"init": "${ATTACKS[1]}"`);
  await page.click('[data-testid="import-apply"]');
  assert.match(await page.textContent('[data-testid="import-state"]'), /^This is not JSON/);
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => location.hash), '', 'the lab kept its default run');
  await playUntil(page, async (p) => (await step(p)) >= 20);
  await assertInert(page, errors, 'after training');
  assert.deepEqual(dialogs, []);
  await page.close();
});

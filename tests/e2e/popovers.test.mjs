// Popovers and dialogs (Copy link, Export, Embed, the code dialog) close on a click outside
// and on Escape, and give the focus back to the button that opened them; a click outside on
// another control leaves the focus there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openLab } from './helpers.mjs';

const { server, browser } = useBrowser();

const focused = (page) => page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.tagName);
const visible = (page, testid) => page.isVisible(`[data-testid="${testid}"]`);
// Export's code loads on its first open: wait until the panel shows.
const shown = (page, testid) => page.waitForSelector(`[data-testid="${testid}"]`, { state: 'visible' }).then(() => true);
// A blank spot: the page header's tagline, which takes no focus.
const clickBlank = (page) => page.click('.tagline');

test('Copy link and Export close on a click outside and on Escape, and give the focus back to their button', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  for (const [button, panel] of [['btn-link', 'share-panel'], ['btn-export', 'export-panel']]) {
    await page.click(`[data-testid="${button}"]`);
    assert.ok(await shown(page, panel), `${panel} opens`);
    await clickBlank(page);
    assert.ok(!(await visible(page, panel)), `${panel}: a click outside closes it`);
    assert.equal(await focused(page), button);

    await page.click(`[data-testid="${button}"]`);
    assert.ok(await visible(page, panel));
    await page.keyboard.press('Escape');
    assert.ok(!(await visible(page, panel)), `${panel}: Escape closes it`);
    assert.equal(await focused(page), button);

    // Its button toggles it; a click inside keeps it open.
    await page.click(`[data-testid="${button}"]`);
    await page.click(`[data-testid="${panel}"] .popover-title`);
    assert.ok(await visible(page, panel), `${panel}: a click inside keeps it open`);
    await page.click(`[data-testid="${button}"]`);
    assert.ok(!(await visible(page, panel)), `${panel}: its button closes it`);
  }
  // A click outside on another control closes the popover and leaves the focus there.
  await page.click('[data-testid="btn-export"]');
  await shown(page, 'export-panel');
  await page.click('[data-field="optimizer.lr"]');
  assert.ok(!(await visible(page, 'export-panel')));
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.field), 'optimizer.lr');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Embed and code dialogs close on a click outside and on Escape, and give the focus back', async () => {
  const { page, errors } = await openLab(browser.context, server.url);
  const open = (testid) => page.evaluate((t) => document.querySelector(`[data-testid="${t}"]`).open, testid);
  await page.click('[data-testid="btn-embed"]');
  await page.waitForSelector('[data-testid="embed-dialog"][open]');  // its code loads on the first open
  assert.ok(await open('embed-dialog'));
  // Inside the dialog: it stays.
  await page.click('[data-testid="embed-dialog"] h2');
  assert.ok(await open('embed-dialog'));
  await page.mouse.click(5, 5);  // the backdrop
  assert.ok(!(await open('embed-dialog')), 'a click on the backdrop closes it');
  assert.equal(await focused(page), 'btn-embed');
  await page.click('[data-testid="btn-embed"]');
  await page.keyboard.press('Escape');
  assert.ok(!(await open('embed-dialog')), 'Escape closes it');
  assert.equal(await focused(page), 'btn-embed');

  // The code dialog opens from the Export menu and gives the focus back to Export.
  for (const close of [() => page.keyboard.press('Escape'), () => page.mouse.click(5, 5)]) {
    await page.click('[data-testid="btn-export"]');
    await page.click('[data-testid="export-keras"]');
    assert.ok(await open('code-dialog'));
    assert.ok(!(await visible(page, 'export-panel')));
    await close();
    assert.ok(!(await open('code-dialog')));
    assert.equal(await focused(page), 'btn-export');
  }
  assert.deepEqual(errors, []);
  await page.close();
});

// Injection through links, every string in every place: markup, script and template strings
// (tests/e2e/inert.mjs) in config keys, runs, a preset and its group, a sweep grid, hide=
// and unknown keys, each link a fresh load. Nothing runs, no element comes from them, and
// each refused value shows as text. (The pasted and uploaded configs: tests/e2e/injection.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from '../e2e/helpers.mjs';
import { ATTACKS, watchDom, assertInert, labOpener } from '../e2e/inert.mjs';

const { server, browser } = useBrowser({ initScript: watchDom });

const { open, dialogs } = labOpener(browser, server);

test('strings from URL parameters stay text and run nothing', async () => {
  for (const attack of ATTACKS) {
    const e = encodeURIComponent(attack);
    const urls = [
      `init=${e}&opt=${e}&data=${e}&lr=${e}&layers=${e}&biasInit=${e}&clipNorm=${e}`,
      `runs=2&b.init=${e}&b.loss=${e}&${e}=${e}`,
      `preset=${e}&group=${e}`,
      `preset=he-2015&group=${e}&b.lr=${e}`,
      `sweep=${e}&hide=${e}&embed=${e}&step=${e}`,
      `init=random_normal(stddev=${e})&layers=${encodeURIComponent(`10:relu(alpha=${attack})|1:sigmoid`)}`,
    ];
    for (const hash of urls) {
      const { page, errors } = await open(hash);
      await assertInert(page, errors, `#${hash}`);
      // Refused values are named in the notices, as text.
      const notices = await page.textContent('#notices');
      if (/^init=|runs=2/.test(hash)) assert.ok(notices.includes(attack.slice(0, 20)), `${hash}: the notice quotes the value as text: ${notices}`);
      await page.close();
    }
  }
  assert.deepEqual(dialogs, []);
});

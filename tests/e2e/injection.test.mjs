// Injection: markup, script and template strings through URL parameters (config keys,
// runs, a preset and its group, a sweep grid, hide=, unknown keys), a pasted config and an
// uploaded config file. Nothing runs (window.__pwned stays unset, no dialog opens), no
// element comes from them (a MutationObserver from the first script on records every
// img, script, iframe, object, embed, svg or on…= attribute added), and each string shows
// only as text. Served without a CSP, so the page itself is what keeps them out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openLab, step, playUntil } from './helpers.mjs';

const ATTACKS = [
  '<img src=x onerror="window.__pwned=1">',
  '"><script>window.__pwned=1</script>',
  'javascript:window.__pwned=1',
  "{{constructor.constructor('window.__pwned=1')()}}",
  '<svg onload=window.__pwned=1>',
];

// Every page of this context records the elements and handlers added after its start.
function watchDom() {
  window.__added = [];
  const bad = (el) => /^(IMG|SCRIPT|IFRAME|OBJECT|EMBED|svg)$/i.test(el.tagName) ||
    [...el.attributes].some((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value));
  new MutationObserver((records) => {
    for (const r of records) {
      const nodes = r.type === 'attributes' ? [r.target] : [...r.addedNodes];
      for (const node of nodes) {
        if (node.nodeType !== 1) continue;
        for (const el of [node, ...node.querySelectorAll('*')]) {
          // The page's own bundle, parsed from its HTML, is the one script allowed.
          if (el.tagName === 'SCRIPT' && /^\.\/assets\/[\w-]+\.js$/.test(el.getAttribute('src') ?? '') && el.attributes.length === 3) continue;
          if (bad(el)) window.__added.push(el.outerHTML.slice(0, 120));
        }
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
}

const { server, browser } = useBrowser({ initScript: watchDom });

/** Nothing ran, nothing was created, and the page still trains. */
async function assertInert(page, errors, where) {
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${where}: a script ran`);
  assert.deepEqual(await page.evaluate(() => window.__added), [], `${where}: elements from outside data`);
  assert.equal(await page.$$eval('a[href^="javascript:" i]', (as) => as.length), 0, `${where}: a javascript: link`);
  assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), [], where);
}

const dialogs = [];
const open = async (hash) => {
  const lab = await openLab(browser.context, server.url, { hash });
  lab.page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  return lab;
};

test('the watch sees an element that markup would create', async () => {
  const { page } = await open('');
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<p><img alt="" src="data:,"></p>'));
  await page.waitForFunction(() => window.__added.length === 1);
  assert.match((await page.evaluate(() => window.__added))[0], /^<img/);
  await page.close();
});

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

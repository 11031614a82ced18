// Shared by the injection tests (tests/e2e/injection.test.mjs, tests/long/url-injection.test.mjs):
// the hostile strings, a watch every page of the context runs from its first script on, and
// the check that nothing ran and nothing was created.
import assert from 'node:assert/strict';
import { openLab } from './helpers.mjs';

export const ATTACKS = [
  '<img src=x onerror="window.__pwned=1">',
  '"><script>window.__pwned=1</script>',
  'javascript:window.__pwned=1',
  "{{constructor.constructor('window.__pwned=1')()}}",
  '<svg onload=window.__pwned=1>',
];

// Every page of a context given this as its init script records the elements and handlers added after its start.
export function watchDom() {
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

export /** Nothing ran, nothing was created, and the page still trains. */
async function assertInert(page, errors, where) {
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${where}: a script ran`);
  assert.deepEqual(await page.evaluate(() => window.__added), [], `${where}: elements from outside data`);
  assert.equal(await page.$$eval('a[href^="javascript:" i]', (as) => as.length), 0, `${where}: a javascript: link`);
  assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), [], where);
}


/** open(hash): the lab on a new page whose dialogs are dismissed and kept in `dialogs` (none should open). */
export function labOpener(browser, server) {
  const dialogs = [];
  const open = async (hash) => {
    const lab = await openLab(browser.context, server.url, { hash });
    lab.page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    return lab;
  };
  return { open, dialogs };
}

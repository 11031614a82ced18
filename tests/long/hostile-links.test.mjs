import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, step } from '../e2e/helpers.mjs';

const { server, browser } = useBrowser();

// Classes of hostile links, read on one page (each case a fresh load): prototype-ish names in
// every place a key or a name goes, preset groups, lists over the schema's limits, nesting,
// multibyte and very long text, masses of unknown keys and links over the length the page
// reads. Each gets a visible notice that names the key (data-key) and says what is allowed,
// the link the page writes back holds none of it, the text has no half characters, and the
// lab still steps.
const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const many = (n, item, sep) => Array.from({ length: n }, (_, i) => item(i)).join(sep);
const enc = encodeURIComponent;
const CLASSES = [
  // keys of the page, of run B, and parameter names of initializers and activations
  [`${PROTO.map((p) => `${p}=1`).join('&')}`, 'unknown', /^__proto__, constructor, prototype, toString, hasOwnProperty — allowed: the keys of the lab: seed, data, .* They are left out\.$/],
  ['runs=2&b.__proto__=1&b.constructor=x', 'unknown', /^b\.__proto__, b\.constructor — allowed: the keys of the lab/],
  ...PROTO.map((p) => [`init=${enc(`variance_scaling(${p}=1)`)}`, 'init', new RegExp(`init\\.${p}: variance_scaling has no parameter "${p}"; it takes scale, mode, distribution\\. Using he_normal instead\\.$`)]),
  [`biasInit=${enc('constant(__proto__=1)')}`, 'biasInit', /biasInit\.__proto__: constant has no parameter "__proto__"; it takes value/],
  [`layers=${enc('10:leaky_relu(constructor=0.1)|1:sigmoid')}`, 'layers', /layers\[0\]\.activation\.constructor: leaky_relu has no parameter "constructor"; it takes alpha/],
  [`layers=${enc('10:relu:orthogonal(toString=1)|1:sigmoid::zeros(__proto__=1)')}`, 'layers', /layers\[0\]\.init\.toString: orthogonal has no parameter "toString"; it takes gain/],
  // prototype-ish names as values
  ['init=__proto__', 'init', /^init=__proto__ — allowed: one of the \d+ initializer names/],
  ['data=constructor', 'data', /^data=constructor — allowed: one of xor, circles/],
  ['opt=toString', 'opt', /^opt=toString — allowed: one of sgd, momentum/],
  ['loss=hasOwnProperty', 'loss', /^loss=hasOwnProperty — allowed: one of mse, bce, cross_entropy/],
  ['normalize=prototype', 'normalize', /^normalize=prototype — allowed: one of none, standardize, minmax/],
  ['embed=1&hide=__proto__,controls', 'hide', /^hide=__proto__ — allowed: parts of the page: controls, toolbar/],
  ['preset=constructor', 'preset', /^preset=constructor — allowed: one of coursera-circles, /],
  // preset groups
  ['preset=dlai-playground&group=nope', 'group', /^group=nope — allowed: one of the groups of dlai-playground: circles, spiral, quadrants, gaussians\. Using circles instead\.$/],
  ['preset=dlai-playground&group=__proto__', 'group', /^group=__proto__ — allowed: one of the groups of dlai-playground/],
  ['preset=he-2015&group=x', 'group', /^group=x — allowed: nothing: he-2015 shows all its runs at once, it has no groups/],
  ['group=spiral', 'group', /^group=spiral — allowed: a group of a preset's runs, with preset= set/],
  // lists over the schema's limits: layers, parameters, keys
  [`layers=${many(66, () => '1:relu', '|')}`, 'layers', /^layers=1:relu\|.*— allowed: .*1 to 64 hidden layers and the output layer/],
  [`layers=${many(1e4, () => '1:relu', '|')}`, 'layers', /— allowed: .*1 to 64 hidden layers/],
  [`layers=${many(1e5, () => '1:relu', '|')}`, 'link', /^a link of 700,0\d\d characters — allowed: at most 131,072; none of its settings is read\. It is left out\.$/],
  [`init=variance_scaling(${many(1e4, (i) => `p${i}=1`, ',')})`, 'init', /init\.p0: variance_scaling has no parameter "p0"/],
  [`init=he_normal(scale=1,scale=2)`, 'init', /^init=he_normal\(scale=1,scale=2\) — allowed: one of the \d+ initializer names/],
  [many(1e4, (i) => `k${i}=v`, '&'), 'unknown', /^k0, k1, k2, k3, k4 and 9,995 more — allowed: the keys of the lab/],
  [many(1e5, (i) => `k${i}=vvv`, '&'), 'link', /^a link of 1,0\d\d,\d\d\d characters — allowed: at most 131,072/],
  // nesting: the URL's grammar has none, so nested parentheses are refused at any depth
  ...[3, 100, 1000].map((n) => [`init=${enc(`he_normal(${'a=('.repeat(n)}1${')'.repeat(n)})`)}`, 'init', /— allowed: one of the \d+ initializer names/]),
  [`layers=${enc(`10:leaky_relu(alpha=${'('.repeat(50)}0.1${')'.repeat(50)})|1:sigmoid`)}`, 'layers', /— allowed: units:activation/],
  // multibyte and very long text, cut between characters
  [`data=${enc('é'.repeat(1e4))}`, 'data', /^data=é{59}… — allowed: one of xor/],
  [`init=${enc('😀'.repeat(100))}`, 'init', /^init=(😀){29}… — allowed: one of the \d+ initializer names/],
  [`${enc('ключ'.repeat(50))}=1`, 'unknown', /^(ключ){5}клю… — allowed: the keys of the lab/],
  [`layers=${enc('10:rélu|1:sigmoid')}`, 'layers', /^layers=10:rélu\|1:sigmoid — allowed: units:activation/],
];

const halfCharacter = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

test('classes of hostile links: each gets a notice naming its key and what is allowed, and the lab steps', async (t) => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  for (const [i, [hash, key, expected]] of CLASSES.entries()) {
    const where = `${key}: #${hash.slice(0, 80)}`;
    // The long links open a new page (a query of its own makes it a new load); the others
    // follow a link in the same page, as a click on one would (hashchange).
    const started = Date.now();
    if (i === 0 || hash.length > 50000) {
      await page.goto(`${server.url}?case=${i}#${hash}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
    } else {
      // The page marks itself ready again once every run of the new link is drawn.
      await page.evaluate((h) => { document.body.dataset.ready = 'pending'; location.hash = h; }, hash);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
    }
    if (hash.length > 50000) t.diagnostic(`${where.slice(0, 30)}… (${hash.length.toLocaleString('en-US')} characters): ready in ${Date.now() - started} ms`);
    const notices = await page.$$eval('[data-testid="notice"]', (ns) => ns.map((n) => ({ key: n.dataset.key, text: n.textContent })));
    const mine = notices.find((n) => n.key === key);
    assert.ok(mine, `${where}: a notice for ${key}: ${JSON.stringify(notices).slice(0, 300)}`);
    assert.match(mine.text, expected, where);
    assert.doesNotMatch(mine.text, halfCharacter, `${where}: half a character`);
    assert.ok(await page.isVisible(`[data-testid="notice"][data-key="${key}"]`), `${where}: visible`);
    const written = await page.evaluate(() => location.hash);
    assert.ok(written.length < 400, `${where}: written back ${written.slice(0, 100)}`);
    for (const p of PROTO) assert.ok(!written.includes(p), `${where}: written back with ${p}`);
    const before = await step(page);
    await page.click('[data-testid="btn-step"]');
    await page.waitForFunction((s) => Number(document.body.dataset.step) > s, before);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

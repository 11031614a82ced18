// Bad URL parameters, one table row each: the page opens anyway, shows a notice that names
// the key, the value given and what is allowed, leaves the key at its default (the URL it
// writes back no longer holds it), and the lab still trains. The rows cover every kind:
// unknown names of enums, out-of-range and non-integer numbers, text, NaN and Infinity,
// huge widths and depths, malformed layer lists and sweep grids, an unknown preset, parts
// of the page that do not exist, and page keys out of range. Classes of hostile links
// (prototype-ish names, lists over the limits, nesting, multibyte and very long text):
// tests/long/hostile-links.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openLab, step, playUntil } from './helpers.mjs';
import { excerpt } from '../../web/src/excerpt.js';

const { server, browser } = useBrowser();

const deep = `${Array.from({ length: 200 }, () => '4:relu').join('|')}|1:sigmoid`;

// [key, value, what the notice says is allowed]
const BAD = [
  ['init', 'not_an_initializer', /allowed: one of the \d+ initializer names/],
  ['biasInit', 'orthogonal', /allowed: one of the \d+ initializer names/],
  ['init', 'he_normal(scale=abc)', /init\.scale: he_normal has no parameter "scale"; it takes none/],
  ['opt', 'sgdd', /allowed: one of sgd, momentum, nesterov, rmsprop, adam/],
  ['data', 'mnist', /allowed: one of .*circles/],
  ['loss', 'hinge', /allowed: one of .*bce/],
  ['loss', 'bce', /the engine refused it/, 'data=iris'],
  ['lr', 'abc', /allowed: .*number/],
  ['lr', 'NaN', /allowed: .*number/],
  ['lr', 'Infinity', /allowed: .*number/],
  ['lr', '-0.5', /allowed: .*number/],
  ['noise', '3', /allowed: .*0.*0\.5|allowed: .*from/],
  ['batch', '0', /allowed: .*integer/],
  ['seed', '1.5', /allowed: .*integer/],
  ['beta1', '2', /allowed: .*number/],
  ['clipNorm', '-1', /allowed: .*number/],
  ['bins', '999999999', /allowed: .*integer/],
  ['dim', '5', /allowed: nothing: the circles data set has no dim/],
  ['layers', '100000:relu|1:sigmoid', /layers\[0\]\.units: 100000 is not allowed; expected an integer from 1 to 1024/],
  ['layers', deep, /allowed: units:activation.*1 to 64 hidden layers and the output layer/],
  ['layers', '10:relu|', /allowed: units:activation/],
  ['layers', '10:warp_drive|1:sigmoid', /the engine refused it|allowed/],
  ['sweep', 'init.scale:0.1:4', /allowed: x;y;steps;metric:value;colour/],
  ['sweep', 'rm -rf:1:2:3:log;;300;trainAccuracy:0.9;loss', /allowed: x;y;steps;metric:value;colour/],
  ['preset', 'no-such-preset', /allowed: one of coursera-circles, /],
  ['preset', '../../etc/passwd', /allowed: a preset name/],
  ['hide', 'controls,flux-capacitor', /allowed: parts of the page: controls, toolbar/],
  ['step', '-1', /allowed: an integer from 0 to 1000000/],
  ['step', '1e9', /allowed: an integer from 0 to 1000000/],
  ['runs', '9', /allowed: an integer from 1 to 4/],
  ['embed', 'yes', /allowed: 1 or 0/],
];

const distinct = new Set(BAD.map(([key, value]) => `${key}=${value}`));

test('the table holds at least 15 distinct bad URL parameters', () => {
  assert.equal(distinct.size, BAD.length, 'no row twice');
  assert.ok(BAD.length >= 15, `${BAD.length} rows`);
});

for (const [key, value, allowed, context] of BAD) {
  const shown = excerpt(value);
  const shortName = shown.length > 40 ? `${shown.slice(0, 37)}…` : shown;
  test(`${key}=${shortName}: a notice names it, the default is used and the lab trains`, async () => {
    const hash = `${context ? `${context}&` : ''}${key}=${encodeURIComponent(value)}`;
    const { page, errors } = await openLab(browser.context, server.url, { hash });
    const notices = await page.$$eval('[data-testid="notice"]', (ns) => ns.map((n) => ({ key: n.dataset.key, text: n.textContent })));
    // hide=a,b names the unknown part alone; every other key names the whole value.
    const mine = notices.find((n) => n.key === key);
    assert.ok(mine, `a notice for ${key}: ${JSON.stringify(notices)}`);
    const given = key === 'hide' ? value.split(',').find((p) => p !== 'controls') : shown;
    assert.ok(mine.text.startsWith(`${key}=${given} — `), mine.text);
    assert.match(mine.text, allowed);
    assert.match(mine.text, /It is left out\.|Using .+ instead\./);
    assert.ok(await page.isVisible('[data-testid="notices"]'), 'the notice is visible');
    // The default is used: the URL the page writes back holds no value of that key, or
    // (hide=) only the part it knows.
    const written = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
    if (key === 'hide') assert.equal(written.get('hide'), 'controls');
    else assert.equal(written.has(key), false, `${key} written back as ${written.get(key)}`);
    assert.equal(await page.textContent('#error'), '', 'no error: the run was built');
    await playUntil(page, async (p) => (await step(p)) >= 20);
    assert.ok((await step(page)) >= 20, 'the lab trains');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

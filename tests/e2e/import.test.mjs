// Import: classes of hostile configs are refused before the page builds anything from them,
// with a message that names the field, the value and what is allowed, and the lab keeps
// its run and still steps. The classes: prototype-ish keys (__proto__, constructor,
// prototype, toString, hasOwnProperty) in every place a key or a name goes, every wrong JSON
// type for every config field, lists over the schema's limits (layers, parameters, keys),
// nesting at several depths and places, multibyte and very long text. The full tables run
// against importer.js's reader in Node (milliseconds); one case of each class and place
// runs through the dialog in the browser. An exported Run JSON still imports.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { readImport } from '../../web/src/importer.js';
import { useBrowser, openLab, step, screenshotDir } from './helpers.mjs';

const { server, browser } = useBrowser();

let schema;

before(async () => {
  schema = (await loadInitscope()).schema();
});

const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const hidden = (layer) => ({ layers: [layer, { units: 1, activation: 'sigmoid' }] });
const halfCharacter = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const esc = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every place a key goes: [the config with `key` there, the field, what the message says]. */
const KEY_PLACES = [
  [(k) => ({ [k]: 1 }), (k) => k, /; allowed: seed, data, layers, init, biasInit, loss, optimizer, stats, residualInit, parameterization\b/],
  [(k) => ({ config: { [k]: 1 } }), (k) => k, /; allowed: seed, data, /],
  [(k) => ({ data: { name: 'moons', [k]: 1 } }), (k) => `data.${k}`, /; allowed: name, train, test, noise, seed, normalize\.$/],
  [(k) => hidden({ units: 4, activation: 'relu', [k]: 1 }), (k) => `layers[0].${k}`, /; allowed: kind, units, activation, init, biasInit\.$/],
  [(k) => hidden({ units: 4, activation: { name: 'leaky_relu', [k]: 0.1 } }), (k) => `layers[0].activation.${k}`, /: leaky_relu has no parameter ".+"; it takes alpha\.$/],
  [(k) => hidden({ units: 4, activation: 'relu', init: { name: 'orthogonal', [k]: 1 } }), (k) => `layers[0].init.${k}`, /: orthogonal has no parameter ".+"; it takes gain\.$/],
  [(k) => ({ init: { name: 'variance_scaling', [k]: 1 } }), (k) => `init.${k}`, /: variance_scaling has no parameter ".+"; it takes scale, mode, distribution\.$/],
  [(k) => ({ biasInit: { name: 'he_normal', [k]: 1 } }), (k) => `biasInit.${k}`, /: he_normal has no parameter ".+"; it takes none\.$/],
  [(k) => ({ optimizer: { name: 'adam', [k]: 1 } }), (k) => `optimizer.${k}`, /; allowed: name, lr, momentum, beta1, beta2, rho, epsilon, weightDecay, clipNorm, clipValue, convention, batch, schedule\.$/],
  [(k) => ({ stats: { [k]: 1 } }), (k) => `stats.${k}`, /; allowed: bins, probe\.$/],
];

/** Every place a name goes: [the config with `name` there, the field, what is allowed]. */
const NAME_PLACES = [
  [(n) => ({ init: n }), 'init', /expected one of zeros, ones, /],
  [(n) => ({ init: { name: n } }), 'init.name', /expected one of zeros, ones, /],
  [(n) => ({ biasInit: n }), 'biasInit', /expected one of zeros, /],
  [(n) => ({ data: n }), 'data', /expected one of xor, circles, /],
  [(n) => ({ data: { name: n } }), 'data.name', /expected one of xor, circles, /],
  [(n) => ({ loss: n }), 'loss', /expected one of mse, bce, cross_entropy\.$/],
  [(n) => ({ optimizer: n }), 'optimizer', /expected one of sgd, momentum, nesterov, rmsprop, adam\.$/],
  [(n) => ({ optimizer: { name: n } }), 'optimizer.name', /expected one of sgd, /],
  [(n) => hidden({ units: 4, activation: n }), 'layers[0].activation', /expected one of linear, sigmoid, /],
  [(n) => ({ data: { name: 'circles', normalize: n } }), 'data.normalize', /expected one of none, standardize, minmax\.$/],
];

const WRONG = { null: null, number: 1.5, string: 'x', array: [], object: {}, boolean: true };

/** The refusals of a class: [config text, the field it names, what the message says]. */
function protoKeys() {
  return PROTO.flatMap((k) => KEY_PLACES.map(([make, field, says]) => [JSON.stringify(make(k)), field(k), says]));
}
function protoNames() {
  return PROTO.flatMap((n) => NAME_PLACES.map(([make, field, says]) => [JSON.stringify(make(n)), field, says]));
}
// Each config field given each JSON type it does not allow (the types it allows are skipped).
function wrongTypes() {
  const out = [];
  for (const field of Object.keys(schema.config.default)) {
    for (const [type, value] of Object.entries(WRONG)) {
      const text = JSON.stringify({ [field]: value });
      if (!readImport(text, schema).error) continue;
      // An empty object lacks the name a named field needs: that is what is named.
      const wrong = `: ${esc(JSON.stringify(value))} is (not allowed|${type === 'array' || type === 'object' ? 'an' : 'a'} ${type})`;
      out.push([text, field, new RegExp(`^${esc(field)}(${wrong}|\\.name: is required); expected `)]);
    }
  }
  return out;
}
const layerList = (n) => JSON.stringify({ layers: Array.from({ length: n }, () => ({ units: 1, activation: 'relu' })) });
function overLimits() {
  const { max } = schema.config.hiddenLayers;
  const layers = new RegExp(`^layers: \\[.*(\\(\\d[\\d,]* entries\\) )?is not allowed; expected an array of 2 to ${max + 1} layers \\(1 to ${max} hidden layers, then the output layer\\)\\.$`);
  const params = Object.fromEntries([['name', 'variance_scaling'], ...Array.from({ length: 1e4 }, (_, i) => [`p${i}`, 1])]);
  const keys = Object.fromEntries(Array.from({ length: 1e5 }, (_, i) => [`k${i}`, 1]));
  return [
    [layerList(max + 2), 'layers', layers],
    [layerList(1e4), 'layers', layers],
    [layerList(1e5), 'layers', layers],
    [JSON.stringify({ init: params }), 'init.p0', /^init\.p0: variance_scaling has no parameter "p0"/],
    [JSON.stringify(hidden({ units: 4, activation: 'relu', init: params })), 'layers[0].init.p0', /variance_scaling has no parameter "p0"/],
    [JSON.stringify(keys), 'k0', /^Unknown key "k0"; allowed: /],
  ];
}
// Arrays and objects nested where a config has none, or deeper than it has, at several depths.
function nesting() {
  const most = 4;  // {"layers": [{"init": {…}}]}: what the shape allows, checked below against the reader
  const deep = (n) => `${'['.repeat(n)}1${']'.repeat(n)}`;
  const deepObject = (n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  const out = [];
  const says = (what, limit) => new RegExp(` is nested too deep \\(${esc(what)}: [\\d,]+ levels of arrays and objects; expected at most ${limit}, as in \\{"layers": \\[\\{"init": \\{"name": …\\}\\}\\]\\}\\)\\.$`);
  for (const n of [5, 10, 100, 3000, 1e5, 1e6]) {
    out.push([`{"seed": ${deep(n)}}`, 'seed[0][0][0]', says('seed', most - 1)]);
    // (a million levels of objects would pass the 4 MB the dialog reads)
    if (n <= 1e5) out.push([`{"config": {"init": {"name": "constant", "value": ${deepObject(n)}}}}`, 'config.init.value.a', says('config', most)]);
    out.push([`{"layers": [{"units": ${deep(n)}}, {"units": 1}]}`, 'layers[0].units[0]', says('layers', most - 1)]);
    out.push([deep(n), '[0][0][0][0]', says('the JSON', most)]);
  }
  // Within the limits, a wrong type is named instead.
  out.push(['{"seed": [[1]]}', 'seed', /^seed: \[\[1\]\] is an array; expected an integer/]);
  out.push(['{"init": {"name": {"a": 1}}}', 'init.name', /^init\.name: \{"a":1\} is an object; expected one of zeros/]);
  return out;
}
function multibyte() {
  return [
    [JSON.stringify({ data: { name: 'é'.repeat(1e5) } }), 'data.name', /^data\.name: "é{59}… is not allowed; expected one of xor/],
    [JSON.stringify({ init: '😀'.repeat(100) }), 'init', /^init: "(😀){29}… is not allowed; expected one of zeros/],
    [JSON.stringify({ ['ключ'.repeat(1000)]: 1 }), 'ключ'.repeat(1000), /^Unknown key "(ключ){14}клю…"; allowed: /],
    [JSON.stringify(hidden({ units: 4, activation: 'rélu' })), 'layers[0].activation', /^layers\[0\]\.activation: "rélu" is not allowed; expected one of linear/],
    [JSON.stringify({ optimizer: { name: 'adam', ['€'.repeat(100)]: 1 } }), `optimizer.${'€'.repeat(100)}`, /^Unknown key "optimizer\.€{49}…"; allowed: name, lr/],
  ];
}

const CLASSES = { 'prototype-ish keys': protoKeys, 'prototype-ish names': protoNames, 'wrong types': wrongTypes, 'over the limits': overLimits, nesting, 'multibyte and long text': multibyte };

test('the config nests as deep as its shape: the depth the nesting rows assume', async () => {
  const { configDepth } = await import('../../web/src/configShape.js');
  assert.equal(configDepth(schema), 4);
});

for (const [name, make] of Object.entries(CLASSES)) {
  test(`reader: ${name} are refused with the field, the value and what is allowed`, (t) => {
    const rows = make();
    let slowest = 0;
    for (const [text, field, says] of rows) {
      const started = performance.now();
      const got = readImport(text, schema);
      slowest = Math.max(slowest, performance.now() - started);
      const where = `${text.slice(0, 80)} (${text.length} characters)`;
      assert.ok(got.error, `${where}: refused`);
      assert.equal(got.config, undefined, where);
      assert.match(got.error, says, where);
      if (field) assert.ok(got.error.startsWith(field.length > 60 ? field.slice(0, 20) : field) || got.error.includes(`"${field.slice(0, 20)}`), `${where}: names ${field.slice(0, 40)}: ${got.error.slice(0, 200)}`);
      assert.doesNotMatch(got.error, halfCharacter, `${where}: half a character`);
      assert.ok(got.error.length < 1200, `${where}: ${got.error.length} characters of message`);
    }
    t.diagnostic(`${rows.length} configs, the slowest read in ${slowest.toFixed(1)} ms`);
  });
}

test('reader: configs within the shape pass, with names alone as objects', () => {
  const ok = [
    '{"data": "moons", "optimizer": "adam", "init": "lecun_normal"}',
    JSON.stringify(hidden({ units: 4, activation: { name: 'leaky_relu', alpha: 0.2 }, init: { name: 'orthogonal', gain: 2 }, biasInit: 'zeros' })),
    JSON.stringify({ config: { seed: 4, stats: { bins: 20 } }, layers: [{ z: { histogram: { counts: [[1]] } } }], initscope: '0.1.0' }),
    '{"optimizer": {"clipNorm": null, "lr": 0.5, "batch": 32}}',
  ];
  for (const text of ok) assert.equal(readImport(text, schema).error, undefined, text);
  assert.deepEqual(readImport(ok[0], schema).config, { data: { name: 'moons' }, optimizer: { name: 'adam' }, init: { name: 'lecun_normal' } });
});

test('the dialog refuses one config of every class and place, names the field, and the lab keeps its run and steps', async (t) => {
  const { page, errors } = await openLab(browser.context, server.url);
  const pick = (rows, k) => rows.filter((_, i) => i % k === 0);
  const cases = [
    // each place of a key and of a name once, the prototype-ish word turning with the place
    ...KEY_PLACES.map(([make, field, says], i) => [JSON.stringify(make(PROTO[i % 5])), field(PROTO[i % 5]), says]),
    ...NAME_PLACES.map(([make, field, says], i) => [JSON.stringify(make(PROTO[i % 5])), field, says]),
    ...pick(wrongTypes(), 5), ...overLimits(), ...pick(nesting(), 3), ...multibyte(),
  ];
  const dir = await screenshotDir();
  let slowest = 0;
  for (const [i, [text, field, says]] of cases.entries()) {
    const where = `${text.slice(0, 80)} (${text.length} characters)`;
    await page.click('[data-testid="btn-import"]');
    await page.waitForSelector('[data-testid="import-text"]');  // its code loads on the first open
    await page.evaluate((value) => { document.querySelector('[data-testid="import-text"]').value = value; }, text);
    const started = Date.now();
    await page.click('[data-testid="import-apply"]');
    const said = await page.textContent('[data-testid="import-state"]');
    slowest = Math.max(slowest, Date.now() - started);
    assert.match(said, says, where);
    assert.ok(await page.isVisible('[data-testid="import-state"]'), `${where}: the message is visible`);
    if (i === 0) await page.screenshot({ path: join(dir, 'import-refused.png') });
    await page.keyboard.press('Escape');
    // The lab kept its run (nothing written to the URL) and still trains.
    assert.equal(await page.evaluate(() => location.hash), '', where);
    const before = await step(page);
    await page.click('[data-testid="btn-step"]');
    await page.waitForFunction((s) => Number(document.body.dataset.step) > s, before);
  }
  t.diagnostic(`${cases.length} configs refused in the dialog, the slowest in ${slowest} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a Run JSON saved by Export imports, and its config reaches the controls', async () => {
  const { page, errors } = await openLab(browser.context, server.url, { hash: 'init=glorot_uniform&opt=adam&lr=0.003' });
  await page.click('[data-testid="btn-step"]');
  await page.click('[data-testid="btn-export"]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
  const text = await readFile(await download.path(), 'utf8');
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('[data-testid="btn-import"]');
  await page.waitForSelector('[data-testid="import-text"]');  // its code loads on the first open
  await page.evaluate((value) => { document.querySelector('[data-testid="import-text"]').value = value; }, text);
  await page.click('[data-testid="import-apply"]');
  await page.waitForFunction(() => document.querySelector('[data-field="init"]').value === 'glorot_uniform');
  assert.equal(await page.inputValue('[data-field="optimizer.name"]'), 'adam');
  assert.deepEqual(errors, []);
  await page.close();
});

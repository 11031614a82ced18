// Residual initializations through the JS API: the schema lists the table and
// wasm/residualInitText.mjs has the words of exactly its schemes, a run with each scheme
// trains, its config round-trips through run.config (the engine's echo), its snapshot
// carries the formula's numbers, and a bad value is an error naming the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { InitscopeError } from '../../wasm/initscope.mjs';
import { RESIDUAL_INIT_TEXT } from '../../wasm/residualInitText.mjs';
import { circles, lab } from './helpers.mjs';

const schema = lab.schema();
const block = { kind: 'residual', activation: 'relu' };
const withBlocks = (residualInit, extra = {}) => circles({
  layers: [{ units: 8, activation: 'relu' }, block, block, block, block, { units: 1, activation: 'sigmoid' }],
  optimizer: { name: 'adam', lr: 0.01, batch: 300 },
  ...(residualInit === undefined ? {} : { residualInit }),
  ...extra,
});

test('the schema lists the residual initializations, none first, with their params; no words in the engine', () => {
  assert.deepEqual(schema.residualInits.map((r) => r.name), ['none', 'zero-last', 'fixup', 'skipinit', 'rezero', 'gpt2']);
  for (const row of schema.residualInits) {
    assert.deepEqual(Object.keys(row).sort(), ['factor', 'name', 'params', 'setsGate'], row.name);
  }
  const skip = schema.residualInits.find((r) => r.name === 'skipinit');
  assert.deepEqual(skip.params.map((p) => [p.name, p.default, p.min, p.max]), [['alpha', 0, 0, 1]]);
  assert.equal(schema.residualInits.find((r) => r.name === 'fixup').factor, 'first');
  assert.equal(schema.residualInits.find((r) => r.name === 'gpt2').factor, 'last');
});

test('residualInitText.mjs has the words and TeX of every scheme of the schema, and of no other', () => {
  assert.deepEqual(Object.keys(RESIDUAL_INIT_TEXT).sort(), schema.residualInits.map((r) => r.name).sort());
  for (const row of schema.residualInits) {
    const text = RESIDUAL_INIT_TEXT[row.name];
    assert.deepEqual(Object.keys(text).sort(), ['doc', 'formula', 'paper', 'tex'], row.name);
    assert.ok(text.doc.length > 20 && text.formula.length > 5 && text.tex.length > 0, row.name);
    assert.ok(row.name === 'none' || /\d{4}/.test(text.paper), `${row.name} names its paper and year`);
    // The TeX's placeholders are the numbers the page has: L, m, the factor (only for a row
    // that has one) and the scheme's own params.
    const allowed = ['L', 'm', ...(row.factor ? ['factor'] : []), ...row.params.map((p) => `p.${p.name}`)];
    for (const line of text.tex) {
      for (const [, name] of line.matchAll(/\$([A-Za-z]+(?:\.[A-Za-z_]+)?)/g)) assert.ok(allowed.includes(name), `${row.name}: $${name} in ${line}`);
    }
  }
});

test('a run with each scheme trains and keeps its scheme in run.config', () => {
  for (const { name } of schema.residualInits) {
    const run = lab.createRun(withBlocks(name));
    const before = run.evaluate().trainLoss;
    run.step(60);
    assert.ok(run.evaluate().trainLoss < before, `${name} lowers the loss`);
    if (name === 'none') assert.equal('residualInit' in run.config, false);
    else assert.equal(run.config.residualInit.name, name);
    const twin = lab.createRun(run.config);
    assert.deepEqual(twin.config, run.config, `${name} round-trips`);
    twin.dispose();
    run.dispose();
  }
});

test('the snapshot carries L, m and the factor of the formula', () => {
  const fixup = lab.createRun(withBlocks('fixup'));
  assert.deepEqual(fixup.snapshot().residualInit, { name: 'fixup', blocks: 4, m: 2, factor: 0.5 });
  assert.deepEqual(fixup.config.layers[1].gate, 'trainable');
  assert.deepEqual(fixup.config.layers[1].alpha, 1);
  fixup.dispose();
  const gpt2 = lab.createRun(withBlocks({ name: 'gpt2', branchesPerLayer: 2 }));
  assert.equal(gpt2.snapshot().residualInit.factor, 1 / Math.sqrt(8));
  gpt2.dispose();
  const rezero = lab.createRun(withBlocks('rezero'));
  assert.equal(rezero.snapshot().residualInit.factor, null);
  rezero.dispose();
  const plain = lab.createRun(circles());
  assert.equal('residualInit' in plain.snapshot(), false);
  plain.dispose();
});

test('a bad residualInit names the field, the value and what is allowed', () => {
  const cases = [
    [withBlocks('he'), 'residualInit', /"he" is not allowed; expected one of none, zero-last, fixup, skipinit, rezero, gpt2/],
    [withBlocks({ name: 'skipinit', alpha: 0.9 }), 'residualInit.alpha', /SkipInit starts each gate at most 1\/sqrt\(L\) = 0.5 for this network's L = 4 blocks/],
    [withBlocks('rezero', { layers: [{ ...block, gate: 'fixed' }, { units: 1, activation: 'sigmoid' }] }), 'layers[0].gate', /"fixed" is not allowed with residualInit "rezero"/],
    [circles({ residualInit: 'fixup' }), 'residualInit', /not allowed in a network without residual blocks; expected "none"/],
  ];
  for (const [config, field, message] of cases) {
    assert.throws(() => lab.createRun(config), (err) => err instanceof InitscopeError && err.field === field && message.test(err.message), field);
  }
});

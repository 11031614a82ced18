// The coordinate check (wasm/coordCheck.mjs over run.coordinates()) and the parameterization
// key through the JS API: under the standard parameterization the output layer's coordinate
// size grows with width after a few Adam steps, under muP it stays flat; at the base width
// the two are the same numbers; run.coordinates() says what it measures.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { coordCheckConfig, coordinateCheck, growthExponent, widen } from '../../wasm/coordCheck.mjs';
import { exactInput } from '../../wasm/exactScript.mjs';
import { lab } from './helpers.mjs';

// Small widths keep the check quick; the base width (64) is one of them.
const WIDTHS = [32, 64, 128, 256];
const STEPS = 3;
const SEEDS = [1, 2, 3];
const OUTPUT = 2;  // the output layer of coordCheckConfig's network

function exponent(parameterization, seed) {
  const rows = coordinateCheck(lab, { config: coordCheckConfig(parameterization), widths: WIDTHS, steps: STEPS, seeds: [seed] });
  return growthExponent(rows, { layer: OUTPUT, step: STEPS, quantity: 'z' });
}

test('under SP the output layer\'s coordinate size grows with width; under muP it stays flat', () => {
  // Fitted slope of log mean |z| of the output layer against log width after 3 Adam steps
  // (lr 0.01) at widths 32 to 256, for seeds 1 to 3. Tolerances: SP at least 0.3 (a size
  // that grows like width^0.3 or faster), muP within ±0.2 of flat.
  for (const seed of SEEDS) {
    const sp = exponent('standard', seed);
    const mup = exponent({ name: 'mup', baseWidth: 64 }, seed);
    assert.ok(sp > 0.3, `seed ${seed}: SP exponent ${sp} should be > 0.3`);
    assert.ok(Math.abs(mup) < 0.2, `seed ${seed}: muP exponent ${mup} should be within 0.2 of 0`);
  }
});

test('at the base width muP gives the standard network\'s coordinates, bit for bit', () => {
  const options = { widths: [64], steps: 2, seeds: [4] };
  const sp = coordinateCheck(lab, { ...options, config: coordCheckConfig('standard') });
  const mup = coordinateCheck(lab, { ...options, config: coordCheckConfig({ name: 'mup', baseWidth: 64 }) });
  const ntk = coordinateCheck(lab, { ...options, config: coordCheckConfig({ name: 'ntk', baseWidth: 64 }) });
  assert.deepEqual(mup, sp);
  assert.deepEqual(ntk, sp);
  assert.equal(sp.length, 1 * 3 * 3);  // one width and seed, steps 0 to 2, three layers
});

test('run.coordinates() is the mean |z|, |a| of the probe batch and their change since step 0', () => {
  const run = lab.createRun({ ...widen(coordCheckConfig('mup'), 32), seed: 7 });
  try {
    const start = run.coordinates();
    assert.equal(start.length, 3);
    for (const c of start) {
      assert.deepEqual(Object.keys(c).sort(), ['a', 'aChange', 'z', 'zChange']);
      assert.ok(c.z > 0 && c.a > 0);
      assert.equal(c.zChange, 0);
      assert.equal(c.aChange, 0);
    }
    // The output's mean |a| of a softmax over 10 classes is 1/10.
    assert.ok(Math.abs(start[OUTPUT].a - 0.1) < 1e-6);
    // Asking changes nothing: the snapshot after is the snapshot before.
    const before = JSON.stringify(run.snapshot().layers.map((l) => l.z.mean));
    run.coordinates();
    assert.equal(JSON.stringify(run.snapshot().layers.map((l) => l.z.mean)), before);
    run.step(2);
    const later = run.coordinates();
    for (const c of later) assert.ok(c.zChange > 0);
    run.reset();
    assert.deepEqual(run.coordinates(), start);
  } finally {
    run.dispose();
  }
});

test('the parameterization key: echoed when not standard, errors name the field', () => {
  const run = lab.createRun(coordCheckConfig('mup'));
  assert.deepEqual(run.config.parameterization, { name: 'mup', baseWidth: 64, zeroReadout: false });
  // The exact scripts write plain layers and one rate: they refuse it, naming the field.
  assert.throws(() => exactInput(run, { steps: 2, schema: lab.schema() }),
    (err) => err.field === 'parameterization' && /"mup" is not written out by the exact scripts/.test(err.message));
  run.dispose();
  const sp = lab.createRun(coordCheckConfig('standard'));
  assert.equal(Object.hasOwn(sp.config, 'parameterization'), false);
  sp.dispose();
  assert.throws(() => lab.createRun(coordCheckConfig({ name: 'mup', baseWidth: 2000 })),
    (err) => err.field === 'parameterization.baseWidth' && /2000 is not allowed; expected an integer from 1 to 1024/.test(err.message));
  const withNorm = coordCheckConfig('ntk');
  withNorm.layers.splice(1, 0, { kind: 'layernorm' });
  assert.throws(() => lab.createRun(withNorm),
    (err) => err.field === 'layers[1].kind' && /not allowed with parameterization "ntk"/.test(err.message));
  const schema = lab.schema();
  assert.deepEqual(schema.parameterizations.map((r) => r.name), ['standard', 'ntk', 'mup']);
  assert.ok(schema.config.keys.includes('parameterization'));
});

test('the coordinate check refuses bad lists before any run', () => {
  assert.throws(() => coordinateCheck(lab, { widths: [] }), /widths: \[\] is not allowed/);
  assert.throws(() => coordinateCheck(lab, { seeds: [-1] }), /seeds: \[-1\] is not allowed/);
  assert.throws(() => coordinateCheck(lab, { steps: 1.5 }), /steps: 1.5 is not allowed/);
});

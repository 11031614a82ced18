// run.gradientLine: the shattered-gradients line through the JS API. Its shape, its
// defaults from the schema's limits, shattering in a deep relu network against a linear
// one, a run left as it was, and errors as InitscopeError with the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertLeavesRunAsItWas, lab, nativeMissing, runNative } from './helpers.mjs';

const deep = (depth, width, activation, extra = {}) => ({
  seed: 1,
  data: { name: 'moons', train: 200, test: 50 },
  layers: [...Array(depth)].map(() => ({ units: width, activation }))
    .concat([{ units: 1, activation: 'sigmoid' }]),
  init: 'he_normal',
  loss: 'bce',
  optimizer: { name: 'sgd', lr: 0.05, batch: 32 },
  ...extra,
});

test('gradientLine: one correlation and K gradients per layer, the line along the first axis', () => {
  const run = lab.createRun(deep(3, 16, 'relu'));
  try {
    const { gradientPoints } = lab.schema().limits;
    const line = run.gradientLine();
    assert.equal(line.axis, 0);
    assert.equal(line.centre.length, 2);
    assert.equal(line.positions.length, gradientPoints.default);
    assert.equal(line.correlation.length, 4);
    assert.equal(line.gradients.length, 4);
    for (const g of line.gradients) assert.equal(g.length, gradientPoints.default);
    for (let i = 1; i < line.positions.length; i++) assert.ok(line.positions[i] > line.positions[i - 1]);
    const again = run.gradientLine({ points: 64, axis: 1, seed: 4 });
    assert.equal(again.axis, 1);
    assert.equal(again.positions.length, 64);
  } finally {
    run.dispose();
  }
});

test('gradientLine: relu with batchnorm shatters, a linear network correlates 1 at every layer', () => {
  const config = deep(0, 128, 'relu');
  const out = config.layers.pop();
  for (let b = 0; b < 12; b++) config.layers.push({ units: 128, activation: 'relu' }, { kind: 'batchnorm' });
  config.layers.push(out);
  const normalized = lab.createRun(config);
  const linear = lab.createRun(deep(6, 32, 'linear'));
  try {
    const c = normalized.gradientLine().correlation;
    assert.ok(c[1] > 0.9, `block 1 ${c[1]}`);
    assert.ok(Math.abs(c[23]) < 0.3, `block 12 ${c[23]}`);
    const flat = linear.gradientLine().correlation;
    for (let l = 0; l < flat.length - 1; l++) assert.equal(flat[l], 1, `linear layer ${l}`);
  } finally {
    normalized.dispose();
    linear.dispose();
  }
});

test('gradientLine leaves the run as it was (with BatchNorm) and repeats itself', () => {
  const config = deep(3, 16, 'relu');
  config.layers.splice(1, 0, { kind: 'batchnorm' });
  assertLeavesRunAsItWas(config, (run) => run.gradientLine({ points: 32 }));
});

test('gradientLine refuses bad options with the field', () => {
  const run = lab.createRun(deep(1, 4, 'relu'));
  try {
    const refuses = (options, field) => assert.throws(() => run.gradientLine(options),
      (err) => err.name === 'InitscopeError' && err.field === field, JSON.stringify(options));
    refuses({ points: 2 }, 'points');
    refuses({ points: 1.5 }, 'points');
    refuses({ axis: 2 }, 'axis');
    refuses({ seed: -1 }, 'seed');
    refuses({ step: 1 }, 'options.step');
    refuses(null, 'options');
    assert.equal(run.step(1).step, 1, 'the run still works');
  } finally {
    run.dispose();
  }
});

// The same line from the natively built engine (build/native_run --gradient-line).

test('gradientLine gives the same bits native and in wasm', { skip: nativeMissing }, () => {
  for (const config of [deep(8, 32, 'relu'), deep(4, 16, 'tanh')]) {
    const native = runNative(config, ['--steps', '20', '--gradient-line']).gradientLine;
    const run = lab.createRun(config);
    try {
      run.step(20);
      assert.deepEqual(run.gradientLine(), native);
    } finally {
      run.dispose();
    }
  }
});

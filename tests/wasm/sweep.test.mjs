// Sweeps (wasm/sweep.mjs): every validation error names its field; the grid expands in
// y-major order with each parameter applied where it belongs; a cell trains what its config
// says (checked against a run made by hand); 1 and 2 worker threads and one thread give
// the same cells; cancel stops the workers; CSV round-trips; the mean-field boundary is
// where χ₁ = 1; a sweep can keep every cell's initial weights; the workers can take the
// engine's bytes (wasmBinary).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { InitscopeError } from '../../wasm/initscope.mjs';
import {
  SWEEP_PARAMS, cellConfig, cellInitialWeights, checkSweep, expandSweep, runCell, runSweep, runSweepHere, runSweepInThread,
  summarizeSweep, sweepMeanField, sweepToCsv, validateSweep,
} from '../../wasm/sweep.mjs';
import { lab } from './helpers.mjs';

const xorBase = {
  seed: 1,
  data: 'xor',
  layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }],
  init: 'glorot_uniform',
  loss: 'mse',
  optimizer: { name: 'sgd', lr: 1, batch: 4 },
};

const tanhBase = (init, extra = {}) => ({
  seed: 2,
  data: { name: 'gaussian', dim: 8, train: 32, test: 0 },
  layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  init,
  optimizer: { name: 'sgd', lr: 0.1, batch: 32 },
  ...extra,
});

const valid = () => ({ base: xorBase, x: { param: 'seed', values: [0, 1, 2] }, steps: 10 });

/** The InitscopeError a call throws: its field, and its message matching `message`. */
function throwsField(fn, field, message) {
  let error;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof InitscopeError, `expected an InitscopeError for ${field}, got ${error}`);
  assert.equal(error.field, field, error.message);
  if (field) assert.ok(error.message.startsWith(`${field}: `), error.message);
  if (message) assert.match(error.message, message);
}

test('validation errors name the field, the value and what is allowed', () => {
  const cases = [
    [[], '', /^the sweep spec must be an object \{ base, x, y, steps, success \}, got an array$/],
    [null, '', /got null$/],
    [{ ...valid(), z: 1 }, 'z', /unknown key; allowed keys here: name, base, x, y, steps, success, checkEvery, stopOnSuccess/],
    [{ ...valid(), base: [1] }, 'base', /expected a config object/],
    [{ base: {}, steps: 1 }, 'x', /missing/],
    [{ ...valid(), x: 'seed' }, 'x', /"seed" is not allowed; expected an object/],
    [{ ...valid(), x: { param: 'speed', values: [1] } }, 'x.param', /"speed" is not allowed; expected one of init\.scale, init\.gain, depth, width, lr, seed, weight, bias, blocks, gate/],
    [{ ...valid(), x: { param: 'lr', values: [1], step: 2 } }, 'x.step', /unknown key/],
    [{ ...valid(), x: { param: 'lr' } }, 'x.values', /missing; give values/],
    [{ ...valid(), x: { param: 'lr', values: [] } }, 'x.values', /expected an array of 1 to 256 values/],
    [{ ...valid(), x: { param: 'lr', values: [0.1, 0.2, 0.1] } }, 'x.values[2]', /0\.1 repeats x\.values\[0\]/],
    [{ ...valid(), x: { param: 'lr', values: [0.1, '0.2'] } }, 'x.values[1]', /"0\.2" is not allowed; expected a number > 0/],
    [{ ...valid(), x: { param: 'depth', values: [2, 2.5] } }, 'x.values[1]', /2\.5 is not allowed; expected an integer from 1 to 64/],
    [{ ...valid(), x: { param: 'seed', values: [-1] } }, 'x.values[0]', /an integer from 0 to 2147483647/],
    [{ ...valid(), x: { param: 'lr', values: [1], from: 1, to: 2, count: 2 } }, 'x.values', /either values or from, to, count/],
    [{ ...valid(), x: { param: 'lr', from: 0, to: 1, count: 3, scale: 'log' } }, 'x.from', /0 is not allowed; expected a number > 0 on a log scale/],
    [{ ...valid(), x: { param: 'lr', from: 0.1, to: 1, count: 3, scale: 'ln' } }, 'x.scale', /"ln" is not allowed; expected "linear" or "log"/],
    [{ ...valid(), x: { param: 'lr', from: 0.1, to: 1, count: 0 } }, 'x.count', /expected an integer from 1 to 256/],
    [{ ...valid(), x: { param: 'lr', from: 0.1, count: 2 } }, 'x.to', /nothing is not allowed; expected a number/],
    [{ ...valid(), x: { param: 'depth', from: 1, to: 100, count: 3 } }, 'x.to', /100 is not allowed; expected an integer from 1 to 64/],
    [{ ...valid(), x: { param: 'width', from: 1.5, to: 8, count: 3 } }, 'x.from', /1\.5 is not allowed; expected an integer from 1 to 1024/],
    [{ ...valid(), x: { param: 'seed', from: 0, to: 3, count: 8 } }, 'x.count', /repeat after rounding to integers \(0, 0, 1, 1, 2, 2, 3, 3\)/],
    [{ ...valid(), x: { param: 'init.scale', values: [1, 0] } }, 'x.values[1]', /0 is not allowed; expected a number > 0/],
    [{ ...valid(), x: { param: 'lr', values: [1], sets: 'scale' } }, 'x.sets', /only init\.scale and init\.gain take sets/],
    [{ ...valid(), x: { param: 'init.gain', values: [1], sets: 'gain' } }, 'x.sets', /init and sets come together/],
    [{ ...valid(), x: { param: 'init.scale', values: [1], sets: 'gain', init: { name: 'orthogonal' } } }, 'x.sets', /"scale" for init\.scale/],
    [{ ...valid(), base: { data: 'xor' }, x: { param: 'depth', values: [1] } }, 'x.param', /needs a base config with layers/],
    [{ ...valid(), x: { param: 'weight', index: 0, values: [1] } }, 'x.layer', /nothing is not allowed; expected an integer from 0 to 64/],
    [{ ...valid(), x: { param: 'weight', layer: 0, index: -1, values: [1] } }, 'x.index', /-1 is not allowed/],
    [{ ...valid(), x: { param: 'lr', layer: 0, values: [1] } }, 'x.layer', /only the weight and bias parameters take layer/],
    [{ ...valid(), x: { param: 'weight', layer: 0, index: 0, values: [2e6] } }, 'x.values[0]', /a number from -1000000 to 1000000/],
    [{ ...valid(), y: { param: 'seed', values: [4] } }, 'y.param', /"seed" is already the x axis/],
    [{ ...valid(), base: { ...xorBase, init: 'xavier_normal_' }, x: { param: 'init.gain', values: [1] }, y: { param: 'init.scale', values: [1] } },
      'y.param', /sweep one of them/],
    [{ ...valid(), y: { param: 'lr', values: [0.1, 0] } }, 'y.values[1]', /0 is not allowed; expected a number > 0/],
    [{ ...valid(), steps: undefined }, 'steps', /nothing is not allowed; expected an integer from 0 to 1000000/],
    [{ ...valid(), steps: 1.5 }, 'steps', /1\.5 is not allowed/],
    [{ ...valid(), success: 'accuracy' }, 'success', /expected \{ metric/],
    [{ ...valid(), success: { metric: 'accuracy', atLeast: 1 } }, 'success.metric', /one of trainAccuracy, testAccuracy/],
    [{ ...valid(), success: { metric: 'trainAccuracy', atLeast: 95 } }, 'success.atLeast', /a number from 0 to 1/],
    [{ ...valid(), success: { lossBelow: 0 } }, 'success.lossBelow', /a number > 0/],
    [{ ...valid(), success: { lossBelow: 0.1, metric: 'trainAccuracy' } }, 'success.metric', /unknown key/],
    [{ ...valid(), checkEvery: 20 }, 'checkEvery', /20 is not allowed; expected an integer from 1 to 10/],
    [{ ...valid(), stopOnSuccess: true }, 'stopOnSuccess', /needs checkEvery/],
    [{ ...valid(), stopOnSuccess: 'yes', checkEvery: 1 }, 'stopOnSuccess', /expected true or false/],
    [{ ...valid(), x: { param: 'lr', from: 0.1, to: 1, count: 200 }, y: { param: 'seed', from: 0, to: 99, count: 100 } }, 'y.values', /20000 cells; a sweep may have at most 10000/],
  ];
  for (const [spec, field, message] of cases) throwsField(() => validateSweep(spec), field, message);
  throwsField(() => validateSweep('{"x": '), '', /not valid JSON/);
});

test('the engine checks what it owns: the base config, each axis value, a weight\'s layer and index', () => {
  throwsField(() => checkSweep(lab, { ...valid(), base: { ...xorBase, layers: [{ units: 0 }, { units: 1, activation: 'sigmoid' }] } }),
    'base.layers[0].units', /^base\.layers\[0\]\.units: 0 is not allowed; expected an integer from 1 to 1024$/);
  throwsField(() => checkSweep(lab, { ...valid(), x: { param: 'lr', values: [0.1, 2e6] } }),
    'x.values[1]', /^x\.values\[1\]: optimizer\.lr: 2000000 is not allowed; expected a number > 0 and <= 1000000$/);
  throwsField(() => checkSweep(lab, { ...valid(), y: { param: 'lr', values: [1, 2e6] } }),
    'y.values[1]', /^y\.values\[1\]: optimizer\.lr: 2000000 is not allowed/);
  const tooBig = { data: { name: 'digits' }, layers: [{ units: 8, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'cross_entropy', optimizer: { name: 'adam', batch: 4096 } };
  throwsField(() => checkSweep(lab, { base: tooBig, x: { param: 'depth', values: [1, 64] }, y: { param: 'width', values: [1024] }, steps: 1 }),
    'x.values[1]', /^x\.values\[1\]: layers: this network needs about \d+ MiB, more than the 1536 MiB a run may use/);
  throwsField(() => checkSweep(lab, { ...valid(), x: { param: 'weight', layer: 2, index: 0, values: [1] } }),
    'x.layer', /2 is not allowed; expected an integer from 0 to 1 \(the network has 2 layers\)/);
  throwsField(() => checkSweep(lab, { ...valid(), x: { param: 'weight', layer: 0, index: 4, values: [1] } }),
    'x.index', /4 is not allowed; expected an integer from 0 to 3 \(layer 0's W is 2 x 2, row-major \(fan_in, fan_out\): index = i \* 2 \+ j\)/);
  throwsField(() => checkSweep(lab, { ...valid(), y: { param: 'bias', layer: 1, index: 1, values: [1] } }),
    'y.index', /1 is not allowed; expected an integer from 0 to 0 \(layer 1 has 1 biases\)/);
  assert.equal(checkSweep(lab, valid()).x.values.length, 3);
});

test('init scale and gain refuse an initializer they do not apply to, in words that name it', () => {
  const on = (init, param) => ({ ...valid(), base: { ...xorBase, init }, x: { param, values: [0.5, 2] } });
  throwsField(() => checkSweep(lab, on('orthogonal', 'init.scale')), 'x.param',
    /^x\.param: "init scale" multiplies the variance of the starting weights, so it needs an initializer whose variance follows the layer's size \(variance_scaling, glorot_uniform, .*he_normal.*kaiming_normal_.*\)\. The base init orthogonal is not one; sweep "init gain" instead, which multiplies its gain$/);
  for (const init of ['zeros', { name: 'constant', value: 0.1 }, 'random_normal', 'lsuv']) {
    const name = init.name ?? init;
    throwsField(() => checkSweep(lab, on(init, 'init.scale')), 'x.param', new RegExp(`The base init ${name} is not one; choose one of those under Initialization$`));
    throwsField(() => checkSweep(lab, on(init, 'init.gain')), 'x.param', new RegExp(`or one with a gain \\(orthogonal, identity, orthogonal_\\)\\. The base init ${name} is not one`));
  }
  // Without the engine, an init axis cannot be expanded: it does not know what to multiply.
  throwsField(() => expandSweep(on('he_normal', 'init.scale')), 'x.param', /checkSweep\(lab, spec\)/);
});

test('init scale turns any variance scaling into its variance_scaling spelling: the same weights at 1', async () => {
  const rows = lab.schema().initializers.filter((r) => r.varianceScaling && r.maxRank >= 2);
  assert.ok(rows.length >= 13, rows.map((r) => r.name).join());
  const inits = [...rows.map((r) => r.name), { name: 'kaiming_normal_', nonlinearity: 'tanh', mode: 'fan_out' },
    { name: 'xavier_uniform_', gain: 5 / 3 }, { name: 'variance_scaling', scale: 3, distribution: 'uniform' }, undefined];
  const bits = (run) => run.weights().map((l) => Buffer.from(l.W.buffer, l.W.byteOffset, l.W.byteLength).toString('hex'));
  for (const init of inits) {
    const base = tanhBase(init);
    if (init === undefined) delete base.init;  // the default config's init
    const name = JSON.stringify(init ?? 'default');
    const spec = checkSweep(lab, { base, x: { param: 'init.scale', values: [1, 0.25] }, steps: 0 });
    assert.equal(spec.x.sets, 'scale', name);
    assert.equal(spec.x.init.name, 'variance_scaling', name);
    assert.deepEqual(spec.x.init, lab.varianceScaling(init ?? lab.schema().config.default.init), name);
    const [one, quarter] = expandSweep(spec);
    assert.deepEqual(quarter.config.init, { ...spec.x.init, scale: spec.x.init.scale * 0.25 }, name);
    const named = lab.createRun(base);
    const spelled = lab.createRun(one.config);
    try {
      assert.deepEqual(bits(spelled), bits(named), `${name}: the variance_scaling spelling at scale × 1 draws other weights`);
    } finally {
      named.dispose();
      spelled.dispose();
    }
    // init gain g is init scale g².
    const gain = expandSweep(checkSweep(lab, { base, x: { param: 'init.gain', values: [3] }, steps: 0 }))[0];
    assert.equal(gain.config.init.scale, spec.x.init.scale * 9, name);
  }
  // An initializer with a gain: init gain multiplies it.
  const ortho = expandSweep(checkSweep(lab, { base: tanhBase({ name: 'orthogonal', gain: 1.5 }), x: { param: 'init.gain', values: [2] }, steps: 0 }))[0];
  assert.deepEqual(ortho.config.init, { name: 'orthogonal', gain: 3 });
  // runSweep makes its cells from the spec its worker checked.
  const result = await runSweep({ base: tanhBase('he_uniform'), x: { param: 'init.scale', values: [0.5, 2] }, steps: 1 }, { workers: 1 });
  assert.equal(result.spec.x.init.scale, 2);
  assert.equal(result.cells.length, 2);
});

test('ranges expand with exact ends, integer parameters round, cells are y-major', () => {
  const log = validateSweep({ ...valid(), x: { param: 'lr', from: 0.001, to: 1, count: 4, scale: 'log' } });
  assert.deepEqual(log.x.values.map((v) => Number(v.toPrecision(12))), [0.001, 0.01, 0.1, 1]);
  assert.equal(log.x.values[3], 1);
  const lin = validateSweep({ ...valid(), x: { param: 'lr', from: 0.5, to: 2, count: 4 } });
  assert.deepEqual(lin.x.values, [0.5, 1, 1.5, 2]);
  assert.deepEqual(validateSweep({ ...valid(), x: { param: 'depth', from: 1, to: 32, count: 6, scale: 'log' } }).x.values, [1, 2, 4, 8, 16, 32]);
  assert.deepEqual(validateSweep({ ...valid(), x: { param: 'lr', from: 3, to: 9, count: 1 } }).x.values, [3]);
  const spec = validateSweep({ ...valid(), y: { param: 'lr', values: [0.5, 2] } });
  assert.deepEqual(validateSweep(spec), spec, 'validation is idempotent');
  const cells = expandSweep(spec);
  assert.deepEqual(cells.map((c) => [c.i, c.xi, c.yi, c.x, c.y]),
    [[0, 0, 0, 0, 0.5], [1, 1, 0, 1, 0.5], [2, 2, 0, 2, 0.5], [3, 0, 1, 0, 2], [4, 1, 1, 1, 2], [5, 2, 1, 2, 2]]);
  assert.equal(cells[4].config.seed, 1);
  assert.deepEqual(cells[4].config.optimizer, { name: 'sgd', lr: 2, batch: 4 });
  assert.equal(cells[4].steps, 10);
  assert.deepEqual(cells[4].success, { metric: 'trainAccuracy', atLeast: 0.95 });
  assert.deepEqual(expandSweep(valid()).map((c) => c.y), [null, null, null]);
  assert.equal(SWEEP_PARAMS.length, 10);
});

test('each parameter lands where it belongs in the config', () => {
  const base = tanhBase({ name: 'random_normal', stddev: 0.3 });
  const spec = (x, y, b = base) => validateSweep({ base: b, x, y, steps: 1 });
  // depth copies the last hidden layer and keeps the output; width then reaches the copies.
  let { config } = cellConfig(spec({ param: 'depth', values: [4] }, { param: 'width', values: [5] }), 4, 5);
  assert.deepEqual(config.layers, [...Array(4)].map(() => ({ units: 5, activation: 'tanh' })).concat({ units: 1, activation: 'sigmoid' }));
  ({ config } = cellConfig(spec({ param: 'width', values: [5] }, { param: 'depth', values: [1] }), 5, 1));
  assert.deepEqual(config.layers, [{ units: 5, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }]);
  // lr, with the optimizer given as a name too; seed.
  ({ config } = cellConfig(spec({ param: 'lr', values: [0.3] }, null, { ...base, optimizer: 'adam' }), 0.3, null));
  assert.deepEqual(config.optimizer, { name: 'adam', lr: 0.3 });
  ({ config } = cellConfig(spec({ param: 'seed', values: [9] }), 9, null));
  assert.equal(config.seed, 9);
  // init.scale: the base init's variance_scaling spelling with scale × value.
  const checked = checkSweep(lab, { base: { ...base, init: 'lecun_uniform' }, x: { param: 'init.scale', values: [0.7] }, steps: 1 });
  ({ config } = cellConfig(checked, 0.7, null));
  assert.deepEqual(config.init, { name: 'variance_scaling', scale: 0.7, mode: 'fan_in', distribution: 'uniform' });
  assert.equal(base.init.stddev, 0.3, 'the base config is not changed');
});

test('blocks sets the number of residual blocks and gate their alpha, the rest kept', () => {
  const block = { kind: 'residual', activation: 'relu' };
  const base = { data: 'circles', layers: [{ units: 8, activation: 'relu' }, block, { ...block, branch: 1 }, { units: 4, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], residualInit: 'zero-last' };
  const spec = (x, y) => validateSweep({ base, x, y, steps: 1 });
  // More blocks: copies of the last one after it; gate then reaches the copies.
  let { config } = cellConfig(spec({ param: 'blocks', values: [4] }, { param: 'gate', values: [0.25] }), 4, 0.25);
  const gated = { ...block, alpha: 0.25 };
  assert.deepEqual(config.layers, [base.layers[0], gated, { ...gated, branch: 1 }, { ...gated, branch: 1 }, { ...gated, branch: 1 }, base.layers[3], base.layers[4]]);
  assert.equal(config.residualInit, 'zero-last');
  // Fewer: the first ones kept.
  ({ config } = cellConfig(spec({ param: 'gate', values: [0.5] }, { param: 'blocks', values: [1] }), 0.5, 1));
  assert.deepEqual(config.layers, [base.layers[0], { ...block, alpha: 0.5 }, base.layers[3], base.layers[4]]);
  // Each cell is a config the engine runs.
  const run = lab.createRun(cellConfig(spec({ param: 'blocks', values: [6] }), 6, null).config);
  assert.equal(run.config.layers.filter((l) => l.kind === 'residual').length, 6);
  run.dispose();
  throwsField(() => validateSweep({ ...valid(), x: { param: 'blocks', values: [2] } }), 'x.param', /needs a base config with at least one residual block/);
  throwsField(() => validateSweep({ base, x: { param: 'blocks', values: [0] }, steps: 1 }), 'x.values[0]', /0 is not allowed; expected an integer from 1 to 64/);
  throwsField(() => validateSweep({ base, x: { param: 'gate', values: [-1] }, steps: 1 }), 'x.values[0]', /-1 is not allowed; expected a number >= 0/);
});

test('a cell trains what its config says: the same numbers as a run made by hand', () => {
  const spec = validateSweep({ base: xorBase, x: { param: 'weight', layer: 0, index: 1, values: [-2.5, 3] }, y: { param: 'bias', layer: 1, index: 0, values: [0.25] }, steps: 300 });
  const [cell] = expandSweep(spec);
  assert.deepEqual(cell.set, [{ axis: 'x', kind: 'W', layer: 0, index: 1, value: -2.5 }, { axis: 'y', kind: 'b', layer: 1, index: 0, value: 0.25 }]);
  const got = runCell(lab, cell);
  const run = lab.createRun(xorBase);
  const w = run.weights();
  w[0].W[1] = -2.5;
  w[1].b[0] = 0.25;
  run.setWeights(w);
  const r = run.step(300);
  const e = run.evaluate();
  // Measured from the weights set by hand: setWeights makes them the start.
  const { weightChange } = run.snapshot();
  run.dispose();
  assert.ok(weightChange > 0);
  assert.deepEqual(got, {
    i: 0, xi: 0, yi: 0, x: -2.5, y: 0.25, steps: 300, loss: e.trainLoss, trainAccuracy: e.trainAccuracy,
    testAccuracy: e.testAccuracy, weightChange, success: e.trainAccuracy >= 0.95, stepsToSuccess: null, diverged: null,
  });
  assert.equal(r.step, 300);
});

test('success, steps to success, stopping early, and divergence', () => {
  const base = { ...xorBase, seed: 0 };
  const full = runCell(lab, expandSweep({ base, x: { param: 'seed', values: [0] }, steps: 3000, success: { lossBelow: 0.05 }, checkEvery: 100 })[0]);
  assert.equal(full.steps, 3000);
  assert.equal(full.success, true);
  assert.ok(full.stepsToSuccess > 0 && full.stepsToSuccess < 3000 && full.stepsToSuccess % 100 === 0, `stepsToSuccess ${full.stepsToSuccess}`);
  // The step before: the loss was not yet below the threshold.
  const before = lab.createRun(base);
  before.step(full.stepsToSuccess - 100);
  assert.ok(before.evaluate().trainLoss >= 0.05);
  before.step(100);
  assert.ok(before.evaluate().trainLoss < 0.05);
  before.dispose();
  const stopped = runCell(lab, expandSweep({ base, x: { param: 'seed', values: [0] }, steps: 3000, success: { lossBelow: 0.05 }, checkEvery: 100, stopOnSuccess: true })[0]);
  assert.equal(stopped.steps, full.stepsToSuccess);
  assert.equal(stopped.stepsToSuccess, full.stepsToSuccess);
  assert.equal(stopped.success, true);
  const never = runCell(lab, expandSweep({ base, x: { param: 'seed', values: [0] }, steps: 200, success: { metric: 'testAccuracy', atLeast: 1 }, checkEvery: 50 })[0]);
  assert.equal(never.stepsToSuccess, null);
  assert.equal(never.success, never.testAccuracy >= 1);
  const diverging = {
    data: { name: 'gaussian', dim: 4, train: 16, test: 0 },
    layers: [{ units: 4, activation: 'linear' }, { units: 1, activation: 'linear' }],
    loss: 'mse',
    optimizer: { name: 'sgd', lr: 1, batch: 16 },
  };
  const blown = runCell(lab, expandSweep({ base: diverging, x: { param: 'lr', values: [1000] }, steps: 500, success: { lossBelow: 10 } })[0]);
  assert.ok(blown.diverged && blown.diverged.step < 500, JSON.stringify(blown.diverged));
  assert.equal(blown.steps, blown.diverged.step);
  assert.equal(blown.loss, null);
  assert.equal(blown.success, false);
});

const xorSweep = {
  base: xorBase,
  x: { param: 'seed', from: 0, to: 9, count: 10 },
  y: { param: 'lr', values: [0.5, 2] },
  steps: 1500,
  success: { metric: 'trainAccuracy', atLeast: 1 },
};

test('one thread, one worker and two workers give the same cells', async () => {
  const here = runSweepHere(lab, xorSweep);
  const progress = [];
  const one = await runSweep(xorSweep, { workers: 1 });
  const two = await runSweep(xorSweep, { workers: 2, onProgress: (p) => progress.push(p) });
  assert.equal(two.cells.length, 20);
  assert.deepEqual(one.cells, here.cells);
  assert.deepEqual(two.cells, here.cells);
  assert.deepEqual(two.spec, here.spec);
  assert.deepEqual(two.meanField, { applies: false, reason: 'neither axis is init.scale or init.gain' });
  assert.deepEqual(progress.map((p) => p.done), [...Array(20)].map((_, i) => i + 1));
  assert.ok(progress.every((p) => p.total === 20));
  assert.deepEqual(progress.map((p) => p.cell.i).sort((a, b) => a - b), [...Array(20).keys()]);
  // Some seeds solve XOR and some do not: the cells are not all alike.
  const ok = here.cells.filter((c) => c.success).length;
  assert.ok(ok > 0 && ok < 20, `${ok} of 20 succeeded`);
  const summary = summarizeSweep(here);
  assert.equal(summary.successes, ok);
  assert.equal(summary.byX.length, 10);
  assert.equal(summary.byX.reduce((n, b) => n + b.successes, 0), ok);
});

test('cancel: an aborted signal stops the workers and rejects with an AbortError', async () => {
  const controller = new AbortController();
  let seen = 0;
  const slow = { ...xorSweep, steps: 20000 };
  const started = Date.now();
  await assert.rejects(
    runSweep(slow, { workers: 2, signal: controller.signal, onProgress: () => { seen += 1; controller.abort(); } }),
    (err) => err.name === 'AbortError');
  assert.ok(seen >= 1 && seen <= 2, `progress after the abort: ${seen}`);
  assert.ok(Date.now() - started < 15000);
  await assert.rejects(runSweep(xorSweep, { signal: AbortSignal.abort() }), (err) => err.name === 'AbortError');
  // One thread: stops between cells.
  const inline = new AbortController();
  let done = 0;
  assert.throws(() => runSweepHere(lab, xorSweep, { signal: inline.signal, onProgress: (p) => { done = p.done; if (p.done === 3) inline.abort(); } }),
    (err) => err.name === 'AbortError');
  assert.equal(done, 3);
});

test('runSweepInThread: the cells of runSweepHere, in slices that let the event loop run, and a cancel within a slice', async () => {
  // Success checks every 100 steps and stopping at success: the slices must not move them.
  const checked = { ...xorSweep, checkEvery: 100, stopOnSuccess: true, success: { lossBelow: 0.05 } };
  for (const spec of [xorSweep, checked]) {
    let ticks = 0;
    const timer = setInterval(() => { ticks += 1; }, 5);
    const progress = [];
    const sliced = await runSweepInThread(lab, spec, { sliceMs: 10, onProgress: (p) => progress.push(p.done) });
    clearInterval(timer);
    assert.deepEqual(sliced, runSweepHere(lab, spec));
    assert.deepEqual(progress, [...Array(20)].map((_, i) => i + 1));
    assert.ok(ticks > 2, `the event loop ran ${ticks} times during the sweep`);
  }
  // One cell of 10^6 steps: the abort arrives from a timer while it trains.
  const controller = new AbortController();
  const long = { base: xorBase, x: { param: 'seed', values: [0, 1] }, steps: 1000000 };
  const heapBefore = lab.heapInUse();
  let abortedAt = null;
  setTimeout(() => { abortedAt = Date.now(); controller.abort(); }, 200);
  await assert.rejects(runSweepInThread(lab, long, { signal: controller.signal }), (err) => err.name === 'AbortError');
  assert.ok(Date.now() - abortedAt < 5000, `stopped ${Date.now() - abortedAt} ms after the abort`);
  assert.equal(lab.heapInUse(), heapBefore, 'the cancelled cell\'s run was disposed of');
  await assert.rejects(runSweepInThread(lab, xorSweep, { signal: AbortSignal.abort() }), (err) => err.name === 'AbortError');
});

test('runSweep rejects an invalid spec with the field, also when the engine finds it in a worker', async () => {
  await assert.rejects(runSweep({ ...xorSweep, steps: -1 }), (err) => err instanceof InitscopeError && err.field === 'steps');
  await assert.rejects(runSweep({ ...xorSweep, x: { param: 'lr', values: [1, 2e6] }, y: null }, { workers: 1 }),
    (err) => err instanceof InitscopeError && err.field === 'x.values[1]' && /optimizer\.lr: 2000000 is not allowed/.test(err.message));
  await assert.rejects(runSweep(xorSweep, { workers: 0 }), (err) => err instanceof InitscopeError && err.field === 'workers');
});

test('keepInitialWeights: each cell carries the weights it started from, the seed\'s draw with the swept values set', async () => {
  const spec = {
    base: xorBase,
    x: { param: 'weight', layer: 0, index: 1, values: [-2, 0.3] },
    y: { param: 'bias', layer: 1, index: 0, values: [0.5, -1.25] },
    steps: 300,
    keepInitialWeights: true,
  };
  const here = runSweepHere(lab, spec);
  const drawn = lab.createRun(xorBase);
  const seedWeights = drawn.weights();
  drawn.dispose();
  for (const [k, cell] of expandSweep(spec).entries()) {
    const r = here.cells[k];
    const w = r.initialWeights;
    assert.deepEqual(w.map((l) => l.shape), seedWeights.map((l) => l.shape));
    assert.ok(w.every((l) => Array.isArray(l.W) && Array.isArray(l.b)), 'plain arrays: JSON as it is');
    assert.equal(w[0].W[1], Math.fround(r.x));
    assert.equal(w[1].b[0], Math.fround(r.y));
    // Everything else is the seed's draw.
    assert.deepEqual(w[0].W.filter((_, i) => i !== 1), Array.from(seedWeights[0].W).filter((_, i) => i !== 1));
    assert.deepEqual(w[1].W, Array.from(seedWeights[1].W));
    assert.deepEqual(w[0].b, Array.from(seedWeights[0].b));
    // The same without running the sweep; and they are where the cell's training started.
    assert.deepEqual(cellInitialWeights(lab, cell), w);
    const run = lab.createRun(cell.config);
    run.setWeights(w);
    run.step(spec.steps);
    assert.equal(run.evaluate().trainLoss, r.loss);
    run.dispose();
  }
  assert.deepEqual(JSON.parse(JSON.stringify(here.cells)), here.cells);
  // Workers give the same cells, initial weights included; without the flag there are none.
  assert.deepEqual((await runSweep(spec, { workers: 2 })).cells, here.cells);
  assert.ok(runSweepHere(lab, { ...spec, keepInitialWeights: false }).cells.every((c) => !('initialWeights' in c)));
  throwsField(() => validateSweep({ ...spec, keepInitialWeights: 'yes' }), 'keepInitialWeights', /"yes" is not allowed; expected true or false/);
});

test('wasmBinary: every worker loads the engine from the bytes given, nothing else', async () => {
  const bytes = await readFile(new URL('../../wasm/dist/initscope.wasm', import.meta.url));
  const here = runSweepHere(lab, xorSweep);
  // A wasmUrl that leads nowhere is not used when the bytes are given.
  const nowhere = new URL('file:///nonexistent/initscope.wasm');
  assert.deepEqual((await runSweep(xorSweep, { workers: 2, wasmBinary: bytes, wasmUrl: nowhere })).cells, here.cells);
  assert.deepEqual((await runSweep(xorSweep, { workers: 1, wasmBinary: new Uint8Array(bytes).buffer })).cells, here.cells);
  // Bytes that are not the engine: the workers say so.
  await assert.rejects(runSweep(xorSweep, { workers: 1, wasmBinary: new Uint8Array([0, 97, 115, 109]) }), /^Error: sweep worker: /);
  await assert.rejects(runSweep(xorSweep, { wasmBinary: 'initscope.wasm' }),
    (err) => err instanceof InitscopeError && err.field === 'wasmBinary');
});

test('CSV: a header row and one row per cell that reads back to the cells', () => {
  const result = runSweepHere(lab, { ...xorSweep, x: { param: 'weight', layer: 0, index: 0, values: [-1, 1] }, steps: 200, checkEvery: 100 });
  const diverged = { ...result.cells[0], loss: null, weightChange: null, success: false, diverged: { step: 3, layer: 1, quantity: 'activation' } };
  const csv = sweepToCsv({ spec: result.spec, cells: [...result.cells, diverged] });
  assert.ok(csv.endsWith('\r\n'));
  const rows = csv.trimEnd().split('\r\n').map((r) => r.split(','));
  assert.deepEqual(rows[0], ['i', 'xi', 'yi', 'weight[0][0]', 'lr', 'steps', 'loss', 'trainAccuracy', 'testAccuracy', 'weightChange', 'success', 'stepsToSuccess', 'diverged']);
  assert.equal(rows.length, 1 + result.cells.length + 1);
  result.cells.forEach((c, k) => {
    const r = rows[k + 1];
    assert.deepEqual([+r[0], +r[1], +r[2], +r[3], +r[4], +r[5]], [c.i, c.xi, c.yi, c.x, c.y, c.steps]);
    assert.equal(+r[6], c.loss);
    assert.equal(+r[7], c.trainAccuracy);
    assert.equal(+r[9], c.weightChange);
    assert.equal(r[10], String(c.success));
    assert.equal(r[11], c.stepsToSuccess === null ? '' : String(c.stepsToSuccess));
    assert.equal(r[12], '');
  });
  assert.deepEqual(rows.at(-1).slice(6), ['', String(diverged.trainAccuracy), String(diverged.testAccuracy), '', 'false', rows.at(-1)[11], 'step 3 layer 1 activation']);
  const quoted = sweepToCsv({ spec: { ...result.spec, x: { param: 'lr', values: [] }, y: null }, cells: [{ ...result.cells[0], x: 'a,"b"' }] });
  assert.match(quoted, /^0,0,0,"a,""b""",/m);
});

test('lab.meanField and lab.orderChaosBoundary: the engine\'s numbers and errors', () => {
  assert.equal(lab.orderChaosBoundary('tanh').sigmaW2.toFixed(9), '1.000000000');
  assert.equal(lab.orderChaosBoundary('relu').sigmaW2.toFixed(9), '2.000000000');
  assert.equal(lab.orderChaosBoundary({ name: 'leaky_relu', alpha: 0.5 }, 0.1).sigmaW2.toFixed(9), (2 / 1.25).toFixed(9));
  const b = lab.orderChaosBoundary('tanh', 0.05);
  assert.ok(b.sigmaW2 > 1.7 && b.sigmaW2 < 1.8, `tanh σ_b² 0.05: ${b.sigmaW2}`);
  assert.ok(Math.abs(lab.meanField('tanh', b.sigmaW2, 0.05).chi1 - 1) < 1e-6);
  const ordered = lab.meanField('tanh', 0.8, 0.05);
  assert.equal(ordered.phase, 'ordered');
  assert.equal(ordered.cStar, 1);
  assert.ok(Math.abs(ordered.depthScale + 1 / Math.log(ordered.chi1)) < 1e-12);
  const chaotic = lab.meanField('tanh', 2.5, 0.05);
  assert.equal(chaotic.phase, 'chaotic');
  assert.ok(chaotic.cStar > 0 && chaotic.cStar < 1 && chaotic.chiC < 1 && chaotic.chi1 > 1);
  assert.deepEqual(lab.meanField('relu', 3), {
    activation: 'relu', sigmaW2: 3, sigmaB2: 0, qStar: null, chi1: 1.5, phase: 'unbounded', cStar: null, chiC: null,
    depthScale: null, gradientDepthScale: 1 / Math.log(1.5),
  });
  throwsField(() => lab.meanField('softmax', 1), 'activation', /output activation/);
  throwsField(() => lab.meanField('tanhh', 1), 'activation', /"tanhh" is not allowed; expected one of/);
  throwsField(() => lab.meanField(7, 1), 'activation', /7 is not allowed; expected an activation name/);
  throwsField(() => lab.meanField('tanh', 0), 'sigmaW2', /^sigmaW2: 0 is not allowed; expected a number > 0 and <= 10000$/);
  throwsField(() => lab.meanField('tanh', '2'), 'sigmaW2', /"2" is not allowed/);
  throwsField(() => lab.meanField('tanh', 1, -0.5), 'sigmaB2', /^sigmaB2: -0.5 is not allowed; expected a number from 0 to 10000$/);
  throwsField(() => lab.orderChaosBoundary('tanh', NaN), 'sigmaB2', /NaN is not allowed/);
});

test('the sweep carries the order/chaos boundary where an axis is an init scale or gain', async () => {
  // scaled_normal: σ²_w = v, so the tanh boundary without bias is v = 1 at every depth.
  const depthSpec = { base: tanhBase({ name: 'scaled_normal', v: 1 }), x: { param: 'init.scale', values: [0.5, 1, 2, 4] }, y: { param: 'depth', values: [1, 3] }, steps: 0 };
  const mf = sweepMeanField(lab, depthSpec);
  assert.equal(mf.applies, true);
  assert.equal(mf.axis, 'x');
  assert.equal(mf.activation, 'tanh');
  assert.equal(mf.sigmaB2, 0);
  assert.deepEqual(mf.boundary.map((b) => b.other), [1, 3]);
  for (const b of mf.boundary) assert.ok(Math.abs(b.value - 1) < 1e-8, `boundary ${b.value}`);
  assert.equal(mf.points.length, 8);
  for (const p of mf.points) {
    assert.ok(Math.abs(p.sigmaW2 - p.value) < 1e-12);
    assert.deepEqual(p.chi1, lab.meanField('tanh', p.sigmaW2, 0).chi1);
    assert.equal(p.phase, p.value < 1 ? 'ordered' : p.value > 1 ? 'chaotic' : 'critical');
  }
  // Glorot on a square hidden layer: σ²_w = gain², whatever the width; init gain g is
  // σ²_w = g², so the boundary (with σ²_b = 0.05) is g = √(σ²_w at χ₁ = 1) at every width.
  const widthSpec = {
    base: tanhBase('glorot_normal', { biasInit: { name: 'random_normal', stddev: Math.sqrt(0.05) } }),
    x: { param: 'width', values: [4, 16] }, y: { param: 'init.gain', values: [0.5, 1, 2] }, steps: 0,
  };
  const wf = sweepMeanField(lab, widthSpec);
  assert.equal(wf.axis, 'y');
  assert.ok(Math.abs(wf.sigmaB2 - 0.05) < 1e-15);
  const w2c = lab.orderChaosBoundary('tanh', wf.sigmaB2).sigmaW2;
  assert.deepEqual(wf.boundary.map((b) => b.other), [4, 16]);
  wf.boundary.forEach((b) => assert.ok(Math.abs(b.value - Math.sqrt(w2c)) < 1e-9, `width ${b.other}: ${b.value}`));
  // Where the picture does not hold, the sweep says why.
  assert.deepEqual(sweepMeanField(lab, valid()), { applies: false, reason: 'neither axis is init.scale or init.gain' });
  const mixed = { ...depthSpec, base: { ...depthSpec.base, layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] } };
  assert.match(sweepMeanField(lab, mixed).reason, /mix activations \(tanh, relu\)/);
  const uniformBias = { ...depthSpec, base: { ...depthSpec.base, biasInit: { name: 'random_uniform' } } };
  assert.match(sweepMeanField(lab, uniformBias).reason, /bias initializer/);
  // A bias initializer's parameters not given take the engine's defaults (its schema row).
  const stddev = lab.initializers.find((r) => r.name === 'random_normal').params.find((p) => p.name === 'stddev').default;
  const defaultBias = { ...depthSpec, base: { ...depthSpec.base, biasInit: 'random_normal' } };
  assert.equal(sweepMeanField(lab, defaultBias).sigmaB2, stddev ** 2);
  const offCentre = { ...depthSpec, base: { ...depthSpec.base, biasInit: { name: 'normal_', mean: 0.1 } } };
  assert.match(sweepMeanField(lab, offCentre).reason, /bias initializer/);
  // And runSweep hands it over with the cells.
  const result = await runSweep({ ...depthSpec, y: null }, { workers: 2 });
  assert.deepEqual(result.meanField, sweepMeanField(lab, { ...depthSpec, y: null }));
});

test('lab.varianceScaling gives the spelling, null for other initializers, and names a bad one', () => {
  assert.deepEqual(lab.varianceScaling('glorot_normal'), { name: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' });
  assert.deepEqual(lab.varianceScaling({ name: 'xavier_normal_', gain: 2 }), { name: 'variance_scaling', scale: 4, mode: 'fan_avg', distribution: 'untruncated_normal' });
  assert.equal(lab.varianceScaling('identity'), null);
  throwsField(() => lab.varianceScaling('he'), 'init', /^init: unknown initializer "he"; allowed: zeros, /);
  throwsField(() => lab.varianceScaling({ name: 'kaiming_normal_', mode: 'fan_avg' }), 'init.mode', /"fan_avg" is not allowed/);
  throwsField(() => lab.varianceScaling(7), 'init', /^init: 7 is not allowed; expected an initializer name or \{ name, \.\.\.params \}$/);
  throwsField(() => lab.varianceScaling({ name: 'he_normal', x: NaN }), 'init.x', /NaN/);
});

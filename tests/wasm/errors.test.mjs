// Every error path of the JS API: each throws an InitscopeError whose field and message
// name the problem, and afterwards the module still works (a valid run is created and
// stepped): errors are values in the engine, never an abort.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { InitscopeError } from '../../wasm/initscope.mjs';
import { assertStillWorks, circles, digits, lab } from './helpers.mjs';

// Asserts that fn throws an InitscopeError with this field and a message matching each
// pattern, then that the module still works.
function expectError(fn, field, ...patterns) {
  let error;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  assert.ok(error, 'expected an error');
  assert.ok(error instanceof InitscopeError, `not an InitscopeError: ${error?.stack ?? error}`);
  assert.equal(error.name, 'InitscopeError');
  assert.equal(error.field, field, `field of: ${error.message}`);
  for (const pattern of patterns) assert.match(error.message, pattern);
  if (field) assert.ok(error.message.startsWith(`${field}: `), `the message names the field: ${error.message}`);
  assertStillWorks(assert);
}

const create = (config) => () => lab.createRun(config);
const hidden = (units, activation = 'relu') => ({ units, activation });
const withLayers = (...layers) => circles({ layers });

// ---- the config as a whole ----

test('text that is not JSON', () => {
  expectError(create('{"seed": '), '', /not valid JSON/);
  expectError(create(''), '', /not valid JSON/);
});

test('a config that is not an object', () => {
  expectError(create(42), '', /must be an object/, /got number/);
  expectError(create([]), '', /must be an object/, /an array/);
  expectError(create(null), '', /must be an object/, /null/);
  expectError(create('"circles"'), '', /must be a JSON object/, /"circles"/);
  expectError(create('[1, 2]'), '', /must be a JSON object/);
});

test('an unknown top-level key names it and lists the allowed keys', () => {
  expectError(create({ seeds: 1 }), 'seeds', /unknown key/, /seed, data, layers, init, biasInit, loss, optimizer, stats/);
  expectError(create({ ...circles(), learningRate: 0.1 }), 'learningRate', /unknown key/);
});

test('an unknown key inside a layer, the data or an initializer', () => {
  expectError(create(withLayers({ units: 4, actvation: 'relu' }, hidden(1, 'sigmoid'))),
    'layers[0].actvation', /unknown key/);
  expectError(create({ data: { name: 'circles', size: 10 } }), 'data.size', /size/);
  expectError(create({ init: { name: 'he_normal', gain: 2 } }), 'init.gain', /gain/);
});

// ---- unknown names ----

test('unknown initializer names, top level, object form and per layer', () => {
  expectError(create({ init: 'he_normall' }), 'init', /unknown initializer "he_normall"/, /he_normal/);
  expectError(create({ init: { name: 'xavier' } }), 'init.name', /unknown initializer "xavier"/);
  expectError(create({ biasInit: 'tiny' }), 'biasInit', /unknown initializer "tiny"/);
  expectError(create(withLayers({ units: 4, activation: 'relu', init: 'nope' }, hidden(1, 'sigmoid'))),
    'layers[0].init', /unknown initializer "nope"/);
});

test('unknown activation, loss, optimizer and data set names list what is allowed', () => {
  expectError(create(withLayers(hidden(4, 'relux'), hidden(1, 'sigmoid'))),
    'layers[0].activation', /"relux" is not allowed/, /linear, sigmoid, tanh, relu/);
  expectError(create(withLayers(hidden(4), { units: 1, activation: { name: 'swishy' } })),
    'layers[1].activation.name', /"swishy" is not allowed/);
  expectError(create({ loss: 'hinge' }), 'loss', /"hinge" is not allowed/, /mse, bce, cross_entropy/);
  expectError(create({ optimizer: 'adamw' }), 'optimizer', /"adamw" is not allowed/, /sgd, momentum, nesterov, rmsprop, adam/);
  expectError(create({ optimizer: { name: 'lbfgs' } }), 'optimizer.name', /"lbfgs" is not allowed/);
  expectError(create({ data: 'mnist' }), 'data', /"mnist" is not allowed/, /circles/, /digits/);
  expectError(create({ data: { name: 'cifar' } }), 'data.name', /"cifar" is not allowed/);
});

// ---- out of range ----

test('units 0 and 2000', () => {
  expectError(create(withLayers(hidden(0), hidden(1, 'sigmoid'))), 'layers[0].units',
    /0 is not allowed/, /an integer from 1 to 1024/);
  expectError(create(withLayers(hidden(4), hidden(2000), hidden(1, 'sigmoid'))), 'layers[1].units',
    /2000 is not allowed/, /an integer from 1 to 1024/);
});

test('lr 0, batch 0, noise -1', () => {
  expectError(create({ optimizer: { name: 'sgd', lr: 0 } }), 'optimizer.lr', /0 is not allowed/, /> 0/);
  expectError(create({ optimizer: { name: 'adam', lr: -1 } }), 'optimizer.lr', /-1 is not allowed/);
  expectError(create({ optimizer: { name: 'sgd', batch: 0 } }), 'optimizer.batch', /0 is not allowed/, /from 1 to 4096/);
  expectError(create({ data: { name: 'circles', noise: -1 } }), 'data.noise', /-1 is not allowed/, /from 0 to 1/);
});

test('depth: 70 layers, and fewer than a hidden and an output layer', () => {
  const deep = [...Array(69)].map(() => hidden(4)).concat([hidden(1, 'sigmoid')]);
  expectError(create(withLayers(...deep)), 'layers', /expected an array of 2 to 65 layers/, /1 to 64 hidden layers/);
  expectError(create(withLayers(hidden(1, 'sigmoid'))), 'layers', /2 to 65 layers/);
  expectError(create({ layers: [] }), 'layers', /2 to 65 layers/);
});

test('initializer parameters: stddev <= 0, minval >= maxval, a >= b', () => {
  expectError(create({ init: { name: 'random_normal', stddev: 0 } }), 'init.stddev', /0 is not allowed/, /> 0/);
  expectError(create({ init: { name: 'truncated_normal', stddev: -0.1 } }), 'init.stddev', /-0.1 is not allowed/);
  expectError(create({ init: { name: 'normal_', std: -1 } }), 'init.std', /-1 is not allowed/);
  expectError(create({ init: { name: 'random_uniform', minval: 1, maxval: 1 } }), 'init.maxval', /> minval/);
  expectError(create({ init: { name: 'random_uniform', minval: 0.5, maxval: -0.5 } }), 'init.maxval', /> minval/);
  expectError(create({ init: { name: 'uniform_', a: 2, b: 1 } }), 'init.b', /> a/);
});

test('a network over the memory limit is refused before anything is allocated', () => {
  const huge = [...Array(64)].map(() => hidden(1024)).concat([hidden(1, 'sigmoid')]);
  expectError(create({ layers: huge, optimizer: { name: 'adam', batch: 4096 } }), 'layers', /MiB/, /1024 MiB/);
});

// ---- wrong types ----

test('wrong types name the field and the value', () => {
  expectError(create({ seed: 'abc' }), 'seed', /"abc" is not allowed/, /an integer/);
  expectError(create({ seed: 1.5 }), 'seed', /1.5 is not allowed/);
  expectError(create({ layers: 'deep' }), 'layers', /"deep" is not allowed/);
  expectError(create(withLayers('relu', hidden(1, 'sigmoid'))), 'layers[0]', /expected an object/);
  expectError(create(withLayers(hidden('10'), hidden(1, 'sigmoid'))), 'layers[0].units', /"10" is not allowed/);
  expectError(create(withLayers({ activation: 'relu' }, hidden(1, 'sigmoid'))), 'layers[0].units', /is required/);
  expectError(create(withLayers(hidden(4, 3), hidden(1, 'sigmoid'))), 'layers[0].activation', /3 is not allowed/);
  expectError(create({ optimizer: { name: 'sgd', lr: '0.1' } }), 'optimizer.lr', /"0.1" is not allowed/);
  expectError(create({ optimizer: { lr: 0.1 } }), 'optimizer.name', /is required/);
  expectError(create({ init: 7 }), 'init', /7 is not allowed/);
  expectError(create({ loss: ['bce'] }), 'loss', /is not allowed/);
  expectError(create({ stats: { bins: true } }), 'stats.bins', /true is not allowed/);
});

// ---- the output layer against the data set and the loss ----

test('output layers that do not fit the data set and the loss', () => {
  expectError(create(withLayers(hidden(4), hidden(2, 'sigmoid'))), 'layers[1].units',
    /2 is not allowed/, /circles with bce needs 1 unit/);
  expectError(create(withLayers(hidden(4), hidden(1, 'tanh'))), 'layers[1].activation',
    /"tanh" is not allowed with the bce loss/, /expected "sigmoid"/);
  expectError(create(digits({ layers: [hidden(4), hidden(1, 'softmax')] })), 'layers[1].units',
    /digits with cross_entropy needs 10 units/);
  expectError(create(digits({ loss: 'bce', layers: [hidden(4), hidden(10, 'sigmoid')] })), 'loss',
    /"bce" is not allowed for digits, which has 10 classes/);
  expectError(create(digits({ layers: [hidden(4), hidden(10, 'relu')] })), 'layers[1].activation',
    /with the cross_entropy loss; expected "softmax"/);
  expectError(create(digits({ layers: [hidden(10, 'softmax'), hidden(10, 'softmax')] })), 'layers[0].activation',
    /"softmax" is allowed on the output layer only/);
  expectError(create(circles({ loss: 'mse', layers: [hidden(4), hidden(1, 'softmax')] })),
    'layers[1].activation', /"softmax" over a single unit is constant/);
});

// ---- run methods ----

test('decisionGrid on a data set that is not 2-D', () => {
  const run = lab.createRun(digits());
  expectError(() => run.decisionGrid(), 'data.name', /"digits" is not a 2-D data set/);
  run.dispose();
});

test('decisionGrid with a bad resolution or extent', () => {
  const run = lab.createRun(circles());
  for (const bad of [1, 513, 0, -4, 2.5, '8', NaN, null]) {
    expectError(() => run.decisionGrid(bad), 'resolution', /is not allowed/, /an integer from 2 to 512/);
  }
  for (const bad of [-1, 2e6, NaN, Infinity, '1']) {
    expectError(() => run.decisionGrid(8, bad), 'extent', /is not allowed/, /<= 1e6/);
  }
  assert.equal(run.decisionGrid(2, 1e6).length, 4, 'the bounds themselves are allowed');
  assert.equal(run.decisionGrid(512).length, 512 * 512);
  run.dispose();
});

test('step(-1), step(1.5) and other counts that are not an integer from 0 to 1000000', () => {
  const run = lab.createRun(circles());
  for (const bad of [-1, 1.5, '3', NaN, Infinity, 1e6 + 1, null]) {
    expectError(() => run.step(bad), 'n', /is not allowed/, /an integer from 0 to 1000000/);
  }
  assert.equal(run.step(2).step, 2, 'the run itself is unharmed');
  run.dispose();
});

test('reinitialize with a seed that is not an integer from 0 to 2147483647', () => {
  const run = lab.createRun(circles());
  for (const bad of [-1, 0.5, 2 ** 31, '3', undefined]) {
    expectError(() => run.reinitialize(bad), 'seed', /is not allowed/, /an integer from 0 to 2147483647/);
  }
  run.dispose();
});

test('predict with a set that is not test or train', () => {
  const run = lab.createRun(circles());
  expectError(() => run.predict('validation'), 'which', /"validation" is not allowed/);
  run.dispose();
});

test('setWeights with the wrong number of layers or wrong shapes, and the run is unchanged', () => {
  const run = lab.createRun(circles());
  const before = run.weights();
  expectError(() => run.setWeights(null), 'weights', /null given/, /expected an array of 3 layers/);
  expectError(() => run.setWeights(before.slice(1)), 'weights', /2 layers given/);
  expectError(() => run.setWeights([...before, before[0]]), 'weights', /4 layers given/);
  const shorter = before.map((l, i) => (i === 1 ? { ...l, W: l.W.slice(1) } : l));
  expectError(() => run.setWeights(shorter), 'weights[1].W', /49 values given/, /expected 50 numbers \(fan_in 10 x fan_out 5/);
  const noB = before.map((l, i) => (i === 2 ? { W: l.W } : l));
  expectError(() => run.setWeights(noB), 'weights[2].b', /no array given/, /expected 1 number$/);
  const longB = before.map((l, i) => (i === 0 ? { ...l, b: new Float32Array(11) } : l));
  expectError(() => run.setWeights(longB), 'weights[0].b', /11 values given/, /expected 10 numbers/);
  run.weights().forEach((l, i) => assert.deepEqual(l.W, before[i].W, 'nothing was set'));
  run.dispose();
});

test('setWeights with NaN or Inf names the layer and sets nothing', () => {
  const run = lab.createRun(circles());
  const before = run.weights();
  for (const [layer, key, value] of [[1, 'W', NaN], [0, 'b', Infinity], [2, 'W', -Infinity], [0, 'W', 'x']]) {
    const w = run.weights();
    if (typeof value === 'string') w[layer][key] = Array.from(w[layer][key], (v, i) => (i === 0 ? value : v));
    else w[layer][key][0] = value;
    expectError(() => run.setWeights(w), `weights[${layer}]`, /holds NaN or Inf; expected finite numbers/);
  }
  run.weights().forEach((l, i) => assert.deepEqual(l.W, before[i].W, 'nothing was set'));
  run.dispose();
});

test('a disposed run: every method throws a clear error; dispose twice is fine', () => {
  const run = lab.createRun(circles());
  const weights = run.weights();
  run.dispose();
  run.dispose();
  const calls = {
    config: () => run.config,
    step: () => run.step(1),
    evaluate: () => run.evaluate(),
    snapshot: () => run.snapshot(),
    decisionGrid: () => run.decisionGrid(8),
    predict: () => run.predict(),
    weights: () => run.weights(),
    setWeights: () => run.setWeights(weights),
    dataset: () => run.dataset(),
    reset: () => run.reset(),
    reinitialize: () => run.reinitialize(1),
  };
  for (const [name, call] of Object.entries(calls)) {
    assert.throws(call, (err) => err instanceof InitscopeError && err.field === '' &&
      /this run was disposed; create a new one with lab.createRun\(config\)/.test(err.message), name);
  }
  assert.equal(run.disposed, true);
  assertStillWorks(assert);
});

test('many errors in a row leave no leak and no broken state', () => {
  const heap = lab.heapInUse();
  for (let i = 0; i < 200; ++i) {
    assert.throws(() => lab.createRun({ layers: [hidden(i % 2 ? 0 : 4000), hidden(1, 'sigmoid')] }), InitscopeError);
    assert.throws(() => lab.createRun('{'), InitscopeError);
  }
  assert.ok(lab.heapInUse() - heap < 4096, `heap grew by ${lab.heapInUse() - heap} bytes`);
  assertStillWorks(assert);
});

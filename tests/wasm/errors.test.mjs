// Every error path of the JS API: each throws an InitscopeError whose field and message
// name the problem, and afterwards the module still works (a valid run is created and
// stepped): errors are values in the engine, never an abort.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { InitscopeError } from '../../wasm/initscope.mjs';
import { BAD_CONFIGS, configText } from './bad-configs.mjs';
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

// ---- configs: every row of the shared table ----

test(`at least 40 distinct bad configs (${BAD_CONFIGS.length})`, () => {
  assert.ok(BAD_CONFIGS.length >= 40, `${BAD_CONFIGS.length} rows`);
  const distinct = new Set(BAD_CONFIGS.map(([, config]) => configText(config)));
  assert.equal(distinct.size, BAD_CONFIGS.length, 'no config appears twice');
});

for (const [what, config, field, ...patterns] of BAD_CONFIGS) {
  test(`bad config: ${what}`, () => {
    expectError(() => lab.createRun(config), field, ...patterns);
  });
}

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
  for (const [layer, key, value] of [[1, 'W', NaN], [0, 'b', Infinity], [2, 'W', -Infinity]]) {
    const w = run.weights();
    w[layer][key][0] = value;
    expectError(() => run.setWeights(w), `weights[${layer}]`, /holds NaN or Inf; expected finite numbers/);
  }
  for (const [layer, key, value, shown] of [[0, 'W', 'x', '"x"'], [1, 'b', 2n, '2n'], [2, 'W', undefined, 'nothing'], [0, 'b', {}, '{}']]) {
    const w = run.weights();
    w[layer][key] = Array.from(w[layer][key], (v, i) => (i === 0 ? value : v));
    expectError(() => run.setWeights(w), `weights[${layer}].${key}`, new RegExp(`element 0 is ${shown}; expected \\d+ numbers?`));
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
    assert.throws(() => lab.createRun({ layers: [{ units: i % 2 ? 0 : 4000, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] }), InitscopeError);
    assert.throws(() => lab.createRun('{'), InitscopeError);
  }
  assert.ok(lab.heapInUse() - heap < 4096, `heap grew by ${lab.heapInUse() - heap} bytes`);
  assertStillWorks(assert);
});

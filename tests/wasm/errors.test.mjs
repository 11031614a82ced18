// Every error path of the JS API: each throws an InitscopeError whose field and message
// name the problem, and afterwards the module still works (a valid run is created and
// stepped): errors are values in the engine, never an abort.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { InitscopeError } from '../../wasm/initscope.mjs';
import { BAD_CONFIGS, BAD_INPUT_CLASSES, BAD_JS_CONFIGS, configText, WIDE_CHARACTERS } from './bad-configs.mjs';
import { assertStillWorks, circles, digits, lab } from './helpers.mjs';

// Asserts that fn throws an InitscopeError with this field and a message matching each
// pattern, both valid text (no lone surrogate, no U+FFFD from a cut inside a character),
// then that the module still works.
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
  for (const text of [error.message, error.field]) {
    assert.ok(text.isWellFormed() && !text.includes('\uFFFD'), `not valid text: ${JSON.stringify(text)}`);
  }
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

// ---- classes of hostile input, and values JSON cannot carry ----

for (const [klass, rows] of Object.entries(BAD_INPUT_CLASSES)) {
  test(`bad input class: ${klass} (${rows.length} cases)`, () => {
    assert.ok(rows.length >= 12, `${rows.length} rows`);
    for (const [what, config, field, ...patterns] of rows) {
      try {
        expectError(() => lab.createRun(config), field, ...patterns);
      } catch (err) {
        err.message = `${what}: ${err.message}`;
        throw err;
      }
    }
  });
}

for (const [what, config, field, ...patterns] of BAD_JS_CONFIGS) {
  test(`bad JS value as a config: ${what}`, () => {
    expectError(() => lab.createRun(config), field, ...patterns);
  });
}

test('undefined in a config object leaves the key out, as JSON.stringify does', () => {
  const run = lab.createRun(circles({ seed: undefined, init: undefined }));
  assert.equal(run.config.seed, lab.schema().config.default.seed);
  run.dispose();
});

test('a config at the nesting limit is accepted when its values are', () => {
  // Level 1 the config, 2 the layers, 3 a layer, 4 its activation object: well inside 32.
  const limit = lab.schema().config.nesting.max;
  assert.ok(limit >= 8 && limit <= 64, `limit ${limit}`);
  const run = lab.createRun(circles({ layers: [{ units: 4, activation: { name: 'leaky_relu', alpha: 0.1 } }, { units: 1, activation: 'sigmoid' }] }));
  run.dispose();
});

test('config text over the input limit is refused by its size, as text and as a value, before it reaches the engine', () => {
  const limit = lab.schema().config.inputBytes.max;
  const heap = lab.heapInUse();
  const text = (name) => `{"data": "${name}"}`;
  const room = limit - text('').length;
  // 2-, 3- and 4-byte characters: the size is counted in bytes of UTF-8.
  for (const ch of ['é', '€', '😀']) {
    const bytes = Buffer.byteLength(ch);
    const name = ch.repeat(Math.floor(room / bytes) + 1);
    const size = Buffer.byteLength(text(name));
    const message = new RegExp(`^the config is ${size} bytes long; at most ${limit} bytes are allowed$`);
    expectError(() => lab.createRun(text(name)), '', message);
    expectError(() => lab.createRun({ data: name }), '', new RegExp(`^the config is ${Buffer.byteLength(JSON.stringify({ data: name }))} bytes long`));
  }
  expectError(() => lab.createRun(text('x'.repeat(room))), 'data', /is not allowed; expected one of/);  // at the limit: read
  expectError(() => lab.createRun('x'.repeat(50 * 1024 * 1024)), '', /^the config is 52428800 bytes long/);
  expectError(() => lab.meanField('r'.repeat(limit), 1), 'activation', new RegExp(`^activation: the activation is ${limit + 2} bytes long`));
  expectError(() => lab.orderChaosBoundary({ name: 'relu', pad: 'x'.repeat(limit) }), 'activation', /bytes long/);
  assert.ok(lab.heapInUse() - heap < 4096, `heap grew by ${lab.heapInUse() - heap} bytes`);
});

// ---- mean field: the activation argument as text the engine parses ----

test('meanField and orderChaosBoundary: hostile activations and numbers name the argument', () => {
  const limit = lab.schema().config.nesting.max;
  for (const ch of WIDE_CHARACTERS) {
    for (let before = 50; before <= 62; ++before) {
      const name = 'r'.repeat(before) + ch + 'rr';
      expectError(() => lab.meanField(name, 1), 'activation', /^activation: "r{40}/, /expected one of linear/);
      expectError(() => lab.orderChaosBoundary({ name }, 0), 'activation.name', /^activation\.name: "r{40}/);
    }
  }
  let deep = [];
  for (let i = 0; i < 10000; ++i) deep = [deep];
  expectError(() => lab.meanField({ name: 'relu', alpha: deep }, 1), 'activation.alpha',
    new RegExp(`^activation\\.alpha: the activation nests arrays and objects 10002 levels deep; at most ${limit} levels are allowed$`));
  expectError(() => lab.orderChaosBoundary({ name: 'tanh', alpha: Infinity }), 'activation.alpha', /Infinity is not allowed; expected a finite number/);
  expectError(() => lab.meanField({ name: 'tanh', alpha: 2n }, 1), 'activation.alpha', /2n is not allowed/);
  const loop = { name: 'relu' };
  loop.alpha = loop;
  expectError(() => lab.meanField(loop, 1), 'activation.alpha', /circular structure/);
  for (const bad of [NaN, Infinity, -Infinity, '1', 1n, Symbol('s'), undefined, null, {}]) {
    expectError(() => lab.meanField('tanh', bad), 'sigmaW2', /is not allowed; expected a number > 0/);
    expectError(() => lab.meanField('tanh', 1, bad === undefined ? NaN : bad), 'sigmaB2', /is not allowed; expected a number from 0/);
    expectError(() => lab.orderChaosBoundary('tanh', bad === undefined ? NaN : bad), 'sigmaB2', /is not allowed/);
  }
  expectError(() => lab.meanField('tanh', NaN), 'sigmaW2', /^sigmaW2: NaN is not allowed/);
  expectError(() => lab.meanField('tanh', -Infinity), 'sigmaW2', /^sigmaW2: -Infinity is not allowed/);
  expectError(() => lab.meanField('tanh', 3n), 'sigmaW2', /^sigmaW2: 3n is not allowed/);
  expectError(() => lab.meanField(Symbol('tanh'), 1), 'activation', /^activation: Symbol\(tanh\) is not allowed/);
  expectError(() => lab.meanField(['tanh'], 1), 'activation', /^activation: \["tanh"\] is not allowed/);
  expectError(() => lab.meanField('\ud800', 1), 'activation', /^activation: not valid JSON/);
});

// ---- run methods ----

test('decisionGrid on a data set that is not 2-D', () => {
  const run = lab.createRun(digits());
  expectError(() => run.decisionGrid(), 'data.name', /"digits" is not a 2-D data set/);
  run.dispose();
});

test('decisionGrid with a bad resolution or extent', () => {
  const run = lab.createRun(circles());
  for (const bad of [1, 513, 0, -4, 2.5, '8', NaN, null, 8n, Symbol('r'), {}]) {
    expectError(() => run.decisionGrid(bad), 'resolution', /is not allowed/, /an integer from 2 to 512/);
  }
  for (const bad of [-1, 2e6, NaN, Infinity, '1', null, 1n, Symbol('e'), Object.create(null)]) {
    expectError(() => run.decisionGrid(8, bad), 'extent', /is not allowed/, /<= 1000000/);
  }
  expectError(() => run.decisionGrid(8, -Infinity), 'extent', /^extent: -Infinity is not allowed/);
  assert.equal(run.decisionGrid(2, 1e6).length, 4, 'the bounds themselves are allowed');
  assert.equal(run.decisionGrid(512).length, 512 * 512);
  run.dispose();
});

test('step(-1), step(1.5) and other counts that are not an integer from 0 to 1000000', () => {
  const run = lab.createRun(circles());
  for (const bad of [-1, 1.5, '3', NaN, Infinity, 1e6 + 1, null, 3n, Symbol('n'), {}, [2], () => 1]) {
    expectError(() => run.step(bad), 'n', /is not allowed/, /an integer from 0 to 1000000/);
  }
  // As JS writes them, not as JSON would (null).
  expectError(() => run.step(NaN), 'n', /^n: NaN is not allowed/);
  expectError(() => run.step(Infinity), 'n', /^n: Infinity is not allowed/);
  expectError(() => run.step(-Infinity), 'n', /^n: -Infinity is not allowed/);
  expectError(() => run.step(Number('9'.repeat(400))), 'n', /^n: Infinity is not allowed/);
  expectError(() => run.step(5n), 'n', /^n: 5n is not allowed/);
  assert.equal(run.step(2).step, 2, 'the run itself is unharmed');
  run.dispose();
});

test('reinitialize with a seed that is not an integer from 0 to 2147483647', () => {
  const run = lab.createRun(circles());
  for (const bad of [-1, 0.5, 2 ** 31, '3', undefined, NaN, 3n, Symbol('s'), [1]]) {
    expectError(() => run.reinitialize(bad), 'seed', /is not allowed/, /an integer from 0 to 2147483647/);
  }
  run.dispose();
});

test('predict with a set that is not test or train', () => {
  const run = lab.createRun(circles());
  expectError(() => run.predict('validation'), 'which', /"validation" is not allowed/);
  for (const bad of [null, 1, true, Symbol('test'), 1n, {}, ['test']]) {
    expectError(() => run.predict(bad), 'which', /is not allowed; expected "test" or "train"/);
  }
  expectError(() => run.predict(Symbol('test')), 'which', /^which: Symbol\(test\) is not allowed/);
  run.dispose();
});

test('setWeights with the wrong number of layers or wrong shapes, and the run is unchanged', () => {
  const run = lab.createRun(circles());
  const before = run.weights();
  expectError(() => run.setWeights(null), 'weights', /null given/, /expected an array of 3 layers/);
  for (const bad of [undefined, 'abc', 3, 3n, Symbol('w'), {}, { length: 3 }]) {
    expectError(() => run.setWeights(bad), 'weights', /given; expected an array of 3 layers/);
  }
  for (const make of [(n) => new BigInt64Array(n), (n) => new BigUint64Array(n), (n) => new DataView(new ArrayBuffer(n * 4)),
    (n) => 'x'.repeat(n), (n) => ({ length: n }), () => 7, () => Symbol('W')]) {
    const w = run.weights();
    w[1].W = make(50);
    expectError(() => run.setWeights(w), 'weights[1].W', /given; expected 50 numbers \(fan_in 10 x fan_out 5, row-major\) in an array or a Float32Array$/);
  }
  expectError(() => run.setWeights(before.map((l, i) => (i === 0 ? null : l))), 'weights[0].W', /no array given/);
  expectError(() => run.setWeights(before.map((l, i) => (i === 2 ? { get W() { throw new Error('gone'); } } : l))),
    'weights[2]', /^weights\[2\]: reading it threw "gone"/);
  expectError(() => run.setWeights(before.slice(1)), 'weights', /2 layers given/);
  expectError(() => run.setWeights([...before, before[0]]), 'weights', /4 layers given/);
  const shorter = before.map((l, i) => (i === 1 ? { ...l, W: l.W.slice(1) } : l));
  expectError(() => run.setWeights(shorter), 'weights[1].W', /49 values given/, /expected 50 numbers \(fan_in 10 x fan_out 5/);
  const noB = before.map((l, i) => (i === 2 ? { W: l.W } : l));
  expectError(() => run.setWeights(noB), 'weights[2].b', /no array given/, /expected 1 number$/);
  const longB = before.map((l, i) => (i === 0 ? { ...l, b: new Float32Array(11) } : l));
  expectError(() => run.setWeights(longB), 'weights[0].b', /11 values given/, /expected 10 numbers/);
  run.weights().forEach((l, i) => assert.deepEqual(l.W, before[i].W, 'nothing was set'));
  // Numbers in any typed array that holds numbers are taken, converted to float32.
  const doubled = before.map(({ W, b }) => ({ W: Float64Array.from(W, (v) => 2 * v), b: Array.from(b) }));
  run.setWeights(doubled);
  run.weights().forEach((l, i) => assert.deepEqual(l.W, Float32Array.from(before[i].W, (v) => 2 * v)));
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

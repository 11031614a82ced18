// The exact run out: the optimizer convention (each rule against the formula by hand), the
// minibatch order (the rows a step trains on), and the run state (a saved run continues bit
// for bit), through the JS API; the exact Keras script of a network of residual blocks, by reading.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { InitscopeError } from '../../wasm/initscope.mjs';
import { exactInput, kerasScript, pytorchScript } from '../../wasm/exactScript.mjs';
import { circles, lab } from './helpers.mjs';

// 2 → 3 → 1, linear activations, mse, 8 rows full batch: small enough to differentiate by hand.
const tiny = (optimizer) => ({
  seed: 11,
  data: { name: 'linear', train: 8, test: 0, normalize: 'standardize' },
  layers: [{ units: 3, activation: 'linear' }, { units: 1, activation: 'linear' }],
  init: 'glorot_uniform',
  biasInit: { name: 'random_normal', stddev: 0.1 },
  loss: 'mse',
  optimizer: { batch: 8, ...optimizer },
});

// The mse gradient of the tiny net in float64: flat, in the engine's layout (W1, b1, W2, b2).
function gradient(params, x, y, n) {
  const [w1, b1, w2, b2] = [params.slice(0, 6), params.slice(6, 9), params.slice(9, 12), params[12]];
  const g = new Array(13).fill(0);
  for (let r = 0; r < n; ++r) {
    const z = [0, 1, 2].map((j) => x[2 * r] * w1[j] + x[2 * r + 1] * w1[3 + j] + b1[j]);
    const out = z[0] * w2[0] + z[1] * w2[1] + z[2] * w2[2] + b2;
    const d = (2 * (out - y[r])) / n;
    for (let j = 0; j < 3; ++j) {
      g[9 + j] += z[j] * d;
      const dz = d * w2[j];
      g[j] += x[2 * r] * dz;
      g[3 + j] += x[2 * r + 1] * dz;
      g[6 + j] += dz;
    }
    g[12] += d;
  }
  return g;
}

// Each convention's rule on one parameter, in float64 (core/src/optimizer.cpp's table).
function rule(o) {
  const state = { m: [], v: [], t: 0 };
  return (params, g) => {
    state.t += 1;
    const { t } = state;
    return params.map((p, i) => {
      const m = state.m[i] ?? 0;
      const v = state.v[i] ?? 0;
      let next;
      if (o.name === 'momentum' || o.name === 'nesterov') {
        if (o.convention === 'pytorch') {
          state.m[i] = o.momentum * m + g[i];
          next = p - o.lr * (o.name === 'nesterov' ? g[i] + o.momentum * state.m[i] : state.m[i]);
        } else {
          state.m[i] = o.momentum * m - o.lr * g[i];
          next = p + (o.name === 'nesterov' ? o.momentum * state.m[i] - o.lr * g[i] : state.m[i]);
        }
      } else if (o.name === 'rmsprop') {
        state.v[i] = o.rho * v + (1 - o.rho) * g[i] * g[i];
        next = p - (o.lr * g[i]) / (o.convention === 'pytorch' ? Math.sqrt(state.v[i]) + o.epsilon : Math.sqrt(state.v[i] + o.epsilon));
      } else {
        state.m[i] = o.beta1 * m + (1 - o.beta1) * g[i];
        state.v[i] = o.beta2 * v + (1 - o.beta2) * g[i] * g[i];
        const c1 = 1 - o.beta1 ** t;
        const c2 = 1 - o.beta2 ** t;
        next = o.convention === 'pytorch'
          ? p - ((o.lr / c1) * state.m[i]) / (Math.sqrt(state.v[i]) / Math.sqrt(c2) + o.epsilon)
          : p - (o.lr * Math.sqrt(c2) / c1) * state.m[i] / (Math.sqrt(state.v[i]) + o.epsilon);
      }
      return Math.fround(next);  // the parameters are float32
    });
  };
}

const flat = (run) => run.weights().flatMap((l) => [...l.W, ...l.b]);

// Large ε and few rows, so that where ε goes shows in the third digit.
const RULES = [
  { name: 'momentum', lr: 0.05, momentum: 0.9 },
  { name: 'nesterov', lr: 0.05, momentum: 0.8 },
  { name: 'rmsprop', lr: 0.01, rho: 0.9, epsilon: 0.01 },
  { name: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 0.01 },
];

test('each optimizer convention follows its formula by hand on a tiny network', () => {
  for (const o of RULES) {
    const ends = {};
    for (const convention of ['keras', 'pytorch']) {
      const run = lab.createRun(tiny({ ...o, convention }));
      assert.equal(run.config.optimizer.convention, convention);
      const d = run.dataset();
      const y = Array.from(d.yTrain);
      const update = rule({ ...o, convention });
      let params = flat(run);
      for (let s = 0; s < 4; ++s) {
        params = update(params, gradient(params, d.xTrain, y, 8));
        run.step(1);
        const engine = flat(run);
        engine.forEach((w, i) => assert.ok(Math.abs(w - params[i]) <= 2e-6 * Math.max(1, Math.abs(params[i])),
          `${o.name} ${convention} step ${s + 1} parameter ${i}: engine ${w}, by hand ${params[i]}`));
      }
      ends[convention] = flat(run);
      run.dispose();
    }
    const apart = Math.max(...ends.keras.map((w, i) => Math.abs(w - ends.pytorch[i])));
    if (o.name === 'rmsprop' || o.name === 'adam') {
      assert.ok(apart > 1e-4, `${o.name}: the conventions should differ where ε goes (largest difference ${apart})`);
    } else {
      assert.ok(apart < 1e-6, `${o.name}: the two momentum forms are the same sums (largest difference ${apart})`);
    }
  }
});

test('the schema gives each optimizer\'s update rule under both conventions (the page shows the config\'s)', () => {
  const rows = Object.fromEntries(lab.schema().optimizers.optimizers.map((o) => [o.name, o]));
  assert.equal(rows.sgd.pytorchFormula, rows.sgd.formula);
  for (const name of ['momentum', 'nesterov', 'rmsprop', 'adam']) assert.notEqual(rows[name].pytorchFormula, rows[name].formula, name);
  assert.match(rows.rmsprop.formula, /√\(s \+ ε\)/);
  assert.match(rows.rmsprop.pytorchFormula, /\(√s \+ ε\)/);
  assert.match(rows.adam.pytorchDoc, /torch\.optim\.Adam/);
  assert.match(rows.momentum.pytorchFormula, /^v ← μ·v \+ g;  w ← w − η·v$/);
});

test('convention keras is the default and every pinned run keeps its bits; sgd ignores it', () => {
  const plain = lab.createRun(circles({ optimizer: { name: 'adam', lr: 0.01, batch: 32 } }));
  const keras = lab.createRun(circles({ optimizer: { name: 'adam', lr: 0.01, batch: 32, convention: 'keras' } }));
  assert.equal(plain.config.optimizer.convention, 'keras');
  assert.deepEqual(plain.step(50), keras.step(50));
  const sgd = ['keras', 'pytorch'].map((convention) => lab.createRun(circles({ optimizer: { name: 'sgd', lr: 0.1, batch: 300, convention } })));
  assert.deepEqual(sgd[0].step(20), sgd[1].step(20));
  for (const r of [plain, keras, ...sgd]) r.dispose();
  const row = lab.schema().optimizers.params.find((p) => p.name === 'convention');
  assert.deepEqual(row.choices, ['keras', 'pytorch']);
  assert.equal(row.default, 'keras');
  assert.ok(lab.schema().optimizers.optimizers.find((o) => o.name === 'adam').params.includes('convention'));
  assert.throws(() => lab.createRun(circles({ optimizer: { name: 'adam', convention: 'torch' } })),
    (e) => e instanceof InitscopeError && e.field === 'optimizer.convention' && /keras, pytorch/.test(e.message));
});

test('minibatchOrder: the rows each step trains on, drawn from copies', () => {
  const config = circles({ data: { name: 'circles', train: 10, test: 0 }, optimizer: { name: 'sgd', lr: 0.1, batch: 4 } });
  const run = lab.createRun(config);
  const twin = lab.createRun(config);
  const ahead = run.minibatchOrder(9, { fromStart: true });
  assert.equal(ahead.batch, 4);
  assert.equal(ahead.rows.length, 36);
  // Every epoch (10 consecutive rows) is a permutation of the training rows.
  for (let e = 0; e + 10 <= 36; e += 10) assert.deepEqual([...ahead.rows.slice(e, e + 10)].sort((a, b) => a - b), [...Array(10).keys()]);
  // The next rows, asked before each step, are those of the run from the start, and asking
  // changes nothing: the run and its twin take the same steps.
  const d = run.dataset();
  for (let s = 0; s < 9; ++s) {
    const next = run.minibatchOrder(1);
    assert.deepEqual([...next.rows], [...ahead.rows.slice(4 * s, 4 * s + 4)], `step ${s + 1}`);
    assert.deepEqual(run.minibatchOrder(3).rows.slice(0, 4), next.rows, 'asking twice gives the same rows');
    // The step's loss is the loss of these rows (a float64 forward pass by hand).
    const weights = run.weights();
    const rows = [...next.rows];
    const loss = rows.reduce((sum, r) => {
      let a = [d.xTrain[2 * r], d.xTrain[2 * r + 1]];
      weights.forEach(({ W, b, shape: [fanIn, fanOut] }, l) => {
        const z = [...Array(fanOut)].map((_, j) => a.reduce((acc, x, i) => acc + x * W[i * fanOut + j], b[j]));
        a = l < weights.length - 1 ? z.map((v) => Math.max(0, v)) : z;
      });
      const zOut = a[0];
      return sum + Math.max(zOut, 0) - zOut * d.yTrain[r] + Math.log1p(Math.exp(-Math.abs(zOut)));
    }, 0) / rows.length;
    const took = run.step(1);
    assert.ok(Math.abs(took.loss - loss) <= 1e-6 * Math.max(1, loss), `step ${s + 1}: loss ${took.loss}, of its rows by hand ${loss}`);
    assert.deepEqual(took, twin.step(1));
  }
  const full = lab.createRun(circles({ data: { name: 'circles', train: 6, test: 0 } }));
  assert.deepEqual([...full.minibatchOrder(2).rows], [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], 'a full batch is every row in order');
  assert.throws(() => run.minibatchOrder(-1), (e) => e instanceof InitscopeError && e.field === 'steps');
  assert.throws(() => run.minibatchOrder(1.5), (e) => e instanceof InitscopeError && e.field === 'steps');
  const big = lab.createRun(circles({ data: { name: 'circles', train: 4096, test: 0 }, optimizer: { name: 'sgd', batch: 4096 } }));
  assert.throws(() => big.minibatchOrder(5000), (e) => e instanceof InitscopeError && e.field === 'steps' && /16777216 rows/.test(e.message));
  for (const r of [run, twin, full, big]) r.dispose();
});

test('a run saved at step 137 and restored takes steps 138 to 200 bit for bit', () => {
  const configs = [
    circles({ optimizer: { name: 'adam', lr: 0.01, batch: 32, clipNorm: 1, weightDecay: 0.001 } }),
    circles({ optimizer: { name: 'nesterov', lr: 0.05, batch: 50, convention: 'pytorch' } }),
    circles({ optimizer: { name: 'rmsprop', lr: 0.005, batch: 300, clipValue: 0.5 } }),
  ];
  for (const config of configs) {
    const straight = lab.createRun(config);
    const first = straight.step(137);
    const snapshotAt137 = straight.snapshot();
    // Through JSON text, as a Run JSON file carries it.
    const state = JSON.parse(JSON.stringify(straight.exportState()));
    assert.equal(state.step, 137);
    const restored = lab.createRun(straight.config, { state });
    assert.equal(restored.snapshot().step, 137);
    assert.deepEqual(restored.snapshot().history, snapshotAt137.history);
    assert.deepEqual(restored.snapshot().layers.map((l) => l.updateRatio), snapshotAt137.layers.map((l) => l.updateRatio));
    assert.ok(first.step === 137);
    for (let s = 138; s <= 200; ++s) assert.deepEqual(restored.step(1), straight.step(1), `${config.optimizer.name}: step ${s}`);
    assert.deepEqual(restored.weights(), straight.weights());
    assert.deepEqual(restored.snapshot(), straight.snapshot());
    // reset() returns to the initial weights of the run it came from.
    restored.reset();
    straight.reset();
    assert.deepEqual(restored.weights(), straight.weights());
    restored.dispose();
    straight.dispose();
  }
});

test('a state that does not fit the run is refused with the field named, and nothing is made', () => {
  const run = lab.createRun(circles({ optimizer: { name: 'adam', batch: 32 } }));
  run.step(5);
  const state = run.exportState();
  const heap = lab.heapInUse();
  const refusals = [
    [{ ...state, params: state.params.slice(0, -8) }, 'state.params', /bytes; expected 91 float32 values/],
    [{ ...state, params: `${state.params.slice(0, -4)}@@@@` }, 'state.params', /not a base64 digit/],
    [{ ...state, format: 'other' }, 'state.format', /initscope-run-state/],
    [{ ...state, step: -1 }, 'state.step', /an integer from 0/],
    [{ ...state, optimizer: { ...state.optimizer, m: '' } }, 'state.optimizer.m', /expected 91 float64/],
    [{ ...state, minibatch: { ...state.minibatch, cursor: 301 } }, 'state.minibatch.cursor', /from 0 to 300/],
    [{ ...state, history: { ...state.history, step: [3, 2, 1, 0, 4] } }, 'state.history.step[1]', /increasing/],
    [[1, 2], 'state', /expected the object run.exportState\(\) gives/],
  ];
  for (const [bad, field, message] of refusals) {
    assert.throws(() => lab.createRun(run.config, { state: bad }),
      (e) => e instanceof InitscopeError && e.field === field && message.test(e.message), `${field}: ${message}`);
  }
  // Another network's state.
  assert.throws(() => lab.createRun(circles({ layers: [{ units: 4, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] }), { state }),
    (e) => e instanceof InitscopeError && e.field === 'state.params');
  assert.ok(lab.heapInUse() <= heap + 65536, 'refused runs leave no memory behind');
  run.dispose();
});

test('the exact scripts carry the run: weights, data, rows and the engine losses', () => {
  const run = lab.createRun(circles({ optimizer: { name: 'adam', lr: 0.01, batch: 32, convention: 'pytorch', clipNorm: 2 } }));
  run.step(10);
  const input = exactInput(run, { steps: 20 });
  assert.equal(input.initialParams, run.exportState().initialParams);
  assert.equal(input.losses.filter((l) => l !== null).length, 10, 'the 10 steps taken, none invented');
  const py = pytorchScript(input);
  assert.match(py, /torch\.optim\.Adam\(params, lr=0\.01, betas=\(0\.9, 0\.999\), eps=1e-7\)/);
  assert.match(py, /if norm > 2\.0:/);
  assert.ok(py.includes(input.rows.slice(0, 90)), 'the minibatch rows are in the script');
  const keras = kerasScript(input);
  assert.match(keras, /class PytorchRule\(keras\.optimizers\.Optimizer\)/);
  assert.match(keras, /global_clipnorm=2\.0/);
  run.dispose();
});

test('the exact Keras script writes residual blocks as the PyTorch one does, its variables in the engine\'s order, and compiles', () => {
  const run = lab.createRun({
    seed: 7, data: { name: 'circles', train: 64, test: 0 },
    layers: [
      { units: 12, activation: 'relu' },
      { kind: 'residual', activation: 'relu', hidden: 8, norm: 'layernorm', normAt: 'pre' },
      { kind: 'residual', activation: 'tanh', activationAt: 'after', norm: 'batchnorm', normAt: 'post', normEpsilon: 0.001 },
      { kind: 'residual', activation: { name: 'leaky_relu', alpha: 0.1 }, branch: 1 },
      { units: 1, activation: 'sigmoid' },
    ],
    residualInit: { name: 'skipinit', alpha: 0.25 },
    optimizer: { name: 'momentum', lr: 0.02, batch: 16, weightDecay: 0.01 },
  });
  run.step(2);
  const input = exactInput(run, { steps: 4, schema: lab.schema() });
  run.dispose();
  const keras = kerasScript(input);
  const torch = pytorchScript(input);
  assert.equal(keras.match(/^class Residual\(keras\.layers\.Layer\):/gm).length, 1);
  // Each block as PyTorch's: the same width, hidden width, branch, φ, where φ is, gate and norm.
  const calls = (text) => [...text.matchAll(/^ {4}Residual\((\d+), (\d+), branch=(\d), phi=.*?, after=(\w+), alpha=([\d.]+), trainable(?:_gate)?=(\w+)(?:, norm=keras\.layers\.(\w+)\(.*?\)|, norm=nn\.(\w+)\(.*?\))?(?:, norm_at="(\w+)")?/gm)]
    .map((m) => [m[1], m[2], m[3], m[4], m[5], m[6], { LayerNormalization: 'LayerNorm', BatchNormalization: 'BatchNorm1d' }[m[7]] ?? m[8] ?? null, m[9] ?? null]);
  assert.deepEqual(calls(keras), calls(torch));
  assert.deepEqual(calls(keras), [
    ['12', '8', '2', 'False', '0.25', 'True', 'LayerNorm', 'pre'],
    ['12', '12', '2', 'True', '0.25', 'True', 'BatchNorm1d', 'post'],
    ['12', '12', '1', 'False', '0.25', 'True', null, null],
  ]);
  assert.ok(keras.includes('phi=keras.layers.LeakyReLU(negative_slope=0.1)'));
  assert.ok(keras.includes('keras.layers.BatchNormalization(momentum=1 - 0.1, epsilon=0.001), norm_at="post"'), 'Keras\'s momentum is 1 − m');
  // The engine's order: W1, b1, [W2, b2], [alpha], [norm gain, norm shift], set variable by variable.
  assert.ok(keras.includes([
    '        out = [self.dense1.kernel, self.dense1.bias]',
    '        if self.dense2 is not None:',
    '            out += [self.dense2.kernel, self.dense2.bias]',
    '        if self.alpha.trainable:',
    '            out.append(self.alpha)',
    '        if self.norm is not None:',
    '            out += [self.norm.gamma, self.norm.beta]',
  ].join('\n')));
  assert.ok(keras.includes('for layer, arrays in zip(layers, initial):\n    for v, a in zip(engine_variables(layer), arrays):\n        v.assign(a)'));
  assert.ok(keras.includes('norm.moving_variance.assign(var)'), 'a block\'s batchnorm takes the engine\'s running averages');
  assert.doesNotMatch(keras, /set_weights/);
  // L2 on every dense kernel, a block's too, and the printed loss leaves it out over the same kernels.
  assert.equal(keras.match(/kernel_regularizer=keras\.regularizers\.L2\(0\.01 \/ 2\)/g).length, 5);
  assert.match(keras, /for layer in denses\)\n/);
  const dir = mkdtempSync(join(tmpdir(), 'initscope-exact-'));
  try {
    for (const [name, text] of [['keras', keras], ['torch', torch]]) {
      writeFileSync(join(dir, `${name}.py`), text);
      execFileSync('python3', ['-m', 'py_compile', join(dir, `${name}.py`)]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

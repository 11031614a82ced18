// run.jacobianSpectrum: the input-output Jacobian's singular values through the JS API.
// Against an independent computation in JS (the network's forward pass from run.weights()
// and dataset() in double, central differences at the first layer's pre-activation, the
// eigenvalues of the 3 × 3 Gram matrix in closed form), isometry of an orthogonal linear stack, a run left as it was, the same bits
// as the native engine, and errors as InitscopeError with the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertLeavesRunAsItWas, lab, nativeMissing, runNative } from './helpers.mjs';

// Gaussian inputs of `dim` columns through dense (units, activation) layers, then a sigmoid unit.
const stack = (dim, hidden, init, extra = {}) => ({
  seed: 5,
  data: { name: 'gaussian', dim, train: 64, test: 0 },
  layers: [...hidden.map(([units, activation]) => ({ units, activation })), { units: 1, activation: 'sigmoid' }],
  init,
  stats: { probe: 32 },
  ...extra,
});

const ACTIVATIONS = { tanh: Math.tanh, relu: (z) => Math.max(0, z), linear: (z) => z };

// The first layer's pre-activation z₀ at input x, and the last hidden layer's output from
// z₀ on, in double, from the run's weights ((fan_in, fan_out) row-major).
function dense({ W, b, shape: [fanIn, fanOut] }, a) {
  const z = new Array(fanOut);
  for (let j = 0; j < fanOut; j++) {
    z[j] = b[j];
    for (let i = 0; i < fanIn; i++) z[j] += a[i] * W[i * fanOut + j];
  }
  return z;
}

function hiddenOutputFrom(z0, weights, activations) {
  let a = z0.map(ACTIVATIONS[activations[0]]);
  for (let l = 1; l < activations.length; l++) a = dense(weights[l], a).map(ACTIVATIONS[activations[l]]);
  return a;
}

// Eigenvalues of a symmetric 3 × 3 matrix (row-major), largest first: the roots of its
// characteristic cubic in trigonometric form.
function symmetric3Eigenvalues(m) {
  const q = (m[0] + m[4] + m[8]) / 3;
  const p1 = m[1] ** 2 + m[2] ** 2 + m[5] ** 2;
  const p = Math.sqrt(((m[0] - q) ** 2 + (m[4] - q) ** 2 + (m[8] - q) ** 2 + 2 * p1) / 6);
  const b = m.map((v, i) => (v - (i % 4 === 0 ? q : 0)) / p);
  const det = b[0] * (b[4] * b[8] - b[5] * b[7]) - b[1] * (b[3] * b[8] - b[5] * b[6]) + b[2] * (b[3] * b[7] - b[4] * b[6]);
  const phi = Math.acos(Math.min(1, Math.max(-1, det / 2))) / 3;
  const e1 = q + 2 * p * Math.cos(phi);
  const e3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  return [e1, 3 * q - e1 - e3, e3];
}

test('jacobianSpectrum agrees with central differences of the network computed in JS', () => {
  const hidden = [[3, 'tanh'], [5, 'relu'], [4, 'tanh']];
  const run = lab.createRun(stack(6, hidden, { name: 'random_normal', stddev: 0.6 }));
  try {
    const s = run.jacobianSpectrum({ probes: 5, bins: 12 });
    assert.equal(s.layers, 2);
    assert.equal(s.units, 4);
    assert.equal(s.firstUnits, 3);
    assert.equal(s.singularValues.length, 5);
    assert.equal(s.histogram.counts.length, 12);
    const weights = run.weights();
    const { xTrain, inputDim } = run.dataset();
    const activations = hidden.map(([, a]) => a);
    const h = 1e-6;
    for (let p = 0; p < 5; p++) {
      const z0 = dense(weights[0], Array.from(xTrain.subarray(p * inputDim, (p + 1) * inputDim)));
      // J = ∂a/∂z₀ (4 × 3) by central differences, then its Gram matrix JᵀJ (3 × 3).
      const columns = [0, 1, 2].map((c) => {
        const up = z0.slice();
        const down = z0.slice();
        up[c] += h;
        down[c] -= h;
        const a = hiddenOutputFrom(up, weights, activations);
        const b = hiddenOutputFrom(down, weights, activations);
        return a.map((v, j) => (v - b[j]) / (2 * h));
      });
      const gram = [];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) gram.push(columns[i].reduce((sum, v, k) => sum + v * columns[j][k], 0));
      const expected = symmetric3Eigenvalues(gram).map((e) => Math.sqrt(Math.max(0, e)));
      s.singularValues[p].forEach((sigma, k) => {
        assert.ok(Math.abs(sigma - expected[k]) <= 1e-4 * Math.max(1, expected[k]), `probe ${p} σ${k}: ${sigma} vs ${expected[k]}`);
      });
    }
    // χ is the mean of every σ², chiPerLayer its root per weight matrix.
    const all = s.singularValues.flat();
    assert.ok(Math.abs(s.chi - all.reduce((sum, v) => sum + v * v, 0) / all.length) < 1e-12);
    assert.ok(Math.abs(s.chiPerLayer - Math.sqrt(s.chi)) < 1e-12);
    assert.equal(s.max, Math.max(...all));
    assert.equal(s.min, Math.min(...all));
  } finally {
    run.dispose();
  }
});

test('jacobianSpectrum: an orthogonal linear stack has every singular value 1', () => {
  const run = lab.createRun(stack(3, [[8, 'linear'], [8, 'linear'], [8, 'linear']], { name: 'orthogonal' }));
  try {
    const s = run.jacobianSpectrum();
    const { jacobianProbes, jacobianBins } = lab.schema().limits;
    assert.equal(s.singularValues.length, jacobianProbes.default);
    assert.equal(s.histogram.counts.length, jacobianBins.default);
    for (const sigma of s.singularValues.flat()) assert.ok(Math.abs(sigma - 1) < 1e-5, `${sigma}`);
    assert.equal(s.histogram.counts.reduce((a, b) => a + b, 0), 8 * jacobianProbes.default);
    assert.deepEqual([s.histogram.logLo, s.histogram.logHi], [-1, 1]);
  } finally {
    run.dispose();
  }
});

test('jacobianSpectrum leaves the run as it was and repeats itself', () => {
  const config = stack(4, [[16, 'tanh'], [16, 'tanh']], 'glorot_normal', { optimizer: { name: 'sgd', lr: 0.05, batch: 16 } });
  assertLeavesRunAsItWas(config, (run) => run.jacobianSpectrum());
});

test('jacobianSpectrum refuses bad options and networks it does not compute, with the field', () => {
  const run = lab.createRun(stack(4, [[6, 'tanh']], 'glorot_normal'));
  const norm = lab.createRun(stack(4, [[6, 'tanh']], 'glorot_normal', {
    layers: [{ units: 6, activation: 'tanh' }, { kind: 'batchnorm' }, { units: 1, activation: 'sigmoid' }],
  }));
  const normFirst = lab.createRun(stack(4, [[6, 'tanh']], 'glorot_normal', {
    layers: [{ kind: 'layernorm' }, { units: 6, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  }));
  try {
    const refuses = (r, options, field, words) => assert.throws(() => r.jacobianSpectrum(options),
      (err) => err.name === 'InitscopeError' && err.field === field && err.message.includes(words), JSON.stringify(options));
    const { jacobianProbes } = lab.schema().limits;
    refuses(run, { probes: 0 }, 'probes', `expected ${jacobianProbes.allowed}`);
    refuses(run, { probes: 2.5 }, 'probes', 'not allowed');
    refuses(run, { bins: 3 }, 'bins', 'not allowed');
    refuses(run, { points: 3 }, 'options.points', 'expected probes or bins');
    refuses(run, [], 'options', 'expected an object');
    refuses(norm, {}, 'layers', 'BatchNorm');
    refuses(normFirst, {}, 'layers[0].kind', 'only a dense first layer has');
    assert.equal(run.step(1).step, 1, 'the run still works');
  } finally {
    run.dispose();
    norm.dispose();
    normFirst.dispose();
  }
});

// The same spectrum from the natively built engine (build/native_run --jacobian).

test('jacobianSpectrum gives the same bits native and in wasm', { skip: nativeMissing }, () => {
  const deep = (activation, init) => ({
    seed: 2,
    data: { name: 'digits', normalize: 'standardize' },
    layers: [...Array(12)].map(() => ({ units: 32, activation })).concat([{ units: 10, activation: 'softmax' }]),
    init,
    loss: 'cross_entropy',
    optimizer: { name: 'sgd', lr: 0.01, batch: 32 },
  });
  for (const config of [deep('tanh', 'orthogonal'), deep('relu', 'he_normal')]) {
    const native = runNative(config, ['--steps', '20', '--jacobian']).jacobianSpectrum;
    const run = lab.createRun(config);
    try {
      run.step(20);
      assert.deepEqual(run.jacobianSpectrum(), native);
    } finally {
      run.dispose();
    }
  }
});

// Shared by the wasm tests: small configs and a float64 forward pass in plain JS, to check
// what the engine's numbers mean (not only their shapes).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadInitscope } from '../../wasm/initscope.mjs';

export const lab = await loadInitscope();

/** The Coursera circles network: 2-10-5-1, relu relu sigmoid, bce, full-batch sgd. */
export const circles = (extra = {}) => ({
  seed: 3,
  data: { name: 'circles', train: 300, test: 100 },
  layers: [
    { units: 10, activation: 'relu' },
    { units: 5, activation: 'relu' },
    { units: 1, activation: 'sigmoid' },
  ],
  init: 'he_normal',
  loss: 'bce',
  optimizer: { name: 'sgd', lr: 0.01, batch: 300 },
  ...extra,
});

/** A deep tanh net on pure Gaussian input (signal propagation). */
export const deepTanh = (extra = {}) => ({
  seed: 1,
  data: { name: 'gaussian', dim: 32, train: 256, test: 64 },
  layers: [...Array(10)].map(() => ({ units: 32, activation: 'tanh' }))
    .concat([{ units: 1, activation: 'sigmoid' }]),
  init: 'glorot_normal',
  optimizer: { name: 'sgd', lr: 0.01, batch: 64 },
  ...extra,
});

/** Softmax cross-entropy on the 8x8 digits. */
export const digits = (extra = {}) => ({
  seed: 5,
  data: { name: 'digits', normalize: 'minmax' },
  layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }],
  init: 'kaiming_uniform_',
  loss: 'cross_entropy',
  optimizer: { name: 'adam', lr: 0.001, batch: 64 },
  ...extra,
});

/** Creates a valid run, steps it and checks the answer: the module still works. */
export function assertStillWorks(assert) {
  const run = lab.createRun(circles());
  try {
    const r = run.step(3);
    assert.equal(r.step, 3);
    assert.ok(Number.isFinite(r.loss) && r.loss > 0, `loss ${r.loss}`);
    assert.equal(r.diverged, null);
  } finally {
    run.dispose();
  }
}

const ACTIVATIONS = {
  linear: (z) => z,
  relu: (z) => (z > 0 ? z : 0),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: Math.tanh,
};

/**
 * Forward pass in float64 over rows of x ((rows, inputDim) row-major) with weights()
 * (W (fan_in, fan_out) row-major). Returns per layer { z, a }, each rows × fanOut.
 */
export function forward(weights, activations, x, rows) {
  const out = [];
  let input = x;
  for (let l = 0; l < weights.length; ++l) {
    const { W, b, shape: [fanIn, fanOut] } = weights[l];
    const z = new Float64Array(rows * fanOut);
    const a = new Float64Array(rows * fanOut);
    for (let r = 0; r < rows; ++r) {
      for (let j = 0; j < fanOut; ++j) {
        let s = b[j];
        for (let i = 0; i < fanIn; ++i) s += input[r * fanIn + i] * W[i * fanOut + j];
        z[r * fanOut + j] = s;
      }
      if (activations[l] === 'softmax') {
        let max = -Infinity;
        for (let j = 0; j < fanOut; ++j) max = Math.max(max, z[r * fanOut + j]);
        let sum = 0;
        for (let j = 0; j < fanOut; ++j) sum += Math.exp(z[r * fanOut + j] - max);
        for (let j = 0; j < fanOut; ++j) a[r * fanOut + j] = Math.exp(z[r * fanOut + j] - max) / sum;
      } else {
        const f = ACTIVATIONS[activations[l]];
        for (let j = 0; j < fanOut; ++j) a[r * fanOut + j] = f(z[r * fanOut + j]);
      }
    }
    out.push({ z, a });
    input = a;
  }
  return out;
}

export function meanStd(values) {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

/** The float32 bits of a Float32Array, for bit-for-bit comparisons. */
export const bits = (f32) => Array.from(new Uint32Array(f32.buffer, f32.byteOffset, f32.length));

/** The natively built engine's runner (build/native_run), for native-against-wasm tests. */
export const nativeRun = resolve(dirname(fileURLToPath(import.meta.url)), '../..', process.env.BUILD_DIR ?? 'build', 'native_run');
/** A test's `skip` when the native runner is not built, else false. */
export const nativeMissing = existsSync(nativeRun) ? false
  : `${nativeRun} is missing: build the native tree first (bash scripts/build native; npm test does)`;

/** Runs `config` natively (native_run CONFIG ...args) → its JSON output; throws with its stderr if it fails. */
export function runNative(config, args) {
  const dir = mkdtempSync(join(tmpdir(), 'initscope-native-'));
  try {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(config));
    const r = spawnSync(nativeRun, [file, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`native_run ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
    return JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A view of a run (`look(run)`) that must leave it as it was: after 5 steps, two calls give
 * the same result, the state and the snapshot do not move, and 7 more steps give the bits a
 * twin run that never looked gives.
 */
export function assertLeavesRunAsItWas(config, look) {
  const run = lab.createRun(config);
  const twin = lab.createRun(config);
  try {
    run.step(5);
    twin.step(5);
    const before = run.snapshot();
    const state = JSON.stringify(run.exportState());
    assert.deepEqual(look(run), look(run));
    assert.equal(JSON.stringify(run.exportState()), state);
    assert.deepEqual(run.snapshot(), before);
    run.step(7);
    twin.step(7);
    assert.equal(JSON.stringify(run.exportState()), JSON.stringify(twin.exportState()));
  } finally {
    run.dispose();
    twin.dispose();
  }
}

// Lazy and rich training (Chizat, Oyallon and Bach 2019, "On Lazy Training in
// Differentiable Programming"): scaling a model's output by α and its learning rate by 1/α²
// keeps its function-space dynamics the same to first order while its weights move about
// 1/α as far relative to their start, so a large initial scale trains lazily (the network
// stays close to its linearization); and wider layers move their weights less. Measured
// with the snapshot's weightChange (‖W − W₀‖/‖W₀‖ over every layer), which a sweep's cells
// carry as their weightChange metric: 0 at step 0, null for weights that start at zero.
//
// The tolerances: every run is deterministic (the same bits on every build and run), so
// what could fail is the effect itself holding for the seeds chosen rather than by the
// luck of one draw; each check runs on three seeds and asks for a margin far inside what
// each gives (the measured numbers are in the comments).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { runSweepHere, sweepToCsv } from '../../wasm/sweep.mjs';
import { lab, circles } from './helpers.mjs';

const SEEDS = [1, 2, 3];

// circles through one relu layer of `width` to one linear unit, mse, full-batch SGD.
const twoLayers = (seed, width, lr) => ({
  seed,
  data: { name: 'circles', train: 200, test: 0 },
  layers: [{ units: width, activation: 'relu' }, { units: 1, activation: 'linear' }],
  init: 'he_normal',
  loss: 'mse',
  optimizer: { name: 'sgd', lr, batch: 200 },
});

// ‖W − W₀‖/‖W₀‖ after `steps` steps from the seed's weights times `gain`, trained at
// lr / gain². With biases at zero the network is 2-homogeneous: weights × g is the output
// × α = g², and the rate over g² is Chizat et al.'s lr/α² in these weights. Their
// argument needs the initial output to be 0 (otherwise α·f(w₀) grows with α and training
// must undo it): the second half of the hidden units copies the first, with opposite
// output weights (their symmetrized start), set with setWeights, which makes it the W₀
// the change is measured from. A sweep's cells start from a seed's draw, whose output is
// not 0, which is why this check builds its runs itself.
function movedAtGain(seed, gain, { width = 64, lr = 0.05, steps = 300 } = {}) {
  const run = lab.createRun(twoLayers(seed, width, lr / gain ** 2));
  try {
    const [hidden, output] = run.weights();
    const half = width / 2;
    const twin = (j) => (j < half ? j : j - half);
    const W = Float32Array.from(hidden.W, (_, k) => gain * hidden.W[Math.floor(k / width) * width + twin(k % width)]);
    const V = Float32Array.from(output.W, (_, j) => gain * (j < half ? 1 : -1) * output.W[twin(j)]);
    run.setWeights([{ W, b: hidden.b }, { W: V, b: output.b }]);
    assert.equal(run.snapshot().weightChange, 0);
    const r = run.step(steps);
    assert.equal(r.diverged, null, `seed ${seed}, gain ${gain}`);
    return run.snapshot().weightChange;
  } finally {
    run.dispose();
  }
}

test('a larger output scale with the learning rate over its square moves the weights less (lazy training)', () => {
  // Measured, gains 0.25, 1, 4, 16: seed 1 1.05, 0.041, 7e-4, 4e-5; seed 2 1.38, 0.061,
  // 1.1e-3, 1e-4; seed 3 1.13, 0.063, 1.4e-3, 1e-4.
  const gains = [0.25, 1, 4, 16];
  for (const seed of SEEDS) {
    const moved = gains.map((g) => movedAtGain(seed, g));
    for (let i = 1; i < moved.length; ++i) assert.ok(moved[i] < moved[i - 1] / 4, `seed ${seed}: ${moved.join(', ')}`);
    assert.ok(moved[0] > 0.5, `seed ${seed}: the smallest scale trains richly (${moved[0]})`);
    assert.ok(moved[3] < 1e-3, `seed ${seed}: the largest lazily (${moved[3]})`);
  }
});

test('wider layers move their weights less (a width sweep)', () => {
  // Measured, widths 16, 64, 256 at lr 0.02: seed 1 0.117, 0.039, 0.012; seed 2 0.180,
  // 0.050, 0.013; seed 3 0.094, 0.024, 0.012 (train losses 0.19 to 0.25 in every cell).
  for (const seed of SEEDS) {
    const { cells } = runSweepHere(lab, { base: twoLayers(seed, 16, 0.02), x: { param: 'width', values: [16, 64, 256] }, steps: 300 });
    const moved = cells.map((c) => c.weightChange);
    assert.ok(moved[0] > moved[1] && moved[1] > moved[2], `seed ${seed}: ${moved.join(', ')}`);
    assert.ok(moved[0] >= 4 * moved[2], `seed ${seed}: width 16 moved ${moved[0]}, width 256 ${moved[2]}`);
  }
});

test('the snapshot says per layer how far the weights moved, and the sweep carries it to its CSV', () => {
  const run = lab.createRun(circles());
  try {
    const start = run.snapshot();
    assert.deepEqual(start.layers.map((l) => l.weightChange), [0, 0, 0]);
    assert.equal(start.weightChange, 0);
    const before = run.weights();
    run.step(100);
    const after = run.weights();
    const s = run.snapshot();
    // The same ratio computed here from the weights (float64 over float32 values).
    s.layers.forEach((l, i) => {
      let moved = 0;
      let size = 0;
      after[i].W.forEach((w, k) => { moved += (w - before[i].W[k]) ** 2; size += before[i].W[k] ** 2; });
      assert.ok(Math.abs(l.weightChange / Math.sqrt(moved / size) - 1) < 1e-12, `layer ${i}`);
    });
    run.reset();
    assert.equal(run.snapshot().weightChange, 0);
  } finally {
    run.dispose();
  }
  const zeros = lab.createRun(circles({ init: 'zeros' }));
  try {
    zeros.step(10);
    assert.deepEqual(zeros.snapshot().layers.map((l) => l.weightChange), [null, null, null]);
    assert.equal(zeros.snapshot().weightChange, null);
  } finally {
    zeros.dispose();
  }
  const result = runSweepHere(lab, { base: circles(), x: { param: 'seed', values: [1, 2] }, steps: 20 });
  const rows = sweepToCsv(result).trim().split('\r\n').map((r) => r.split(','));
  const column = rows[0].indexOf('weightChange');
  assert.ok(column > 0);
  assert.deepEqual(rows.slice(1).map((r) => Number(r[column])), result.cells.map((c) => c.weightChange));
  assert.ok(result.cells.every((c) => c.weightChange > 0));
});

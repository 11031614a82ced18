// Extreme but legal values: each is accepted, and the run either trains or stops with the
// engine's divergence report (step, layer, quantity), never a crash; the module keeps
// working after each. Own file: the 64 × 1024 network grows this module's memory to
// about 1.3 GiB, which no other test should share.
//
// Measured (Node 20, circles 2-10-5-1 unless said): constant 1e30 diverges at step 0 in
// layer 1's activations (10 · 1e30 · 1e30 overflows float32); orthogonal gain 1e6
// saturates every unit and stays at loss ln 2 = 0.6931; lr 1e6 with sgd at batch 32 sends
// layer 1's pre-activations to -Inf at its fourth step (relu hides them); 64 × 1024 relu
// units with sgd at batch 32 is estimated at 1344 MiB and holds 1336 MiB after a step.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertStillWorks, circles, lab } from './helpers.mjs';

const wide = (depth, optimizer) => ({
  seed: 1,
  data: { name: 'circles' },
  layers: [...Array(depth)].map(() => ({ units: 1024, activation: 'relu' })).concat([{ units: 1, activation: 'sigmoid' }]),
  optimizer,
});
const sgd = { name: 'sgd', lr: 0.01, batch: 32 };

test('constant 1e30: divergence at the first step, named by layer and quantity', () => {
  const run = lab.createRun(circles({ init: { name: 'constant', value: 1e30 } }));
  assert.equal(run.snapshot().layers[0].initStd, 0);
  const r = run.step(10);
  assert.deepEqual(r.diverged, { step: 0, layer: 1, quantity: 'activation' });
  assert.equal(r.step, 0, 'no step is taken past the divergence');
  assert.deepEqual(run.snapshot().diverged, r.diverged);
  assert.equal(run.evaluate().trainLoss, null, 'a loss that is not finite is null, not NaN');
  run.reinitialize(3);
  assert.equal(run.step(1).diverged.step, 0, 'the same weights diverge again');
  run.dispose();
  assertStillWorks(assert);
});

test('orthogonal gain 1e6: every unit saturates, the loss stays at ln 2, nothing overflows', () => {
  const run = lab.createRun(circles({ init: { name: 'orthogonal', gain: 1e6 } }));
  const r = run.step(100);
  assert.equal(r.diverged, null);
  assert.ok(Math.abs(r.loss - Math.LN2) < 1e-4, `loss ${r.loss}`);
  assert.equal(run.evaluate().trainAccuracy, 0.5, 'no learning');
  run.dispose();
  assertStillWorks(assert);
});

test('lr 1e6 with sgd: pre-activations overflow where relu hides them, and the run stops before that step', () => {
  const config = circles({ optimizer: { name: 'sgd', lr: 1e6, batch: 32 } });
  const run = lab.createRun(config);
  const r = run.step(100);
  assert.deepEqual(r.diverged, { step: 3, layer: 1, quantity: 'activation' });
  assert.equal(r.step, 3);
  // The run is the one before the diverging step: the weights of three steps, whose
  // layer-1 pre-activations already overflow to -Inf on the probe batch (relu makes them 0).
  const twin = lab.createRun(config);
  assert.equal(twin.step(3).diverged, null);
  assert.deepEqual(run.weights(), twin.weights());
  const s = run.snapshot();
  assert.ok(s.layers[1].z.nonfinite > 0, `layer 1 z nonfinite ${s.layers[1].z.nonfinite}`);
  assert.equal(s.layers[1].a.nonfinite, 0);
  assert.equal(s.layers[0].z.nonfinite + s.layers[0].a.nonfinite, 0);
  assert.ok(Number.isFinite(run.evaluate().trainLoss));
  run.dispose();
  twin.dispose();
  assertStillWorks(assert);
});

test('batch 4096 on circles trains full-batch', () => {
  const run = lab.createRun(circles({ optimizer: { name: 'sgd', lr: 0.5, batch: 4096 } }));
  const first = run.step(1).loss;
  const later = run.step(200).loss;
  assert.ok(later < first, `loss ${first} -> ${later}`);
  run.dispose();
});

test('64 hidden layers of 1024 units: adam at batch 4096 is refused before allocating, sgd at batch 32 trains, and a second big run waits for its memory', (t) => {
  const memory = lab.memoryBytes();
  assert.throws(() => lab.createRun(wide(64, { name: 'adam', batch: 4096 })),
    (err) => err.field === 'layers' && /needs about \d+ MiB, more than the 1536 MiB a run may use/.test(err.message));
  assert.equal(lab.memoryBytes(), memory, 'nothing was allocated for the refused network');
  const run = lab.createRun(wide(64, sgd));
  const r = run.step(1);
  assert.equal(r.step, 1);
  assert.equal(r.diverged, null);
  assert.ok(Number.isFinite(r.loss) && r.loss > 0, `loss ${r.loss}`);  // measured 0.794
  const s = run.snapshot();
  assert.equal(s.layers.length, 65);
  assert.equal(s.layers[10].fanIn, 1024);
  assert.ok(s.layers[63].a.rms > 0.01 && s.layers[63].a.rms < 100, `last hidden RMS ${s.layers[63].a.rms}`);  // He keeps it: 0.357
  t.diagnostic(`wasm memory ${memory} -> ${lab.memoryBytes()} bytes`);

  // A second big run while the first holds 1.3 GiB: refused with what is free, not a trap.
  assert.throws(() => lab.createRun(wide(48, sgd)), (err) => err.field === 'layers' &&
    /needs about \d+ MiB, but only \d+ MiB of memory are free beside the other runs; dispose of other runs/.test(err.message));
  assertStillWorks(assert);
  run.dispose();
  const second = lab.createRun(wide(48, sgd));
  assert.equal(second.step(1).step, 1, 'once the first is disposed, its memory serves the second');
  second.dispose();
});

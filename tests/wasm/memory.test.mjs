// Memory does not grow: 1000 create/step/dispose cycles and 10⁶ steps of the page's default
// network (lab.schema().config.default: circles 2-10-5-1, full-batch sgd) leave the wasm
// heap (malloc bytes in use, lab.heapInUse()) and the wasm memory (lab.memoryBytes()) where
// they were, up to a small fixed bound. Own file, so its own module instance: no other test
// has grown the memory before.
//
// Measured (Node 20, emscripten 3.1.6): the cycles leave the heap exactly where it was
// after 10 warm-up cycles (0 bytes) and the memory at its initial 32 MiB; a fresh run
// takes 139 KB (32 KiB of it the buffers the loss history crosses to JS in, reserved at
// their largest), its first 10⁴ steps, snapshot() and decisionGrid(32) 128 KB more (the
// training caches sized for the first 300-row batch, the loss history's two vectors
// reaching their 2048 entries), and the next 99·10⁴ steps 0 bytes. Refused input of every
// hostile class (multibyte text cut near the message limit, nesting 10⁴ deep, numbers JSON
// cannot hold, values JSON cannot carry, setWeights of the wrong type) leaves the heap
// exactly where it was, measured 0 bytes over 100 rounds. The last test fills the memory
// to its 2 GiB cap, so it comes last.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { InitscopeError } from '../../wasm/initscope.mjs';
import { BAD_INPUT_CLASSES, BAD_JS_CONFIGS } from './bad-configs.mjs';
import { circles, lab } from './helpers.mjs';

const config = lab.schema().config.default;

// Bounds with margin over what was measured (see above).
const CYCLE_HEAP_BOUND = 1024;       // bytes over the warmed-up heap, measured 0
const STEADY_HEAP_BOUND = 4096;      // bytes over the heap once the history is full, measured 0
const HISTORY_HEAP_BOUND = 256 * 1024;  // bytes over a fresh run's heap, measured 127600

function cycle() {
  const run = lab.createRun(config);
  run.step(5);
  run.snapshot();
  run.evaluate();
  run.weights();
  run.decisionGrid(16);
  run.predict();
  run.dataset();
  run.dispose();
}

test('1000 create/step/dispose cycles do not grow the heap or the memory', (t) => {
  for (let i = 0; i < 10; ++i) cycle();
  const heap = lab.heapInUse();
  const memory = lab.memoryBytes();
  let highest = heap;
  for (let i = 0; i < 1000; ++i) {
    cycle();
    if (i % 50 === 49) highest = Math.max(highest, lab.heapInUse());
  }
  const grown = lab.heapInUse() - heap;
  t.diagnostic(`heap after warm-up ${heap} B, after 1000 cycles ${lab.heapInUse()} B (${grown} B), ` +
    `highest sample ${highest} B; memory ${memory} -> ${lab.memoryBytes()} B`);
  assert.ok(grown <= CYCLE_HEAP_BOUND, `heap grew by ${grown} bytes over 1000 cycles`);
  assert.ok(highest - heap <= CYCLE_HEAP_BOUND, `heap peaked ${highest - heap} bytes over the start`);
  assert.equal(lab.memoryBytes(), memory, 'wasm memory grew');
});

test('10^6 steps of the default network do not grow the heap or the memory beyond the bounded history', (t) => {
  const fresh = lab.heapInUse();
  const memory = lab.memoryBytes();
  const run = lab.createRun(config);
  const created = lab.heapInUse();
  // Past 2048 steps the loss history is full and thins itself: nothing grows after that.
  run.step(10000);
  run.snapshot();
  run.evaluate();
  run.decisionGrid(32);
  const steady = lab.heapInUse();
  let highest = steady;
  for (let i = 0; i < 99; ++i) {
    run.step(10000);
    if (i % 10 === 0) {
      run.snapshot();
      run.evaluate();
      run.decisionGrid(32);
    }
    highest = Math.max(highest, lab.heapInUse());
  }
  const s = run.snapshot();
  assert.equal(s.step, 1000000);
  assert.equal(s.diverged, null);
  assert.ok(s.history.step.length <= 2048, `history has ${s.history.step.length} entries`);
  const end = lab.heapInUse();
  t.diagnostic(`heap: fresh run ${created - fresh} B, after 10^4 steps ${steady - created} B more, ` +
    `after 10^6 steps ${end - steady} B more (highest ${highest - steady}); history ${s.history.step.length} ` +
    `entries; memory ${memory} -> ${lab.memoryBytes()} B`);
  assert.ok(end - steady <= STEADY_HEAP_BOUND, `heap grew by ${end - steady} bytes from 10^4 to 10^6 steps`);
  assert.ok(highest - steady <= STEADY_HEAP_BOUND, `heap peaked ${highest - steady} bytes over 10^4 steps`);
  assert.ok(end - created <= HISTORY_HEAP_BOUND, `heap grew by ${end - created} bytes over the run`);
  assert.equal(lab.memoryBytes(), memory, 'wasm memory grew');
  run.dispose();
  assert.ok(lab.heapInUse() - fresh <= CYCLE_HEAP_BOUND, `dispose left ${lab.heapInUse() - fresh} bytes`);
});

test('refused input of every hostile class leaves no memory behind', (t) => {
  // A sample of each class: its first, middle and last rows.
  const sample = Object.values(BAD_INPUT_CLASSES).flatMap((rows) => [rows[0], rows[rows.length >> 1], rows[rows.length - 1]])
    .concat(BAD_JS_CONFIGS);
  const run = lab.createRun(circles());
  const layers = run.weights();
  const refusals = [
    ...sample.map(([, config]) => () => lab.createRun(config)),
    () => lab.meanField('€'.repeat(40), 1),
    () => lab.orderChaosBoundary(`{"name": ${'['.repeat(10000)}`, 0),
    () => lab.meanField({ name: 'relu', alpha: 1e309 }, 1),
    () => run.step(NaN),
    () => run.setWeights(layers.map((l, i) => (i === 1 ? { ...l, W: new BigInt64Array(l.W.length) } : l))),
    () => run.setWeights(layers.map((l, i) => (i === 2 ? { ...l, b: [Infinity] } : l))),
  ];
  const refuseAll = () => {
    for (const refuse of refusals) assert.throws(refuse, InitscopeError);
  };
  for (let i = 0; i < 3; ++i) refuseAll();  // warm-up: caches of the first calls
  const heap = lab.heapInUse();
  for (let i = 0; i < 100; ++i) refuseAll();
  const grown = lab.heapInUse() - heap;
  t.diagnostic(`${refusals.length} kinds of refusal x 100: heap ${heap} -> ${lab.heapInUse()} B (${grown} B)`);
  assert.ok(grown <= CYCLE_HEAP_BOUND, `heap grew by ${grown} bytes over 100 rounds of refusals`);
  assert.equal(run.step(2).step, 2, 'the run is unharmed');
  run.dispose();
});

test('setWeights with the memory near its cap is refused with a message, and the lab stays usable', (t) => {
  // Runs of 8 x 1024 units until the module refuses one, then narrower ones, until no
  // room for one more copy of the first run's parameters is left.
  const wide = (depth) => ({
    data: { name: 'circles', train: 64, test: 16 },
    layers: [...Array(depth)].map(() => ({ units: 1024, activation: 'relu' })).concat([{ units: 1, activation: 'sigmoid' }]),
    optimizer: { name: 'sgd', batch: 32 },
    stats: { probe: 32 },
  });
  const runs = [lab.createRun(wide(8))];
  const target = runs[0];
  const layers = target.weights();
  const params = layers.reduce((n, { W, b }) => n + W.length + b.length, 0);
  for (const depth of [8, 4, 2, 1]) {
    for (;;) {
      try {
        runs.push(lab.createRun(wide(depth)));
      } catch (err) {
        assert.ok(err instanceof InitscopeError && err.field === 'layers', err.message);
        break;
      }
    }
  }
  let error;
  try {
    target.setWeights(layers);
  } catch (err) {
    error = err;
  }
  t.diagnostic(`${runs.length} runs, heap ${(lab.heapInUse() / 2 ** 20).toFixed(0)} MiB, memory ` +
    `${(lab.memoryBytes() / 2 ** 20).toFixed(0)} MiB; setWeights of ${params} parameters: ${error?.message ?? 'accepted'}`);
  assert.ok(error instanceof InitscopeError, `expected a refusal, got ${error}`);
  assert.equal(error.field, 'weights');
  assert.match(error.message, /^weights: setting the weights of this network needs about \d+ MiB, but only \d+ MiB of memory are free beside the runs; dispose of other runs first$/);
  // The weights are unchanged, and once a run is gone the same call succeeds.
  assert.deepEqual(target.weights()[0].W, layers[0].W);
  runs.pop().dispose();
  runs.pop().dispose();
  layers[0].W[0] = 0.25;
  target.setWeights(layers);
  assert.equal(target.weights()[0].W[0], 0.25);
  for (const run of runs) run.dispose();
  const small = lab.createRun(circles());
  assert.equal(small.step(3).step, 3);
  small.dispose();
});

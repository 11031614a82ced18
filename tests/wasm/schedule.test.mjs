// Learning-rate schedules through the JS API, the page's link and edits, and the code export:
// a warm-up's first update is the update at a fraction of the learning rate, a schedule
// round-trips through run.config and the link, and the Python the code export writes
// computes the factors the schedule's definition gives.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { InitscopeError } from '../../wasm/initscope.mjs';
import { serialize, deserialize, scheduleOf, withSchedule } from '../../web/src/state.js';
import { kerasCode, pytorchCode } from '../../web/src/codegen.js';
import { lab } from './helpers.mjs';

const schema = lab.schema();
const defaults = schema.config.default;
const base = { data: { name: 'circles', train: 64, test: 0 }, layers: [{ units: 6, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] };

function weightsAfter(optimizer, steps) {
  const run = lab.createRun({ ...base, optimizer: { batch: 64, ...optimizer } });
  run.step(steps);
  const w = run.weights().map((l) => [...l.W, ...l.b]);
  run.dispose();
  return w.flat();
}

test('a warm-up of 4 updates takes its first at a quarter of the learning rate', () => {
  // lr·(1/4) and lr/4 are the same double (a power of two), so the weights are the same bits.
  assert.deepEqual(weightsAfter({ name: 'sgd', lr: 0.4, schedule: { name: 'constant', warmup: 4 } }, 1), weightsAfter({ name: 'sgd', lr: 0.1 }, 1));
  assert.notDeepEqual(weightsAfter({ name: 'sgd', lr: 0.4, schedule: { name: 'constant', warmup: 4 } }, 2), weightsAfter({ name: 'sgd', lr: 0.1 }, 2));
  // Step decay with gamma 0.5 every update: update s uses lr/2^s.
  assert.deepEqual(weightsAfter({ name: 'sgd', lr: 0.2, schedule: { name: 'step', every: 1, gamma: 0.5 } }, 1), weightsAfter({ name: 'sgd', lr: 0.2 }, 1));
});

test('run.config keeps a schedule with every param, and leaves out the default', () => {
  const run = lab.createRun({ ...base, optimizer: { name: 'adam', schedule: { name: 'cosine', steps: 300 } } });
  assert.deepEqual(run.config.optimizer.schedule, { name: 'cosine', warmup: 0, steps: 300, final: 0 });
  run.dispose();
  const plain = lab.createRun({ ...base, optimizer: { name: 'adam', schedule: 'constant' } });
  assert.equal('schedule' in plain.config.optimizer, false);
  plain.dispose();
  assert.throws(() => lab.createRun({ ...base, optimizer: { name: 'sgd', schedule: { name: 'cosine', gamma: 0.5 } } }),
    (err) => err instanceof InitscopeError && err.field === 'optimizer.schedule.gamma');
  assert.throws(() => lab.createRun({ ...base, optimizer: { name: 'sgd', schedule: 'linear' } }),
    (err) => err instanceof InitscopeError && err.field === 'optimizer.schedule' && /constant, step, cosine/.test(err.message));
});

test('the page\'s schedule edits keep the warm-up, drop the default and round-trip through the link', () => {
  const warm = withSchedule(defaults, schema, { warmup: 50 });
  assert.deepEqual(warm.optimizer.schedule, { name: 'constant', warmup: 50 });
  const cosine = withSchedule(warm, schema, { name: 'cosine' });
  assert.deepEqual(cosine.optimizer.schedule, { name: 'cosine', warmup: 50, steps: 1000, final: 0 });
  assert.deepEqual(scheduleOf(cosine, schema), cosine.optimizer.schedule);
  const link = serialize(cosine, defaults, schema);
  assert.match(decodeURIComponent(link), /schedule=cosine\(warmup=50,steps=1000,final=0\)/);
  const back = deserialize(link, defaults, schema);
  assert.deepEqual(back.notices, []);
  assert.deepEqual(back.config.optimizer.schedule, cosine.optimizer.schedule);
  const off = withSchedule(withSchedule(cosine, schema, { name: 'constant' }), schema, { warmup: 0 });
  assert.equal('schedule' in off.optimizer, false);
  const bad = deserialize('schedule=cosine(gamma=2)', defaults, schema);
  assert.equal(bad.notices.length, 1);
  assert.equal(bad.notices[0].key, 'schedule');
});

test('the code export schedules the learning rate: LambdaLR in PyTorch, a LearningRateSchedule in Keras', () => {
  const run = lab.createRun({ ...base, optimizer: { name: 'adam', lr: 0.01, schedule: { name: 'cosine', warmup: 10, steps: 90, final: 0.1 } } });
  const input = { config: run.config, snapshot: run.snapshot(), schema, dataset: run.dataset(),
    context: { title: 't', version: lab.version, link: 'http://x/', dataFile: 'd.csv', step: 0 } };
  run.dispose();
  const torch = pytorchCode(input);
  assert.match(torch, /scheduler = torch\.optim\.lr_scheduler\.LambdaLR\(optimizer, lr_factor\)/);
  assert.match(torch, /optimizer\.step\(\)\n\s+scheduler\.step\(\)/);
  const keras = kerasCode(input);
  assert.match(keras, /class Schedule\(keras\.optimizers\.schedules\.LearningRateSchedule\):/);
  assert.match(keras, /keras\.optimizers\.Adam\(learning_rate=Schedule\(\)/);
  // The function the PyTorch code defines gives each update's factor by the definition.
  const fn = torch.slice(torch.indexOf('def lr_factor'), torch.indexOf('scheduler = '));
  const out = execFileSync('python3', ['-c', `import math\n${fn}\nprint(" ".join(repr(lr_factor(s)) for s in range(120)))`], { encoding: 'utf8' });
  const factors = out.trim().split(' ').map(Number);
  factors.forEach((f, s) => {
    const want = s < 10 ? (s + 1) / 10 : 0.1 + 0.9 * (1 + Math.cos(Math.PI * Math.min(s - 10, 90) / 90)) / 2;
    assert.ok(Math.abs(f - want) <= 1e-15, `update ${s}: ${f} against ${want}`);
  });
});

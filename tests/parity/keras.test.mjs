// Keras is not in the system's packages, so the exported Keras script is checked by reading:
// for every optimizer and loss of the schema it names the Keras class and passes every
// parameter the schema lists for that optimizer, with the run's value; and both scripts are
// valid Python (compiled, not run, by /usr/bin/python3).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadInitscope } from '../../wasm/initscope.mjs';
import { exactInput, kerasScript, pytorchScript } from '../../wasm/exactScript.mjs';

const PYTHON = process.env.PARITY_PYTHON ?? '/usr/bin/python3';
const lab = await loadInitscope();
const schema = lab.schema();
const dir = mkdtempSync(join(tmpdir(), 'initscope-keras-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// The Keras 3 class of each optimizer and the keyword of each schema parameter.
const KERAS_CLASS = { sgd: 'SGD', momentum: 'SGD', nesterov: 'SGD', rmsprop: 'RMSprop', adam: 'Adam' };
const KERAS_ARG = {
  lr: 'learning_rate', momentum: 'momentum', rho: 'rho', epsilon: 'epsilon', beta1: 'beta_1', beta2: 'beta_2',
  clipNorm: 'global_clipnorm', clipValue: 'clipvalue',
};
const KERAS_LOSS = { bce: 'BinaryCrossentropy(from_logits=True)', cross_entropy: 'CategoricalCrossentropy(from_logits=True)', mse: 'MeanSquaredError()' };
// Values other than the defaults, so that a parameter left out shows.
const VALUES = { lr: 0.0123, momentum: 0.77, rho: 0.81, epsilon: 0.0005, beta1: 0.85, beta2: 0.995, clipNorm: 1.5, clipValue: 0.25, weightDecay: 0.003 };

const python = (value) => (Number.isInteger(value) ? `${value}.0` : String(value));

function compiles(name, text) {
  const file = join(dir, `${name}.py`);
  writeFileSync(file, text);
  execFileSync(PYTHON, ['-m', 'py_compile', file]);
}

// Keras 3 takes one of clipvalue and global_clipnorm: each alone is an argument, both
// together a subclass that clips as the engine does (value, then global norm).
const CLIPS = { 'clipNorm alone': ['clipValue'], 'clipValue alone': ['clipNorm'], 'both clips': [] };

for (const row of schema.optimizers.optimizers) {
  const conventions = row.params.includes('convention') ? ['keras', 'pytorch'] : ['keras'];
  for (const convention of conventions) {
    test(`the Keras script of ${row.name} (convention ${convention}) passes every parameter the schema lists`, () => {
      for (const [clips, leftOut] of Object.entries(CLIPS)) {
        const optimizer = { name: row.name, batch: 16, convention };
        for (const p of row.params) if (p in VALUES && !leftOut.includes(p)) optimizer[p] = VALUES[p];
        const run = lab.createRun({ data: { name: 'circles', train: 64, test: 0 }, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], optimizer });
        run.step(3);
        const input = exactInput(run, { steps: 5 });
        const keras = kerasScript(input);
        const customRule = convention === 'pytorch' && (row.name === 'adam' || row.name === 'rmsprop');
        const both = leftOut.length === 0;
        const given = row.params.filter((p) => p in VALUES && !leftOut.includes(p));
        if (both) {
          assert.ok(keras.includes(`ops.clip(g, -${python(VALUES.clipValue)}, ${python(VALUES.clipValue)})`), `${clips}: values clipped first`);
          assert.ok(keras.includes(`${python(VALUES.clipNorm)} / ops.maximum(norm, ${python(VALUES.clipNorm)})`), `${clips}: then the global norm`);
          assert.ok(!/clipvalue=|global_clipnorm=/.test(keras), `${clips}: no clip keyword (Keras refuses two)`);
        }
        if (customRule) {
          assert.match(keras, /class PytorchRule\(keras\.optimizers\.Optimizer\)/);
          assert.match(keras, new RegExp(`learning_rate=${python(VALUES.lr)}`));
          for (const p of given) {
            if (p === 'lr' || p === 'convention' || p === 'weightDecay' || (both && (p === 'clipNorm' || p === 'clipValue'))) continue;
            const word = { epsilon: python(VALUES.epsilon), rho: python(VALUES.rho), beta1: python(VALUES.beta1), beta2: python(VALUES.beta2), clipNorm: `global_clipnorm=${python(VALUES.clipNorm)}`, clipValue: `clipvalue=${python(VALUES.clipValue)}` }[p];
            assert.ok(word && keras.includes(word), `${clips}: ${p} (${word}) is in the PyTorch rule written for Keras`);
          }
        } else {
          const call = both ? /^optimizer = Clipped\(([^)]*)\)$/m.exec(keras) : new RegExp(`keras\\.optimizers\\.${KERAS_CLASS[row.name]}\\(([^)]*)\\)`).exec(keras);
          assert.ok(call, `${clips}: keras.optimizers.${KERAS_CLASS[row.name]} is named`);
          if (both) assert.ok(keras.includes(`class Clipped(keras.optimizers.${KERAS_CLASS[row.name]}):`));
          for (const p of given) {
            if (p === 'convention' || (both && (p === 'clipNorm' || p === 'clipValue'))) continue;
            if (p === 'weightDecay') {
              assert.ok(keras.includes(`kernel_regularizer=keras.regularizers.L2(${python(VALUES.weightDecay)} / 2)`), 'weightDecay: L2(λ/2) on every kernel');
              continue;
            }
            assert.ok(p in KERAS_ARG, `the schema's ${row.name} parameter ${p} has a Keras keyword here`);
            assert.ok(call[1].includes(`${KERAS_ARG[p]}=${python(VALUES[p])}`), `${clips}: ${p} → ${KERAS_ARG[p]}=${python(VALUES[p])} in ${call[0]}`);
          }
          if (row.name === 'nesterov') assert.ok(call[1].includes('nesterov=True'));
        }
        compiles(`keras_${row.name}_${convention}_${leftOut.join('') || 'both'}`, keras);
        compiles(`pytorch_${row.name}_${convention}_${leftOut.join('') || 'both'}`, pytorchScript(input));
        run.dispose();
      }
    });
  }
}

test('the Keras script names the loss class of every loss of the schema, from logits where the engine is', () => {
  const outputs = { bce: [1, 'sigmoid'], cross_entropy: [3, 'softmax'], mse: [1, 'linear'] };
  for (const { name } of schema.losses) {
    assert.ok(name in KERAS_LOSS, `a Keras loss for ${name}`);
    const [units, activation] = outputs[name];
    const run = lab.createRun({ data: units === 3 ? { name: 'gaussian', dim: 2, classes: 3, train: 60, test: 0 } : { name: 'circles', train: 60, test: 0 }, layers: [{ units: 4, activation: 'relu' }, { units, activation }], loss: name });
    const keras = kerasScript(exactInput(run, { steps: 2 }));
    assert.ok(keras.includes(`loss=keras.losses.${KERAS_LOSS[name]}`), `${name}: keras.losses.${KERAS_LOSS[name]}`);
    assert.ok(keras.includes('model.set_weights('), 'the initial weights are set');
    assert.ok(keras.includes('model.train_on_batch(x_train[batch], targets[batch])'), 'each step trains on its own rows');
    compiles(`keras_loss_${name}`, keras);
    run.dispose();
  }
});

test('both scripts of a network with layernorm layers name the layer with the run\'s epsilon and compile', () => {
  const run = lab.createRun({ data: { name: 'circles', train: 64, test: 0 }, layers: [{ units: 6, activation: 'relu' }, { kind: 'layernorm', epsilon: 0.001 }, { units: 1, activation: 'sigmoid' }] });
  run.step(2);
  const input = exactInput(run, { steps: 4 });
  run.dispose();
  assert.deepEqual(input.shapes, [[2, 6], [6, 6], [6, 1]]);
  const keras = kerasScript(input);
  assert.ok(keras.includes('keras.layers.LayerNormalization(epsilon=0.001),'));
  assert.ok(keras.includes('LAYERS = [("dense", 2, 6), ("layernorm", 6, 6), ("dense", 6, 1)]'));
  const torch = pytorchScript(input);
  assert.ok(torch.includes('nn.LayerNorm(6, eps=0.001),'));
  compiles('layernorm_keras', keras);
  compiles('layernorm_pytorch', torch);
});

test('both scripts of a network with batchnorm layers name the layer with the run\'s epsilon and momentum, load its running averages and compile', () => {
  const run = lab.createRun({ data: { name: 'circles', train: 64, test: 0 }, layers: [{ units: 6, activation: 'relu' }, { kind: 'batchnorm', epsilon: 0.001, momentum: 0.01 }, { units: 1, activation: 'sigmoid' }], optimizer: { name: 'adam', batch: 16 } });
  run.step(2);
  const input = exactInput(run, { steps: 4 });
  run.dispose();
  assert.deepEqual(input.shapes, [[2, 6], [6, 6], [6, 1]]);
  assert.equal(typeof input.initialRunning, 'string');
  const keras = kerasScript(input);
  // Keras's momentum is what the running averages keep: 1 − m.
  assert.ok(keras.includes('keras.layers.BatchNormalization(momentum=1 - 0.01, epsilon=0.001),'));
  assert.ok(keras.includes('LAYERS = [("dense", 2, 6), ("batchnorm", 6, 6), ("dense", 6, 1)]'));
  assert.ok(keras.includes('INITIAL_RUNNING = ('));
  assert.ok(keras.includes('(w, b, *next(moving)) if kind == "batchnorm"'), 'gamma, beta, moving mean and variance');
  const torch = pytorchScript(input);
  assert.ok(torch.includes('nn.BatchNorm1d(6, eps=0.001, momentum=0.01),'));
  assert.ok(torch.includes('layer.running_var.copy_('));
  assert.ok(torch.includes('model.train()'));
  compiles('batchnorm_keras', keras);
  compiles('batchnorm_pytorch', torch);
});

test('both scripts of a run with a learning-rate schedule write it from the schema\'s row and compile', () => {
  for (const [optimizer, torchRule] of [[{ name: 'adam', convention: 'pytorch' }, /LambdaLR\(optimizer, lr_factor\)/], [{ name: 'momentum' }, /lr = 0\.01 \* lr_factor\(self\.t - 1\)/]]) {
    const run = lab.createRun({ data: { name: 'circles', train: 64, test: 0 }, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], optimizer: { ...optimizer, lr: 0.01, schedule: { name: 'cosine', warmup: 3, steps: 10 } } });
    run.step(2);
    assert.throws(() => exactInput(run, { steps: 4 }), /options\.schema/);
    const input = exactInput(run, { steps: 4, schema });
    run.dispose();
    const keras = kerasScript(input);
    assert.match(keras, /class Schedule\(keras\.optimizers\.schedules\.LearningRateSchedule\):/);
    assert.match(keras, /learning_rate=Schedule\(\)/);
    const torch = pytorchScript(input);
    assert.match(torch, /def lr_factor\(s\):/);
    assert.match(torch, torchRule);
    compiles(`schedule_${optimizer.name}_keras`, keras);
    compiles(`schedule_${optimizer.name}_pytorch`, torch);
  }
});

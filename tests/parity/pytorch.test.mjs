// The parity tier (npm run test:parity): the exported PyTorch script, run as is by
// Debian's PyTorch, prints the engine's per-step minibatch losses. For each run of the
// table the engine takes 200 steps, wasm/exactScript.mjs writes the script, python runs it,
// and every step's loss must agree within a relative 1e-4.
//
// Why not equal bits: both sides store float32, but the engine sums its matrix products in
// its own blocked order, keeps the optimizer's state and arithmetic in float64 and computes
// the loss in float64, while torch sums in MKL/its own order and updates in float32. Each
// float32 operation rounds at about 6e-8 relative; a step of a few hundred such operations
// moves the weights by ~1e-7 relative, and training carries those differences forward,
// amplified where the loss surface is steep (ReLU kinks flip, Adam divides by √v). Over 200
// steps of the runs below the largest difference measured is printed per run (t.diagnostic):
// 1e-4 leaves room for that growth and still fails on any wrong rule, order or weight (those
// show at the first steps as differences of 1e-3 and more).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadInitscope } from '../../wasm/initscope.mjs';
import { exactInput, pytorchScript } from '../../wasm/exactScript.mjs';

const PYTHON = process.env.PARITY_PYTHON ?? '/usr/bin/python3';
const STEPS = 200;
const TOLERANCE = 1e-4;

const lab = await loadInitscope();
const dir = mkdtempSync(join(tmpdir(), 'initscope-parity-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const net = (units, activation, out = { units: 1, activation: 'sigmoid' }) => [...units.map((u) => ({ units: u, activation })), out];

// Every optimizer (both conventions where they differ), clipping by value and by norm, L2,
// each loss, nine initializers, full batches and minibatches, networks with layernorm and batchnorm layers and
// with residual blocks, two learning-rate schedules.
const RUNS = [
  { name: 'sgd full batch, he_normal, relu, bce', config: { data: { name: 'circles', train: 200, test: 0 }, layers: net([8, 8], 'relu'), init: 'he_normal', loss: 'bce', optimizer: { name: 'sgd', lr: 0.1, batch: 200 } } },
  { name: 'momentum keras, minibatch, glorot_uniform, tanh', config: { data: { name: 'moons', train: 256, test: 0 }, layers: net([16], 'tanh'), init: 'glorot_uniform', loss: 'bce', optimizer: { name: 'momentum', lr: 0.05, momentum: 0.9, batch: 32 } } },
  { name: 'momentum pytorch, minibatch, clipValue', config: { data: { name: 'moons', train: 256, test: 0 }, layers: net([16], 'tanh'), init: 'glorot_uniform', loss: 'bce', optimizer: { name: 'momentum', lr: 0.05, momentum: 0.9, batch: 32, clipValue: 0.1, convention: 'pytorch' } } },
  { name: 'nesterov keras, minibatch, lecun_normal, selu, cross-entropy', config: { data: { name: 'gaussian', dim: 4, classes: 3, train: 300, test: 0 }, layers: net([16, 16], 'selu', { units: 3, activation: 'softmax' }), init: 'lecun_normal', loss: 'cross_entropy', optimizer: { name: 'nesterov', lr: 0.02, momentum: 0.9, batch: 50 } } },
  { name: 'nesterov pytorch, minibatch, L2', config: { data: { name: 'gaussian', dim: 4, classes: 3, train: 300, test: 0 }, layers: net([16, 16], 'selu', { units: 3, activation: 'softmax' }), init: 'lecun_normal', loss: 'cross_entropy', optimizer: { name: 'nesterov', lr: 0.02, momentum: 0.9, batch: 50, weightDecay: 0.01, convention: 'pytorch' } } },
  { name: 'rmsprop keras, full batch, orthogonal, gelu', config: { data: { name: 'circles', train: 256, test: 0 }, layers: net([16], 'gelu'), init: 'orthogonal', loss: 'bce', optimizer: { name: 'rmsprop', lr: 0.003, batch: 256 } } },
  { name: 'rmsprop pytorch, minibatch, orthogonal, tanh', config: { data: { name: 'circles', train: 256, test: 0 }, layers: net([16], 'tanh'), init: 'orthogonal', loss: 'bce', optimizer: { name: 'rmsprop', lr: 0.003, batch: 64, convention: 'pytorch' } } },
  { name: 'adam keras, minibatch, kaiming_uniform_, leaky_relu, clipNorm', config: { data: { name: 'circles', train: 256, test: 0 }, layers: net([12, 12], { name: 'leaky_relu', alpha: 0.1 }), init: 'kaiming_uniform_', loss: 'bce', optimizer: { name: 'adam', lr: 0.005, batch: 64, clipNorm: 0.5 } } },
  { name: 'adam pytorch, minibatch, kaiming_uniform_, leaky_relu, clipNorm', config: { data: { name: 'circles', train: 256, test: 0 }, layers: net([12, 12], { name: 'leaky_relu', alpha: 0.1 }), init: 'kaiming_uniform_', loss: 'bce', optimizer: { name: 'adam', lr: 0.005, batch: 64, clipNorm: 0.5, convention: 'pytorch' } } },
  { name: 'adam pytorch, digits, random_normal, elu, cross-entropy', config: { data: { name: 'digits', train: 500, test: 0, normalize: 'minmax' }, layers: net([32], 'elu', { units: 10, activation: 'softmax' }), init: { name: 'random_normal', stddev: 0.1 }, loss: 'cross_entropy', optimizer: { name: 'adam', lr: 0.002, batch: 100, convention: 'pytorch' } } },
  { name: 'sgd, iris full batch, xavier_normal_, swish, mse one-hot, L2 and clipValue', config: { data: { name: 'iris', normalize: 'standardize' }, layers: net([10], 'swish', { units: 3, activation: 'softmax' }), init: 'xavier_normal_', loss: 'mse', optimizer: { name: 'sgd', lr: 0.5, batch: 4096, weightDecay: 0.001, clipValue: 0.05 } } },
  { name: 'momentum keras, lsuv, softplus, mse sigmoid output', config: { data: { name: 'circles', train: 128, test: 0 }, layers: net([8], 'softplus'), init: 'lsuv', loss: 'mse', optimizer: { name: 'momentum', lr: 0.1, batch: 16 } } },
  { name: 'adam pytorch, minibatch, layernorm after each relu layer, L2', config: { data: { name: 'circles', train: 256, test: 0 }, layers: [{ units: 12, activation: 'relu' }, { kind: 'layernorm' }, { units: 12, activation: 'relu' }, { kind: 'layernorm', epsilon: 0.001 }, { units: 1, activation: 'sigmoid' }], init: 'he_normal', loss: 'bce', optimizer: { name: 'adam', lr: 0.005, batch: 64, weightDecay: 0.001, convention: 'pytorch' } } },
  { name: 'adam pytorch, minibatch, batchnorm after each relu layer', config: { data: { name: 'circles', train: 256, test: 0 }, layers: [{ units: 12, activation: 'relu' }, { kind: 'batchnorm' }, { units: 12, activation: 'relu' }, { kind: 'batchnorm', epsilon: 0.001, momentum: 0.01 }, { units: 1, activation: 'sigmoid' }], init: 'he_normal', loss: 'bce', optimizer: { name: 'adam', lr: 0.005, batch: 64, convention: 'pytorch' } } },
  { name: 'adam pytorch, cosine schedule after a warm-up (LambdaLR)', config: { data: { name: 'moons', train: 256, test: 0 }, layers: net([12, 12], 'tanh'), init: 'glorot_normal', loss: 'bce', optimizer: { name: 'adam', lr: 0.01, batch: 64, convention: 'pytorch', schedule: { name: 'cosine', warmup: 20, steps: 150, final: 0.05 } } } },
  { name: 'momentum keras, step schedule after a warm-up (the script\'s own rule)', config: { data: { name: 'circles', train: 200, test: 0 }, layers: net([10], 'relu'), init: 'he_uniform', loss: 'bce', optimizer: { name: 'momentum', lr: 0.1, momentum: 0.9, batch: 50, schedule: { name: 'step', warmup: 10, every: 40, gamma: 0.5 } } } },
  { name: 'adam keras, full batch, he_uniform, gelu, mse', config: { data: { name: 'moons', train: 200, test: 0 }, layers: net([10], 'gelu', { units: 1, activation: 'linear' }), init: 'he_uniform', loss: 'mse', optimizer: { name: 'adam', lr: 0.003, batch: 200 } } },
  // Residual initializations: the engine scales and zeroes the sampled tensors and sets the
  // gates; the script carries the initial weights and the echo's gates, so it starts there too.
  { name: 'momentum keras, residualInit fixup: four blocks without norm, branch 2 and 1', config: { data: { name: 'circles', train: 256, test: 0 }, layers: [{ units: 12, activation: 'relu' }, { kind: 'residual', activation: 'relu' }, { kind: 'residual', activation: 'relu', hidden: 6 }, { kind: 'residual', activation: 'relu' }, { kind: 'residual', activation: 'relu', branch: 1 }, { units: 1, activation: 'sigmoid' }], init: 'he_normal', loss: 'bce', residualInit: 'fixup', optimizer: { name: 'momentum', lr: 0.02, momentum: 0.9, batch: 64 } } },
  { name: 'adam pytorch, residualInit rezero: gates from 0, a pre-norm LayerNorm block', config: { data: { name: 'moons', train: 256, test: 0 }, layers: [{ units: 12, activation: 'tanh' }, { kind: 'residual', activation: 'tanh' }, { kind: 'residual', activation: 'tanh', norm: 'layernorm' }, { kind: 'residual', activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], init: 'glorot_normal', loss: 'bce', residualInit: 'rezero', optimizer: { name: 'adam', lr: 0.003, batch: 64, convention: 'pytorch' } } },
  // Momentum, not Adam: a bias before a batchnorm in training mode (a post-norm block's b2) has a
  // zero gradient up to rounding, which Adam's g/√v turns into steps of full size in each side's
  // own direction; the loss ignores it, the running means (and so the evaluation) do not.
  { name: 'momentum pytorch, residual blocks: branch 2 pre-norm LayerNorm with a trainable gate, post-norm BatchNorm after the addition, branch 1', config: { data: { name: 'circles', train: 256, test: 0 }, layers: [{ units: 12, activation: 'relu' }, { kind: 'residual', activation: 'relu', hidden: 8, gate: 'trainable', alpha: 0.5, norm: 'layernorm', normAt: 'pre' }, { kind: 'residual', activation: 'tanh', activationAt: 'after', norm: 'batchnorm', normAt: 'post', normEpsilon: 0.001 }, { kind: 'residual', activation: { name: 'leaky_relu', alpha: 0.1 }, branch: 1, alpha: 0.3 }, { units: 1, activation: 'sigmoid' }], init: 'he_normal', loss: 'bce', optimizer: { name: 'momentum', lr: 0.02, momentum: 0.9, batch: 64, convention: 'pytorch' } } },
];

// The script's lines: "step loss engine relative" (engine and relative where the run had one).
function scriptLosses(output) {
  const rows = [];
  for (const line of output.split('\n')) {
    const m = /^\s*(\d+) (\S+)(?: (\S+) (\S+))?$/.exec(line);
    if (m) rows.push({ step: Number(m[1]), loss: Number(m[2]), engine: m[3] === undefined ? null : Number(m[3]) });
  }
  return rows;
}

for (const { name, config } of RUNS) {
  test(`parity over ${STEPS} steps: ${name}`, (t) => {
    const run = lab.createRun({ seed: 7, ...config });
    const engine = [];
    for (let s = 0; s < STEPS; ++s) {
      const r = run.step(1);
      assert.equal(r.diverged, null, `the run must not diverge (step ${s + 1})`);
      engine.push(r.loss);
    }
    const input = exactInput(run, { steps: STEPS, schema: lab.schema() });
    assert.deepEqual(input.losses, engine, 'the script carries the engine\'s losses of every step');
    const file = join(dir, `${name.replace(/\W+/g, '_')}.py`);
    writeFileSync(file, pytorchScript(input));
    const output = execFileSync(PYTHON, [file], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const rows = scriptLosses(output);
    assert.equal(rows.length, STEPS, `the script prints ${STEPS} steps`);
    let worst = 0;
    let at = -1;
    rows.forEach((row, s) => {
      assert.equal(row.step, s);
      assert.equal(row.engine, Number(engine[s].toExponential(9)), 'the script prints the engine\'s loss');
      const rel = Math.abs(row.loss - engine[s]) / Math.max(Math.abs(engine[s]), 1e-30);
      if (rel > worst) { worst = rel; at = s; }
    });
    t.diagnostic(`largest relative difference ${worst.toExponential(2)} at step ${at} (loss ${engine[0].toPrecision(4)} → ${engine[STEPS - 1].toPrecision(4)})`);
    assert.ok(worst < TOLERANCE, `largest relative difference ${worst.toExponential(2)} at step ${at} (engine ${engine[at]}, script ${rows[at].loss})`);
    run.dispose();
  });
}

// Batchnorm's running averages never touch a training loss: after the replay, the script's
// nn.BatchNorm1d buffers and its model.eval() loss must be the engine's weights().running and
// evaluate() loss, within the same tolerance.
for (const which of ['batchnorm after each', 'residual blocks']) test(`${which}: the running averages and evaluation loss after ${STEPS} steps are PyTorch's`, (t) => {
  const { config } = RUNS.find((r) => r.name.includes(which));
  const run = lab.createRun({ seed: 7, ...config });
  run.step(STEPS);
  const file = join(dir, `${which.replace(/\W+/g, '_')}_running.py`);
  writeFileSync(file, `${pytorchScript(exactInput(run, { steps: STEPS, schema: lab.schema() }))}
bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm1d)]
print("RUNNING", " ".join(repr(float(v)) for m in bns for v in torch.cat([m.running_mean, m.running_var])))
model.eval()
with torch.no_grad():
    print("EVAL", repr(float(loss_fn(model(x_all), t_all))))
`);
  const output = execFileSync(PYTHON, [file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const torchRunning = /^RUNNING (.*)$/m.exec(output)[1].split(' ').map(Number);
  const torchEval = Number(/^EVAL (.*)$/m.exec(output)[1]);
  const engineRunning = run.weights().flatMap((l) => (l.running ? Array.from(l.running) : []));
  assert.equal(torchRunning.length, engineRunning.length);
  const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-6);
  const worst = Math.max(...engineRunning.map((v, i) => rel(v, torchRunning[i])));
  const evalRel = rel(run.evaluate().trainLoss, torchEval);
  t.diagnostic(`running averages: largest relative difference ${worst.toExponential(2)}; evaluation loss ${evalRel.toExponential(2)}`);
  assert.ok(worst < TOLERANCE, `running averages differ by ${worst}`);
  assert.ok(evalRel < TOLERANCE, `evaluation loss differs by ${evalRel}`);
  run.dispose();
});

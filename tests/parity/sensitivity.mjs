#!/usr/bin/env node
// Rounding carried forward, or a rule that differs? For runs the parity table leaves out
// (README.md here), the largest relative difference of the per-step loss up to step n:
// the exported PyTorch script against the engine ("torch"), the engine against itself with
// one initial weight moved by one float32 ulp ("engine 1 ulp"), and the script told the
// other optimizer convention ("other conv.", a rule that differs on purpose).
// Usage: node tests/parity/sensitivity.mjs [RUN NAME]   (PARITY_PYTHON: default /usr/bin/python3)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { exactInput, pytorchScript } from '../../wasm/exactScript.mjs';
const lab = await loadInitscope();
const PYTHON = process.env.PARITY_PYTHON ?? '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'initscope-sensitivity-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const STEPS = 200;
const net = (units, activation, out) => [...units.map((u) => ({ units: u, activation })), out];
const RUNS = {
  'rmsprop keras, full batch, mse, linear output, linear set': { seed: 7, data: { name: 'linear', train: 200, test: 0 }, layers: net([10], 'tanh', { units: 1, activation: 'linear' }), init: 'glorot_uniform', loss: 'mse', optimizer: { name: 'rmsprop', lr: 0.003, batch: 200 } },
  'rmsprop pytorch, full batch, mse, linear output, linear set': { seed: 7, data: { name: 'linear', train: 200, test: 0 }, layers: net([10], 'tanh', { units: 1, activation: 'linear' }), init: 'glorot_uniform', loss: 'mse', optimizer: { name: 'rmsprop', lr: 0.003, batch: 200, convention: 'pytorch' } },
  'momentum keras, xor, batch 2, relu': { seed: 7, data: { name: 'xor' }, layers: net([8, 8], 'relu', { units: 1, activation: 'sigmoid' }), init: 'he_normal', loss: 'bce', optimizer: { name: 'momentum', lr: 0.1, momentum: 0.9, batch: 2 } },
  'rmsprop keras, xor, batch 2, relu, mse': { seed: 7, data: { name: 'xor' }, layers: net([8], 'relu', { units: 1, activation: 'linear' }), init: 'he_uniform', loss: 'mse', optimizer: { name: 'rmsprop', lr: 0.01, batch: 2 } },
  'adam pytorch, xor, batch 2, relu': { seed: 7, data: { name: 'xor' }, layers: net([4], 'relu', { units: 1, activation: 'sigmoid' }), init: 'he_normal', loss: 'bce', optimizer: { name: 'adam', lr: 0.05, batch: 2, convention: 'pytorch' } },
  'sgd, xor, batch 2': { seed: 7, data: { name: 'xor' }, layers: net([8], 'tanh', { units: 1, activation: 'sigmoid' }), init: 'glorot_uniform', loss: 'bce', optimizer: { name: 'sgd', lr: 0.5, batch: 2 } },
  'adam keras, xor, batch 2': { seed: 7, data: { name: 'xor' }, layers: net([8], 'tanh', { units: 1, activation: 'sigmoid' }), init: 'glorot_uniform', loss: 'bce', optimizer: { name: 'adam', lr: 0.05, batch: 2 } },
};
function losses(config, perturb) {
  const run = lab.createRun(config);
  if (perturb) {
    const w = run.weights();
    const W = Float32Array.from(w[0].W);
    const bits = new Uint32Array(W.buffer);
    let k = 0;
    for (let i = 1; i < W.length; i++) if (Math.abs(W[i]) > Math.abs(W[k])) k = i;
    bits[k] += 1;  // one ulp of the largest first-layer weight
    run.setWeights(w.map((l, k) => ({ W: k === 0 ? W : l.W, b: l.b })));
  }
  const out = [];
  for (let s = 0; s < STEPS; s++) out.push(run.step(1).loss);
  return { run, out };
}
const at = [1, 2, 5, 10, 20, 50, 100, 150, 200];
for (const [name, config] of Object.entries(process.argv[2] ? { [process.argv[2]]: RUNS[process.argv[2]] } : RUNS)) {
  const { run, out: engine } = losses(config, false);
  const { run: other, out: moved } = losses(config, true);
  other.dispose();
  const file = join(dir, `${name.replace(/\W+/g, '_')}.py`);
  const input = exactInput(run, { steps: STEPS, schema: lab.schema() });
  // A rule mismatch for comparison: the script told the other convention.
  const o = input.config.optimizer;
  const wrong = { ...input, config: { ...input.config, optimizer: { ...o, convention: o.convention === 'pytorch' ? 'keras' : 'pytorch' } } };
  writeFileSync(file, pytorchScript(input));
  writeFileSync(`${file}.wrong.py`, pytorchScript(wrong));
  run.dispose();
  const text = execFileSync(PYTHON, [file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const read = (t) => { const out = []; for (const line of t.split('\n')) { const m = /^\s*(\d+) (\S+)/.exec(line); if (m) out[Number(m[1])] = Number(m[2]); } return out; };
  const torch = read(text);
  const mismatch = read(execFileSync(PYTHON, [`${file}.wrong.py`], { encoding: 'utf8', maxBuffer: 1 << 24 }));
  const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
  const maxTo = (arr, n) => Math.max(...arr.slice(0, n).map((v, i) => rel(v, engine[i])));
  console.log(`${name}: loss ${engine[0].toPrecision(4)} → ${engine[STEPS - 1].toPrecision(4)}`);
  console.log('  steps        ' + at.map((n) => String(n).padStart(8)).join(''));
  console.log('  torch        ' + at.map((n) => maxTo(torch, n).toExponential(1).padStart(8)).join(''));
  console.log('  engine 1 ulp ' + at.map((n) => maxTo(moved, n).toExponential(1).padStart(8)).join(''));
  if (config.optimizer.name !== 'sgd') console.log('  other conv.  ' + at.map((n) => maxTo(mismatch, n).toExponential(1).padStart(8)).join(''));
}

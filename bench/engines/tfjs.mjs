// TensorFlow.js 4.x (tfjs-core with the cpu or the wasm backend; never tfjs-node), one
// thread, float32: the same networks as the engine (residual blocks with LayerNorm written
// from tf ops), trained with tf.train.sgd on minibatches held in memory as tensors.
//   node tfjs.mjs cpu|wasm
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs'; // the umbrella: tfjs-core + registered gradients + the cpu backend

import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { byId, shapeOf } from '../configs.mjs';
import { calibrate, serve, timeWindow } from './common.mjs';

const backend = process.argv[2] ?? 'cpu';
if (backend === 'wasm') {
  // One thread: the single-threaded SIMD build, never the threaded one.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
}
await tf.setBackend(backend);
await tf.ready();

// A small seeded generator, so every process builds the same data and weights.
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function activate(name, z) {
  switch (name) {
    case 'relu': return tf.relu(z);
    case 'sigmoid': return tf.sigmoid(z);
    case 'tanh': return tf.tanh(z);
    case 'linear': case 'softmax': return z; // softmax is fused into the loss
    default: throw new Error(`no activation ${name}`);
  }
}

function build(id) {
  const s = shapeOf(byId[id]);
  const rand = lcg(12345);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  // Data: rows × inputDim normals (xor: its four points), labels, split into batches.
  const rows = s.rows;
  const x = new Float32Array(rows * s.inputDim);
  const labels = new Int32Array(rows);
  if (byId[id].engine.data.name === 'xor') {
    x.set([0, 0, 0, 1, 1, 0, 1, 1]);
    labels.set([0, 1, 1, 0]);
  } else {
    for (let i = 0; i < x.length; ++i) x[i] = normal();
    for (let i = 0; i < rows; ++i) labels[i] = Math.floor(rand() * s.classes);
  }
  const out = s.units[s.units.length - 1];
  const batches = [];
  for (let start = 0; start + s.batch <= rows; start += s.batch) {
    const xb = tf.tensor2d(x.subarray(start * s.inputDim, (start + s.batch) * s.inputDim), [s.batch, s.inputDim]);
    const lb = labels.subarray(start, start + s.batch);
    const yb = out === 1
      ? tf.tensor2d(Float32Array.from(lb), [s.batch, 1])
      : tf.oneHot(tf.tensor1d(lb, 'int32'), out).toFloat();
    batches.push({ x: xb, y: yb });
  }
  // Weights (fan_in, fan_out), scaled normal, and zero biases; a block's two dense layers
  // likewise, its LayerNorm's gain 1 and shift 0.
  const weight = (fanIn, u) => {
    const w = new Float32Array(fanIn * u);
    const scale = Math.sqrt(2 / fanIn);
    for (let i = 0; i < w.length; ++i) w[i] = normal() * scale;
    return tf.variable(tf.tensor2d(w, [fanIn, u]));
  };
  const vars = [];
  let fanIn = s.inputDim;
  s.units.forEach((u, l) => {
    const blocks = (s.blocks[l] ?? []).map((b) => ({
      norm: b.norm === 'layernorm' ? { gain: tf.variable(tf.ones([u])), shift: tf.variable(tf.zeros([u])) } : null,
      W1: weight(u, u), b1: tf.variable(tf.zeros([u])), W2: weight(u, u), b2: tf.variable(tf.zeros([u])),
    }));
    vars.push({ W: weight(fanIn, u), b: tf.variable(tf.zeros([u])), blocks });
    fanIn = u;
  });
  const optimizer = tf.train.sgd(s.lr);
  const lossOf = (xb, yb) => {
    let a = xb;
    vars.forEach(({ W, b, blocks }, l) => {
      const z = tf.add(tf.matMul(a, W), b);
      a = l === vars.length - 1 && s.loss !== 'mse' ? z : activate(s.activations[l], z);
      // The engine's pre-activation block with LayerNorm before the branch:
      // out = x + W2·relu(W1·relu(LN(x)) + b1) + b2, LN with the biased variance, ε 1e-5.
      for (const k of blocks) {
        let h = a;
        if (k.norm) {
          const { mean, variance } = tf.moments(h, -1, true);
          h = tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), k.norm.gain), k.norm.shift);
        }
        const inner = tf.relu(tf.add(tf.matMul(tf.relu(h), k.W1), k.b1));
        a = tf.add(a, tf.add(tf.matMul(inner, k.W2), k.b2));
      }
    });
    if (s.loss === 'mse') return tf.losses.meanSquaredError(yb, a);
    if (s.loss === 'bce') return tf.losses.sigmoidCrossEntropy(yb, a);
    return tf.losses.softmaxCrossEntropy(yb, a);
  };
  let next = 0;
  const step = () => {
    const { x: xb, y: yb } = batches[next];
    next = (next + 1) % batches.length;
    optimizer.minimize(() => lossOf(xb, yb));
  };
  const chunk = (k) => {
    for (let i = 0; i < k; ++i) step();
    vars[0].W.dataSync(); // the work is done (cpu and wasm run eagerly, this makes sure)
  };
  const loss = () => tf.tidy(() => lossOf(batches[0].x, batches[0].y).dataSync()[0]);
  return { chunk, loss };
}

const prepared = new Map();
function prepare(id) {
  if (!prepared.has(id)) {
    const p = build(id);
    const until = performance.now() + 1500;
    while (performance.now() < until) p.chunk(1);
    p.k = calibrate(p.chunk);
    prepared.set(id, p);
  }
  return prepared.get(id);
}

serve({
  prepare: ({ config }) => ({ stepsPerCall: prepare(config).k, backend: tf.getBackend() }),
  measure: ({ config, ms }) => {
    const p = prepare(config);
    const stepsPerSec = timeWindow(p.chunk, p.k, ms);
    const loss = p.loss();
    if (!Number.isFinite(loss)) throw new Error(`${config}: TF.js loss is ${loss}`);
    const { numTensors } = tf.memory();
    return { stepsPerSec, stepsPerCall: p.k, numTensors };
  },
});

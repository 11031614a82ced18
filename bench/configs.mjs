// The benchmark's networks, described once: the engine's config (JSON, as the JS API and
// the native driver read it) and the shape TF.js builds the same network from. Every
// config trains with plain SGD (lr 0.01) on data held in memory. C5 is a residual network
// with LayerNorm; C5p the plain network of (nearly) the same dense layers, to compare the
// speed per parameter.

const sgd = (batch) => ({ name: 'sgd', lr: 0.01, batch });
const layers = (units, activations) => units.map((u, i) => ({ units: u, activation: activations[i] }));

export const CONFIGS = [
  {
    id: 'C1',
    label: 'XOR 2-2-1, sigmoid, mse, batch 4',
    engine: {
      seed: 1,
      data: { name: 'xor' },
      layers: layers([2, 1], ['sigmoid', 'sigmoid']),
      init: 'glorot_uniform',
      loss: 'mse',
      optimizer: sgd(4),
    },
  },
  {
    id: 'C2',
    label: 'circles 2-10-5-1, relu relu sigmoid, bce, batch 300',
    engine: {
      seed: 3,
      data: { name: 'circles', train: 300, test: 100, noise: 0.05 },
      layers: layers([10, 5, 1], ['relu', 'relu', 'sigmoid']),
      init: 'he_normal',
      loss: 'bce',
      optimizer: sgd(300),
    },
  },
  {
    id: 'C3',
    label: '2 → 10 tanh layers of 64 → 1, mse, batch 256',
    engine: {
      seed: 1,
      data: { name: 'circles', train: 1024, test: 0, noise: 0.05 },
      layers: layers([...Array(10).fill(64), 1], [...Array(10).fill('tanh'), 'linear']),
      init: 'glorot_normal',
      loss: 'mse',
      optimizer: sgd(256),
    },
  },
  {
    id: 'C4',
    label: '784-256-256-10, relu, softmax cross-entropy, batch 64 (random data)',
    engine: {
      seed: 1,
      data: { name: 'gaussian', dim: 784, classes: 10, train: 4096, test: 0 },
      layers: layers([256, 256, 10], ['relu', 'relu', 'softmax']),
      init: 'he_normal',
      loss: 'cross_entropy',
      optimizer: sgd(64),
    },
  },
  {
    id: 'C5',
    label: '128 → 32 residual blocks of 128 (two dense layers, LayerNorm before the branch, relu) → 10, softmax cross-entropy, batch 64 (random data)',
    engine: {
      seed: 1,
      data: { name: 'gaussian', dim: 128, classes: 10, train: 4096, test: 0 },
      layers: [
        { units: 128, activation: 'relu' },
        ...Array.from({ length: 32 }, () => ({ kind: 'residual', activation: 'relu', norm: 'layernorm' })),
        { units: 10, activation: 'softmax' },
      ],
      init: 'he_normal',
      loss: 'cross_entropy',
      optimizer: sgd(64),
    },
  },
  {
    id: 'C5p',
    label: '128 → 64 relu layers of 128 → 10, softmax cross-entropy, batch 64 (random data): C5 without skips or norms',
    engine: {
      seed: 1,
      data: { name: 'gaussian', dim: 128, classes: 10, train: 4096, test: 0 },
      layers: layers([...Array(64).fill(128), 10], [...Array(64).fill('relu'), 'softmax']),
      init: 'he_normal',
      loss: 'cross_entropy',
      optimizer: sgd(64),
    },
  },
];

export const byId = Object.fromEntries(CONFIGS.map((c) => [c.id, c]));

/**
 * Input width, units and activations per dense layer, loss, batch and rows: what TF.js
 * needs. A residual block (two dense layers of its input's width, LayerNorm before the
 * branch when it has one) is { block: true, units, norm } in `blocks`, by the index of the
 * dense layer it follows.
 */
export function shapeOf(config) {
  const e = config.engine;
  const dense = e.layers.filter((l) => (l.kind ?? 'dense') === 'dense');
  const blocks = {};
  let at = -1;
  for (const l of e.layers) {
    if ((l.kind ?? 'dense') === 'dense') at += 1;
    else if (l.kind === 'residual') (blocks[at] ??= []).push({ norm: l.norm ?? 'none', activation: l.activation });
  }
  const inputDim = e.data.name === 'gaussian' ? e.data.dim : 2;
  const rows = e.data.name === 'xor' ? 4 : e.data.train;
  const classes = e.data.name === 'gaussian' ? (e.data.classes ?? 2) : 2;
  return {
    inputDim,
    rows,
    classes,
    batch: Math.min(e.optimizer.batch, rows),
    units: dense.map((l) => l.units),
    activations: dense.map((l) => l.activation),
    blocks,
    loss: e.loss,
    lr: e.optimizer.lr,
  };
}

/**
 * Multiply-adds of one training step, counted as 2 flops each: the forward product
 * x·W of every layer, dW = xᵀ·dz of every layer, and dx = dz·Wᵀ of every layer but the
 * first (a block's two dense layers included). Element-wise work (activations, norms,
 * loss, update) is not counted.
 */
export function stepFlops(config) {
  const s = shapeOf(config);
  let fanIn = s.inputDim;
  let macs = 0;
  s.units.forEach((u, l) => {
    macs += s.batch * fanIn * u * (l === 0 ? 2 : 3);
    fanIn = u;
    macs += (s.blocks[l]?.length ?? 0) * 2 * s.batch * u * u * 3;
  });
  return 2 * macs;
}

/** Trainable parameters: every dense layer's W and b, a block's two, a LayerNorm's gain and shift. */
export function paramCount(config) {
  const s = shapeOf(config);
  let fanIn = s.inputDim;
  let count = 0;
  s.units.forEach((u, l) => {
    count += fanIn * u + u;
    fanIn = u;
    for (const b of s.blocks[l] ?? []) count += 2 * (u * u + u) + (b.norm === 'none' ? 0 : 2 * u);
  });
  return count;
}

// The presets' table: published initialization experiments as plain data (JSON-safe, so a
// page can post a row to a Web Worker). No DOM, no import but its own rows: the page loads
// it as a chunk of its own when a preset is first opened (its menu's names and titles are
// written at build time, web/presetIndex.mjs) and hands each run's worker its row, without
// the runner or the sweep's code. Import it through presets.mjs ('initscope/presets'), which adds the runner and
// the checks. Each preset names its source (paper, figure or notebook) and carries the
// published numbers; what was scaled down for a browser is said per preset. The presets of
// residual networks and normalization layers are rows of their own file, appended at the end,
// and so is muP's (presetTableMup.mjs).
//
// A preset:
//   name, title          'coursera-circles', one line
//   text                 what to look at and why (2-5 sentences)
//   source               the citation
//   published            { summary: text, figures: [{ run, quantity, path, value, shown?, note? }] }:
//                        the published numbers; `path` says where ours is in that run's record
//   scaledDown           [text]: what differs from the original and why
//   steps, checkpoints   optimizer steps per run; the steps where per-layer statistics are kept
//   pace                 the page's Play, in steps per second: the story unfolds in about 10-25 s
//                        (an integer from 1 to 50000 or 'max', web/src/pace.js); Play pauses at `steps`
//   views                which of the page's cards matter: loss, data, signal, jacobian, health, shatter,
//                        activations, gradients, trace, summary, weights, sweep
//   runs                 [{ label, title, group?, config }]: the variants, full configs
//   sweeps               [{ label, title, spec, show? }] (optional): sweeps in the wasm/sweep.mjs format;
//                        show: what the page's heatmap colours ('success', the default, or 'loss')
//   record               (optional) { initialWeights: { layers: [from, to] } }: pool the initial
//                        W of those layers (from inclusive, to exclusive) into one sample;
//                        { gradientLine: { points, axis } }: the run's gradient line at step 0
//                        (run.gradientLine: per layer, the correlation of neighbouring gradients)
//                        { jacobianSpectrum: { probes, bins } }: the run's input-output Jacobian's
//                        spectrum at step 0 (run.jacobianSpectrum: singular values, chi, spread)
//   expect               [{ claim, value: PATH, <op>: number | PATH, times?, missing? }]: the
//                        qualitative published outcome, with honest margins (see checkOutcome)
//
// A PATH names a number in the results: "he.final.trainAccuracy", "std1.init.layers[0:10].saturated",
// "orthogonal.byX[-1].bestStepsToSuccess", "he.at.14000.trainLoss". Its first part is a run's
// or a sweep's label; [i] indexes (negative from the end), [a:b] and [*] slice (the claim
// must then hold for every element).
import { residualPresets } from './presetTableResidual.mjs';
import { isometryPresets } from './presetTableIsometry.mjs';
import { mupPresets } from './presetTableMup.mjs';

const hidden = (count, units, activation) => Array.from({ length: count }, () => ({ units, activation }));
const stepsEvery = (steps, every) => {
  const out = [];
  for (let s = 0; s < steps; s += every) out.push(s);
  out.push(steps);
  return out;
};

// ---- the table ----------------------------------------------------------------------------

const courseraBase = {
  seed: 3,
  data: { name: 'circles', train: 300, test: 100, noise: 0.05, seed: 1 },
  layers: [
    { units: 10, activation: 'relu' },
    { units: 5, activation: 'relu' },
    { units: 1, activation: 'sigmoid' },
  ],
  biasInit: 'zeros',
  loss: 'bce',
  optimizer: { name: 'sgd', lr: 0.01, batch: 300 },
};

const playgroundSets = [
  ['circles', 'circle'],
  ['spiral', 'two interleaved arms'],
  ['quadrants', 'XOR-like quadrants'],
  ['gaussians', 'two Gaussians'],
];
const playgroundScales = [
  ['zero', 0, 'zero (v = 0)'],
  ['small', 0.01, 'too small (v = 0.01)'],
  ['appropriate', 1, 'appropriate (v = 1)'],
  ['large', 100, 'too large (v = 100)'],
];

const dlaiHistogramBase = {
  seed: 1,
  data: { name: 'digits', normalize: 'minmax' },
  layers: [...hidden(4, 100, 'tanh'), { units: 10, activation: 'softmax' }],
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'sgd', lr: 0.1, batch: 100 },
};

const glorotBase = {
  seed: 1,
  data: { name: 'digits', normalize: 'minmax' },
  layers: [...hidden(5, 100, 'tanh'), { units: 10, activation: 'softmax' }],
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'sgd', lr: 0.05, batch: 10 },
};

const heBase = {
  seed: 1,
  data: { name: 'digits', normalize: 'standardize' },
  layers: [...hidden(29, 64, 'relu'), { units: 10, activation: 'softmax' }],
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'momentum', lr: 0.002, momentum: 0.9, batch: 32 },
};

const cs231nBase = {
  seed: 1,
  data: { name: 'gaussian', dim: 500, train: 128, test: 0, seed: 1 },
  layers: [...hidden(10, 500, 'tanh'), { units: 1, activation: 'sigmoid' }],
  biasInit: 'zeros',
  loss: 'bce',
  stats: { probe: 128 },
};

const saxeBase = (init) => ({
  seed: 1,
  data: { name: 'digits', normalize: 'standardize' },
  layers: [...hidden(16, 32, 'linear'), { units: 10, activation: 'linear' }],
  init,
  biasInit: 'zeros',
  loss: 'mse',
  optimizer: { name: 'sgd', lr: 0.05, batch: 100 },
});
const saxeSweep = (init) => ({
  base: saxeBase(init),
  x: { param: 'depth', values: [1, 2, 4, 8, 16, 32] },
  y: { param: 'lr', values: [0.02, 0.05, 0.1, 0.2, 0.4] },
  steps: 600,
  success: { lossBelow: 0.05 },
  checkEvery: 20,
  stopOnSuccess: true,
});

const xorBase = {
  seed: 0,
  data: { name: 'xor' },
  layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }],
  init: 'glorot_uniform',
  biasInit: 'zeros',
  loss: 'mse',
  optimizer: { name: 'sgd', lr: 1, batch: 4 },
};

const uniformBase = {
  seed: 1,
  data: { name: 'gaussian', dim: 10, train: 16, test: 0, seed: 1 },
  layers: [...hidden(10, 10, 'linear'), { units: 1, activation: 'sigmoid' }],
  biasInit: 'zeros',
  loss: 'bce',
  stats: { probe: 16 },
};

const lsuvBase = {
  seed: 1,
  data: { name: 'digits', normalize: 'standardize' },
  layers: [...hidden(19, 64, 'relu'), { units: 10, activation: 'softmax' }],
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'sgd', lr: 0.01, batch: 32 },
};

const clipBase = {
  seed: 1,
  data: { name: 'moons', train: 300, test: 100 },
  layers: [...hidden(6, 32, 'relu'), { units: 1, activation: 'sigmoid' }],
  init: { name: 'kaiming_normal_', nonlinearity: 'relu' },
  biasInit: 'zeros',
  loss: 'bce',
};

const normBase = (normalize) => ({
  seed: 1,
  data: { name: 'iris', normalize },
  layers: [...hidden(2, 16, 'tanh'), { units: 3, activation: 'softmax' }],
  init: 'glorot_uniform',
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'sgd', lr: 0.5, batch: 120 },
});

const table = [
  {
    name: 'coursera-circles',
    title: 'Coursera: zeros, ×10 random and He on circles',
    text: 'The Deep Learning Specialization\'s "Initialization" notebook: the same 2-10-5-1 relu network trained three times. ' +
      'Zeros never breaks symmetry: every hidden unit stays a copy of the others (distinct units 1) and the loss stays at ln 2. ' +
      'Random ×10 starts with huge logits and learns a coarse boundary; He (N(0, 2/n_in)) learns the circles. ' +
      'Watch the loss, the decision boundary and the unit health card.',
    source: 'Coursera Deep Learning Specialization, course 2 week 1, "Initialization" notebook (init_utils.py)',
    published: {
      summary: 'Train / test accuracy after 15 000 full-batch steps: zeros 0.5 / 0.5, random ×10 0.83 / 0.86, He 0.9933 / 0.96. ' +
        'The notebook\'s cost at iteration 0 is inf for ×10 (log 0 in its float cross-entropy).',
      figures: [
        { run: 'zeros', quantity: 'cost at iteration 0', path: 'init.trainLoss', value: 0.6931471805599453 },
        { run: 'zeros', quantity: 'train accuracy', path: 'final.trainAccuracy', value: 0.5 },
        { run: 'zeros', quantity: 'test accuracy', path: 'final.testAccuracy', value: 0.5 },
        { run: 'random', quantity: 'cost at iteration 0', path: 'init.trainLoss', value: null, shown: 'inf',
          note: 'ours is finite: the engine computes the cross-entropy from the logit' },
        { run: 'random', quantity: 'cost at iteration 1000', path: 'at.1000.trainLoss', value: 0.6237 },
        { run: 'random', quantity: 'cost at iteration 14000', path: 'at.14000.trainLoss', value: 0.38278397192120406 },
        { run: 'random', quantity: 'train accuracy', path: 'final.trainAccuracy', value: 0.83 },
        { run: 'random', quantity: 'test accuracy', path: 'final.testAccuracy', value: 0.86 },
        { run: 'he', quantity: 'cost at iteration 0', path: 'init.trainLoss', value: 0.8830537463419761 },
        { run: 'he', quantity: 'cost at iteration 14000', path: 'at.14000.trainLoss', value: 0.07357895962677366 },
        { run: 'he', quantity: 'train accuracy', path: 'final.trainAccuracy', value: 0.9933333333333333 },
        { run: 'he', quantity: 'test accuracy', path: 'final.testAccuracy', value: 0.96 },
      ],
    },
    scaledDown: [
      'Nothing is scaled down: 300 training and 100 test points at noise 0.05, 2-10-5-1, lr 0.01, 15 000 full-batch steps, biases 0.',
      'Our circles are drawn from our own generator (sklearn\'s make_circles distribution, other points) and our weights from our own seeded PCG32 stream, so the numbers differ in detail.',
    ],
    steps: 15000,
    pace: 1000,
    checkpoints: stepsEvery(15000, 1000).concat(14000).sort((a, b) => a - b).filter((s, i, a) => a.indexOf(s) === i),
    views: ['loss', 'data', 'health', 'signal', 'summary'],
    runs: [
      { label: 'zeros', title: 'zeros: W = 0', config: { ...courseraBase, init: 'zeros' } },
      { label: 'random', title: 'random ×10: W = 10·N(0, 1)', config: { ...courseraBase, init: { name: 'random_normal', mean: 0, stddev: 10 } } },
      { label: 'he', title: 'He: W = N(0, 2/n_in)', config: { ...courseraBase, init: { name: 'kaiming_normal_', nonlinearity: 'relu', mode: 'fan_in' } } },
    ],
    expect: [
      { claim: 'zeros stays at exactly 0.5 train accuracy', value: 'zeros.final.trainAccuracy', equals: 0.5 },
      { claim: 'zeros stays at exactly 0.5 test accuracy', value: 'zeros.final.testAccuracy', equals: 0.5 },
      { claim: 'zeros never breaks symmetry: one distinct unit in each hidden layer', value: 'zeros.final.layers[0:2].distinctUnits', equals: 1 },
      { claim: 'He reaches at least 0.95 train accuracy', value: 'he.final.trainAccuracy', atLeast: 0.95 },
      { claim: 'random ×10 ends below He in train accuracy', value: 'random.final.trainAccuracy', below: 'he.final.trainAccuracy' },
      { claim: 'random ×10 starts with a much larger cost than He', value: 'random.init.trainLoss', above: 'he.init.trainLoss', times: 5 },
    ],
  },

  {
    name: 'dlai-playground',
    title: 'deeplearning.ai: N(0, v/n_in) with v = 0, 0.01, 1, 100 on four 2-D sets',
    text: 'The first widget of the deeplearning.ai notes on initialization: a 2-6-3-1 relu network with weights N(0, v/n_in) on four small 2-D data sets. ' +
      'v = 0 never learns (the hidden units stay identical and dead); v = 0.01 starts with a vanishing signal, and on the circles it never gets going (the easier sets catch up); ' +
      'v = 1 learns; v = 100 starts with an enormous cost and a jagged boundary. ' +
      'Pick a data set and compare the four loss curves and boundaries; the spiral is hard for so small a network whatever the initialization.',
    source: 'deeplearning.ai AI Notes, "Initializing neural networks" (Katanforoosh & Kunin, 2019), widget 1',
    published: {
      summary: 'Qualitative: zero initialization fails to break symmetry; too small an initialization vanishes and learns slowly; ' +
        'the appropriate one (v = 1) converges; too large an initialization explodes (a huge initial cost) and learns badly. No numbers are published.',
      figures: [],
    },
    scaledDown: [
      'The widget\'s exact data sets are not published: ours are circles (radius 1 and 0.8, noise 0.05), TensorFlow Playground\'s spiral and quadrants on [-5, 5]², and two Gaussians around (±2, ±2), 100 training and 100 test points each.',
      '3000 full-batch steps at learning rate 0.1, seed 1.',
    ],
    steps: 3000,
    pace: 200,
    checkpoints: stepsEvery(3000, 500),
    views: ['loss', 'data', 'health', 'signal'],
    runs: playgroundSets.flatMap(([set, setTitle]) => playgroundScales.map(([scale, v, scaleTitle]) => ({
      label: `${set}-${scale}`,
      title: `${setTitle}, ${scaleTitle}`,
      group: set,
      config: {
        seed: 1,
        data: { name: set, train: 100, test: 100, seed: 1 },
        layers: [{ units: 6, activation: 'relu' }, { units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }],
        init: { name: 'scaled_normal', v },
        biasInit: 'zeros',
        loss: 'bce',
        optimizer: { name: 'sgd', lr: 0.1, batch: 100 },
      },
    }))),
    expect: [
      ...playgroundSets.map(([set]) => ({
        claim: `${set}: zero never breaks symmetry (one distinct unit per hidden layer)`,
        value: `${set}-zero.final.layers[0:2].distinctUnits`, equals: 1,
      })),
      ...playgroundSets.map(([set]) => ({
        claim: `${set}: zero learns nothing beyond the class balance (loss stays near ln 2)`,
        value: `${set}-zero.final.trainLoss`, atLeast: 0.68,
      })),
      ...playgroundSets.map(([set]) => ({
        claim: `${set}: v = 100 starts with at least 10 times the cost of v = 1`,
        value: `${set}-large.init.trainLoss`, above: `${set}-appropriate.init.trainLoss`, times: 10,
      })),
      { claim: 'circles: v = 1 learns (train accuracy at least 0.95)', value: 'circles-appropriate.final.trainAccuracy', atLeast: 0.95 },
      { claim: 'quadrants: v = 1 learns (train accuracy at least 0.95)', value: 'quadrants-appropriate.final.trainAccuracy', atLeast: 0.95 },
      { claim: 'circles: v = 0.01 is still far behind v = 1 (10 times its loss)', value: 'circles-small.final.trainLoss', above: 'circles-appropriate.final.trainLoss', times: 10 },
      { claim: 'circles: v = 100 ends below v = 1 in train accuracy', value: 'circles-large.final.trainAccuracy', below: 'circles-appropriate.final.trainAccuracy' },
    ],
  },

  {
    name: 'dlai-histograms',
    title: 'deeplearning.ai: tanh activations per layer under four initializations',
    text: 'The second widget of the deeplearning.ai notes: a deep tanh network on handwritten digits, with live histograms of its four hidden layers. ' +
      'Zero initialization leaves every activation at exactly 0; uniform ±1/√n shrinks the activations layer after layer; ' +
      'the notes\' "Xavier" N(0, 1/n_in) keeps a similar spread in every layer; the standard normal pins most units at ±1. ' +
      'Watch the activation histograms at step 0 and while training, and the test accuracy.',
    source: 'deeplearning.ai AI Notes, "Initializing neural networks" (Katanforoosh & Kunin, 2019), widget 2; github.com/danielkunin/Deeplearning-Visualizations',
    published: {
      summary: 'Qualitative, on 784-300-300-300-300-10 tanh trained on 10 000 MNIST images: zero init does not learn; ' +
        'uniform ±1/√n and standard normal give vanishing or saturated layers; Xavier keeps the four histograms alike and learns best. ' +
        'The notes call N(0, 1/n_in) "Xavier" (Glorot\'s variance is 2/(n_in + n_out); for the 300 → 300 layers they coincide).',
      figures: [],
    },
    scaledDown: [
      'MNIST (784 pixels) → the 8x8 digits shipped with the lab (64 pixels, 1500 training and 297 test images, scaled to [0, 1]).',
      'Hidden layers of 100 units instead of 300, and 300 steps of minibatch 100 (20 epochs) at lr 0.1, so that each run takes seconds in a browser.',
      'Histograms span [-1, 1] (tanh\'s range) rather than the widget\'s [-1.2, 1.2].',
    ],
    steps: 300,
    pace: 20,
    checkpoints: [0, 50, 100, 200, 300],
    views: ['activations', 'loss', 'trace', 'health', 'data'],
    runs: [
      { label: 'zero', title: 'zero', config: { ...dlaiHistogramBase, init: 'zeros' } },
      { label: 'uniform', title: 'uniform ±1/√n (standard_uniform)', config: { ...dlaiHistogramBase, init: 'standard_uniform' } },
      { label: 'xavier', title: '"Xavier" N(0, 1/n_in)', config: { ...dlaiHistogramBase, init: { name: 'scaled_normal', v: 1 } } },
      { label: 'normal', title: 'standard normal N(0, 1)', config: { ...dlaiHistogramBase, init: { name: 'random_normal', mean: 0, stddev: 1 } } },
    ],
    expect: [
      { claim: 'zero: every hidden activation is exactly 0 at the start', value: 'zero.init.layers[0:4].a.std', equals: 0 },
      { claim: 'zero: and still 0 after training', value: 'zero.final.layers[0:4].a.std', equals: 0 },
      { claim: 'zero: no better than chance on the test set', value: 'zero.final.testAccuracy', atMost: 0.2 },
      { claim: 'uniform ±1/√n: layer 4\'s activations shrink to under a third of layer 1\'s', value: 'uniform.init.layers[3].a.std', below: 'uniform.init.layers[0].a.std', times: 0.33 },
      { claim: 'Xavier: layer 4 keeps more than half of layer 1\'s spread', value: 'xavier.init.layers[3].a.std', above: 'xavier.init.layers[0].a.std', times: 0.5 },
      { claim: 'standard normal: at least half the units of layers 2-4 saturated (|a| > 0.99)', value: 'normal.init.layers[1:4].saturated', atLeast: 0.5 },
      { claim: 'Xavier ends with a better test accuracy than the standard normal', value: 'xavier.final.testAccuracy', above: 'normal.final.testAccuracy' },
    ],
  },

  {
    name: 'glorot-2010',
    title: 'Glorot & Bengio 2010: "standard" U(±1/√n) against normalized initialization',
    text: 'Glorot and Bengio compare the common heuristic U(±1/√n) with their normalized U(±√(6/(n_in + n_out))) on tanh networks with five hidden layers. ' +
      'At initialization the standard heuristic shrinks the spread of the activations by almost half at every layer, and the back-propagated gradients shrink toward the input; ' +
      'normalized initialization keeps both roughly matched across layers. ' +
      'Compare the activation and gradient histograms per layer at step 0 and during training.',
    source: 'Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural networks", AISTATS 2010 (Fig. 6-7, Table 1)',
    published: {
      summary: 'Fig. 6-7: with standard init the activations concentrate at 0 in higher layers and the back-propagated gradients shrink toward the lower layers; normalized init keeps them matched. ' +
        'Table 1, test error with 5 hidden tanh layers of 1000: MNIST 1.76 % (standard) vs 1.64 % (normalized); Shapeset 27.15 % vs 15.60 %; CIFAR-10 55.9 % vs 52.92 %.',
      figures: [
        { run: 'standard', quantity: 'test error % (MNIST in the paper, 8x8 digits here)', path: 'final.testError', value: 1.76,
          note: 'the paper trained for up to 5 M updates on MNIST; ours is 1000 updates on the 8x8 digits' },
        { run: 'normalized', quantity: 'test error % (MNIST in the paper, 8x8 digits here)', path: 'final.testError', value: 1.64,
          note: 'the paper trained for up to 5 M updates on MNIST; ours is 1000 updates on the 8x8 digits' },
      ],
    },
    scaledDown: [
      'Hidden layers of 100 units instead of 1000; the 8x8 digits (scaled to [0, 1]) instead of Shapeset-3×2 and MNIST.',
      '1000 updates of minibatch 10 at a fixed lr 0.05 instead of up to 5 million with a tuned learning rate.',
    ],
    steps: 1000,
    pace: 50,
    checkpoints: [0, 100, 250, 500, 1000],
    views: ['activations', 'gradients', 'signal', 'loss', 'trace'],
    runs: [
      { label: 'standard', title: '"standard" U(±1/√n_in) (not Xavier)', config: { ...glorotBase, init: 'standard_uniform' } },
      { label: 'normalized', title: 'normalized (Xavier/Glorot) U(±√(6/(n_in + n_out)))', config: { ...glorotBase, init: 'glorot_uniform' } },
    ],
    expect: [
      { claim: 'standard: back-propagated gradients at layer 1 under 0.3 of layer 5\'s', value: 'standard.init.layers[0].dz.rms', below: 'standard.init.layers[4].dz.rms', times: 0.3 },
      { claim: 'normalized: gradients at layer 1 above half of layer 5\'s', value: 'normalized.init.layers[0].dz.rms', above: 'normalized.init.layers[4].dz.rms', times: 0.5 },
      { claim: 'standard: layer 5\'s activations shrink under a fifth of layer 1\'s', value: 'standard.init.layers[4].a.std', below: 'standard.init.layers[0].a.std', times: 0.2 },
      { claim: 'normalized: layer 5 keeps more than half of layer 1\'s spread', value: 'normalized.init.layers[4].a.std', above: 'normalized.init.layers[0].a.std', times: 0.5 },
      { claim: 'normalized ends with the lower test error', value: 'normalized.final.testError', below: 'standard.final.testError' },
    ],
  },

  {
    name: 'he-2015',
    title: 'He et al. 2015: a 30-layer relu network, Xavier against He',
    text: 'He et al. report that a 30-layer relu network initialized with Xavier\'s variance 1/n "completely stalls", while their 2/n trains. ' +
      'relu halves the second moment of its input, so under Xavier the signal shrinks by about √2 per layer and by the 30th layer almost nothing is left, forward or backward. ' +
      'He\'s factor 2 makes up for the half. Watch the signal propagation card at step 0 and the two loss curves.',
    source: 'He, Zhang, Ren & Sun, "Delving deep into rectifiers", arXiv:1502.01852 (Fig. 3)',
    published: {
      summary: 'On ImageNet, the 30-layer model (27 conv + 3 fc) converges with He\'s init while Xavier "completely stalls"; ' +
        'the 22-layer model converges with both (He earlier); the 14-layer one reaches 33.82 / 13.34 % (He) vs 33.90 / 13.44 % (Xavier) top-1 / top-5 error.',
      figures: [],
    },
    scaledDown: [
      'A 30-layer relu MLP (29 hidden layers of 64 units and a softmax) on the 8x8 digits (standardized) instead of a 30-layer convolutional network on ImageNet.',
      '500 steps of SGD with momentum 0.9 (lr 0.002, minibatch 32), about 11 epochs; He et al. trained for days.',
      'Xavier is PyTorch\'s xavier_normal_ (variance 2/(n_in + n_out), 1/n on the square layers), He is kaiming_normal_ with the relu gain (variance 2/n_in).',
    ],
    steps: 500,
    pace: 50,
    checkpoints: [0, 100, 200, 300, 400, 500],
    views: ['signal', 'loss', 'gradients', 'trace', 'health'],
    runs: [
      { label: 'xavier', title: 'Xavier: N(0, 2/(n_in + n_out))', config: { ...heBase, init: 'xavier_normal_' } },
      { label: 'he', title: 'He: N(0, 2/n_in)', config: { ...heBase, init: { name: 'kaiming_normal_', nonlinearity: 'relu' } } },
    ],
    expect: [
      { claim: 'Xavier: the 29th layer\'s activations are under 1 % of the first\'s', value: 'xavier.init.layers[28].a.std', below: 'xavier.init.layers[0].a.std', times: 0.01 },
      { claim: 'Xavier: the first layer\'s gradients are under 1 % of the 29th\'s', value: 'xavier.init.layers[0].dz.rms', below: 'xavier.init.layers[28].dz.rms', times: 0.01 },
      { claim: 'He: the 29th layer keeps more than a tenth of the first\'s spread', value: 'he.init.layers[28].a.std', above: 'he.init.layers[0].a.std', times: 0.1 },
      { claim: 'Xavier stalls: its training loss stays above 2.2 (ln 10 = 2.303 is chance)', value: 'xavier.final.trainLoss', atLeast: 2.2 },
      { claim: 'He trains: its final training loss is under half of Xavier\'s', value: 'he.final.trainLoss', below: 'xavier.final.trainLoss', times: 0.5 },
    ],
  },

  {
    name: 'cs231n-tanh',
    title: 'CS231n: ten tanh layers of 500 at std 0.01, 1.0 and 1/√fan_in',
    text: 'The activation statistics of the CS231n notes: Gaussian input through ten tanh layers of 500 units, at initialization, no training. ' +
      'With weights of std 0.01 each layer multiplies the spread by about 0.01·√500 ≈ 0.22, so by layer 10 the activations are all but 0; ' +
      'with std 1.0 every unit is pinned at ±1, where tanh\'s gradient is 0; with std 1/√fan_in the spread stays within a factor of three. ' +
      'Look at the activation histograms and the signal propagation card.',
    source: 'Stanford CS231n lecture notes on activation statistics under initialization',
    published: {
      summary: 'Qualitative: W·0.01 activations shrink to ≈ 0 with depth; W·1.0 saturate at ±1; W/√fan_in (Xavier) keeps the spread stable.',
      figures: [],
    },
    scaledDown: [
      '128 rows of N(0, 1) input of dimension 500 instead of 1000 (the statistics come from 128 × 500 values per layer).',
      'The engine needs an output layer: a single sigmoid unit after the ten tanh layers, which no statistic here looks at.',
    ],
    steps: 0,
    pace: 5,
    checkpoints: [0],
    views: ['activations', 'signal', 'health'],
    runs: [
      { label: 'std001', title: 'std 0.01', config: { ...cs231nBase, init: { name: 'random_normal', mean: 0, stddev: 0.01 } } },
      { label: 'std1', title: 'std 1.0', config: { ...cs231nBase, init: { name: 'random_normal', mean: 0, stddev: 1 } } },
      { label: 'xavier', title: 'std 1/√fan_in (Xavier)', config: { ...cs231nBase, init: { name: 'scaled_normal', v: 1 } } },
    ],
    expect: [
      { claim: 'std 0.01: layer 10\'s activations vanish (std below 1e-5)', value: 'std001.init.layers[9].a.std', below: 1e-5 },
      { claim: 'std 1.0: at least 80 % of the units of every layer saturated', value: 'std1.init.layers[0:10].saturated', atLeast: 0.8 },
      { claim: 'std 1/√fan_in: layer 10 keeps a spread above 0.1', value: 'xavier.init.layers[9].a.std', above: 0.1 },
      { claim: 'std 1/√fan_in: layer 10 keeps more than a third of layer 1\'s spread', value: 'xavier.init.layers[9].a.std', above: 'xavier.init.layers[0].a.std', times: 0.33 },
      { claim: 'std 1/√fan_in: hardly any unit saturated (at most 5 % per layer)', value: 'xavier.init.layers[0:10].saturated', atMost: 0.05 },
    ],
  },

  {
    name: 'saxe-orthogonal',
    title: 'Saxe et al. 2013: deep linear networks, scaled Gaussian against orthogonal',
    text: 'In a deep linear network the product of random Gaussian matrices has a wide spread of singular values, growing with depth, while a product of orthogonal matrices keeps every one at 1. ' +
      'Saxe et al. find that with the best learning rate per depth, the training time of Gaussian-initialized networks grows with depth and that of orthogonal ones hardly changes. ' +
      'The sweeps below train every depth at five learning rates and count the steps until the training loss falls below 0.05; the fewest steps per depth is the "learning time".',
    source: 'Saxe, McClelland & Ganguli, "Exact solutions to the nonlinear dynamics of learning in deep linear neural networks", arXiv:1312.6120',
    published: {
      summary: 'On MNIST with hidden width 1000 and depth 3-100: learning time grows with depth under scaled Gaussian init (σ = 1/√N) and is roughly independent of depth under random orthogonal init; the best learning rate scales as O(1/depth).',
      figures: [],
    },
    scaledDown: [
      'Hidden width 32 instead of 1000 and depths 1 to 32 hidden layers instead of 3 to 100; the 8x8 digits (standardized) with a squared-error loss on one-hot targets instead of MNIST.',
      'Five learning rates (0.02 to 0.4) per depth instead of 20 log-spaced values in [1e-7, 1e-4] (our loss averages over examples and outputs, so the scales differ).',
      'Learning time = steps of minibatch 100 until the training loss (over all 1500 rows, tested every 20 steps) is below 0.05, at most 600 steps.',
      'The two runs show depth 16 at lr 0.05 live; the sweeps carry the result.',
    ],
    steps: 600,
    pace: 50,
    checkpoints: [0, 100, 200, 400, 600],
    views: ['sweep', 'loss', 'signal'],
    runs: [
      { label: 'gaussian-d16', title: 'scaled Gaussian N(0, 1/n_in), 16 hidden layers', config: saxeBase({ name: 'scaled_normal', v: 1 }) },
      { label: 'orthogonal-d16', title: 'orthogonal, 16 hidden layers', config: saxeBase({ name: 'orthogonal', gain: 1 }) },
    ],
    sweeps: [
      { label: 'gaussian', title: 'scaled Gaussian N(0, 1/n_in): depth × learning rate', spec: saxeSweep({ name: 'scaled_normal', v: 1 }) },
      { label: 'orthogonal', title: 'orthogonal: depth × learning rate', spec: saxeSweep({ name: 'orthogonal', gain: 1 }) },
    ],
    expect: [
      { claim: 'orthogonal: learning time at 32 hidden layers at most twice that at 1', value: 'orthogonal.byX[-1].bestStepsToSuccess', atMost: 'orthogonal.byX[0].bestStepsToSuccess', times: 2 },
      { claim: 'Gaussian: learning time at 32 hidden layers over 3 times that at 1 (or never within 600 steps)', value: 'gaussian.byX[-1].bestStepsToSuccess', above: 'gaussian.byX[0].bestStepsToSuccess', times: 3, missing: 'infinite' },
      { claim: 'at 32 hidden layers Gaussian takes over 3 times as long as orthogonal (or never arrives)', value: 'gaussian.byX[-1].bestStepsToSuccess', above: 'orthogonal.byX[-1].bestStepsToSuccess', times: 3, missing: 'infinite' },
    ],
  },

  {
    name: 'keras-xor',
    title: 'Keras XOR: 2-2-1 sigmoid, mse, SGD: how often does it learn?',
    text: 'The classic Keras example: XOR\'s four points, two sigmoid hidden units, a sigmoid output, mean squared error and plain SGD (9 parameters). ' +
      'From Glorot-uniform starts some seeds solve it and others get stuck in a local minimum with one or two points wrong; the honest figure is the success rate over many seeds. ' +
      'The second sweep slices the weight space: two first-layer weights set on a grid, everything else as seed 1 drew it, shows which starting points reach a solution.',
    source: 'The Keras XOR example in the documents the project started from (Dense(2) + sigmoid, Dense(1) + sigmoid, mse, SGD)',
    published: {
      summary: 'With small random init the network often sticks in a local minimum; no rate is published, the success rate over many seeds is the honest figure.',
      figures: [],
    },
    scaledDown: [
      'Learning rate 1 for 5000 full-batch steps instead of Keras\'s default 0.01 (which needs about a hundred times as many steps to get as far).',
      'Success = all four points right (train accuracy 1) after 5000 steps; 100 seeds.',
    ],
    steps: 5000,
    pace: 500,
    checkpoints: [0, 500, 1000, 2000, 5000],
    views: ['loss', 'data', 'sweep'],
    runs: [
      { label: 'seed0', title: 'seed 0', config: { ...xorBase, seed: 0 } },
      { label: 'seed1', title: 'seed 1', config: { ...xorBase, seed: 1 } },
    ],
    sweeps: [
      {
        label: 'seeds',
        title: 'success over seeds 0-99',
        spec: { base: xorBase, x: { param: 'seed', from: 0, to: 99, count: 100 }, steps: 5000, success: { metric: 'trainAccuracy', atLeast: 1 } },
      },
      {
        label: 'slice',
        title: 'weight-space slice: W[0][0] × W[0][1] of the first layer (seed 1 elsewhere)',
        spec: {
          base: { ...xorBase, seed: 1 },
          x: { param: 'weight', layer: 0, index: 0, from: -4, to: 4, count: 17 },
          y: { param: 'weight', layer: 0, index: 1, from: -4, to: 4, count: 17 },
          steps: 5000,
          success: { metric: 'trainAccuracy', atLeast: 1 },
        },
      },
    ],
    expect: [
      { claim: 'some seeds solve XOR', value: 'seeds.successRate', above: 0 },
      { claim: 'and some stick (the success rate is below 1)', value: 'seeds.successRate', below: 1 },
      { claim: 'seed 0 solves it', value: 'seed0.final.trainAccuracy', equals: 1 },
      { claim: 'seed 1 gets stuck (not every point right)', value: 'seed1.final.trainAccuracy', below: 1 },
      { claim: 'in the weight-space slice some starting points succeed', value: 'slice.successRate', above: 0 },
      { claim: 'and some fail', value: 'slice.successRate', below: 1 },
    ],
  },

  {
    name: 'uniform-n10',
    title: 'U(±1/√n) for n = 10 is not Xavier: 1000 samples against Glorot uniform',
    text: 'An article draws 1000 weights from U(±1/√10) and calls it "Xavier": the bound is ±0.316 and the sample\'s std about 0.18 (exactly 1/√30 = 0.1826). ' +
      'That is the older "standard" heuristic that Glorot and Bengio argue against (and PyTorch\'s nn.Linear default). ' +
      'Xavier/Glorot uniform for a 10 → 10 layer is U(±√(6/20)) = U(±0.548), std 0.316. ' +
      'Here ten 10 → 10 layers give 1000 weights from each law; compare the weight histograms and the numbers.',
    source: 'The seed example in the documents the project started from; Glorot & Bengio, AISTATS 2010, eq. 1 and 16',
    published: {
      summary: 'U(±1/√10): bounds ±0.316, sample mean near 0, std near 0.18 (exactly 1/√30 = 0.1826). Glorot uniform 10 → 10: bound 0.548, std 0.316.',
      figures: [
        { run: 'standard', quantity: 'bound', path: 'layers[0].initLaw.hi', value: 0.316 },
        { run: 'standard', quantity: 'sample mean', path: 'initialWeights.mean', value: 0, note: 'published "near 0"' },
        { run: 'standard', quantity: 'sample std', path: 'initialWeights.std', value: 0.18, note: 'published "near 0.18"' },
        { run: 'standard', quantity: 'exact std', path: 'layers[0].initStd', value: 0.1826 },
        { run: 'glorot', quantity: 'bound', path: 'layers[0].initLaw.hi', value: 0.548 },
        { run: 'glorot', quantity: 'exact std', path: 'layers[0].initStd', value: 0.316 },
      ],
    },
    scaledDown: [
      'Nothing to scale: 1000 samples per law, pooled from ten 10 → 10 layers (U(±1/√n) depends on fan_in only; Glorot\'s 10 → 10 bound needs fan_out 10 too). No training.',
      'The network around them (Gaussian input of dimension 10, a sigmoid output) only exists so that the engine can draw the weights.',
    ],
    steps: 0,
    pace: 5,
    checkpoints: [0],
    views: ['weights', 'summary'],
    record: { initialWeights: { layers: [0, 10] } },
    runs: [
      { label: 'standard', title: 'U(±1/√n): the "standard" heuristic, NOT Xavier (standard_uniform)', config: { ...uniformBase, init: 'standard_uniform' } },
      { label: 'glorot', title: 'Xavier/Glorot uniform U(±√(6/(n_in + n_out))) (glorot_uniform)', config: { ...uniformBase, init: 'glorot_uniform' } },
    ],
    expect: [
      { claim: 'standard: 1000 samples', value: 'standard.initialWeights.count', equals: 1000 },
      { claim: 'standard: the bound is 1/√10 = 0.3162', value: 'standard.layers[0].initLaw.hi', near: 0.316227766, relTol: 1e-6 },
      { claim: 'standard: every sample within the bounds', value: 'standard.initialWeights.max', atMost: 'standard.layers[0].initLaw.hi' },
      { claim: 'standard: every sample within the bounds (below)', value: 'standard.initialWeights.min', atLeast: 'standard.layers[0].initLaw.lo' },
      { claim: 'standard: the samples reach within 5 % of the bound', value: 'standard.initialWeights.max', above: 'standard.layers[0].initLaw.hi', times: 0.95 },
      { claim: 'standard: sample mean near 0 (within ±0.02, 3.5 standard errors)', value: 'standard.initialWeights.mean', between: [-0.02, 0.02] },
      { claim: 'standard: sample std within 5 % of 1/√30 = 0.1826', value: 'standard.initialWeights.std', near: 0.18257418583505536, relTol: 0.05 },
      { claim: 'glorot: the bound is √(6/20) = 0.5477', value: 'glorot.layers[0].initLaw.hi', near: 0.5477225575, relTol: 1e-6 },
      { claim: 'glorot: sample std within 5 % of 0.3162', value: 'glorot.initialWeights.std', near: 0.316227766, relTol: 0.05 },
      { claim: 'glorot: every sample within its bound', value: 'glorot.initialWeights.max', atMost: 'glorot.layers[0].initLaw.hi' },
      { claim: 'Xavier\'s spread is over 1.5 times the standard heuristic\'s', value: 'glorot.initialWeights.std', above: 'standard.initialWeights.std', times: 1.5 },
    ],
  },

  {
    name: 'lsuv',
    title: 'LSUV (Mishkin & Matas): orthogonal, then each layer rescaled to unit variance',
    text: 'Layer-sequential unit-variance initialization starts orthogonal and then, first layer to last, rescales each layer\'s weights by 1/√Var until its output variance on a data batch is within 0.02 of 1. ' +
      'In a 20-layer relu network plain orthogonal weights halve the second moment at every layer, and training stalls; ' +
      'after LSUV every layer starts at unit variance and it trains (so does He\'s analytic 2/n, shown for comparison). ' +
      'Watch the signal propagation card at step 0 (z at 1 in every layer for LSUV) and the loss curves.',
    source: 'Mishkin & Matas, "All you need is a good init", arXiv:1511.06422',
    published: {
      summary: 'The method: orthonormal start, then per layer W ← W/√Var(output) until |Var − 1| < 0.02 (at most 20 rounds, a minibatch of data). ' +
        'The paper evaluates FitNets, CaffeNet, GoogLeNet and ResNets; its accuracy numbers are not reproduced here.',
      figures: [],
    },
    scaledDown: [
      'A 20-layer relu MLP (19 hidden layers of 64 and a softmax) on the 8x8 digits (standardized) instead of FitNets on CIFAR; 400 steps of SGD (lr 0.01, minibatch 32).',
      'The variance is measured on the run\'s probe batch (the first 256 training rows).',
    ],
    steps: 400,
    pace: 20,
    checkpoints: [0, 100, 200, 300, 400],
    views: ['signal', 'loss', 'activations', 'summary'],
    runs: [
      { label: 'orthogonal', title: 'orthogonal (gain 1), no rescaling', config: { ...lsuvBase, init: { name: 'orthogonal', gain: 1 } } },
      { label: 'lsuv', title: 'LSUV (tolerance 0.02, at most 20 rounds)', config: { ...lsuvBase, init: { name: 'lsuv', tolerance: 0.02, max_iterations: 20 } } },
      { label: 'he', title: 'He normal, for comparison', config: { ...lsuvBase, init: 'he_normal' } },
    ],
    expect: [
      { claim: 'LSUV: every hidden layer\'s pre-activation variance within 0.02 of 1 at the start', value: 'lsuv.init.layers[0:19].zVar', between: [0.98, 1.02] },
      { claim: 'orthogonal alone: layer 19\'s activations under 1 % of layer 1\'s', value: 'orthogonal.init.layers[18].a.std', below: 'orthogonal.init.layers[0].a.std', times: 0.01 },
      { claim: 'orthogonal alone stalls (training loss above 2.2; ln 10 = 2.303 is chance)', value: 'orthogonal.final.trainLoss', atLeast: 2.2 },
      { claim: 'LSUV trains (train accuracy at least 0.8)', value: 'lsuv.final.trainAccuracy', atLeast: 0.8 },
    ],
  },

  {
    name: 'gradient-clipping',
    title: 'Gradient clipping by norm rescues a learning rate that is far too large',
    text: 'With learning rate 2 a 6-layer relu network on the moons takes steps so large that its weights and gradients blow up and the run reaches NaN. ' +
      'Clipping the global gradient norm (if ‖g‖ > c, g ← g·c/‖g‖, here c = 1) bounds every step to lr·c and the same network trains. ' +
      'Watch the loss and the gradient norm before clipping (snapshot gradNorm).',
    source: 'Gradient clipping by norm, as in the documents the project started from (Pascanu, Mikolov & Bengio 2013 introduced it for RNNs)',
    published: {
      summary: 'The rule: if ‖g‖ > threshold, g ← g·threshold/‖g‖. No numbers are published for this demonstration.',
      figures: [],
    },
    scaledDown: ['A demonstration, not a reproduction: moons (300 training points), 6 relu layers of 32 with He init, SGD lr 2, minibatch 32, 500 steps.'],
    steps: 500,
    pace: 20,
    checkpoints: [0, 10, 50, 100, 250, 500],
    views: ['loss', 'data', 'gradients', 'health'],
    runs: [
      { label: 'unclipped', title: 'no clipping', config: { ...clipBase, optimizer: { name: 'sgd', lr: 2, batch: 32 } } },
      { label: 'clipped', title: 'clipNorm 1', config: { ...clipBase, optimizer: { name: 'sgd', lr: 2, batch: 32, clipNorm: 1 } } },
    ],
    expect: [
      { claim: 'without clipping the run diverges (NaN or Inf)', value: 'unclipped.diverged', isNull: false },
      { claim: 'with clipping it does not', value: 'clipped.diverged', isNull: true },
      { claim: 'with clipping it learns the moons (train accuracy at least 0.95)', value: 'clipped.final.trainAccuracy', atLeast: 0.95 },
    ],
  },

  {
    name: 'input-normalization',
    title: 'Input normalization: raw iris measurements against min-max and standardized',
    text: 'Iris\'s four features are lengths in centimetres, all positive and up to 7.9, so the first tanh layer sees large pre-activations of one sign and many units start saturated. ' +
      'Min-max scaling to [0, 1] or standardizing to mean 0 and std 1 (fitted on the training rows) changes only what the first layer sees. ' +
      'At the learning rate that suits the normalized inputs, the raw ones train erratically. Switch data.normalize and watch the first layer\'s histogram and the loss.',
    source: 'Input normalization (min-max to [0, 1], or standardization), as in the documents the project started from',
    published: {
      summary: 'The documents say the lab should let the learner switch normalization and see what the first layer sees; no numbers are published.',
      figures: [],
    },
    scaledDown: ['A demonstration: iris (120 training and 30 test flowers), tanh 16-16, Glorot uniform, full-batch SGD at lr 0.5 for 500 steps, seed 1.'],
    steps: 500,
    pace: 50,
    checkpoints: [0, 100, 250, 500],
    views: ['activations', 'loss', 'health', 'data'],
    runs: [
      { label: 'raw', title: 'raw (normalize: none)', config: normBase('none') },
      { label: 'minmax', title: 'min-max to [0, 1]', config: normBase('minmax') },
      { label: 'standardize', title: 'standardized (mean 0, std 1)', config: normBase('standardize') },
    ],
    expect: [
      { claim: 'raw: over 10 % of the first layer saturated at the start', value: 'raw.init.layers[0].saturated', atLeast: 0.1 },
      { claim: 'min-max: under 1 % saturated', value: 'minmax.init.layers[0].saturated', atMost: 0.01 },
      { claim: 'standardized: under 1 % saturated', value: 'standardize.init.layers[0].saturated', atMost: 0.01 },
      { claim: 'raw: the first layer\'s pre-activations spread over twice as wide as standardized', value: 'raw.init.layers[0].z.std', above: 'standardize.init.layers[0].z.std', times: 2 },
      { claim: 'min-max learns (train accuracy at least 0.95)', value: 'minmax.final.trainAccuracy', atLeast: 0.95 },
      { claim: 'standardized learns (train accuracy at least 0.95)', value: 'standardize.final.trainAccuracy', atLeast: 0.95 },
      { claim: 'raw ends below both in train accuracy', value: 'raw.final.trainAccuracy', below: 'minmax.final.trainAccuracy' },
      { claim: 'raw ends below standardized too', value: 'raw.final.trainAccuracy', below: 'standardize.final.trainAccuracy' },
    ],
  },
];

const deepFreeze = (value) => {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
};

/** The presets, in the order above, then the residual ones, dynamical isometry and muP. Frozen: use structuredClone to edit one. */
export const PRESETS = deepFreeze([...table, ...residualPresets, ...isometryPresets, ...mupPresets]);

/** The preset called name, or undefined. */
export function getPreset(name) {
  return PRESETS.find((p) => p.name === name);
}

// The presets of residual networks and normalization layers: rows of the presets' table
// (presetTable.mjs, whose header says what each key means), kept apart because they share
// their networks and their story (issue "residual networks and normalization layers").
// Plain data, no import, as the table.

const WIDTH = 64;
const digits = { name: 'digits', normalize: 'standardize' };

// depth × (dense relu, BatchNorm): a plain BN network, variance scale/fan_in.
const plainBatchNorm = (depth, scale) => ({
  seed: 1,
  data: digits,
  layers: [
    ...Array.from({ length: depth }, () => [{ units: WIDTH, activation: 'relu' }, { kind: 'batchnorm' }]).flat(),
    { units: 10, activation: 'softmax' },
  ],
  init: { name: 'variance_scaling', scale, mode: 'fan_in', distribution: 'untruncated_normal' },
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'sgd', lr: 0.01, batch: 64 },
});

// The same count of dense layers with skips: one dense layer, then depth − 1 pre-activation
// blocks x + W·relu(BN(x)) + b.
const residualBatchNorm = (depth) => ({
  ...plainBatchNorm(depth, 2),
  layers: [
    { units: WIDTH, activation: 'relu' },
    ...Array.from({ length: depth - 1 }, () => ({ kind: 'residual', activation: 'relu', branch: 1, norm: 'batchnorm' })),
    { units: 10, activation: 'softmax' },
  ],
});

// Balduzzi et al.'s width; a line along the circles' first input through their centre.
const SHATTER_WIDTH = 200;
const circles = { name: 'circles', train: 300, test: 100, noise: 0.05 };
const shatterBase = { seed: 1, data: circles, init: 'he_normal', biasInit: 'zeros', loss: 'bce', optimizer: { name: 'sgd', lr: 0.01, batch: 64 } };
const sigmoidOut = { units: 1, activation: 'sigmoid' };

// depth blocks of two dense layers with LayerNorm before the branch (pre) or after the
// addition (post); pre-norm ends with a LayerNorm, as pre-LN transformers do.
const NORM_DEPTH = 24;
const normPlacement = (at, schedule) => ({
  seed: 1,
  data: digits,
  layers: [
    { units: WIDTH, activation: 'linear' },
    ...Array.from({ length: NORM_DEPTH }, () => ({ kind: 'residual', activation: 'relu', branch: 2, norm: 'layernorm', normAt: at })),
    ...(at === 'pre' ? [{ kind: 'layernorm' }] : []),
    { units: 10, activation: 'softmax' },
  ],
  init: 'glorot_uniform',
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'adam', lr: 0.005, batch: 64, ...(schedule ? { schedule } : {}) },
});

// 16 blocks of two dense layers (He, no normalization unless named) after one dense layer:
// 33 dense layers, against 33 plain ones.
const REZERO_BLOCKS = 16;
const rezeroNetwork = (block) => ({
  seed: 1,
  data: digits,
  layers: [
    { units: WIDTH, activation: 'relu' },
    ...Array.from({ length: REZERO_BLOCKS }, () => ({ kind: 'residual', activation: 'relu', ...block })),
    { units: 10, activation: 'softmax' },
  ],
  init: 'he_normal',
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'adam', lr: 0.003, batch: 32 },
});
const rezeroPlain = {
  ...rezeroNetwork({}),
  layers: [...Array.from({ length: 2 * REZERO_BLOCKS + 1 }, () => ({ units: WIDTH, activation: 'relu' })), { units: 10, activation: 'softmax' }],
};

// 32 blocks of two dense layers (He) after one dense layer, SGD; Fixup against no scaling
// and against BatchNorm before each branch.
const FIXUP_BLOCKS = 32;
const fixupNetwork = (extra, block = {}) => ({
  seed: 1,
  data: digits,
  layers: [
    { units: WIDTH, activation: 'relu' },
    ...Array.from({ length: FIXUP_BLOCKS }, () => ({ kind: 'residual', activation: 'relu', ...block })),
    { units: 10, activation: 'softmax' },
  ],
  init: 'he_normal',
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'sgd', lr: 0.01, batch: 32 },
  ...extra,
});

export const residualPresets = [
  {
    name: 'bn-without-skips',
    title: 'Batch normalization without skips: gradients explode with depth, whatever the weight variance',
    text: 'Yang et al. show that in a deep fully connected network with batch normalization after every layer the gradients grow exponentially toward the input at initialization, ' +
      'and that no choice of weight variance removes it: batch normalization itself causes it. ' +
      'Here 32 relu layers, each followed by BatchNorm, at three weight variances, against the same 32 dense layers inside residual blocks. ' +
      'Compare the first and last layers\' gradient norms in the gradients card at step 0, then the loss curves: the plain networks hardly train, the residual one does.',
    source: 'Yang, Pennington, Rao, Sohl-Dickstein & Schoenholz, "A Mean Field Theory of Batch Normalization", ICLR 2019 (arXiv:1902.08129)',
    published: {
      summary: 'Gradients grow exponentially in depth in batch-normalized networks without skips, and tuning the weight variance or the nonlinearity cannot remove it; ' +
        'vanilla BN networks are not trainable at large depth; after a single optimization step the gradients\' dynamic range drops sharply. ' +
        'The paper\'s per-layer rate for relu and the depth beyond which its MNIST networks stop training could not be verified here, so no number is quoted.',
      figures: [],
    },
    scaledDown: [
      `32 layers of ${WIDTH} units on the 8x8 digits (standardized), minibatches of 64, instead of the paper's wide networks on MNIST and CIFAR-10.`,
      '300 steps of SGD (lr 0.01), about 11 epochs; the published trainability maps train for far longer.',
      'The residual network keeps the 32 dense layers: one, then 31 blocks x + W·relu(BN(x)) + b (pre-activation, He et al. 2016b).',
    ],
    steps: 300,
    pace: 20,
    checkpoints: [0, 1, 100, 200, 300],
    views: ['gradients', 'loss', 'signal', 'summary'],
    runs: [
      { label: 'he', title: 'plain, relu + BatchNorm × 32, He: N(0, 2/n)', config: plainBatchNorm(32, 2) },
      { label: 'half', title: 'plain, relu + BatchNorm × 32, N(0, 1/n)', config: plainBatchNorm(32, 1) },
      { label: 'double', title: 'plain, relu + BatchNorm × 32, N(0, 4/n)', config: plainBatchNorm(32, 4) },
      { label: 'residual', title: 'residual, 1 dense + 31 blocks with BatchNorm, He', config: residualBatchNorm(32) },
    ],
    expect: [
      { claim: 'He: the first layer\'s weight gradient is over 100 times the last hidden layer\'s', value: 'he.init.layers[0].dw.norm', above: 'he.init.layers[-3].dw.norm', times: 100 },
      { claim: 'N(0, 1/n): over 100 times too', value: 'half.init.layers[0].dw.norm', above: 'half.init.layers[-3].dw.norm', times: 100 },
      { claim: 'N(0, 4/n): over 100 times too', value: 'double.init.layers[0].dw.norm', above: 'double.init.layers[-3].dw.norm', times: 100 },
      { claim: 'with skips: under 10 times', value: 'residual.init.layers[0].dw.norm', below: 'residual.init.layers[-2].dw.norm', times: 10 },
      { claim: 'after one step the plain network\'s first-layer gradient has fallen below half of its value at step 0', value: 'he.at.1.layers[0].dw.norm', below: 'he.init.layers[0].dw.norm', times: 0.5 },
      { claim: 'the plain He network hardly trains (train accuracy under 0.5 after 300 steps)', value: 'he.final.trainAccuracy', below: 0.5 },
      { claim: 'the residual one does (at least 0.95)', value: 'residual.final.trainAccuracy', atLeast: 0.95 },
    ],
  },

  {
    name: 'shattered-gradients',
    title: 'Shattered gradients: neighbouring inputs\' gradients decorrelate with depth, far less with skips',
    text: 'Balduzzi et al. take the gradient of a network\'s output with respect to its input along a line of inputs. ' +
      'In a shallow network it changes smoothly from point to point; in a deep feedforward network neighbouring gradients become almost uncorrelated, like white noise, ' +
      'while a residual network of the same depth keeps them correlated. ' +
      'Three networks at initialization, no training: read the shattering card, layer by layer.',
    source: 'Balduzzi, Frean, Leary, Lewis, Ma & McWilliams, "The Shattered Gradients Problem: If resnets are the answer, then what is the question?", ICML 2017 (arXiv:1702.08591)',
    published: {
      summary: 'The correlation between gradients at nearby inputs decays exponentially with depth in feedforward networks, so that their gradients resemble white noise, and sublinearly in networks with skip connections. ' +
        'The paper\'s networks take a 1-D input and have 200 rectifier units per hidden layer; its exact decay rates could not be verified here, so no number is quoted.',
      figures: [],
    },
    scaledDown: [
      `${SHATTER_WIDTH} units per hidden layer as in the paper, but the line runs along the first input of the 2-D circles set (256 points across its training range), not a 1-D input.`,
      'Every network normalizes with BatchNorm (the plain one after each layer, the residual one before each branch), so that the skip is the only difference; with zero biases and no normalization a relu network\'s gradient along a line changes only where units switch, and the plain network shatters far less.',
      'Depth 24 in dense layers: 24 relu + BatchNorm layers against one dense layer and 12 blocks of two.',
    ],
    steps: 0,
    pace: 5,
    checkpoints: [0],
    views: ['shatter', 'summary'],
    record: { gradientLine: { points: 256, axis: 0 } },
    runs: [
      { label: 'shallow', title: `one relu layer of ${SHATTER_WIDTH}`, config: { ...shatterBase, layers: [{ units: SHATTER_WIDTH, activation: 'relu' }, sigmoidOut] } },
      {
        label: 'plain', title: '24 × (relu + BatchNorm), no skips',
        config: { ...shatterBase, layers: [...Array.from({ length: 24 }, () => [{ units: SHATTER_WIDTH, activation: 'relu' }, { kind: 'batchnorm' }]).flat(), sigmoidOut] },
      },
      {
        label: 'residual', title: '1 dense + 12 blocks of two dense layers, BatchNorm before each branch',
        config: { ...shatterBase, layers: [{ units: SHATTER_WIDTH, activation: 'relu' }, ...Array.from({ length: 12 }, () => ({ kind: 'residual', activation: 'relu', branch: 2, norm: 'batchnorm' })), sigmoidOut] },
      },
    ],
    expect: [
      { claim: 'shallow: the output\'s gradients at neighbouring points correlate above 0.9', value: 'shallow.gradientLine.correlation[-1]', above: 0.9 },
      { claim: 'plain: the last hidden layer\'s correlation is within ±0.3 of 0 (white noise)', value: 'plain.gradientLine.correlation[-2]', between: [-0.3, 0.3] },
      { claim: 'plain: its last eight layers (four relu, four BatchNorm) are all within ±0.4 of 0', value: 'plain.gradientLine.correlation[40:48]', between: [-0.4, 0.4] },
      { claim: 'residual: the last block keeps a correlation above 0.4', value: 'residual.gradientLine.correlation[-2]', above: 0.4 },
      { claim: 'residual: every block keeps it above 0.4', value: 'residual.gradientLine.correlation[1:13]', above: 0.4 },
    ],
  },

  {
    name: 'pre-post-norm',
    title: 'Pre-norm against post-norm: the post-norm network needs a learning-rate warm-up',
    text: 'Xiong et al. show that with LayerNorm after the residual addition (post-norm, the original transformer) the gradients near the output are large at initialization, ' +
      'so Adam at a usual learning rate goes wrong from the first steps unless the rate is warmed up; with LayerNorm at the start of each branch (pre-norm) the gradients are well behaved and it trains without warm-up. ' +
      'Here 24 residual blocks with LayerNorm, the same Adam learning rate: pre-norm, post-norm, and post-norm with a linear warm-up over the first 150 steps. ' +
      'Watch the gradients card at step 0 and the loss curves.',
    source: 'Xiong, Yang, He, Zheng, Zheng, Xing, Zhang, Lan, Wang & Liu, "On Layer Normalization in the Transformer Architecture", ICML 2020 (arXiv:2002.04745)',
    published: {
      summary: 'At initialization the Post-LN transformer\'s gradients of the parameters near the output are large and the warm-up stage is needed; Pre-LN\'s gradients are well behaved and it trains without warm-up, faster. ' +
        'The paper\'s BLEU scores and warm-up lengths could not be verified here, so no number is quoted.',
      figures: [],
    },
    scaledDown: [
      `24 blocks of two dense layers (width ${WIDTH}, relu) on the 8x8 digits instead of 6-layer transformers on translation; Adam at lr 0.005 on minibatches of 64, 300 steps.`,
      'The warm-up is linear over 150 steps, half the run (the paper warms up over thousands of updates).',
      'The pre-norm network ends with a LayerNorm before its output layer, as pre-LN transformers do.',
    ],
    steps: 300,
    pace: 20,
    checkpoints: [0, 50, 150, 300],
    views: ['loss', 'gradients', 'signal', 'summary'],
    runs: [
      { label: 'pre', title: 'pre-norm: x + f(LN(x)), no warm-up', config: normPlacement('pre') },
      { label: 'post', title: 'post-norm: LN(x + f(x)), no warm-up', config: normPlacement('post') },
      { label: 'post-warmup', title: 'post-norm with 150 steps of linear warm-up', config: normPlacement('post', { name: 'constant', warmup: 150 }) },
    ],
    expect: [
      { claim: 'post-norm: at step 0 the last block\'s weight gradient is over twice the first block\'s', value: 'post.init.layers[-2].dw.norm', above: 'post.init.layers[1].dw.norm', times: 2 },
      { claim: 'pre-norm: the last block\'s is no larger than the first block\'s', value: 'pre.init.layers[-3].dw.norm', atMost: 'pre.init.layers[1].dw.norm' },
      { claim: 'pre-norm trains without warm-up (train accuracy at least 0.95)', value: 'pre.final.trainAccuracy', atLeast: 0.95 },
      { claim: 'post-norm without warm-up stays near chance (train accuracy under 0.3)', value: 'post.final.trainAccuracy', below: 0.3 },
      { claim: 'post-norm with warm-up trains (at least 0.9)', value: 'post-warmup.final.trainAccuracy', atLeast: 0.9 },
    ],
  },

  {
    name: 'rezero',
    title: 'ReZero: a gate at zero on every branch, against an unscaled residual network, a normalized one and a plain one',
    text: 'ReZero multiplies each residual branch by a trainable scalar α that starts at 0, so every block starts as the identity. ' +
      'The same 16 blocks without the gate add a branch of He variance at every block and the activations grow about twofold in second moment per block; ' +
      'with LayerNorm after each addition they stay in range but learn slowly; a plain network of the same 33 dense layers learns slower still. ' +
      'Watch the signal propagation card at step 0 and the loss curves over the first 50 steps.',
    source: 'Bachlechner, Majumder, Mao, Cottrell & McAuley, "ReZero is All You Need: Fast Convergence at Large Depth", UAI 2021 (arXiv:2003.04887)',
    published: {
      summary: 'The abstract of the first version reports 1,500% faster convergence for deep fully connected networks, 32% faster for a ResNet-56 on CIFAR-10 and 56% faster for 12-layer Transformers on enwik8, ' +
        'and the paper trains 10,000 fully connected layers and Transformers of over 100 layers. Those speed-ups are measured on other tasks and budgets, so none is set beside ours; the checks test the qualitative claim.',
      figures: [],
    },
    scaledDown: [
      `16 blocks of two dense layers (width ${WIDTH}, relu) after one dense layer, on the 8x8 digits, instead of the paper's deep fully connected networks on CIFAR-10.`,
      'Adam at lr 0.003 on minibatches of 32, 200 steps; the normalized baseline puts LayerNorm after each addition (post-norm).',
    ],
    steps: 200,
    pace: 10,
    checkpoints: [0, 25, 50, 100, 200],
    views: ['loss', 'signal', 'summary'],
    runs: [
      { label: 'rezero', title: 'ReZero: x + α·f(x), α trainable from 0', config: rezeroNetwork({ gate: 'trainable', alpha: 0 }) },
      { label: 'unscaled', title: 'residual, α = 1, no normalization', config: rezeroNetwork({}) },
      { label: 'layernorm', title: 'residual with LayerNorm after each addition', config: rezeroNetwork({ norm: 'layernorm', normAt: 'post' }) },
      { label: 'plain', title: 'plain: 33 relu layers, no skips', config: rezeroPlain },
    ],
    expect: [
      { claim: 'ReZero: at step 0 the last block passes the first layer\'s activations on unchanged', value: 'rezero.init.layers[-2].a.rms', near: 'rezero.init.layers[0].a.rms', relTol: 1e-6 },
      { claim: 'unscaled: the last block\'s activations start over 100 times the first layer\'s', value: 'unscaled.init.layers[-2].a.rms', above: 'unscaled.init.layers[0].a.rms', times: 100 },
      { claim: 'at step 50 ReZero\'s training loss is under half the unscaled network\'s', value: 'rezero.at.50.trainLoss', below: 'unscaled.at.50.trainLoss', times: 0.5 },
      { claim: 'and under half the LayerNorm network\'s', value: 'rezero.at.50.trainLoss', below: 'layernorm.at.50.trainLoss', times: 0.5 },
      { claim: 'and under a quarter of the plain network\'s', value: 'rezero.at.50.trainLoss', below: 'plain.at.50.trainLoss', times: 0.25 },
      { claim: 'ReZero fits the training digits (train accuracy at least 0.98 after 200 steps)', value: 'rezero.final.trainAccuracy', atLeast: 0.98 },
    ],
  },

  {
    name: 'fixup',
    title: 'Fixup: a deep residual network trains without normalization',
    text: 'Fixup initializes each residual branch so that the network starts near the identity without any normalization layer: the last layer of every branch at 0, ' +
      'the other branch layers scaled by L^(−1/(2m−2)) (here L = 32 blocks of m = 2 layers: 1/√32), a scalar multiplier on each branch and the output layer at 0. ' +
      'The same 32 blocks with He\'s variance and no scaling overflow within a step; with BatchNorm before each branch they train. ' +
      'Watch the signal propagation card at step 0 and the loss curves.',
    source: 'Zhang, Dauphin & Ma, "Fixup Initialization: Residual Learning Without Normalization", ICLR 2019 (arXiv:1901.09321)',
    published: {
      summary: 'With Fixup, residual networks train without normalization layers, at depths up to 10,000 layers, and reach accuracies close to their batch-normalized versions on image classification and machine translation. ' +
        'Those accuracies are on ImageNet, CIFAR-10 and translation and could not be verified here, so none is quoted; the checks test the qualitative claim.',
      figures: [],
    },
    scaledDown: [
      `32 blocks of two dense layers (width ${WIDTH}, relu) after one dense layer, on the 8x8 digits, instead of convolutional ResNets on CIFAR-10 and ImageNet.`,
      'SGD at lr 0.01 on minibatches of 32 for 300 steps; Fixup\'s scalar biases are the blocks\' own biases, its multiplier the blocks\' trainable gate at 1 (residualInit: fixup).',
    ],
    steps: 300,
    pace: 20,
    checkpoints: [0, 100, 200, 300],
    views: ['loss', 'signal', 'summary'],
    runs: [
      { label: 'fixup', title: 'Fixup (residualInit: fixup), no normalization', config: fixupNetwork({ residualInit: 'fixup' }) },
      { label: 'unscaled', title: 'He in every branch, no scaling, no normalization', config: fixupNetwork({}) },
      { label: 'batchnorm', title: 'He, BatchNorm before each branch', config: fixupNetwork({}, { norm: 'batchnorm' }) },
    ],
    expect: [
      { claim: 'Fixup: at step 0 the last block passes the first layer\'s activations on unchanged', value: 'fixup.init.layers[-2].a.rms', near: 'fixup.init.layers[0].a.rms', relTol: 1e-6 },
      { claim: 'unscaled: the run overflows (diverges)', value: 'unscaled.diverged', isNull: false },
      { claim: 'Fixup does not diverge', value: 'fixup.diverged', isNull: true },
      { claim: 'Fixup trains without normalization (train accuracy at least 0.85 after 300 steps)', value: 'fixup.final.trainAccuracy', atLeast: 0.85 },
      { claim: 'BatchNorm trains too (at least 0.85)', value: 'batchnorm.final.trainAccuracy', atLeast: 0.85 },
    ],
  },
];

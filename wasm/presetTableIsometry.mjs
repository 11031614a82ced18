// The preset of dynamical isometry (Pennington, Schoenholz & Ganguli 2017): a row of the
// presets' table (presetTable.mjs, whose header says what each key means), kept apart with
// its own networks. Plain data, no import, as the table.

const DEPTH = 24;
const WIDTH = 64;
const digits = { name: 'digits', normalize: 'standardize' };

// DEPTH dense layers of WIDTH with `activation`, a softmax readout, every layer from `init`
// but the first, from `first` (it sets the scale the stack starts at), zero biases, plain
// SGD on minibatches of 64.
const deep = (activation, init, first) => ({
  seed: 1,
  data: digits,
  layers: [
    { units: WIDTH, activation, init: first },
    ...Array.from({ length: DEPTH - 1 }, () => ({ units: WIDTH, activation })),
    { units: 10, activation: 'softmax' },
  ],
  init,
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'sgd', lr: 0.03, batch: 64 },
});

const gaussian = (scale) => ({ name: 'variance_scaling', scale, mode: 'fan_in', distribution: 'untruncated_normal' });

export const isometryPresets = [
  {
    name: 'dynamical-isometry',
    title: 'Dynamical isometry: orthogonal tanh keeps every singular value of the Jacobian near 1, Gaussian weights and ReLU do not',
    text: 'Pennington, Schoenholz and Ganguli look at every singular value of a deep network\'s input-output Jacobian, not only their mean square χ. ' +
      'At criticality (χ = 1 per layer) a tanh network with orthogonal weights keeps them all near 1, dynamical isometry; the same network with Gaussian weights of the same variance spreads them over decades, ' +
      'and a ReLU network spreads them even with orthogonal weights. Read the Jacobian card at step 0, then run the preset: the isometric network trains fastest.',
    source: 'Pennington, Schoenholz & Ganguli, "Resurrecting the sigmoid in deep learning through dynamical isometry: theory and practice", NeurIPS 2017 (arXiv:1711.04735)',
    published: {
      summary: 'The abstract: ReLU networks are incapable of dynamical isometry; sigmoidal networks can achieve it, but only with orthogonal weight initialization; deep networks that achieve it learn orders of magnitude faster than networks that do not. ' +
        'Its figures (singular value densities of wide networks, learning curves of 200-layer networks on CIFAR-10) could not be read here, so no number is quoted.',
      figures: [],
    },
    scaledDown: [
      `${DEPTH} hidden layers of ${WIDTH} units on the 8×8 digits instead of hundreds of layers of hundreds of units on CIFAR-10.`,
      'The paper\'s input has the width of the stack and a small second moment q*; here the first layer maps the 64 standardized pixels there (gain 0.1 for tanh: q ≈ 0.01, where tanh is nearly linear) and the Jacobian starts at its pre-activation. ' +
        'Criticality at the simplest point: σ_w = 1 (orthogonal gain 1, or Gaussian variance 1/fan_in) and zero biases for tanh, σ_w = √2 for ReLU, instead of σ_w slightly above 1 with a small bias.',
      'The spectrum on the first 8 training rows; 300 steps of plain SGD at one learning rate (0.03) for every network, not a tuned one each.',
    ],
    steps: 300,
    pace: 30,
    checkpoints: [0, 100, 200],
    views: ['jacobian', 'loss', 'signal', 'summary'],
    record: { jacobianSpectrum: { probes: 8, bins: 30 } },
    runs: [
      { label: 'orthogonal', title: `${DEPTH} × tanh, orthogonal weights (gain 1)`, config: deep('tanh', { name: 'orthogonal', gain: 1 }, { name: 'orthogonal', gain: 0.1 }) },
      { label: 'gaussian', title: `${DEPTH} × tanh, Gaussian weights N(0, 1/fan_in)`, config: deep('tanh', gaussian(1), gaussian(0.01)) },
      { label: 'relu', title: `${DEPTH} × relu, orthogonal weights (gain √2)`, config: deep('relu', { name: 'orthogonal', gain: Math.SQRT2 }, { name: 'orthogonal', gain: Math.SQRT2 }) },
    ],
    expect: [
      { claim: 'orthogonal tanh: every singular value within a factor 3 of 1', value: 'orthogonal.jacobianSpectrum.min', above: 0.333 },
      { claim: 'orthogonal tanh: the largest under 3', value: 'orthogonal.jacobianSpectrum.max', below: 3 },
      { claim: 'Gaussian tanh: the largest singular value over 100 times the smallest', value: 'gaussian.jacobianSpectrum.max', above: 'gaussian.jacobianSpectrum.min', times: 100 },
      { claim: 'relu: the largest over 100 times the smallest, orthogonal weights notwithstanding', value: 'relu.jacobianSpectrum.max', above: 'relu.jacobianSpectrum.min', times: 100 },
      { claim: 'the spread (variance of σ²) of Gaussian tanh is over 10 times that of orthogonal tanh', value: 'gaussian.jacobianSpectrum.variance', above: 'orthogonal.jacobianSpectrum.variance', times: 10 },
      { claim: 'after 300 steps orthogonal tanh has the lowest training loss', value: 'orthogonal.final.trainLoss', below: 'gaussian.final.trainLoss' },
      { claim: 'below relu\'s too', value: 'orthogonal.final.trainLoss', below: 'relu.final.trainLoss' },
    ],
  },
];

// The terms of art the page and the lessons use, each with one line for a learner. Text
// marks a term as [[key]] (the term's own words) or [[key|the words shown]]; terms.js turns
// them into keyboard-focusable terms that show the line on hover and focus. One table: a
// key used anywhere must be here (tests/wasm/lessons.test.mjs checks every use).

export const GLOSSARY = {
  'pre-activation': { term: 'pre-activation z', text: 'What a unit computes before its activation function: z = a_prev·W + b, the weighted sum of the layer\'s inputs plus the bias.' },
  activation: { term: 'activation a', text: 'A unit\'s output after its activation function, a = φ(z); it is the next layer\'s input.' },
  'grad-z': { term: '∂L/∂z', text: 'How much the loss changes when a unit\'s pre-activation z changes: the gradient that backpropagation carries from the output back to the input.' },
  'fan-in': { term: 'fan-in', text: 'The number of inputs each unit of a layer adds up: the previous layer\'s width.' },
  'fan-out': { term: 'fan-out', text: 'The number of units a layer feeds: its own width, which is how many weights each input reaches.' },
  symmetry: { term: 'symmetry', text: 'Units that start with identical weights compute the same thing and get the same update, so they stay copies of each other; random initial weights break the tie.' },
  'distinct-units': { term: 'distinct units', text: 'How many units of a layer differ from each other; units whose weights and bias are equal bit for bit count once.' },
  'variance-scaling': { term: 'variance scaling', text: 'Drawing each weight with variance scale/n, where n is the fan-in, the fan-out or their average: the rule behind LeCun, Glorot and He.' },
  'shattered-gradients': { term: 'shattered gradients', text: 'With depth, the input gradients of neighbouring inputs become unrelated, like white noise (Balduzzi et al. 2017); skip connections keep them alike.' },
  'variance-propagation': { term: 'variance propagation', text: 'Predicting each layer\'s spread of z from the weights\' variance and the activation, layer by layer, before any training.' },
  gain: { term: 'gain', text: 'A factor on the weights\' standard deviation chosen for the activation that follows, e.g. √2 for relu in PyTorch\'s calculate_gain.' },
  lecun: { term: 'LeCun initialization', text: 'Weights with variance 1/fan-in: keeps the spread of z for a linear or tanh-like unit near 0.' },
  glorot: { term: 'Glorot (Xavier) initialization', text: 'Weights with variance 2/(fan-in + fan-out): a compromise between keeping the forward signal and the backward gradient.' },
  he: { term: 'He (Kaiming) initialization', text: 'Weights with variance 2/fan-in: the factor 2 makes up for relu setting half of its inputs to zero.' },
  orthogonal: { term: 'orthogonal initialization', text: 'A random orthogonal weight matrix: it keeps the length of every input vector, so every singular value is 1 (times the gain).' },
  lsuv: { term: 'LSUV', text: 'Layer-sequential unit-variance: start orthogonal, then rescale each layer in turn until its output variance on a batch of data is 1.' },
  saturated: { term: 'saturated', text: 'A sigmoid or tanh unit pinned near its flat ends (|tanh| > 0.99), where its slope, and so its gradient, is almost zero.' },
  'dead-unit': { term: 'dead unit', text: 'A relu unit whose z is negative for every example: its output and its gradient are zero, so it stops learning.' },
  vanishing: { term: 'vanishing', text: 'A signal or gradient that shrinks by a factor at every layer until the deep layers see almost nothing.' },
  exploding: { term: 'exploding', text: 'A signal or gradient that grows by a factor at every layer until the numbers overflow or the steps are far too large.' },
  'probe-batch': { term: 'probe batch', text: 'A fixed set of training examples the lab measures every layer on, the same at every step, so the numbers compare across steps.' },
  rms: { term: 'RMS', text: 'Root mean square, √E[x²]: the size of a quantity including its mean; for a zero-mean quantity it is the standard deviation.' },
  'finite-width-band': { term: 'finite-width band', text: 'How far a real layer of this width typically strays from the theory, which assumes infinitely wide layers.' },
  jacobian: { term: 'input-output Jacobian', text: 'How much each unit of the last hidden layer moves when the first layer\'s z moves a little: the product of the layers\' weights and slopes.' },
  'dynamical-isometry': { term: 'dynamical isometry', text: 'Every singular value of the input-output Jacobian near 1: every direction keeps its length through the network. Orthogonal tanh can, ReLU cannot.' },
  chi: { term: 'χ', text: 'The mean squared singular value of the input-output Jacobian: how much a small random change grows (above 1) or shrinks (below 1) through the network.' },
  chi1: { term: 'χ₁', text: 'How much the gradient\'s size changes per layer going backward: below 1 gradients shrink toward the input, above 1 they grow.' },
  ordered: { term: 'ordered phase', text: 'χ₁ < 1: nearby inputs are pulled together and gradients shrink toward the input; deep networks here vanish.' },
  critical: { term: 'critical', text: 'χ₁ = 1, on the order/chaos boundary: gradients keep their size through depth, where deep networks train best.' },
  chaotic: { term: 'chaotic phase', text: 'χ₁ > 1: nearby inputs are pushed apart and gradients grow toward the input; deep networks here explode.' },
  'order-chaos-boundary': { term: 'order/chaos boundary', text: 'The weight and bias scales where χ₁ = 1, between the ordered and the chaotic phase.' },
  'update-ratio': { term: 'update ratio ‖ΔW‖/‖W‖', text: 'How big the last optimizer step was next to the weights themselves; a common rule of thumb puts a healthy pace near 1e-3.' },
  'weight-change': { term: 'weights moved ‖W − W₀‖/‖W₀‖', text: 'How far training has carried a layer\'s weights from where they started, next to their starting size: 0.01 means they moved by 1% of their length.' },
  'lazy-training': { term: 'lazy training', text: 'Training in which the weights barely move (a large initial scale, very wide layers): the network acts like its linearization and keeps the features it was drawn with (Chizat et al. 2019).' },
  'rich-training': { term: 'rich training', text: 'Training in which the weights move far from their start and the layers learn new features: the opposite of lazy training, found with small initial scales.' },
  'input-normalization': { term: 'input normalization', text: 'Rescaling each input feature (to [0, 1], or to mean 0 and std 1 using the training rows) before the first layer sees it.' },
  clipping: { term: 'gradient clipping', text: 'Shrinking the gradient before a step when it is too large: by its global norm (g ← g·c/‖g‖) or value by value.' },
  divergence: { term: 'divergence', text: 'A run whose numbers become infinite or NaN: the lab stops at the step before and says where it happened.' },
  'batch-norm': { term: 'batch normalization', text: 'A layer that rescales each feature to mean 0 and variance 1 over the batch (BatchNorm), or each example over its features (LayerNorm), then applies a learned gain and shift.' },
  'residual-block': { term: 'residual block', text: 'A block whose output is its input plus a scaled branch, out = x + α·f(x): the skip connection gives the signal and the gradient a path around the branch.' },
  gate: { term: 'gate α', text: 'The factor on a block\'s branch; at 0 the block starts as the identity (SkipInit, and ReZero when α is learned).' },
  rezero: { term: 'ReZero', text: 'Bachlechner et al. 2020: a trainable gate α on every branch, starting at 0, so that every block starts as the identity.' },
  fixup: { term: 'Fixup', text: 'Zhang, Dauphin & Ma 2019: the last layer of each branch at 0, the other branch layers scaled by L^(−1/(2m−2)) for L blocks of m layers, plus scalar multipliers and biases; no normalization needed.' },
  skipinit: { term: 'SkipInit', text: 'De & Smith 2020: a scalar gate on each branch, at 0 or below 1/√L for L blocks, which does what batch normalization does to a residual network at the start.' },
  'gpt2-init': { term: 'GPT-2\'s scaled initialization', text: 'Radford et al. 2019: the last layer of each residual branch scaled by 1/√N for N residual layers; GPT-2\'s code writes std 0.02/√(2·n_layer), two branches per transformer layer.' },
  'post-norm': { term: 'post-norm', text: 'Normalization after the residual addition, N(x + f(x)), as in the original transformer: the skip path passes through every normalization.' },
  'pre-norm': { term: 'pre-norm', text: 'Normalization at the start of the branch, x + f(N(x)): the skip path stays the identity from input to output.' },
  'warm-up': { term: 'warm-up', text: 'Starting with a small learning rate and raising it linearly over the first steps, so the first updates are small while the network is at its least stable.' },
};

/** The entry for `key`, or undefined. */
export const glossaryEntry = (key) => (Object.hasOwn(GLOSSARY, key) ? GLOSSARY[key] : undefined);

/** Every [[key]] or [[key|words]] in `text` → [{ key, words }]. */
export function termsIn(text) {
  return [...String(text).matchAll(/\[\[([^\]|]+)(?:\|([^\]]*))?\]\]/g)].map((m) => ({ key: m[1], words: m[2] ?? null }));
}

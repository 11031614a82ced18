// The preset of muP (issue 17): learning-rate transfer across width, a row of the presets'
// table (presetTable.mjs, whose header says what each key means). Plain data, no import.

const BASE_WIDTH = 32;
const WIDTHS = [32, 128, 512];
// Log-spaced by octaves, 2^-10 to 2^-3: both parameterizations' best rates lie inside.
const LRS = [-10, -9, -8, -7, -6, -5, -4, -3].map((e) => 2 ** e);
const SEEDS = [1, 2, 3];
const STEPS = 40;
const TUNED_LR = 2 ** -5;

const parameterizations = [
  ['sp', 'standard', 'standard parameterization (SP)'],
  ['mup', { name: 'mup', baseWidth: BASE_WIDTH }, `muP (base width ${BASE_WIDTH})`],
];

// Two tanh hidden layers on the digits, LeCun normal, Adam on minibatches of 64.
const mlp = (parameterization, width, seed) => ({
  seed,
  data: { name: 'digits', normalize: 'standardize' },
  layers: [
    { units: width, activation: 'tanh' },
    { units: width, activation: 'tanh' },
    { units: 10, activation: 'softmax' },
  ],
  init: 'lecun_normal',
  biasInit: 'zeros',
  loss: 'cross_entropy',
  optimizer: { name: 'adam', lr: TUNED_LR, batch: 64 },
  parameterization,
});

const sweeps = parameterizations.flatMap(([label, parameterization, title]) => SEEDS.map((seed) => ({
  label: `${label}-seed${seed}`,
  title: `${title}, seed ${seed}: width × learning rate`,
  show: 'loss',
  spec: {
    base: mlp(parameterization, BASE_WIDTH, seed),
    x: { param: 'width', values: WIDTHS },
    y: { param: 'lr', values: LRS },
    steps: STEPS,
    success: { lossBelow: 0.1 },
  },
})));

const wide = WIDTHS.at(-1);
const perSeed = (make) => SEEDS.map(make);

export const mupPresets = [
  {
    name: 'lr-transfer',
    title: 'Tensor Programs V: the best learning rate drifts with width under SP and stays put under muP',
    text: 'The same MLP at widths 32, 128 and 512, each trained at eight learning rates from 2^-10 to 2^-3. ' +
      'Under the standard parameterization the learning rate that gives the lowest training loss falls as the network widens, so a rate tuned on a narrow network is too large for a wide one. ' +
      `Under muP (base width ${BASE_WIDTH}, m = width/${BASE_WIDTH}: the output layer's input divided by m, the hidden layer's Adam learning rate divided by m) the best rate stays where it was, and wider is better at every rate. ` +
      'The sweeps carry the result; the two runs train width 512 at the rate tuned at width 32.',
    source: 'Yang, Hu, Babuschkin et al., "Tensor Programs V: Tuning Large Neural Networks via Zero-Shot Hyperparameter Transfer", arXiv:2203.03466, figure 1 (and the MLP of figure 3)',
    published: {
      summary: 'Figure 1: training loss against log2 learning rate for Transformers of d_model 128 to 8192 trained with Adam. Under SP the best learning rate shifts with width and wider networks can do worse; under muP the curves share their best learning rate and wider is always better. Figure 3 shows the same for an MLP on CIFAR-10 trained with SGD.',
      figures: [],
    },
    scaledDown: [
      `An MLP with two tanh hidden layers on the 8x8 digits instead of a Transformer on language modelling; widths ${WIDTHS.join(', ')} instead of 128 to 8192.`,
      `${STEPS} Adam steps of minibatch 64 per cell instead of full training; the measure is the final training loss over all 1797 rows, as the figure plots training loss.`,
      `Eight learning rates one octave apart (2^-10 to 2^-3), ${SEEDS.length} seeds (one sweep per parameterization and seed; each check must hold for every seed).`,
      'Adam, as in figure 1: under SP with Adam the best rate falls roughly as 1/width, which shows within a factor 16 of width; muP changes Adam\'s per-layer rates (mup\'s MuAdam).',
      'Softmax cross-entropy, the loss of the published classification and language-modelling runs: the claim is about training loss, which cross-entropy keeps informative after accuracy saturates.',
    ],
    steps: STEPS,
    pace: 4,
    checkpoints: [0, 10, 20, STEPS],
    views: ['sweep', 'loss', 'summary'],
    runs: parameterizations.map(([label, parameterization, title]) => ({
      label: `${label}-${wide}`,
      title: `${title}, width ${wide}, lr 2^-5 (tuned at width ${BASE_WIDTH})`,
      config: mlp(parameterization, wide, SEEDS[0]),
    })),
    sweeps,
    expect: [
      ...perSeed((s) => ({
        claim: `SP, seed ${s}: the best learning rate at width ${WIDTHS[0]} is at least 4 times that at width ${wide}`,
        value: `sp-seed${s}.byX[0].lowestLossY`, atLeast: `sp-seed${s}.byX[-1].lowestLossY`, times: 4,
      })),
      ...perSeed((s) => ({
        claim: `muP, seed ${s}: the best learning rate at width ${wide} is at most twice that at width ${WIDTHS[0]}`,
        value: `mup-seed${s}.byX[-1].lowestLossY`, atMost: `mup-seed${s}.byX[0].lowestLossY`, times: 2,
      })),
      ...perSeed((s) => ({
        claim: `muP, seed ${s}: the best learning rate at width ${wide} is at least half that at width ${WIDTHS[0]}`,
        value: `mup-seed${s}.byX[-1].lowestLossY`, atLeast: `mup-seed${s}.byX[0].lowestLossY`, times: 0.5,
      })),
      ...perSeed((s) => ({
        claim: `muP, seed ${s}: wider is better (the lowest loss at width ${wide} is below that at width ${WIDTHS[0]})`,
        value: `mup-seed${s}.byX[-1].lowestLoss`, below: `mup-seed${s}.byX[0].lowestLoss`,
      })),
      {
        claim: `at width ${wide} and the rate tuned at width ${BASE_WIDTH}, SP ends with over twice muP's training loss`,
        value: `sp-${wide}.final.trainLoss`, above: `mup-${wide}.final.trainLoss`, times: 2,
      },
    ],
  },
];

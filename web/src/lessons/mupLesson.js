// The lesson on muP (a row of content.js's LESSONS, which says what a lesson and its parts
// are): the same MLP at two widths, under the standard parameterization and under muP, at
// the learning rate tuned on the narrow one (the lr-transfer preset's networks).

const BASE = 32;
const WIDE = 512;
const LR = 2 ** -5;
const STEPS = 40;

const keys = (width) => `runs=2&data=digits&normalize=standardize&layers=${width}:tanh|${width}:tanh|10:softmax` +
  `&init=lecun_normal&biasInit=zeros&loss=cross_entropy&opt=adam&lr=${LR}&batch=64&seed=1&b.param=mup(baseWidth=${BASE})`;
const HIDE = ['data', 'signal', 'health', 'activations', 'gradients', 'shatter', 'trace'];

export const mupLesson = {
  id: 'mup',
  title: 'Wider is not the same network: muP',
  summary: 'A learning rate tuned on a narrow network is too large for a wide one under the standard parameterization; muP rescales each layer so that it carries over.',
  body: [
    'Every lesson so far chose the weights\' variance so that the signal keeps its size at the start. Training is a second question: how much does one step change each layer? Under the standard parameterization (SP), the one PyTorch and Keras use, a step of Adam moves every weight by about the learning rate, and a layer sums more of those moves as it gets wider. The output layer then changes more per step in a wider network, so the learning rate that works best falls as the network widens, and a rate tuned on a small network does not carry over to a large one.',
    'Yang and colleagues\' maximal update parameterization (muP) fixes the sizes of those changes instead. Measured from a base width, with m the width divided by it, muP divides the output layer\'s input by m and the hidden layers\' Adam learning rate by m. At the base width it is the standard network; the first lab checks that: networks of width {base} trained at learning rate {lr}, SP (run A) and muP with base width {base} (run B).',
    { lab: 'base' },
    'Both end at the same training loss, {baseLoss}: at its base width muP is the standard network, weight for weight. The second lab widens both to {wide} units per hidden layer and keeps the learning rate {lr}, the best one at width {base}.',
    { lab: 'wide' },
    'After {steps} steps the standard network ends at a training loss of {spWideLoss}, worse than it did at width {base}, while muP ends at {mupWideLoss}, better: under muP wider is better at the same learning rate. The preset on learning-rate transfer (from Tensor Programs V) sweeps the learning rate over widths and seeds and finds where the best one lies; its Network panel shows, layer by layer, what muP multiplies.',
  ],
  labs: [
    {
      id: 'base',
      title: 'Width {base}: SP (A) against muP with base width {base} (B)',
      keys: keys(BASE),
      hide: HIDE,
      steps: STEPS,
      predict: {
        question: 'At the base width, how do runs A and B differ?',
        choices: [
          'muP trains faster: it rescales the learning rates.',
          'Not at all: at the base width muP multiplies nothing.',
          'muP starts with smaller weights, so it learns more slowly.',
        ],
        answer: 1,
        why: 'muP\'s multipliers are powers of the width over the base width, so at the base width none changes anything and the runs draw and update the same weights.',
      },
      checks: [
        { claim: 'SP (A) and muP (B) end at the same training loss', value: 'B.final.trainLoss', near: 'A.final.trainLoss', relTol: 1e-9 },
        { claim: 'and start from the same loss', value: 'B.init.trainLoss', near: 'A.init.trainLoss', relTol: 1e-9 },
      ],
    },
    {
      id: 'wide',
      title: 'Width {wide} at the learning rate tuned at width {base}: SP (A) against muP (B)',
      keys: keys(WIDE),
      hide: HIDE,
      steps: STEPS,
      predict: {
        question: 'Both networks are widened from {base} to {wide} units and keep the learning rate that was best at {base}. Which one trains better?',
        choices: [
          'SP (A): a wider network at the same learning rate learns faster.',
          'Both the same: width does not change what a learning rate does.',
          'muP (B): under SP the learning rate is now too large for the wide network; muP scales it per layer.',
        ],
        answer: 2,
        why: 'Under SP each Adam step changes the output of a wider network more, so the old rate overshoots; muP divides the readout and the hidden rates by the width ratio, so one step changes the output as much as at the base width.',
      },
      checks: [
        { claim: 'SP (A) ends with over {times} × muP\'s (B) training loss', value: 'A.final.trainLoss', above: 'B.final.trainLoss', times: 2 },
        { claim: 'muP (B) at width {wide} ends below its loss at width {base} ({ref})', value: 'B.final.trainLoss', below: 0.085 },
      ],
    },
  ],
  numbers: {
    base: { text: '32', value: (ctx) => ctx.run('base').config.layers[0].units },
    wide: { text: '512', value: (ctx) => ctx.run('wide').config.layers[0].units },
    lr: { text: '0.03125', value: (ctx) => ctx.run('base').config.optimizer.lr },
    steps: { text: '40', value: (ctx) => ctx.run('wide').final.step },
    baseLoss: { text: '0.085', value: (ctx) => ctx.run('base', 'B').final.trainLoss },
    spWideLoss: { text: '0.15', value: (ctx) => ctx.run('wide').final.trainLoss },
    mupWideLoss: { text: '0.037', value: (ctx) => ctx.run('wide', 'B').final.trainLoss },
  },
};

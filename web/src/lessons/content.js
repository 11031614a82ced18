// The lessons: the story of initialization told with live labs, in order. Prose follows
// lessons/text.js (numbers in braces, glossary terms, code); every number a lesson shows is a row of its
// `numbers` table, whose `value(ctx)` says where the engine has it (tests/wasm/lessons.test.mjs
// runs the labs and compares: the shown text must be the engine's number correctly rounded,
// or within `tol` (relative) where the text says "about").
//
// A lesson:  { id, title, summary, body: [paragraph | { lab: id }], labs, numbers }
// A lab:     { id, title, keys: the lab's URL keys (web/README.md "Links"), hide: parts of the
//              compact embed not shown, steps: how far the learner trains it,
//              predict: { question, choices, answer: index, why }, checks }
// A check is a preset expectation (wasm/presetChecks.mjs checkExpectation) on the learner's runs,
// { A: record, B: record }, each { init, final, layers, diverged } (lessons/report.js); a
// claim may show the check's own reference as {ref} and its factor as {times}.
//
// ctx (the test's): ctx.run(lab, label) → { config, init, final, snapshot, diverged } of the
// lab's run trained to its steps; ctx.law(init, fanIn, fanOut) → the first layer's
// { initStd, initLaw } for that initializer; ctx.dataset(lab, label) → the run's data;
// ctx.data(data) → a data set as the engine makes it from `data` (name, normalize).

import { residualLesson } from './residualLesson.js';
import { mupLesson } from './mupLesson.js';
import { ALL_BUT, rep } from './labKeys.js';

const hidden = (r) => r.snapshot.layers.slice(0, -1);
// Feature j of a data set's training rows.
const column = (d, j) => Array.from({ length: d.train }, (_, i) => d.xTrain[i * d.inputDim + j]);

export const LESSONS = [
  {
    id: 'symmetry',
    title: 'Why initialization matters: zeros and symmetry',
    summary: 'Start every weight at zero, or at any one value, and the hidden units stay copies of each other.',
    body: [
      'Before a network learns anything, every weight needs a first value. Zero looks like the neutral choice: no unit favours any input, and training can move each weight wherever it must. This lesson shows why that fails, and why it fails for any value that all weights share.',
      'Take a pair of hidden units of one layer with the same incoming weights. They see the same inputs, so they compute the same [[pre-activation|z]] and the same [[activation|a]]. The loss treats them alike, so their [[grad-z|∂L/∂z]] and their updates are the same too: after the step they are equal again. Nothing in training can tell them apart. This is the [[symmetry]] problem, and the lab counts it as [[distinct-units|distinct units]]. With zeros it is worse still: every hidden z is zero, relu passes on nothing, and no gradient reaches the hidden layers.',
      { lab: 'zeros' },
      'Zero is not the only value that traps a network. Give every weight the same nonzero value and the units still start, and stay, as copies of each other.',
      { lab: 'constant' },
      'Breaking the tie takes randomness: draw every weight independently. The biases may start at zero once the weights differ. How large the random draws should be is the subject of the next lessons.',
    ],
    labs: [
      {
        id: 'zeros',
        title: 'Every weight starts at zero',
        keys: 'init=zeros',
        hide: ALL_BUT('loss', 'data', 'health'),
        steps: 300,
        predict: {
          question: 'Every weight of this small relu network starts at zero. What will the loss do when you train it?',
          choices: [
            'It falls, only more slowly than from random weights.',
            'It stays flat at ln {two} ≈ {ln2}: the network only ever learns the class balance.',
            'It grows without bound.',
          ],
          answer: 1,
          why: 'Every hidden unit outputs zero for every input, so only the output unit\'s bias can move; on balanced classes the best it can say is one half everywhere, a loss of ln {two}.',
        },
        checks: [
          { claim: 'every hidden layer has a single distinct unit, even after training', value: 'A.final.layers[0:-1].distinctUnits', equals: 1 },
          { claim: 'the training loss stays at ln {two} (at least {ref})', value: 'A.final.trainLoss', atLeast: 0.69 },
          { claim: 'the training accuracy stays at chance (at most {ref})', value: 'A.final.trainAccuracy', atMost: 0.5 },
        ],
      },
      {
        id: 'constant',
        title: 'Every weight starts at the same nonzero value',
        keys: 'init=constant(value=0.5)',
        hide: ALL_BUT('loss', 'health', 'data'),
        steps: 300,
        predict: {
          question: 'Now every weight starts at {half}, not zero. After training, how many different units will each hidden layer have?',
          choices: [
            'As many as it has units: training pulls them apart.',
            'A single one: the units are still copies of each other.',
            'None: they all die.',
          ],
          answer: 1,
          why: 'Equal weights give equal outputs, equal gradients and equal updates at every step, whatever the value they share.',
        },
        checks: [
          { claim: 'every hidden layer still has a single distinct unit after training', value: 'A.final.layers[0:-1].distinctUnits', equals: 1 },
          { claim: 'and it had a single one at the start', value: 'A.init.layers[0:-1].distinctUnits', equals: 1 },
        ],
      },
    ],
    numbers: {
      two: { text: '2', value: (ctx) => Math.exp(ctx.run('zeros').final.trainLoss) },
      ln2: { text: '0.693', value: (ctx) => ctx.run('zeros').final.trainLoss },
      half: { text: '0.5', value: (ctx) => ctx.run('constant').config.init.value },
    },
  },

  {
    id: 'vanishing-exploding',
    title: 'Too small, too large: vanishing and exploding signals',
    summary: 'In a deep network each layer multiplies the spread of the signal by about the same factor: below one it vanishes, above one it explodes.',
    body: [
      'Random weights break the symmetry, but their size matters as much as their randomness. Each layer multiplies its input by a weight matrix, and in a deep network these factors compound: a little too small at every layer becomes almost nothing at the end, a little too large becomes an overflow.',
      'Here are {depth} tanh layers of {width} units with weights of std {smallStd}. Each layer shrinks the spread of z by about the std times the square root of the [[fan-in]], {smallStd} × √{width} = {smallFactor} (the next lesson derives it). Look at the signal chart at initialization, then train.',
      { lab: 'small' },
      'By the last hidden layer the activations have a std of {smallLast}: the signal has [[vanishing|vanished]]. The gradients travel back through the same weights and shrink the same way: the first layer\'s [[grad-z|∂L/∂z]] is {smallGradRatio} times the last layer\'s, so the early layers cannot learn and the loss does not move.',
      'Now the other way round: {depth} relu layers with weights of std {largeStd}. Relu keeps only the positive half of z, and each layer multiplies the spread by about {largeStd} × √({width}/{two}) = {largeFactor}.',
      { lab: 'large' },
      'The last hidden layer starts with a spread of z of about {largeLast}, and the first step\'s gradients are as outsized: this run [[divergence|diverges]] at step {largeDiverged}. Vanishing and [[exploding]] are the same effect with a factor below or above one. The cure is to choose the weights\' variance so that the factor is one.',
    ],
    labs: [
      {
        id: 'small',
        title: 'Deep tanh network, weights of std {smallStd}',
        keys: `layers=${rep(10, '64:tanh')}|1:sigmoid&init=random_normal(stddev=0.01)`,
        hide: ALL_BUT('signal', 'loss', 'activations'),
        steps: 100,
        predict: {
          question: 'At initialization, how will the spread of the last hidden layer\'s activations compare with the first layer\'s?',
          choices: [
            'About the same.',
            'Many orders of magnitude smaller.',
            'Many orders of magnitude larger.',
          ],
          answer: 1,
          why: 'Each of the layers shrinks the spread by the same factor, well below one, so the shrinking compounds.',
        },
        checks: [
          { claim: 'the last hidden layer\'s activation std starts below {ref}', value: 'A.init.layers[-2].a.std', below: 1e-6 },
          { claim: 'the first layer\'s gradients start under {times} × the last layer\'s', value: 'A.init.layers[0].dz.rms', below: 'A.init.layers[-1].dz.rms', times: 1e-6 },
          { claim: 'training does not move the loss (still at least {ref})', value: 'A.final.trainLoss', atLeast: 0.69 },
        ],
      },
      {
        id: 'large',
        title: 'Deep relu network, weights of std {largeStd}',
        keys: `layers=${rep(10, '64:relu')}|1:sigmoid&init=random_normal(stddev=0.5)`,
        hide: ALL_BUT('signal', 'loss', 'gradients'),
        steps: 20,
        predict: {
          question: 'What happens when you train this network?',
          choices: [
            'It trains like any other, only faster.',
            'Its first steps are enormous and the run blows up within a few steps.',
            'Nothing moves, as with the small weights.',
          ],
          answer: 1,
          why: 'The outputs start huge, so the loss and its gradients are huge too; a step of that size throws the weights far away, and the numbers overflow.',
        },
        checks: [
          { claim: 'the last hidden layer\'s z starts with a std above {ref}', value: 'A.init.layers[-2].z.std', above: 1000 },
          { claim: 'the run diverges', value: 'A.diverged', isNull: false },
        ],
      },
    ],
    numbers: {
      depth: { text: '10', value: (ctx) => hidden(ctx.run('small')).length },
      width: { text: '64', value: (ctx) => hidden(ctx.run('small'))[1].fanIn },
      smallStd: { text: '0.01', value: (ctx) => hidden(ctx.run('small'))[1].initStd },
      smallFactor: { text: '0.08', value: (ctx) => { const t = ctx.run('small').snapshot.theory.layers; return t[2].zStd / t[1].zStd; } },
      smallLast: { text: '1e-12', value: (ctx) => ctx.run('small').init.layers.at(-2).a.std },
      smallGradRatio: { text: '1e-12', value: (ctx) => ctx.run('small').init.gradientRatio },
      largeStd: { text: '0.5', value: (ctx) => hidden(ctx.run('large'))[1].initStd },
      two: { text: '2', value: (ctx) => { const r = ctx.run('large'); const l = hidden(r)[1]; const t = r.snapshot.theory.layers; return l.fanIn / (t[2].zStd / (t[1].zStd * l.initStd)) ** 2; } },
      largeFactor: { text: '2.83', value: (ctx) => { const t = ctx.run('large').snapshot.theory.layers; return t[2].zStd / t[1].zStd; } },
      largeLast: { text: '5,000', tol: 0.1, value: (ctx) => ctx.run('large').init.layers.at(-2).z.std },
      largeDiverged: { text: '2', value: (ctx) => ctx.run('large').diverged.step },
    },
  },

  {
    id: 'variance',
    title: 'Keeping the variance: {one}/fan_in, {two}/fan_in, {glorotSum}/(fan_in + fan_out)',
    summary: 'Where the rules of LeCun, He and Glorot come from, with this network\'s numbers, and how Keras and PyTorch spell them.',
    body: [
      'Why did std {smallStd} vanish and std {largeStd} explode? Follow one unit. Its [[pre-activation|z]] adds up [[fan-in]] products w·a. When the weights have mean zero and are drawn independently of the inputs, the variances of the products add up: Var[z] = fan_in · Var[w] · E[a²].',
      'For the signal to keep its size, this must equal the previous layer\'s Var[z]. With a linear unit, or tanh near zero, a ≈ z, so E[a²] = Var[z] and the weights need Var[w] = {one}/fan_in: [[lecun|LeCun\'s]] rule. A relu sets the negative half of a symmetric z to zero, so E[a²] = Var[z]/{reluHalf}, and the weights need Var[w] = {two}/fan_in: [[he|He\'s]] rule.',
      'The gradients travel the other way, through the transposed weights, where each one sums [[fan-out]] products; keeping their size needs fan_out · Var[w] = {one}. [[glorot|Glorot and Bengio]] settle between both demands with Var[w] = {glorotSum}/(fan_in + fan_out). All of these are [[variance-scaling|variance scaling]].',
      'In the lab below every hidden layer after the first has fan_in = {fanIn}. He\'s rule gives Var[w] = {two}/{fanIn} = {heVar}, a std of {heStd} (the full lab\'s formula panel shows each layer\'s numbers).',
      { lab: 'he' },
      'Now a fixed std of {smallStd} on layers of the same width, with linear units: each layer multiplies the variance by fan_in · Var[w] = {fanIn} × {smallStd}² = {linearVarFactor}, so the std by √{linearVarFactor} = {linearStdFactor}.',
      { lab: 'linear' },
      'The frameworks spell these rules differently. Keras has `LecunNormal`, `GlorotUniform`, `HeNormal` and the general `VarianceScaling` (He is scale {vsScale} with mode `fan_in`); its normal versions draw from a normal cut at {cut} standard deviations and widened so that the std comes out right. Glorot\'s uniform version draws from U(±√({six}/(fan_in + fan_out))), whose variance is the same {glorotSum}/(fan_in + fan_out). PyTorch\'s `kaiming_normal_` with `nonlinearity=\'relu\'` draws N({zeroMean}, σ²) with σ = [[gain]]/√fan_in and gain √{gainSquared}, uncut, and `xavier_uniform_` is Glorot\'s. Watch out for PyTorch\'s `nn.Linear` default: U(±{one}/√fan_in), a variance of {one}/({three} · fan_in), smaller than LeCun\'s.',
    ],
    labs: [
      {
        id: 'he',
        title: 'He initialization on deep relu layers',
        keys: `layers=${rep(10, '100:relu')}|1:sigmoid&init=he_normal`,
        hide: ALL_BUT('signal', 'loss', 'summary'),
        steps: 100,
        predict: {
          question: 'With He\'s variance on these {depthHe} relu layers, what will the spread of z do across depth at initialization?',
          choices: [
            'Grow layer after layer.',
            'Stay about level, within the finite-width band.',
            'Shrink layer after layer.',
          ],
          answer: 1,
          why: 'The factor {two} in Var[w] makes up exactly for the half of E[a²] that relu removes, so the expected factor per layer is one.',
        },
        checks: [
          { claim: 'the last hidden layer\'s z keeps more than {times} × the second layer\'s spread', value: 'A.init.layers[-2].z.std', above: 'A.init.layers[1].z.std', times: 0.5 },
          { claim: 'and less than {times} × it', value: 'A.init.layers[-2].z.std', below: 'A.init.layers[1].z.std', times: 2 },
        ],
      },
      {
        id: 'linear',
        title: 'Fixed std {smallStd} on linear layers of width {fanIn}',
        keys: `layers=${rep(6, '100:linear')}|1:sigmoid&init=random_normal(stddev=0.01)`,
        hide: ALL_BUT('signal', 'loss'),
        steps: 10,
        predict: {
          question: 'From one hidden layer to the next, by what factor does the std of z change?',
          choices: ['{linearVarFactor}', '{linearStdFactor}', '{one}'],
          answer: 1,
          why: 'The variance changes by {fanIn} × {smallStd}² = {linearVarFactor}; the std is its square root.',
        },
        checks: [
          { claim: 'the third hidden layer\'s z std is under {times} × the second\'s', value: 'A.init.layers[2].z.std', below: 'A.init.layers[1].z.std', times: 0.15 },
          { claim: 'and over {times} × it', value: 'A.init.layers[2].z.std', above: 'A.init.layers[1].z.std', times: 0.07 },
        ],
      },
    ],
    numbers: {
      smallStd: { text: '0.01', value: (ctx) => hidden(ctx.run('linear'))[1].initStd },
      largeStd: { text: '0.5', value: (ctx) => ctx.law('random_normal(stddev=0.5)', 64, 64).initStd },
      one: { text: '1', value: (ctx) => ctx.law('lecun_normal', 100, 100).initStd ** 2 * 100 },
      two: { text: '2', value: (ctx) => ctx.law('he_normal', 100, 50).initStd ** 2 * 100 },
      fanIn: { text: '100', value: (ctx) => hidden(ctx.run('he'))[1].fanIn },
      heVar: { text: '0.02', value: (ctx) => hidden(ctx.run('he'))[1].initStd ** 2 },
      heStd: { text: '0.141', value: (ctx) => hidden(ctx.run('he'))[1].initStd },
      depthHe: { text: '10', value: (ctx) => hidden(ctx.run('he')).length },
      linearVarFactor: { text: '0.01', value: (ctx) => { const t = ctx.run('linear').snapshot.theory.layers; return (t[2].zStd / t[1].zStd) ** 2; } },
      linearStdFactor: { text: '0.1', value: (ctx) => { const t = ctx.run('linear').snapshot.theory.layers; return t[2].zStd / t[1].zStd; } },
      six: { text: '6', value: (ctx) => { const law = ctx.law('glorot_uniform', 100, 50).initLaw; return law.hi ** 2 * 150; } },
      three: { text: '3', value: (ctx) => 1 / (ctx.law('nn_linear_default', 100, 50).initStd ** 2 * 100) },
      reluHalf: { text: '2', value: (ctx) => { const t = ctx.run('he').snapshot.theory.layers[1]; return t.q / t.a2; } },
      vsScale: { text: '2', value: (ctx) => ctx.law('variance_scaling(scale=2,mode=fan_in,distribution=truncated_normal)', 100, 50).initStd ** 2 * 100 },
      cut: { text: '2', value: (ctx) => { const law = ctx.law('he_normal', 100, 50).initLaw; return law.hi / law.stddev; } },
      zeroMean: { text: '0', abs: 0, value: (ctx) => ctx.law('kaiming_normal_(nonlinearity=relu)', 100, 50).initMean },
      gainSquared: { text: '2', value: (ctx) => ctx.law('kaiming_normal_(nonlinearity=relu)', 100, 50).initStd ** 2 * 100 },
      glorotSum: { text: '2', value: (ctx) => ctx.law('glorot_normal', 100, 50).initStd ** 2 * 150 },
    },
  },

  {
    id: 'activation',
    title: 'The activation decides the initializer: relu and tanh at depth {depth}',
    summary: 'Glorot\'s variance starves a deep relu network; He\'s variance overdrives a deep tanh one.',
    body: [
      'The rules differ by the activation\'s E[a²]. Use the wrong one and the factor per layer is no longer one; at depth {depth} even a small miss compounds. He and colleagues report that a network of {depth} relu layers started with Glorot\'s variance does not train at all, while their factor {two} lets it learn. The lab has {depthHidden} relu hidden layers of {width} units and a softmax on the handwritten digits: run A starts with Glorot (`xavier_normal_`), run B with He (`kaiming_normal_`).',
      { lab: 'relu30' },
      'Under Glorot each relu layer keeps about half of the variance, so by the last hidden layer the activations have {reluGlorotRatio} of the first layer\'s spread, and the gradients reaching the first layer are as faint. Under He the spread stays within reach of where it started.',
      'With tanh it goes the other way. Near zero tanh is linear, so LeCun\'s or Glorot\'s variance is about right (the signal still fades slowly, since tanh bends below its tangent), and He\'s factor {two} is too much: the network sits in the [[chaotic|chaotic phase]], where gradients grow on their way back ([[chi1|χ₁]] = {tanhHeChi} here), while Glorot stays in the [[ordered|ordered phase]] just below the [[order-chaos-boundary|boundary]] (χ₁ = {tanhGlorotChi}).',
      { lab: 'tanh30' },
      'Both tanh runs learn here, but they are not alike: He\'s gradients reach the first layer at {tanhHeGrad} times the last layer\'s size, Glorot\'s at {tanhGlorotGrad}. Match the initializer to the activation: He for relu and its family, LeCun or Glorot for tanh, and for tanh PyTorch\'s [[gain]] table adds a factor of its own.',
    ],
    labs: [
      {
        id: 'relu30',
        title: 'relu, {depth} layers: Glorot (A) against He (B)',
        keys: `runs=2&data=digits&normalize=standardize&layers=${rep(29, '64:relu')}|10:softmax&init=xavier_normal_&opt=momentum&lr=0.002&batch=32&seed=1&b.init=kaiming_normal_(nonlinearity=relu)`,
        hide: ALL_BUT('signal', 'loss'),
        steps: 200,
        predict: {
          question: 'Which run will start learning the digits within the first steps?',
          choices: ['Both.', 'Only A, Glorot.', 'Only B, He.', 'Neither.'],
          answer: 2,
          why: 'Under Glorot the signal halves its variance at every relu layer and is gone long before the output; under He it keeps its size.',
        },
        checks: [
          { claim: 'Glorot (A): the last hidden layer\'s activations start under {times} × the first layer\'s', value: 'A.init.layers[-2].a.std', below: 'A.init.layers[0].a.std', times: 0.01 },
          { claim: 'He (B): the last hidden layer keeps more than {times} × the first layer\'s spread', value: 'B.init.layers[-2].a.std', above: 'B.init.layers[0].a.std', times: 0.1 },
          { claim: 'Glorot (A) stalls: its training loss stays above {ref}', value: 'A.final.trainLoss', above: 2.2 },
          { claim: 'He (B) learns: its training loss falls below {times} × Glorot\'s', value: 'B.final.trainLoss', below: 'A.final.trainLoss', times: 0.8 },
        ],
      },
      {
        id: 'tanh30',
        title: 'tanh, {depth} layers: Glorot (A) against He (B)',
        keys: `runs=2&data=digits&normalize=standardize&layers=${rep(29, '64:tanh')}|10:softmax&init=xavier_normal_&opt=momentum&lr=0.002&batch=32&seed=1&b.init=he_normal`,
        hide: ALL_BUT('signal', 'loss'),
        steps: 200,
        predict: {
          question: 'At initialization, how do the gradients of the first layer compare with the last layer\'s?',
          choices: [
            'The same in both runs.',
            'Larger under He (B), smaller under Glorot (A).',
            'Smaller under He (B), larger under Glorot (A).',
          ],
          answer: 1,
          why: 'He\'s variance puts tanh in the chaotic phase (χ₁ above one), where gradients grow backward; Glorot\'s in the ordered phase, where they shrink.',
        },
        checks: [
          { claim: 'He (B): the first layer\'s gradients start larger than the last layer\'s', value: 'B.init.gradientRatio', above: 1 },
          { claim: 'Glorot (A): the first layer\'s gradients start smaller than the last layer\'s', value: 'A.init.gradientRatio', below: 1 },
          { claim: 'Glorot (A) learns (training accuracy at least {ref})', value: 'A.final.trainAccuracy', atLeast: 0.5 },
        ],
      },
    ],
    numbers: {
      depth: { text: '30', value: (ctx) => ctx.run('relu30').snapshot.layers.length },
      depthHidden: { text: '29', value: (ctx) => hidden(ctx.run('relu30')).length },
      width: { text: '64', value: (ctx) => hidden(ctx.run('relu30'))[1].fanIn },
      two: { text: '2', value: (ctx) => { const l = hidden(ctx.run('relu30', 'B'))[1]; return l.initStd ** 2 * l.fanIn; } },
      reluGlorotRatio: { text: '2e-5', value: (ctx) => { const L = ctx.run('relu30').init.layers; return L.at(-2).a.std / L[0].a.std; } },
      tanhHeChi: { text: '1.11', value: (ctx) => ctx.run('tanh30', 'B').snapshot.theory.chi1 },
      tanhGlorotChi: { text: '0.97', value: (ctx) => ctx.run('tanh30').snapshot.theory.chi1 },
      tanhHeGrad: { text: '1.4', value: (ctx) => ctx.run('tanh30', 'B').init.gradientRatio },
      tanhGlorotGrad: { text: '0.09', value: (ctx) => ctx.run('tanh30').init.gradientRatio },
    },
  },

  {
    id: 'beyond-variance',
    title: 'Beyond variance: orthogonal weights and LSUV',
    summary: 'An orthogonal matrix keeps every direction\'s length; LSUV then measures each layer on real data and rescales it to unit variance.',
    body: [
      'A random Gaussian matrix has the right variance on average, but it stretches some directions and squeezes others; through many layers the stretches multiply. An [[orthogonal|orthogonal]] matrix keeps the length of every vector, which makes it the natural start for deep linear networks (Saxe and colleagues).',
      'Orthogonality alone does not know about the activation, though: a relu still removes half of the second moment at every layer. [[lsuv|LSUV]] (Mishkin and Matas) keeps the orthogonal start and then, layer after layer, measures the output variance on a batch of training data and divides the weights by its square root, until the variance is within {tolerance} of {one}. It measures instead of deriving, so it works for any activation. Run A starts orthogonal, run B with LSUV, on {depth} relu layers.',
      { lab: 'lsuv' },
      'After LSUV the variance of z is {lsuvVar} at every hidden layer, measured on the lab\'s [[probe-batch|probe batch]], and the network trains; the orthogonal start without rescaling fades layer after layer and stalls like Glorot did in the previous lesson.',
    ],
    labs: [
      {
        id: 'lsuv',
        title: 'relu, {depth} layers: orthogonal (A) against LSUV (B)',
        keys: `runs=2&data=digits&normalize=standardize&layers=${rep(19, '64:relu')}|10:softmax&init=orthogonal&lr=0.01&batch=32&seed=1&b.init=lsuv`,
        hide: ALL_BUT('signal', 'loss'),
        steps: 200,
        predict: {
          question: 'Orthogonal weights keep every vector\'s length. Will the orthogonal run (A) keep its signal through the relu layers?',
          choices: [
            'Yes: orthogonal weights keep everything.',
            'No: relu still halves the second moment at every layer, so the signal fades; LSUV (B) rescales it back.',
            'Neither run keeps its signal.',
          ],
          answer: 1,
          why: 'The weights keep lengths, the relus do not; LSUV measures what the whole layer does, relu included.',
        },
        checks: [
          { claim: 'LSUV (B): every hidden layer\'s variance of z starts in {ref}', value: 'B.init.layers[0:-1].zVar', between: [0.98, 1.02] },
          { claim: 'orthogonal (A): the last hidden layer\'s activations start under {times} × the first layer\'s', value: 'A.init.layers[-2].a.std', below: 'A.init.layers[0].a.std', times: 0.01 },
          { claim: 'LSUV (B) ends with under {times} × the orthogonal run\'s training loss', value: 'B.final.trainLoss', below: 'A.final.trainLoss', times: 0.8 },
        ],
      },
    ],
    numbers: {
      tolerance: { text: '0.02', value: (ctx) => ctx.run('lsuv', 'B').config.init.tolerance },
      one: { text: '1', value: (ctx) => ctx.run('lsuv', 'B').init.layers[0].zVar },
      depth: { text: '20', value: (ctx) => ctx.run('lsuv').snapshot.layers.length },
      lsuvVar: { text: '1.00', value: (ctx) => ctx.run('lsuv', 'B').init.layers.at(-2).zVar },
    },
  },

  {
    id: 'normalization',
    title: 'Input normalization: what the first layer sees',
    summary: 'Initializers assume inputs of about unit scale; raw features in centimetres saturate the first tanh layer.',
    body: [
      'Every rule so far assumed that the inputs have a spread of about one: the first layer\'s Var[z] is fan_in · Var[w] · E[x²]. Raw features rarely do. The iris flowers are measured in centimetres, all positive and up to {maxFeature}, so the first tanh layer gets large pre-activations and many of its units start [[saturated]].',
      '[[input-normalization|Normalizing the inputs]] fixes the first layer without touching the initializer: scale each feature to [{minZero}, {maxOne}] (min-max), or standardize it to mean {meanZero} and std {stdOne}, both fitted on the training rows. Run A sees the raw measurements, run B the standardized ones; the network, the weights\' law and the learning rate are the same.',
      { lab: 'iris' },
      'At the start {rawSaturated}% of the raw run\'s first-layer entries are saturated, against {stdSaturated}% with standardized inputs. Where tanh is flat its gradient is almost zero, so those units learn slowly; after {steps} steps the raw run reaches a training accuracy of {rawAccuracy}, the standardized one {stdAccuracy}.',
    ],
    labs: [
      {
        id: 'iris',
        title: 'Iris: raw (A) against standardized (B) inputs',
        keys: 'runs=2&data=iris&normalize=none&layers=16:tanh|16:tanh|3:softmax&init=glorot_uniform&lr=0.5&batch=120&seed=1&b.normalize=standardize',
        hide: ALL_BUT('loss', 'activations', 'health'),
        steps: 500,
        predict: {
          question: 'Same network, same initializer. Which run will fit the training flowers better?',
          choices: [
            'The raw one (A): it keeps the real units.',
            'The standardized one (B).',
            'Both the same: the initializer adapts.',
          ],
          answer: 1,
          why: 'The initializer assumed inputs of unit scale; the raw ones push the first tanh layer into saturation, where its gradients are tiny.',
        },
        checks: [
          { claim: 'raw (A): at least {ref} of the first layer saturated at the start', value: 'A.init.layers[0].saturated', atLeast: 0.1 },
          { claim: 'standardized (B): at most {ref} of it saturated', value: 'B.init.layers[0].saturated', atMost: 0.01 },
          { claim: 'standardized (B) learns (training accuracy at least {ref})', value: 'B.final.trainAccuracy', atLeast: 0.95 },
          { claim: 'raw (A) ends below standardized (B) in training accuracy', value: 'A.final.trainAccuracy', below: 'B.final.trainAccuracy' },
        ],
      },
    ],
    numbers: {
      maxFeature: { text: '7.9', value: (ctx) => Math.max(...ctx.dataset('iris').xTrain) },
      minZero: { text: '0', abs: 1e-6, value: (ctx) => Math.min(...ctx.data({ name: 'iris', normalize: 'minmax' }).xTrain) },
      maxOne: { text: '1', tol: 1e-6, value: (ctx) => Math.max(...ctx.data({ name: 'iris', normalize: 'minmax' }).xTrain) },
      meanZero: { text: '0', abs: 1e-5, value: (ctx) => { const d = ctx.dataset('iris', 'B'); return column(d, 0).reduce((a, v) => a + v, 0) / d.train; } },
      stdOne: { text: '1', tol: 1e-4, value: (ctx) => { const d = ctx.dataset('iris', 'B'); const x = column(d, 0); const m = x.reduce((a, v) => a + v, 0) / x.length; return Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / x.length); } },
      rawSaturated: { text: '34', value: (ctx) => 100 * ctx.run('iris').init.layers[0].saturated },
      stdSaturated: { text: '0', value: (ctx) => 100 * ctx.run('iris', 'B').init.layers[0].saturated },
      steps: { text: '500', value: (ctx) => ctx.run('iris').final.step },
      rawAccuracy: { text: '0.68', value: (ctx) => ctx.run('iris').final.trainAccuracy },
      stdAccuracy: { text: '0.99', value: (ctx) => ctx.run('iris', 'B').final.trainAccuracy },
    },
  },

  {
    id: 'clipping',
    title: 'Gradient clipping: a brake for exploding gradients',
    summary: 'When a gradient is far too large, clipping its norm bounds the step, and a run that would blow up trains.',
    body: [
      'Even a well initialized network can meet a gradient far larger than usual: a learning rate set too high, an unlucky batch, a steep wall in the loss. One step of that size throws the weights far away, the next gradient is larger still, and within a few steps the numbers overflow.',
      '[[clipping|Gradient clipping]] puts a ceiling on the step. Clipping by norm measures the whole gradient g: if ‖g‖ is above a threshold c, it rescales g to g · c/‖g‖, keeping its direction; below c it leaves g alone. Each step then moves the weights by at most the learning rate times c. Both runs below train {depth} relu layers with He\'s variance at learning rate {lr}; run B clips the norm at {clip}.',
      { lab: 'clip' },
      'Run A [[divergence|diverges]] at step {diverged}; run B reaches a training accuracy of {clippedAccuracy} on the same data. Clipping treats the symptom, not the cause: with a sound initialization and a sensible learning rate it rarely acts, and it is a safety net for the steps where the gradients [[exploding|explode]] anyway.',
    ],
    labs: [
      {
        id: 'clip',
        title: 'Learning rate {lr} without (A) and with (B) clipping',
        keys: `runs=2&data=moons&layers=${rep(6, '32:relu')}|1:sigmoid&init=kaiming_normal_(nonlinearity=relu)&lr=2&batch=32&seed=1&b.clipNorm=1`,
        hide: ALL_BUT('loss', 'data'),
        steps: 500,
        predict: {
          question: 'The learning rate is far too large for this network. What will clipping the gradient norm do?',
          choices: [
            'Nothing: both runs blow up.',
            'The clipped run (B) trains while the other (A) blows up.',
            'Both train: the learning rate is fine.',
          ],
          answer: 1,
          why: 'Clipping bounds every step, so the weights never make the leap that starts the blow-up.',
        },
        checks: [
          { claim: 'without clipping (A) the run diverges', value: 'A.diverged', isNull: false },
          { claim: 'with clipping (B) it does not', value: 'B.diverged', isNull: true },
          { claim: 'with clipping (B) it learns the moons (training accuracy at least {ref})', value: 'B.final.trainAccuracy', atLeast: 0.95 },
        ],
      },
    ],
    numbers: {
      depth: { text: '6', value: (ctx) => hidden(ctx.run('clip')).length },
      lr: { text: '2', value: (ctx) => ctx.run('clip').config.optimizer.lr },
      clip: { text: '1', value: (ctx) => ctx.run('clip', 'B').config.optimizer.clipNorm },
      diverged: { text: '4', value: (ctx) => ctx.run('clip').diverged.step },
      clippedAccuracy: { text: '1', value: (ctx) => ctx.run('clip', 'B').final.trainAccuracy },
    },
  },

  residualLesson,
  mupLesson,
];

/** The lesson called `id`, or undefined. */
export const lessonById = (id) => LESSONS.find((l) => l.id === id);

// The lesson on residual connections and normalization (a row of content.js's LESSONS, which
// says what a lesson and its parts are): its own file because its labs are long networks.
import { ALL_BUT, rep } from './labKeys.js';

const digits = 'data=digits&normalize=standardize';
const BN_DEPTH = 32;
const REZERO_BLOCKS = 16;

export const residualLesson = {
  id: 'residual',
  title: 'Why deep networks need residual connections and normalization, and how to initialize them',
  summary: 'Normalization alone makes a deep plain network\'s gradients explode; a skip connection keeps a clean path back, and its branch must start small.',
  body: [
    'The lessons so far kept the signal alive by choosing the weights\' variance. Modern networks also lean on their architecture. A [[batch-norm|normalization layer]] rescales each layer\'s output to zero mean and unit variance, whatever the weights. A [[residual-block|residual block]] adds its input to what its branch computes, out = x + α·f(x). Normalization seems to settle the variance question for good: every layer\'s output has the same spread. The first lab tests that on {bnDepth} relu layers, each followed by BatchNorm (run A), against the same dense layers inside residual blocks with BatchNorm (run B).',
    { lab: 'bn' },
    'At step {zero} run A\'s first layer gets a weight gradient about {bnGrowth} times larger than its last hidden layer\'s. Yang and colleagues showed that batch normalization itself makes the gradients grow exponentially toward the input, whatever the weight variance; after {bnSteps} steps run A reaches a training accuracy of {plainAccuracy}, while run B, whose skips carry the gradient straight back, reaches {residualAccuracy}. Skips keep the gradient smooth as well: in a deep plain network the gradients at neighbouring inputs are nearly unrelated, the [[shattered-gradients|shattered gradients]] of Balduzzi and colleagues, while through blocks they stay alike. The preset of that name shows it layer by layer.',
    'A skip brings its own question of initialization. Each block adds its branch to the signal, so if every branch starts with He\'s variance the second moment doubles at every block: after {blocks} blocks the activations are about {unscaledGrowth} times the first layer\'s. [[rezero|ReZero]] (Bachlechner and colleagues) multiplies each branch by a trainable gate α that starts at {zero}: every block starts as the identity, the signal passes through unchanged, and each gate grows as training needs it. Run A is the unscaled network, run B the ReZero one.',
    { lab: 'rezero' },
    'The unscaled run [[divergence|diverges]] at step {unscaledDiverged}; the ReZero run reaches a training accuracy of {rezeroAccuracy}. The other residual initializations shrink the branch instead of gating it: [[fixup|Fixup]] (Zhang, Dauphin and Ma) zeroes the last layer of each branch and scales the others down with the number of blocks, [[skipinit|SkipInit]] (De and Smith) gates each branch with a small scalar, and [[gpt2-init]] scales the last layer of each branch by the inverse square root of the depth. They share one idea: at the start, the sum of the branches must not grow with depth.',
    'Where the normalization sits matters too. The original transformer normalizes after the addition ([[post-norm]]); later ones normalize at the start of the branch ([[pre-norm]]), which leaves the skip path clean. Xiong and colleagues showed that post-norm networks start with large gradients near the output and need a learning-rate [[warm-up]], while pre-norm ones train without it. The preset "Pre-norm against post-norm" trains them side by side: pre-norm, post-norm, and post-norm with warm-up.',
  ],
  labs: [
    {
      id: 'bn',
      title: '{bnDepth} relu layers with BatchNorm: plain (A) against residual (B)',
      keys: `runs=2&${digits}&layers=${rep(BN_DEPTH, '64:relu|batchnorm')}|10:softmax&init=kaiming_normal_(nonlinearity=relu)&lr=0.01&batch=64&seed=1&probe=64` +
        `&b.layers=64:relu|${rep(BN_DEPTH - 1, 'residual(activation=relu,branch=1,norm=batchnorm)')}|10:softmax`,
      hide: ALL_BUT('gradients', 'loss'),
      steps: 300,
      predict: {
        question: 'Every layer of run A is normalized to unit variance. Will its gradients keep their size from the last layer back to the first?',
        choices: [
          'Yes: normalization keeps every layer at the same scale, gradients included.',
          'No: through the normalized layers the gradients grow toward the input, and the plain network hardly trains.',
          'No: they vanish toward the input.',
        ],
        answer: 1,
        why: 'Batch normalization fixes the forward spread, but its backward pass amplifies the gradient at every layer; a skip gives the gradient a path around it.',
      },
      checks: [
        { claim: 'plain (A): the first layer\'s weight gradient starts over {times} × the last hidden layer\'s', value: 'A.init.layers[0].dw.norm', above: 'A.init.layers[-3].dw.norm', times: 100 },
        { claim: 'residual (B): under {times} ×', value: 'B.init.layers[0].dw.norm', below: 'B.init.layers[-2].dw.norm', times: 10 },
        { claim: 'residual (B) learns (training accuracy at least {ref})', value: 'B.final.trainAccuracy', atLeast: 0.95 },
        { claim: 'plain (A) stays below {ref}', value: 'A.final.trainAccuracy', below: 0.5 },
      ],
    },
    {
      id: 'rezero',
      title: '{blocks} residual blocks without normalization: unscaled (A) against ReZero (B)',
      keys: `runs=2&${digits}&layers=64:relu|${rep(REZERO_BLOCKS, 'residual(activation=relu)')}|10:softmax&init=he_normal&lr=0.01&batch=32&seed=1` +
        `&b.layers=64:relu|${rep(REZERO_BLOCKS, 'residual(activation=relu,gate=trainable,alpha=0)')}|10:softmax`,
      hide: ALL_BUT('signal', 'loss'),
      steps: 200,
      predict: {
        question: 'Both networks have He\'s variance in every branch. Which one trains?',
        choices: [
          'Both: He\'s variance is right for relu.',
          'The unscaled one (A): its branches contribute from the first step.',
          'The ReZero one (B): its blocks start as the identity, while the unscaled sum grows at every block.',
        ],
        answer: 2,
        why: 'He\'s variance keeps one branch\'s output at the scale of its input, so adding it to the skip doubles the second moment per block; a gate at zero adds nothing at first.',
      },
      checks: [
        { claim: 'unscaled (A): the last block\'s activations start over {times} × the first layer\'s', value: 'A.init.layers[-2].a.rms', above: 'A.init.layers[0].a.rms', times: 100 },
        { claim: 'ReZero (B): the last block passes the first layer\'s activations on unchanged', value: 'B.init.layers[-2].a.rms', near: 'B.init.layers[0].a.rms', relTol: 1e-6 },
        { claim: 'unscaled (A) diverges', value: 'A.diverged', isNull: false },
        { claim: 'ReZero (B) learns (training accuracy at least {ref})', value: 'B.final.trainAccuracy', atLeast: 0.8 },
      ],
    },
  ],
  numbers: {
    bnDepth: { text: '32', value: (ctx) => ctx.run('bn').snapshot.layers.filter((l) => !l.kind).length - 1 },
    zero: { text: '0', value: (ctx) => ctx.run('bn').init.step },
    bnGrowth: { text: '660', tol: 0.02, value: (ctx) => { const L = ctx.run('bn').init.layers; return L[0].dw.norm / L.at(-3).dw.norm; } },
    bnSteps: { text: '300', value: (ctx) => ctx.run('bn').final.step },
    plainAccuracy: { text: '0.30', value: (ctx) => ctx.run('bn').final.trainAccuracy },
    residualAccuracy: { text: '0.99', value: (ctx) => ctx.run('bn', 'B').final.trainAccuracy },
    blocks: { text: '16', value: (ctx) => ctx.run('rezero').snapshot.layers.filter((l) => l.kind === 'residual').length },
    unscaledGrowth: { text: '130', tol: 0.05, value: (ctx) => { const L = ctx.run('rezero').init.layers; return L.at(-2).a.rms / L[0].a.rms; } },
    unscaledDiverged: { text: '2', value: (ctx) => ctx.run('rezero').diverged.step },
    rezeroAccuracy: { text: '0.89', value: (ctx) => ctx.run('rezero', 'B').final.trainAccuracy },
  },
};

// The residual initializations' words: each scheme's paper, its formula as text, what it
// does, and its formula in TeX, keyed by the scheme's name. The engine's table
// (core/src/residual_init_table.cpp, the schema's residualInits) is the one source of the
// names, params, gates and factors; this text stays out of the .wasm, so that the page
// loads it with the panel that shows it (web/src/residualInitPanel.js) and the code
// export (web/src/codegen.js), and scripts/docs.mjs writes it into core/README.md.
// tests/wasm/residual-init.test.mjs checks that every scheme of the schema has its text
// and no other name does.
//
// tex: one line per entry, with this network's numbers put in by the page: $L (blocks),
// $m (dense layers per branch), $factor (the factor the row scales by, the snapshot's
// residualInit.factor), $p.NAME (a param of the scheme).

/** @type {Readonly<Record<string, { paper: string, formula: string, doc: string, tex: readonly string[] }>>} */
export const RESIDUAL_INIT_TEXT = deepFreeze({
  none: {
    paper: '',
    formula: 'every tensor as its initializer samples it',
    doc: 'The blocks start as their initializers and their own gate and alpha keys say.',
    tex: [
      'x_{l+1} = x_l + \\alpha\\, f_l(x_l),\\quad f_l \\text{ as sampled},\\quad L = $L',
    ],
  },
  'zero-last': {
    paper: 'zero-initialized last layer of each residual branch (Goyal et al. 2017 zero the '
      + 'last BatchNorm gain of each block; Zhang et al. 2019, Fixup)',
    formula: 'W_last = 0 in every block',
    doc: 'The last dense layer of each branch (W2, or W1 with branch 1) starts at 0, so each '
      + 'block starts as x + α·b_last: with zero biases and activationAt before, the '
      + 'identity.',
    tex: [
      'W_{\\text{last}} = 0 \\text{ in each of the } L = $L \\text{ blocks}',
      'x_{l+1} = x_l + \\alpha\\,(0 \\cdot h + b_{\\text{last}})',
    ],
  },
  fixup: {
    paper: 'Zhang, Dauphin & Ma, "Fixup initialization: residual learning without '
      + 'normalization", ICLR 2019',
    formula: 'W_i ← L^(-1/(2m-2))·W_i for the branch\'s layers before the last; W_last = 0; '
      + 'biases 0; gate trainable at 1; output layer\'s W = 0',
    doc: 'Scales each branch\'s weights before its last layer by L^(-1/(2m-2)) (L blocks, m '
      + 'dense layers per branch: L^(-1/2) with branch 2; with branch 1 there is no such '
      + 'layer, only the last is zeroed); starts each branch\'s last layer and the output '
      + 'layer\'s weights at 0 (Fixup zeroes the classification layer), the block\'s biases '
      + 'at 0 (the paper\'s scalar biases) and the gate, a trainable scalar multiplier, at '
      + '1.',
    tex: [
      'W_{i<m} \\leftarrow L^{-1/(2m-2)}\\, W_{i<m}',
      'L = $L,\\ m = $m:\\quad L^{-1/(2m-2)} = $factor',
      'W_m = 0,\\quad b = 0,\\quad W_{\\text{out}} = 0',
      '\\alpha = 1 \\text{ (trainable)}',
    ],
  },
  skipinit: {
    paper: 'De & Smith, "Batch normalization biases residual blocks towards the identity '
      + 'function in deep networks", NeurIPS 2020',
    formula: 'x + α·f(x), α trainable, starting at alpha ≤ 1/sqrt(L)',
    doc: 'A trainable scalar gate on each branch\'s output, starting at alpha (0 by default; '
      + 'the paper allows at most 1/sqrt(L) for L blocks, checked against this network\'s '
      + 'L), so that the network starts close to the identity without normalization.',
    tex: [
      'x_{l+1} = x_l + \\alpha_l\\, f_l(x_l),\\quad \\alpha_l \\text{ trainable}',
      '\\alpha_l = $p.alpha \\le 1/\\sqrt{L} = 1/\\sqrt{$L}',
    ],
  },
  rezero: {
    paper: 'Bachlechner, Majumder, Mao, Cottrell & McAuley, "ReZero is all you need: fast '
      + 'convergence at large depth", 2020',
    formula: 'x + α·f(x), α trainable, starting at 0',
    doc: 'A trainable scalar gate on each branch, starting at 0: every block starts as the '
      + 'identity and the gates grow as the network trains. ReZero also drops the '
      + 'normalization layers; this scheme does not remove a block\'s norm.',
    tex: [
      'x_{l+1} = x_l + \\alpha_l\\, f_l(x_l),\\quad \\alpha_l = 0 \\text{ (trainable)}',
    ],
  },
  gpt2: {
    paper: 'Radford, Wu, Child, Luan, Amodei & Sutskever, "Language models are unsupervised '
      + 'multitask learners", 2019',
    formula: 'W_last ← W_last / sqrt(branchesPerLayer·L)',
    doc: 'Scales each branch\'s last layer\'s sampled weights by 1/sqrt(branchesPerLayer·L). '
      + 'The paper says 1/sqrt(N) for N residual layers; GPT-2\'s code writes std '
      + '0.02/sqrt(2·n_layer) because each transformer layer holds two residual branches '
      + '(attention and MLP). Here each block is one branch: branchesPerLayer 2 follows the '
      + 'code with n_layer = L, 1 the paper with N = L.',
    tex: [
      'W_{\\text{last}} \\leftarrow W_{\\text{last}} / \\sqrt{$p.branchesPerLayer \\cdot L}',
      '1/\\sqrt{$p.branchesPerLayer \\cdot $L} = $factor',
    ],
  },
});

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

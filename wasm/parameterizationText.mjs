// The parameterizations' words: what each does, and for its input, hidden and output dense
// layers the multipliers as formulas in words, with where each comes from, keyed by the
// parameterization's name. The engine's table (core/src/parameterization_table.cpp, the
// schema's parameterizations) is the one source of the names, titles, params and the
// multipliers it computes; this text stays out of the .wasm, so that the page loads it with
// the panel that shows it (web/src/parameterizationPanel.js) and scripts/docs.mjs writes it
// into core/README.md. tests/wasm/parameterization-text.test.mjs checks that every
// parameterization of the schema has its text and no other name does.
//
// places: m_in = fan_in / baseWidth, m_out = fan_out / baseWidth (1 for the data's columns
// and the output units); init: of the sampled weights, forward: of x·W, sgdLr and adamLr:
// of the learning rate for SGD-like and Adam-like optimizers, bias: the bias's init and
// learning rates, source: where the entries come from.

const SP_SOURCE = 'PyTorch nn.Linear and Keras Dense; the SP column of Tensor Programs V '
  + '(Yang et al. 2021), Table 3';
const SP_PLACE = { init: 'as sampled', forward: '1', sgdLr: 'η', adamLr: 'η', bias: 'as sampled; η', source: SP_SOURCE };

const NTK_SOURCE = 'Jacot, Gabriel & Hongler, "Neural tangent kernel", NeurIPS 2018, eq. (1): '
  + 'z = W·x/sqrt(n) with W ~ N(0, 1); relative to baseWidth as an abc-parameterization '
  + 'with a = 1/2, b = 0, c = 0 (Yang & Hu, Tensor Programs IV, ICML 2021)';
const NTK_WIDE = { init: 'sqrt(m_in)·sampled', forward: '1/sqrt(m_in)', sgdLr: 'η', adamLr: 'η', bias: 'as sampled; η', source: NTK_SOURCE };

/** @type {Readonly<Record<string, { doc: string, places: Record<'input' | 'hidden' | 'output', { init: string, forward: string, sgdLr: string, adamLr: string, bias: string, source: string }> }>>} */
export const PARAMETERIZATION_TEXT = deepFreeze({
  standard: {
    doc: 'What PyTorch and Keras do: the initializer\'s spread, z = x·W + b, one learning '
      + 'rate for every tensor.',
    places: { input: { ...SP_PLACE }, hidden: { ...SP_PLACE }, output: { ...SP_PLACE } },
  },
  ntk: {
    doc: 'Jacot et al.\'s: weights of a spread that does not shrink with width and a '
      + '1/sqrt(fan_in) in the forward pass, here measured from baseWidth (the same '
      + 'network at baseWidth); one learning rate, unscaled.',
    places: {
      input: { ...NTK_WIDE, init: 'as sampled (m_in = 1)', forward: '1' },
      hidden: { ...NTK_WIDE },
      output: { ...NTK_WIDE },
    },
  },
  mup: {
    doc: 'Yang & Hu\'s, as the mup package writes it: the output layer\'s x divided by m_in '
      + '(MuReadout), its weights and the hidden biases rescaled by sqrt(m_in) '
      + '(set_base_shapes), learning rates per tensor (MuSGD, MuAdam). Every layer\'s '
      + 'activations and their change in a step stay of the same size as the network '
      + 'widens.',
    places: {
      input: {
        init: 'as sampled', forward: '1', sgdLr: 'η·m_out', adamLr: 'η',
        bias: 'as sampled; SGD η·m_out, Adam η',
        source: 'mup: MuSGD (vector-like: lr × width_mult), MuAdam (vector-like: lr); '
          + 'Tensor Programs V, Table 3 (input weights and all biases: SGD '
          + 'η·fan_out, Adam η)',
      },
      hidden: {
        init: 'as sampled', forward: '1', sgdLr: 'η·m_out/m_in', adamLr: 'η/m_in',
        bias: 'sqrt(m_in)·sampled; SGD η·m_out, Adam η',
        source: 'mup: MuSGD (matrix-like: lr / fanin_fanout_mult_ratio), MuAdam '
          + '(matrix-like: lr / width_mult), set_base_shapes (rescale_linear_bias: '
          + 'bias × sqrt(fanin_mult)); Tensor Programs V, Table 3 (hidden weights: '
          + 'SGD η, Adam η/fan_in)',
      },
      output: {
        init: 'sqrt(m_in)·sampled (0 with zeroReadout)', forward: '1/m_in', sgdLr: 'η·m_in', adamLr: 'η',
        bias: 'sqrt(m_in)·sampled (0 with zeroReadout); η',
        source: 'mup: MuReadout (forward x·output_mult/width_mult with output_mult 1, '
          + '_rescale_parameters: W and b × sqrt(width_mult), readout_zero_init), '
          + 'MuSGD (W vector-like: lr × width_mult; b fixed), MuAdam (lr); Tensor '
          + 'Programs V, Table 3 (output weights: init var 1/fan_in², SGD and Adam '
          + 'η/fan_in)',
      },
    },
  },
});

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

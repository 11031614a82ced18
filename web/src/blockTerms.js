// The glossary's words for residual blocks. They join the glossary (glossary.js) when this
// module loads, with the block editor (blockEditor.js) or a lesson that imports it: the
// page's first load does not carry them.
import { GLOSSARY } from './glossary.js';

Object.assign(GLOSSARY, {
  'residual-block': { term: 'residual block', text: 'A block that adds its input back to what its branch f computes, out = x + α·f(x): the skip path carries the signal and its gradient through depth.' },
  gate: { term: 'gate α', text: 'The factor on a block\'s branch; at 0 the block starts as the identity (SkipInit, and ReZero when α is learned).' },
  'pre-norm': { term: 'pre-norm', text: 'The normalization at the start of a block\'s branch, x + f(N(x)): the skip path stays untouched.' },
  'post-norm': { term: 'post-norm', text: 'The normalization after a block\'s addition, N(x + f(x)), as in the original transformer: it tends to need a learning-rate warm-up.' },
});

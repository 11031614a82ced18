// The Network panel's residual blocks (core/README.md "Residual blocks"): a chunk of its own,
// loaded when a network first has a block or the learner adds one (controls.js). A block's
// keys come from lab.schema().layerKinds (their ranges, choices and defaults); this file
// only says them in a learner's words.
import { paramField, selectField } from './fields.js';
import { clone, activationName } from './state.js';
import { layerKindOf } from './configShape.js';
import { hiddenWithUnits, keptWidthRow } from './layerList.js';
import { enhanceTerm, termElement } from './terms.js';

// Labels and hints per param name of the kind; choices: what each choice is called.
const WORDS = {
  branch: { label: 'branch: dense layers', hint: 'f(x) is 1 or 2 dense layers', choices: { 1: '1 dense layer', 2: '2 dense layers' } },
  hidden: { label: 'inner width', hint: 'the width of the first of 2 dense layers; 0: same as the block' },
  activationAt: {
    label: 'activation',
    choices: { before: 'before the addition (pre-activation)', after: 'after it (post-activation)' },
  },
  alpha: { label: 'gate α', hint: 'out = x + α·f(x): α scales the branch (0: the block starts as the identity)' },
  gate: { label: 'gate trainable', choices: { fixed: 'no: α stays fixed', trainable: 'yes: α is learned' } },
  norm: { label: 'normalization', choices: { none: 'none', layernorm: 'LayerNorm', batchnorm: 'BatchNorm' } },
  normAt: { label: 'placed', choices: { pre: 'before the branch (pre-norm)', post: 'after the addition (post-norm)' } },
  normEpsilon: { label: 'ε', hint: 'added to the variance before its square root' },
};

// Which keys mean something for this block: the inner width with 2 dense layers, the norm's
// placement and ε with a norm.
const shown = (name, layer, kind) => {
  const value = (key) => layer[key] ?? kind.params.find((p) => p.name === key)?.default;
  if (name === 'hidden') return Number(value('branch')) === 2;
  if (name === 'normAt' || name === 'normEpsilon') return value('norm') !== 'none';
  return true;
};

/** The config with a block after the last hidden layer (its φ that layer's), if the list has room. */
export function withBlock(schema, config) {
  const next = clone(config);
  const hidden = next.layers.length - 1;
  if (hidden >= schema.config.hiddenLayers.max) return next;
  const dense = hiddenWithUnits(schema, next);
  const activation = clone(dense[dense.length - 1]?.activation ?? 'relu');
  next.layers.splice(hidden, 0, { kind: 'residual', activation });
  return next;
}

/** The config without layer i (a block or a normalization: they change no width). */
export function withoutLayer(config, i) {
  const next = clone(config);
  next.layers.splice(i, 1);
  return next;
}

/**
 * The table rows of block i: its number, the width it keeps, its φ and a remove button,
 * then its keys in words.
 * @param {{ schema, config, layer, i: number, set(path, value): void, emit(config): void }} o
 */
export function blockRows({ schema, config, layer, i, set, emit }) {
  const kind = layerKindOf(schema, layer);
  const base = `layers[${i}]`;
  const { tr, kindCell } = keptWidthRow(schema, config, i, 'a block keeps the width of the layer before it: change that layer\'s units');
  tr.classList.add('block-row');
  tr.dataset.testid = `block-${i}`;
  const name = document.createElement('span');
  name.className = 'kind-name';
  name.textContent = 'residual block';
  name.dataset.term = 'residual-block';  // the glossary's line on hover and focus
  enhanceTerm(name);
  const act = selectField({
    path: `${base}.activation`, label: `activation φ of block ${i + 1}`,
    rows: schema.activations.filter((a) => !a.outputOnly), value: activationName(layer.activation),
    onChange: (n) => set(`${base}.activation`, n),
  });
  act.classList.add('compact');
  kindCell.append(name, act);
  // φ's own params (leaky_relu's slope), as a dense layer's.
  const a = layer.activation;
  const own = typeof a === 'object' ? a : {};
  for (const spec of schema.activations.find((r) => r.name === activationName(a))?.params ?? []) {
    const f = paramField({
      spec, path: `${base}.activation.${spec.name}`, value: own[spec.name] ?? spec.default, hint: '',
      label: `${spec.name} of ${activationName(a)}`,
      onChange: (v) => set(`${base}.activation`, { name: activationName(a), ...own, [spec.name]: v }),
    });
    f.classList.add('compact');
    kindCell.append(f);
  }
  const initCell = tr.insertCell();
  initCell.className = 'kind-init';
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = 'remove';
  remove.dataset.testid = `remove-block-${i}`;
  remove.setAttribute('aria-label', `remove block ${i + 1}`);
  remove.addEventListener('click', () => emit(withoutLayer(config, i)));
  initCell.append(remove);

  const keys = document.createElement('tr');
  keys.className = 'block-keys';
  const cell = keys.insertCell();
  cell.colSpan = 4;
  const grid = document.createElement('div');
  grid.className = 'field-grid';
  // A residual initialization that sets the gate owns the blocks' gate and alpha.
  const scheme = schema.residualInits?.find((r) => r.name === (config.residualInit?.name ?? config.residualInit));
  const owned = scheme?.setsGate ? ['gate', 'alpha'] : [];
  if (owned.length) {
    const note = document.createElement('p');
    note.className = 'hint';
    note.dataset.testid = `block-gate-note-${i}`;
    note.textContent = `gate: set by ${scheme.name}`;
    grid.append(note);
  }
  for (const spec of kind.params.filter((p) => shown(p.name, layer, kind) && !owned.includes(p.name))) {
    const words = WORDS[spec.name] ?? {};
    const label = `${words.label ?? spec.name}`;
    const value = layer[spec.name] ?? spec.default;
    const path = `${base}.${spec.name}`;
    const onChange = (v) => set(path, v);
    // branch is an integer of the schema: a select of its range reads better.
    const choices = spec.type === 'choice' ? spec.choices
      : spec.name === 'branch' ? Array.from({ length: spec.max - spec.min + 1 }, (_, k) => spec.min + k) : null;
    if (choices) {
      grid.append(selectField({
        path, label, value: String(value), rows: choices.map((c) => ({ name: String(c) })),
        optionLabel: (c) => words.choices?.[c.name] ?? c.name, hint: words.hint ?? '',
        onChange: (v) => onChange(spec.type === 'choice' ? v : Number(v)),
      }));
      continue;
    }
    const field = paramField({ spec, path, value, label, hint: words.hint, onChange });
    if (spec.name === 'hidden') {
      // 0 reads "same as the block": shown empty, and an emptied field is 0 again.
      const input = field.querySelector('input');
      input.placeholder = 'same as the block';
      if (!value) input.value = '';
      field.addEventListener('change', (e) => { if (e.target.value.trim() === '') e.target.value = '0'; }, true);
    }
    grid.append(field);
  }
  // The glossary's words for what these keys choose.
  const terms = document.createElement('p');
  terms.className = 'block-terms';
  terms.append('Terms: ', termElement('gate'), ', ', termElement('pre-norm'), ', ', termElement('post-norm'), '.');
  cell.append(grid, terms);
  return [tr, keys];
}

// The Network panel's residual initialization, loaded the first time a network has a
// residual block: a select of the schema's schemes (schema.residualInits), the chosen one's
// paper, doc and params, and its formula typeset with this network's numbers: L and m as the
// engine counted them and the factor it scales by (the init snapshot's residualInit), never
// recomputed here. The words and the TeX are wasm/residualInitText.mjs's, by the scheme's name.
import { RESIDUAL_INIT_TEXT } from '../../wasm/residualInitText.mjs';
import { paramField, selectField } from './fields.js';
import { fmt } from './format.js';
import { texToMathML } from './mathml.js';
import { clone, residualBlocks } from './state.js';

/** The residual initialization as {name, ...every param} (none given: the table's first, none). */
export function residualInitOf(config, schema) {
  const given = config.residualInit;
  const spec = typeof given === 'string' ? { name: given } : given ?? { name: schema.residualInits[0].name };
  const row = schema.residualInits.find((r) => r.name === spec.name) ?? schema.residualInits[0];
  return { name: row.name, ...Object.fromEntries(row.params.map((p) => [p.name, spec[p.name] ?? p.default])) };
}

/**
 * A new residual initialization (a name: its params at their defaults) or new params. A
 * scheme that sets the gate (setsGate) owns every block's gate and alpha, so those keys
 * are dropped when one is chosen or left (the engine rejects a block key that contradicts
 * the scheme); the default (none) and a network without blocks leave the key out.
 */
export function withResidualInit(config, schema, change) {
  const next = clone(config);
  const now = residualInitOf(config, schema);
  const row = schema.residualInits.find((r) => r.name === (change.name ?? now.name));
  const spec = { name: row.name };
  for (const p of row.params) spec[p.name] = change[p.name] ?? (change.name && change.name !== now.name ? p.default : now[p.name] ?? p.default);
  const before = schema.residualInits.find((r) => r.name === now.name);
  if (row.name !== now.name && (row.setsGate || before?.setsGate)) {
    for (const layer of residualBlocks(next)) { delete layer.gate; delete layer.alpha; }
  }
  if (row.name === schema.residualInits[0].name || residualBlocks(next).length === 0) delete next.residualInit;
  else next.residualInit = spec;
  return next;
}

/** A number for TeX (3 significant digits); a dash when there is none yet. */
const texNumber = (x) => (x === null || x === undefined || Number.isNaN(x) ? '\\text{–}' : fmt(x).replace(/^(-?[\d.]+)e([+-]?\d+)$/, (_, m, e) => `${m} \\times 10^{${Number(e)}}`));

/** The scheme's TeX lines with the numbers put in ($L, $m, $factor, $p.NAME: residualInitText.mjs). */
export function residualTex(name, spec, numbers) {
  const value = { L: numbers?.blocks, m: numbers?.m, factor: numbers?.factor };
  return RESIDUAL_INIT_TEXT[name].tex.map((line) => line.replace(/\$([A-Za-z]+(?:\.[A-Za-z_]+)?)/g, (_, name) => {
    if (name.startsWith('p.')) return texNumber(spec[name.slice(2)]);
    return name in value ? (Number.isInteger(value[name]) ? String(value[name]) : texNumber(value[name])) : `$${name}`;
  }));
}

/**
 * Fills `slot` for `config`. `numbers`: the snapshot's residualInit; used when it is the
 * same scheme on the same blocks, else the factor shows a dash until the run has started.
 */
export function renderResidualInit(slot, { config, schema, numbers, emit }) {
  const now = residualInitOf(config, schema);
  const row = schema.residualInits.find((r) => r.name === now.name);
  const { paper, doc } = RESIDUAL_INIT_TEXT[now.name];
  const select = selectField({
    path: 'residualInit', label: 'Residual initialization', value: now.name,
    rows: schema.residualInits.map((r) => ({ name: r.name, doc: RESIDUAL_INIT_TEXT[r.name].doc })),
    hint: paper ? `${paper}. ${doc}` : doc,
    onChange: (name) => emit(withResidualInit(config, schema, { name })),
  });
  const grid = document.createElement('div');
  grid.className = 'field-grid';
  for (const spec of row.params) {
    grid.append(paramField({
      spec, path: `residualInit.${spec.name}`, value: now[spec.name], hint: spec.doc,
      onChange: (v) => emit(withResidualInit(config, schema, { [spec.name]: v })),
    }));
  }
  const blocks = residualBlocks(config);
  const fresh = numbers && numbers.name === now.name && numbers.blocks === blocks.length;
  // Until the engine's numbers come: L and m counted from the config, no factor.
  const branch = schema.layerKinds.find((k) => k.name === 'residual')?.params.find((p) => p.name === 'branch')?.default;
  const shown = fresh ? numbers : { blocks: blocks.length, m: blocks[0]?.branch ?? branch, factor: null };
  const math = document.createElement('div');
  math.className = 'formula-math';
  math.dataset.testid = 'residual-init-formula';
  math.dataset.factor = String(shown.factor ?? '');
  math.tabIndex = 0;  // a wide formula scrolls sideways, by keyboard too
  math.setAttribute('role', 'group');
  math.setAttribute('aria-label', `Formula of ${now.name}`);
  math.append(...residualTex(now.name, now, shown).map((line) => texToMathML(line)));
  // In the initializer formula's box (style.css .formula).
  const box = document.createElement('div');
  box.className = 'formula';
  box.append(math);
  slot.replaceChildren(select, grid, box);
}

// The Network panel's parameterization (standard, NTK, muP), a lazy chunk: a select of the
// schema's table (schema.parameterizations), its params (baseWidth, zeroReadout), and the
// table's rows for this network's dense layers: each layer's place (input, hidden, output)
// with the engine's formulas for its init, forward multiplier and SGD and Adam learning
// rates, and m_in, m_out written as this network's width over baseWidth. Nothing is
// computed here: the formulas and the words are wasm/parameterizationText.mjs's (by the
// row's name), the widths the config's.
import { PARAMETERIZATION_TEXT } from '../../wasm/parameterizationText.mjs';
import { scrollRegion } from './dom.js';
import { paramField, selectField } from './fields.js';
import { clone } from './state.js';

/** The parameterization as {name, ...every param} (none given: standard). */
export function parameterizationOf(config, schema) {
  const given = config.parameterization;
  const spec = typeof given === 'string' ? { name: given } : given ?? { name: schema.parameterizations[0].name };
  const row = schema.parameterizations.find((r) => r.name === spec.name) ?? schema.parameterizations[0];
  return { name: row.name, ...Object.fromEntries(row.params.map((p) => [p.name, spec[p.name] ?? p.default])) };
}

/** A new parameterization (a name: its params at their defaults) or new params; standard leaves the key out. */
export function withParameterization(config, schema, change) {
  const next = clone(config);
  const now = parameterizationOf(config, schema);
  const name = change.name ?? now.name;
  const row = schema.parameterizations.find((r) => r.name === name);
  if (row.name === schema.parameterizations[0].name) {
    delete next.parameterization;
    return next;
  }
  const spec = { name: row.name };
  for (const p of row.params) spec[p.name] = change[p.name] ?? (name === now.name ? now[p.name] : p.default) ?? p.default;
  next.parameterization = spec;
  return next;
}

// The dense layers in order, with the place the table gives each: the first reads the
// data (a finite fan-in), the last is the readout, the others are hidden.
function denseLayers(config) {
  const dense = config.layers.filter((l) => l.units !== undefined);
  return dense.map((layer, i) => ({
    index: i,
    units: layer.units,
    fanIn: i > 0 ? dense[i - 1].units : null,
    place: i === dense.length - 1 ? 'output' : i === 0 ? 'input' : 'hidden',
  }));
}

const cell = (tr, text, className) => {
  const td = tr.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
};

/** Fills `slot` for `config`: the select, its params and the per-layer table. */
export function renderParameterization(slot, { config, schema, emit, onCoordCheck }) {
  const now = parameterizationOf(config, schema);
  const row = schema.parameterizations.find((r) => r.name === now.name);
  const text = PARAMETERIZATION_TEXT[now.name];
  const select = selectField({
    path: 'parameterization', label: 'Parameterization', value: now.name,
    rows: schema.parameterizations.map((r) => ({ name: r.name, title: r.title, doc: PARAMETERIZATION_TEXT[r.name].doc })),
    optionLabel: (r) => r.title, hint: text.doc,
    onChange: (name) => emit(withParameterization(config, schema, { name })),
  });
  const grid = document.createElement('div');
  grid.className = 'field-grid';
  for (const spec of row.params) {
    const boolean = spec.type === 'boolean';
    grid.append(paramField({
      spec: boolean ? { ...spec, type: 'choice', choices: ['false', 'true'] } : spec,
      path: `parameterization.${spec.name}`, value: boolean ? String(now[spec.name]) : now[spec.name], hint: spec.doc,
      onChange: (v) => emit(withParameterization(config, schema, { [spec.name]: boolean ? v === 'true' : v })),
    }));
  }
  const base = now.baseWidth;
  const ratio = (width) => (base === undefined ? '' : `${width}/${base}`);
  const table = document.createElement('table');
  table.className = 'layers parameterization-table';
  table.dataset.testid = 'parameterization-table';
  const caption = document.createElement('p');
  caption.className = 'parameterization-caption';
  caption.textContent = base === undefined
    ? `${row.title}: one learning rate η and the initializer's spread for every layer.`
    : `${row.title} with m = width / baseWidth (baseWidth ${base}); η is the optimizer's learning rate.`;
  const head = table.createTHead().insertRow();
  for (const h of ['layer', 'place', 'm_in', 'm_out', 'init', 'forward', 'SGD lr', 'Adam lr', 'bias']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const layer of denseLayers(config)) {
    const place = text.places[layer.place];
    const tr = body.insertRow();
    tr.dataset.place = layer.place;
    cell(tr, `${layer.index + 1}: ${layer.fanIn ?? 'data'} → ${layer.units}`);
    cell(tr, layer.place);
    cell(tr, layer.place === 'input' ? '1' : ratio(layer.fanIn), 'num');
    cell(tr, layer.place === 'output' ? '1' : ratio(layer.units), 'num');
    for (const key of ['init', 'forward', 'sgdLr', 'adamLr', 'bias']) cell(tr, place[key]).dataset.key = key;
  }
  const sources = document.createElement('details');
  sources.className = 'parameterization-sources';
  const summary = document.createElement('summary');
  summary.textContent = 'Sources';
  const list = document.createElement('ul');
  for (const source of new Set(Object.values(text.places).map((p) => p.source))) {
    const li = document.createElement('li');
    li.textContent = source;
    list.append(li);
  }
  sources.append(summary, list);
  const wrap = scrollRegion('Parameterization per layer');
  wrap.append(table);
  // The coordinate check (coordCheckView.js) of this network under SP and muP, in a card.
  const check = document.createElement('button');
  check.type = 'button';
  check.className = 'btn';
  check.dataset.testid = 'coord-open';
  check.textContent = 'Coordinate check';
  check.addEventListener('click', () => onCoordCheck?.());
  check.hidden = !onCoordCheck;
  slot.replaceChildren(select, grid, caption, wrap, check, sources);
  slot.dataset.name = now.name;
}

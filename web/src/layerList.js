// Edits of the network's layer list as the Network panel makes them. A layer of a kind
// without units (layernorm) belongs to the layer with units before it: the list is read
// as groups, "a dense layer and the layers that follow it", so that adding a hidden layer
// copies the last group whole and turning normalization on or off keeps every dense layer.
import { clone } from './state.js';
import { layerKindOf } from './configShape.js';

/** The hidden layers (all but the output layer) as groups: [[dense, ...followers], ...]. */
export function hiddenGroups(schema, config) {
  const groups = [];
  for (const layer of config.layers.slice(0, -1)) {
    if (layerKindOf(schema, layer).units || groups.length === 0) groups.push([layer]);
    else groups[groups.length - 1].push(layer);
  }
  return groups;
}

/** The hidden layers that have units (the dense ones): what "hidden layers" counts. */
export const hiddenWithUnits = (schema, config) =>
  config.layers.slice(0, -1).filter((l) => layerKindOf(schema, l).units);

/**
 * The most hidden layers with units the list may have when every new one copies the last
 * group (the schema's limit counts every hidden layer).
 */
export function maxHiddenWithUnits(schema, config) {
  const groups = hiddenGroups(schema, config);
  const size = groups.length ? groups[groups.length - 1].length : 1;
  const others = groups.slice(0, -1).reduce((n, g) => n + g.length, 0);
  const fitting = groups.length - 1 + Math.floor((schema.config.hiddenLayers.max - others) / size);
  return Math.max(groups.length ? 1 : 0, fitting);
}

/** `count` hidden layers with units: new ones copy the last group, removed ones go with theirs. */
export function withHiddenCount(schema, config, count) {
  const next = clone(config);
  const output = next.layers[next.layers.length - 1];
  const groups = hiddenGroups(schema, next);
  const template = groups[groups.length - 1] ?? [{ units: 10, activation: 'relu' }];
  // A leading group without units (a normalization of the input) is kept and not counted.
  const lead = groups.length && !layerKindOf(schema, groups[0][0]).units ? groups.shift() : null;
  while (groups.length < count) groups.push(clone(template));
  groups.length = count;
  next.layers = [...(lead ?? []), ...groups.flat(), output];
  return next;
}

/** Every hidden layer that has an activation gets this one (a name or {name, ...params}). */
export function withHiddenActivation(schema, config, activation) {
  const next = clone(config);
  for (const layer of next.layers.slice(0, -1)) {
    if (layerKindOf(schema, layer).activation) layer.activation = clone(activation);
  }
  return next;
}

/**
 * The normalization kinds: layer kinds without units or activation (schema.layerKinds; a
 * residual block keeps its width too but has an activation).
 */
export const normalizationKinds = (schema) => schema.layerKinds.filter((k) => !k.units && !k.activation && !k.output);

/**
 * The normalization after each hidden layer with units: '' when none, the kind's name when
 * every such layer is followed by one of that kind, null when the list mixes.
 */
export function normalizationOf(schema, config) {
  const followers = hiddenGroups(schema, config)
    .filter((g) => layerKindOf(schema, g[0]).units)
    .map((g) => g.slice(1).map((l) => l.kind).join('+'));
  const kinds = new Set(followers);
  if (kinds.size !== 1) return followers.length ? null : '';
  const [only] = kinds;
  return only.includes('+') ? null : only;
}

/** Each hidden layer with units followed by one layer of `kind` ('' removes them all). */
export function withNormalization(schema, config, kind) {
  const next = clone(config);
  const output = next.layers[next.layers.length - 1];
  const layers = [];
  for (const group of hiddenGroups(schema, next)) {
    if (!layerKindOf(schema, group[0]).units) { layers.push(...group); continue; }
    const [dense, ...followers] = group;
    const kept = followers.find((l) => l.kind === kind);
    layers.push(dense, ...(kind ? [kept ?? { kind }] : []));
  }
  // The schema's limit counts every hidden layer: drop trailing groups until the list fits.
  const size = kind ? 2 : 1;
  while (layers.length > schema.config.hiddenLayers.max) layers.splice(layers.length - size, size);
  next.layers = [...layers, output];
  return next;
}

/**
 * The head of the table row of layer i when its kind keeps its input's width (layernorm,
 * a residual block): the row with its number, the width it keeps (the units of the last
 * layer with units before it, or the inputs) and an empty cell for the kind. The Network
 * panel and the block editor both start their rows here.
 * @returns {{ tr: HTMLTableRowElement, kindCell: HTMLTableCellElement }}
 */
export function keptWidthRow(schema, config, i, widthTitle) {
  const tr = document.createElement('tr');
  tr.className = 'kind-row';
  const th = document.createElement('th');
  th.scope = 'row';
  th.textContent = `${i + 1}`;
  tr.append(th);
  const width = config.layers.slice(0, i).reverse().find((l) => layerKindOf(schema, l).units)?.units;
  const unitsCell = tr.insertCell();
  unitsCell.textContent = width === undefined ? 'inputs' : String(width);
  unitsCell.title = widthTitle;
  return { tr, kindCell: tr.insertCell() };
}

// The page's state is one engine config (the public contract: {seed, data, layers, init,
// biasInit, loss, optimizer, stats}) and this file is everything that edits it as a
// whole, plus its round trip through the URL.
//
// URL state follows TensorFlow Playground's PROPS: one table, KEYS, says for every URL key
// which config path it holds, how it is written and which schema spec it is checked
// against. Adding a setting means one row. A value that does not parse or that the
// schema does not allow is left at its default with a notice; what only the engine can
// judge (a loss that needs other output units, an initializer's own rules such as
// minval < maxval) is refused when the run is created, and the page then drops that key
// the same way (main.js).
//
// Values from the URL do not nest: a layer list is flat, a name's parameters are
// `key=number-or-word` pairs, so the text's grammar bounds its depth. Names and parameter
// keys are checked against the schema's tables (configShape.js), never looked up as
// properties of an object, and a layer list is counted before its layers are read.
import { customClasses } from './customData.js';
import { excerpt } from './excerpt.js';
import { fitsSpec, shapeOf, layerCount } from './configShape.js';

/** Deep copy of a plain config. */
export const clone = (value) => structuredClone(value);

// ---- config paths -------------------------------------------------------------------

/** Reads "optimizer.lr" or "layers[2].units" from an object. */
export function getPath(object, path) {
  return splitPath(path).reduce((node, key) => (node == null ? undefined : node[key]), object);
}

/** Writes a path, creating objects on the way; `undefined` deletes the key. */
export function setPath(object, path, value) {
  const keys = splitPath(path);
  let node = object;
  for (const key of keys.slice(0, -1)) {
    if (node[key] == null || typeof node[key] !== 'object') node[key] = {};
    node = node[key];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
}

function splitPath(path) {
  return path.split('.').flatMap((part) => {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [part];
    const indices = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    return [m[1], ...indices];
  });
}

// ---- the config as a whole ----------------------------------------------------------

/** The data set row of the schema. */
export function datasetRow(schema, name) {
  return schema.datasets.datasets.find((d) => d.name === name) ?? schema.datasets.datasets[0];
}

/**
 * The classes of the config's data: its `classes` param where the set has one (gaussian),
 * else the set's own number (the schema's row).
 */
function classesOf(schema, data) {
  const custom = customClasses(data);  // a CSV the engine has described (customData.js)
  if (custom !== undefined) return custom;
  const row = datasetRow(schema, data.name);
  const param = row.params.find((p) => p.name === 'classes');
  return param ? data.classes ?? param.default : row.numClasses;
}

/**
 * The output layer's units for the config's loss and data, as the engine's schema lists
 * them (losses[].outputUnits by number of classes); left as they are where the loss does
 * not take that many classes (the engine then says why).
 */
function fitOutputUnits(config, schema) {
  const units = schema.losses.find((l) => l.name === config.loss)?.outputUnits[classesOf(schema, config.data)];
  if (units !== undefined) config.layers[config.layers.length - 1].units = units;
  return config;
}

/** A new data set: its params' defaults, its default loss and output activation. */
export function withDataset(config, schema, name) {
  const next = clone(config);
  const row = datasetRow(schema, name);
  const data = { name: row.name };
  for (const p of row.params) data[p.name] = p.default;
  // Keep the user's normalization and data seed across data sets.
  if (config.data?.normalize !== undefined) data.normalize = config.data.normalize;
  if (config.data?.seed !== undefined) data.seed = config.data.seed;
  next.data = data;
  next.loss = row.defaultLoss;
  next.layers[next.layers.length - 1].activation = row.defaultOutputActivation;
  return fitOutputUnits(next, schema);
}

/** A new loss: the output activation it needs (if it needs one) and the output units. */
export function withLoss(config, schema, loss) {
  const next = clone(config);
  const row = schema.losses.find((l) => l.name === loss);
  next.loss = loss;
  const out = next.layers[next.layers.length - 1];
  if (row && !row.anyOutput && row.requiredOutput) out.activation = row.requiredOutput;
  return fitOutputUnits(next, schema);
}

/** A data param (`data.NAME`): the output units follow a new number of classes. */
export function withDataParam(config, schema, name, value) {
  const next = clone(config);
  next.data = { ...next.data, [name]: value };
  return name === 'classes' ? fitOutputUnits(next, schema) : next;
}

/** A new optimizer: its own default learning rate (Keras uses 0.001 for adam, rmsprop). */
export function withOptimizer(config, schema, name) {
  const next = clone(config);
  const row = schema.optimizers.optimizers.find((o) => o.name === name);
  next.optimizer.name = name;
  if (row?.defaultLr !== undefined) next.optimizer.lr = row.defaultLr;
  return next;
}

/** The optimizer's learning-rate schedule as {name, ...every param} (none given: constant). */
export function scheduleOf(config, schema) {
  const given = config.optimizer?.schedule;
  const spec = typeof given === 'string' ? { name: given } : given ?? { name: 'constant' };
  const row = schema.optimizers.schedules.find((r) => r.name === spec.name) ?? schema.optimizers.schedules[0];
  return { name: row.name, ...Object.fromEntries(row.params.map((p) => [p.name, spec[p.name] ?? p.default])) };
}

/**
 * A new schedule (a name: its params at their defaults, the warm-up kept) or new params; the
 * default (constant without warm-up) leaves the key out, as a config without one means it.
 */
export function withSchedule(config, schema, change) {
  const next = clone(config);
  const now = scheduleOf(config, schema);
  const row = schema.optimizers.schedules.find((r) => r.name === (change.name ?? now.name));
  const spec = { name: row.name };
  for (const p of row.params) spec[p.name] = change[p.name] ?? (change.name && change.name !== now.name && p.name !== 'warmup' ? p.default : now[p.name] ?? p.default);
  const isDefault = row.name === schema.optimizers.schedules[0].name && row.params.every((p) => spec[p.name] === p.default);
  if (isDefault) delete next.optimizer.schedule;
  else next.optimizer.schedule = spec;
  return next;
}

/** The residual blocks of a config (layers of kind residual). */
export const residualBlocks = (config) => config.layers.filter((l) => l.kind === 'residual');

/** An initializer object {name, ...every param at its default}. */
export function initWithDefaults(schema, name) {
  const row = schema.initializers.find((i) => i.name === name);
  const spec = { name };
  for (const p of row?.params ?? []) spec[p.name] = p.default;
  return spec;
}

/**
 * A partial config (a preset's run) with everything else as the engine fills it: the
 * engine's defaults, the data set's own params, and the given keys over them (data,
 * optimizer and stats field by field).
 */
export function fullConfig(partial, defaults, schema) {
  let config = clone(defaults);
  if (partial.data?.name && partial.data.name !== config.data.name) config = withDataset(config, schema, partial.data.name);
  for (const [key, value] of Object.entries(partial)) {
    if (key === 'data' || key === 'optimizer' || key === 'stats') config[key] = { ...config[key], ...clone(value) };
    else config[key] = clone(value);
  }
  return config;
}

/** The activation name of a layer's activation (string or object). */
export const activationName = (activation) =>
  typeof activation === 'string' ? activation : activation?.name;

// ---- URL ----------------------------------------------------------------------------
//
// A codec turns one value into URL text and back; `read` returns undefined for text that
// does not parse. Values stay plain data: they reach the DOM only as text.

const int = {
  write: (v) => String(v),
  read: (s) => (/^-?\d+$/.test(s) ? Number(s) : undefined),
};
const num = {
  write: (v) => String(v),
  read: (s) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined),
};
const nullableNum = {
  write: (v) => (v === null ? 'none' : String(v)),
  read: (s) => (s === 'none' ? null : num.read(s)),
};
const word = {
  write: (v) => String(v),
  read: (s) => (/^[A-Za-z0-9_]+$/.test(s) ? s : undefined),
};

// name or name(k=v,k=v): initializers and activations with params. The object is made
// from its entries, so every key given is an own key (even "__proto__") for the check to see.
const named = {
  write(v) {
    if (typeof v === 'string') return v;
    const params = Object.entries(v).filter(([k]) => k !== 'name');
    return params.length ? `${v.name}(${params.map(([k, x]) => `${k}=${x}`).join(',')})` : v.name;
  },
  read(s) {
    const m = /^([A-Za-z0-9_-]+)(?:\((.*)\))?$/.exec(s);
    if (!m) return undefined;
    if (m[2] === undefined) return m[1];
    const entries = [['name', m[1]]];
    const seen = new Set(['name']);
    for (const pair of m[2].split(',').filter(Boolean)) {
      const [k, x, extra] = pair.split('=');
      // A dotted key is a nested param (a block's activation.alpha); the layers codec reads it.
      if (!/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)?$/.test(k ?? '') || x === undefined || extra !== undefined || seen.has(k)) return undefined;
      // true and false are a flag's values (parameterization's zeroReadout), never a name.
      const value = x === 'true' ? true : x === 'false' ? false : num.read(x) ?? word.read(x);
      if (value === undefined) return undefined;
      seen.add(k);
      entries.push([k, value]);
    }
    return Object.fromEntries(entries);
  },
};

// units:activation[:init[:biasInit]] per dense layer, kind[(params)][:init[:biasInit]]
// for a layer of another kind (layernorm(epsilon=0.001)); a kind with an activation (a
// residual block) names it among its params by name, and the activation's own params
// under "activation." (residual(activation=leaky_relu,activation.alpha=0.2,alpha=0.5)):
// a name(k=v) cannot nest, and the block's alpha is not the activation's;
// init may be empty; layers joined by '|'. More layers than the schema allows are refused
// before any is read.
const KIND_KEYS = new Set(['kind', 'units', 'activation', 'init', 'biasInit']);
const ACTIVATION_PARAM = 'activation.';
const layersCodec = {
  write: (list) => list.map((l) => {
    const params = Object.entries(l).filter(([k]) => !KIND_KEYS.has(k));
    if (l.kind && l.kind !== 'dense' && l.activation !== undefined) {
      const own = typeof l.activation === 'object' ? Object.entries(l.activation).filter(([k]) => k !== 'name') : [];
      params.unshift(['activation', activationName(l.activation)], ...own.map(([k, v]) => [`${ACTIVATION_PARAM}${k}`, v]));
    }
    const parts = l.kind && l.kind !== 'dense'
      ? [named.write(params.length ? { name: l.kind, ...Object.fromEntries(params) } : l.kind)]
      : [l.units, named.write(l.activation ?? 'linear')];
    if (l.init || l.biasInit) parts.push(l.init ? named.write(l.init) : '');
    if (l.biasInit) parts.push(named.write(l.biasInit));
    return parts.join(':');
  }).join('|'),
  read(s, schema) {
    const parts = s.split('|', layerCount(schema).max + 1);
    if (parts.length > layerCount(schema).max) return undefined;
    const out = [];
    for (const part of parts) {
      const fields = part.split(':');
      let layer;
      if (/^\d/.test(fields[0] ?? '')) {
        const [units, activation] = fields.splice(0, 2);
        layer = { units: int.read(units ?? ''), activation: named.read(activation ?? '') };
        if (layer.units === undefined || layer.activation === undefined) return undefined;
      } else {
        const kind = named.read(fields.shift() ?? '');
        if (kind === undefined) return undefined;
        const params = typeof kind === 'string' ? [] : Object.entries(kind).filter(([k]) => k !== 'name');
        // A kind's own params only (and a block's activation by name): units and the
        // initializers have their places.
        if (params.some(([k]) => KIND_KEYS.has(k) && k !== 'activation')) return undefined;
        const own = params.filter(([k]) => k.startsWith(ACTIVATION_PARAM));
        layer = { kind: typeof kind === 'string' ? kind : kind.name, ...Object.fromEntries(params.filter((p) => !own.includes(p))) };
        if (own.length) {
          if (typeof layer.activation !== 'string') return undefined;
          layer.activation = { name: layer.activation, ...Object.fromEntries(own.map(([k, v]) => [k.slice(ACTIVATION_PARAM.length), v])) };
        }
      }
      const [init, biasInit, extra] = fields;
      if (extra !== undefined) return undefined;
      for (const [name, text] of [['init', init], ['biasInit', biasInit]]) {
        if (text === undefined || text === '') continue;
        layer[name] = named.read(text);
        if (layer[name] === undefined) return undefined;
      }
      out.push(layer);
    }
    return out.length >= 2 ? out : undefined;
  },
};

// What a key allows, for the notice when its value is refused: the schema's own words.
const oneOf = (names) => `one of ${names.join(', ')}`;
const optimizerSpec = (name) => (schema) => schema.optimizers.params.find((p) => p.name === name);
const dataSpec = (name) => (schema, config) =>
  datasetRow(schema, config.data?.name).params.find((p) => p.name === name) ??
  { never: true, allowed: `nothing: the ${config.data?.name} data set has no ${name}` };
const namedAllowed = (schema, rank) => {
  const names = schema.initializers.filter((i) => i.minRank <= rank && i.maxRank >= rank).map((i) => i.name);
  const node = rank === 1 ? shapeOf(schema).biasInit : shapeOf(schema).init;
  return {
    check: (value) => node.check(value, rank === 1 ? 'biasInit' : 'init'),
    allowed: `one of the ${names.length} initializer names of the Initialization menu (${names[0]} … ${names[names.length - 1]}), ` +
      'parameters as name(key=value,…), e.g. random_normal(stddev=0.1)',
  };
};

/**
 * Every URL key: the config path it holds, its codec, and the schema spec it is checked
 * against (type, range, choices and the `allowed` text of the notice). Adding a setting
 * means one row here.
 */
export const KEYS = [
  { key: 'seed', path: 'seed', codec: int, spec: (s) => s.config.seed },
  { key: 'data', path: 'data.name', codec: word, spec: (s) => ({ choices: s.datasets.datasets.map((d) => d.name), allowed: oneOf(s.datasets.datasets.map((d) => d.name)) }) },
  { key: 'train', path: 'data.train', codec: int, spec: dataSpec('train') },
  { key: 'test', path: 'data.test', codec: int, spec: dataSpec('test') },
  { key: 'noise', path: 'data.noise', codec: num, spec: dataSpec('noise') },
  { key: 'dim', path: 'data.dim', codec: int, spec: dataSpec('dim') },
  { key: 'classes', path: 'data.classes', codec: int, spec: dataSpec('classes') },
  { key: 'dataSeed', path: 'data.seed', codec: int, spec: dataSpec('seed') },
  { key: 'normalize', path: 'data.normalize', codec: word, spec: dataSpec('normalize') },
  { key: 'layers', path: 'layers', codec: layersCodec, spec: (s) => ({ check: (v) => shapeOf(s).layers.check(v, 'layers'), allowed: `units:activation[:init[:biasInit]] per dense layer or a kind of ${s.layerKinds.filter((k) => !k.units).map((k) => k.name).join(', ')} with its parameters, joined by |, ${s.config.hiddenLayers.min} to ${s.config.hiddenLayers.max} hidden layers and the output layer, e.g. 10:relu|layernorm|5:relu|1:sigmoid` }) },
  { key: 'init', path: 'init', codec: named, spec: (s) => namedAllowed(s, 2) },
  { key: 'biasInit', path: 'biasInit', codec: named, spec: (s) => namedAllowed(s, 1) },
  { key: 'loss', path: 'loss', codec: word, spec: (s) => ({ choices: s.losses.map((l) => l.name), allowed: oneOf(s.losses.map((l) => l.name)) }) },
  { key: 'opt', path: 'optimizer.name', codec: word, spec: (s) => ({ choices: s.optimizers.optimizers.map((o) => o.name), allowed: oneOf(s.optimizers.optimizers.map((o) => o.name)) }) },
  { key: 'lr', path: 'optimizer.lr', codec: num, spec: optimizerSpec('lr') },
  { key: 'batch', path: 'optimizer.batch', codec: int, spec: (s) => s.config.batch },
  { key: 'momentum', path: 'optimizer.momentum', codec: num, spec: optimizerSpec('momentum') },
  { key: 'beta1', path: 'optimizer.beta1', codec: num, spec: optimizerSpec('beta1') },
  { key: 'beta2', path: 'optimizer.beta2', codec: num, spec: optimizerSpec('beta2') },
  { key: 'rho', path: 'optimizer.rho', codec: num, spec: optimizerSpec('rho') },
  { key: 'epsilon', path: 'optimizer.epsilon', codec: num, spec: optimizerSpec('epsilon') },
  { key: 'weightDecay', path: 'optimizer.weightDecay', codec: num, spec: optimizerSpec('weightDecay') },
  { key: 'clipNorm', path: 'optimizer.clipNorm', codec: nullableNum, spec: optimizerSpec('clipNorm') },
  { key: 'clipValue', path: 'optimizer.clipValue', codec: nullableNum, spec: optimizerSpec('clipValue') },
  { key: 'convention', path: 'optimizer.convention', codec: word, spec: optimizerSpec('convention') },
  { key: 'schedule', path: 'optimizer.schedule', codec: named, spec: (s) => ({ check: (v) => shapeOf(s).schedule.check(v, 'optimizer.schedule'), allowed: `a learning-rate schedule (${s.optimizers.schedules.map((r) => r.name).join(', ')}) with its parameters, e.g. cosine(warmup=100,steps=2000,final=0.1)` }) },
  { key: 'residualInit', path: 'residualInit', codec: named, spec: (s) => ({ check: (v) => shapeOf(s).residualInit.check(v, 'residualInit'), allowed: `a residual initialization (${s.residualInits.map((r) => r.name).join(', ')}) with its parameters, e.g. skipinit(alpha=0.1)` }) },
  { key: 'param', path: 'parameterization', codec: named, spec: (s) => ({ check: (v) => shapeOf(s).parameterization.check(v, 'parameterization'), allowed: `a parameterization (${s.parameterizations.map((r) => r.name).join(', ')}) with its parameters, e.g. mup(baseWidth=32,zeroReadout=true)` }) },
  { key: 'bins', path: 'stats.bins', codec: int, spec: (s) => s.config.stats.find((p) => p.name === 'bins') },
  { key: 'probe', path: 'stats.probe', codec: int, spec: (s) => s.config.stats.find((p) => p.name === 'probe') },
];

/** The key row whose config path holds `field` (an engine error's field, e.g. "layers[2].units"). */
export function keyOfField(field) {
  let best = null;
  for (const row of KEYS) {
    const p = row.path;
    if (field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`)) {
      if (!best || p.length > best.path.length) best = row;
    }
  }
  return best;
}

// What the other keys are compared with: the defaults, then the data set's own defaults
// (its params, loss, output layer) and the loss's output layer, as the controls make them.
function base(defaults, schema, dataName, loss) {
  let config = clone(defaults);
  if (dataName !== undefined && dataName !== config.data.name) config = withDataset(config, schema, dataName);
  if (loss !== undefined && loss !== config.loss) config = withLoss(config, schema, loss);
  return config;
}

/**
 * The config as URL text: `data` if not the default data set, `loss` if not that data
 * set's loss, then every key whose value differs from what those two imply.
 * @param {string} [prefix]  e.g. 'b.' for a second run, compared with `defaults` (run A)
 */
export function serialize(config, defaults, schema, prefix = '') {
  const params = new URLSearchParams();
  const ref = base(defaults, schema, config.data?.name, config.loss);
  for (const { key, path, codec } of KEYS) {
    const value = getPath(config, path);
    if (value === undefined) continue;
    const text = codec.write(value);
    const against = key === 'data' ? defaults : key === 'loss' ? base(defaults, schema, config.data?.name) : ref;
    const was = getPath(against, path);
    if (was !== undefined && codec.write(was) === text) continue;
    params.set(prefix + key, text);
  }
  return params.toString();
}

/**
 * What is wrong with a URL key's value → null, or { allowed } (what the key allows) or
 * { problem } (the schema's sentence about a part of it: a parameter, a layer's field).
 */
function judge(spec, value, path) {
  const allowed = { allowed: spec?.allowed ?? 'a valid value' };
  if (value === undefined) return allowed;
  if (!spec?.check) return fitsSpec(spec, value) ? null : allowed;
  const fault = spec.check(value);
  return !fault ? null : fault.path === path || fault.path === `${path}.name` ? allowed : { problem: fault.text };
}

/**
 * `defaults` overlaid with the URL's keys (URLSearchParams, a Map, or text). Keys not in
 * KEYS are not read here (url.js reports them); a value that does not parse or is outside
 * what the schema allows is left at its default, with a notice
 * { key, value, allowed | problem, fallback } saying so.
 * @param {string} [prefix]  only keys that start with it (e.g. 'b.')
 * @param {Set<string>} [drop]  keys to leave at their defaults (refused earlier by the engine)
 * @returns {{ config, notices: object[], given: string[] }}
 */
export function deserialize(search, defaults, schema, { prefix = '', drop = new Set() } = {}) {
  const params = typeof search === 'string' ? new URLSearchParams(search.replace(/^[#?]/, '')) : search;
  const notices = [];
  const given = [];
  const read = (row) => {
    const name = prefix + row.key;
    if (!params.has(name) || drop.has(row.key)) return undefined;
    const text = params.get(name);
    return { name, text, value: row.codec.read(text, schema) };
  };
  // → true when the value is used; else a notice, and the key keeps its default.
  const take = (row, got, config) => {
    const wrong = judge(row.spec(schema, config), got.value, row.path);
    if (!wrong) return true;
    const was = getPath(config, row.path);
    notices.push({ key: got.name, value: excerpt(got.text), ...wrong, fallback: was === undefined ? 'not set' : row.codec.write(was) });
    return false;
  };
  // The data set and the loss first: they decide the defaults of the rest.
  const dataRow = KEYS.find((r) => r.key === 'data');
  const lossRow = KEYS.find((r) => r.key === 'loss');
  let dataName;
  let loss;
  const data = read(dataRow);
  if (data && take(dataRow, data, defaults)) { dataName = data.value; given.push(dataRow.key); }
  const lossGiven = read(lossRow);
  if (lossGiven && take(lossRow, lossGiven, base(defaults, schema, dataName))) { loss = lossGiven.value; given.push(lossRow.key); }
  const config = base(defaults, schema, dataName, loss);
  for (const row of KEYS) {
    if (row === dataRow || row === lossRow) continue;
    const got = read(row);
    if (!got || !take(row, got, config)) continue;
    setPath(config, row.path, got.value);
    given.push(row.key);
  }
  return { config, notices, given };
}

// The page's state is one engine config (the public contract: {seed, data, layers, init,
// biasInit, loss, optimizer, stats}) and this file is everything that edits it as a
// whole, plus its round trip through the URL.
//
// URL state follows TensorFlow Playground's PROPS: one table, KEYS, says for every URL key
// which config path it holds and how it is written. Adding a setting means one row. The
// engine validates ranges when the run is created (its errors name the field); parsing
// here only checks each value's type and drops what does not parse.

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
 * Output units the engine accepts (config.cpp, validate_against_data): one per class for
 * cross_entropy, and for mse on more than two classes; else one.
 */
export function outputUnits(loss, numClasses) {
  return loss === 'cross_entropy' || (loss === 'mse' && numClasses > 2) ? numClasses : 1;
}

/** Classes of a data set row (the schema says "dim"-style strings for generated dims). */
function classesOf(row) {
  return typeof row.numClasses === 'number' ? row.numClasses : 2;
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
  const out = next.layers[next.layers.length - 1];
  out.activation = row.defaultOutputActivation;
  out.units = outputUnits(next.loss, classesOf(row));
  return next;
}

/** A new loss: the output activation it needs (if it needs one) and the output units. */
export function withLoss(config, schema, loss) {
  const next = clone(config);
  const row = schema.losses.find((l) => l.name === loss);
  next.loss = loss;
  const out = next.layers[next.layers.length - 1];
  if (row && !row.anyOutput && row.requiredOutput) out.activation = row.requiredOutput;
  out.units = outputUnits(loss, classesOf(datasetRow(schema, next.data.name)));
  return next;
}

/** Hidden layers resized to `count`: new ones copy the last hidden layer. */
export function withHiddenCount(config, count) {
  const next = clone(config);
  const output = next.layers[next.layers.length - 1];
  const hidden = next.layers.slice(0, -1);
  const template = hidden[hidden.length - 1] ?? { units: 10, activation: 'relu' };
  while (hidden.length < count) hidden.push(clone(template));
  hidden.length = count;
  next.layers = [...hidden, output];
  return next;
}

/** Every hidden layer gets this activation (a name or {name, ...params}). */
export function withHiddenActivation(config, activation) {
  const next = clone(config);
  next.layers.slice(0, -1).forEach((layer) => { layer.activation = clone(activation); });
  return next;
}

/** A new optimizer: its own default learning rate (Keras uses 0.001 for adam, rmsprop). */
export function withOptimizer(config, schema, name) {
  const next = clone(config);
  const row = schema.optimizers.optimizers.find((o) => o.name === name);
  next.optimizer.name = name;
  if (row?.defaultLr !== undefined) next.optimizer.lr = row.defaultLr;
  return next;
}

/** An initializer object {name, ...every param at its default}. */
export function initWithDefaults(schema, name) {
  const row = schema.initializers.find((i) => i.name === name);
  const spec = { name };
  for (const p of row?.params ?? []) spec[p.name] = p.default;
  return spec;
}

/** The activation name of a layer's activation (string or object). */
export const activationName = (activation) =>
  typeof activation === 'string' ? activation : activation?.name;

// ---- URL ----------------------------------------------------------------------------

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

// name or name(k=v,k=v): initializers and activations with params.
const named = {
  write(v) {
    if (typeof v === 'string') return v;
    const params = Object.entries(v).filter(([k]) => k !== 'name');
    return params.length ? `${v.name}(${params.map(([k, x]) => `${k}=${x}`).join(',')})` : v.name;
  },
  read(s) {
    const m = /^([A-Za-z0-9_]+)(?:\((.*)\))?$/.exec(s);
    if (!m) return undefined;
    if (m[2] === undefined) return m[1];
    const out = { name: m[1] };
    for (const pair of m[2].split(',').filter(Boolean)) {
      const [k, x] = pair.split('=');
      if (!/^[A-Za-z0-9_]+$/.test(k ?? '') || x === undefined) return undefined;
      out[k] = num.read(x) ?? word.read(x);
      if (out[k] === undefined) return undefined;
    }
    return out;
  },
};

// units:activation[:init] per layer, layers joined by '|'.
const layers = {
  write: (list) => list.map((l) =>
    [l.units, named.write(l.activation ?? 'linear'), ...(l.init ? [named.write(l.init)] : [])].join(':')).join('|'),
  read(s) {
    const out = [];
    for (const part of s.split('|')) {
      const [units, activation, init] = part.split(':');
      const layer = { units: int.read(units ?? ''), activation: named.read(activation ?? '') };
      if (layer.units === undefined || layer.activation === undefined) return undefined;
      if (init !== undefined) {
        layer.init = named.read(init);
        if (layer.init === undefined) return undefined;
      }
      out.push(layer);
    }
    return out.length >= 2 ? out : undefined;
  },
};

/** Every URL key: the config path it holds and its codec. */
export const KEYS = [
  { key: 'seed', path: 'seed', codec: int },
  { key: 'data', path: 'data.name', codec: word },
  { key: 'train', path: 'data.train', codec: int },
  { key: 'test', path: 'data.test', codec: int },
  { key: 'noise', path: 'data.noise', codec: num },
  { key: 'dim', path: 'data.dim', codec: int },
  { key: 'dataSeed', path: 'data.seed', codec: int },
  { key: 'normalize', path: 'data.normalize', codec: word },
  { key: 'layers', path: 'layers', codec: layers },
  { key: 'init', path: 'init', codec: named },
  { key: 'biasInit', path: 'biasInit', codec: named },
  { key: 'loss', path: 'loss', codec: word },
  { key: 'opt', path: 'optimizer.name', codec: word },
  { key: 'lr', path: 'optimizer.lr', codec: num },
  { key: 'batch', path: 'optimizer.batch', codec: int },
  { key: 'momentum', path: 'optimizer.momentum', codec: num },
  { key: 'beta1', path: 'optimizer.beta1', codec: num },
  { key: 'beta2', path: 'optimizer.beta2', codec: num },
  { key: 'rho', path: 'optimizer.rho', codec: num },
  { key: 'epsilon', path: 'optimizer.epsilon', codec: num },
  { key: 'weightDecay', path: 'optimizer.weightDecay', codec: num },
  { key: 'clipNorm', path: 'optimizer.clipNorm', codec: nullableNum },
  { key: 'clipValue', path: 'optimizer.clipValue', codec: nullableNum },
  { key: 'bins', path: 'stats.bins', codec: int },
  { key: 'probe', path: 'stats.probe', codec: int },
];

/** The config as URL hash text (keys whose value differs from `defaults`). */
export function serialize(config, defaults) {
  const params = new URLSearchParams();
  for (const { key, path, codec } of KEYS) {
    const value = getPath(config, path);
    if (value === undefined) continue;
    const text = codec.write(value);
    const base = getPath(defaults, path);
    if (base !== undefined && codec.write(base) === text) continue;
    params.set(key, text);
  }
  return params.toString();
}

/** `defaults` overlaid with what the hash says; unknown keys and bad values are skipped. */
export function deserialize(hash, defaults) {
  const config = clone(defaults);
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const skipped = [];
  for (const { key, path, codec } of KEYS) {
    if (!params.has(key)) continue;
    const value = codec.read(params.get(key));
    if (value === undefined) skipped.push(key);
    else setPath(config, path, value);
  }
  return { config, skipped };
}

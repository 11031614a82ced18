// The shape of the engine's config, read from lab.schema(): which keys each object may
// hold, the type and range of each value (the schema's spec rows), the names a data set,
// activation, initializer, loss or optimizer may have and the parameters each takes, how
// many layers a network may have. An imported config is checked against it in full before
// anything is built from it, and the URL's layers and named values too (state.js).
//
// Keys come from outside: they are looked up only among a table's own names (Map, find,
// Object.hasOwn), never as properties of a plain object, so "__proto__", "constructor" or
// "toString" is an unknown key like any other. Every check stops at the first fault and
// reads no further than the shape goes, so its work is bounded by the shape, not by the
// size of what it is given (a list's length is checked before its entries).
import { excerpt, preview } from './excerpt.js';

export const typeOf = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
/** A JSON type in words: "an array", "a string", "null"… */
export const TYPE_WORDS = { array: 'an array', object: 'an object', string: 'a string', number: 'a number', boolean: 'a boolean', null: 'null' };

/** A fault: the field, the value and what is allowed, and the sentence that says so. */
function fault(path, value, expected, kind = 'value') {
  const shown = preview(value);
  const text = kind === 'unknown' ? `Unknown key "${excerpt(path)}"; allowed: ${expected}.`
    : kind === 'missing' ? `${path}: is required; expected ${expected}.`
      : kind === 'type' && value !== null ? `${path}: ${shown} is ${TYPE_WORDS[typeOf(value)]}; expected ${expected}.`
        : `${path}: ${shown} is not allowed; expected ${expected}.`;
  return { path, value, allowed: expected, text };
}

const join = (path, key) => (path ? `${path}.${key}` : key);

/** Does `value` satisfy a schema param spec (type, range, choices, nullable)? */
export function fitsSpec(spec, value) {
  if (!spec) return true;
  if (spec.never) return false;
  if (value === null) return Boolean(spec.nullable);
  if (spec.choices) return spec.choices.includes(value);
  if (spec.type === 'boolean') return typeof value === 'boolean';
  if (spec.type === 'integer' && !Number.isInteger(value)) return false;
  if ((spec.type === 'integer' || spec.type === 'number')) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    if (spec.min !== null && spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min)) return false;
    if (spec.max !== null && spec.max !== undefined && (spec.maxExclusive ? value >= spec.max : value > spec.max)) return false;
  }
  return true;
}

// ---- nodes: { depth (objects and arrays it may nest), check(value, path) → fault | null }

/** A value of a schema spec row (an integer, a number, a choice; null where nullable). */
function specNode(spec) {
  const type = spec.choices ? 'string' : spec.type === 'boolean' ? 'boolean' : 'number';
  return {
    depth: 0,
    allowed: spec.allowed,
    check: (value, path) => {
      if (fitsSpec(spec, value)) return null;
      return fault(path, value, spec.allowed, typeOf(value) === type ? 'value' : 'type');
    },
  };
}

/** An object whose keys are `fields` (a Map of key → node); keys in `required` must be there. */
function objectNode(fields, { required = [] } = {}) {
  const allowed = [...fields.keys()].join(', ');
  return {
    depth: 1 + Math.max(0, ...[...fields.values()].map((n) => n.depth)),
    check(value, path) {
      if (typeOf(value) !== 'object') return fault(path, value, 'an object', 'type');
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        const node = fields.get(key);
        if (!node) return fault(join(path, key), key, allowed || 'none', 'unknown');
        const bad = node.check(value[key], join(path, key));
        if (bad) return bad;
      }
      for (const key of required) if (!Object.hasOwn(value, key)) return fault(join(path, key), undefined, fields.get(key).allowed ?? 'a value', 'missing');
      return null;
    },
  };
}

const paramFields = (specs) => new Map(specs.map((s) => [s.name, specNode(s)]));
const oneOf = (names) => `one of ${names.join(', ')}`;

/**
 * A name from a table (activations, initializers), or an object {name, ...its params}.
 * @param {object[]} rows  the table's rows: { name, params: spec rows }
 * @param {string} what    e.g. "an initializer"
 */
function namedNode(rows, what) {
  const byName = new Map(rows.map((r) => [r.name, { row: r, params: paramFields(r.params) }]));
  const names = oneOf(rows.map((r) => r.name));
  const allowed = `${what} name (${names}) or an object {"name": …, its parameters}`;
  return {
    depth: 1,
    allowed,
    check(value, path) {
      if (typeof value === 'string') return byName.has(value) ? null : fault(path, value, names);
      if (typeOf(value) !== 'object') return fault(path, value, allowed, 'type');
      if (!Object.hasOwn(value, 'name')) return fault(join(path, 'name'), undefined, names, 'missing');
      const named = typeof value.name === 'string' ? byName.get(value.name) : undefined;
      if (!named) return fault(join(path, 'name'), value.name, names, typeof value.name === 'string' ? 'value' : 'type');
      for (const key in value) {
        if (!Object.hasOwn(value, key) || key === 'name') continue;
        const node = named.params.get(key);
        if (!node) return paramFault(join(path, key), key, named.row);
        const bad = node.check(value[key], join(path, key));
        if (bad) return bad;
      }
      return null;
    },
  };
}

/** A parameter the named row does not have. */
function paramFault(path, key, row) {
  const params = row.params.map((p) => p.name);
  const allowed = params.length ? `its parameters: ${params.join(', ')}` : 'none: it has no parameters';
  return { path, value: key, allowed, text: `${path}: ${row.name} has no parameter "${excerpt(key)}"; it takes ${params.length ? params.join(', ') : 'none'}.` };
}

/** Initializers that apply to a tensor of this rank (2: weights, 1: biases). */
const initializersOfRank = (schema, rank) => schema.initializers.filter((i) => i.minRank <= rank && i.maxRank >= rank);

/** The node of an initializer (rank 2) or bias initializer (rank 1) value. */
const initNode = (schema, rank) => namedNode(initializersOfRank(schema, rank), rank === 1 ? 'a bias initializer' : 'an initializer');

/** The node of an activation value; output-only activations (softmax) only where `output`. */
const activationNode = (schema, output) =>
  namedNode(schema.activations.filter((a) => output || !a.outputOnly), output ? 'an activation' : 'a hidden layer\'s activation');

/** How many layers a network may have: the hidden layers of the schema and the output layer. */
export function layerCount(schema) {
  const { min, max } = schema.config.hiddenLayers;
  return { min: min + 1, max: max + 1, allowed: `${min + 1} to ${max + 1} layers (${min} to ${max} hidden layers, then the output layer)` };
}

/**
 * The node of one layer entry, by its kind (schema.layerKinds; no kind: dense): the keys
 * the kind takes ({units, activation} where it has them), init and biasInit (init of the
 * rank of the kind's first tensor that takes it: a LayerNorm's gain vector, a residual
 * block's W1), and the kind's own params.
 */
function layerNode(schema, output) {
  const kinds = schema.layerKinds.filter((k) => !output || k.output);
  const names = oneOf(kinds.map((k) => k.name));
  const forms = new Map(kinds.map((k) => [k.name, objectNode(new Map([
    ['kind', { depth: 0, check: () => null }],
    ...(k.units ? [['units', specNode(schema.config.units)]] : []),
    ...(k.activation ? [['activation', activationNode(schema, output)]] : []),
    ['init', initNode(schema, k.tensors?.find((t) => t.takesInitKey)?.rank ?? (k.units ? 2 : 1))],
    ['biasInit', initNode(schema, 1)],
    ...paramFields(k.params),
  ]), { required: k.units ? ['units'] : [] })]));
  const all = schema.layerKinds.map((k) => k.name);
  return {
    depth: Math.max(...[...forms.values()].map((f) => f.depth)),
    check(value, path) {
      if (typeOf(value) !== 'object') return fault(path, value, 'an object', 'type');
      const kind = Object.hasOwn(value, 'kind') ? value.kind : 'dense';
      if (typeof kind !== 'string' || !forms.has(kind)) {
        const text = output && all.includes(kind) ? `${names} (the output layer)` : names;
        return fault(join(path, 'kind'), kind, text, typeof kind === 'string' ? 'value' : 'type');
      }
      return forms.get(kind).check(value, path);
    },
  };
}

/** The layer kind row of a layer entry (no kind: dense). */
export const layerKindOf = (schema, layer) =>
  schema.layerKinds.find((k) => k.name === (layer.kind ?? 'dense')) ?? schema.layerKinds[0];

/** The node of the layer list: its length first, then each entry. */
function layersNode(schema) {
  const count = layerCount(schema);
  const hidden = layerNode(schema, false);
  const output = layerNode(schema, true);
  return {
    depth: 1 + output.depth,
    allowed: `an array of ${count.allowed}`,
    check(value, path) {
      if (!Array.isArray(value)) return fault(path, value, `an array of ${count.allowed}`, 'type');
      if (value.length < count.min || value.length > count.max) return fault(path, value, `an array of ${count.allowed}`);
      for (let l = 0; l < value.length; l++) {
        const bad = (l + 1 === value.length ? output : hidden).check(value[l], `${path}[${l}]`);
        if (bad) return bad;
      }
      return null;
    },
  };
}

/** The data: a data set name, or an object {name, ...that set's params} (name: the default set). */
function dataNode(schema) {
  const sets = schema.datasets.datasets;
  const names = oneOf(sets.map((d) => d.name));
  // The custom set's text and columns are the engine's to check (data_csv.cpp).
  const anyValue = { depth: 0, check: () => null };
  const own = (d) => (d.name === 'custom' ? ['csv', 'label', 'split'].map((k) => [k, anyValue]) : []);
  const forms = new Map(sets.map((d) => [d.name, objectNode(new Map([['name', anyValue], ...paramFields(d.params), ...own(d)]))]));
  const byDefault = schema.config.default.data.name;
  const allowed = `a data set name (${names}) or an object {"name": …, its parameters}`;
  return {
    depth: 1,
    check(value, path) {
      if (typeof value === 'string') return forms.has(value) ? null : fault(path, value, names);
      if (typeOf(value) !== 'object') return fault(path, value, allowed, 'type');
      const name = Object.hasOwn(value, 'name') ? value.name : byDefault;
      if (typeof name !== 'string' || !forms.has(name)) return fault(join(path, 'name'), name, names, typeof name === 'string' ? 'value' : 'type');
      return forms.get(name).check(value, path);
    },
  };
}

/** The optimizer: a name, or an object of its params and the batch size (name: the lab's). */
function optimizerNode(schema) {
  const names = schema.optimizers.optimizers.map((o) => o.name);
  const fields = new Map([['name', specNode({ choices: names, allowed: oneOf(names) })], ...paramFields(schema.optimizers.params), ['batch', specNode(schema.config.batch)],
    ['schedule', scheduleNode(schema)]]);
  const object = objectNode(fields);
  const allowed = `an optimizer name (${oneOf(names)}) or an object {"name": …, "lr": …, …}`;
  return {
    depth: 1,
    check(value, path) {
      if (typeof value === 'string') return names.includes(value) ? null : fault(path, value, oneOf(names));
      if (typeOf(value) !== 'object') return fault(path, value, allowed, 'type');
      return object.check(value, path);
    },
  };
}

/** A learning-rate schedule: a name or {name, its params} (schema.optimizers.schedules). */
const scheduleNode = (schema) => namedNode(schema.optimizers.schedules, 'a learning-rate schedule');

/** Any value of the same JSON type as `example` (a key the page has no finer node for). */
function sameTypeNode(example) {
  return { depth: 0, check: (value, path) => (typeOf(value) === typeOf(example) ? null : fault(path, value, TYPE_WORDS[typeOf(example)], 'type')) };
}

/**
 * The nodes of a schema: { config, layers, init (weights, rank 2), biasInit (rank 1), schedule, residualInit,
 * parameterization }.
 */
function makeShape(schema) {
  const losses = schema.losses.map((l) => l.name);
  const shape = {
    layers: layersNode(schema), init: initNode(schema, 2), biasInit: initNode(schema, 1), schedule: scheduleNode(schema),
    residualInit: namedNode(schema.residualInits, 'a residual initialization'),
    parameterization: namedNode(schema.parameterizations, 'a parameterization'),
  };
  const nodes = new Map([
    ['seed', specNode(schema.config.seed)],
    ['data', dataNode(schema)],
    ['layers', shape.layers],
    ['init', shape.init],
    ['biasInit', shape.biasInit],
    ['loss', specNode({ choices: losses, allowed: oneOf(losses) })],
    ['optimizer', optimizerNode(schema)],
    ['stats', objectNode(paramFields(schema.config.stats))],
    ['residualInit', shape.residualInit],
    ['parameterization', shape.parameterization],
  ]);
  // The keys are the engine's (schema.config.keys, in its order); one the page has no
  // finer node for keeps the JSON type of its default.
  const defaults = schema.config.default;
  shape.config = objectNode(new Map(schema.config.keys.map((key) => [key, nodes.get(key) ?? sameTypeNode(defaults[key])])));
  return shape;
}

const shapes = new WeakMap();

/** The nodes of `schema` (made once per schema): each has check(value, path) → fault | null. */
export function shapeOf(schema) {
  if (!shapes.has(schema)) shapes.set(schema, makeShape(schema));
  return shapes.get(schema);
}

/**
 * Checks a partial config against the schema → null, or the first fault
 * { path, value, allowed, text } (text: the sentence for the learner).
 */
export function checkConfig(value, schema) {
  return shapeOf(schema).config.check(value, '');
}

/** How deep a config may nest (objects and arrays), by its shape. */
export const configDepth = (schema) => shapeOf(schema).config.depth;

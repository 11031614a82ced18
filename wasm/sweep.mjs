// Sweeps: a grid over one or two settings of a base config; every cell trains a fresh
// network for N steps and records its final loss, accuracy, how far its weights moved and
// whether it succeeded.
// No DOM: the same code runs in Node (worker_threads), in browser Web Workers and in
// one thread. A cell depends only on the spec and its place in the grid, so a sweep gives
// the same cells however many workers run it.
//
//   import { validateSweep, expandSweep, runCell, runSweep, sweepToCsv } from './sweep.mjs';
//   const result = await runSweep(spec, { workers: 4, onProgress, signal });   // Node
//   const result = await runSweep(spec, { workers: 4, createWorker });         // browser
//   const result = runSweepHere(lab, spec);                                    // one thread
//   const result = await runSweepInThread(lab, spec, { signal });              // one thread, in slices
//
// The spec (JSON):
//
//   { "base": CONFIG,                               the config every cell starts from
//     "x": { "param": "init.scale", "values": [0.5, 1, 2] },
//     "y": { "param": "depth", "from": 2, "to": 32, "count": 5, "scale": "log" },  optional
//     "steps": 500,                                 optimizer steps per cell
//     "success": { "metric": "trainAccuracy", "atLeast": 0.95 }  or  { "lossBelow": 0.05 },
//     "checkEvery": 20,                             optional: test success every K steps
//     "stopOnSuccess": true,                        optional: stop a cell at its first success
//     "keepInitialWeights": true }                  optional: every cell's result carries the
//                                                   weights it started from (initialWeights)
//
// Parameters (`param`), each the value the cell's config gets:
//   init.scale  multiplies the variance of the base config's `init`, for an initializer that
//               is a variance scaling (the engine's table says which: He, Glorot, LeCun,
//               variance_scaling, kaiming_*, xavier_*, nn_linear_default, scaled_normal): the
//               cell's init is the equivalent variance_scaling with scale × value (at 1, the
//               same weights as the named initializer)
//   init.gain   multiplies every starting weight: a variance scaling's scale × value², or
//               the gain of an initializer that has one (orthogonal, orthogonal_, identity)
//   depth       the number of hidden layers (copies of the last hidden layer; output kept)
//   width       the units of every hidden layer
//   lr          optimizer.lr
//   seed        config.seed (initial weights and minibatch order)
//   weight      one initial weight, { "param": "weight", "layer": 0, "index": 3 }: W[index]
//               of that layer, row-major (fan_in, fan_out), set with run.setWeights after
//               initialization (the other weights are the seed's)
//   bias        one initial bias, { "param": "bias", "layer": 0, "index": 1 }
//   blocks      the number of residual blocks (the first kept, copies of the last added
//               after it; the other layers as they are); the base needs a block
//   gate        every residual block's alpha (its gate's value, or initial value when
//               trainable; a residualInit that sets the gate refuses it, naming the field)
// Layers that name their own `init` keep it: init.scale and init.gain change the base init.
// What they change needs the engine's table: checkSweep(lab, spec) fills the axis's `init`
// (the base init as the one it multiplies) and `sets` ("scale" or "gain"); cellConfig and
// expandSweep need a spec checkSweep returned when an axis is init.scale or init.gain.
import { InitscopeError, show } from './errors.mjs';
import { LIMITS, CONFIG_LIMITS } from './dist/limits.mjs';
import { SWEEP_PARAMS, DEFAULT_SUCCESS, INIT_WORDS, initAxisRefusal } from './sweepAxes.mjs';

export { SWEEP_PARAMS, DEFAULT_SUCCESS, initAxisRefusal };

const INIT_AXES = ['init.scale', 'init.gain'];
const isInitAxis = (param) => INIT_AXES.includes(param);
/** How σ²_w = fan_in·E[w²] grows with an init axis's value: init.scale multiplies it, init.gain its square root. */
export const initPower = (param) => (param === 'init.scale' ? 1 : 2);

const SUCCESS_METRICS = ['trainAccuracy', 'testAccuracy'];
const SPEC_KEYS = ['name', 'base', 'x', 'y', 'steps', 'success', 'checkEvery', 'stopOnSuccess', 'keepInitialWeights'];
const AXIS_KEYS = ['param', 'values', 'from', 'to', 'count', 'scale', 'layer', 'index', 'init', 'sets'];
const MAX_VALUES = 256;
const MAX_CELLS = 10000;
const MAX_STEPS = LIMITS.sweepSteps.max;
const INTEGER_PARAMS = new Set(['depth', 'width', 'seed', 'blocks']);
// Axes over the residual blocks: their number, their α.
const BLOCK_PARAMS = new Set(['blocks', 'gate']);
const isBlock = (layer) => layer?.kind === 'residual';

const fail = (field, what) => { throw new InitscopeError(`${field}: ${what}`, field); };
const notAllowed = (field, value, expected) => fail(field, `${show(value)} is not allowed; expected ${expected}`);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

function checkKeys(object, allowed, path) {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      const field = path ? `${path}.${key}` : key;
      fail(field, `unknown key; allowed keys here: ${allowed.join(', ')}`);
    }
  }
}

function checkInteger(value, field, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) {
    notAllowed(field, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

// Per-value checks that need no engine (the engine checks the rest when cells are made).
function checkValue(axis, value, field) {
  switch (axis.param) {
    case 'depth': return checkInteger(value, field, CONFIG_LIMITS.hiddenLayers.min, CONFIG_LIMITS.hiddenLayers.max);
    case 'width': return checkInteger(value, field, CONFIG_LIMITS.units.min, CONFIG_LIMITS.units.max);
    case 'seed': return checkInteger(value, field, CONFIG_LIMITS.seed.min, CONFIG_LIMITS.seed.max);
    case 'blocks': return checkInteger(value, field, CONFIG_LIMITS.hiddenLayers.min, CONFIG_LIMITS.hiddenLayers.max);
    case 'gate':  // the block's alpha row bounds it; the engine checks that when a cell is made
      if (!isNumber(value) || value < 0) notAllowed(field, value, 'a number >= 0');
      return value;
    case 'lr':
      if (!isNumber(value) || value <= 0) notAllowed(field, value, 'a number > 0');
      return value;
    case 'weight':
    case 'bias':
      if (!isNumber(value) || value < LIMITS.sweepWeight.min || value > LIMITS.sweepWeight.max) notAllowed(field, value, LIMITS.sweepWeight.allowed);
      return value;
    default:  // init.scale, init.gain
      if (!isNumber(value) || value <= 0) notAllowed(field, value, 'a number > 0');
      return value;
  }
}

function axisValues(axis, raw, path) {
  const hasValues = raw.values !== undefined;
  const hasRange = ['from', 'to', 'count', 'scale'].some((k) => raw[k] !== undefined);
  if (hasValues && hasRange) {
    fail(`${path}.values`, 'give either values or from, to, count (and scale), not both');
  }
  if (!hasValues && !hasRange) fail(`${path}.values`, 'missing; give values: [...] or from, to, count');
  if (hasValues) {
    if (!Array.isArray(raw.values) || raw.values.length < 1 || raw.values.length > MAX_VALUES) {
      notAllowed(`${path}.values`, raw.values, `an array of 1 to ${MAX_VALUES} values`);
    }
    const values = raw.values.map((v, i) => checkValue(axis, v, `${path}.values[${i}]`));
    const seen = new Map();
    values.forEach((v, i) => {
      if (seen.has(v)) fail(`${path}.values[${i}]`, `${show(v)} repeats ${path}.values[${seen.get(v)}]; each value once`);
      seen.set(v, i);
    });
    return values;
  }
  for (const key of ['from', 'to']) {
    if (!isNumber(raw[key])) notAllowed(`${path}.${key}`, raw[key], 'a number');
  }
  checkInteger(raw.count, `${path}.count`, 1, MAX_VALUES);
  const scale = raw.scale ?? 'linear';
  if (scale !== 'linear' && scale !== 'log') notAllowed(`${path}.scale`, scale, '"linear" or "log"');
  if (scale === 'log') {
    for (const key of ['from', 'to']) {
      if (!(raw[key] > 0)) notAllowed(`${path}.${key}`, raw[key], 'a number > 0 on a log scale');
    }
  }
  const { from, to, count } = raw;
  // The ends in range means every value between them is (the allowed sets are intervals);
  // for depth, width and seed the ends are integers and the values between are rounded.
  checkValue(axis, from, `${path}.from`);
  checkValue(axis, to, `${path}.to`);
  let values = Array.from({ length: count }, (_, i) => {
    if (count === 1) return from;
    const t = i / (count - 1);
    if (i === count - 1) return to;
    return scale === 'log' ? from * (to / from) ** t : from + (to - from) * t;
  });
  if (INTEGER_PARAMS.has(axis.param)) {
    values = values.map(Math.round);
    if (new Set(values).size !== values.length) {
      fail(`${path}.count`, `${count} values from ${from} to ${to} repeat after rounding to integers (${values.join(', ')}); use fewer or give values`);
    }
  }
  return values;
}

function normalizeAxis(raw, path, base) {
  if (!isObject(raw)) notAllowed(path, raw, 'an object { param, values } or { param, from, to, count, scale }');
  checkKeys(raw, AXIS_KEYS, path);
  if (!SWEEP_PARAMS.includes(raw.param)) notAllowed(`${path}.param`, raw.param, `one of ${SWEEP_PARAMS.join(', ')}`);
  const axis = { param: raw.param };
  if (raw.param === 'weight' || raw.param === 'bias') {
    axis.layer = checkInteger(raw.layer, `${path}.layer`, 0, 64);
    axis.index = checkInteger(raw.index, `${path}.index`, 0, 1024 * 1024 - 1);
  } else {
    for (const key of ['layer', 'index']) {
      if (raw[key] !== undefined) fail(`${path}.${key}`, `only the weight and bias parameters take ${key}`);
    }
  }
  if (isInitAxis(raw.param)) {
    // Filled by checkSweep: a spec it returned passes again unchanged.
    if ((raw.init === undefined) !== (raw.sets === undefined)) fail(`${path}.sets`, 'init and sets come together (checkSweep fills both)');
    if (raw.init !== undefined) {
      if (!isObject(raw.init) || typeof raw.init.name !== 'string') notAllowed(`${path}.init`, raw.init, '{ name, ...params }');
      if (raw.sets !== 'scale' && raw.sets !== 'gain') notAllowed(`${path}.sets`, raw.sets, '"scale" or "gain"');
      if (raw.param === 'init.scale' && raw.sets !== 'scale') notAllowed(`${path}.sets`, raw.sets, '"scale" for init.scale');
      axis.init = structuredClone(raw.init);
      axis.sets = raw.sets;
    }
  } else {
    for (const key of ['init', 'sets']) {
      if (raw[key] !== undefined) fail(`${path}.${key}`, 'only init.scale and init.gain take ' + key);
    }
  }
  if ((raw.param === 'depth' || raw.param === 'width') && !(Array.isArray(base.layers) && base.layers.length >= 2)) {
    fail(`${path}.param`, `${show(raw.param)} needs a base config with layers: at least one hidden layer and the output layer`);
  }
  if (BLOCK_PARAMS.has(raw.param) && !(Array.isArray(base.layers) && base.layers.some(isBlock))) {
    fail(`${path}.param`, `${show(raw.param)} needs a base config with at least one residual block ({"kind": "residual"})`);
  }
  axis.values = axisValues(axis, raw, path);
  return axis;
}

const sameParam = (a, b) => a.param === b.param && a.layer === b.layer && a.index === b.index;

function normalizeSuccess(raw) {
  if (raw === undefined) return { ...DEFAULT_SUCCESS };
  if (!isObject(raw)) notAllowed('success', raw, '{ metric: "trainAccuracy" | "testAccuracy", atLeast } or { lossBelow }');
  if (raw.lossBelow !== undefined) {
    checkKeys(raw, ['lossBelow'], 'success');
    if (!isNumber(raw.lossBelow) || raw.lossBelow <= 0) notAllowed('success.lossBelow', raw.lossBelow, 'a number > 0');
    return { lossBelow: raw.lossBelow };
  }
  checkKeys(raw, ['metric', 'atLeast'], 'success');
  if (!SUCCESS_METRICS.includes(raw.metric)) notAllowed('success.metric', raw.metric, `one of ${SUCCESS_METRICS.join(', ')}`);
  if (!isNumber(raw.atLeast) || raw.atLeast < 0 || raw.atLeast > 1) notAllowed('success.atLeast', raw.atLeast, 'a number from 0 to 1');
  return { metric: raw.metric, atLeast: raw.atLeast };
}

/**
 * Checks a spec without the engine and returns it normalized: axis values listed, the
 * defaults filled in. Throws InitscopeError naming the field ("x.param", "y.values[3]").
 * The engine checks the configs themselves when the cells are made (checkSweep).
 */
export function validateSweep(spec) {
  if (typeof spec === 'string') {
    try {
      spec = JSON.parse(spec);
    } catch {
      throw new InitscopeError('the sweep spec is not valid JSON');
    }
  }
  if (!isObject(spec)) {
    const got = spec === null ? 'null' : Array.isArray(spec) ? 'an array' : typeof spec;
    throw new InitscopeError(`the sweep spec must be an object { base, x, y, steps, success }, got ${got}`);
  }
  checkKeys(spec, SPEC_KEYS, '');
  if (spec.name !== undefined && typeof spec.name !== 'string') notAllowed('name', spec.name, 'a string');
  const base = spec.base ?? {};
  if (!isObject(base)) notAllowed('base', base, 'a config object');
  if (spec.x === undefined) fail('x', 'missing; a sweep needs an x axis ({ param, values })');
  const x = normalizeAxis(spec.x, 'x', base);
  const y = spec.y === undefined || spec.y === null ? null : normalizeAxis(spec.y, 'y', base);
  if (y && sameParam(x, y)) fail('y.param', `${show(y.param)} is already the x axis; sweep two different parameters`);
  if (y && x.param.startsWith('init.') && y.param.startsWith('init.')) {
    fail('y.param', 'init.scale and init.gain both set the base init; sweep one of them');
  }
  const cells = x.values.length * (y ? y.values.length : 1);
  if (cells > MAX_CELLS) fail(y ? 'y.values' : 'x.values', `${cells} cells; a sweep may have at most ${MAX_CELLS}`);
  const steps = checkInteger(spec.steps, 'steps', 0, MAX_STEPS);
  const success = normalizeSuccess(spec.success);
  const out = { name: spec.name ?? '', base: structuredClone(base), x, y, steps, success };
  if (spec.checkEvery !== undefined) out.checkEvery = checkInteger(spec.checkEvery, 'checkEvery', 1, Math.max(1, steps));
  if (spec.stopOnSuccess !== undefined) {
    if (typeof spec.stopOnSuccess !== 'boolean') notAllowed('stopOnSuccess', spec.stopOnSuccess, 'true or false');
    if (spec.stopOnSuccess && out.checkEvery === undefined) fail('stopOnSuccess', 'needs checkEvery (how often success is tested)');
    out.stopOnSuccess = spec.stopOnSuccess;
  }
  if (spec.keepInitialWeights !== undefined) {
    if (typeof spec.keepInitialWeights !== 'boolean') notAllowed('keepInitialWeights', spec.keepInitialWeights, 'true or false');
    if (spec.keepInitialWeights) out.keepInitialWeights = true;
  }
  return out;
}

// ---- cells ------------------------------------------------------------------------------

// The config of one axis value applied to a config (a fresh copy), and the weights to set
// after initialization.
function apply(config, name, axis, value, set) {
  switch (axis.param) {
    case 'init.scale':
    case 'init.gain': {
      if (!axis.init) {
        fail(`${name}.param`, `${axis.param} needs the engine to say what it multiplies in the base init; ` +
          'expand the spec that checkSweep(lab, spec) returns');
      }
      const factor = axis.sets === 'scale' ? value ** initPower(axis.param) : value;
      config.init = { ...axis.init, [axis.sets]: axis.init[axis.sets] * factor };
      break;
    }
    case 'depth': {
      const hidden = config.layers.slice(0, -1);
      const last = hidden[hidden.length - 1];
      const layers = hidden.slice(0, value);
      while (layers.length < value) layers.push(structuredClone(last));
      config.layers = [...layers, config.layers[config.layers.length - 1]];
      break;
    }
    case 'width':
      config.layers = config.layers.map((l, i) => (i < config.layers.length - 1 ? { ...l, units: value } : l));
      break;
    case 'lr': {
      const optimizer = config.optimizer ?? 'sgd';
      config.optimizer = typeof optimizer === 'string' ? { name: optimizer, lr: value } : { ...optimizer, lr: value };
      break;
    }
    case 'seed':
      config.seed = value;
      break;
    case 'blocks': {
      // value blocks: the first ones kept, copies of the last added after it; the rest of
      // the network as it is.
      const where = config.layers.map((l, i) => (isBlock(l) ? i : -1)).filter((i) => i >= 0);
      const last = where[where.length - 1];
      const drop = new Set(where.slice(value));
      const copies = Array.from({ length: Math.max(0, value - where.length) }, () => structuredClone(config.layers[last]));
      config.layers = config.layers.flatMap((l, i) => (drop.has(i) ? [] : i === last ? [l, ...copies] : [l]));
      break;
    }
    case 'gate':
      config.layers = config.layers.map((l) => (isBlock(l) ? { ...l, alpha: value } : l));
      break;
    default:  // weight, bias
      set.push({ axis: name, kind: axis.param === 'weight' ? 'W' : 'b', layer: axis.layer, index: axis.index, value });
  }
}

/** The config and weight overrides of the grid point (x value, y value). */
export function cellConfig(spec, xValue, yValue) {
  const config = structuredClone(spec.base);
  const set = [];
  // Depth and blocks first, so that width, init and gate reach the copied layers too.
  const first = (axis) => (axis.param === 'depth' || axis.param === 'blocks' ? -1 : 0);
  const axes = [['x', spec.x, xValue], ...(spec.y ? [['y', spec.y, yValue]] : [])]
    .sort(([, a], [, b]) => first(a) - first(b));
  for (const [name, axis, value] of axes) apply(config, name, axis, value, set);
  return { config, set };
}

/**
 * The cells of a sweep, y-major (row yi, column xi): each { i, xi, yi, x, y, config, set,
 * steps, success, checkEvery, stopOnSuccess }, everything runCell needs.
 */
export function expandSweep(spec) {
  const s = validateSweep(spec);  // idempotent: a normalized spec passes unchanged
  const ys = s.y ? s.y.values : [null];
  const cells = [];
  ys.forEach((y, yi) => {
    s.x.values.forEach((x, xi) => {
      const { config, set } = cellConfig(s, x, y);
      const cell = { i: cells.length, xi, yi, x, y, config, set, steps: s.steps, success: s.success };
      if (s.checkEvery !== undefined) cell.checkEvery = s.checkEvery;
      if (s.stopOnSuccess) cell.stopOnSuccess = true;
      if (s.keepInitialWeights) cell.keepInitialWeights = true;
      cells.push(cell);
    });
  });
  return cells;
}

function succeeded(success, evaluation) {
  if (success.lossBelow !== undefined) {
    return evaluation.trainLoss !== null && evaluation.trainLoss < success.lossBelow;
  }
  return evaluation[success.metric] >= success.atLeast;
}

function applyWeights(run, set) {
  if (set.length === 0) return;
  const weights = run.weights();
  for (const { kind, layer, index, value } of set) weights[layer][kind][index] = value;
  run.setWeights(weights);
}

// The weights as plain numbers (JSON and CSV-safe; float32 values are exact as doubles).
const plainWeights = (run) => run.weights().map(({ W, shape, b, running }) =>
  ({ shape, W: Array.from(W), b: Array.from(b), ...(running ? { running: Array.from(running) } : {}) }));

/**
 * The weights a cell starts from, before its first step: the seed's draw with the swept
 * weight and bias values set → [{ shape: [fanIn, fanOut], W, b }] per layer, W row-major
 * (fan_in, fan_out), plain arrays of numbers. The same as a keepInitialWeights sweep's
 * cells carry; for any cell of expandSweep, with no need to run the sweep again.
 */
export function cellInitialWeights(lab, cell) {
  const run = lab.createRun(cell.config);
  try {
    applyWeights(run, cell.set ?? []);
    return plainWeights(run);
  } finally {
    run.dispose();
  }
}

/**
 * Trains one cell → { i, xi, yi, x, y, steps, loss, trainAccuracy, testAccuracy,
 * weightChange, success, stepsToSuccess, diverged } (and initialWeights, as
 * cellInitialWeights gives them, when the cell has keepInitialWeights). loss is the final
 * loss over the whole training set (null once diverged); weightChange how far training
 * moved the weights, the snapshot's ‖W − W₀‖/‖W₀‖ over every layer (null once diverged or
 * when the weights start at zero); stepsToSuccess the first multiple of checkEvery at which
 * success held (null: never, or no checkEvery).
 */
export function runCell(lab, cell) {
  const slices = cellSlices(lab, cell, () => Infinity);
  for (;;) {
    const { done, value } = slices.next();
    if (done) return value;
  }
}

// A cell's training as a generator: it yields after every run.step() call, of at most
// budget() steps, and returns runCell's answer, so that a caller can hand its thread back
// between slices (runSweepInThread). How the steps are cut into calls changes no bit.
// Returning it early (slices.return()) disposes of the run.
function* cellSlices(lab, cell, budget) {
  const run = lab.createRun(cell.config);
  try {
    applyWeights(run, cell.set ?? []);
    const initialWeights = cell.keepInitialWeights ? plainWeights(run) : undefined;
    const every = cell.checkEvery;
    let done = 0;
    let diverged = null;
    let stepsToSuccess = null;
    while (done < cell.steps && !diverged) {
      const toCheck = every !== undefined ? every - (done % every) : Infinity;
      const n = Math.max(1, Math.min(toCheck, cell.steps - done, MAX_STEPS, budget()));
      const r = run.step(n);
      done += n;
      diverged = r.diverged;
      if (diverged) done = r.step;
      const checkpoint = every !== undefined && (done % every === 0 || done === cell.steps);
      if (checkpoint && !diverged && stepsToSuccess === null && succeeded(cell.success, run.evaluate())) {
        stepsToSuccess = done;
        if (cell.stopOnSuccess) break;
      }
      if (done < cell.steps && !diverged) yield n;
    }
    const e = run.evaluate();
    const weightChange = diverged ? null : run.snapshot().weightChange;
    return {
      i: cell.i,
      xi: cell.xi,
      yi: cell.yi,
      x: cell.x,
      y: cell.y,
      steps: done,
      loss: diverged ? null : e.trainLoss,
      trainAccuracy: e.trainAccuracy,
      testAccuracy: e.testAccuracy,
      weightChange,
      success: !diverged && succeeded(cell.success, e),
      stepsToSuccess,
      diverged,
      ...(initialWeights ? { initialWeights } : {}),
    };
  } finally {
    run.dispose();
  }
}

// ---- engine checks and the mean-field boundary -------------------------------------------

function rethrow(err, field) {
  if (err instanceof InitscopeError) {
    throw new InitscopeError(`${field}: ${err.message}`, field);
  }
  throw err;
}

/**
 * Checks the spec against the engine: the base config, and every axis value with the
 * other axis at its first value (errors name "x.values[3]" and the engine's field), and a
 * weight's layer and index against the network. Returns the normalized spec.
 */
export function checkSweep(lab, rawSpec) {
  const spec = validateSweep(rawSpec);
  resolveInitAxes(lab, spec);
  const axes = spec.y ? [['x', spec.x, spec.y], ['y', spec.y, spec.x]] : [['x', spec.x, null]];
  for (const [name, axis, other] of axes) {
    axis.values.forEach((value, i) => {
      const field = `${name}.values[${i}]`;
      const xValue = name === 'x' ? value : other.values[0];
      const yValue = name === 'x' ? (other ? other.values[0] : null) : value;
      const { config, set } = cellConfig(spec, xValue, yValue);
      let run;
      try {
        run = lab.createRun(config);
      } catch (err) {
        rethrow(err, field);
      }
      try {
        for (const s of set) {
          const layers = run.weights();
          const which = s.axis;
          if (s.layer >= layers.length) {
            notAllowed(`${which}.layer`, s.layer, `an integer from 0 to ${layers.length - 1} (the network has ${layers.length} layers)`);
          }
          const [fanIn, fanOut] = layers[s.layer].shape;
          const size = s.kind === 'W' ? fanIn * fanOut : fanOut;
          if (s.index >= size) {
            notAllowed(`${which}.index`, s.index, s.kind === 'W'
              ? `an integer from 0 to ${size - 1} (layer ${s.layer}'s W is ${fanIn} x ${fanOut}, row-major (fan_in, fan_out): index = i * ${fanOut} + j)`
              : `an integer from 0 to ${size - 1} (layer ${s.layer} has ${fanOut} biases)`);
          }
        }
      } finally {
        run.dispose();
      }
    });
  }
  return spec;
}

// Fills what the init axes of a validated spec multiply (axis.init, axis.sets), from the
// base config's init with its defaults; an axis filled already stays as it is.
function resolveInitAxes(lab, spec) {
  const names = (spec.y ? ['x', 'y'] : ['x']).filter((n) => isInitAxis(spec[n].param) && !spec[n].init);
  let init;
  try {
    const run = lab.createRun(spec.base);
    init = run.config.init;
    run.dispose();
  } catch (err) {
    if (!(err instanceof InitscopeError)) throw err;
    if (!err.field) throw new InitscopeError(`base: ${err.message}`, 'base');
    throw new InitscopeError(`base.${err.message}`, `base.${err.field}`);
  }
  for (const name of names) Object.assign(spec[name], initAxis(lab, spec[name].param, init, `${name}.param`));
  return spec;
}

// What an init axis multiplies in the base init (the engine's table says): { init, sets }.
function initAxis(lab, param, init, field) {
  const scaling = lab.varianceScaling(init);
  if (scaling) return { init: scaling, sets: 'scale' };
  const rows = lab.schema().initializers;
  const gainParam = rows.find((r) => r.name === init.name)?.gainParam;
  if (param === 'init.gain' && gainParam) return { init, sets: gainParam };
  return fail(field, initAxisRefusal(param, init.name, rows));
}

// σ²_b of a bias initializer, where the mean-field picture holds (i.i.d. normal, mean 0);
// parameters not given take the engine's defaults (lab.initializers).
function biasVariance(lab, bias) {
  const b = typeof bias === 'string' ? { name: bias } : bias;
  if (!b || b.name === 'zeros' || b.name === 'zeros_') return 0;
  const stdKey = { random_normal: 'stddev', normal_: 'std' }[b.name];
  if (!stdKey) return null;
  const row = lab.initializers.find((r) => r.name === b.name);
  const param = (key) => b[key] ?? row.params.find((p) => p.name === key).default;
  return param('mean') === 0 ? param(stdKey) ** 2 : null;
}

/**
 * Where the mean-field order/chaos boundary applies (an axis is init.scale or init.gain,
 * every hidden layer has the same activation and the base init, biases zero or N(0, σ²_b)):
 * { applies: true, axis, param, activation, sigmaB2, sigmaW2Boundary, layer,
 *   boundary: [{ other, value }], points: [{ value, other, sigmaW2, qStar, chi1, phase,
 *   depthScale, gradientDepthScale }] }, where value is in the swept parameter's units and
 * other is the other axis's value (null when the mapping does not depend on it). Else
 * { applies: false, reason }.
 */
export function sweepMeanField(lab, rawSpec) {
  const spec = validateSweep(rawSpec);
  if ([spec.x, spec.y].some((a) => a && isInitAxis(a.param) && !a.init)) resolveInitAxes(lab, spec);
  const no = (reason) => ({ applies: false, reason });
  const scaleAxisName = spec.x.param.startsWith('init.') ? 'x' : spec.y?.param.startsWith('init.') ? 'y' : null;
  if (!scaleAxisName) return no('neither axis is init.scale or init.gain');
  const axis = spec[scaleAxisName];
  const other = scaleAxisName === 'x' ? spec.y : spec.x;
  const layers = spec.base.layers;
  if (!Array.isArray(layers) || layers.length < 2) return no('the base config has no hidden layers');
  const hidden = layers.slice(0, -1);
  const names = hidden.map((l) => (typeof l.activation === 'string' ? l.activation : l.activation?.name ?? 'linear'));
  if (new Set(names).size !== 1) return no(`the hidden layers mix activations (${[...new Set(names)].join(', ')})`);
  if (hidden.some((l) => l.init !== undefined)) return no('a hidden layer names its own init, which the sweep does not change');
  if (hidden.some((l) => l.biasInit !== undefined)) return no('a hidden layer names its own biasInit');
  if (axis.init.name === 'identity') return no('identity weights are not random: the mean-field picture does not apply');
  const sigmaB2 = biasVariance(lab, spec.base.biasInit ?? 'zeros');
  if (sigmaB2 === null) return no('the bias initializer is neither zeros nor a zero-mean normal');
  const activation = hidden[0].activation ?? 'linear';
  const power = initPower(axis.param);
  // σ²_w = k·value^power, k read from the engine's exact initial law on a hidden layer
  // (one after the first when there are several: its fan_in is a hidden width).
  const layer = hidden.length > 1 ? 1 : 0;
  const dependsOnOther = other && (other.param === 'width' || other.param === 'depth');
  const otherValues = dependsOnOther ? other.values : [null];
  const probe = axis.values.find((v) => v > 0);
  if (probe === undefined) return no('every swept scale is 0');
  const coefficient = (otherValue) => {
    const xValue = scaleAxisName === 'x' ? probe : (otherValue ?? other?.values[0]);
    const yValue = scaleAxisName === 'x' ? (otherValue ?? other?.values[0] ?? null) : probe;
    const { config } = cellConfig(spec, xValue, yValue);
    const run = lab.createRun(config);
    try {
      const s = run.snapshot();
      const l = s.layers[Math.min(layer, s.layers.length - 2)];
      const w2 = l.fanIn * (l.initStd ** 2 + l.initMean ** 2);
      return w2 / probe ** power;
    } finally {
      run.dispose();
    }
  };
  const boundaryW2 = lab.orderChaosBoundary(activation, sigmaB2).sigmaW2;
  const boundary = [];
  const points = [];
  for (const otherValue of otherValues) {
    const k = coefficient(otherValue);
    boundary.push({ other: otherValue, value: k && boundaryW2 !== null ? (boundaryW2 / k) ** (1 / power) : null });
    for (const value of axis.values) {
      const sigmaW2 = k === null ? null : k * value ** power;
      if (!(sigmaW2 > 0) || sigmaW2 > 1e4) {
        points.push({ value, other: otherValue, sigmaW2, qStar: null, chi1: null, phase: null, depthScale: null, gradientDepthScale: null });
        continue;
      }
      const m = lab.meanField(activation, sigmaW2, sigmaB2);
      points.push({
        value, other: otherValue, sigmaW2, qStar: m.qStar, chi1: m.chi1, phase: m.phase,
        depthScale: m.depthScale, gradientDepthScale: m.gradientDepthScale,
      });
    }
  }
  return {
    applies: true,
    axis: scaleAxisName,
    param: axis.param,
    activation,
    sigmaB2,
    sigmaW2Boundary: boundaryW2,
    layer,
    boundary,
    points,
  };
}

// ---- running ----------------------------------------------------------------------------

function abortError() {
  const err = typeof DOMException === 'function'
    ? new DOMException('the sweep was cancelled', 'AbortError')
    : Object.assign(new Error('the sweep was cancelled'), { name: 'AbortError' });
  return err;
}

function result(spec, cells, meanField) {
  return { spec, cells, meanField };
}

/**
 * Runs a sweep in this thread with a lab, without yielding (presets in a worker):
 * → { spec, cells, meanField }. onProgress({ done, total, cell }) after every cell; an
 * aborted signal stops between cells (AbortError). runSweepInThread is the same for a
 * thread that must stay responsive.
 */
export function runSweepHere(lab, rawSpec, { onProgress, signal } = {}) {
  const spec = checkSweep(lab, rawSpec);
  const meanField = sweepMeanField(lab, spec);
  const cells = expandSweep(spec);
  const out = [];
  for (const cell of cells) {
    if (signal?.aborted) throw abortError();
    const r = runCell(lab, cell);
    out.push(r);
    onProgress?.({ done: out.length, total: cells.length, cell: r });
  }
  return result(spec, out, meanField);
}

const now = () => (globalThis.performance ?? Date).now();

// The next turn of the event loop: in Node after pending I/O and signals (setImmediate).
const nextTurn = () => new Promise((resolve) => {
  if (typeof setImmediate === 'function') setImmediate(resolve);
  else setTimeout(resolve, 0);
});

/**
 * Drains a generator of training slices (one that yields after each run.step() call of at
 * most budget() steps, budget being what it is made with) in slices of about sliceMs
 * milliseconds, handing the thread back between them; an aborted signal stops it there
 * (AbortError, after returning the generator so that it disposes of its run). → Promise of
 * the generator's return value.
 */
export async function runInSlices(makeSlices, { signal, sliceMs = 50 } = {}) {
  let stepsPerSlice = 1;  // grown to sliceMs from the time the slices take
  const slices = makeSlices(() => stepsPerSlice);
  try {
    for (;;) {
      await nextTurn();
      if (signal?.aborted) throw abortError();
      const start = now();
      const { done, value } = slices.next();
      if (done) return value;
      if (value >= stepsPerSlice) {  // a full slice: its time says how many fit in sliceMs
        const ms = now() - start;
        const fit = ms > 0 ? Math.round((stepsPerSlice * sliceMs) / ms) : Infinity;
        stepsPerSlice = Math.max(1, Math.min(MAX_STEPS, 4 * stepsPerSlice, fit));
      }
    }
  } finally {
    slices.return();
  }
}

/**
 * Runs a sweep in this thread like runSweepHere, the same cells, but in slices of about
 * `sliceMs` milliseconds (default 50) of training, handing the thread back between them:
 * an aborted `signal` stops it within a slice (AbortError), and the thread answers
 * meanwhile (the CLI's --workers 0, where Ctrl-C must get through). → Promise of
 * { spec, cells, meanField }.
 */
export async function runSweepInThread(lab, rawSpec, { onProgress, signal, sliceMs = 50 } = {}) {
  const spec = checkSweep(lab, rawSpec);
  const meanField = sweepMeanField(lab, spec);
  const cells = expandSweep(spec);
  const out = [];
  for (const cell of cells) {
    out.push(await runInSlices((budget) => cellSlices(lab, cell, budget), { signal, sliceMs }));
    onProgress?.({ done: out.length, total: cells.length, cell: out.at(-1) });
  }
  return result(spec, out, meanField);
}

// Node: worker_threads, the worker file beside this one. The specifiers are variables so
// that browser bundlers leave them alone.
async function nodeWorkerFactory() {
  const threads = 'node:worker_threads';
  const { Worker } = await import(/* @vite-ignore */ threads);
  const file = './sweep-worker.mjs';
  const url = new URL(file, import.meta.url);
  return () => new Worker(url);
}

async function defaultWorkerCount() {
  const osModule = 'node:os';
  const os = await import(/* @vite-ignore */ osModule);
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

// Node's Worker is an EventEmitter, the browser's an EventTarget.
function listen(worker, onMessage, onError) {
  if (typeof worker.on === 'function') {
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', (code) => { if (code !== 0) onError(new Error(`a sweep worker exited with code ${code}`)); });
  } else {
    worker.addEventListener('message', (event) => onMessage(event.data));
    worker.addEventListener('error', (event) => onError(new Error(event.message || 'a sweep worker failed')));
  }
}

// The module's bytes alone (a Node Buffer may be a view into a larger pool): what each
// worker is sent (postMessage copies it).
const bytesOf = (bytes) => (ArrayBuffer.isView(bytes)
  ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice()
  : new Uint8Array(bytes));

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' &&
  typeof window === 'undefined' && typeof WorkerGlobalScope === 'undefined';

/**
 * Runs a sweep on `workers` workers (default: one per core in Node, 4 in a browser) →
 * { spec, cells, meanField }: the cells in grid order, the same whatever the number of
 * workers. `createWorker()` makes one worker running wasm/sweep-worker.mjs; in Node the
 * default uses worker_threads, in a browser pass
 *   () => new Worker(new URL('…/wasm/sweep-worker.mjs', import.meta.url), { type: 'module' }).
 * onChecked(spec) once a worker has checked the spec (checkSweep's answer: what the cells
 * are made from); onProgress({ done, total, cell }) after every cell (in completion order); an aborted
 * `signal` terminates the workers and rejects with an AbortError. Invalid specs reject
 * with InitscopeError (field "x.values[2]", ...). Where the workers find the engine:
 * `wasmBinary` (the bytes of initscope.wasm, an ArrayBuffer or a typed array; each worker
 * gets a copy, so nothing is read or fetched) or `wasmUrl`; by default each worker loads
 * it as loadInitscope() does.
 */
export async function runSweep(rawSpec, { workers, createWorker, onProgress, onChecked, signal, wasmUrl, wasmBinary } = {}) {
  const spec = validateSweep(rawSpec);
  if (wasmBinary !== undefined && !(wasmBinary instanceof ArrayBuffer || ArrayBuffer.isView(wasmBinary))) {
    notAllowed('wasmBinary', typeof wasmBinary, 'an ArrayBuffer or a typed array with the bytes of initscope.wasm');
  }
  if (signal?.aborted) throw abortError();
  const make = createWorker ?? (isNode ? await nodeWorkerFactory() : null);
  if (!make) throw new InitscopeError('createWorker: missing; in a browser pass a function that makes a wasm/sweep-worker.mjs module worker', 'createWorker');
  const count = workers ?? (isNode ? await defaultWorkerCount() : 4);
  if (!Number.isInteger(count) || count < 1 || count > 256) notAllowed('workers', count, 'an integer from 1 to 256');
  // The cells are made from the spec the first worker checked (checkSweep fills what the
  // init axes multiply); their number is known now.
  let cells = [];
  const total = spec.x.values.length * (spec.y ? spec.y.values.length : 1);
  let checked = spec;
  const engineBytes = wasmBinary ? bytesOf(wasmBinary) : null;
  const pool = [];
  const results = new Array(total);
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    let settled = false;
    let meanField = null;
    const finish = (err, value) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of pool) w.terminate();
      if (err) reject(err); else resolve(value);
    };
    const onAbort = () => finish(abortError());
    signal?.addEventListener('abort', onAbort);
    const send = (worker) => {
      if (next >= total) return;
      worker.postMessage({ type: 'cell', cell: cells[next++] });
    };
    const handle = (worker) => (message) => {
      if (settled) return;
      if (message.type === 'error') {
        finish(new InitscopeError(message.message, message.field ?? ''));
      } else if (message.type === 'fatal') {
        finish(new Error(`sweep worker: ${message.message}`));
      } else if (message.type === 'checked') {
        meanField = message.meanField;
        checked = message.spec ?? spec;
        try {
          cells = expandSweep(checked);
        } catch (err) {
          finish(err);
          return;
        }
        onChecked?.(checked);
        // The spec is valid for the engine: every worker may start.
        for (const w of pool) {
          for (let k = 0; k < 1 && next < total; ++k) send(w);
        }
        if (total === 0) finish(null, result(checked, [], meanField));
      } else if (message.type === 'result') {
        results[message.result.i] = message.result;
        done += 1;
        onProgress?.({ done, total, cell: message.result });
        if (done === total) finish(null, result(checked, results, meanField));
        else send(worker);
      }
    };
    const n = Math.min(count, Math.max(1, total));
    for (let k = 0; k < n; ++k) {
      let worker;
      try {
        worker = make();
      } catch (err) {
        finish(err);
        return;
      }
      pool.push(worker);
      listen(worker, handle(worker), (err) => finish(err));
      if (engineBytes) worker.postMessage({ type: 'load', wasmBinary: engineBytes });
      else if (wasmUrl) worker.postMessage({ type: 'load', wasmUrl: String(wasmUrl) });
    }
    // The first worker checks the spec against the engine and computes the boundary.
    pool[0].postMessage({ type: 'check', spec });
  });
}

// ---- results ----------------------------------------------------------------------------

/** A parameter's column name: "init.scale", "depth", "weight[0][3]". */
export function axisLabel(axis) {
  if (!axis) return 'y';
  return axis.param === 'weight' || axis.param === 'bias' ? `${axis.param}[${axis.layer}][${axis.index}]` : axis.param;
}

function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The cells as CSV (RFC 4180, header row): i, xi, yi, the x and y parameters, steps,
 * loss, trainAccuracy, testAccuracy, weightChange, success, stepsToSuccess, diverged (empty, or
 * "step S layer L quantity"). Empty fields are nulls.
 */
export function sweepToCsv({ spec, cells }) {
  const header = ['i', 'xi', 'yi', axisLabel(spec.x), spec.y ? axisLabel(spec.y) : 'y',
    'steps', 'loss', 'trainAccuracy', 'testAccuracy', 'weightChange', 'success', 'stepsToSuccess', 'diverged'];
  const rows = cells.map((c) => [c.i, c.xi, c.yi, c.x, c.y, c.steps, c.loss, c.trainAccuracy, c.testAccuracy,
    c.weightChange, c.success, c.stepsToSuccess,
    c.diverged ? `step ${c.diverged.step} layer ${c.diverged.layer} ${c.diverged.quantity}` : null]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * Totals and one row per x value: { count, successes, successRate, byX: [{ x, count,
 * successes, successRate, bestStepsToSuccess, bestY, lowestLoss, lowestLossY }] }
 * (bestStepsToSuccess: the fewest steps to success over the y values, null if none
 * succeeded; bestY the y that took them; lowestLoss: the lowest final training loss over
 * the cells that did not diverge, null if none; lowestLossY the y that reached it: with a
 * learning-rate axis, the best learning rate at that x).
 */
export function summarizeSweep({ spec, cells }) {
  const successes = cells.filter((c) => c.success).length;
  const byX = spec.x.values.map((x, xi) => {
    const column = cells.filter((c) => c.xi === xi);
    const ok = column.filter((c) => c.success);
    let best = null;
    let lowest = null;
    for (const c of column) {
      if (c.stepsToSuccess !== null && (best === null || c.stepsToSuccess < best.stepsToSuccess)) best = c;
      if (c.loss !== null && Number.isFinite(c.loss) && (lowest === null || c.loss < lowest.loss)) lowest = c;
    }
    return {
      x,
      count: column.length,
      successes: ok.length,
      successRate: column.length ? ok.length / column.length : 0,
      bestStepsToSuccess: best ? best.stepsToSuccess : null,
      bestY: best ? best.y : null,
      lowestLoss: lowest ? lowest.loss : null,
      lowestLossY: lowest ? lowest.y : null,
    };
  });
  return { count: cells.length, successes, successRate: cells.length ? successes / cells.length : 0, byX };
}

// The JS API of initscope: loads the WebAssembly module in Node (>= 18) and in the
// browser and wraps the raw Embind names (`_…`) into plain JS values. Everything else
// (page, worker, CLI, tests) goes through this file, never the raw module. It imports only
// the bridge (the built module and errors.mjs): sweeps and presets are modules beside it
// that take a lab (sweep.mjs, presets.mjs; wasm/README.md has the module graph).
//
//   import { loadInitscope } from 'initscope';
//   const lab = await loadInitscope();            // or { wasmUrl } / { wasmBinary }
//   const run = lab.createRun({ data: { name: 'circles' }, init: { name: 'he_normal' } });
//   run.step(100);                                // { step, loss, diverged }
//   run.snapshot().layers[0].a.std;
//   run.dispose();
//
// Engine errors arrive as values and are thrown here as InitscopeError; every argument is
// checked here or in the engine, so nothing else is thrown at the caller. Typed views
// over wasm memory are copied before they are returned: memory growth would detach them.

import createInitscopeModule from './dist/initscope.mjs';
import { cutText, InitscopeError, show } from './errors.mjs';

/** An invalid config or argument. `field` is the path of the offending field. */
export { InitscopeError };

const isNode =
  typeof process === 'object' && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string' && typeof window === 'undefined';

// Vite sees this `new URL(…, import.meta.url)` and ships the .wasm as an asset.
const defaultWasmUrl = new URL('./dist/initscope.wasm', import.meta.url);

// Node: Emscripten 3.1.6's loader would `fetch` a file path and fail, so read the bytes
// ourselves. The specifier is a variable so that browser bundlers leave it alone.
async function readFileBytes(url) {
  const fsModule = 'node:fs/promises';
  const { readFile } = await import(/* @vite-ignore */ fsModule);
  const path = url instanceof URL || String(url).startsWith('file:') ? new URL(url) : String(url);
  return readFile(path);
}

async function instantiate({ wasmUrl = defaultWasmUrl, wasmBinary } = {}) {
  const options = {};
  if (wasmBinary) {
    options.wasmBinary = wasmBinary;
  } else if (isNode && !/^(https?|data|blob):/.test(String(wasmUrl))) {
    options.wasmBinary = await readFileBytes(wasmUrl);
  } else {
    // Browser and worker: the module fetches (and compiles while streaming) over http.
    const href = String(wasmUrl);
    options.locateFile = (file) => (file.endsWith('.wasm') ? href : file);
  }
  return createInitscopeModule(options);
}

// The belt under the error values: anything else thrown while the API runs (a trap or an
// abort inside the engine, which would be a defect of the engine) still reaches the caller
// as an InitscopeError, with the original as its cause.
function guard(call) {
  try {
    return call();
  } catch (err) {
    if (err instanceof InitscopeError) throw err;
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : show(err);
    const error = new InitscopeError(`internal error in the engine (${detail}); the lab may need a reload`);
    error.cause = err;
    throw error;
  }
}

// Parses the engine's JSON answer and throws its error, if it is one.
function answer(text) {
  const value = JSON.parse(text);
  if (value && typeof value === 'object' && value.error) {
    throw new InitscopeError(value.error.message, value.error.field);
  }
  return value;
}

const fieldMessage = (field, what) => (field ? `${field}: ${what}` : what);

// A field path as the engine writes it: "layers[0].init", a long key cut as it cuts one.
function fieldOf(root, path) {
  return path.reduce((field, step) => (typeof step === 'number' ? `${field}[${step}]`
    : field ? `${field}.${cutText(step)}` : cutText(step)), root);
}

/**
 * The JSON text of a config or an activation given as a JS value: what JSON.stringify
 * writes, once the checks it leaves out or fails on with a TypeError or a RangeError have
 * passed, each an InitscopeError naming the field as the engine names it: nesting deeper
 * than the engine reads (measured without recursion, so a value 10^5 levels deep is
 * refused, not a stack overflow; field: the member of the outermost object holding it, as
 * the engine's own check of text names it), a circular structure, NaN and ±Infinity
 * (JSON.stringify would write null), BigInt, functions and symbols, a toJSON() or a getter
 * that throws. undefined in an object leaves the key out, as JSON.stringify does.
 * Returns undefined when the value itself becomes nothing (a toJSON() that gives nothing).
 */
function jsonText(value, root, noun, maxNesting) {
  let problem = null;    // the first, in the order JSON.stringify would meet them
  let deepest = 0;
  let deepField = null;  // where the nesting first goes past maxNesting
  let endless = false;   // past maxNesting through a cycle
  const ancestors = new Set();

  // holder[key] as JSON.stringify sees it: toJSON() applied, Number/String/Boolean unwrapped.
  const read = (holder, key, pathOf) => {
    try {
      let v = holder[key];
      if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
        if (typeof v.toJSON === 'function') v = v.toJSON(String(key));
      }
      if (v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt) v = v.valueOf();
      return v;
    } catch (err) {
      const field = fieldOf(root, pathOf());
      throw new InitscopeError(fieldMessage(field, `reading it threw ${show(err?.message ?? err)}; expected plain JSON data`), field);
    }
  };
  const note = (pathOf, what) => {
    if (problem) return;
    const field = fieldOf(root, pathOf());
    problem = new InitscopeError(fieldMessage(field, what), field);
  };
  // The copy JSON.stringify writes, or undefined for a value it leaves out.
  const leaf = (v, pathOf) => {
    switch (typeof v) {
      case 'number':
        if (!Number.isFinite(v)) note(pathOf, `${v} is not allowed; expected a finite number (JSON has no NaN or Infinity)`);
        return v;
      case 'bigint':
        note(pathOf, `${show(v)} is not allowed; expected a number (JSON has no BigInt)`);
        return 0;
      case 'function':
      case 'symbol':
        note(pathOf, `${show(v)} is not allowed; expected JSON data`);
        return undefined;
      default:
        return v;  // string, boolean, null, undefined
    }
  };

  const top = read({ '': value }, '', () => []);
  if (top === null || typeof top !== 'object') {
    const v = leaf(top, () => []);
    if (problem) throw problem;
    return v === undefined ? undefined : JSON.stringify(v);
  }
  // Depth first, without recursion: one frame per container on the current path, each with
  // its parent and its key there, so a path is only spelled out for a message.
  const pathOf = (frame, key) => {
    const path = key === undefined ? [] : [key];
    for (let f = frame; f.parent; f = f.parent) path.unshift(f.key);
    return path;
  };
  const enter = (source, parent, key) => {
    const depth = parent ? parent.depth + 1 : 1;
    const frame = { source, copy: null, keys: null, next: 0, depth, parent, key };
    if (depth > deepest) deepest = depth;
    if (depth > maxNesting && deepField === null) deepField = fieldOf(root, pathOf(frame).slice(0, 1));
    ancestors.add(source);
    try {
      frame.keys = Array.isArray(source) ? null : Object.keys(source);
    } catch (err) {
      const field = fieldOf(root, pathOf(frame));
      throw new InitscopeError(fieldMessage(field, `reading it threw ${show(err?.message ?? err)}; expected plain JSON data`), field);
    }
    if (deepField === null) frame.copy = Array.isArray(source) ? [] : Object.create(null);
    return frame;
  };
  const stack = [enter(top, null, '')];
  const result = stack[0].copy;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const size = frame.keys ? frame.keys.length : frame.source.length;
    if (frame.next >= size) {
      ancestors.delete(frame.source);
      stack.pop();
      continue;
    }
    const index = frame.next++;
    const key = frame.keys ? frame.keys[index] : index;
    const v = read(frame.source, key, () => pathOf(frame, key));
    if (v !== null && typeof v === 'object') {
      if (ancestors.has(v)) {
        if (deepField !== null) {
          endless = true;
          break;
        }
        const field = fieldOf(root, pathOf(frame, key));
        throw new InitscopeError(fieldMessage(field,
          'refers to an object that contains it (a circular structure); expected plain JSON data'), field);
      }
      const child = enter(v, frame, key);
      if (frame.copy) frame.copy[key] = child.copy;
      stack.push(child);
    } else {
      const copy = leaf(v, () => pathOf(frame, key));
      if (frame.copy && frame.keys) {
        if (copy !== undefined) frame.copy[key] = copy;
      } else if (frame.copy) {
        frame.copy[key] = copy === undefined ? null : copy;
      }
    }
  }
  if (deepField !== null) {
    const depth = endless ? `more than ${maxNesting} levels deep, without end (it contains itself)` : `${deepest} levels deep`;
    throw new InitscopeError(fieldMessage(deepField,
      `${noun} nests arrays and objects ${depth}; at most ${maxNesting} levels are allowed`), deepField);
  }
  if (problem) throw problem;
  return JSON.stringify(result);
}

// Bytes of UTF-8 in `text` (a lone surrogate counts 3, as it is encoded for the engine).
function utf8Bytes(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; ++i) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes += 1;
    } else if (c < 0x800) {
      bytes += 2;
    } else if ((c & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;  // a surrogate pair: one character past U+FFFF
      ++i;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

// Text longer than the engine reads is refused here, before it is copied into wasm memory
// (where a copy that does not fit would abort the module).
function checkSize(text, field, noun, limits) {
  if (text.length * 3 <= limits.inputBytes) return text;  // fits whatever its characters
  const bytes = utf8Bytes(text);
  if (bytes > limits.inputBytes) {
    throw new InitscopeError(fieldMessage(field, `${noun} is ${bytes} bytes long; at most ${limits.inputBytes} bytes are allowed`), field);
  }
  return text;
}

function configText(config, limits) {
  if (typeof config === 'string') return checkSize(config, '', 'the config', limits);
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InitscopeError(
      `the config must be an object or a JSON string, got ${config === null ? 'null' : Array.isArray(config) ? 'an array' : typeof config === 'function' ? 'a function' : `${typeof config} ${show(config)}`}`);
  }
  const text = jsonText(config, '', 'the config', limits.nesting);
  if (text === undefined) throw new InitscopeError('the config must be an object or a JSON string, got nothing (from its toJSON())');
  return checkSize(text, '', 'the config', limits);
}

function checkInteger(value, name, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InitscopeError(`${name}: ${show(value)} is not allowed; expected an integer from ${min} to ${max}`, name);
  }
}

// An options object of integer keys, each defaulting to and bounded by its limit row:
// keys maps an option's name to its row's.
function integerOptions(options, keys, limits, example) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InitscopeError(`options: ${show(options)} is not allowed; expected an object like ${example}`, 'options');
  }
  const names = Object.keys(keys);
  for (const key of Object.keys(options)) {
    if (!(key in keys)) {
      const expected = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
      throw new InitscopeError(`options.${key} is not allowed; expected ${expected}`, `options.${key}`);
    }
  }
  const values = {};
  for (const [key, row] of Object.entries(keys)) {
    const { min, max } = limits[row];
    const value = options[key] ?? limits[row].default;
    checkInteger(value, key, min, max);
    values[key] = value;
  }
  return values;
}

// Mean-field arguments: the engine checks ranges; JS checks that a number was given.
function checkNumber(value, name, allowed) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InitscopeError(`${name}: ${show(value)} is not allowed; expected ${allowed}`, name);
  }
}

function activationText(activation, limits) {
  if (typeof activation === 'string') return checkSize(JSON.stringify(activation), 'activation', 'the activation', limits);
  if (activation && typeof activation === 'object' && !Array.isArray(activation)) {
    const text = jsonText(activation, 'activation', 'the activation', limits.nesting);
    if (text !== undefined) return checkSize(text, 'activation', 'the activation', limits);
  }
  throw new InitscopeError(
    `activation: ${show(activation)} is not allowed; expected an activation name or { name, alpha }`,
    'activation');
}

function initText(init, limits) {
  if (typeof init === 'string') return checkSize(JSON.stringify(init), 'init', 'the initializer', limits);
  if (init && typeof init === 'object' && !Array.isArray(init)) {
    const text = jsonText(init, 'init', 'the initializer', limits.nesting);
    if (text !== undefined) return checkSize(text, 'init', 'the initializer', limits);
  }
  throw new InitscopeError(`init: ${show(init)} is not allowed; expected an initializer name or { name, ...params }`, 'init');
}

function dataText(data, limits) {
  if (typeof data === 'string') return checkSize(JSON.stringify(data), 'data', 'the data', limits);
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const text = jsonText(data, 'data', 'the data', limits.nesting);
    if (text !== undefined) return checkSize(text, 'data', 'the data', limits);
  }
  throw new InitscopeError(`data: ${show(data)} is not allowed; expected a data set name or { name, ...params }`, 'data');
}

// A block's tensor as weights() names it: W2, b2, alpha, normGain for norm.gain.
const tensorKey = (name) => name.replace(/\.(\w)/g, (_, c) => c.toUpperCase());
const sizeOf = (shape) => shape.reduce((n, d) => n * d, 1);

// W or b of one layer for setWeights: an array of numbers or a typed array of numbers of
// the layer's size (checked before anything is written).
function checkNumbers(values, field, count, shape) {
  const numbers = `${count} ${count === 1 ? 'number' : 'numbers'}${shape}`;
  const numeric = Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView) &&
    !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array));
  if (values === undefined || values === null) {
    throw new InitscopeError(`${field}: no array given; expected ${numbers}`, field);
  }
  if (!numeric) {
    const given = ArrayBuffer.isView(values) ? `a ${values.constructor.name}` : show(values);
    throw new InitscopeError(`${field}: ${given} given; expected ${numbers} in an array or a Float32Array`, field);
  }
  if (values.length !== count) {
    throw new InitscopeError(`${field}: ${values.length} values given; expected ${numbers}`, field);
  }
  if (Array.isArray(values)) {
    for (let i = 0; i < count; ++i) {
      if (typeof values[i] !== 'number') {
        throw new InitscopeError(`${field}: element ${i} is ${show(values[i])}; expected ${numbers}`, field);
      }
    }
  }
}

// createRun's options → the state's JSON text, or undefined without one.
function restoreText(options, limits) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InitscopeError(`options: ${show(options)} is not allowed; expected an object { state }`, 'options');
  }
  const { state } = options;
  if (state === undefined || state === null) return undefined;
  if (typeof state === 'string') return checkSize(state, 'state', 'the state', limits);
  if (typeof state !== 'object' || Array.isArray(state)) {
    throw new InitscopeError(`state: ${show(state)} is not allowed; expected the object run.exportState() gives`, 'state');
  }
  return checkSize(jsonText(state, 'state', 'the state', limits.nesting), 'state', 'the state', limits);
}

const QUANTITIES = ['z', 'a', 'dz', 'w', 'dw'];

/** One training run. Holds wasm memory: call dispose() when done. */
class Run {
  #handle;
  #module;
  #limits;

  /** `limits`: the schema's limits rows (schema.limits), what step and decisionGrid allow. */
  constructor(module, handle, limits) {
    this.#module = module;
    this.#handle = handle;
    this.#limits = limits;
  }

  #live() {
    if (!this.#handle) throw new InitscopeError('this run was disposed; create a new one with lab.createRun(config)');
    return this.#handle;
  }

  /** The full config the run uses, defaults filled in. */
  get config() { return guard(() => answer(this.#live()._config())); }

  /** n optimizer steps (default 1) → { step, loss, diverged: null | { step, layer, quantity } }. */
  step(n = this.#limits.stepsPerCall.default) {
    return guard(() => {
      const { min, max } = this.#limits.stepsPerCall;
      checkInteger(n, 'n', min, max);
      return answer(this.#live()._step(n));
    });
  }

  /** → { trainLoss, trainAccuracy, testLoss, testAccuracy } over the whole sets. */
  evaluate() { return guard(() => answer(this.#live()._evaluate())); }

  /**
   * The coordinate check's numbers on the probe batch, one entry per layer:
   * { z, a, zChange, aChange }: mean |z| and mean |a| over the layer's entries now, and the
   * mean |z − z₀|, |a − a₀| against the initial weights' z₀, a₀.
   */
  coordinates() { return guard(() => answer(this.#live()._coordinates())); }

  /**
   * Per-layer statistics on the fixed probe batch, theory, loss history. Each layer has
   * z, a, dz, w, dw summaries { mean, std, min, max, rms, count, nonfinite,
   * histogram: { lo, hi, counts: Float32Array, underflow, overflow } }.
   */
  snapshot() {
    return guard(() => {
      const handle = this.#live();
      const snapshot = answer(handle._snapshot());
      const counts = handle._histogramView().slice();
      // As the JSON had them: plain arrays, NaN and ±Inf as null.
      snapshot.history = {
        step: Array.from(handle._historyStepView()),
        loss: Array.from(handle._historyLossView(), (v) => (Number.isFinite(v) ? v : null)),
      };
      const bins = snapshot.bins;
      let offset = 0;
      for (const layer of snapshot.layers) {
        for (const q of QUANTITIES) {
          layer[q].histogram.counts = counts.subarray(offset, offset + bins);
          offset += bins;
        }
      }
      return snapshot;
    });
  }

  /**
   * Model output over resolution² points of [-extent, extent]² (raw data coordinates,
   * default: the data set's extent), row by row from the top left: P(class 1) for one
   * output unit, else the predicted class.
   */
  decisionGrid(resolution = this.#limits.gridResolution.default, extent = 0) {
    return guard(() => {
      const { gridResolution, gridExtent } = this.#limits;
      checkInteger(resolution, 'resolution', gridResolution.min, gridResolution.max);
      if (typeof extent !== 'number' || !Number.isFinite(extent) || extent < 0 || extent > gridExtent.max) {
        throw new InitscopeError(
          `extent: ${show(extent)} is not allowed; ` +
          `expected ${gridExtent.allowed}, or 0 for the data set's own extent`, 'extent');
      }
      const handle = this.#live();
      answer(handle._decisionGrid(resolution, extent));
      return handle._gridView().slice();
    });
  }

  /**
   * Input gradients along a line of inputs, layer by layer (the shattered-gradients view,
   * Balduzzi et al. 2017): options { points, axis, seed } (limits gradientPoints,
   * gradientAxis, gradientSeed) → { axis, centre, positions, correlation, gradients }.
   * The line runs along input column `axis` through the training rows' mean, from the
   * column's smallest to its largest training value, in the network's input coordinates;
   * per layer l, gradients[l][i] is the derivative along the line of u_l · a_l at point i
   * (u_l a seeded unit-norm random projection) and correlation[l] the Pearson correlation
   * of neighbouring points' gradients. The run is left as it was.
   */
  gradientLine(options = {}) {
    return guard(() => {
      if (options === null || typeof options !== 'object' || Array.isArray(options)) {
        throw new InitscopeError(`options: ${show(options)} is not allowed; expected an object like { points: 256 }`, 'options');
      }
      const keys = { points: 'gradientPoints', axis: 'gradientAxis', seed: 'gradientSeed' };
      const values = integerOptions(options, keys, this.#limits, '{ points: 256 }');
      return answer(this.#live()._gradientLine(values.points, values.axis, values.seed));
    });
  }

  /**
   * The input-output Jacobian's spectrum (Pennington, Schoenholz & Ganguli 2017): options
   * { probes, bins } (limits jacobianProbes, jacobianBins) → { layers, units, inputs,
   * singularValues, chi, chiPerLayer, variance, min, max, histogram }. J = ∂a/∂x of the
   * last hidden layer's output a with respect to the input x (the hidden stack, as the
   * paper defines it; the output layer is not part of it), at each of the first `probes`
   * training rows; singularValues[p] its singular values, largest first. The run is left
   * as it was.
   */
  jacobianSpectrum(options = {}) {
    return guard(() => {
      const keys = { probes: 'jacobianProbes', bins: 'jacobianBins' };
      const values = integerOptions(options, keys, this.#limits, '{ probes: 8 }');
      return answer(this.#live()._jacobianSpectrum(values.probes, values.bins));
    });
  }

  /**
   * The model's predicted class for every row of the 'test' (default) or 'train' set, in
   * dataset() order (argmax of the outputs; output > 0.5 for one unit), and the confusion
   * matrix counts[true][predicted] → { predicted: Int32Array, confusion: number[][] }.
   */
  predict(which = 'test') {
    return guard(() => {
      if (which !== 'test' && which !== 'train') {
        throw new InitscopeError(`which: ${show(which)} is not allowed; expected "test" or "train"`, 'which');
      }
      const handle = this.#live();
      const { confusion } = answer(handle._predict(which === 'test'));
      return { predicted: handle._predictedView().slice(), confusion };
    });
  }

  /**
   * → [{ W: Float32Array, shape: [fanIn, fanOut], b: Float32Array }]; W is row-major
   * (fan_in, fan_out). A layer of another kind gives its first two tensors (LayerNorm,
   * BatchNorm: gain as W, shape [fanOut], and shift as b; a residual block: W1 as W,
   * shape [width, hidden], and b1 as b) and a block its further tensors, those it has:
   * W2 (hidden, width, row-major), b2, alpha (a trainable gate, one value), normGain and
   * normShift (its norm); a BatchNorm layer, or a block's BatchNorm, also its running
   * averages as running (its running mean, then its running variance).
   */
  weights() {
    return guard(() => {
      const handle = this.#live();
      const layout = answer(handle._weightLayout());
      const params = handle._paramsView().slice();
      const running = layout.some((l) => l.runningSize) ? handle._runningView().slice() : null;
      return layout.map(({ fanIn, fanOut, wOffset, bOffset, wShape, bShape, tensors, runningOffset, runningSize }) => {
        const shape = wShape ?? [fanIn, fanOut];
        const layer = {
          W: params.slice(wOffset, wOffset + shape.reduce((n, d) => n * d, 1)),
          shape,
          b: params.slice(bOffset, bOffset + (bShape?.[0] ?? fanOut)),
        };
        for (const t of (tensors ?? []).slice(2)) layer[tensorKey(t.name)] = params.slice(t.offset, t.offset + sizeOf(t.shape));
        if (runningSize) layer.running = running.slice(runningOffset, runningOffset + runningSize);
        return layer;
      });
    });
  }

  /**
   * Sets every layer's W and b (the shapes of weights()) and a BatchNorm layer's running
   * averages when given (running; fresh ones, mean 0 and variance 1, when not); they become
   * the reset() point.
   * Every layer is checked before the engine is asked for room, and the engine sizes that
   * room from the network, never from what is given.
   */
  setWeights(layers) {
    return guard(() => {
      const handle = this.#live();
      const layout = answer(handle._weightLayout());
      if (!Array.isArray(layers) || layers.length !== layout.length) {
        const given = Array.isArray(layers) ? `${layers.length} layers` : show(layers);
        throw new InitscopeError(
          `weights: ${given} given; expected an array of ${layout.length} layers ({ W, b } each, as weights() returns)`, 'weights');
      }
      const values = layout.map(({ fanIn, fanOut, wShape, bShape, tensors, runningSize }, i) => {
        const path = `weights[${i}]`;
        let W;
        let b;
        let running;
        let more;
        const further = (tensors ?? []).slice(2);
        try {
          ({ W, b, running } = layers[i] ?? {});
          more = further.map((t) => layers[i][tensorKey(t.name)]);
        } catch (err) {
          throw new InitscopeError(`${path}: reading it threw ${show(err?.message ?? err)}; expected { W, b }`, path);
        }
        if (wShape) checkNumbers(W, `${path}.W`, sizeOf(wShape), ` (${wShape.join(' x ')})`);
        else checkNumbers(W, `${path}.W`, fanIn * fanOut, ` (fan_in ${fanIn} x fan_out ${fanOut}, row-major)`);
        checkNumbers(b, `${path}.b`, bShape?.[0] ?? fanOut, '');
        further.forEach((t, k) => checkNumbers(more[k], `${path}.${tensorKey(t.name)}`, sizeOf(t.shape),
          t.shape.length === 2 ? ` (${t.shape.join(' x ')}, row-major)` : ''));
        if (running == null || !runningSize) return { W, b, more };
        checkNumbers(running, `${path}.running`, runningSize, ' (running mean, then running variance)');
        return { W, b, more, running };
      });
      answer(handle._stageWeights());
      // A view is valid until the next call into wasm: each is filled as soon as it is made.
      values.forEach(({ W, b, more, running }, i) => {
        handle._stagingView(i, 0).set(W);
        handle._stagingView(i, 1).set(b);
        // A block's further tensors, one after another in the block's order.
        let at = 0;
        for (const values of more) {
          handle._stagingView(i, 3).set(values, at);
          at += values.length;
        }
        if (running) handle._stagingView(i, 2).set(running);
      });
      answer(handle._commitWeights());
    });
  }

  /** The data set as the network sees it, with the normalization to get raw coordinates back. */
  dataset() {
    return guard(() => {
      const handle = this.#live();
      const info = answer(handle._datasetInfo());
      return {
        ...info,
        xTrain: handle._xView(false).slice(),
        yTrain: handle._yView(false).slice(),
        xTest: handle._xView(true).slice(),
        yTest: handle._yView(true).slice(),
      };
    });
  }

  // ---- the exact run out (core/src/run_state.cpp) ----

  /**
   * The training rows (indices into dataset().xTrain) each of `steps` steps trains on, in
   * the order the step reads them → { batch, rows: Uint32Array(steps × batch) }: those of
   * the next steps, or with fromStart those of steps 1 to `steps` of the run afresh. A full
   * batch is every row in order. Draws from copies: training goes on as it would have.
   */
  minibatchOrder(steps, { fromStart = false } = {}) {
    return guard(() => {
      checkInteger(steps, 'steps', 0, 1000000);
      const handle = this.#live();
      const { batch } = answer(handle._minibatchRows(steps, Boolean(fromStart)));
      const rows = handle._rowsView().slice();
      handle._freeRows();
      return { batch, rows };
    });
  }

  /**
   * Everything training continues from, as a plain object (arrays as base64 of their bytes):
   * lab.createRun(run.config, { state }) continues from it bit for bit.
   */
  exportState() { return guard(() => answer(this.#live()._state())); }

  /** Back to the same initial weights, a fresh optimizer and history. */
  reset() { guard(() => this.#live()._reset()); }

  /** New initial weights drawn with another seed. */
  reinitialize(seed) {
    guard(() => {
      checkInteger(seed, 'seed', 0, 2147483647);
      this.#live()._reinitialize(seed);
    });
  }

  /** Frees the run's wasm memory; later calls throw. Safe to call twice. */
  dispose() {
    guard(() => {
      if (this.#handle) this.#handle.delete();
      this.#handle = null;
    });
  }

  get disposed() { return this.#handle === null; }
}

// loadInitscope's options, checked before anything is fetched.
function checkLoadOptions(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InitscopeError(`options: ${show(options)} is not allowed; expected an object { wasmUrl, wasmBinary }`, 'options');
  }
  const { wasmUrl, wasmBinary } = options;
  if (wasmUrl !== undefined && typeof wasmUrl !== 'string' && !(wasmUrl instanceof URL)) {
    throw new InitscopeError(`wasmUrl: ${show(wasmUrl)} is not allowed; expected a URL or a string`, 'wasmUrl');
  }
  if (wasmBinary !== undefined && !(wasmBinary instanceof ArrayBuffer) && !ArrayBuffer.isView(wasmBinary)) {
    throw new InitscopeError(`wasmBinary: ${show(wasmBinary)} is not allowed; expected an ArrayBuffer or a Uint8Array`, 'wasmBinary');
  }
}

/**
 * Loads the module and returns the lab.
 * @param {{ wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array }} [options]
 */
export async function loadInitscope(options = {}) {
  checkLoadOptions(options);
  let module;
  try {
    module = await instantiate(options);
  } catch (err) {
    const field = options.wasmBinary ? 'wasmBinary' : 'wasmUrl';
    const from = options.wasmBinary ? 'the bytes given' : String(options.wasmUrl ?? defaultWasmUrl);
    const error = new InitscopeError(`${field}: the module could not be loaded from ${cutText(from, 200)}: ${err?.message ?? show(err)}`, field);
    error.cause = err;
    throw error;
  }
  const schema = JSON.parse(module._schema());
  // What the engine reads, from its schema: nesting levels and bytes of text.
  const limits = { nesting: schema.config.nesting.max, inputBytes: schema.config.inputBytes.max };
  return {
    /** The engine's version, as compiled in. */
    version: module._version(),
    /** Every option with its type, default, range and formula (a fresh copy each call). */
    schema: () => structuredClone(schema),
    /** Every initializer name, in the table's order. */
    initializerNames: schema.initializers.map((i) => i.name),
    /** The initializer rows: name, framework, formula, doc, params. */
    initializers: schema.initializers,
    /**
     * Makes a run from a config object (or JSON text); throws InitscopeError if invalid.
     * options.state: a run.exportState() of a run of this config, to continue from.
     */
    createRun(config = {}, options = {}) {
      return guard(() => {
        const state = restoreText(options, limits);
        const handle = new module._Run(configText(config, limits));
        const error = handle._error();
        if (error) {
          handle.delete();
          answer(error);
        }
        if (state !== undefined) {
          const refused = handle._restoreState(state);
          if (refused !== '{}') {
            handle.delete();
            answer(refused);
          }
        }
        return new Run(module, handle, schema.limits);
      });
    },
    /**
     * Mean-field signal propagation of one activation at (σ²_w, σ²_b): the fixed point q*,
     * χ₁, the phase and the depth scales (see core/include/initscope/mean_field.hpp).
     */
    meanField(activation, sigmaW2, sigmaB2 = 0) {
      return guard(() => {
        const name = activationText(activation, limits);
        checkNumber(sigmaW2, 'sigmaW2', 'a number > 0 and <= 10000');
        checkNumber(sigmaB2, 'sigmaB2', 'a number from 0 to 10000');
        return answer(module._meanField(name, sigmaW2, sigmaB2));
      });
    },
    /** The σ²_w where χ₁ = 1 (the order/chaos boundary) for an activation and σ²_b. */
    orderChaosBoundary(activation, sigmaB2 = 0) {
      return guard(() => {
        const name = activationText(activation, limits);
        checkNumber(sigmaB2, 'sigmaB2', 'a number from 0 to 10000');
        return answer(module._orderChaosBoundary(name, sigmaB2));
      });
    },
    /**
     * The variance_scaling initializer that draws the same weights as `init` (a name or an
     * object): { name: 'variance_scaling', scale, mode, distribution }, or null when `init`
     * is not a variance scaling (its variance does not follow the layer's fans).
     */
    varianceScaling(init) {
      return guard(() => answer(module._varianceScaling(initText(init, limits))).init);
    },
    /**
     * What a config's `data` (a set name or an object, e.g. { name: 'custom', csv }) builds,
     * without a network: { name, inputDim, numClasses, is2d, extent, train, test,
     * featureNames, classNames } (names: a custom set's; [] otherwise). Throws
     * InitscopeError as createRun would for the same data (field 'data.csv' for the CSV).
     */
    describeData(data) {
      return guard(() => answer(module._describeData(dataText(data, limits))).data);
    },
    /** Bytes of wasm heap in use (malloc'd and not freed), for memory checks. */
    heapInUse: () => module._heapInUse(),
    /** Size of the wasm memory in bytes (it only grows). */
    memoryBytes: () => module.HEAP8.buffer.byteLength,
  };
}

export default loadInitscope;

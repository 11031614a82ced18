// The JS API of initscope: loads the WebAssembly module in Node (>= 18) and in the
// browser and wraps the raw Embind names (`_…`) into plain JS values. Everything else
// (page, worker, CLI, tests) goes through this file, never the raw module.
//
//   import { loadInitscope } from 'initscope';
//   const lab = await loadInitscope();            // or { wasmUrl } / { wasmBinary }
//   const run = lab.createRun({ data: { name: 'circles' }, init: { name: 'he_normal' } });
//   run.step(100);                                // { step, loss, diverged }
//   run.snapshot().layers[0].a.std;
//   run.dispose();
//
// Engine errors arrive as values and are thrown here as InitscopeError. Typed views
// over wasm memory are copied before they are returned: memory growth would detach them.

import createInitscopeModule from './dist/initscope.mjs';
import { InitscopeError } from './errors.mjs';
import { PRESETS } from './presets.mjs';

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

// Parses the engine's JSON answer and throws its error, if it is one.
function answer(text) {
  const value = JSON.parse(text);
  if (value && typeof value === 'object' && value.error) {
    throw new InitscopeError(value.error.message, value.error.field);
  }
  return value;
}

function configText(config) {
  if (typeof config === 'string') return config;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InitscopeError(
      `the config must be an object or a JSON string, got ${config === null ? 'null' : Array.isArray(config) ? 'an array' : typeof config}`);
  }
  return JSON.stringify(config);
}

function checkInteger(value, name, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InitscopeError(
      `${name}: ${JSON.stringify(value) ?? String(value)} is not allowed; expected an integer from ${min} to ${max}`,
      name);
  }
}

// Mean-field arguments: the engine checks ranges; JS checks that a number was given.
function checkNumber(value, name, allowed) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InitscopeError(
      `${name}: ${typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value)} is not allowed; expected ${allowed}`,
      name);
  }
}

function activationText(activation) {
  if (typeof activation === 'string' || (activation && typeof activation === 'object' && !Array.isArray(activation))) {
    return JSON.stringify(activation);
  }
  throw new InitscopeError(
    `activation: ${JSON.stringify(activation) ?? String(activation)} is not allowed; expected an activation name or { name, alpha }`,
    'activation');
}

const QUANTITIES = ['z', 'a', 'dz', 'w', 'dw'];

/** One training run. Holds wasm memory: call dispose() when done. */
class Run {
  #handle;
  #module;

  constructor(module, handle) {
    this.#module = module;
    this.#handle = handle;
  }

  #live() {
    if (!this.#handle) throw new InitscopeError('this run was disposed; create a new one with lab.createRun(config)');
    return this.#handle;
  }

  /** The full config the run uses, defaults filled in. */
  get config() { return answer(this.#live()._config()); }

  /** n optimizer steps (default 1) → { step, loss, diverged: null | { step, layer, quantity } }. */
  step(n = 1) {
    checkInteger(n, 'n', 0, 1000000);
    return answer(this.#live()._step(n));
  }

  /** → { trainLoss, trainAccuracy, testLoss, testAccuracy } over the whole sets. */
  evaluate() { return answer(this.#live()._evaluate()); }

  /**
   * Per-layer statistics on the fixed probe batch, theory, loss history. Each layer has
   * z, a, dz, w, dw summaries { mean, std, min, max, rms, count, nonfinite,
   * histogram: { lo, hi, counts: Float32Array, underflow, overflow } }.
   */
  snapshot() {
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
  }

  /**
   * Model output over resolution² points of [-extent, extent]² (raw data coordinates,
   * default: the data set's extent), row by row from the top left: P(class 1) for one
   * output unit, else the predicted class.
   */
  decisionGrid(resolution = 64, extent = 0) {
    checkInteger(resolution, 'resolution', 2, 512);
    if (typeof extent !== 'number' || !Number.isFinite(extent) || extent < 0 || extent > 1e6) {
      throw new InitscopeError(
        `extent: ${typeof extent === 'string' ? JSON.stringify(extent) : String(extent)} is not allowed; ` +
        'expected a number > 0 and <= 1e6, or 0 for the data set\'s own extent', 'extent');
    }
    const handle = this.#live();
    answer(handle._decisionGrid(resolution, extent));
    return handle._gridView().slice();
  }

  /**
   * The model's predicted class for every row of the 'test' (default) or 'train' set, in
   * dataset() order (argmax of the outputs; output > 0.5 for one unit), and the confusion
   * matrix counts[true][predicted] → { predicted: Int32Array, confusion: number[][] }.
   */
  predict(which = 'test') {
    if (which !== 'test' && which !== 'train') {
      throw new InitscopeError(`which: ${JSON.stringify(which)} is not allowed; expected "test" or "train"`, 'which');
    }
    const handle = this.#live();
    const { confusion } = answer(handle._predict(which === 'test'));
    return { predicted: handle._predictedView().slice(), confusion };
  }

  /** → [{ W: Float32Array, shape: [fanIn, fanOut], b: Float32Array }]; W is row-major (fan_in, fan_out). */
  weights() {
    const handle = this.#live();
    const layout = answer(handle._weightLayout());
    const params = handle._paramsView().slice();
    return layout.map(({ fanIn, fanOut, wOffset, bOffset }) => ({
      W: params.slice(wOffset, wOffset + fanIn * fanOut),
      shape: [fanIn, fanOut],
      b: params.slice(bOffset, bOffset + fanOut),
    }));
  }

  /** Sets every layer's W and b (the shapes of weights()); they become the reset() point. */
  setWeights(layers) {
    const handle = this.#live();
    const layout = answer(handle._weightLayout());
    if (!Array.isArray(layers) || layers.length !== layout.length) {
      const given = Array.isArray(layers) ? `${layers.length} layers given` : `${layers === null ? 'null' : typeof layers} given`;
      throw new InitscopeError(
        `weights: ${given}; expected an array of ${layout.length} layers ({ W, b } each, as weights() returns)`, 'weights');
    }
    const total = layout.reduce((n, l) => n + l.fanIn * l.fanOut + l.fanOut, 0);
    const staging = handle._stagingView(total);  // valid until the next call into wasm
    layout.forEach(({ fanIn, fanOut, wOffset, bOffset }, i) => {
      const { W, b } = layers[i] ?? {};
      const path = `weights[${i}]`;
      const count = (v) => (v && typeof v.length === 'number' ? `${v.length} values given` : 'no array given');
      const numbers = (n) => `${n} ${n === 1 ? 'number' : 'numbers'}`;
      if (!W || typeof W.length !== 'number' || W.length !== fanIn * fanOut) {
        throw new InitscopeError(
          `${path}.W: ${count(W)}; expected ${numbers(fanIn * fanOut)} (fan_in ${fanIn} x fan_out ${fanOut}, row-major)`,
          `${path}.W`);
      }
      if (!b || typeof b.length !== 'number' || b.length !== fanOut) {
        throw new InitscopeError(`${path}.b: ${count(b)}; expected ${numbers(fanOut)}`, `${path}.b`);
      }
      staging.set(W, wOffset);
      staging.set(b, bOffset);
    });
    answer(handle._commitWeights());
  }

  /** The data set as the network sees it, with the normalization to get raw coordinates back. */
  dataset() {
    const handle = this.#live();
    const info = answer(handle._datasetInfo());
    return {
      ...info,
      xTrain: handle._xView(false).slice(),
      yTrain: handle._yView(false).slice(),
      xTest: handle._xView(true).slice(),
      yTest: handle._yView(true).slice(),
    };
  }

  /** Back to the same initial weights, a fresh optimizer and history. */
  reset() { this.#live()._reset(); }

  /** New initial weights drawn with another seed. */
  reinitialize(seed) {
    checkInteger(seed, 'seed', 0, 2147483647);
    this.#live()._reinitialize(seed);
  }

  /** Frees the run's wasm memory; later calls throw. Safe to call twice. */
  dispose() {
    if (this.#handle) this.#handle.delete();
    this.#handle = null;
  }

  get disposed() { return this.#handle === null; }
}

/**
 * Loads the module and returns the lab.
 * @param {{ wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array }} [options]
 */
export async function loadInitscope(options = {}) {
  const module = await instantiate(options);
  const schema = JSON.parse(module._schema());
  return {
    /** The engine's version, as compiled in. */
    version: module._version(),
    /** Every option with its type, default, range and formula (a fresh copy each call). */
    schema: () => structuredClone(schema),
    /** Every initializer name, in the table's order. */
    initializerNames: schema.initializers.map((i) => i.name),
    /** The initializer rows: name, framework, formula, doc, params. */
    initializers: schema.initializers,
    /** Makes a run from a config object (or JSON text); throws InitscopeError if invalid. */
    createRun(config = {}) {
      const handle = new module._Run(configText(config));
      const error = handle._error();
      if (error) {
        handle.delete();
        answer(error);
      }
      return new Run(module, handle);
    },
    /**
     * Mean-field signal propagation of one activation at (σ²_w, σ²_b): the fixed point q*,
     * χ₁, the phase and the depth scales (see core/include/initscope/mean_field.hpp).
     */
    meanField(activation, sigmaW2, sigmaB2 = 0) {
      const name = activationText(activation);
      checkNumber(sigmaW2, 'sigmaW2', 'a number > 0 and <= 10000');
      checkNumber(sigmaB2, 'sigmaB2', 'a number from 0 to 10000');
      return answer(module._meanField(name, sigmaW2, sigmaB2));
    },
    /** The σ²_w where χ₁ = 1 (the order/chaos boundary) for an activation and σ²_b. */
    orderChaosBoundary(activation, sigmaB2 = 0) {
      const name = activationText(activation);
      checkNumber(sigmaB2, 'sigmaB2', 'a number from 0 to 10000');
      return answer(module._orderChaosBoundary(name, sigmaB2));
    },
    /** The presets (wasm/presets.mjs): plain data, a fresh copy each call. */
    presets: () => structuredClone(PRESETS),
    /** Bytes of wasm heap in use (malloc'd and not freed), for memory checks. */
    heapInUse: () => module._heapInUse(),
    /** Size of the wasm memory in bytes (it only grows). */
    memoryBytes: () => module.HEAP8.buffer.byteLength,
  };
}

export default loadInitscope;

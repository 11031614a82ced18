// Types of the initscope JS API (wasm/initscope.mjs), written by hand to document the API
// exactly as implemented. tests/wasm/types.test.mjs checks that the names below match the
// engine's schema and that every method declared here exists.
//
//   import { loadInitscope, InitscopeError } from 'initscope';
//   const lab = await loadInitscope();
//   const run = lab.createRun({ data: 'circles', init: 'he_normal' });
//   run.step(100);                      // { step: 100, loss, diverged: null }
//   run.snapshot().layers[0].a.std;
//   run.dispose();
//
// Conventions:
// - Weights are (fan_in, fan_out), row-major, as in Keras: W[i * fanOut + j] is the weight
//   from input i to unit j; b has fanOut entries.
// - Every array returned is a copy: it stays valid after later calls, after memory growth
//   and after dispose().
// - Numbers that come through the engine's JSON are `number | null` where the engine's
//   value can be NaN or ±Infinity (JSON has no such numbers; they arrive as null), e.g.
//   losses once a run has diverged. Typed arrays (weights, grid, data) hold the raw floats.
// - Every failure of the API throws InitscopeError, whatever the input (text of any length
//   or script, NaN, BigInt, symbols, cycles, 10^5 levels of nesting); `field` names the
//   offending field or argument. Nothing else is thrown, and the lab stays usable.

/** Where the .wasm comes from. Default: `./dist/initscope.wasm` beside initscope.mjs. */
export interface LoadOptions {
  /** URL (http(s), file:, data:, blob:) or, in Node, a file path of initscope.wasm. */
  wasmUrl?: string | URL;
  /** The bytes of initscope.wasm; wins over wasmUrl. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/**
 * Loads the WebAssembly module (Node >= 18 or a browser/worker) and returns the lab.
 * @throws InitscopeError (rejects) fields "options" (not an object), "wasmUrl" (not a URL
 *   or string, or nothing loadable there), "wasmBinary" (not bytes, or not the module).
 */
export function loadInitscope(options?: LoadOptions): Promise<Lab>;
export default loadInitscope;

/**
 * An invalid config or argument, or a call on a disposed run: the one error the API
 * throws. `message` names the field, the value as it was given and what is allowed, e.g.
 * `layers[0].units: 0 is not allowed; expected an integer from 1 to 1024`,
 * `n: NaN is not allowed; expected an integer from 0 to 1000000` (the range of
 * `schema().limits.stepsPerCall`),
 * `optimizer.lr: 1e309 is not allowed; expected a finite number (JSON numbers reach about 1.8e308)`.
 * A value is shown up to 60 bytes of UTF-8, cut between characters and ending in "...";
 * the message is always valid text.
 *
 * Size: the JSON text of a config or an activation (given as text, or what a JS value
 * serializes to) takes at most `schema().config.inputBytes.max` bytes of UTF-8 (40 MiB,
 * so that a custom data set's CSV of the most rows and columns fits):
 * `the config is 41943050 bytes long; at most 41943040 bytes are allowed` (field "" or
 * "activation"), refused before it is copied into the engine; and it holds at most
 * `schema().config.values.max` values (65536 numbers, strings, arrays and objects; a CSV is
 * one string), refused before it is parsed, which bounds the memory the parsed text takes.
 *
 * Nesting: JSON text and JS values nest at most `schema().config.nesting.max` (32) levels
 * of arrays and objects, the config (or activation) itself being level 1. Deeper input is
 * refused before it is parsed or serialized, with the depth found:
 * `layers: the config nests arrays and objects 10002 levels deep; at most 32 levels are allowed`
 * (field: the config's top-level member holding the deep value, "" for text that is an
 * array). A config given as a JS value is checked as JSON.stringify would see it (toJSON()
 * applied; undefined members left out) and refuses what JSON cannot carry: NaN and
 * ±Infinity (JSON.stringify would write null), BigInt, functions, symbols, circular
 * structures, a toJSON() or getter that throws.
 *
 * If the engine itself ever failed (a trap, which would be a defect), that too arrives as
 * an InitscopeError, field "", with the original error as `cause`.
 */
export class InitscopeError extends Error {
  constructor(message: string, field?: string);
  readonly name: 'InitscopeError';
  /**
   * Path of the offending field: "layers[0].units", "optimizer.lr", "data.name",
   * "init.stddev", "n" (step), "resolution"/"extent" (decisionGrid), "seed"
   * (reinitialize), "weights", "weights[1].W" (setWeights), "activation", "sigmaW2"
   * (meanField)... For text that is not JSON, the field being read where it fails ("seed"
   * for `{"seed": `). "" when no single field is to blame (a config that is not an
   * object, text that fails outside any field, a disposed run).
   */
  readonly field: string;
}

export interface Lab {
  /** The engine's version, as compiled in (the package version). */
  readonly version: string;
  /** Every option with its type, default, range and formula; a fresh copy each call. */
  schema(): Schema;
  /** Every initializer name, in the table's order. */
  readonly initializerNames: InitializerName[];
  /** The initializer rows (the same objects as schema().initializers, not copied). */
  readonly initializers: InitializerSchema[];
  /**
   * Makes a run from a config (missing keys take defaults) or its JSON text.
   * @throws InitscopeError if the text is not JSON (field: where it fails; message: line,
   *   column and why), is longer than 4 MiB or nests too deep, the config is not an object or holds what JSON
   *   cannot (see InitscopeError), or any field is invalid (unknown key or name, out of
   *   range, wrong type, a number JSON cannot hold such as 1e309, an output layer that
   *   does not fit the data set and loss, a network over 1.5 GiB or over the memory left).
   *   With options.state (a run.exportState() of a run of this config): fields "options",
   *   "state" (not an object, over 4 MiB), "state.<key>" (a state of another network or
   *   data size, a value out of range); the run is not made.
   */
  createRun(config?: Config | string, options?: { state?: RunState | string | null }): Run;
  /**
   * Mean-field signal propagation of one activation in a wide random network with weights
   * N(0, sigmaW2/n) and biases N(0, sigmaB2) (Poole et al. 2016, Schoenholz et al. 2017):
   * the fixed point q*, χ₁, the phase and the depth scales.
   * @throws InitscopeError fields "activation" (unknown, or softmax; "activation.alpha"
   *   and the like for the object form, nested at most as deep as a config),
   *   "sigmaW2" (a number > 0 and <= 10000), "sigmaB2" (a number from 0 to 10000; default 0).
   */
  meanField(activation: ActivationSpec, sigmaW2: number, sigmaB2?: number): MeanField;
  /**
   * The σ²_w at which χ₁ = 1 (the order/chaos boundary) for this activation and σ²_b:
   * tanh and linear at σ²_b = 0: 1; relu: 2; tanh at σ²_b = 0.05: 1.761.
   * @throws InitscopeError fields "activation", "sigmaB2".
   */
  orderChaosBoundary(activation: ActivationSpec, sigmaB2?: number): OrderChaosBoundary;
  /**
   * The variance_scaling initializer that draws the same weights as `init` (the same float32
   * weights for the same seed): he_normal → { name: 'variance_scaling', scale: 2, mode:
   * 'fan_in', distribution: 'truncated_normal' }; kaiming_normal_ → scale gain², an
   * untruncated_normal. null when `init` is not a variance scaling (orthogonal, zeros...).
   * @throws InitscopeError for an invalid initializer (fields "init", "init.name", "init.gain"...).
   */
  varianceScaling(init: InitSpec): ({ name: 'variance_scaling' } & VarianceScalingArgs) | null;
  /**
   * What a config's `data` builds, without a network: its shape, and for a custom set the
   * header's feature names and the class labels (class i is classNames[i]). Use it to fit
   * the output layer and the loss to a CSV before createRun.
   * @throws InitscopeError as createRun would for the same data ("data.csv" names the row,
   * the column and the value of a refused CSV).
   */
  describeData(data: DatasetName | DataConfig): DataDescription;
  /** Bytes of wasm heap malloc'd and not freed (for memory checks). */
  heapInUse(): number;
  /** Size of the wasm memory in bytes; it only grows. */
  memoryBytes(): number;
}

/** One training run. It holds wasm memory: call dispose() when done. */
export interface Run {
  /** The full config the run uses, every default filled in. */
  readonly config: ResolvedConfig;
  /** True once dispose() was called. */
  readonly disposed: boolean;

  /**
   * n optimizer steps (default and range: `schema().limits.stepsPerCall`). Stops early, and for
   * good, at the first NaN or Inf: later calls take no step and report the same divergence.
   * The diverging step is not kept: weights(), snapshot(), evaluate() and the optimizer's
   * state are those before it (step, history and gradNorm included; only `diverged` is
   * new). `diverged` names the first NaN or Inf in the order a step computes: activations
   * from the input layer up, then the loss, then gradients from the output layer down,
   * then the new weights ('weight': finite gradients whose update overflowed). Where the
   * probe batch holds a NaN or Inf at those weights, it names that one, so that it is
   * what snapshot() shows (a step on a minibatch can diverge on rows the probe batch does
   * not hold; then the snapshot shows no NaN or Inf).
   * @throws InitscopeError (field "n") for anything but an integer in range.
   */
  step(n?: number): StepResult;

  /** Loss and accuracy over the whole training and test sets (0 for an empty test set). */
  evaluate(): Evaluation;
  /**
   * The coordinate check's numbers on the probe batch (wasm/coordCheck.mjs), one entry per
   * layer: mean |z| and |a| over its entries now, and mean |z − z₀|, |a − a₀| against the
   * initial weights' z₀, a₀. Leaves the run as it was.
   */
  coordinates(): LayerCoordinates[];

  /** Per-layer statistics on the fixed probe batch, the theory, the loss history. */
  snapshot(): Snapshot;

  /**
   * The model's output over resolution × resolution points of [-extent, extent]² in the
   * data's raw coordinates, row by row from the top left (y = +extent, x = -extent):
   * P(class 1) for a one-unit output, else the predicted class index (as a float).
   * resolution: default and range in `schema().limits.gridResolution`; extent: 0 (default)
   * for the data set's own extent, else within `schema().limits.gridExtent`. 2-D data sets only.
   * @throws InitscopeError fields "resolution", "extent", or "data.name" (not a 2-D set).
   */
  decisionGrid(resolution?: number, extent?: number): Float32Array;

  /**
   * Input gradients along a line of inputs, layer by layer: the shattered-gradients view
   * (Balduzzi et al. 2017). Defaults and ranges in `schema().limits.gradientPoints`,
   * `gradientAxis` and `gradientSeed`. The layers normalize in batch mode: with BatchNorm
   * the line's points are normalized as one batch. Parameters, optimizer state, running
   * averages and snapshot() are left as they were; the same bits at every call, native and in wasm.
   * @throws InitscopeError fields "options", "options.<key>", "points" (range, or memory),
   *   "axis" (no such column, or one that does not vary), "seed", "data".
   */
  gradientLine(options?: GradientLineOptions): GradientLine;

  /**
   * The input-output Jacobian's spectrum (Pennington, Schoenholz & Ganguli 2017): the
   * singular values of J = ∂a/∂z₀, a the last hidden layer's output and z₀ the first
   * layer's pre-activation, at each of the first `probes` training rows. As the paper
   * defines it, through the hidden stack, whose input already has the stack's width: the
   * first layer's weights (data → width) and the output layer are not part of J. Defaults and
   * ranges in `schema().limits.jacobianProbes` and `jacobianBins`. Computed in double
   * (a one-sided Jacobi SVD) from the float backward pass; the same bits at every call,
   * native and in wasm. Parameters, optimizer state and snapshot() are left as they were.
   * @throws InitscopeError fields "options", "options.<key>", "probes" (range, or more than
   *   the training rows), "bins", "layers[0].kind" (a first layer that is not dense),
   *   "layers" (a BatchNorm layer, a side of J above `schema().limits.jacobianUnits.max`, or
   *   a Jacobian that is not finite).
   */
  jacobianSpectrum(options?: JacobianSpectrumOptions): JacobianSpectrum;

  /**
   * The model's predicted class for every row of the 'test' (default) or 'train' set, in
   * dataset() order (argmax of the outputs; output > 0.5 for one unit), and the confusion
   * matrix.
   * @throws InitscopeError (field "which") for anything but 'test' or 'train'.
   */
  predict(which?: 'test' | 'train'): Predictions;

  /** The current weights, one entry per layer, input to output (copies). */
  weights(): LayerWeights[];

  /**
   * Sets every layer's W and b (the shapes weights() returns: an Array of numbers or a
   * typed array of numbers such as Float32Array or Float64Array, stored as float32; not
   * BigInt64Array), and a BatchNorm layer's running averages when `running` is given
   * (else mean 0 and variance 1), and a block's further tensors (W2, b2, alpha, normGain,
   * normShift: each it has, required). They become the point reset() returns to; training state (step,
   * optimizer, history) starts over. setWeights(weights()) round-trips bit for bit. Every
   * layer is checked before anything is set; the engine makes room for the new values
   * from the network's own size, and refuses when the module's memory cannot hold them.
   * @throws InitscopeError fields "weights" (not an array of one entry per layer, or no
   *   memory left for the copy: dispose of other runs), "weights[i].W" / "weights[i].b"
   *   (no array, wrong type or length, an element that is not a number),
   *   "weights[i].running" (likewise, or a negative variance), "weights[i].W2" and a
   *   block's other tensor keys (likewise), "weights[i]" (NaN or Inf, or reading the
   *   layer threw).
   */
  setWeights(layers: ReadonlyArray<{
    W: NumberArray; b: NumberArray; running?: NumberArray;
    W2?: NumberArray; b2?: NumberArray; alpha?: NumberArray; normGain?: NumberArray; normShift?: NumberArray;
  }>): void;

  /** The data set as the network sees it (normalized), with its normalization. */
  dataset(): DatasetView;

  /** Back to the initial weights (or those of the last setWeights), step 0, fresh optimizer and history. */
  reset(): void;

  /**
   * The training rows (indices into dataset().xTrain) that each of `steps` steps (an
   * integer from 0 to 1000000, at most 2^24 rows in all) trains on, step after step, in
   * the order the step reads them: those of the next steps, or with fromStart those of
   * steps 1 to `steps` of the run afresh. A full batch is every row in order. Draws from
   * copies: training goes on as it would have.
   * @throws InitscopeError (field "steps").
   */
  minibatchOrder(steps: number, options?: { fromStart?: boolean }): { batch: number; rows: Uint32Array };

  /**
   * Everything training continues from (parameters, the initial ones, the optimizer's
   * moments and step count, the minibatch generator, order and cursor, the loss history,
   * a divergence, BatchNorm layers' running averages), as plain JSON data with arrays as base64 of their little-endian bytes.
   * lab.createRun(run.config, { state }) continues from it bit for bit. About 37 bytes of
   * text per parameter (Adam), so that the engine's 4 MiB input limit holds the state of a
   * network of about 110,000 parameters.
   */
  exportState(): RunState;

  /**
   * New initial weights drawn with `seed` (an integer from 0 to 2147483647), which also
   * becomes config.seed (and so the minibatch order); training starts over at step 0.
   * @throws InitscopeError (field "seed").
   */
  reinitialize(seed: number): void;

  /** Frees the run's wasm memory. Every later call throws InitscopeError; dispose() twice is fine. */
  dispose(): void;
}

/** What setWeights takes for W and b: an Array of numbers or a typed array of numbers. */
export type NumberArray = ReadonlyArray<number> | Float32Array | Float64Array | Int8Array | Uint8Array |
  Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;

export interface StepResult {
  /** Optimizer steps taken so far (stops counting at a divergence). */
  step: number;
  /**
   * Training loss of the last minibatch (0 before the first step). Once the run has
   * diverged, the diverging step's loss (null if it is NaN or Inf), on every later call too.
   */
  loss: number | null;
  /** Where NaN or Inf first appeared, or null. */
  diverged: Divergence | null;
}

export interface Divergence {
  /** Steps completed before the one that produced NaN or Inf. */
  step: number;
  /** 0-based layer, or -1 when only the loss is non-finite. */
  layer: number;
  quantity: 'activation' | 'gradient' | 'weight' | 'loss';
}

export interface LayerCoordinates {
  z: number;
  a: number;
  zChange: number;
  aChange: number;
}

export interface Evaluation {
  trainLoss: number | null;
  /** Fraction in [0, 1]. */
  trainAccuracy: number;
  testLoss: number | null;
  testAccuracy: number;
}

export interface Predictions {
  /** One class index per row of the set. */
  predicted: Int32Array;
  /** confusion[trueClass][predictedClass]: counts, numClasses × numClasses (at least 2 × 2). */
  confusion: number[][];
}

/**
 * Weight layout: row-major (fan_in, fan_out). A layer of another kind gives its first two
 * parameter tensors: LayerNorm its gain as W (shape [fanOut]) and its shift as b; a
 * residual block its W1 as W (shape [width, hidden]) and b1 as b, and its further tensors
 * under their own keys (those the block has).
 */
export interface LayerWeights {
  /** fanIn × fanOut floats; W[i * fanOut + j] connects input i to unit j (LayerNorm: the gain, fanOut floats). */
  W: Float32Array;
  shape: [fanIn: number, fanOut: number] | [fanOut: number];
  /** fanOut floats (LayerNorm, BatchNorm: the shift; a block: b1, hidden floats). */
  b: Float32Array;
  /** A block with branch 2: its second dense layer's weights, (hidden, width) row-major. */
  W2?: Float32Array;
  /** A block with branch 2: its second dense layer's biases (width floats). */
  b2?: Float32Array;
  /** A block with gate "trainable": its α (one float). */
  alpha?: Float32Array;
  /** A block with a norm: the norm's gain and shift (width floats each). */
  normGain?: Float32Array;
  normShift?: Float32Array;
  /**
   * BatchNorm, or a block whose norm is batchnorm: its running mean (fanOut floats), then
   * its running variance (fanOut), what evaluate(), predict() and decisionGrid() normalize
   * with. setWeights takes them (or none: mean 0, variance 1).
   */
  running?: Float32Array;
}

export interface Snapshot {
  /** Optimizer steps taken so far. */
  step: number;
  /** Examples in the probe batch (the first min(stats.probe, train) training rows). */
  probe: number;
  /** E[x²] of the probe batch: the theory's input. */
  inputSecondMoment: number;
  /** Probe-batch loss at the current weights. */
  loss: number | null;
  /** Global gradient norm of the last step, before clipping (0 before the first step). */
  gradNorm: number | null;
  /** Histogram bins per quantity (config.stats.bins). */
  bins: number;
  /**
   * RMS of dL/dz at the first layer over that at the last: < 1 gradients vanish toward
   * the input, > 1 they explode (null if the last is 0 and the first is not).
   */
  gradientRatio: number | null;
  /** One entry per layer, input to output. */
  layers: LayerSnapshot[];
  /**
   * The layers' weightChange taken together: ‖W − W₀‖_F / ‖W₀‖_F over every layer's
   * weights as one vector (null when they all start at zero).
   */
  weightChange: number | null;
  /** Variance-propagation prediction at initialization. */
  theory: Theory;
  /** Training loss per step, thinned to at most 2048 points however long the run. */
  history: { step: number[]; loss: Array<number | null> };
  diverged: Divergence | null;
  /**
   * In a network with residual blocks only: the numbers of the residual initialization's
   * formula (its TeX in wasm/residualInitText.mjs): the scheme, the blocks L, the dense
   * layers per branch m (the first block's), and the factor the row scales by (null when it
   * has none).
   */
  residualInit?: { name: ResidualInitName; blocks: number; m: number; factor: number | null };
}

export interface LayerSnapshot {
  /**
   * The layer's kind, for kinds other than dense only (a dense layer's entry has no kind
   * key). A LayerNorm layer: z the normalized values, a = gain·z + shift, dz = dL/dz;
   * init, biasInit, initMean, initStd, initLaw, w and dw describe its gain and shift. A
   * BatchNorm layer likewise, z normalized with the probe batch's own statistics (its
   * running averages serve evaluate(), predict() and decisionGrid() only).
   * A residual block: z = f(x), its branch's output before α; a = its output; dz =
   * dL/d(output); w, dw, init, distinctUnits and updateRatio describe W1 (and b1); its
   * activation is the one applied after the addition ('linear' in the "before" form).
   */
  kind?: Exclude<LayerKindName, 'dense'>;
  /** Values the layer keeps in the parameter buffer (Keras's "Param #"), with `kind` only. */
  params?: number;
  /**
   * Running averages the layer keeps outside the parameter buffer (a BatchNorm layer's, or
   * a residual block's BatchNorm's: Keras's non-trainable params), with `kind` only.
   */
  running?: number;
  fanIn: number;
  fanOut: number;
  activation: ActivationName;
  /** Name of the layer's weight initializer. */
  init: InitializerName;
  /** Name of the layer's bias initializer. */
  biasInit: InitializerName;
  /** Mean of one initial weight, exactly (from the initializer, not measured). */
  initMean: number;
  /** Standard deviation of one initial weight, exactly. */
  initStd: number;
  /** The law every initial weight is drawn from; null for structured initializers (orthogonal, identity, sparse, LSUV). */
  initLaw: InitLaw | null;
  /** Pre-activations z = a_prev·W + b on the probe batch. */
  z: Summary;
  /** Activations a = φ(z). */
  a: Summary;
  /** Back-propagated gradients dL/dz. */
  dz: Summary;
  /** The weights W. */
  w: Summary;
  /** The weight gradients dL/dW. */
  dw: Summary;
  /** Fraction of (example, unit) entries saturated: tanh |a| > 0.99, sigmoid a < 0.01 or > 0.99; else 0. */
  saturated: number;
  /** Fraction of relu units that are zero on the whole probe batch; else 0. */
  dead: number;
  /** ‖ΔW‖/‖W‖ of the last optimizer step (0 before the first; null if W was 0 and moved). */
  updateRatio: number | null;
  /**
   * How far training has moved the weights since initialization: ‖W − W₀‖_F / ‖W₀‖_F,
   * W₀ the weights of the last initialization, reset(), reinitialize() or setWeights()
   * (0 at step 0; null when W₀ is all zero). A dense layer's W; a residual block's W1 and
   * W2 together (not its alpha or its norm's gain and shift); a LayerNorm or BatchNorm
   * layer's gain. Small values: lazy training (Chizat, Oyallon and Bach 2019).
   */
  weightChange: number | null;
  /** Units whose incoming weights and bias are bit-for-bit equal count once (zero init: 1); a LayerNorm layer's fanOut (each unit reads its own input). */
  distinctUnits: number;
  /** LSUV rescaling rounds spent on this layer (0 without LSUV). */
  lsuvIterations: number;
}

export interface InitLaw {
  /**
   * constant: every weight = mean; uniform: U[lo, hi); normal: N(mean, stddev²);
   * truncated_normal: N(mean, stddev²) conditioned on [lo, hi] (PyTorch's trunc_normal_);
   * keras_truncated_normal: N(mean, stddev²) strictly inside mean ± 2·stddev (lo, hi).
   */
  kind: 'constant' | 'uniform' | 'normal' | 'truncated_normal' | 'keras_truncated_normal';
  mean: number;
  /** Of the parent normal when truncated. */
  stddev: number;
  lo: number;
  hi: number;
}

/** What run.jacobianSpectrum takes; every key optional. */
export interface JacobianSpectrumOptions {
  /** The first `probes` training rows are the inputs J is taken at. */
  probes?: number;
  /** Bins of the histogram of log10 σ. */
  bins?: number;
}

/**
 * The singular values σ of the input-output Jacobian J (units × firstUnits) at each probe,
 * and what sums them up over every probe's σ together. Dynamical isometry: every σ near 1.
 */
export interface JacobianSpectrum {
  /** Weight matrices J crosses: the hidden layers after the first. */
  layers: number;
  /** Rows of J: the last hidden layer's width. */
  units: number;
  /** Columns of J: the first layer's width. */
  firstUnits: number;
  /** Per probe: min(units, firstUnits) singular values, largest first. */
  singularValues: number[][];
  /** χ: the mean of σ² (about χ₁^layers when every layer stretches by χ₁ on average). */
  chi: number;
  /** chi^(1/layers): the mean stretch of σ² per layer; null with one hidden layer. */
  chiPerLayer: number | null;
  /** The variance of σ²: the spread that the paper follows with depth. */
  variance: number;
  /** The smallest and largest σ. */
  min: number;
  max: number;
  /**
   * Histogram of log10 σ in counts.length equal bins from logLo to logHi (logLo ≤ −1 and
   * logHi ≥ 1, whole numbers wide enough for every σ); σ below 1e-12 counted in zeros.
   */
  histogram: { logLo: number; logHi: number; counts: number[]; zeros: number };
}

/** What run.gradientLine takes; every key optional. */
export interface GradientLineOptions {
  /** Points on the line (K). */
  points?: number;
  /** The input column the line runs along; -1: the first whose training values vary. */
  axis?: number;
  /** Seed of the per-layer projections u_l (Rng(seed, stream l + 1), normalized). */
  seed?: number;
}

/**
 * A line x_i = centre + positions[i]·e_axis in the network's input coordinates (after the
 * data's normalization), from the column's smallest to its largest training value, and
 * per layer l the derivative along it of s_l(x) = u_l · a_l(x) (a_l: the layer's output).
 */
export interface GradientLine {
  axis: number;
  /** The mean of the training rows (input_dim values). */
  centre: number[];
  /** Each point's offset from the centre along the axis (K values, increasing). */
  positions: number[];
  /**
   * Per layer: the Pearson correlation of (g(x_i), g(x_{i+1})) over i; a sequence constant
   * to float rounding counts 1 against a constant one and 0 against one that is not; null
   * where a gradient is not finite (a diverged run).
   */
  correlation: (number | null)[];
  /** Per layer: g(x_i) at every point (K values); null where not finite. */
  gradients: (number | null)[][];
}

/** Moments of the finite values (non-finite ones are counted apart) and a histogram. */
export interface Summary {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** √E[x²], what the theory predicts. */
  rms: number;
  /** √Σx², the Frobenius norm (of dw: the layer's weight-gradient norm ‖dL/dW‖). */
  norm: number;
  /** Finite values summarized. */
  count: number;
  /** NaN or ±Inf values, excluded from the moments. */
  nonfinite: number;
  histogram: Histogram;
}

/** Fixed bins over [lo, hi), chosen at initialization so histograms compare across steps. */
export interface Histogram {
  lo: number;
  hi: number;
  /** `bins` counts (a copy; each layer's counts are views into one copied buffer). */
  counts: Float32Array;
  /** Values below lo / at or above hi. */
  underflow: number;
  overflow: number;
}

export interface Theory {
  /** One entry per layer. */
  layers: TheoryLayer[];
  /** χ₁ at the last hidden layer: > 1 gradients grow backward (chaos), < 1 they shrink (null when that layer is a LayerNorm). */
  chi1: number | null;
}

export interface TheoryLayer {
  /** Predicted E[z²]. */
  q: number | null;
  /** √q: the predicted z std for zero-mean z. */
  zStd: number | null;
  /** Predicted E[a²]. */
  a2: number | null;
  /** Predicted mean of a. */
  aMean: number | null;
  /** √a2: the predicted RMS of a. */
  aRms: number | null;
  /** √(a2 − aMean²): the predicted std of a. */
  aStd: number | null;
  /** Predicted E[(dL/dz)²] relative to the output layer's. */
  grad2: number | null;
  /** Predicted RMS of dL/dz, anchored on the output layer's measured value at initialization. */
  gradRms: number | null;
  /** One-standard-deviation finite-width band around zStd. */
  bandLo: number | null;
  bandHi: number | null;
  /**
   * Exact in expectation (linear, relu, leaky_relu up to here) rather than mean-field. A
   * LayerNorm layer and every layer after it are not: there q = v/(v + ε) from the rows'
   * predicted variance v, and E[a²] = E[gain²]·q + E[shift²].
   */
  exact: boolean;
}

export interface DatasetView {
  name: DatasetName;
  inputDim: number;
  numClasses: number;
  /** A decision boundary can be drawn on [-extent, extent]². */
  is2d: boolean;
  /** Plot extent in raw coordinates (0 for sets that are not 2-D). */
  extent: number;
  normalize: Normalization;
  /** Per feature: x_raw = x * scale + offset (offset 0 and scale 1 for "none"). */
  offset: number[];
  scale: number[];
  /** Rows in the training and test sets. */
  train: number;
  test: number;
  /** (train, inputDim) row-major, normalized. */
  xTrain: Float32Array;
  /** Class indices 0 .. numClasses-1. */
  yTrain: Int32Array;
  /** (test, inputDim) row-major, normalized. */
  xTest: Float32Array;
  yTest: Int32Array;
}

// ---- mean field --------------------------------------------------------------------

export interface MeanField {
  activation: ActivationSpec;
  sigmaW2: number;
  sigmaB2: number;
  /** Stable fixed point of q ↦ σ²_w·E[φ(√q·u)²] + σ²_b; 0 when the signal dies out; null when q grows without bound. */
  qStar: number | null;
  /** σ²_w·E[φ′(z)²] at z ~ N(0, q*): < 1 ordered (gradients vanish), > 1 chaotic (they explode). */
  chi1: number | null;
  phase: 'ordered' | 'critical' | 'chaotic' | 'unbounded';
  /** Stable fixed point of the correlation map (1 when ordered); null where undefined (q* = 0, unbounded, critical, unresolved). */
  cStar: number | null;
  /** Slope of the correlation map at c*. */
  chiC: number | null;
  /** ξ_c = −1/ln χ_c: Schoenholz et al. find networks train when depth ≲ 6·ξ_c. */
  depthScale: number | null;
  /** 1/|ln χ₁|: layers over which the gradient's second moment changes by a factor e. */
  gradientDepthScale: number | null;
}

export interface OrderChaosBoundary {
  activation: ActivationSpec;
  sigmaB2: number;
  /** Where χ₁ = 1, or null if χ₁ stays below 1 up to σ²_w = 10000. */
  sigmaW2: number | null;
}

// ---- presets: the table of wasm/presets.mjs ('initscope/presets', presets.d.mts) ----

/** The page's cards a preset is about. */
export type PresetView =
  | 'loss' | 'data' | 'signal' | 'health' | 'activations' | 'gradients' | 'trace' | 'summary'
  | 'weights' | 'sweep' | 'shatter' | 'jacobian';

/** A published experiment as a preset: plain data (JSON-safe). */
export interface Preset {
  /** 'coursera-circles'. */
  name: string;
  title: string;
  /** What to look at and why, 2-5 sentences. */
  text: string;
  /** The citation. */
  source: string;
  published: {
    summary: string;
    /** Published numbers; `path` says where ours is in the run's record (see PresetRecord). */
    figures: PublishedFigure[];
  };
  /** What was changed for the browser, and why. */
  scaledDown: string[];
  /** Optimizer steps per run. */
  steps: number;
  /**
   * The page's Play, in steps per second, so that the story unfolds in about 10-25 s: an
   * integer from 1 to 50000 or 'max' (web/src/pace.js). Play pauses at `steps`.
   */
  pace: number | 'max';
  /** Steps where the runner records per-layer statistics (always 0 and steps too). */
  checkpoints: number[];
  views: PresetView[];
  /** The variants compared: full configs. */
  runs: PresetRun[];
  /** Sweeps in the wasm/sweep.mjs format (saxe-orthogonal, keras-xor). */
  sweeps?: PresetSweep[];
  /**
   * initialWeights (uniform-n10): pool the initial W of layers [from, to) into one sample
   * (PresetRecord.initialWeights); gradientLine (shattered-gradients): the run's gradient
   * line at step 0 (PresetRecord.gradientLine); jacobianSpectrum (dynamical-isometry): the
   * input-output Jacobian's spectrum at step 0 (PresetRecord.jacobianSpectrum).
   */
  record?: { initialWeights?: { layers: [number, number] }; gradientLine?: GradientLineOptions; jacobianSpectrum?: JacobianSpectrumOptions };
  /** The qualitative published outcome, checked by checkOutcome (presets.mjs). */
  expect: Expectation[];
}

export interface PresetRun {
  /** A path-safe id: lower case, digits and dashes. */
  label: string;
  title: string;
  /** dlai-playground: the data set the run belongs to. */
  group?: string;
  config: Config;
}

export interface PresetSweep {
  label: string;
  title: string;
  /** What the page's heatmap colours: 'success' (the default) or the final 'loss'. */
  show?: 'success' | 'loss';
  spec: SweepSpec;
}

export interface PublishedFigure {
  /** The run label. */
  run: string;
  quantity: string;
  /** Where our number is in the run's record: 'final.trainAccuracy', 'at.14000.trainLoss'. */
  path: string;
  /** The published number (null when it is not a finite number; see shown). */
  value: number | null;
  /** How to show the published number, when it is not `value` ('inf'). */
  shown?: string;
  note?: string;
}

/**
 * One claim of a preset's outcome: the number at `value` (a PATH: a run or sweep label,
 * then keys, [i] (negative from the end), [a:b] or [*] slices, which must all pass)
 * compared by exactly one of equals / atLeast / atMost / below / above / between / near /
 * isNull with a number or another PATH, times `times`.
 */
export interface Expectation {
  claim: string;
  value: string;
  equals?: number | string;
  atLeast?: number | string;
  atMost?: number | string;
  below?: number | string;
  above?: number | string;
  between?: [number, number];
  near?: number | string;
  /** For near: the relative tolerance. */
  relTol?: number;
  isNull?: boolean;
  times?: number;
  /** 'infinite': a null value (e.g. never reached success) compares as +Infinity. */
  missing?: 'infinite';
}

// ---- sweeps (wasm/sweep.mjs) --------------------------------------------------------

/**
 * init.scale: multiplies the variance of the base init, a variance scaling (He, Glorot,
 * LeCun, variance_scaling, kaiming_*, xavier_*, nn_linear_default, scaled_normal: the
 * schema's varianceScaling says which): the cell's init is its variance_scaling spelling
 * with scale × value, the same weights at 1. Values > 0.
 * init.gain: multiplies every starting weight: a variance scaling's scale × value², or the
 * gain of orthogonal, orthogonal_, identity (the schema's gainParam) × value;
 * depth: hidden layers; width: units of every hidden layer; lr; seed; weight / bias: one
 * initial weight (layer, index: row-major (fan_in, fan_out)) set after initialization.
 */
export type SweepParam = 'init.scale' | 'init.gain' | 'depth' | 'width' | 'lr' | 'seed' | 'weight' | 'bias' | 'blocks' | 'gate';

/** An axis: `values`, or from, to, count (and scale: 'linear' | 'log'). */
export interface SweepAxis {
  param: SweepParam;
  values?: number[];
  from?: number;
  to?: number;
  /** 1 to 256 values. */
  count?: number;
  scale?: 'linear' | 'log';
  /** weight and bias only. */
  layer?: number;
  index?: number;
}

/** trainAccuracy or testAccuracy at least a number, or the whole-set training loss below one. */
export type SweepSuccess = { metric: 'trainAccuracy' | 'testAccuracy'; atLeast: number } | { lossBelow: number };

export interface SweepSpec {
  name?: string;
  base: Config;
  x: SweepAxis;
  y?: SweepAxis | null;
  /** Optimizer steps per cell (0 to 10⁶). */
  steps: number;
  /** Default { metric: 'trainAccuracy', atLeast: 0.95 }. */
  success?: SweepSuccess;
  /** Test success every K steps and record stepsToSuccess. */
  checkEvery?: number;
  /** Stop a cell at its first success (needs checkEvery). */
  stopOnSuccess?: boolean;
  /** Every cell's result carries the weights it started from (SweepCellResult.initialWeights). */
  keepInitialWeights?: boolean;
}

// ---- the config ----------------------------------------------------------------------

export type ActivationName =
  | 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'elu' | 'selu' | 'gelu'
  | 'softplus' | 'swish' | 'softmax';
export type LossName = 'mse' | 'bce' | 'cross_entropy';
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'rmsprop' | 'adam';
export type DatasetName =
  | 'xor' | 'circles' | 'moons' | 'spiral' | 'gaussians' | 'quadrants' | 'linear'
  | 'gaussian' | 'digits' | 'iris' | 'custom';
export type Normalization = 'none' | 'standardize' | 'minmax';
export type InitializerName =
  | 'zeros' | 'ones' | 'constant' | 'random_normal' | 'random_uniform' | 'truncated_normal'
  | 'variance_scaling' | 'glorot_uniform' | 'glorot_normal' | 'he_uniform' | 'he_normal'
  | 'lecun_uniform' | 'lecun_normal' | 'orthogonal' | 'identity'
  | 'uniform_' | 'normal_' | 'trunc_normal_' | 'constant_' | 'ones_' | 'zeros_' | 'eye_'
  | 'xavier_uniform_' | 'xavier_normal_' | 'kaiming_uniform_' | 'kaiming_normal_'
  | 'orthogonal_' | 'sparse_' | 'nn_linear_default'
  | 'scaled_normal' | 'standard_uniform' | 'lsuv';

/** A name, or the name with its parameters: { name: 'random_normal', stddev: 1 }. */
export type InitSpec = InitializerName | ({ name: InitializerName } & { [param: string]: string | number });
/** A name, or { name: 'leaky_relu', alpha: 0.2 } / { name: 'elu', alpha: 1 }. */
export type ActivationSpec = ActivationName | { name: ActivationName; alpha?: number };

/** The names of schema().layerKinds. */
export type LayerKindName = 'dense' | 'layernorm' | 'batchnorm' | 'residual';

/**
 * A layer of one of schema().layerKinds (default 'dense'; the config echoes no kind for a
 * dense layer). Which of units and activation a kind takes, and its own keys with their
 * defaults and ranges, are that row's (units, activation, params); the output layer must
 * be a kind whose row says output (dense).
 */
export interface LayerConfig {
  kind?: LayerKindName;
  /** 1 to 1024; required for dense; a LayerNorm layer keeps the width before it and takes no units. */
  units?: number;
  /** Default 'linear'; softmax on the output layer only. LayerNorm takes none. */
  activation?: ActivationSpec;
  /** Overrides Config.init for this layer's weights (LayerNorm: its gain, default 'ones'). */
  init?: InitSpec;
  /** Overrides Config.biasInit for this layer's biases (LayerNorm: its shift, default 'zeros'). */
  biasInit?: InitSpec;
  /**
   * LayerNorm: added to each row's variance; BatchNorm: to each feature's batch variance
   * (schema().layerKinds' params: default PyTorch's 1e-5).
   */
  epsilon?: number;
  /**
   * BatchNorm: 0 to 1, default 0.1, in PyTorch's sense: running = (1 − m)·running + m·batch.
   * Keras's momentum is 1 − m (its 0.99 is 0.01 here).
   */
  momentum?: number;
  /**
   * Residual block (out = x + α·f(x), keeps the width before it): dense layers in f, 1 or 2
   * (default 2).
   */
  branch?: number;
  /** Residual block: units of f's first dense layer when branch is 2 (0, the default: the width). */
  hidden?: number;
  /**
   * Residual block: 'before' (default), out = x + α·W2·φ(W1·φ(x)), the pre-activation ResNet;
   * 'after', out = φ(x + α·W2·φ(W1·x)), the post-activation ResNet. φ is `activation`.
   */
  activationAt?: 'before' | 'after';
  /** Residual block: the branch's scale α, 0 to 10 (default 1; the initial value when trainable). */
  alpha?: number;
  /** Residual block: 'fixed' (default) or 'trainable' (α a scalar parameter, no weight decay). */
  gate?: 'fixed' | 'trainable';
  /** Residual block: 'none' (default) or a normalization kind (schema().layerKinds' norm choices). */
  norm?: string;
  /** Residual block: the norm at the branch's start ('pre', default) or after the addition ('post'). */
  normAt?: 'pre' | 'post';
  /** Residual block: the norm's epsilon (default 1e-5). */
  normEpsilon?: number;
}

export interface DataConfig {
  name?: DatasetName;
  /** Rows; defaults and ranges per set (schema().datasets). */
  train?: number;
  test?: number;
  noise?: number;
  /** 0 .. 2^32-1: the data's own random streams. */
  seed?: number;
  normalize?: Normalization;
  /** Input dimension of the 'gaussian' set. */
  dim?: number;
  /** Classes of the 'gaussian' set (2 to 10), labels uniform over them. */
  classes?: number;
  /**
   * The 'custom' set: CSV text, numeric feature columns and a class column, comma- or
   * semicolon-separated (a decimal comma with semicolons), a header row or not. Limits:
   * schema().datasets.datasets[…custom].limits (rows, features, classes); the whole config
   * is at most schema().config.inputBytes. Errors name the row and column, counted from 1
   * as a spreadsheet shows them (row 1 is the header, if any).
   */
  csv?: string;
  /** 'custom': the class column, a header name or a column number from 1 (default: the last). */
  label?: string | number;
  /** 'custom': a column whose cells say train or test (default: split by testFraction and seed). */
  split?: string | number;
  /** 'custom': share of the rows held out for testing, 0 to 0.9 (default 0.2). */
  testFraction?: number;
  /** 'custom': 'auto' (a header when no cell of row 1 is a number), 'yes' or 'no'. */
  header?: 'auto' | 'yes' | 'no';
  /** 'custom': 'auto' (semicolon if row 1 holds one), 'comma' or 'semicolon'. */
  separator?: 'auto' | 'comma' | 'semicolon';
  /** 'custom' with 2 features: the plot's [-extent, extent]² (0: 1.1 × the largest value). */
  extent?: number;
}

/** lab.describeData's answer. */
export interface DataDescription {
  name: DatasetName;
  inputDim: number;
  numClasses: number;
  is2d: boolean;
  extent: number;
  train: number;
  test: number;
  /** A custom set's feature columns (header cells or "column N"); [] for the other sets. */
  featureNames: string[];
  /** A custom set's class labels, class i first at i; [] for the other sets. */
  classNames: string[];
}

/** run.exportState(): the format is the engine's (core/src/run_state.cpp), versioned. */
export interface RunState {
  format: 'initscope-run-state';
  version: 1;
  step: number;
  params: string;
  initialParams: string;
  beforeStep: string | null;
  [key: string]: unknown;
}

export interface OptimizerConfig {
  name: OptimizerName;
  /** > 0 and <= 1e6; default per optimizer (sgd family 0.01, rmsprop and adam 0.001). */
  lr?: number;
  momentum?: number;
  rho?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** L2 on weights, not biases. */
  weightDecay?: number;
  /** Global-norm clipping; null: off. */
  clipNorm?: number | null;
  /** Clipping by value; null: off. */
  clipValue?: number | null;
  /**
   * Whose update rule (default 'keras'): 'pytorch' adds ε to Adam's bias-corrected √v̂ and
   * outside RMSprop's square root, and keeps momentum as v ← μ·v + g; w ← w − η·v, as
   * torch.optim does (the table in core/src/optimizer.cpp). sgd is the same in both.
   */
  convention?: 'keras' | 'pytorch';
  /**
   * The learning-rate schedule: update s (0 first) uses lr times its factor; every one may
   * start with a linear warm-up ((s + 1)/warmup). Absent: constant, no warm-up (run.config
   * then leaves it out). Ranges and formulas: schema().optimizers.schedules.
   */
  schedule?: ScheduleName | ScheduleSpec;
  /** Minibatch size 1 to 4096; at least the training set means full batch. */
  batch?: number;
}

export type ScheduleName = 'constant' | 'step' | 'cosine';
export interface ScheduleSpec {
  name: ScheduleName;
  /** Updates of linear warm-up first (every schedule). */
  warmup?: number;
  /** step: updates between two decays. */
  every?: number;
  /** step: the factor of each decay, in (0, 1]. */
  gamma?: number;
  /** cosine: updates of the decay after the warm-up. */
  steps?: number;
  /** cosine: the last factor, a fraction of lr. */
  final?: number;
}

/** What createRun takes: every key optional (defaults: schema().config.default). */
export interface Config {
  /** 0 to 2147483647: initial weights and minibatch order. */
  seed?: number;
  data?: DatasetName | DataConfig;
  /** 1 to 64 hidden layers, then the output layer. */
  layers?: LayerConfig[];
  /** Default weight initializer. */
  init?: InitSpec;
  /** Default bias initializer. */
  biasInit?: InitSpec;
  loss?: LossName;
  optimizer?: OptimizerName | OptimizerConfig;
  stats?: { bins?: number; probe?: number };
  /**
   * How the residual blocks start (schema().residualInits; 'none' unless given). A network
   * without a block and another scheme is an error. fixup, skipinit and rezero set every
   * block's gate trainable at their value: a block whose own gate or alpha says otherwise
   * is an error; run.config then holds the gate they set. Left out of run.config for 'none'.
   */
  residualInit?: ResidualInitName | ResidualInitSpec;
  /**
   * How width scales the dense layers' spread, forward pass and learning rates
   * (schema().parameterizations; 'standard' unless given). At baseWidth ntk and mup are
   * the standard network bit for bit. Dense layers only, and no LSUV: other kinds or lsuv
   * with ntk or mup are an error. Left out of run.config for 'standard'.
   */
  parameterization?: ParameterizationName | ParameterizationSpec;
}

export type ParameterizationName = 'standard' | 'ntk' | 'mup';
export interface ParameterizationSpec {
  name: ParameterizationName;
  /** ntk, mup: the width at which they are the standard network (1 to 1024, default 64). */
  baseWidth?: number;
  /** mup: start the output layer's weights and bias at 0 (mup's readout_zero_init). */
  zeroReadout?: boolean;
}

export type ResidualInitName = 'none' | 'zero-last' | 'fixup' | 'skipinit' | 'rezero' | 'gpt2';
export interface ResidualInitSpec {
  name: ResidualInitName;
  /** skipinit: the gates' initial value, 0 to 1 and at most 1/sqrt(blocks). */
  alpha?: number;
  /** gpt2: residual branches counted per layer, 1 or 2 (the last layer's weights / sqrt(this·blocks)). */
  branchesPerLayer?: number;
}

/** The config a run uses (run.config): every field present, initializers as objects. */
export interface ResolvedConfig {
  seed: number;
  /** Every key of DataConfig; dim and classes for the 'gaussian' set only. */
  data: Omit<Required<DataConfig>, 'dim' | 'classes'> & { dim?: number; classes?: number };
  layers: Array<{ units: number; activation: ActivationSpec; init?: InitSpec; biasInit?: InitSpec }>;
  init: { name: InitializerName } & { [param: string]: string | number };
  biasInit: { name: InitializerName } & { [param: string]: string | number };
  loss: LossName;
  optimizer: Required<Omit<OptimizerConfig, 'schedule'>> & { schedule?: ScheduleSpec };
  stats: { bins: number; probe: number };
  /** Every param of its row; left out for 'none'. */
  residualInit?: ResidualInitSpec;
  /** Every key of its row (ntk: baseWidth; mup: baseWidth and zeroReadout); left out for 'standard'. */
  parameterization?: ParameterizationSpec;
}

// ---- the schema ----------------------------------------------------------------------

/** One option of a table row: its type, default and range. */
export interface ParamSchema {
  name: string;
  /** 'boolean': mup's zeroReadout only (no range, no choices). */
  type: 'integer' | 'number' | 'choice' | 'boolean';
  default: number | string | null;
  /** The range in words, as error messages say it: "an integer from 1 to 1024". */
  allowed: string;
  doc: string;
  required: boolean;
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** For type 'choice'. */
  choices?: string[];
  /** Accepts null (clipNorm, clipValue). */
  nullable?: boolean;
}

export interface InitializerSchema {
  name: InitializerName;
  framework: 'keras' | 'pytorch' | 'teaching' | 'paper';
  formula: string;
  doc: string;
  params: ParamSchema[];
  minRank: number;
  maxRank: number;
  /**
   * How this initializer is a variance scaling (Keras VarianceScaling: Var[w] = scale / n,
   * n the fan `mode` names), at its default params; null when its variance does not follow
   * the layer's fans (zeros, random_normal, orthogonal...). PyTorch's kaiming_* and xavier_*
   * are exact ones with scale = gain² and an untruncated normal. lab.varianceScaling(init)
   * gives it for any params.
   */
  varianceScaling: VarianceScalingArgs | null;
  /** The param that multiplies every weight of an initializer that is not a variance scaling ("gain" of orthogonal, identity), else null. */
  gainParam: string | null;
  /** The Keras class of a Keras row ("HeNormal"), else null. */
  kerasClass: string | null;
  /** The call of a PyTorch row ("nn.init.kaiming_normal_"); null for nn_linear_default (nn.Linear does it itself) and other frameworks. */
  pytorchFunction: string | null;
  /**
   * The formula as TeX lines, with placeholders for one layer's numbers: $nIn, $nOut,
   * $p.NAME (a param), $std, $law.hi, $law.stddev, $fan, $fanValue (the fan the mode names),
   * $gainCall (PyTorch's calculate_gain line). web/src/formula.js fills them.
   */
  tex: string[];
  /** When the lines depend on a choice param (variance_scaling's distribution): the lines per value. */
  texByParam: { param: string; cases: Record<string, string[]> } | null;
  /**
   * How the other framework draws the same law, for the code generator: per framework,
   * spellings { name (a row of that framework), args: [key, Python][], note?, then?, string?,
   * exact?, when? }, the first whose `when` holds; `standIn`: why none can be written.
   */
  equivalents: {
    keras?: InitializerSpelling[];
    pytorch?: InitializerSpelling[];
    standIn?: string;
  };
}

export interface InitializerSpelling {
  name: InitializerName;
  args: Array<[string, string]>;
  note?: string;
  then?: string;
  string?: boolean;
  exact?: boolean;
  when?: { param: string; is: number } | { cutAtTwoStd: true };
}

export interface VarianceScalingArgs {
  scale: number;
  mode: 'fan_in' | 'fan_out' | 'fan_avg';
  distribution: 'truncated_normal' | 'normal' | 'untruncated_normal' | 'uniform';
}

export interface ActivationSchema {
  name: ActivationName;
  formula: string;
  derivative: string;
  doc: string;
  params: ParamSchema[];
  outputOnly: boolean;
  saturating: boolean;
  canDie: boolean;
}

export interface LossSchema {
  name: LossName;
  formula: string;
  doc: string;
  /** The output activation the loss needs, or null (anyOutput). */
  requiredOutput: ActivationName | null;
  anyOutput: boolean;
  /**
   * The output units the engine accepts with this loss, by the data's number of classes
   * ("2" to "10"); a count that is missing is not allowed (bce on more than 2 classes).
   */
  outputUnits: Record<string, number>;
}

export interface DatasetSchema {
  name: DatasetName;
  doc: string;
  /** 'dim': given by the dim param (gaussian); 'csv': the custom set's columns. */
  inputDim: number | 'dim' | 'csv';
  numClasses: number;
  is2d: boolean;
  extent: number;
  fixedSize: boolean;
  /** Rows available (real sets), else null. */
  rows: number | null;
  /** Attribution and license (real sets), else null. */
  source: string | null;
  defaultLoss: LossName;
  defaultOutputActivation: ActivationName;
  params: ParamSchema[];
  /** 'custom': the most rows, features and classes a CSV may have (spec rows); null for the other sets. */
  limits: ParamSchema[] | null;
}

/** A row of the table of layer kinds (core/src/layer_kinds.cpp). */
export interface LayerKindSchema {
  name: LayerKindName;
  doc: string;
  /** The Keras 3 class ("Dense", "LayerNormalization", "BatchNormalization") and the PyTorch module ("nn.Linear", "nn.LayerNorm", "nn.BatchNorm1d"). */
  keras: string;
  pytorch: string;
  /** Whether a layer of this kind takes units (else it keeps its input's width), an activation, and may be the output layer. */
  units: boolean;
  activation: boolean;
  output: boolean;
  /** Its own keys in LayerConfig, with defaults and ranges (LayerNorm: epsilon; BatchNorm: epsilon, momentum). */
  params: ParamSchema[];
  /**
   * Values it keeps per unit outside the parameters (BatchNorm's running mean and variance:
   * 2; Keras's summary counts them as non-trainable parameters), else 0.
   */
  runningPerUnit: number;
}

export interface Schema {
  version: string;
  /** "(fan_in, fan_out), row-major, as in Keras". */
  weightLayout: string;
  initializers: InitializerSchema[];
  /** PyTorch's calculate_gain table. */
  gains: Array<{ nonlinearity: string; gain: number }>;
  activations: ActivationSchema[];
  layerKinds: LayerKindSchema[];
  losses: LossSchema[];
  optimizers: {
    /** formula, doc: the keras convention's update rule; pytorchFormula, pytorchDoc: the pytorch convention's (the same text where they agree). */
    optimizers: Array<{ name: OptimizerName; formula: string; doc: string; pytorchFormula: string; pytorchDoc: string; defaultLr: number; params: string[] }>;
    params: ParamSchema[];
    /** The learning-rate schedules; `python`: the factor of update s as a Python expression. */
    schedules: Array<{ name: ScheduleName; formula: string; doc: string; python: string; params: ParamSchema[] }>;
  };
  datasets: { datasets: DatasetSchema[]; params: ParamSchema[] };
  /**
   * The residual initializations (the config's residualInit), 'none' first: names and
   * numbers only (their words are RESIDUAL_INIT_TEXT of wasm/residualInitText.mjs,
   * 'initscope/residual-init-text', by name). setsGate: it makes every block's gate
   * trainable; factor: which multiplier the TeX's $factor is ('first': the branch's layers
   * before the last, 'last': its last layer) or null.
   */
  residualInits: Array<{ name: ResidualInitName; params: ParamSchema[]; setsGate: boolean; factor: 'first' | 'last' | null }>;
  /**
   * The parameterizations (the config's parameterization), 'standard' first: names, titles
   * and params only (what each does and its input, hidden and output layers' multipliers in
   * words, with their sources, are PARAMETERIZATION_TEXT of wasm/parameterizationText.mjs,
   * 'initscope/parameterization-text', by name).
   */
  parameterizations: Array<{ name: ParameterizationName; title: string; params: ParamSchema[] }>;
  /**
   * Limits of the calls around a run, one row each (type, default, min, max, allowed):
   * stepsPerCall (run.step's n), cliSteps (the CLI's --steps), gridResolution and
   * gridExtent (run.decisionGrid), gradientPoints, gradientAxis and gradientSeed
   * (run.gradientLine), jacobianProbes, jacobianBins and jacobianUnits (run.jacobianSpectrum). The engine checks these rows; the JS API, sweeps and the CLI read
   * them from here.
   */
  limits: Record<'stepsPerCall' | 'cliSteps' | 'gridResolution' | 'gridExtent' | 'gradientPoints' | 'gradientAxis' | 'gradientSeed', ParamSchema>;
  config: {
    seed: ParamSchema;
    batch: ParamSchema;
    units: ParamSchema;
    stats: ParamSchema[];
    hiddenLayers: { min: number; max: number };
    /**
     * Not a key of the config: how many levels of arrays and objects any JSON the engine
     * reads may nest (`max`, 32; the config object is level 1). The page's import and URL
     * checks read it from here.
     */
    nesting: ParamSchema;
    /**
     * Not a key of the config: how many bytes of UTF-8 the JSON text of a config (or an
     * activation) may take (`max`, 40 MiB); longer text is refused before it is read.
     */
    inputBytes: ParamSchema;
    /** Not a key of the config: how many values its JSON text may hold (`max`); see "Size" above. */
    values: ParamSchema;
    /** What a run may allocate, in bytes. */
    maxRunBytes: number;
    /**
     * Every top-level key a config may have, in the order an unknown key's error lists them
     * (`default` holds only some: residualInit and parameterization are echoed only when set).
     */
    keys: string[];
    /** The default config (the circles network with He init). */
    default: ResolvedConfig;
  };
}

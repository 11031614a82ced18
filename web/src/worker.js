// The training worker: owns the one Run, steps it and posts what the page draws. The page
// never touches the engine; it sends commands and receives frames.
//
//   page → worker  { type: 'engine', wasmBinary }          first, in the single-file build only
//                  { type: 'create', gen, config, preset?, state? }  a new run (settings changed, Initialize);
//                                                         preset { row, label, title }: keep its record
//                                                         (row: the preset, wasm/presetTable.mjs);
//                                                         state: a Run JSON's run state to continue from
//                  { type: 'exact', gen, request, steps }  the exact scripts' input and the run state
//                  { type: 'reset', gen }                 same initial weights
//                  { type: 'advance', gen, request, steps, budgetMs, exact, quick }  train for about
//                                                         budgetMs (a slice), then post one frame
//                  { type: 'check', spec } / { type: 'cell', cell }  a sweep's (wasm/sweep.mjs runSweep)
//                  { type: 'coord', id, config, width, seed, steps }  one width and seed of a
//                                                         coordinate check (wasm/coordCheck.mjs)
//   worker → page  { type: 'schema', schema, version }   once, when the engine is loaded
//                  { type: 'frame', gen, ... }             one per command (see postFrame());
//                                                         a preset's run's frame carries its
//                                                         record when it changed (presetRecord)
//                  { type: 'exact', gen, request, input, state, stateBytes }  the answer to 'exact'
//                  { type: 'error', gen, message, field } an invalid config
//                  { type: 'coordRows', id, rows } / { type: 'coordRows', id, error }  the answer to 'coord'
//                  { type: 'fatal', message }              the engine could not load
//
// `gen` is the page's generation counter: a frame of an older run is dropped by the page.
// One frame per 'advance' (carrying its `request`), and the page sends the next only after
// drawing the last, so snapshots arrive at most once per animation frame and never pile
// up. Between two advances the worker reads its messages: a long job (a link's step=, a
// preset's run) is many advances of a time budget each, so a new run, a reset or a pause
// waits one slice at most.
import { loadInitscope, InitscopeError } from '../../wasm/initscope.mjs';
import { startRecord, keepRecord } from '../../wasm/presetRecord.mjs';

const GRID_EVERY_MS = 200;       // decision grid refresh while training
const EVALUATE_EVERY_MS = 30;    // whole-set loss and accuracy refresh while training (at most)
const GRID_RESOLUTION = 64;
const GRID_MIN_RESOLUTION = 24;
const LINE_EVERY_MS = 1000;      // gradient line refresh while training (at least)
const LINE_POINTS = 256;         // points on the gradient line (fewer for big networks)
const LINE_MIN_POINTS = 32;      // below this the line says too little: none is computed
const LINE_MAX_MACS = 3e9;       // multiply-adds one gradient line may cost
const JACOBIAN_MAX_MACS = 1e9;   // multiply-adds one Jacobian spectrum may cost (settled frames only)

let lab = null;
let run = null;
let gen = 0;
let dataset = null;
let msPerStep = null;        // running estimate, drives how many steps fit a budget (null: no step timed yet)
let lastGridAt = -Infinity;
let lastEvalAt = -Infinity;
let lastLineAt = -Infinity;
let lineMs = 0;
let jacobianStep = null;     // the step of the last Jacobian spectrum posted
let gridResolution = GRID_RESOLUTION;
let evaluation = null;
let evalMs = 1;
// A preset's run: its row of the table, its record (wasm/presetRunner.mjs startRecord and
// keepRecord, the record runPresetRun makes in Node) and the steps where the record keeps
// a checkpoint; advances never step past the next one.
let preset = null;           // { table, entry, record } or null
let checkpoints = [];
let lastStep = 0;            // the step of the last frame posted
const stepOf = () => lastStep;

const queue = [];
let busy = false;

// The single-file build sends the engine's bytes first ({ type: 'engine', wasmBinary });
// the regular build's engine fetches its .wasm next to the page.
const BYTES_FROM_PAGE = import.meta.env?.MODE === 'single';
let engineOptions = BYTES_FROM_PAGE ? null : {};

self.onmessage = (event) => {
  if (event.data?.type === 'engine') {
    engineOptions = { wasmBinary: event.data.wasmBinary };
  } else {
    queue.push(event.data);
  }
  drain();
};
drain();  // load the engine now: the page waits for the schema before it sends anything

async function drain() {
  if (busy || !engineOptions) return;
  busy = true;
  try {
    if (!lab) {
      lab = await loadInitscope(engineOptions);
      self.postMessage({ type: 'schema', schema: lab.schema(), version: lab.version });
    }
    while (queue.length) {
      const pending = handle(queue.shift());
      if (pending) await pending;  // a sweep's or an export's first command waits for its module
    }
  } catch (error) {
    self.postMessage({ type: 'fatal', message: String(error?.message ?? error) });
  } finally {
    busy = false;
  }
}

// Drops 'advance' commands of an older generation that were still queued.
function handle(message) {
  if (message.type === 'check' || message.type === 'cell') return sweep(message);
  if (message.type === 'describeData') return describeData(message);
  if (message.type === 'coord') return coordinates(message);
  if (message.type !== 'create' && message.gen !== gen) return;
  switch (message.type) {
    case 'create': return create(message);
    case 'reset':
      if (!run) return;
      run.reset();
      if (preset) preset.record = startRecord(preset.table, preset.entry, run);
      jacobianStep = null;
      return postFrame('init', null);
    case 'advance': return advance(message);
    case 'exact': return exact(message);
    default: throw new Error(`worker: unknown command ${message.type}`);
  }
}

// A sweep worker (wasm/sweep.mjs runSweep's protocol, as wasm/sweep-worker.mjs speaks it):
// the page's sweeps use these workers, so the single-file build needs no other worker.
// The sweep's code is a chunk of its own, loaded by the first sweep command: most visits
// never sweep, and every worker would otherwise fetch it up front.
let sweepModule = null;
async function sweep(message) {
  sweepModule ??= await import('../../wasm/sweep.mjs');
  const { checkSweep, runCell, sweepMeanField } = sweepModule;
  try {
    if (message.type === 'check') {
      const spec = checkSweep(lab, message.spec);
      self.postMessage({ type: 'checked', spec, meanField: sweepMeanField(lab, spec) });
    } else {
      self.postMessage({ type: 'result', result: runCell(lab, message.cell) });
    }
  } catch (error) {
    if (error?.name !== 'InitscopeError') throw error;
    self.postMessage({ type: 'error', message: error.message, field: error.field });
  }
}

// The coordinate check's view (coordCheckView.js): one width and seed at a time, so that the
// page shows progress and can stop between two. Its module loads with the first command.
let coordModule = null;
async function coordinates({ id, config, width, seed, steps }) {
  coordModule ??= await import('../../wasm/coordCheck.mjs');
  try {
    const rows = coordModule.coordinateCheck(lab, { config, widths: [width], seeds: [seed], steps });
    self.postMessage({ type: 'coordRows', id, rows });
  } catch (error) {
    if (!(error instanceof InitscopeError)) throw error;
    self.postMessage({ type: 'coordRows', id, error: { message: error.message, field: error.field } });
  }
}

// The data panel's question (dataPanel.js): what a data config builds, or the engine's refusal.
function describeData({ id, data }) {
  try {
    self.postMessage({ type: 'described', id, data: lab.describeData(data) });
  } catch (error) {
    if (!(error instanceof InitscopeError)) throw error;
    self.postMessage({ type: 'described', id, error: { message: error.message, field: error.field } });
  }
}

function create({ gen: newGen, config, preset: presetOf, state }) {
  gen = newGen;
  if (run) run.dispose();
  run = null;
  try {
    run = lab.createRun(config, { state });
  } catch (error) {
    if (!(error instanceof InitscopeError)) throw error;
    self.postMessage({ type: 'error', gen, message: error.message, field: error.field });
    return;
  }
  preset = null;
  checkpoints = [];
  if (presetOf) {
    const table = presetOf.row;
    const entry = { label: presetOf.label, title: presetOf.title, config };
    preset = { table, entry, record: startRecord(table, entry, run) };
    checkpoints = [...new Set([0, ...table.checkpoints, table.steps])].filter((s) => s <= table.steps).sort((a, b) => a - b);
  }
  const d = run.dataset();
  dataset = d;
  gridResolution = GRID_RESOLUTION;
  msPerStep = null;
  evaluation = null;
  lastEvalAt = -Infinity;
  lastGridAt = -Infinity;
  lastLineAt = -Infinity;
  lineMs = 0;
  jacobianStep = null;
  postFrame('init', null, { config: run.config, dataset: d });
}

// Trains for about budgetMs (at least one step, at most `steps`), then posts a frame. The
// first steps of a run are timed one at a time: a slice never starts from a guess.
function advance({ steps, budgetMs, exact, quick, request }) {
  if (!run) return;
  const started = performance.now();
  let done = 0;
  let result = null;
  const next = checkpoints.find((s) => s > stepOf());
  if (next !== undefined) steps = Math.min(steps, next - stepOf());
  while (done < steps) {
    const want = exact ? steps - done : msPerStep === null ? 1
      : Math.max(1, Math.min(steps - done, Math.floor((budgetMs - (performance.now() - started)) / msPerStep)));
    const t0 = performance.now();
    result = run.step(want);
    const dt = performance.now() - t0;
    msPerStep = msPerStep === null ? dt / want : 0.7 * msPerStep + 0.3 * (dt / want);
    done += want;
    if (result.diverged || exact || performance.now() - started >= budgetMs) break;
  }
  // quick: exactly `steps` steps, but a frame like any while playing (runs in lockstep).
  postFrame('step', result, { stepsTaken: done, stepMs: performance.now() - started, final: exact && !quick, request });
}

// The exact run out (wasm/exactScript.mjs): the script's input and the run's state.
// The exports' question (Export's exact scripts): their module loads with the first one.
async function exact({ request, steps }) {
  if (!run) return self.postMessage({ type: 'exact', gen, request, input: null, state: null });
  const { exactInput } = await import('../../wasm/exactScript.mjs');
  const state = run.exportState();
  const stateBytes = JSON.stringify(state).length;
  const fits = stateBytes <= lab.schema().config.inputBytes.max - 65536;
  self.postMessage({ type: 'exact', gen, request, input: exactInput(run, { steps, version: lab.version, schema: lab.schema() }), state: fits ? state : null, stateBytes });
}

// The shattered-gradients line (run.gradientLine): per layer, the correlation of
// neighbouring points' input gradients, and the output layer's gradient along the line.
// Its cost is about points × Σ_l Σ_{k≤l} 2·(multiply-adds of layer k) (a backward from every
// layer; a dense layer's are fanIn·fanOut, another kind's about its parameter count): big
// networks take fewer points (the same at every frame of a run, since the correlation
// depends on their spacing), the biggest none ({ tooLarge }). A preset that records the
// line gets its own points, so that the card shows the numbers its checks read.
function gradientLine(snapshot) {
  const asked = preset?.table.record?.gradientLine;
  let upTo = 0;
  let perPoint = 0;
  for (const l of snapshot.layers) {
    upTo += l.params ?? l.fanIn * l.fanOut;
    perPoint += 2 * upTo;
  }
  const points = asked?.points ?? Math.min(LINE_POINTS, Math.floor(LINE_MAX_MACS / Math.max(1, perPoint)));
  if (points < LINE_MIN_POINTS) return { tooLarge: true };
  const t0 = performance.now();
  // At step 0 the preset's record already holds this very line.
  const recorded = snapshot.step === 0 ? preset?.record.gradientLine : null;
  const { correlation, positions, gradients } = recorded ?? run.gradientLine({ ...asked, points });
  if (!recorded) lineMs = performance.now() - t0;
  return { step: snapshot.step, correlation, positions, output: gradients[gradients.length - 1] };
}

// The input-output Jacobian's spectrum (run.jacobianSpectrum), on settled frames only: one
// forward and backward of probes × (last hidden width) rows, about 3 multiply-adds per
// weight each, and an SVD per probe, so big networks take fewer probes and the biggest none
// ({ tooLarge }); a network the engine refuses (BatchNorm, a first layer that is not dense)
// says why ({ refused }). A preset
// that records the spectrum gets its own options, and at step 0 its record's numbers.
function jacobianSpectrum(snapshot) {
  const asked = preset?.table.record?.jacobianSpectrum;
  const recorded = snapshot.step === 0 ? preset?.record.jacobianSpectrum : null;
  if (recorded) return { step: 0, ...recorded };
  const layers = snapshot.layers;
  let weights = 0;
  for (const l of layers.slice(0, -1)) weights += l.params ?? l.fanIn * l.fanOut;
  const units = layers.at(-2)?.fanOut ?? 0;
  const first = layers[0]?.fanOut ?? 0;
  // Per probe: the passes, and the SVD (about 8 sweeps of n²/2 column pairs of m rows, 6 each).
  const [n, m] = [Math.min(units, first), Math.max(units, first)];
  const perProbe = 3 * units * weights + 24 * n * n * m;
  const limit = lab.schema().limits.jacobianProbes;
  const probes = Math.min(asked?.probes ?? limit.default, dataset.train, Math.floor(JACOBIAN_MAX_MACS / Math.max(1, perProbe)));
  if (probes < limit.min) return { step: snapshot.step, tooLarge: true };
  try {
    return { step: snapshot.step, ...run.jacobianSpectrum({ ...asked, probes }) };
  } catch (error) {
    if (!(error instanceof InitscopeError)) throw error;
    return { step: snapshot.step, refused: error.message };
  }
}

function postFrame(reason, result, extra = {}) {
  const now = performance.now();
  const t0 = now;
  const snapshot = run.snapshot();
  const snapshotMs = performance.now() - t0;
  lastStep = snapshot.step;
  const presetRecord = preset && keepRecord(preset.table, preset.record, run, snapshot) ? preset.record : undefined;
  const diverged = snapshot.diverged;
  const settle = reason === 'init' || extra.final || diverged;
  // Whole-set evaluation and the grid cost forward passes over many rows: refresh them
  // on a clock while playing, always when the run is created, stepped by hand or diverged.
  let predictions = null;
  let evaluated = false;
  // Small networks evaluate often (smooth curves), big ones at most 1/5 of the time.
  if (settle || now - lastEvalAt >= Math.max(EVALUATE_EVERY_MS, 5 * evalMs)) {
    if (!diverged) {
      evaluated = true;
      const e0 = performance.now();
      evaluation = run.evaluate();
      evalMs = performance.now() - e0;
      if (!dataset.is2d && typeof run.predict === 'function') predictions = run.predict('test');
    }
    lastEvalAt = now;
  }
  let grid = null;
  if (dataset.is2d && !diverged && (settle || now - lastGridAt >= GRID_EVERY_MS)) {
    const g0 = performance.now();
    const values = run.decisionGrid(gridResolution, dataset.extent);
    grid = { values, resolution: gridResolution, extent: dataset.extent };
    const gridMs = performance.now() - g0;
    // Keep the grid under ~30 ms a refresh on big networks.
    if (gridMs > 30 && gridResolution > GRID_MIN_RESOLUTION) {
      gridResolution = Math.max(GRID_MIN_RESOLUTION, Math.floor(gridResolution * 0.75));
    }
    lastGridAt = now;
  }
  let line;
  // While training, a slow line (a deep, wide network) comes at most 1/20 of the time.
  if (!diverged && (settle || now - lastLineAt >= Math.max(LINE_EVERY_MS, 20 * lineMs))) {
    line = gradientLine(snapshot);
    lastLineAt = now;
  }
  // Recomputed only when the run settles at a step it has not been computed for.
  let jacobian;
  if (settle && !diverged && jacobianStep !== snapshot.step) {
    jacobian = jacobianSpectrum(snapshot);
    jacobianStep = snapshot.step;
  }
  const transfer = [];
  const first = snapshot.layers[0]?.z.histogram.counts;
  if (first) transfer.push(first.buffer);
  if (grid) transfer.push(grid.values.buffer);
  self.postMessage({
    type: 'frame', gen, reason, step: snapshot.step, snapshot, evaluation, evaluated, grid, predictions,
    diverged, result, snapshotMs, presetRecord, ...(line ? { line } : {}), ...(jacobian ? { jacobian } : {}), ...extra,
    // Settled: a frame of a run at rest (created, stepped by hand, paused, diverged), evaluated in full.
    settled: Boolean(settle),
    // The engine's memory (wasm memory size, heap in use): for the page's memory checks.
    memory: { wasmBytes: lab.memoryBytes(), heapInUse: lab.heapInUse() },
  }, transfer);
}

// Running a preset and keeping its record: the records the checks read (one per run, one
// per sweep) and the functions that make them. Headless, no DOM: the CLI and the tests run
// whole presets with runPreset; the page's worker steps its own run and keeps the record
// with startRecord, addCheckpoint and finishRecord, the same functions runPresetRun uses.
// A preset is a row of the table in presets.mjs; its sweeps run through sweep.mjs.
//
//   const record = runPresetRun(lab, preset, preset.runs[0]);       // one run, to preset.steps
//   const results = await runPreset(lab, preset, { signal });       // { label: record, ... }
import { InitscopeError } from './errors.mjs';
import { runInSlices, runSweepInThread, summarizeSweep } from './sweep.mjs';

const pick = ({ mean, std, rms, min, max }) => ({ mean, std, rms, min, max });

/**
 * What the checks read at one step: whole-set loss and accuracy (testError in %, null
 * without a test set) and, per layer on the probe batch, the moments of z, a, dz, w and dw
 * (zVar = z.std²), saturated, dead, distinctUnits, updateRatio, lsuvIterations.
 */
export function recordCheckpoint(run) {
  const e = run.evaluate();
  const s = run.snapshot();
  return {
    step: s.step,
    trainLoss: e.trainLoss,
    trainAccuracy: e.trainAccuracy,
    testLoss: e.testLoss,
    testAccuracy: e.testAccuracy,
    testError: run.config.data.test > 0 ? 100 * (1 - e.testAccuracy) : null,
    loss: s.loss,
    gradNorm: s.gradNorm,
    gradientRatio: s.gradientRatio,
    layers: s.layers.map((l) => ({
      z: pick(l.z),
      zVar: l.z.std * l.z.std,
      a: pick(l.a),
      dz: pick(l.dz),
      w: pick(l.w),
      dw: pick(l.dw),
      saturated: l.saturated,
      dead: l.dead,
      distinctUnits: l.distinctUnits,
      updateRatio: l.updateRatio,
      lsuvIterations: l.lsuvIterations,
    })),
  };
}

function poolWeights(run, [from, to]) {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  const layers = run.weights().slice(from, to);
  for (const { W } of layers) {
    for (const w of W) {
      count += 1;
      sum += w;
      if (w < min) min = w;
      if (w > max) max = w;
    }
  }
  const mean = sum / count;
  let sq = 0;
  for (const { W } of layers) for (const w of W) sq += (w - mean) ** 2;
  return { count, mean, std: Math.sqrt(sq / count), min, max };
}

function stopsOf(preset, every) {
  const stops = new Set(preset.checkpoints.filter((s) => s <= preset.steps));
  stops.add(0);
  stops.add(preset.steps);
  if (every > 0) for (let s = every; s < preset.steps; s += every) stops.add(s);
  return [...stops].sort((a, b) => a - b);
}

/**
 * A record for a run the caller steps itself (the page's worker, which draws every frame):
 * call at step 0, then keepRecord after each run.step() call, which adds a checkpoint
 * (addCheckpoint) at each of the preset's checkpoints (isCheckpoint) and finishes the
 * record (finishRecord) at the preset's last step or where the run diverged, as
 * runPresetRun does. A record in progress has `init` from its first checkpoint on and no
 * `final`: the checks wait for `final`.
 */
export function startRecord(preset, entry, run) {
  const s0 = run.snapshot();
  const record = {
    label: entry.label,
    title: entry.title,
    steps: 0,
    diverged: null,
    layers: s0.layers.map((l) => ({
      fanIn: l.fanIn, fanOut: l.fanOut, activation: l.activation, init: l.init,
      initMean: l.initMean, initStd: l.initStd, initLaw: l.initLaw,
    })),
    checkpoints: [],
    at: {},
  };
  if (preset.record?.initialWeights) record.initialWeights = poolWeights(run, preset.record.initialWeights.layers);
  return record;
}

/** Whether the preset keeps per-layer statistics at this step (0, the checkpoints, the end). */
export function isCheckpoint(preset, step) {
  return step === 0 || step === preset.steps || preset.checkpoints.includes(step);
}

/** Records the run's current state as a checkpoint (its step too; the first is `init`) → the checkpoint. */
export function addCheckpoint(record, run) {
  const cp = recordCheckpoint(run);
  record.checkpoints.push(cp);
  record.at[cp.step] = cp;
  record.steps = cp.step;
  record.init ??= cp;
  return cp;
}

/** Sets init and final (the first and last checkpoints) and the divergence, if any. */
export function finishRecord(record, diverged = null) {
  record.diverged = diverged ?? record.diverged;
  record.init = record.checkpoints[0];
  record.final = record.checkpoints[record.checkpoints.length - 1];
  return record;
}

/**
 * For a caller that steps the run itself and looks at it after each call (the page's
 * worker, a frame at a time, never stepping past the next checkpoint): keeps the record at
 * the run's current `step` as runPresetRun does: a checkpoint at each of the preset's
 * steps, and one where the run diverged (the record is then finished there); finished at
 * preset.steps. Once finished the record stays as it is. → whether the record changed.
 */
export function keepRecord(preset, record, run, { step, diverged = null }) {
  if (record.final) return false;
  if (diverged) {
    addCheckpoint(record, run);
    finishRecord(record, diverged);
    return true;
  }
  if (!isCheckpoint(preset, step) || Object.hasOwn(record.at, step)) return false;
  addCheckpoint(record, run);
  if (step >= preset.steps) finishRecord(record);
  return true;
}

/**
 * Trains one run of a preset and returns its record: { label, title, steps, diverged,
 * layers: [{ fanIn, fanOut, activation, init, initMean, initStd, initLaw }], checkpoints,
 * at: { step: checkpoint }, init, final, initialWeights? }. A run that diverges stops
 * there; its final checkpoint is the step where it stopped.
 * onLine({ label, step, loss, trainLoss, trainAccuracy, testLoss, testAccuracy }) at every
 * checkpoint and every `every` steps (0: only the checkpoints); loss is the last
 * minibatch's (null at step 0), the others over the whole sets.
 */
export function runPresetRun(lab, preset, entry, options = {}) {
  const slices = presetRunSlices(lab, preset, entry, options, () => Infinity);
  for (;;) {
    const { done, value } = slices.next();
    if (done) return value;
  }
}

// runPresetRun as a generator that yields after every run.step() call of at most budget()
// steps (see runInSlices); how the steps are cut changes no bit.
function* presetRunSlices(lab, preset, entry, { every = 0, onLine, onCheckpoint } = {}, budget) {
  const run = lab.createRun(entry.config);
  try {
    const record = startRecord(preset, entry, run);
    let loss = null;
    let diverged = null;
    const keep = () => {
      const cp = addCheckpoint(record, run);
      onCheckpoint?.(entry.label, cp);
      return cp;
    };
    const line = (step, e, extra = {}) => onLine?.({
      label: entry.label, step, loss,
      trainLoss: e.trainLoss, trainAccuracy: e.trainAccuracy, testLoss: e.testLoss, testAccuracy: e.testAccuracy,
      ...extra,
    });
    let step = 0;
    for (const stop of stopsOf(preset, every)) {
      while (step < stop && !diverged) {
        const n = Math.max(1, Math.min(stop - step, budget()));
        const r = run.step(n);
        loss = r.loss;
        step = r.step;
        diverged = r.diverged;
        if (step < stop && !diverged) yield n;
      }
      if (diverged) break;
      line(stop, isCheckpoint(preset, stop) ? keep() : run.evaluate());
    }
    if (diverged) line(step, keep(), { diverged });
    record.steps = step;
    return finishRecord(record, diverged);
  } finally {
    run.dispose();
  }
}

/** A sweep's record: { label, title, kind: 'sweep', count, successes, successRate, byX, cells, meanField }. */
export function sweepRecord(entry, result) {
  return { label: entry.label, title: entry.title, kind: 'sweep', ...summarizeSweep(result), cells: result.cells, meanField: result.meanField };
}

/**
 * Runs a preset headless → { label: record } for every run and sweep (or only those named
 * in `runs`). `sweep(spec, { onProgress })` runs a sweep (default: in this thread, in
 * slices; the CLI passes wasm/sweep.mjs's runSweep with workers). onRecord(label, record)
 * after each. The runs train in slices of about 50 ms that hand the thread back between
 * them, so that an aborted `signal` stops the preset there (AbortError).
 */
export async function runPreset(lab, preset, { runs, every = 0, onLine, onCheckpoint, onRecord, onSweepProgress, sweep, signal } = {}) {
  const wanted = runs ? new Set(runs) : null;
  const labels = [...preset.runs, ...(preset.sweeps ?? [])].map((r) => r.label);
  if (wanted) {
    for (const label of wanted) {
      if (!labels.includes(label)) {
        throw new InitscopeError(`runs: ${JSON.stringify(label)} is not a run of ${preset.name}; its runs: ${labels.join(', ')}`, 'runs');
      }
    }
  }
  const results = {};
  for (const entry of preset.runs) {
    if (wanted && !wanted.has(entry.label)) continue;
    results[entry.label] = await runInSlices(
      (budget) => presetRunSlices(lab, preset, entry, { every, onLine, onCheckpoint }, budget), { signal });
    onRecord?.(entry.label, results[entry.label]);
  }
  for (const entry of preset.sweeps ?? []) {
    if (wanted && !wanted.has(entry.label)) continue;
    const onProgress = (p) => onSweepProgress?.(entry.label, p);
    const result = sweep ? await sweep(entry.spec, { onProgress }) : await runSweepInThread(lab, entry.spec, { onProgress, signal });
    results[entry.label] = sweepRecord(entry, result);
    onRecord?.(entry.label, results[entry.label]);
  }
  return results;
}

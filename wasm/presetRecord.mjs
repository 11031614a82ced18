// A preset run's record, kept while the caller steps the run (the page's worker, a frame at
// a time; presetRunner.mjs's runPresetRun, to the end): no table, no sweep, so that the
// worker carries neither the runner nor the sweep's code up front.
import { recordCheckpoint } from './presetCheckpoint.mjs';

export { recordCheckpoint };

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
  if (preset.record?.gradientLine) record.gradientLine = run.gradientLine(preset.record.gradientLine);
  if (preset.record?.jacobianSpectrum) record.jacobianSpectrum = run.jacobianSpectrum(preset.record.jacobianSpectrum);
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

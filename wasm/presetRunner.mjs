// Running a preset and keeping its record: the records the checks read (one per run, one
// per sweep) and the functions that make them. Headless, no DOM: the CLI and the tests run
// whole presets with runPreset; the page's worker steps its own run and keeps the record
// with startRecord, addCheckpoint and finishRecord (presetRecord.mjs), the same functions
// runPresetRun uses. A preset is a row of the table in presetTable.mjs; its sweeps run
// through sweep.mjs.
//
//   const record = runPresetRun(lab, preset, preset.runs[0]);       // one run, to preset.steps
//   const results = await runPreset(lab, preset, { signal });       // { label: record, ... }
import { InitscopeError } from './errors.mjs';
import { runInSlices, runSweepInThread, summarizeSweep } from './sweep.mjs';
import { startRecord, addCheckpoint, finishRecord, isCheckpoint } from './presetRecord.mjs';

export * from './presetRecord.mjs';

function stopsOf(preset, every) {
  const stops = new Set(preset.checkpoints.filter((s) => s <= preset.steps));
  stops.add(0);
  stops.add(preset.steps);
  if (every > 0) for (let s = every; s < preset.steps; s += every) stops.add(s);
  return [...stops].sort((a, b) => a - b);
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

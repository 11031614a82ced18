// Presets (wasm/presets.mjs): the table is complete and every run is a config the engine
// takes; each preset runs headless at its real size (no step counts scaled for the test)
// and reaches its published qualitative outcome, asserted here with the margins of the
// issue as well as through the preset's own checks; the checks themselves can fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  PRESETS, checkExpectation, checkOutcome, getPreset, resolvePath, runPreset, runPresetRun,
} from '../../wasm/presets.mjs';
import { checkSweep } from '../../wasm/sweep.mjs';
import { InitscopeError } from '../../wasm/initscope.mjs';
import { lab } from './helpers.mjs';
import { runChecked, sweepOnWorkers } from './presetHelpers.mjs';
import { isPace } from '../../web/src/pace.js';

const NAMES = [
  'coursera-circles', 'dlai-playground', 'dlai-histograms', 'glorot-2010', 'he-2015', 'cs231n-tanh',
  'saxe-orthogonal', 'keras-xor', 'uniform-n10', 'lsuv', 'gradient-clipping', 'input-normalization',
  'bn-without-skips', 'shattered-gradients', 'pre-post-norm', 'rezero', 'fixup', 'dynamical-isometry', 'lr-transfer',
];
const VIEWS = ['loss', 'data', 'signal', 'jacobian', 'health', 'activations', 'gradients', 'trace', 'summary', 'weights', 'sweep', 'shatter'];
const OPS = ['equals', 'atLeast', 'atMost', 'below', 'above', 'between', 'near', 'isNull'];

test('the table: every preset has its parts, unique path-safe labels, valid configs and sweep specs', () => {
  assert.deepEqual(PRESETS.map((p) => p.name), NAMES);
  for (const p of PRESETS) {
    const where = p.name;
    for (const key of ['title', 'text', 'source']) assert.ok(typeof p[key] === 'string' && p[key].length > 10, `${where}.${key}`);
    assert.ok(p.text.length >= 150 && p.text.length <= 900, `${where}.text: ${p.text.length} characters`);
    assert.ok(typeof p.published.summary === 'string' && p.published.summary.length > 20, `${where}.published.summary`);
    assert.ok(Array.isArray(p.scaledDown) && p.scaledDown.length >= 1 && p.scaledDown.every((s) => s.length > 20), `${where}.scaledDown`);
    assert.ok(Number.isInteger(p.steps) && p.steps >= 0, `${where}.steps`);
    assert.ok(isPace(p.pace), `${where}.pace: ${p.pace}`);
    // Play at the preset's pace tells its story in about 10-25 s (a preset of step 0 has none to tell).
    if (p.steps > 0) assert.ok(p.steps / p.pace >= 5 && p.steps / p.pace <= 30, `${where}: ${p.steps} steps at ${p.pace} steps/s`);
    assert.ok(p.checkpoints.includes(0) && p.checkpoints.every((s) => Number.isInteger(s) && s >= 0 && s <= p.steps), `${where}.checkpoints`);
    assert.deepEqual([...p.checkpoints].sort((a, b) => a - b), p.checkpoints, `${where}.checkpoints are sorted`);
    assert.ok(p.views.length >= 1 && p.views.every((v) => VIEWS.includes(v)), `${where}.views: ${p.views}`);
    const labels = [...p.runs, ...(p.sweeps ?? [])].map((r) => r.label);
    assert.equal(new Set(labels).size, labels.length, `${where}: labels are unique`);
    for (const label of labels) assert.match(label, /^[a-z0-9][a-z0-9-]*$/, `${where}: label ${label}`);
    assert.ok(p.runs.length >= 1, `${where}.runs`);
    for (const r of p.runs) {
      assert.ok(r.title, `${where}/${r.label}.title`);
      const run = lab.createRun(r.config);  // throws if the engine does not take it
      assert.equal(run.config.layers.length, r.config.layers.length);
      run.dispose();
    }
    for (const s of p.sweeps ?? []) checkSweep(lab, s.spec);
    for (const f of p.published.figures) {
      assert.ok(p.runs.some((r) => r.label === f.run), `${where}: figure for ${f.run}`);
      assert.ok(typeof f.value === 'number' || (f.value === null && f.shown), `${where}: ${f.quantity}`);
    }
    assert.ok(p.expect.length >= 3, `${where}.expect`);
    for (const e of p.expect) {
      assert.equal(OPS.filter((op) => op in e).length, 1, `${where}: ${e.claim} has one operator`);
      const refs = [e.value, ...OPS.map((op) => e[op]).filter((v) => typeof v === 'string')];
      for (const ref of refs) assert.ok(labels.includes(ref.split(/[.[]/)[0]), `${where}: ${ref} names a run`);
    }
  }
  // JSON-safe: a Web Worker can receive it.
  assert.deepEqual(JSON.parse(JSON.stringify(PRESETS)), structuredClone(PRESETS));
});

test('the table is frozen data beside the API: the lab has no presets, getPreset finds a row', () => {
  assert.ok(Object.isFrozen(PRESETS) && Object.isFrozen(PRESETS[0].runs[0].config));
  assert.throws(() => { PRESETS[0].runs[0].config.seed = 99; }, TypeError);
  assert.equal(structuredClone(PRESETS)[0].runs[0].config.seed, PRESETS[0].runs[0].config.seed);
  assert.equal('presets' in lab, false, 'the JS API carries no preset table');
  assert.equal(getPreset('lsuv'), PRESETS.find((p) => p.name === 'lsuv'));
  assert.equal(getPreset('nope'), undefined);
});

test('the checks can fail: paths, slices, references, missing values', () => {
  const results = {
    a: { final: { acc: 0.5, layers: [{ s: 0.9 }, { s: 0.85 }, { s: 0.2 }] }, diverged: null, steps: [10, null] },
    b: { final: { acc: 0.96 }, diverged: { step: 3 } },
  };
  assert.equal(resolvePath(results, 'a.final.acc'), 0.5);
  assert.deepEqual(resolvePath(results, 'a.final.layers[0:2].s'), [0.9, 0.85]);
  assert.deepEqual(resolvePath(results, 'a.final.layers[*].s'), [0.9, 0.85, 0.2]);
  assert.equal(resolvePath(results, 'a.final.layers[-1].s'), 0.2);
  assert.equal(resolvePath(results, 'a.final.nothing.here'), undefined);
  assert.equal(resolvePath(results, 'c.final.acc'), undefined);
  const check = (e) => checkExpectation(results, { claim: 'x', ...e });
  assert.equal(check({ value: 'a.final.acc', equals: 0.5 }).holds, true);
  assert.equal(check({ value: 'a.final.acc', equals: 0.51 }).holds, false);
  assert.equal(check({ value: 'b.final.acc', atLeast: 0.95 }).holds, true);
  assert.equal(check({ value: 'b.final.acc', atLeast: 0.97 }).holds, false);
  assert.equal(check({ value: 'a.final.acc', below: 'b.final.acc' }).holds, true);
  assert.equal(check({ value: 'b.final.acc', below: 'a.final.acc' }).holds, false);
  assert.equal(check({ value: 'a.final.acc', above: 'b.final.acc', times: 0.5 }).holds, true);
  assert.equal(check({ value: 'a.final.acc', above: 'b.final.acc', times: 0.6 }).holds, false);
  assert.equal(check({ value: 'a.final.layers[0:2].s', atLeast: 0.8 }).holds, true);
  assert.equal(check({ value: 'a.final.layers[*].s', atLeast: 0.8 }).holds, false, 'every element must pass');
  assert.equal(check({ value: 'a.final.layers[5:9].s', atLeast: 0 }).holds, false, 'an empty slice does not pass');
  assert.equal(check({ value: 'a.final.acc', between: [0.4, 0.6] }).holds, true);
  assert.equal(check({ value: 'a.final.acc', between: [0.6, 0.7] }).holds, false);
  assert.equal(check({ value: 'a.final.acc', near: 0.52, relTol: 0.05 }).holds, true);
  assert.equal(check({ value: 'a.final.acc', near: 0.6, relTol: 0.05 }).holds, false);
  assert.equal(check({ value: 'a.diverged', isNull: true }).holds, true);
  assert.equal(check({ value: 'b.diverged', isNull: true }).holds, false);
  assert.equal(check({ value: 'b.diverged', isNull: false }).holds, true);
  assert.equal(check({ value: 'c.final.acc', atLeast: 0 }).holds, false, 'a missing value fails');
  assert.equal(check({ value: 'a.steps[1]', above: 'a.steps[0]', times: 3 }).holds, false, 'null fails');
  assert.equal(check({ value: 'a.steps[1]', above: 'a.steps[0]', times: 3, missing: 'infinite' }).holds, true);
  assert.equal(check({ value: 'a.steps[0]', above: 'a.steps[1]', missing: 'infinite' }).holds, false);
  assert.match(check({ value: 'b.final.acc', atLeast: 0.97 }).detail, /^0\.96 ≥ 0\.97$/);
  // A preset's outcome leaves out the checks of runs that did not run, and fails on a wrong number.
  const coursera = getPreset('coursera-circles');
  const fake = (zeros, he, random) => ({
    zeros: { final: { trainAccuracy: zeros, testAccuracy: zeros, layers: [{ distinctUnits: 1 }, { distinctUnits: 1 }, { distinctUnits: 1 }] }, init: { trainLoss: 0.69 } },
    he: { final: { trainAccuracy: he }, init: { trainLoss: 0.7 } },
    random: { final: { trainAccuracy: random }, init: { trainLoss: 500 } },
  });
  assert.equal(checkOutcome(coursera, fake(0.5, 0.97, 0.8)).holds, true);
  assert.equal(checkOutcome(coursera, fake(0.51, 0.97, 0.8)).holds, false);
  assert.equal(checkOutcome(coursera, fake(0.5, 0.94, 0.8)).holds, false);
  assert.equal(checkOutcome(coursera, fake(0.5, 0.97, 0.98)).holds, false);
  const onlyZeros = checkOutcome(coursera, { zeros: fake(0.5, 0, 0).zeros });
  assert.deepEqual(onlyZeros.checks.map((c) => c.claim), coursera.expect.filter((e) => e.value.startsWith('zeros.')).map((e) => e.claim));
});

test('runPreset: unknown run labels, and a diverging run records where it stopped', async () => {
  await assert.rejects(runPreset(lab, getPreset('keras-xor'), { runs: ['seed9'] }),
    (err) => err instanceof InitscopeError && err.field === 'runs' && /"seed9" is not a run of keras-xor; its runs: seed0, seed1, seeds, slice/.test(err.message));
  const preset = getPreset('gradient-clipping');
  const lines = [];
  const record = runPresetRun(lab, preset, preset.runs[0], { onLine: (l) => lines.push(l) });
  assert.ok(record.diverged && record.steps === record.diverged.step && record.steps < preset.steps);
  assert.equal(record.final.step, record.steps);
  assert.equal(record.final.trainLoss, null);
  assert.deepEqual(lines.at(-1).diverged, record.diverged);
  assert.deepEqual(record.checkpoints.map((c) => c.step), [...preset.checkpoints.filter((s) => s < record.steps), record.steps]);
  // The same preset run twice gives the same record.
  assert.deepEqual(runPresetRun(lab, preset, preset.runs[1]), runPresetRun(lab, preset, preset.runs[1]));
});

test('runPreset trains in slices: the records of runPresetRun, and an abort stops it within a slice', async () => {
  const preset = getPreset('coursera-circles');
  const lines = [];
  const results = await runPreset(lab, preset, { onLine: (l) => lines.push(l) });
  for (const entry of preset.runs) assert.deepEqual(results[entry.label], runPresetRun(lab, preset, entry), entry.label);
  assert.deepEqual(lines.filter((l) => l.label === 'he').map((l) => l.step), [...new Set([0, ...preset.checkpoints, preset.steps])].sort((a, b) => a - b));
  const controller = new AbortController();
  const heapBefore = lab.heapInUse();
  let abortedAt = null;
  setTimeout(() => { abortedAt = Date.now(); controller.abort(); }, 100);
  await assert.rejects(runPreset(lab, preset, { signal: controller.signal }), (err) => err.name === 'AbortError');
  assert.ok(Date.now() - abortedAt < 5000, `stopped ${Date.now() - abortedAt} ms after the abort`);
  assert.equal(lab.heapInUse(), heapBefore, 'the cancelled run was disposed of');
});

test('coursera-circles: zeros exactly 0.5, He at least 0.95 train accuracy, ×10 below He', async (t) => {
  const r = await runChecked(t, 'coursera-circles');
  assert.equal(r.zeros.final.trainAccuracy, 0.5);
  assert.equal(r.zeros.final.testAccuracy, 0.5);
  assert.ok(Math.abs(r.zeros.final.trainLoss - Math.LN2) < 1e-6);
  assert.ok(r.he.final.trainAccuracy >= 0.95);
  assert.ok(r.random.final.trainAccuracy < r.he.final.trainAccuracy);
  assert.equal(r.he.steps, 15000);
  assert.deepEqual(Object.keys(r.he.at).map(Number), getPreset('coursera-circles').checkpoints);
});

test('dlai-playground: zero never learns, v = 100 starts huge, v = 1 learns', async (t) => {
  const r = await runChecked(t, 'dlai-playground');
  for (const set of ['circles', 'spiral', 'quadrants', 'gaussians']) {
    assert.equal(r[`${set}-zero`].final.layers[0].distinctUnits, 1);
    assert.ok(r[`${set}-large`].init.trainLoss > 10 * r[`${set}-appropriate`].init.trainLoss);
  }
  assert.ok(r['circles-appropriate'].final.trainAccuracy >= 0.95);
});

test('dlai-histograms: zero stays 0, ±1/√n shrinks, Xavier keeps its spread, N(0, 1) saturates', async (t) => {
  const r = await runChecked(t, 'dlai-histograms');
  assert.deepEqual(r.zero.final.layers.slice(0, 4).map((l) => l.a.std), [0, 0, 0, 0]);
  assert.ok(r.uniform.init.layers[3].a.std < r.uniform.init.layers[0].a.std / 3);
  assert.ok(r.normal.init.layers[3].saturated > 0.5);
  assert.ok(r.xavier.final.testAccuracy > r.normal.final.testAccuracy);
});

test('glorot-2010: standard init shrinks the gradients toward the input, normalized keeps them', async (t) => {
  const r = await runChecked(t, 'glorot-2010');
  const ratio = (run) => run.init.layers[0].dz.rms / run.init.layers[4].dz.rms;
  assert.ok(ratio(r.standard) < 0.3 && ratio(r.normalized) > 0.5, `${ratio(r.standard)} ${ratio(r.normalized)}`);
  assert.ok(r.normalized.final.testError < r.standard.final.testError);
});

test('he-2015: under Xavier the deep layers\' activations and gradients shrink and it trains worse than He', async (t) => {
  const r = await runChecked(t, 'he-2015');
  const { xavier, he } = r;
  assert.ok(xavier.init.layers[28].a.std < 0.01 * xavier.init.layers[0].a.std);
  assert.ok(xavier.init.layers[0].dz.rms < 0.01 * xavier.init.layers[28].dz.rms);
  assert.ok(he.init.layers[28].a.std > 0.1 * he.init.layers[0].a.std);
  assert.ok(xavier.final.trainLoss > 2.2, `Xavier stalls: ${xavier.final.trainLoss}`);
  assert.ok(he.final.trainLoss < xavier.final.trainLoss / 2);
  assert.ok(he.final.trainAccuracy > xavier.final.trainAccuracy + 0.3);
});

test('cs231n-tanh: std 0.01 vanishes, 1.0 saturates, 1/√fan_in stays', async (t) => {
  const r = await runChecked(t, 'cs231n-tanh');
  assert.ok(r.std001.init.layers[9].a.std < 1e-5);
  assert.ok(r.std001.init.layers.slice(0, 10).every((l, i, a) => i === 0 || l.a.std < a[i - 1].a.std), 'shrinks layer after layer');
  assert.ok(r.std1.init.layers.slice(0, 10).every((l) => l.saturated > 0.8));
  const x = r.xavier.init.layers.slice(0, 10);
  assert.ok(x[9].a.std > 0.1 && x.every((l) => l.saturated < 0.05));
});

test('saxe-orthogonal: learning time grows with depth under Gaussian init and not under orthogonal', async (t) => {
  const r = await runChecked(t, 'saxe-orthogonal');
  const best = (label) => r[label].byX.map((b) => b.bestStepsToSuccess);
  t.diagnostic(`best steps by depth 1..32: gaussian ${best('gaussian')}, orthogonal ${best('orthogonal')}`);
  const ortho = best('orthogonal');
  assert.ok(ortho.every((s) => s !== null), 'orthogonal reaches the threshold at every depth');
  assert.ok(Math.max(...ortho) <= 2 * Math.min(...ortho), `orthogonal ${ortho}`);
  const gauss = best('gaussian');
  const deepest = gauss.at(-1) ?? Infinity;
  assert.ok(deepest > 3 * gauss[0] && deepest > 3 * ortho.at(-1), `gaussian ${gauss}`);
});

test('keras-xor: a success rate over 100 seeds, strictly between 0 and 1', async (t) => {
  const r = await runChecked(t, 'keras-xor');
  const { seeds, slice } = r;
  const solved = seeds.cells.filter((c) => c.trainAccuracy === 1).length;
  t.diagnostic(`XOR solved by ${solved} of 100 seeds; ${slice.successes} of ${slice.count} starting points of the slice`);
  assert.equal(seeds.count, 100);
  assert.equal(seeds.successes, solved);
  assert.equal(seeds.successRate, solved / 100);
  assert.ok(solved > 0 && solved < 100);
  assert.deepEqual(seeds.cells.map((c) => c.x), [...Array(100).keys()]);
  assert.equal(slice.count, 17 * 17);
  assert.equal(seeds.cells[0].success, r.seed0.final.trainAccuracy === 1, 'the sweep cell and the run agree');
  assert.equal(seeds.cells[1].success, r.seed1.final.trainAccuracy === 1);
});

test('uniform-n10: U(±1/√10) bound 0.316, std near 1/√30; Glorot uniform 0.548, std 0.316', async (t) => {
  const r = await runChecked(t, 'uniform-n10');
  const { standard, glorot } = r;
  assert.equal(standard.initialWeights.count, 1000);
  assert.equal(standard.layers[0].initLaw.kind, 'uniform');
  assert.ok(Math.abs(standard.layers[0].initLaw.hi - 1 / Math.sqrt(10)) < 1e-7);
  assert.ok(Math.abs(standard.initialWeights.std - 1 / Math.sqrt(30)) < 0.05 / Math.sqrt(30));
  assert.ok(Math.abs(glorot.layers[0].initLaw.hi - Math.sqrt(6 / 20)) < 1e-7);
  assert.ok(Math.abs(glorot.initialWeights.std - Math.sqrt(0.1)) < 0.05 * Math.sqrt(0.1));
  assert.match(getPreset('uniform-n10').runs[0].title, /NOT Xavier/);
});

test('lsuv: unit variance in every layer at the start, and it trains where plain orthogonal stalls', async (t) => {
  const r = await runChecked(t, 'lsuv');
  for (const l of r.lsuv.init.layers.slice(0, 19)) assert.ok(Math.abs(l.zVar - 1) <= 0.02, `Var ${l.zVar}`);
  assert.ok(r.lsuv.init.layers.slice(0, 19).some((l) => l.lsuvIterations >= 1));
  assert.ok(r.orthogonal.final.trainLoss > 2.2);
  assert.ok(r.lsuv.final.trainAccuracy >= 0.8);
});

test('gradient-clipping: without clipping NaN, with clipNorm 1 it learns', async (t) => {
  const r = await runChecked(t, 'gradient-clipping');
  assert.ok(r.unclipped.diverged !== null);
  assert.equal(r.clipped.diverged, null);
  assert.ok(r.clipped.final.trainAccuracy >= 0.95);
});

test('input-normalization: raw iris saturates the first layer and trains worse', async (t) => {
  const r = await runChecked(t, 'input-normalization');
  assert.ok(r.raw.init.layers[0].saturated > 0.1);
  assert.ok(r.raw.final.trainAccuracy < Math.min(r.minmax.final.trainAccuracy, r.standardize.final.trainAccuracy));
});

test('a run stepped by its caller (as the page\'s worker does) gives the record runPresetRun gives', async () => {
  const { startRecord, keepRecord } = await import('../../wasm/presets.mjs');
  // input-normalization trains to its end; gradient-clipping's first run diverges on the way.
  for (const [name, k] of [['input-normalization', 0], ['gradient-clipping', 0]]) {
    const preset = getPreset(name);
    const entry = preset.runs[k];
    const stops = [...new Set([0, ...preset.checkpoints, preset.steps])].sort((a, b) => a - b);
    const run = lab.createRun(entry.config);
    const record = startRecord(preset, entry, run);
    const kept = [];
    // Frames of uneven sizes that never pass the next checkpoint; every frame looks twice.
    const frame = () => {
      const { step, diverged } = run.snapshot();
      kept.push(keepRecord(preset, record, run, { step, diverged }));
      assert.equal(keepRecord(preset, record, run, { step, diverged }), false, `${name}: a second look at step ${step} keeps nothing`);
    };
    frame();
    assert.ok(record.init && !record.final, `${name}: a record in progress has init and no final`);
    for (let size = 1; run.snapshot().step < preset.steps + 20 && !run.snapshot().diverged; size = (size * 3) % 17 + 1) {
      const step = run.snapshot().step;
      const next = stops.find((s) => s > step);
      run.step(next === undefined ? size : Math.min(size, next - step));
      frame();
    }
    run.dispose();
    const expected = runPresetRun(lab, preset, entry);
    assert.deepEqual(record, expected, name);
    assert.equal(kept.filter(Boolean).length, expected.checkpoints.length, `${name}: a change per checkpoint, none after the end`);
  }
  assert.ok(runPresetRun(lab, getPreset('gradient-clipping'), getPreset('gradient-clipping').runs[0]).diverged, 'the second case diverges');
});

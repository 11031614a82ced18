// The learning-rate transfer preset (wasm/presetTableMup.mjs) at its real size: three
// seeds, one sweep of width × learning rate per parameterization and seed. Under SP the
// best learning rate falls by at least a factor 4 from width 32 to 512 for every seed;
// under muP it stays within a factor 2 (on this grid of octaves: the same rate).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { getPreset } from '../../wasm/presets.mjs';
import { summarizeSweep } from '../../wasm/sweep.mjs';
import { runChecked } from './presetHelpers.mjs';

const preset = getPreset('lr-transfer');
const seedsOf = (kind) => preset.sweeps.filter((s) => s.label.startsWith(`${kind}-`)).map((s) => s.label);

test('lr-transfer: the best learning rate drifts with width under SP and stays put under muP, for every seed', async (t) => {
  const r = await runChecked(t, 'lr-transfer');
  assert.equal(seedsOf('sp').length, 3);
  assert.equal(seedsOf('mup').length, 3);
  const best = (label) => r[label].byX.map((b) => b.lowestLossY);
  for (const label of seedsOf('sp')) {
    const lrs = best(label);
    t.diagnostic(`${label}: best lr by width ${r[label].byX.map((b) => b.x)}: ${lrs.map((v) => `2^${Math.log2(v)}`)}`);
    assert.ok(lrs[0] >= 4 * lrs.at(-1), `${label}: ${lrs}`);
  }
  for (const label of seedsOf('mup')) {
    const lrs = best(label);
    t.diagnostic(`${label}: best lr by width: ${lrs.map((v) => `2^${Math.log2(v)}`)}`);
    assert.ok(Math.max(...lrs) <= 2 * Math.min(...lrs), `${label}: ${lrs}`);
  }
  // The record's best rate is the cell of lowest loss among those that did not diverge.
  const { cells } = r['sp-seed1'];
  const widest = cells.filter((c) => c.xi === 2 && c.loss !== null);
  const lowest = widest.reduce((a, c) => (c.loss < a.loss ? c : a));
  assert.equal(r['sp-seed1'].byX[2].lowestLossY, lowest.y);
  assert.equal(r['sp-seed1'].byX[2].lowestLoss, lowest.loss);
});

test('summarizeSweep: the lowest loss per x skips diverged cells and is null when every cell diverged', () => {
  const spec = { x: { param: 'width', values: [8, 16] }, y: { param: 'lr', values: [0.1, 1] } };
  const cell = (xi, yi, loss) => ({ xi, yi, x: spec.x.values[xi], y: spec.y.values[yi], loss, success: false, stepsToSuccess: null });
  const summary = summarizeSweep({ spec, cells: [cell(0, 0, 0.5), cell(0, 1, null), cell(1, 0, null), cell(1, 1, null)] });
  assert.deepEqual(summary.byX.map((b) => [b.lowestLoss, b.lowestLossY]), [[0.5, 0.1], [null, null]]);
  const better = summarizeSweep({ spec, cells: [cell(0, 0, 0.5), cell(0, 1, 0.25), cell(1, 0, 0.75), cell(1, 1, 0.9)] });
  assert.deepEqual(better.byX.map((b) => [b.lowestLoss, b.lowestLossY]), [[0.25, 1], [0.75, 0.1]]);
});

// The dynamical-isometry preset (wasm/presetTableIsometry.mjs) at its real size: it reaches
// its published qualitative outcome, asserted here with the issue's own terms as well as
// through the preset's checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { runChecked } from './presetHelpers.mjs';

const describe = (s) => `χ ${s.chi.toPrecision(3)}, σ ${s.min.toPrecision(3)} to ${s.max.toPrecision(3)}, variance of σ² ${s.variance.toPrecision(3)}`;

test('dynamical-isometry: orthogonal tanh keeps the singular values near 1, Gaussian tanh and relu spread them, and the isometric network trains fastest', async (t) => {
  const r = await runChecked(t, 'dynamical-isometry');
  for (const label of ['orthogonal', 'gaussian', 'relu']) {
    t.diagnostic(`${label}: ${describe(r[label].jacobianSpectrum)}; train loss at 100, 200, 300: ${[100, 200, 300].map((s) => r[label].at[s].trainLoss.toFixed(3)).join(', ')}`);
  }
  const { orthogonal, gaussian, relu } = Object.fromEntries(['orthogonal', 'gaussian', 'relu'].map((l) => [l, r[l].jacobianSpectrum]));
  // Square J (64 units by 64), 8 probes: 512 singular values each.
  for (const s of [orthogonal, gaussian, relu]) {
    assert.equal(s.layers, 23);
    assert.equal(s.singularValues.flat().length, 8 * 64);
  }
  // Near 1: every σ of the isometric network within a factor 3; a mean square near 1 too.
  assert.ok(orthogonal.singularValues.flat().every((v) => v > 1 / 3 && v < 3));
  assert.ok(Math.abs(Math.log(orthogonal.chi)) < Math.log(2), describe(orthogonal));
  assert.ok(gaussian.max / gaussian.min > 100 && relu.max / relu.min > 100);
  // The isometric one trains fastest at every checkpoint.
  for (const s of [100, 200, 300]) {
    assert.ok(r.orthogonal.at[s].trainLoss < Math.min(r.gaussian.at[s].trainLoss, r.relu.at[s].trainLoss), `step ${s}`);
  }
});

// The presets of residual networks and normalization layers (wasm/presetTableResidual.mjs)
// at their real size: each reaches its published qualitative outcome, asserted here with
// the issue's own terms as well as through the preset's checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { runChecked } from './presetHelpers.mjs';

const ratio = (cp, from, to) => cp.layers.at(from).dw.norm / cp.layers.at(to).dw.norm;

test('bn-without-skips: the gradients explode toward the input at every weight variance, not with skips, and only the residual network trains', async (t) => {
  const r = await runChecked(t, 'bn-without-skips');
  for (const label of ['he', 'half', 'double']) {
    const growth = ratio(r[label].init, 0, -3);
    t.diagnostic(`${label}: ‖dL/dW‖ first / last hidden layer ${growth.toFixed(0)}, ${(growth ** (1 / 31)).toFixed(3)} per layer`);
    assert.ok(growth > 100, `${label}: ${growth}`);
  }
  assert.ok(ratio(r.residual.init, 0, -2) < 10);
  assert.ok(r.he.final.trainAccuracy < 0.5 && r.residual.final.trainAccuracy >= 0.95);
});

test('shattered-gradients: smooth in one layer, white noise after 24 plain layers, correlated through 12 blocks', async (t) => {
  const r = await runChecked(t, 'shattered-gradients');
  const plain = r.plain.gradientLine.correlation;
  const residual = r.residual.gradientLine.correlation;
  assert.equal(plain.length, 49);
  assert.equal(residual.length, 14);
  assert.ok(r.shallow.gradientLine.correlation.every((c) => c > 0.9));
  // The plain network's correlation falls with depth: its first layer's is near 1.
  assert.ok(plain[0] > 0.9 && Math.abs(plain.at(-2)) < 0.3, `${plain[0]} ${plain.at(-2)}`);
  assert.ok(residual.at(-2) > Math.abs(plain.at(-2)) + 0.2);
});

test('pre-post-norm: post-norm\'s gradients grow toward the output and it needs warm-up; pre-norm trains without', async (t) => {
  const r = await runChecked(t, 'pre-post-norm');
  t.diagnostic(`last / first block gradient: post ${ratio(r.post.init, -2, 1).toFixed(2)}, pre ${ratio(r.pre.init, -3, 1).toFixed(2)}`);
  assert.ok(ratio(r.post.init, -2, 1) > 2 && ratio(r.pre.init, -3, 1) <= 1);
  assert.ok(r.pre.final.trainAccuracy >= 0.95);
  assert.ok(r.post.final.trainAccuracy < 0.3);
  assert.ok(r['post-warmup'].final.trainAccuracy >= 0.9);
});

test('rezero: every block starts as the identity and it trains fastest; the unscaled network\'s activations grow with depth', async (t) => {
  const r = await runChecked(t, 'rezero');
  const first = (run) => run.init.layers[0].a.rms;
  // Every block of the ReZero network passes its input on unchanged at step 0, bit for bit.
  for (const l of r.rezero.init.layers.slice(1, -1)) assert.equal(l.a.rms, first(r.rezero));
  // Unscaled: the second moment grows block after block.
  const unscaled = r.unscaled.init.layers.slice(1, -1).map((l) => l.a.rms);
  assert.ok(unscaled.every((v, i) => i === 0 || v > unscaled[i - 1]), `${unscaled}`);
  for (const label of ['unscaled', 'layernorm', 'plain']) assert.ok(r.rezero.at[50].trainLoss < r[label].at[50].trainLoss, label);
});

test('fixup: 32 blocks start as the identity with the output layer at 0, and train with no normalization where unscaled ones overflow', async (t) => {
  const r = await runChecked(t, 'fixup');
  const first = r.fixup.init.layers[0].a.rms;
  for (const l of r.fixup.init.layers.slice(1, -1)) assert.equal(l.a.rms, first);
  // Fixup's output layer starts at 0: every class gets the same score, the loss is ln 10.
  assert.ok(Math.abs(r.fixup.init.trainLoss - Math.log(10)) < 1e-6, `${r.fixup.init.trainLoss}`);
  assert.equal(r.unscaled.diverged.step, 1);
  assert.ok(r.fixup.final.trainAccuracy >= 0.85 && r.fixup.diverged === null);
});

// One checkpoint of a preset's record (presetRunner.mjs): a module of its own so that the
// page's lesson reports read checkpoints without loading the sweeps (sweep.mjs).

const pick = ({ mean, std, rms, norm, min, max }) => ({ mean, std, rms, norm, min, max });

/**
 * What the checks read at one step: whole-set loss and accuracy (testError in %, null
 * without a test set) and, per layer on the probe batch, the moments of z, a, dz, w and dw
 * (zVar = z.std²; dw.norm = ‖dL/dW‖, dz.norm = ‖dL/dz‖), saturated, dead, distinctUnits, updateRatio, lsuvIterations.
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

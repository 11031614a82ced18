// View 9: one line that says what the learner sees, from the engine's numbers only (the
// snapshot, the evaluation, the initial snapshot). The first rule that fires wins, in the
// order of how much it explains: a divergence stops everything, broken symmetry explains
// a flat loss, vanishing or exploding signal explains slow or no learning, and so on.
import { fmt, pct } from './charts/base.js';

const QUANTITY = { activation: 'activations', gradient: 'gradients', weight: 'weights', loss: 'the loss' };

const layerName = (i, count) => (i === count - 1 ? 'the output layer' : `layer ${i + 1}`);

/** A power of ten as people say it: 1e-4, not 0.0001. */
function magnitude(ratio) {
  if (!(ratio > 0) || !Number.isFinite(ratio)) return fmt(ratio);
  const exp = Math.round(Math.log10(ratio));
  return Math.abs(exp) >= 2 ? `1e${exp}` : fmt(ratio, 2);
}

/**
 * @param {{ snapshot, evaluation, testRows }} input  testRows: rows of the test set (0: say train accuracy)
 * @returns {{ kind: 'diverged'|'symmetry'|'vanishing'|'exploding'|'saturated'|'dead'|'gradients'|'flat'|'learning'|'ready',
 *            severity: 'bad'|'warn'|'good'|'info', text: string }}
 */
export function verdict({ snapshot, evaluation, testRows = 1 }) {
  const layers = snapshot.layers;
  const n = layers.length;
  const hidden = layers.slice(0, -1);

  if (snapshot.diverged) {
    const d = snapshot.diverged;
    const where = d.layer >= 0 ? ` in ${layerName(d.layer, n)} ${QUANTITY[d.quantity] ?? d.quantity}` : ` in ${QUANTITY[d.quantity] ?? d.quantity}`;
    return {
      kind: 'diverged', severity: 'bad',
      text: `Diverged at step ${d.step}${where}: a value became NaN or infinite. Lower the learning rate, clip gradients or pick a smaller init.`,
    };
  }

  const symmetric = hidden.find((l) => l.fanOut > 1 && l.distinctUnits === 1);
  if (symmetric) {
    const i = layers.indexOf(symmetric);
    return {
      kind: 'symmetry', severity: 'bad',
      text: `Units are identical: symmetry not broken. All ${symmetric.fanOut} units of ${layerName(i, n)} compute the same thing, so the network acts as if it had one unit per layer.`,
    };
  }

  // Forward signal: compare the last hidden layer's activation std with the first's.
  if (hidden.length >= 2) {
    const first = hidden[0].a.std;
    const lastIndex = hidden.length - 1;
    const last = hidden[lastIndex].a.std;
    if (first > 0) {
      const ratio = last / first;
      if (ratio < 1e-2) {
        return {
          kind: 'vanishing', severity: 'bad',
          text: `Activations vanish: layer ${lastIndex + 1} std is ${magnitude(ratio)} of layer 1 (${fmt(last)} vs ${fmt(first)}). The init is too small for this depth.`,
        };
      }
      if (ratio > 1e2) {
        return {
          kind: 'exploding', severity: 'bad',
          text: `Activations explode: layer ${lastIndex + 1} std is ${magnitude(ratio)}× layer 1 (${fmt(last)} vs ${fmt(first)}). The init is too large for this depth.`,
        };
      }
    }
  }

  const saturated = maxBy(hidden, (l) => l.saturated);
  if (saturated && saturated.saturated >= 0.5) {
    const i = layers.indexOf(saturated);
    return {
      kind: 'saturated', severity: 'warn',
      text: `${pct(saturated.saturated)} of ${saturated.activation} units saturated in ${layerName(i, n)}: their slope is almost 0, so gradients barely pass. The init is too large for ${saturated.activation}.`,
    };
  }

  const dead = maxBy(hidden, (l) => l.dead);
  if (dead && dead.dead >= 0.5) {
    const i = layers.indexOf(dead);
    return {
      kind: 'dead', severity: 'warn',
      text: `${pct(dead.dead)} of ${dead.activation} units in ${layerName(i, n)} are dead: zero on every probe example, so they never learn.`,
    };
  }

  const ratio = snapshot.gradientRatio;
  if (n >= 3 && Number.isFinite(ratio) && ratio > 0 && ratio < 1e-3) {
    return {
      kind: 'gradients', severity: 'warn',
      text: `Gradients vanish backward: layer 1 gets ${magnitude(ratio)} of the output layer's gradient, so the first layers barely learn.`,
    };
  }
  if (n >= 3 && Number.isFinite(ratio) && ratio > 1e3) {
    return {
      kind: 'gradients', severity: 'warn',
      text: `Gradients explode backward: layer 1 gets ${magnitude(ratio)}× the output layer's gradient.`,
    };
  }

  const loss = snapshot.history?.loss ?? [];
  if (snapshot.step === 0) {
    return {
      kind: 'ready', severity: 'info',
      text: `Initialized: activation std ${hidden.map((l) => fmt(l.a.std, 2)).join(' → ')} across the hidden layers. Press Play to train.`,
    };
  }
  if (loss.length >= 50) {
    const start = loss[0];
    const now = loss[loss.length - 1];
    if (Math.abs(start - now) <= 1e-3 * Math.max(1e-12, Math.abs(start))) {
      return {
        kind: 'flat', severity: 'warn',
        text: `The loss is flat at ${fmt(now)} after ${snapshot.step} steps: the weights receive (almost) no useful gradient.`,
      };
    }
  }
  const acc = !evaluation ? '' : testRows > 0 ? `, test accuracy ${pct(evaluation.testAccuracy)}`
    : `, train accuracy ${pct(evaluation.trainAccuracy)}`;
  const steps = `${snapshot.step} ${snapshot.step === 1 ? 'step' : 'steps'}`;
  const signal = hidden.length >= 2 ? ` The signal keeps its scale through ${hidden.length} hidden layers.` : '';
  return {
    kind: 'learning', severity: 'good',
    text: `Learning: loss ${fmt(loss[0])} → ${fmt(loss[loss.length - 1])} in ${steps}${acc}.${signal}`,
  };
}

function maxBy(list, key) {
  let best = null;
  for (const item of list) if (best === null || key(item) > key(best)) best = item;
  return best;
}

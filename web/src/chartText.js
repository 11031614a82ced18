// Each chart's numbers in one sentence, under the chart: what a screen reader reads for the
// picture, and the exact values for anyone. Only the engine's numbers (the snapshot, the
// evaluation, the snapshot at initialization), formatted; nothing is computed here.
import { fmt, pct } from './charts/base.js';

const layerName = (i, n) => (i === n - 1 ? 'output' : `layer ${i + 1}`);
const perLayer = (layers, value) => layers.map((l, i) => `${layerName(i, layers.length)} ${value(l)}`).join(', ');

/**
 * @param {string} card  a name of views.js CARDS
 * @param {{ snapshot, evaluation, initial }} state  initial: the snapshot at step 0
 * @returns {string} the sentence, or '' when the card has no numbers to say
 */
export function chartText(card, { snapshot, evaluation, initial }) {
  const at = `At step ${snapshot.step.toLocaleString('en-US')}`;
  const layers = snapshot.layers;
  const hidden = layers.slice(0, -1);
  switch (card) {
    case 'loss': {
      const scores = evaluation
        ? `; train loss ${fmt(evaluation.trainLoss)}, test loss ${fmt(evaluation.testLoss)}, train accuracy ${pct(evaluation.trainAccuracy)}, test accuracy ${pct(evaluation.testAccuracy)}`
        : '';
      return `${at}: minibatch loss ${fmt(snapshot.loss)}${scores}.`;
    }
    case 'data':
      return evaluation ? `${at}: the model classifies ${pct(evaluation.trainAccuracy)} of the training set and ${pct(evaluation.testAccuracy)} of the test set correctly.` : '';
    case 'signal':
      return `${at}, RMS of z per layer: ${perLayer(layers, (l) => fmt(l.z.rms))}; RMS of ∂L/∂z: ${perLayer(layers, (l) => fmt(l.dz.rms))}; first-to-last gradient ratio ${fmt(snapshot.gradientRatio)}.`;
    case 'health':
      return `${at}, per hidden layer: saturated ${perLayer(hidden, (l) => pct(l.saturated))}; dead ${perLayer(hidden, (l) => pct(l.dead))}; ‖ΔW‖/‖W‖ ${perLayer(layers, (l) => fmt(l.updateRatio))}; distinct units ${perLayer(layers, (l) => `${l.distinctUnits} of ${l.fanOut}`)}.`;
    case 'activations':
      return `${at}, std of the activations a per layer: ${perLayer(layers, (l) => fmt(l.a.std))}` +
        `${initial && snapshot.step > 0 ? ` (at initialization: ${perLayer(initial.layers, (l) => fmt(l.a.std))})` : ''}.`;
    case 'gradients':
      return `${at}, std of ∂L/∂z per layer: ${perLayer(layers, (l) => fmt(l.dz.std))}` +
        `${initial && snapshot.step > 0 ? ` (at initialization: ${perLayer(initial.layers, (l) => fmt(l.dz.std))})` : ''}.`;
    case 'trace':
      return `${at}, activation std per layer: ${perLayer(layers, (l) => fmt(l.a.std))}.`;
    default:
      return '';
  }
}

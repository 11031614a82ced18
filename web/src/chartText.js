// Each chart's numbers in one sentence, under the chart: what a screen reader reads for the
// picture, and the exact values for anyone. Only the engine's numbers (the snapshot, the
// evaluation, the snapshot at initialization), formatted; nothing is computed here. The
// notes say why a log-scale chart leaves a line out (a log scale cannot show 0); the
// charts show the same notes in their cards.
import { fmt, pct } from './format.js';

/** Layer i of n as the page names it everywhere: "layer 1" … "layer L", then "output layer". */
export const layerName = (i, n) => (i === n - 1 ? 'output layer' : `layer ${i + 1}`);

/** "layer 1 0.5, layer 2 0.4, output layer 0.2": one value per layer, named by its place in the network. */
function perLayer(layers, value, n = layers.length) {
  return layers.map((l, i) => `${layerName(i, n)} ${value(l)}`).join(', ');
}

/** Layers by index as a phrase: "every layer", "every hidden layer", "layer 2 and the output layer". */
function layerList(indices, n) {
  if (indices.length === n) return 'every layer';
  if (indices.length === n - 1 && n > 2 && !indices.includes(n - 1)) return 'every hidden layer';
  const names = indices.map((i) => (i === n - 1 ? 'the output layer' : layerName(i, n)));
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const zeroIn = (layers, value) => layers.map((l, i) => (value(l) === 0 ? i : -1)).filter((i) => i >= 0);

/**
 * Why a log-scale chart leaves lines out: the quantities that are exactly 0, by layer, or
 * '' when every value can be drawn. card: 'signal' (RMS of z, a, ∂L/∂z), 'trace'
 * (activation std), 'health' (‖ΔW‖/‖W‖), 'moved' (‖W − W₀‖/‖W₀‖).
 */
export function emptyLogNote(card, snapshot) {
  const layers = snapshot.layers;
  const n = layers.length;
  const cannot = 'a log scale cannot show 0';
  if (card === 'signal') {
    const groups = new Map();  // the same layers → the quantities zero there
    for (const [name, value] of [['z', (l) => l.z.rms], ['a', (l) => l.a.rms], ['∂L/∂z', (l) => l.dz.rms]]) {
      const where = zeroIn(layers, value);
      if (!where.length) continue;
      const key = where.join();
      groups.set(key, { where, names: [...(groups.get(key)?.names ?? []), name] });
    }
    if (!groups.size) return '';
    const parts = [...groups.values()].map(({ where, names }) => {
      const what = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      return `${what} ${names.length === 1 ? 'is' : 'are'} exactly 0 in ${layerList(where, n)}`;
    });
    return `Not drawn: ${parts.join('; ')} (${cannot}).`;
  }
  if (card === 'trace') {
    const where = zeroIn(layers, (l) => l.a.std);
    if (!where.length) return '';
    return `Not drawn: the activation std is exactly 0 in ${layerList(where, n)}, every example gives the same activations there (${cannot}).`;
  }
  if (card === 'moved') {
    if (snapshot.step === 0) return 'The lines start with the first step: at initialization no weight has moved.';
    const where = zeroIn(layers, (l) => l.weightChange);
    const none = layers.map((l, i) => (l.weightChange === null ? i : -1)).filter((i) => i >= 0);
    const parts = [];
    if (where.length) parts.push(`the weights have not moved in ${layerList(where, n)} (${cannot})`);
    if (none.length) parts.push(`${layerList(none, n)} started with all weights 0, so there is nothing to compare with`);
    return parts.length ? `Not drawn: ${parts.join('; ')}.` : '';
  }
  if (card === 'health') {
    const where = zeroIn(layers, (l) => l.updateRatio ?? 0);
    if (!where.length) return '';
    // Before the first step no weight has moved: say when the bars come, not why they cannot.
    if (snapshot.step === 0) return 'The ‖ΔW‖/‖W‖ bars come with the first step.';
    return `Not drawn: ‖ΔW‖/‖W‖ is exactly 0 in ${layerList(where, n)}, those weights did not move (${cannot}).`;
  }
  return '';
}

/**
 * @param {string} card  a name of views.js CARDS
 * @param {{ snapshot, evaluation, initial, testRows? }} state  initial: the snapshot at step 0;
 *   testRows: the test set's size (0: a set with no test rows, e.g. drawn points, says nothing of one)
 * @returns {string} the sentence, or '' when the card has no numbers to say
 */
export function chartText(card, { snapshot, evaluation, initial, testRows, line, spectrum }) {
  const noTest = testRows === 0;
  const at = `At step ${snapshot.step.toLocaleString('en-US')}`;
  const layers = snapshot.layers;
  const n = layers.length;
  const hidden = layers.slice(0, -1);
  const note = (text) => (text ? ` ${text}` : '');
  switch (card) {
    case 'loss': {
      // The thin line is the engine's history of minibatch losses (none before the first step).
      const parts = [];
      if (snapshot.step > 0) parts.push(`minibatch loss ${fmt(snapshot.history.loss[snapshot.history.loss.length - 1])}`);
      if (evaluation) {
        parts.push(noTest
          ? `train loss ${fmt(evaluation.trainLoss)}, train accuracy ${pct(evaluation.trainAccuracy)} (no test set)`
          : `train loss ${fmt(evaluation.trainLoss)}, test loss ${fmt(evaluation.testLoss)}, train accuracy ${pct(evaluation.trainAccuracy)}, test accuracy ${pct(evaluation.testAccuracy)}`);
      }
      return parts.length ? `${at}: ${parts.join('; ')}.` : '';
    }
    case 'data':
      if (!evaluation) return '';
      return noTest
        ? `${at}: the model classifies ${pct(evaluation.trainAccuracy)} of the training set correctly (no test set).`
        : `${at}: the model classifies ${pct(evaluation.trainAccuracy)} of the training set and ${pct(evaluation.testAccuracy)} of the test set correctly.`;
    case 'signal':
      return `${at}, RMS of z per layer: ${perLayer(layers, (l) => fmt(l.z.rms))}; RMS of ∂L/∂z: ${perLayer(layers, (l) => fmt(l.dz.rms))}; first-to-last gradient ratio ${fmt(snapshot.gradientRatio)}.` +
        note(emptyLogNote('signal', snapshot));
    case 'health':
      return `${at}, per hidden layer: saturated ${perLayer(hidden, (l) => pct(l.saturated), n)}; dead ${perLayer(hidden, (l) => pct(l.dead), n)}. Per layer: ‖ΔW‖/‖W‖ ${perLayer(layers, (l) => fmt(l.updateRatio))}; distinct units ${perLayer(layers, (l) => `${l.distinctUnits} of ${l.fanOut}`)}.` +
        note(emptyLogNote('health', snapshot));
    case 'activations':
      return `${at}, std of the activations a per layer: ${perLayer(layers, (l) => fmt(l.a.std))}` +
        `${initial && snapshot.step > 0 ? ` (at initialization: ${perLayer(initial.layers, (l) => fmt(l.a.std))})` : ''}.`;
    case 'gradients':
      return `${at}, std of ∂L/∂z per layer: ${perLayer(layers, (l) => fmt(l.dz.std))}` +
        `${initial && snapshot.step > 0 ? ` (at initialization: ${perLayer(initial.layers, (l) => fmt(l.dz.std))})` : ''}.`;
    case 'shatter':
      if (!line) return '';
      if (line.tooLarge) return `${at}: this network is too large for the gradient line to be computed while it trains.`;
      // The line's own step: while training it is refreshed less often than the snapshot.
      return `At step ${line.step.toLocaleString('en-US')}, correlation of neighbouring points' input gradients along the line (1: smooth, 0: white noise) per layer: ${line.correlation.map((c, i) => `${layerName(i, n)} ${fmt(c)}`).join(', ')}.`;
    case 'moved':
      return `${at}, weights moved since initialization ‖W − W₀‖/‖W₀‖ per layer: ${perLayer(layers, (l) => (l.weightChange === null ? 'none (started at 0)' : fmt(l.weightChange)))}` +
        `${snapshot.weightChange === null ? '' : `; all layers together ${fmt(snapshot.weightChange)}`}.` + note(emptyLogNote('moved', snapshot));
    case 'jacobian': {
      if (!spectrum) return '';
      if (!spectrum.histogram) return `At step ${spectrum.step.toLocaleString('en-US')}: ${spectrum.refused ?? 'this network is too large for its Jacobian to be computed here.'}`;
      const probes = spectrum.singularValues.length;
      const zeros = spectrum.histogram.zeros > 0 ? ` ${spectrum.histogram.zeros} of them are below 1e-12 (not drawn).` : '';
      // The spectrum's own step: it is computed when the run is at rest.
      const perLayer = spectrum.chiPerLayer === null ? '' : ` (${fmt(spectrum.chiPerLayer)} per layer)`;
      return `At step ${spectrum.step.toLocaleString('en-US')}, the Jacobian of the last hidden layer (${spectrum.units} units) with respect to the first layer's pre-activation (${spectrum.firstUnits} units) ` +
        `through ${spectrum.layers} weight matrix${spectrum.layers === 1 ? '' : 'es'}, on ${probes} training row${probes === 1 ? '' : 's'}: ` +
        `χ = mean σ² = ${fmt(spectrum.chi)}${perLayer}; σ from ${fmt(spectrum.min)} to ${fmt(spectrum.max)}; variance of σ² ${fmt(spectrum.variance)}.${zeros}`;
    }
    case 'trace':
      return `${at}, activation std per layer: ${perLayer(layers, (l) => fmt(l.a.std))}.` + note(emptyLogNote('trace', snapshot));
    default:
      return '';
  }
}

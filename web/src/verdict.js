// View 9: one line that judges the run as the lab's story does, from the engine's numbers
// only (the snapshot now, the snapshot at initialization, the evaluation, the goal).
// At step 0 it names what the initialization did to the signal: identical units, too
// small, too large, saturated, dead, or a signal that keeps its scale. While training it
// says whether the run learns, reached its goal or is stuck, and keeps a bad start in
// view: a run that reaches its goal raises no alarm, but its bad start is not forgotten.
// tests/wasm/verdict.test.mjs holds the labelled scenarios it is judged against.
import { fmt, pct } from './format.js';
import { layerName as nameOfLayer } from './chartText.js';
import { DEFAULT_SUCCESS } from '../../wasm/sweepAxes.mjs';

// The signal may move this factor away from the input's scale before the init is called
// too small or too large (the story's 0.1⁴ and 10³); within KEEPS_SCALE it keeps its scale.
const SIGNAL_FACTOR = 100;
const KEEPS_SCALE = 2;
// First-to-last gradient ratio beyond which gradients vanish or explode backward.
const GRADIENT_FACTOR = 1e3;
// Fractions of a layer: saturated entries; dead relu units (mean over the hidden layers).
const SATURATED = 0.5;
const DEAD = 0.5;
// Before this many steps a loss that has not moved proves nothing.
const EARLY_STEPS = 20;
// Relative fall of the loss over the second half of the run that counts as still falling,
// and accuracy above chance (1 / classes) that counts as having learned something.
// A run learns when its loss fell by LOSS_FELL since step 0 and it either classifies
// above chance or its loss still falls.
const FALLING = 0.01;
const ABOVE_CHANCE = 0.05;
const LOSS_FELL = 0.02;

const QUANTITY = { activation: 'activations', gradient: 'gradients', weight: 'weights', loss: 'the loss' };

// The charts' layer names, with an article where a sentence needs one: "the output layer".
const layerName = (i, count) => (i === count - 1 ? `the ${nameOfLayer(i, count)}` : nameOfLayer(i, count));
const plural = (n, word) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** A power of ten as people say it: 1e-4, not 0.0001. */
function magnitude(ratio) {
  if (!(ratio > 0) || !Number.isFinite(ratio)) return fmt(ratio);
  if (ratio >= 1e-3 && ratio < 1e4) return fmt(ratio, 2);
  return `1e${Math.round(Math.log10(ratio))}`;
}

/** "0.51 → 0.47", or "0.099 → … → 1e-6" for many layers. */
function chain(values) {
  const shown = values.length <= 4 ? values.map((v) => fmt(v, 2)) : [fmt(values[0], 2), '…', fmt(values[values.length - 1], 2)];
  return shown.join(' → ');
}

/**
 * What a snapshot's numbers say about the signal, worst first: { kind, severity, what }
 * where `what` describes the numbers (without a verb of time, so that it reads at step 0
 * and later alike) and `gain` is the last hidden layer's activation std over the input's RMS.
 */
export function diagnose(snapshot) {
  const layers = snapshot.layers;
  const n = layers.length;
  const hidden = layers.slice(0, -1);
  const out = layers[n - 1];
  const input = Math.sqrt(snapshot.inputSecondMoment);
  const stds = hidden.map((l) => l.a.std);
  const last = stds[stds.length - 1];
  const gain = input > 0 ? last / input : NaN;
  const logits = input > 0 ? out.z.std / input : NaN;
  const ratio = snapshot.gradientRatio;
  const std = `activation std ${chain(stds)} over ${plural(hidden.length, 'hidden layer')} (input RMS ${fmt(input, 2)})`;
  const base = { gain, input, stds };
  // Each diagnosis names itself for later sentences ("despite a too-large init").

  const overflow = layers.findIndex((l) => !Number.isFinite(l.a.std) || !Number.isFinite(l.z.std));
  if (overflow >= 0) {
    return { ...base, kind: 'exploding', label: 'a too-large init', severity: 'bad', what: `activations overflow to infinity in ${layerName(overflow, n)}` };
  }
  const symmetric = hidden.findIndex((l) => l.fanOut > 1 && l.distinctUnits === 1);
  if (symmetric >= 0) {
    return { ...base, kind: 'symmetry', label: 'identical units', severity: 'bad', what: `all ${hidden[symmetric].fanOut} units of layer ${symmetric + 1} are identical` };
  }
  const allDead = hidden.findIndex((l) => l.dead === 1);
  if (allDead >= 0) {
    const l = hidden[allDead];
    return { ...base, kind: 'dead', label: 'dead units', severity: 'bad', what: `all ${l.fanOut} ${l.activation} units of layer ${allDead + 1} are 0 on every probe example, so no signal and no gradient passes them` };
  }
  const relu = hidden.filter((l) => l.activation === 'relu');  // the engine counts dead units of relu only
  const meanDead = relu.length ? relu.reduce((s, l) => s + l.dead, 0) / relu.length : 0;
  if (meanDead >= DEAD) {
    const worst = argMax(hidden, (l) => l.dead);
    return { ...base, kind: 'dead', label: 'dead units', severity: gain < 1 / SIGNAL_FACTOR ? 'bad' : 'warn', what: `${pct(meanDead)} of the relu units are dead on average (layer ${worst + 1}: ${pct(hidden[worst].dead)}), 0 on every probe example` };
  }
  if (gain < 1 / SIGNAL_FACTOR) {
    return { ...base, kind: 'vanishing', label: 'a too-small init', severity: 'bad', what: `${std}: ${magnitude(gain)} of the input's` };
  }
  if (gain > SIGNAL_FACTOR) {
    return { ...base, kind: 'exploding', label: 'a too-large init', severity: 'bad', what: `${std}: ${magnitude(gain)}× the input's` };
  }
  if (logits > SIGNAL_FACTOR) {
    return { ...base, kind: 'exploding', label: 'a too-large init', severity: 'bad', what: `the output layer's z has std ${fmt(out.z.std, 2)}, ${magnitude(logits)}× the input's RMS ${fmt(input, 2)}` };
  }
  const saturatedAt = argMax(hidden, (l) => l.saturated);
  if (saturatedAt >= 0 && hidden[saturatedAt].saturated >= SATURATED) {
    const l = hidden[saturatedAt];
    return { ...base, kind: 'saturated', label: 'a saturated start', severity: 'warn', activation: l.activation, what: `${pct(l.saturated)} of the ${l.activation} units of layer ${saturatedAt + 1} are saturated, where the slope is almost 0` };
  }
  if (n >= 3 && Number.isFinite(ratio) && ratio > 0 && ratio < 1 / GRADIENT_FACTOR) {
    return { ...base, kind: 'gradients', label: 'gradients that vanish on the way back', severity: 'warn', what: `layer 1 gets ${magnitude(ratio)} of the output layer's gradient` };
  }
  if (n >= 3 && Number.isFinite(ratio) && ratio > GRADIENT_FACTOR) {
    return { ...base, kind: 'gradients', label: 'gradients that explode on the way back', severity: 'warn', what: `layer 1 gets ${magnitude(ratio)}× the output layer's gradient` };
  }
  const scale = !Number.isFinite(gain) ? '' : gain >= 1 / KEEPS_SCALE && gain <= KEEPS_SCALE ? ': the signal keeps its scale'
    : gain < 1 ? `: the signal shrinks to ${fmt(gain, 2)}× the input's` : `: the signal grows to ${fmt(gain, 2)}× the input's`;
  return { ...base, kind: 'ready', severity: 'info', what: `${std}${scale}` };
}

/** The verdict at initialization: what the init did, for a learner. */
function atInit(d, snapshot) {
  const out = snapshot.layers[snapshot.layers.length - 1];
  const ratio = snapshot.gradientRatio;
  const back = Number.isFinite(ratio) && ratio > 0 && ratio < 0.1 ? ` Gradients shrink on the way back too: layer 1 gets ${magnitude(ratio)} of the output layer's.`
    : Number.isFinite(ratio) && ratio > 10 ? ` Gradients grow on the way back: layer 1 gets ${magnitude(ratio)}× the output layer's.` : '';
  switch (d.kind) {
    case 'symmetry':
      return `Symmetry not broken: ${d.what}, so they compute the same thing and get the same gradient; each layer acts as one unit.`;
    case 'vanishing':
      return `Initialized too small: ${d.what}. The signal fades before the output.${back}`;
    case 'exploding': {
      const saturated = out.saturated >= SATURATED ? ` The output is saturated (${pct(out.saturated)} of its values): sure of itself and often wrong, so the loss starts high.` : '';
      return `Initialized too large: ${d.what}.${saturated}${back}`;
    }
    case 'saturated':
      return `Initialized too large for ${d.activation}: ${d.what}, so gradients barely pass.`;
    case 'dead':
      return `Dead units: ${d.what}.`;
    case 'gradients':
      return `Gradients ${ratio < 1 ? 'vanish' : 'explode'} backward: ${d.what}, so the first layers ${ratio < 1 ? 'barely learn' : 'take huge steps'}.`;
    default:
      return `Initialized: ${d.what}. Press Play to train.`;
  }
}

/**
 * @param {{ snapshot, initial?, evaluation?, testRows?, goal?, trainingTo? }} input
 *   initial: the snapshot at step 0 (default: snapshot); testRows: rows of the test set
 *   (0: quote train accuracy only); goal: what reaching the goal means (the sweeps'
 *   success rule, { metric, atLeast } or { lossBelow }); trainingTo: the step a long job
 *   (a link's step=, a preset's run) trains to, while it does
 * @returns {{ kind: 'diverged'|'symmetry'|'vanishing'|'exploding'|'saturated'|'dead'|'gradients'|'ready'|'training'|'learned'|'recovered'|'learning'|'flat',
 *            severity: 'bad'|'warn'|'good'|'info', cause: string, text: string }}
 *   cause: the kind of the diagnosis at initialization
 */
export function verdict({ snapshot, initial = snapshot, evaluation = null, testRows = 1, goal = DEFAULT_SUCCESS, trainingTo = 0 }) {
  const layers = snapshot.layers;
  const n = layers.length;
  const start = diagnose(initial);
  const cause = start.kind;
  const badStart = cause !== 'ready';
  const result = (kind, severity, text) => ({ kind, severity, cause, text });

  if (snapshot.diverged) {
    const d = snapshot.diverged;
    const q = QUANTITY[d.quantity] ?? d.quantity;
    const where = d.layer >= 0 ? ` in ${layerName(d.layer, n)} ${q}` : ` in ${q}`;
    return result('diverged', 'bad', `Diverged at step ${d.step}${where}: a value became NaN or infinite. Lower the learning rate, clip gradients or pick a smaller init.`);
  }
  const startedFrom = badStart ? ` It started from ${start.label}: ${start.what}.` : '';
  if (trainingTo > snapshot.step) {
    return result('training', 'info', `Training to step ${trainingTo.toLocaleString('en-US')} (now ${snapshot.step.toLocaleString('en-US')}); the verdict follows there.${startedFrom}`);
  }
  if (snapshot.step === 0) return result(cause, start.severity, atInit(start, snapshot));

  const steps = plural(snapshot.step, 'step');
  const classes = layers[n - 1].fanOut > 1 ? layers[n - 1].fanOut : 2;
  const chance = 1 / classes;
  const accuracy = evaluation ? evaluation.trainAccuracy : null;
  const scores = !evaluation ? '' : testRows > 0 ? `train accuracy ${pct(evaluation.trainAccuracy)}, test ${pct(evaluation.testAccuracy)}`
    : `train accuracy ${pct(evaluation.trainAccuracy)}`;
  const loss = `loss ${fmt(initial.loss)} → ${fmt(snapshot.loss)} in ${steps}`;
  const progress = scores ? `${loss}, ${scores}` : loss;
  const now = diagnose(snapshot);

  if (reached(goal, evaluation)) {
    const dead = layers.slice(0, -1).map((l, i) => [l, i]).filter(([l]) => l.dead >= DEAD);
    const note = dead.length ? ` ${dead.map(([l, i]) => `${pct(l.dead)} of layer ${i + 1}'s ${l.activation} units`).join(', ')} are dead; the others carry the fit.` : '';
    if (cause === 'symmetry') return result('learned', 'good', `Reached the goal with identical units: ${progress}. ${start.what[0].toUpperCase()}${start.what.slice(1)}, so the network is as narrow as one unit per layer, and that was enough here.`);
    if (badStart) return result('recovered', 'good', `Learned after a bad start: ${progress}. At step 0, ${start.what}.${note}`);
    return result('learned', 'good', `Learned: ${progress}.${note}`);
  }
  if (now.kind === 'symmetry') {
    return result('symmetry', 'bad', `Symmetry not broken after ${steps}: ${now.what}, so they still compute the same thing; ${scores || loss}.`);
  }
  if (snapshot.step < EARLY_STEPS) {
    return result('training', badStart ? 'warn' : 'info', `Step ${snapshot.step}: too early to judge (${loss}).${startedFrom}`);
  }
  const fall = recentFall(snapshot.history, snapshot.step);
  const fell = initial.loss - snapshot.loss >= LOSS_FELL * initial.loss;
  const learning = fell && ((accuracy !== null && accuracy >= chance + ABOVE_CHANCE) || (fall !== null && fall >= FALLING));
  if (learning) {
    if (badStart) return result('learning', 'warn', `Learning despite ${start.label}: ${progress}. At step 0: ${start.what}.`);
    const scale = now.kind === 'ready' && now.gain >= 1 / KEEPS_SCALE && now.gain <= KEEPS_SCALE && layers.length > 2
      ? ` The signal keeps its scale through ${plural(layers.length - 1, 'hidden layer')}.` : '';
    const note = now.kind !== 'ready' && now.kind !== 'gradients' ? ` Now ${now.what}.` : '';
    return result('learning', 'good', `Learning: ${progress}.${scale}${note}`);
  }
  const atChance = accuracy !== null ? ` (chance: ${pct(chance)})` : '';
  const why = badStart ? ` The cause is ${start.label}: at step 0, ${start.what}.`
    : now.kind !== 'ready' ? ` Now ${now.what}.` : fell ? ' The loss has stopped falling.' : ' The loss has not fallen since step 0.';
  return result('flat', badStart ? 'bad' : 'warn', `Not learning: ${progress}${atChance}.${why}`);
}

/** Whether the evaluation meets the goal (the sweeps' success rule). */
function reached(goal, evaluation) {
  if (!evaluation || !goal) return false;
  if ('lossBelow' in goal) return evaluation.trainLoss !== null && evaluation.trainLoss < goal.lossBelow;
  return evaluation[goal.metric] >= goal.atLeast;
}

/** How much the training loss fell over the second half of the run (relative), or null when too few points. */
function recentFall(history, step) {
  const points = [];
  history.step.forEach((s, i) => {
    if (s > step / 2 && Number.isFinite(history.loss[i])) points.push(history.loss[i]);
  });
  if (points.length < 6) return null;
  const third = Math.floor(points.length / 3);
  const mean = (list) => list.reduce((s, v) => s + v, 0) / list.length;
  const early = mean(points.slice(0, third));
  const late = mean(points.slice(-third));
  return early > 0 ? (early - late) / early : null;
}

function argMax(list, key) {
  let best = -1;
  list.forEach((item, i) => { if (best < 0 || key(item) > key(list[best])) best = i; });
  return best;
}

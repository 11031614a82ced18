// The verdict (web/src/verdict.js) judged against labelled scenarios: each a real engine
// run, trained for N steps, with the verdict expected at step 0 and at step N (kind and
// severity, and the diagnosis at initialization it keeps in view). The story of the source
// articles: zeros never break symmetry, too small vanishes, too large explodes or
// saturates, He/Glorot/LeCun at their activations keep the scale, dead relu units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab, circles } from './helpers.mjs';
import { verdict, diagnose } from '../../web/src/verdict.js';
import { chartText, emptyLogNote } from '../../web/src/chartText.js';

const hidden = (n, units, activation) => [...Array(n)].map(() => ({ units, activation }));
const normal = (stddev) => ({ name: 'random_normal', mean: 0, stddev });
const twoLayer = (activation, units = 10) => [{ units, activation }, { units: 1, activation: 'sigmoid' }];
/** Moons through `layers` hidden layers and a sigmoid output. */
const moons = (layers, init, optimizer = { name: 'sgd', lr: 0.1, batch: 64 }, extra = {}) => ({
  seed: 1,
  data: { name: 'moons', train: 300, test: 100 },
  layers: [...layers, { units: 1, activation: 'sigmoid' }],
  init,
  loss: 'bce',
  optimizer,
  ...extra,
});
/** Pure Gaussian input with nothing to learn (coin-flip labels): signal propagation only. */
const gaussian = (layers, init, extra = {}) => ({
  seed: 1,
  data: { name: 'gaussian', dim: 50, train: 64, test: 0 },
  layers: [...layers, { units: 1, activation: 'sigmoid' }],
  init,
  loss: 'bce',
  optimizer: { name: 'sgd', lr: 0.01, batch: 64 },
  stats: { probe: 64 },
  ...extra,
});
const adam = (lr) => ({ name: 'adam', lr, batch: 64 });

// [name, config, steps, at step 0 [kind, severity], at step N [kind, severity]]; the
// cause (the diagnosis at initialization) is the step-0 kind.
const SCENARIOS = [
  // Zeros and constants: symmetry is never broken.
  ['zeros on the Coursera circles', circles({ init: 'zeros' }), 300, ['symmetry', 'bad'], ['symmetry', 'bad']],
  ['zeros on a tanh net', moons(hidden(3, 16, 'tanh'), 'zeros'), 200, ['symmetry', 'bad'], ['symmetry', 'bad']],
  ['ones on the circles', circles({ init: 'ones' }), 200, ['symmetry', 'bad'], ['symmetry', 'bad']],
  ['constant 0.5 on the circles', circles({ init: { name: 'constant', value: 0.5 } }), 300, ['symmetry', 'bad'], ['symmetry', 'bad']],
  // Too small: the signal vanishes and the loss stays flat.
  ['std 0.01 on the circles (2 relu layers)', circles({ init: normal(0.01) }), 300, ['vanishing', 'bad'], ['flat', 'bad']],
  ['std 0.01 with one relu layer', circles({ layers: twoLayer('relu'), init: normal(0.01) }), 300, ['vanishing', 'bad'], ['flat', 'bad']],
  ['std 0.01 on 6 tanh layers', moons(hidden(6, 32, 'tanh'), normal(0.01)), 200, ['vanishing', 'bad'], ['flat', 'bad']],
  ['std 0.01 on 4 sigmoid layers', moons(hidden(4, 32, 'sigmoid'), normal(0.01)), 300, ['vanishing', 'bad'], ['flat', 'bad']],
  ['Glorot on 30 relu layers', moons(hidden(30, 32, 'relu'), 'glorot_normal', { name: 'sgd', lr: 0.01, batch: 64 }), 300, ['vanishing', 'bad'], ['flat', 'bad']],
  // Too large: the signal explodes, or saturates tanh and sigmoid.
  ['std 10 on the circles, 40 steps', circles({ init: normal(10) }), 40, ['exploding', 'bad'], ['learning', 'warn']],
  ['std 10 on the circles, 3000 steps (Coursera ×10)', circles({ init: normal(10) }), 3000, ['exploding', 'bad'], ['learning', 'warn']],
  ['std 10 with a large learning rate: stuck at chance', circles({ init: normal(10), optimizer: { name: 'sgd', lr: 1, batch: 300 } }), 200, ['exploding', 'bad'], ['flat', 'bad']],
  ['std 1 on 10 relu layers: diverges', moons(hidden(10, 64, 'relu'), normal(1), { name: 'sgd', lr: 0.01, batch: 64 }), 100, ['exploding', 'bad'], ['diverged', 'bad']],
  ['std 1 on 4 tanh layers: saturated, learns after a bad start', moons(hidden(4, 64, 'tanh'), normal(1)), 300, ['saturated', 'warn'], ['recovered', 'good']],
  ['std 4 on 3 sigmoid layers: saturated, learns after a bad start', moons(hidden(3, 32, 'sigmoid'), normal(4)), 300, ['saturated', 'warn'], ['recovered', 'good']],
  ['std 1 on 6 tanh layers of Gaussian input', gaussian(hidden(6, 50, 'tanh'), normal(1), { optimizer: { name: 'sgd', lr: 0.01, batch: 64 } }), 30, ['saturated', 'warn'], ['learning', 'warn']],
  ['std 10 with one relu layer: the output saturates, adam recovers', circles({ layers: twoLayer('relu'), init: normal(10), optimizer: { name: 'adam', lr: 0.05, batch: 300 } }), 600, ['exploding', 'bad'], ['recovered', 'good']],
  // The variance-preserving initializers at their activations.
  ['He on the circles (sgd, learning)', circles(), 40, ['ready', 'info'], ['learning', 'good']],
  ['He on the circles (adam, reaches its goal)', circles({ optimizer: { name: 'adam', lr: 0.02, batch: 300 } }), 500, ['ready', 'info'], ['learned', 'good']],
  ['He on 30 relu layers', moons(hidden(30, 32, 'relu'), 'he_normal', { name: 'sgd', lr: 0.01, batch: 64 }), 300, ['ready', 'info'], ['learned', 'good']],
  ['Glorot on 30 tanh layers', moons(hidden(30, 32, 'tanh'), 'glorot_normal', { name: 'sgd', lr: 0.01, batch: 64 }), 300, ['ready', 'info'], ['learned', 'good']],
  ['Glorot on 3 tanh layers of digits', { seed: 1, data: { name: 'digits', normalize: 'minmax' }, layers: [...hidden(3, 32, 'tanh'), { units: 10, activation: 'softmax' }], init: 'glorot_uniform', loss: 'cross_entropy', optimizer: { name: 'sgd', lr: 0.1, batch: 64 } }, 300, ['ready', 'info'], ['learned', 'good']],
  ['LeCun on 8 selu layers', moons(hidden(8, 32, 'selu'), 'lecun_normal', { name: 'sgd', lr: 0.05, batch: 64 }), 300, ['ready', 'info'], ['learned', 'good']],
  ['PyTorch kaiming_normal_ on 4 relu layers', moons(hidden(4, 32, 'relu'), { name: 'kaiming_normal_', nonlinearity: 'relu' }, adam(0.01)), 300, ['ready', 'info'], ['learned', 'good']],
  // Gradients that vanish on the way back while the forward signal holds.
  ['Glorot on 10 sigmoid layers', moons(hidden(10, 32, 'sigmoid'), 'glorot_uniform'), 300, ['gradients', 'warn'], ['flat', 'bad']],
  // Dead relu units.
  ['bias -1: layer 2 all dead, never recovers', circles({ biasInit: { name: 'constant', value: -1 } }), 1000, ['dead', 'bad'], ['flat', 'bad']],
  ['bias -1 on 3 relu layers: mostly dead, recovers', moons(hidden(3, 32, 'relu'), 'he_normal', adam(0.05), { biasInit: { name: 'constant', value: -1 } }), 300, ['dead', 'bad'], ['recovered', 'good']],
  ['bias -0.6: half dead at the end of a run that reaches its goal', moons(hidden(3, 32, 'relu'), 'he_normal', adam(0.05), { biasInit: { name: 'constant', value: -0.6 } }), 300, ['ready', 'info'], ['learned', 'good']],
  // A good init with a learning rate too small to move anything.
  ['He with a learning rate of 1e-6: flat after a good start', circles({ optimizer: { name: 'sgd', lr: 1e-6, batch: 300 } }), 300, ['ready', 'info'], ['flat', 'warn']],
  // Divergence and the first steps.
  ['a learning rate of 100 diverges', circles({ layers: [{ units: 10, activation: 'leaky_relu' }, { units: 5, activation: 'leaky_relu' }, { units: 1, activation: 'sigmoid' }], optimizer: { name: 'sgd', lr: 100, batch: 300 } }), 200, ['ready', 'info'], ['diverged', 'bad']],
  ['He after 5 steps: too early to judge', circles(), 5, ['ready', 'info'], ['training', 'info']],
  ['std 10 after 5 steps: too early, the bad start in view', circles({ init: normal(10) }), 5, ['exploding', 'bad'], ['training', 'warn']],
];

/** The verdicts of one scenario at step 0 and at step N, with the numbers they judged. */
function judge(config, steps) {
  const run = lab.createRun(config);
  try {
    const testRows = run.dataset().test;
    const initial = run.snapshot();
    const atStart = verdict({ snapshot: initial, initial, evaluation: run.evaluate(), testRows });
    run.step(steps);
    const snapshot = run.snapshot();
    const evaluation = run.evaluate();
    const atEnd = verdict({ snapshot, initial, evaluation, testRows });
    const job = verdict({ snapshot, initial, evaluation, testRows, trainingTo: snapshot.step + 1000 });
    return { initial, snapshot, evaluation, atStart, atEnd, job };
  } finally {
    run.dispose();
  }
}

test('the scenario table holds at least 25 labelled runs, every kind of the story among them', () => {
  assert.ok(SCENARIOS.length >= 25, `${SCENARIOS.length} scenarios`);
  const kinds = new Set(SCENARIOS.flatMap(([, , , start, end]) => [start[0], end[0]]));
  for (const kind of ['symmetry', 'vanishing', 'exploding', 'saturated', 'dead', 'gradients', 'ready',
    'diverged', 'training', 'flat', 'learning', 'learned', 'recovered']) assert.ok(kinds.has(kind), kind);
});

for (const [name, config, steps, [kind0, severity0], [kindN, severityN]] of SCENARIOS) {
  test(`verdict: ${name}`, () => {
    const { initial, snapshot, atStart, atEnd, job } = judge(config, steps);
    const seen = `step 0: ${atStart.kind}/${atStart.severity} "${atStart.text}"\nstep ${snapshot.step}: ${atEnd.kind}/${atEnd.severity} "${atEnd.text}"`;
    assert.deepEqual([atStart.kind, atStart.severity], [kind0, severity0], seen);
    assert.deepEqual([atEnd.kind, atEnd.severity], [kindN, severityN], seen);
    // The diagnosis at initialization stays the cause for the whole run.
    assert.equal(atStart.cause, kind0, seen);
    assert.equal(atEnd.cause, kind0, seen);
    // A long job's verdict says where it trains to, not a judgement of a part of the run
    // (a divergence is said at once).
    if (kindN === 'diverged') assert.equal(job.kind, 'diverged');
    else assert.match(job.text, new RegExp(`^Training to step ${(snapshot.step + 1000).toLocaleString('en-US')}`));
    // "keeps its scale" only where the last hidden layer's activation std is within 2× the input's RMS.
    for (const [v, s] of [[atStart, initial], [atEnd, snapshot]]) {
      if (/keeps its scale/.test(v.text)) {
        const gain = diagnose(s).gain;
        assert.ok(gain >= 0.5 && gain <= 2, `"${v.text}" with a gain of ${gain}`);
      }
      // A run that reached its goal raises no alarm, and nothing is said to "never learn".
      if (v.kind === 'learned' || v.kind === 'recovered') assert.equal(v.severity, 'good');
      assert.doesNotMatch(v.text, /never learn/);
    }
    // A bad start is named in words at step 0 and stays named while the run learns.
    if (kind0 === 'exploding') assert.match(atStart.text, /too large/);
    if (kind0 === 'vanishing') assert.match(atStart.text, /too small/);
    if (kindN === 'learning' && atEnd.severity === 'warn') assert.match(atEnd.text, /^Learning despite a too-(large|small) init|^Learning despite a saturated start/);
  });
}

test('the numbers in the verdict are the engine\'s: activation std per hidden layer at step 0', () => {
  const { initial, atStart } = judge(circles({ init: normal(10) }), 0);
  const [first, second] = initial.layers.map((l) => l.a.std);
  assert.match(atStart.text, new RegExp(`activation std ${Number(first.toPrecision(2))} → ${Number(second.toPrecision(2))} over 2 hidden layers`));
  assert.ok(second / first > 10, `${first} → ${second}`);
});

// ---- the sentences under the charts (web/src/chartText.js) ----------------------------------

test('chart sentences name hidden layers "layer 1..L" and the output "output layer", and list the output layer too', () => {
  const run = lab.createRun(circles());
  try {
    run.step(3);
    const state = { snapshot: run.snapshot(), evaluation: run.evaluate(), initial: null };
    for (const card of ['signal', 'activations', 'gradients', 'trace']) {
      const text = chartText(card, state);
      assert.match(text, /layer 1 [^,]+, layer 2 [^,]+, output layer /, `${card}: ${text}`);
      assert.doesNotMatch(text, /layer 3|\boutput (?!layer)/, `${card}: ${text}`);
    }
    // The loss sentence's minibatch loss is the thin line's last point (the engine's history), not the probe batch's loss.
    const last = state.snapshot.history.loss[state.snapshot.history.loss.length - 1];
    assert.ok(chartText('loss', state).startsWith(`At step 3: minibatch loss ${Number(last.toPrecision(3))}; train loss `), chartText('loss', state));
    // Unit health: saturated and dead per hidden layer (two here), update ratio and distinct units for all three.
    const health = chartText('health', state);
    const [, saturated, dead, ratio, distinct] = health.match(/saturated ([^;]+); dead ([^.]+)\. Per layer: ‖ΔW‖\/‖W‖ ([^;]+); distinct units ([^.]+)\./);
    assert.deepEqual([saturated, dead].map((p) => p.split(', ').map((x) => x.split(' ').slice(0, 2).join(' '))), [['layer 1', 'layer 2'], ['layer 1', 'layer 2']]);
    assert.deepEqual(ratio.split(', ').map((x) => x.replace(/ [^ ]+$/, '')), ['layer 1', 'layer 2', 'output layer']);
    assert.deepEqual(distinct.split(', '), ['layer 1 10 of 10', 'layer 2 5 of 5', 'output layer 1 of 1']);
  } finally {
    run.dispose();
  }
});

test('a set with no test rows (drawn points) has sentences that claim no test numbers', () => {
  const run = lab.createRun({ data: { name: 'custom', csv: 'x,y,c\n-0.5,-0.5,0\n0.5,0.5,1\n-0.4,-0.6,0\n0.6,0.4,1\n', testFraction: 0 },
    layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' });
  try {
    run.step(2);
    const state = { snapshot: run.snapshot(), evaluation: run.evaluate(), initial: null, testRows: run.dataset().test };
    assert.equal(state.testRows, 0);
    assert.match(chartText('loss', state), /train accuracy \d+% \(no test set\)\.$/);
    assert.match(chartText('data', state), /^At step 2: the model classifies \d+% of the training set correctly \(no test set\)\.$/);
    assert.doesNotMatch(chartText('loss', state) + chartText('data', state), /test (loss|accuracy|set correctly)/);
  } finally {
    run.dispose();
  }
});

test('zeros: the log-scale charts say why they are empty, in their notes and sentences', () => {
  const run = lab.createRun(circles({ init: 'zeros' }));
  try {
    const initial = run.snapshot();
    assert.equal(emptyLogNote('signal', initial), 'Not drawn: z is exactly 0 in every layer; a and ∂L/∂z are exactly 0 in every hidden layer (a log scale cannot show 0).');
    assert.match(emptyLogNote('trace', initial), /^Not drawn: the activation std is exactly 0 in every layer.*a log scale cannot show 0/);
    assert.equal(emptyLogNote('health', initial), 'The ‖ΔW‖/‖W‖ bars come with the first step.');
    run.step(20);
    const snapshot = run.snapshot();
    assert.match(emptyLogNote('health', snapshot), /those weights did not move/);
    for (const card of ['signal', 'trace', 'health']) {
      assert.ok(chartText(card, { snapshot, evaluation: run.evaluate(), initial }).endsWith(emptyLogNote(card, snapshot)), card);
    }
  } finally {
    run.dispose();
  }
  // He: every value is drawn after a step, so no note.
  const he = lab.createRun(circles());
  try {
    he.step(1);
    for (const card of ['signal', 'trace', 'health']) assert.equal(emptyLogNote(card, he.snapshot()), '', card);
  } finally {
    he.dispose();
  }
});

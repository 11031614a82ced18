// Layer kinds beyond dense (schema.layerKinds) as the page edits, links, checks and exports
// them: the Network panel's list edits (web/src/layerList.js), the link's layers= key
// (state.js), the config check (configShape.js) and the Keras and PyTorch code (codegen.js).
// Every config they make is one the engine accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { serialize, deserialize } from '../../web/src/state.js';
import { checkConfig } from '../../web/src/configShape.js';
import {
  hiddenWithUnits, maxHiddenWithUnits, normalizationOf, withHiddenActivation, withHiddenCount, withNormalization,
} from '../../web/src/layerList.js';
import { kerasCode, pytorchCode } from '../../web/src/codegen.js';
import { lab } from './helpers.mjs';

const schema = lab.schema();
const defaults = schema.config.default;
const norm = { kind: 'layernorm' };
const dense = (units, activation = 'relu') => ({ units, activation });
const withLayers = (layers) => ({ ...structuredClone(defaults), layers });

function accepted(config) {
  const run = lab.createRun(config);
  const layers = run.config.layers;
  run.dispose();
  return layers;
}

test('the schema lists each layer kind with its tensors and their initializers', () => {
  const byName = new Map(schema.layerKinds.map((k) => [k.name, k]));
  assert.deepEqual([...byName.keys()], ['dense', 'layernorm', 'batchnorm', 'residual']);
  assert.deepEqual(byName.get('dense').tensors.map((t) => [t.name, t.role, t.rank, t.defaultInit]),
    [['W', 'weight', 2, ''], ['b', 'bias', 1, '']]);
  assert.deepEqual(byName.get('layernorm').tensors.map((t) => [t.name, t.role, t.rank, t.defaultInit]),
    [['gain', 'gain', 1, 'ones'], ['shift', 'shift', 1, 'zeros']]);
  assert.equal(byName.get('layernorm').units, false);
  assert.equal(byName.get('layernorm').output, false);
  assert.deepEqual(byName.get('batchnorm').tensors.map((t) => [t.name, t.role, t.rank, t.defaultInit]),
    [['gain', 'gain', 1, 'ones'], ['shift', 'shift', 1, 'zeros']]);
  assert.deepEqual(byName.get('batchnorm').params.map((p) => [p.name, p.default]), [['epsilon', 1e-5], ['momentum', 0.1]]);
  assert.equal(byName.get('batchnorm').output, false);
  assert.deepEqual(schema.layerKinds.map((k) => k.runningPerUnit), [0, 0, 2, 0]);
  // A residual block of the default keys: W1, b1, W2, b2, the config's initializers.
  assert.deepEqual(byName.get('residual').tensors.map((t) => [t.name, t.role, t.rank, t.defaultInit]),
    [['W1', 'weight', 2, ''], ['b1', 'bias', 1, ''], ['W2', 'weight', 2, ''], ['b2', 'bias', 1, '']]);
  assert.equal(byName.get('residual').units, false);
  assert.equal(byName.get('residual').activation, true);
  assert.equal(byName.get('residual').output, false);
  assert.deepEqual(byName.get('residual').params.find((p) => p.name === 'norm').choices, ['none', ...schema.layerKinds.filter((k) => !k.units && !k.activation).map((k) => k.name)]);
});

test('a residual network trains, is deterministic and shows its blocks', () => {
  const config = {
    seed: 4,
    data: { name: 'circles' },
    layers: [dense(16), { kind: 'residual', activation: 'relu' },
      { kind: 'residual', activation: 'relu', gate: 'trainable', alpha: 0.5, norm: 'layernorm', normAt: 'post' },
      { units: 1, activation: 'sigmoid' }],
    init: 'he_normal',
    optimizer: { name: 'adam', lr: 0.01, batch: 64 },
  };
  const runs = [lab.createRun(config), lab.createRun(config)];
  try {
    const echoed = runs[0].config.layers[2];
    assert.equal(echoed.kind, 'residual');
    assert.equal(echoed.norm, 'layernorm');
    assert.equal(echoed.gate, 'trainable');
    const before = runs[0].evaluate().trainLoss;
    const losses = runs.map((r) => r.step(300).loss);
    assert.equal(losses[0], losses[1]);
    assert.ok(runs[0].evaluate().trainLoss < 0.5 * before);
    const s = runs[0].snapshot();
    assert.equal(s.layers[1].kind, 'residual');
    assert.equal(s.layers[2].params, 2 * (16 * 16 + 16) + 1 + 2 * 16);
    assert.ok(s.layers[1].z.rms > 0);
    assert.deepEqual(runs[0].weights()[2].W, runs[1].weights()[2].W);
    assert.equal(s.layers[2].running, 0);
  } finally {
    runs.forEach((r) => r.dispose());
  }
  // A block with a BatchNorm keeps its running mean and variance (Keras's non-trainable params).
  const withBatchNorm = lab.createRun({ ...config, layers: [dense(16), { kind: 'residual', activation: 'relu', norm: 'batchnorm' }, { units: 1, activation: 'sigmoid' }] });
  try {
    assert.equal(withBatchNorm.snapshot().layers[1].running, 2 * 16);
    assert.equal(withBatchNorm.weights()[1].running.length, 2 * 16);
  } finally {
    withBatchNorm.dispose();
  }
});

test('weights() gives every tensor of a block and setWeights takes them back', () => {
  const block = { kind: 'residual', activation: 'relu', hidden: 6, gate: 'trainable', alpha: 0.5, norm: 'batchnorm', normAt: 'pre' };
  const config = { seed: 3, data: { name: 'circles' }, layers: [dense(16), block, { units: 1, activation: 'sigmoid' }],
    optimizer: { name: 'adam', lr: 0.01, batch: 32 } };
  const run = lab.createRun(config);
  const twin = lab.createRun(config);
  try {
    const w = run.weights()[1];
    assert.deepEqual(w.shape, [16, 6]);
    assert.deepEqual([w.W, w.b, w.W2, w.b2, w.alpha, w.normGain, w.normShift, w.running].map((a) => a.length),
      [16 * 6, 6, 6 * 16, 16, 1, 16, 16, 2 * 16]);
    assert.deepEqual([...w.alpha], [0.5]);
    assert.ok(w.normGain.every((v) => v === 1) && w.normShift.every((v) => v === 0));
    // In the order of the block's tensors, they are its whole slice of the parameters.
    const flat = new Float32Array(Uint8Array.from(atob(run.exportState().initialParams), (c) => c.charCodeAt(0)).buffer);
    const dense0 = 2 * 16 + 16;
    const slice = [w.W, w.b, w.W2, w.b2, w.alpha, w.normGain, w.normShift].flatMap((a) => [...a]);
    assert.deepEqual(slice, [...flat.slice(dense0, dense0 + slice.length)]);
    // Trained weights set on a fresh run: the same tensors and the same next steps.
    run.step(20);
    const trained = run.weights();
    assert.notDeepEqual([...trained[1].alpha], [0.5]);
    twin.setWeights(trained);
    twin.weights().forEach((l, i) => {
      for (const key of Object.keys(trained[i])) assert.deepEqual(l[key], trained[i][key], `layer ${i} ${key}`);
    });
    run.setWeights(trained);
    assert.equal(twin.step(5).loss, run.step(5).loss);
    // A gate set by hand is the reset point; a block's tensor left out is refused by its key.
    twin.setWeights(trained.map((l, i) => (i === 1 ? { ...l, alpha: [0.25] } : l)));
    twin.step(3);
    twin.reset();
    assert.deepEqual([...twin.weights()[1].alpha], [0.25]);
    assert.throws(() => twin.setWeights(trained.map((l, i) => (i === 1 ? { ...l, W2: undefined } : l))),
      (e) => e.field === 'weights[1].W2' && /expected 96 numbers \(6 x 16, row-major\)/.test(e.message));
    assert.throws(() => twin.setWeights(trained.map((l, i) => (i === 1 ? { ...l, normGain: new Float32Array(15) } : l))),
      (e) => e.field === 'weights[1].normGain');
  } finally {
    run.dispose();
    twin.dispose();
  }
});

test('normalization after each hidden layer goes on and off and keeps every dense layer', () => {
  const out = defaults.layers.at(-1);
  const plain = withLayers([dense(8), dense(6, 'tanh'), out]);
  assert.equal(normalizationOf(schema, plain), '');
  const normed = withNormalization(schema, plain, 'layernorm');
  assert.deepEqual(normed.layers, [dense(8), norm, dense(6, 'tanh'), norm, out]);
  assert.equal(normalizationOf(schema, normed), 'layernorm');
  assert.deepEqual(accepted(normed).map((l) => l.kind ?? 'dense'), ['dense', 'layernorm', 'dense', 'layernorm', 'dense']);
  // A layer's own epsilon survives turning normalization on again; off removes them all.
  const own = withLayers([dense(8), { kind: 'layernorm', epsilon: 0.001 }, dense(6), out]);
  assert.equal(normalizationOf(schema, own), null, 'the second dense layer has none: mixed');
  assert.deepEqual(withNormalization(schema, own, 'layernorm').layers[1], { kind: 'layernorm', epsilon: 0.001 });
  assert.deepEqual(withNormalization(schema, normed, '').layers, plain.layers);
});

test('hidden layers count the dense ones and copy the last one with its normalization', () => {
  const out = defaults.layers.at(-1);
  const normed = withLayers([dense(8), norm, dense(6, 'tanh'), norm, out]);
  assert.equal(hiddenWithUnits(schema, normed).length, 2);
  const three = withHiddenCount(schema, normed, 3);
  assert.deepEqual(three.layers, [dense(8), norm, dense(6, 'tanh'), norm, dense(6, 'tanh'), norm, out]);
  assert.deepEqual(withHiddenCount(schema, three, 1).layers, [dense(8), norm, out]);
  // The schema's limit counts every hidden layer: two per dense layer here.
  assert.equal(maxHiddenWithUnits(schema, normed), Math.floor(schema.config.hiddenLayers.max / 2));
  const most = withHiddenCount(schema, normed, maxHiddenWithUnits(schema, normed));
  assert.ok(most.layers.length - 1 <= schema.config.hiddenLayers.max);
  assert.equal(checkConfig(most, schema), null);
  // One activation for all: the dense layers take it, layernorm has none.
  const act = withHiddenActivation(schema, normed, 'elu');
  assert.deepEqual(act.layers.map((l) => l.activation ?? null), ['elu', null, 'elu', null, out.activation]);
  accepted(act);
});

test('a link carries a residual block with its activation and keys', () => {
  const block = { kind: 'residual', activation: 'tanh', activationAt: 'after', alpha: 0.5, norm: 'layernorm' };
  const config = withLayers([dense(8), block, { kind: 'residual', activation: 'relu' }, defaults.layers.at(-1)]);
  const text = serialize(config, defaults, schema);
  assert.match(decodeURIComponent(text),
    /layers=8:relu\|residual\(activation=tanh,activationAt=after,alpha=0\.5,norm=layernorm\)\|residual\(activation=relu\)\|/);
  const back = deserialize(text, defaults, schema);
  assert.deepEqual(back.notices, []);
  assert.deepEqual(back.config.layers, config.layers);
  assert.equal(checkConfig(back.config, schema), null);
  accepted(back.config);
  // Its init key is for its dense tensors (rank 2): orthogonal is allowed.
  assert.equal(checkConfig(withLayers([dense(8), { ...block, init: 'orthogonal' }, defaults.layers.at(-1)]), schema), null);
  // The code export writes each block with the module / layer class it writes once.
  const run = lab.createRun(config);
  try {
    const input = {
      config: run.config, snapshot: run.snapshot(), schema, dataset: run.dataset(),
      context: { title: 't', version: '0', link: 'l', dataFile: 'd.csv' },
    };
    const keras = kerasCode(input);
    assert.equal(keras.match(/^class Residual\(keras\.layers\.Layer\):/gm).length, 1);
    assert.match(keras, /Residual\(8, 8, branch=2, activation="tanh", after=True, alpha=0\.5, trainable_gate=False, norm=keras\.layers\.LayerNormalization\(epsilon=0\.00001\), norm_at="pre", kernel_initializer=/);
    const torch = pytorchCode(input);
    assert.equal(torch.match(/^class Residual\(nn\.Module\):/gm).length, 1);
    assert.match(torch, /Residual\(8, 8, branch=2, phi=nn\.Tanh\(\), after=True, alpha=0\.5, trainable=False, norm=nn\.LayerNorm\(8, eps=0\.00001\), norm_at="pre"\),\n\s+Residual\(8, 8, branch=2, phi=nn\.ReLU\(\), after=False, alpha=1\.0, trainable=False\),/);
    // Every nn.Linear, a block's included, takes its initializer.
    assert.match(torch, /linears = \[m for m in model\.modules\(\) if isinstance\(m, nn\.Linear\)\]/);
    assert.doesNotMatch(`${keras}${torch}`, /not written out/);
  } finally {
    run.dispose();
  }
});

test('a link keeps a block\'s activation params beside the block\'s own alpha', () => {
  const block = { kind: 'residual', activation: { name: 'leaky_relu', alpha: 0.2 }, alpha: 0.5, gate: 'trainable' };
  const config = withLayers([dense(8), block, defaults.layers.at(-1)]);
  const text = serialize(config, defaults, schema);
  assert.match(decodeURIComponent(text), /residual\(activation=leaky_relu,activation\.alpha=0\.2,alpha=0\.5,gate=trainable\)/);
  const back = deserialize(text, defaults, schema);
  assert.deepEqual(back.notices, []);
  assert.deepEqual(back.config.layers, config.layers);
  assert.deepEqual(accepted(back.config)[1].activation, { name: 'leaky_relu', alpha: 0.2 });
  // An activation's param without the activation's name, or one it does not take, is refused.
  for (const layers of ['8:relu|residual(activation.alpha=0.2)|1:sigmoid', '8:relu|residual(activation=relu,activation.alpha=0.2)|1:sigmoid']) {
    const got = deserialize(`layers=${encodeURIComponent(layers)}`, defaults, schema);
    assert.equal(got.notices.length, 1, layers);
    assert.deepEqual(got.config.layers, defaults.layers, layers);
  }
});

test('a link carries layer kinds and their params and reads them back', () => {
  const config = withLayers([dense(8), { kind: 'layernorm', epsilon: 0.001 }, dense(4), norm, defaults.layers.at(-1)]);
  const text = serialize(config, defaults, schema);
  assert.match(decodeURIComponent(text), /layers=8:relu\|layernorm\(epsilon=0\.001\)\|4:relu\|layernorm\|/);
  const back = deserialize(text, defaults, schema);
  assert.deepEqual(back.notices, []);
  assert.deepEqual(back.config.layers, config.layers);
  accepted(back.config);
  // A kind's layer takes no units or activation, a kind's param only its own keys; an
  // unknown kind and a layernorm as the output layer are refused with what is allowed.
  for (const layers of ['8:relu|layernorm(units=3)|1:sigmoid', 'groupnorm|1:sigmoid', '8:relu|layernorm', '8:relu|layernorm(epsilon=0)|1:sigmoid', '8:relu|layernorm:orthogonal|1:sigmoid']) {
    const got = deserialize(`layers=${encodeURIComponent(layers)}`, defaults, schema);
    assert.equal(got.notices.length, 1, layers);
    assert.equal(got.notices[0].key, 'layers', layers);
    assert.deepEqual(got.config.layers, defaults.layers, layers);
  }
  const unknown = checkConfig(withLayers([dense(8), { kind: 'groupnorm' }, defaults.layers.at(-1)]), schema);
  assert.equal(unknown.path, 'layers[1].kind');
  assert.match(unknown.text, /one of dense, layernorm/);
  const last = checkConfig(withLayers([dense(8), norm]), schema);
  assert.equal(last.path, 'layers[1].kind');
  assert.match(last.text, /one of dense \(the output layer\)/);
  const units = checkConfig(withLayers([dense(8), { kind: 'layernorm', units: 8 }, defaults.layers.at(-1)]), schema);
  assert.equal(units.path, 'layers[1].units');
});

test('the Keras and PyTorch code write LayerNormalization and nn.LayerNorm with the run\'s epsilon', () => {
  const config = withLayers([dense(8), { kind: 'layernorm', epsilon: 0.001 }, dense(4), norm, defaults.layers.at(-1)]);
  config.optimizer = { ...config.optimizer, weightDecay: 0.01 };
  const run = lab.createRun(config);
  const input = { config: run.config, snapshot: run.snapshot(), schema, dataset: run.dataset(),
    context: { title: 't', version: lab.version, link: 'http://x/', dataFile: 'd.csv', step: 0 } };
  run.dispose();
  const keras = kerasCode(input);
  assert.match(keras, /keras\.layers\.LayerNormalization\(epsilon=0\.001\),/);
  assert.match(keras, /keras\.layers\.LayerNormalization\(epsilon=0\.00001\),/);
  assert.equal(keras.match(/keras\.layers\.Dense\(/g).length, 3);
  const torch = pytorchCode(input);
  assert.match(torch, /nn\.Linear\(2, 8\),\n\s+nn\.ReLU\(\),\n\s+nn\.LayerNorm\(8, eps=0\.001\),\n\s+nn\.Linear\(8, 4\),/);
  assert.match(torch, /nn\.LayerNorm\(4, eps=0\.00001\),/);
  // Weight decay on the Linear weights only; the LayerNorm's own parameters still train.
  assert.match(torch, /"params": \[l\.bias for l in linears\] \+ \[p for m in model if not isinstance\(m, nn\.Linear\) for p in m\.parameters\(\)\], "weight_decay": 0\.0/);
  // A gain initializer the config sets is written for that layer.
  const own = withLayers([dense(8), { kind: 'layernorm', init: { name: 'constant', value: 0.5 } }, defaults.layers.at(-1)]);
  const ownRun = lab.createRun(own);
  const ownInput = { ...input, config: ownRun.config, snapshot: ownRun.snapshot() };
  ownRun.dispose();
  assert.match(kerasCode(ownInput), /LayerNormalization\(epsilon=0\.00001, gamma_initializer=keras\.initializers\.Constant\(value=0\.5\), beta_initializer="zeros"\)/);
  assert.match(pytorchCode(ownInput), /layernorm_layers = \[m for m in model if isinstance\(m, nn\.LayerNorm\)\]\nlayer = layernorm_layers\[0\]\nnn\.init\.constant_\(layer\.weight, val=0\.5\)/);
});

test('a layernorm layer\'s snapshot has its kind and its parameter count', () => {
  const run = lab.createRun(withLayers([dense(8), norm, defaults.layers.at(-1)]));
  const [first, second] = run.snapshot().layers;
  run.dispose();
  assert.equal(first.kind, undefined, 'a dense layer\'s JSON is as before');
  assert.equal(first.params, undefined);
  assert.equal(second.kind, 'layernorm');
  assert.equal(second.params, 16);
  assert.equal(second.init, 'ones');
  assert.equal(second.biasInit, 'zeros');
});

// wasm/initscope.d.ts documents the API exactly as implemented: its name unions are the
// schema's names, and the members of its interfaces are the keys of the real objects
// (lab, run, step result, snapshot, layers, summaries, theory, data set, config...). A
// field added to or removed from the engine's answers without the .d.ts fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { PARAMETERIZATION_TEXT } from '../../wasm/parameterizationText.mjs';
import { RESIDUAL_INIT_TEXT } from '../../wasm/residualInitText.mjs';
import { circles, lab } from './helpers.mjs';

const dts = readFileSync(new URL('../../wasm/initscope.d.ts', import.meta.url), 'utf8');
const sweepDts = readFileSync(new URL('../../wasm/sweep.d.mts', import.meta.url), 'utf8');
const residualTextDts = readFileSync(new URL('../../wasm/residualInitText.d.mts', import.meta.url), 'utf8');
const parameterizationTextDts = readFileSync(new URL('../../wasm/parameterizationText.d.mts', import.meta.url), 'utf8');

/** The quoted names of `export type NAME = 'a' | 'b' ...;`. */
function union(name) {
  const m = dts.match(new RegExp(`export type ${name} =([^;]*);`));
  assert.ok(m, `type ${name} is missing from initscope.d.ts`);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}

/** The members (two-space indent) of `export interface NAME { ... }` (in initscope.d.ts, or `text`). */
function members(name, text = dts) {
  const m = text.match(new RegExp(`export interface ${name}\\b[^{]*\\{\\n([\\s\\S]*?)\\n\\}`));
  assert.ok(m, `interface ${name} is missing`);
  return [...m[1].matchAll(/^ {2}(?:readonly )?([A-Za-z_$][\w$]*)\??[:(]/gm)].map((x) => x[1]).sort();
}

const keys = (object) => Object.keys(object).sort();

test('the name unions are the schema names', () => {
  const schema = lab.schema();
  assert.deepEqual(union('ActivationName'), schema.activations.map((a) => a.name));
  assert.deepEqual(union('LossName'), schema.losses.map((l) => l.name));
  assert.deepEqual(union('OptimizerName'), schema.optimizers.optimizers.map((o) => o.name));
  assert.deepEqual(union('DatasetName'), schema.datasets.datasets.map((d) => d.name));
  assert.deepEqual(union('InitializerName'), schema.initializers.map((i) => i.name));
  assert.deepEqual(union('ResidualInitName'), schema.residualInits.map((r) => r.name));
  assert.deepEqual(union('ParameterizationName'), schema.parameterizations.map((r) => r.name));
  const normalize = schema.datasets.params.find((p) => p.name === 'normalize')
    ?? schema.datasets.datasets[0].params.find((p) => p.name === 'normalize');
  assert.deepEqual(union('Normalization'), normalize.choices);
});

test('Lab and Run declare exactly the members the objects have', () => {
  assert.deepEqual(members('Lab'), keys(lab));
  const run = lab.createRun(circles());
  const proto = Object.getPrototypeOf(run);
  const runMembers = Object.getOwnPropertyNames(proto).filter((k) => k !== 'constructor').sort();
  assert.deepEqual(members('Run'), runMembers);
  run.dispose();
});

test('the results declare exactly the keys the engine answers with', () => {
  const run = lab.createRun(circles());
  const step = run.step(3);
  assert.deepEqual(members('StepResult'), keys(step));
  assert.deepEqual(members('Evaluation'), keys(run.evaluate()));
  assert.deepEqual(members('JacobianSpectrum'), keys(run.jacobianSpectrum()));
  const s = run.snapshot();
  // residualInit: in a network with blocks only (tests/wasm/residual-init.test.mjs).
  assert.deepEqual(members('Snapshot').filter((k) => k !== 'residualInit'), keys(s));
  // A layer of another kind than dense adds its kind, its parameter count and its running averages' count.
  const normed = lab.createRun(circles({ layers: [{ units: 4, activation: 'relu' }, { kind: 'layernorm' }, { units: 1, activation: 'sigmoid' }] }));
  assert.deepEqual(members('LayerSnapshot'), keys(normed.snapshot().layers[1]));
  assert.deepEqual(keys(s.layers[0]), keys(normed.snapshot().layers[1]).filter((k) => !['kind', 'params', 'running'].includes(k)));
  const plain = ['W', 'b', 'shape'];
  assert.deepEqual(members('LayerWeights').filter((k) => plain.includes(k)), keys(normed.weights()[1]));
  normed.dispose();
  // A BatchNorm layer adds its running averages.
  const batchNormed = lab.createRun(circles({ layers: [{ units: 4, activation: 'relu' }, { kind: 'batchnorm' }, { units: 1, activation: 'sigmoid' }] }));
  assert.deepEqual(members('LayerWeights').filter((k) => [...plain, 'running'].includes(k)), keys(batchNormed.weights()[1]));
  batchNormed.dispose();
  // A block with every tensor (and a batchnorm's running averages) gives every key.
  const block = { kind: 'residual', activation: 'relu', gate: 'trainable', norm: 'batchnorm' };
  const blocked = lab.createRun(circles({ layers: [{ units: 4, activation: 'relu' }, block, { units: 1, activation: 'sigmoid' }] }));
  assert.deepEqual(members('LayerWeights'), keys(blocked.weights()[1]));
  blocked.dispose();
  assert.deepEqual(members('Summary'), keys(s.layers[0].z));
  assert.deepEqual(members('Histogram'), keys(s.layers[0].z.histogram));
  assert.deepEqual(members('Theory'), keys(s.theory));
  assert.deepEqual(members('TheoryLayer'), keys(s.theory.layers[0]));
  assert.deepEqual(members('InitLaw'), keys(s.layers[0].initLaw));
  assert.deepEqual(members('LayerWeights').filter((k) => ['W', 'b', 'shape'].includes(k)), keys(run.weights()[0]));
  assert.deepEqual(members('DatasetView'), keys(run.dataset()));
  assert.deepEqual(members('Predictions'), keys(run.predict()));
  // residualInit: left out for 'none' (tests/wasm/residual-init.test.mjs); parameterization
  // for 'standard' (tests/wasm/coord-check.test.mjs).
  const withoutScheme = (names) => names.filter((k) => k !== 'residualInit' && k !== 'parameterization');
  assert.deepEqual(withoutScheme(members('ResolvedConfig')), keys(run.config));
  assert.deepEqual(withoutScheme(members('Config')), keys(run.config), 'every config key can be given');
  // The common keys and every kind's own (schema().layerKinds' params).
  const kindKeys = lab.schema().layerKinds.flatMap((k) => k.params.map((p) => p.name));
  assert.deepEqual(members('LayerConfig'), ['activation', 'biasInit', 'init', 'kind', 'units', ...new Set(kindKeys)].sort());
  assert.deepEqual(union('LayerKindName'), lab.schema().layerKinds.map((k) => k.name));
  run.dispose();

  const diverging = lab.createRun({
    layers: [{ units: 4, activation: 'linear' }, { units: 1, activation: 'linear' }],
    loss: 'mse',
    optimizer: { name: 'sgd', lr: 10 },
  });
  assert.deepEqual(members('Divergence'), keys(diverging.step(100).diverged));
  diverging.dispose();
});

test('the config types cover the schema: data, optimizer and stats parameters', () => {
  const schema = lab.schema();
  const dataParams = new Set(schema.datasets.datasets.flatMap((d) => d.params.map((p) => p.name)));
  dataParams.add('name');
  for (const key of ['csv', 'label', 'split']) dataParams.add(key);  // the custom set's text and columns (not spec rows)
  assert.deepEqual(members('DataConfig'), [...dataParams].sort());
  const optimizerParams = schema.optimizers.params.map((p) => p.name).concat('name', 'batch', 'schedule');
  assert.deepEqual(members('OptimizerConfig'), optimizerParams.sort());
  // A schedule's type has each name of the table and each param of every row.
  assert.match(dts, new RegExp(`export type ScheduleName = ${schema.optimizers.schedules.map((r) => `'${r.name}'`).join(' \\| ')};`));
  const scheduleParams = new Set(schema.optimizers.schedules.flatMap((r) => r.params.map((p) => p.name)));
  assert.deepEqual(members('ScheduleSpec'), ['name', ...scheduleParams].sort());
  assert.deepEqual(keys(schema.config.default.stats), ['bins', 'probe']);
  assert.match(dts, /stats\?: \{ bins\?: number; probe\?: number \}/);
});

test('the schema types declare the keys the schema has', () => {
  const schema = lab.schema();
  assert.deepEqual(members('Schema'), keys(schema));
  assert.deepEqual(members('InitializerSchema'), keys(schema.initializers[0]));
  assert.deepEqual(members('ActivationSchema'), keys(schema.activations[0]));
  assert.deepEqual(members('LossSchema'), keys(schema.losses[0]));
  assert.deepEqual(members('DatasetSchema'), keys(schema.datasets.datasets[0]));
  const paramKeys = new Set();
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (typeof v.type === 'string' && typeof v.allowed === 'string') Object.keys(v).forEach((k) => paramKeys.add(k));
      Object.values(v).forEach(walk);
    }
  };
  walk(schema);
  assert.deepEqual(members('ParamSchema'), [...paramKeys].sort());
});

test('the mean-field, preset and sweep types declare the keys the objects have', async () => {
  const { SWEEP_PARAMS } = await import('../../wasm/sweep.mjs');
  assert.deepEqual(members('MeanField'), keys(lab.meanField('tanh', 2.5, 0.05)));
  assert.deepEqual(members('OrderChaosBoundary'), keys(lab.orderChaosBoundary('tanh')));
  const { PRESETS: presets } = await import('../../wasm/presets.mjs');
  const allKeys = (objects) => [...new Set(objects.flatMap((o) => Object.keys(o)))].sort();
  assert.deepEqual(members('Preset'), allKeys(presets));
  assert.deepEqual(members('PresetRun'), allKeys(presets.flatMap((p) => p.runs)));
  assert.deepEqual(members('PresetSweep'), allKeys(presets.flatMap((p) => p.sweeps ?? [])));
  assert.deepEqual(members('PublishedFigure'), allKeys(presets.flatMap((p) => p.published.figures)));
  // Every key an expectation or a sweep spec of the table uses is declared.
  const declared = (name, objects) => {
    const names = members(name);
    for (const key of allKeys(objects)) assert.ok(names.includes(key), `${name} lacks ${key}`);
  };
  declared('Expectation', presets.flatMap((p) => p.expect));
  const specs = presets.flatMap((p) => (p.sweeps ?? []).map((s) => s.spec));
  declared('SweepSpec', specs);
  declared('SweepAxis', specs.flatMap((s) => [s.x, s.y].filter(Boolean)));
  assert.deepEqual(union('SweepParam'), SWEEP_PARAMS);
  const views = new Set(presets.flatMap((p) => p.views));
  for (const view of views) assert.ok(union('PresetView').includes(view), `PresetView lacks ${view}`);
});

test('the sweep types declare the keys of a cell, its result and its initial weights', async () => {
  const { expandSweep, runCell, runSweep } = await import('../../wasm/sweep.mjs');
  const spec = {
    base: { data: 'xor', layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' },
    x: { param: 'weight', layer: 0, index: 0, values: [1] },
    steps: 2, checkEvery: 1, stopOnSuccess: true, keepInitialWeights: true,
  };
  const [cell] = expandSweep(spec);
  assert.deepEqual(members('SweepCell', sweepDts), keys(cell));
  const result = runCell(lab, cell);
  assert.deepEqual(members('SweepCellResult', sweepDts), keys(result));
  assert.deepEqual(members('PlainLayerWeights', sweepDts), keys(result.initialWeights[0]));
  // runSweep's options, as its parameter list names them.
  const options = /runSweep\(rawSpec, \{([^}]*)\}/.exec(runSweep.toString())[1].split(',').map((o) => o.trim()).sort();
  const declared = /export function runSweep\(spec: SweepSpec, options\?: \{\n([\s\S]*?)\n\}\)/.exec(sweepDts)[1];
  assert.deepEqual([...declared.matchAll(/^ {2}(\w+)\?:/gm)].map((x) => x[1]).sort(), options);
});

test('residualInitText.d.mts declares the keys of each scheme\'s words', () => {
  for (const text of Object.values(RESIDUAL_INIT_TEXT)) assert.deepEqual(members('ResidualInitText', residualTextDts), keys(text));
});

test('parameterizationText.d.mts declares the keys of each parameterization\'s words and places', () => {
  for (const text of Object.values(PARAMETERIZATION_TEXT)) {
    assert.deepEqual(members('ParameterizationText', parameterizationTextDts), keys(text));
    for (const place of Object.values(text.places)) assert.deepEqual(members('ParameterizationPlaceText', parameterizationTextDts), keys(place));
  }
});

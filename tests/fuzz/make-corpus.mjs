#!/usr/bin/env node
// Writes the fuzzer's seed corpus (tests/fuzz/corpus/*.json): one small valid config per
// initializer, activation, loss, optimizer and data set of the schema, so every table row
// is a starting point, and every run of every preset (wasm/presets.mjs) with the base
// config of every preset sweep, and a few hostile texts of the classes that once crashed
// the engine (hostile-*.json: multibyte text cut near the message limit, nesting past the
// limit, numbers JSON cannot hold, bytes that are not UTF-8), which must come back as
// errors. Run again when a table grows: node tests/fuzz/make-corpus.mjs
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { PRESETS } from '../../wasm/presets.mjs';

const dir = new URL('./corpus/', import.meta.url);
const lab = await loadInitscope();
const schema = lab.schema();
const base = {
  seed: 1,
  data: { name: 'circles', train: 32, test: 8 },
  layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  loss: 'bce',
  optimizer: { name: 'sgd', lr: 0.1, batch: 16 },
  stats: { bins: 8, probe: 16 },
};
const configs = {};
for (const init of schema.initializers) {
  const params = Object.fromEntries(init.params.filter((p) => p.required).map((p) => [p.name, 0.5]));
  configs[`init-${init.name}`] = { ...base, init: { name: init.name, ...params } };
}
for (const act of schema.activations.filter((a) => !a.outputOnly)) {
  configs[`activation-${act.name}`] = { ...base, layers: [{ units: 4, activation: act.name }, base.layers[1]] };
}
for (const opt of schema.optimizers.optimizers) {
  configs[`optimizer-${opt.name}`] = { ...base, optimizer: { name: opt.name, lr: 0.01, batch: 8, clipNorm: 1, clipValue: 0.5, weightDecay: 0.001 } };
}
for (const d of schema.datasets.datasets) {
  const classes = d.numClasses;
  const output = classes > 2 ? { units: classes, activation: 'softmax' } : { units: 1, activation: 'sigmoid' };
  const data = { name: d.name, train: 24, test: 8 };
  if (d.params.some((p) => p.name === 'dim')) data.dim = 3;
  configs[`data-${d.name}`] = { ...base, data, layers: [{ units: 4, activation: 'relu' }, output], loss: classes > 2 ? 'cross_entropy' : 'bce' };
}
configs['loss-mse'] = { ...base, loss: 'mse', layers: [{ units: 4, activation: 'relu' }, { units: 1, activation: 'linear' }] };
configs['lsuv-deep'] = { ...base, init: { name: 'lsuv' }, layers: [{ units: 6, activation: 'tanh' }, { units: 6, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] };
configs['diverge'] = { ...base, loss: 'mse', optimizer: { name: 'sgd', lr: 1000, batch: 32 }, layers: [{ units: 4, activation: 'linear' }, { units: 1, activation: 'linear' }] };

// The presets' configs as they are (the fuzzer skips the ones too big to be quick, and
// mutates them all): a sweep's base only when no run of the preset has the same config.
for (const preset of PRESETS) {
  const seen = new Set();
  for (const run of preset.runs) {
    configs[`preset-${preset.name}-${run.label}`] = run.config;
    seen.add(JSON.stringify(run.config));
  }
  for (const sweep of preset.sweeps ?? []) {
    if (!seen.has(JSON.stringify(sweep.spec.base))) configs[`preset-${preset.name}-sweep-${sweep.label}`] = sweep.spec.base;
    seen.add(JSON.stringify(sweep.spec.base));
  }
}

// Hostile texts, as bytes: each must be refused with an error value, never a throw.
const deep = (n) => `${'['.repeat(n)}${']'.repeat(n)}`;
const hostile = {
  'multibyte-data': `{"data": "${'a'.repeat(55)}é${'a'.repeat(4)}"}`,
  'multibyte-loss': `{"loss": "${'b'.repeat(56)}€€"}`,
  'multibyte-init-emoji': `{"init": {"name": "${'c'.repeat(54)}😀😀"}}`,
  'multibyte-key': `{"layers": [{"units": 4, "${'ü'.repeat(40)}": 1}, {"units": 1}]}`,
  'multibyte-choice': `{"init": {"name": "variance_scaling", "mode": "${'d'.repeat(57)}𝄞"}}`,
  'nesting-seed': `{"seed": ${deep(40)}}`,
  'nesting-layers': `{"layers": [{"units": 4}, ${deep(1500)}]}`,
  'nesting-data-objects': `{"data": ${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`,
  'nesting-strings': `{"data": "${'['.repeat(200)}", "seed": 1}`,
  'number-1e309': '{"optimizer": {"name": "adam", "lr": 1e309}}',
  'number-nines': `{"layers": [{"units": ${'9'.repeat(400)}}, {"units": 1}]}`,
  'number-negative-overflow': '{"init": {"name": "constant", "value": -1e309}}',
  'utf8-invalid': Buffer.from([...Buffer.from('{"data": "caf'), 0xc3, ...Buffer.from('", "seed": 1}')]),
  'utf8-surrogate-escape': '{"loss": "\\ud800x"}',
  'bom': '\ufeff{"seed": 4, "data": "moons"}',
};

await mkdir(dir, { recursive: true });
for (const f of await readdir(dir)) await rm(new URL(f, dir));
for (const [name, config] of Object.entries(configs)) {
  lab.createRun(config).dispose();  // every seed is a valid config
  await writeFile(new URL(`${name}.json`, dir), `${JSON.stringify(config)}\n`);
}
for (const [name, text] of Object.entries(hostile)) {
  await writeFile(new URL(`hostile-${name}.json`, dir), text);
}
console.log(`wrote ${Object.keys(configs).length} seeds and ${Object.keys(hostile).length} hostile texts`);

// The built module, loaded through the JS API exactly as users load it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { InitscopeError, loadInitscope } from '../../wasm/initscope.mjs';
import { texLines } from '../../web/src/formula.js';
import { kerasCode, pytorchCode } from '../../web/src/codegen.js';

const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
const api = await loadInitscope();

test('the engine version is the package version', () => {
  assert.equal(api.version, pkg.version);
});

test('loads from explicit bytes too (wasmBinary)', async () => {
  const bytes = await readFile(new URL('../../wasm/dist/initscope.wasm', import.meta.url));
  const again = await loadInitscope({ wasmBinary: bytes });
  assert.equal(again.version, pkg.version);
});

test('a wrong wasmUrl rejects with an InitscopeError naming it instead of hanging', async () => {
  await assert.rejects(loadInitscope({ wasmUrl: new URL('file:///nonexistent/initscope.wasm') }),
    (err) => err instanceof InitscopeError && err.field === 'wasmUrl' &&
      /^wasmUrl: the module could not be loaded from file:\/\/\/nonexistent\/initscope\.wasm: /.test(err.message));
  await assert.rejects(loadInitscope({ wasmBinary: new Uint8Array([0, 97, 115, 109]) }),
    (err) => err instanceof InitscopeError && err.field === 'wasmBinary' && /could not be loaded from the bytes given/.test(err.message));
});

test('options of the wrong type reject with an InitscopeError naming the option', async () => {
  const cases = [
    [null, 'options'], [5, 'options'], ['initscope.wasm', 'options'], [[], 'options'], [Symbol('o'), 'options'],
    [{ wasmUrl: 5 }, 'wasmUrl'], [{ wasmUrl: {} }, 'wasmUrl'], [{ wasmUrl: 1n }, 'wasmUrl'],
    [{ wasmBinary: 'bytes' }, 'wasmBinary'], [{ wasmBinary: [0, 97] }, 'wasmBinary'], [{ wasmBinary: NaN }, 'wasmBinary'],
  ];
  for (const [options, field] of cases) {
    await assert.rejects(loadInitscope(options), (err) => err instanceof InitscopeError && err.field === field &&
      err.message.startsWith(`${field}: `) && /is not allowed; expected/.test(err.message), String(field));
  }
});

test('the initializer table reaches JS under the names users type', () => {
  for (const name of ['he_normal', 'kaiming_normal_', 'glorot_uniform', 'orthogonal_',
    'scaled_normal', 'standard_uniform']) {
    assert.ok(api.initializerNames.includes(name), `missing ${name}`);
  }
  assert.equal(new Set(api.initializerNames).size, api.initializerNames.length, 'names are unique');
});

// Adding an initializer touches core only (core/README.md, "Adding an initializer"): its
// row carries everything the page and the code generator need, and they use all of it.
test('every initializer row carries the page\'s columns, and the page and the code generator consume them', () => {
  const rows = api.initializers;
  const byName = new Map(rows.map((r) => [r.name, r]));
  const layer = { nIn: 10, nOut: 5, std: 0.125, law: { hi: 0.25, stddev: 0.375 } };
  for (const row of rows) {
    const defaults = Object.fromEntries(row.params.map((q) => [q.name, q.default]));
    assert.equal(row.kerasClass !== null, row.framework === 'keras', `${row.name}: kerasClass ${row.kerasClass}`);
    if (row.kerasClass !== null) assert.match(row.kerasClass, /^[A-Z][A-Za-z]+$/, row.name);
    const called = row.framework === 'pytorch' && row.name !== 'nn_linear_default';
    assert.equal(row.pytorchFunction, called ? `nn.init.${row.name}` : null, row.name);
    // Every TeX line, of every case, comes out with no placeholder left.
    assert.ok(row.tex.length > 0, `${row.name}: no TeX`);
    const cases = row.texByParam ? Object.keys(row.texByParam.cases) : [undefined];
    if (row.texByParam) assert.ok(row.params.some((q) => q.name === row.texByParam.param && q.choices.every((c) => cases.includes(c))), row.name);
    for (const value of cases) {
      const p = { name: row.name, ...defaults, ...(value ? { [row.texByParam.param]: value } : {}) };
      for (const line of texLines(row, { ...layer, p })) assert.doesNotMatch(line, /\$/, `${row.name}: ${line}`);
    }
    // The other framework's spellings name its rows and only this row's params.
    for (const framework of ['keras', 'pytorch']) {
      for (const spelling of row.equivalents[framework] ?? []) {
        assert.equal(byName.get(spelling.name)?.framework, framework, `${row.name}: ${spelling.name}`);
        const texts = [...spelling.args.map(([, v]) => v), spelling.note ?? '', spelling.then ?? ''];
        for (const [, key] of texts.join(' ').matchAll(/\$(?:[pv]\.)?([A-Za-z_]+)/g)) {
          assert.ok(key === 'gainSquared' || key in defaults, `${row.name}: $${key}`);
        }
      }
    }
  }
  // The code generator writes a row of the other framework from them.
  const run = api.createRun({ init: { name: 'kaiming_normal_', nonlinearity: 'relu' }, biasInit: 'zeros_' });
  const input = { config: run.config, snapshot: run.snapshot(), schema: api.schema(), dataset: run.dataset(),
    context: { title: 't', version: api.version, link: 'http://x/', dataFile: 'd.csv', step: 0 } };
  run.dispose();
  const keras = kerasCode(input);
  assert.match(keras, /kernel_initializer=keras\.initializers\.VarianceScaling\(scale=2\.0, mode="fan_in", distribution="untruncated_normal"\)/);
  assert.match(keras, /bias_initializer="zeros"/);
  assert.match(pytorchCode(input), /nn\.init\.kaiming_normal_\(layer\.weight, mode="fan_in", nonlinearity="relu"\)/);
});

test('the Keras code passes one clipping argument, as Keras 3 accepts, and says what it leaves out', () => {
  const codeFor = (optimizer) => {
    const run = api.createRun({ optimizer: { name: 'adam', ...optimizer } });
    const input = { config: run.config, snapshot: run.snapshot(), schema: api.schema(), dataset: run.dataset(),
      context: { title: 't', version: api.version, link: 'http://x/', dataFile: 'd.csv', step: 0 } };
    run.dispose();
    return kerasCode(input);
  };
  assert.match(codeFor({ clipNorm: 2 }), /keras\.optimizers\.Adam\([^)]*global_clipnorm=2\.0\)/);
  assert.match(codeFor({ clipValue: 0.5 }), /keras\.optimizers\.Adam\([^)]*clipvalue=0\.5\)/);
  const both = codeFor({ clipNorm: 2, clipValue: 0.5 });
  const compile = both.split('\n').find((l) => l.startsWith('model.compile('));
  assert.match(compile, /clipvalue=0\.5/);
  assert.doesNotMatch(compile, /clipnorm/);
  assert.match(both, /# Keras takes one clipping argument: this run also clips the global norm to 2\.0/);
});

test('each initializer row names its framework and formula, in the order of the names', () => {
  assert.deepEqual(api.initializers.map((row) => row.name), api.initializerNames);
  for (const row of api.initializers) {
    assert.ok(['keras', 'pytorch', 'teaching', 'paper'].includes(row.framework),
      `${row.name}: framework ${row.framework}`);
    assert.equal(typeof row.formula, 'string');
    assert.ok(row.formula.length > 0, `${row.name}: empty formula`);
  }
  const framework = (name) => api.initializers.find((row) => row.name === name).framework;
  assert.equal(framework('he_normal'), 'keras');
  assert.equal(framework('kaiming_normal_'), 'pytorch');
});

test('the modules import in flow order: the API only the bridge, sweeps and presets beside it', async () => {
  // The static imports of each module of wasm/ (the graph wasm/README.md draws).
  const importsOf = async (file) => {
    const text = await readFile(new URL(`../../wasm/${file}`, import.meta.url), 'utf8');
    return [...new Set([...text.matchAll(/^(?:import|export)\s[^'"]*?\sfrom\s+'([^']+)';/gm)].map((m) => m[1]))].sort();
  };
  assert.deepEqual(await importsOf('initscope.mjs'), ['./dist/initscope.mjs', './errors.mjs']);
  assert.deepEqual(await importsOf('sweepAxes.mjs'), []);
  assert.deepEqual(await importsOf('sweep.mjs'), ['./dist/limits.mjs', './errors.mjs', './sweepAxes.mjs']);
  assert.deepEqual(await importsOf('sweep-worker.mjs'), ['./initscope.mjs', './sweep.mjs']);
  assert.deepEqual(await importsOf('presetChecks.mjs'), []);
  // The coordinate check takes a lab and loads nothing itself.
  assert.deepEqual(await importsOf('coordCheck.mjs'), []);
  assert.deepEqual(await importsOf('presetCheckpoint.mjs'), []);
  // The page loads the table (a chunk of its own) and its worker the records, without the runner's sweeps.
  assert.deepEqual(await importsOf('presetTable.mjs'), ['./presetTableIsometry.mjs', './presetTableMup.mjs', './presetTableResidual.mjs']);
  assert.deepEqual(await importsOf('presetTableResidual.mjs'), []);
  assert.deepEqual(await importsOf('presetTableIsometry.mjs'), []);
  assert.deepEqual(await importsOf('presetTableMup.mjs'), []);
  assert.deepEqual(await importsOf('presetRecord.mjs'), ['./presetCheckpoint.mjs']);
  assert.deepEqual(await importsOf('presetRunner.mjs'), ['./errors.mjs', './presetRecord.mjs', './sweep.mjs']);
  assert.deepEqual(await importsOf('presets.mjs'), ['./presetChecks.mjs', './presetRunner.mjs', './presetTable.mjs']);
  // The residual initializations' words: data the page loads where it shows them.
  assert.deepEqual(await importsOf('residualInitText.mjs'), []);
  // The parameterizations' words: data the page loads with its parameterization panel.
  assert.deepEqual(await importsOf('parameterizationText.mjs'), []);
  assert.equal('presets' in api, false, 'the lab carries no preset table');
});

// The built module, loaded through the JS API exactly as users load it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { InitscopeError, loadInitscope } from '../../wasm/initscope.mjs';

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
    return [...text.matchAll(/^(?:import|export)\s[^'"]*?\sfrom\s+'([^']+)';/gm)].map((m) => m[1]).sort();
  };
  assert.deepEqual(await importsOf('initscope.mjs'), ['./dist/initscope.mjs', './errors.mjs']);
  assert.deepEqual(await importsOf('sweep.mjs'), ['./errors.mjs']);
  assert.deepEqual(await importsOf('sweep-worker.mjs'), ['./initscope.mjs', './sweep.mjs']);
  assert.deepEqual(await importsOf('presetChecks.mjs'), []);
  assert.deepEqual(await importsOf('presetRunner.mjs'), ['./errors.mjs', './sweep.mjs']);
  assert.deepEqual(await importsOf('presets.mjs'), ['./presetChecks.mjs', './presetRunner.mjs']);
  assert.equal('presets' in api, false, 'the lab carries no preset table');
});

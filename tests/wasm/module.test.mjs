// The built module, loaded through the JS API exactly as users load it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { loadInitscope } from '../../wasm/initscope.mjs';

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

test('a wrong wasmUrl rejects with an Error instead of hanging', async () => {
  await assert.rejects(loadInitscope({ wasmUrl: new URL('file:///nonexistent/initscope.wasm') }));
});

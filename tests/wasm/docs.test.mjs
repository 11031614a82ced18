// The README's reference tables come from the engine's schema; they must not drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { applySections, renderSections } from '../../scripts/docs.mjs';

test('the README reference tables match the schema', async () => {
  const lab = await loadInitscope();
  const readme = await readFile(new URL('../../core/README.md', import.meta.url), 'utf8');
  const wanted = applySections(readme, renderSections(lab.schema()));
  assert.equal(readme, wanted, 'README.md is out of date: run `node scripts/docs.mjs`');
});

test('every initializer, activation and data set of the schema is documented', async () => {
  const lab = await loadInitscope();
  const readme = await readFile(new URL('../../core/README.md', import.meta.url), 'utf8');
  const schema = lab.schema();
  for (const name of [...schema.initializers.map((i) => i.name),
                      ...schema.activations.map((a) => a.name),
                      ...schema.datasets.datasets.map((d) => d.name)]) {
    assert.ok(readme.includes(`| \`${name}\` |`), `${name} is missing from core/README.md`);
  }
});

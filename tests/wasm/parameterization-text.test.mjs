// The parameterizations' words (wasm/parameterizationText.mjs) against the engine's table:
// the schema carries names, titles and params only, and the text module has the doc and the
// input, hidden and output places' formulas and sources of exactly the schema's rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PARAMETERIZATION_TEXT } from '../../wasm/parameterizationText.mjs';
import { lab } from './helpers.mjs';

const schema = lab.schema();

test('the schema lists the parameterizations with names, titles and params only: no words in the engine', () => {
  assert.deepEqual(schema.parameterizations.map((r) => r.name), ['standard', 'ntk', 'mup']);
  for (const row of schema.parameterizations) {
    assert.deepEqual(Object.keys(row).sort(), ['name', 'params', 'title'], row.name);
  }
});

test('parameterizationText.mjs has the words of every parameterization of the schema, and of no other', () => {
  assert.deepEqual(Object.keys(PARAMETERIZATION_TEXT).sort(), schema.parameterizations.map((r) => r.name).sort());
  for (const row of schema.parameterizations) {
    const text = PARAMETERIZATION_TEXT[row.name];
    assert.deepEqual(Object.keys(text).sort(), ['doc', 'places'], row.name);
    assert.ok(text.doc.length > 20, row.name);
    assert.deepEqual(Object.keys(text.places), ['input', 'hidden', 'output'], row.name);
    for (const [place, p] of Object.entries(text.places)) {
      assert.deepEqual(Object.keys(p).sort(), ['adamLr', 'bias', 'forward', 'init', 'sgdLr', 'source'], `${row.name} ${place}`);
      for (const [key, value] of Object.entries(p)) assert.ok(value.length > 0, `${row.name} ${place} ${key}`);
      assert.ok(/\d{4}/.test(p.source) || /mup|PyTorch/.test(p.source), `${row.name} ${place} names its source`);
    }
  }
  // Only a row with zeroReadout says what it does to the readout.
  for (const row of schema.parameterizations) {
    const takes = row.params.some((p) => p.name === 'zeroReadout');
    assert.equal(JSON.stringify(PARAMETERIZATION_TEXT[row.name].places.output).includes('zeroReadout'), takes, row.name);
  }
});

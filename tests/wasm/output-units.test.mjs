// The page's output layer comes from the engine's schema (losses[].outputUnits by number of
// classes), not from a rule of its own: every data set with every loss it takes, and the
// gaussian set with each number of classes, gives a config the engine accepts, and a loss
// the data cannot take is refused by the engine with its own message.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { InitscopeError } from '../../wasm/initscope.mjs';
import { withDataset, withLoss, withDataParam } from '../../web/src/state.js';
import { lab } from './helpers.mjs';

const schema = lab.schema();
const defaults = schema.config.default;

function accepted(config) {
  const run = lab.createRun(config);
  const units = run.config.layers.at(-1).units;
  run.dispose();
  return units;
}

test('every data set with every loss it takes builds an output layer the engine accepts', () => {
  for (const row of schema.datasets.datasets) {
    const config = withDataset(defaults, schema, row.name);
    if (row.name === 'custom') config.data.csv = 'x,class\n1,a\n2,b\n3,a\n4,b\n';  // its schema row's 2 classes
    for (const loss of schema.losses) {
      const next = withLoss(config, schema, loss.name);
      const classes = row.params.some((p) => p.name === 'classes') ? next.data.classes : row.numClasses;
      const units = loss.outputUnits[classes];
      if (units === undefined) {
        assert.throws(() => lab.createRun(next), (err) => err instanceof InitscopeError && err.field === 'loss',
          `${row.name} with ${loss.name}`);
        continue;
      }
      assert.equal(next.layers.at(-1).units, units, `${row.name} with ${loss.name}`);
      assert.equal(accepted(next), units);
    }
  }
});

test('a new number of classes (gaussian) sets the output units the engine wants for the loss', () => {
  const gaussian = { ...withDataset(defaults, schema, 'gaussian'), data: { name: 'gaussian', dim: 4, train: 16, test: 0 } };
  for (const loss of ['cross_entropy', 'mse']) {
    for (let classes = 2; classes <= 10; classes++) {
      const next = withDataParam(withLoss(gaussian, schema, loss), schema, 'classes', classes);
      assert.equal(next.data.classes, classes);
      assert.equal(accepted(next), next.layers.at(-1).units, `${loss}, ${classes} classes`);
      assert.equal(next.layers.at(-1).units, loss === 'mse' && classes === 2 ? 1 : classes);
    }
  }
  // bce takes two classes only: the units stay, and the engine names the loss.
  const bce = withDataParam(withLoss(gaussian, schema, 'bce'), schema, 'classes', 3);
  assert.equal(bce.layers.at(-1).units, 1);
  assert.throws(() => lab.createRun(bce), /loss: "bce" is not allowed for gaussian, which has 3 classes/);
  // Any other data param leaves the layers alone.
  assert.deepEqual(withDataParam(gaussian, schema, 'dim', 7).layers, gaussian.layers);
});

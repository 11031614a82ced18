// Custom data through the JS API: a CSV from outside the engine's own tables (the iris
// and digits rows the engine ships, written out here with another separator, another
// column order and class names) loads as the same numbers, trains, and comes back in the
// run's config; the refusals are the shared table's (bad-configs.mjs, errors.test.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { InitscopeError } from '../../wasm/initscope.mjs';
import { lab } from './helpers.mjs';

/** Every row of a shipped set (file rows, shuffled by the engine), raw: { x: [[...]], y: [...] }. */
function shippedRows(name, features, classes) {
  const rows = name === 'iris' ? 150 : 1797;
  const run = lab.createRun({
    data: { name, train: rows, test: 0 },
    layers: [{ units: 4, activation: 'relu' }, { units: classes, activation: 'softmax' }],
    loss: 'cross_entropy',
  });
  const d = run.dataset();
  run.dispose();
  const x = [...Array(rows)].map((_, i) => Array.from(d.xTrain.subarray(i * features, (i + 1) * features)));
  return { x, y: Array.from(d.yTrain) };
}

const SPECIES = ['setosa', 'versicolor', 'virginica'];

/** Iris as a European spreadsheet writes it: semicolons, decimal commas, the class first, features reversed. */
function irisCsv() {
  const { x, y } = shippedRows('iris', 4, 3);
  const header = 'species;petal width;petal length;sepal width;sepal length';
  const lines = x.map((row, i) => [SPECIES[y[i]], ...[...row].reverse().map((v) => String(v).replace('.', ','))].join(';'));
  return { csv: `${header}\r\n${lines.join('\r\n')}\r\n`, x, y };
}

const softmax = (classes) => [{ units: 16, activation: 'relu' }, { units: classes, activation: 'softmax' }];

test('iris written with semicolons, decimal commas and the class first loads as the same numbers', () => {
  const { csv, x, y } = irisCsv();
  const run = lab.createRun({
    data: { name: 'custom', csv, label: 'species', testFraction: 0 },
    layers: softmax(3), loss: 'cross_entropy',
  });
  const d = run.dataset();
  run.dispose();
  assert.equal(d.inputDim, 4);
  assert.equal(d.numClasses, 3);
  assert.equal(d.train, 150);
  assert.equal(d.test, 0);
  assert.equal(d.is2d, false);
  // The same rows (the custom set shuffles them again): compare sorted row texts.
  const key = (row, cls) => `${SPECIES[cls]}:${row.join(',')}`;
  const given = x.map((row, i) => key([...row].reverse(), y[i])).sort();
  const loaded = [...Array(150)].map((_, i) => key(Array.from(d.xTrain.subarray(i * 4, i * 4 + 4)), d.yTrain[i])).sort();
  assert.deepEqual(loaded, given);
});

test('a custom iris trains to the accuracy the shipped one reaches', () => {
  const { csv } = irisCsv();
  const config = {
    seed: 2,
    data: { name: 'custom', csv, label: 1, normalize: 'standardize', testFraction: 0.2, seed: 4 },
    layers: softmax(3), loss: 'cross_entropy', optimizer: { name: 'adam', lr: 0.01, batch: 32 },
  };
  const run = lab.createRun(config);
  assert.equal(run.dataset().train, 120);
  assert.equal(run.dataset().test, 30);
  run.step(600);
  const { testAccuracy, trainAccuracy } = run.evaluate();
  run.dispose();
  assert.ok(trainAccuracy > 0.9 && testAccuracy > 0.85, `train ${trainAccuracy}, test ${testAccuracy}`);
});

test('digits with the class in the middle and a split column keep their 64 features and 10 classes', () => {
  const { x, y } = shippedRows('digits', 64, 10);
  // No header: columns 1-32 pixels, 33 the digit, 34 train/test, 35-66 pixels.
  const lines = x.map((row, i) => [...row.slice(0, 32), y[i], i < 1500 ? 'train' : 'test', ...row.slice(32)].join(','));
  const run = lab.createRun({
    data: { name: 'custom', csv: lines.join('\n'), label: 33, split: 34, normalize: 'minmax' },
    layers: softmax(10), loss: 'cross_entropy',
  });
  const d = run.dataset();
  assert.equal(d.inputDim, 64);
  assert.equal(d.numClasses, 10);
  assert.equal(d.train, 1500);
  assert.equal(d.test, 297);
  // The split column keeps file order: the first test row is row 1501's.
  const first = x[1500].map((v, k) => (v - d.offset[k]) / d.scale[k]);
  assert.deepEqual(Array.from(d.xTest.subarray(0, 64)), first.map(Math.fround));
  assert.equal(d.yTest[0], y[1500]);
  run.dispose();
});

test('two feature columns make a 2-D set with a decision grid over the extent given', () => {
  const csv = 'x,y,class\n-0.5,-0.5,0\n0.5,0.5,1\n-0.4,-0.6,0\n0.6,0.4,1\n-0.7,-0.2,0\n0.3,0.8,1\n';
  const run = lab.createRun({
    data: { name: 'custom', csv, testFraction: 0, extent: 1 },
    layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
    loss: 'bce', optimizer: { name: 'adam', lr: 0.05, batch: 6 },
  });
  const d = run.dataset();
  assert.equal(d.is2d, true);
  assert.equal(d.extent, 1);
  run.step(200);
  assert.equal(run.evaluate().trainAccuracy, 1);
  const grid = run.decisionGrid(8);
  assert.equal(grid.length, 64);
  // Rows from the top: (-1, -1) is the bottom-left corner (class 0), (1, 1) the top-right (class 1).
  assert.ok(grid[56] < 0.5 && grid[7] > 0.5, `bottom-left ${grid[56]}, top-right ${grid[7]}`);
  run.dispose();
});

test('the run keeps the custom data in its config, which rebuilds the same set', () => {
  const { csv } = irisCsv();
  const run = lab.createRun({ data: { name: 'custom', csv, label: 'species', seed: 7 }, layers: softmax(3), loss: 'cross_entropy' });
  const data = run.config.data;
  assert.equal(data.name, 'custom');
  assert.equal(data.csv, csv);
  assert.equal(data.label, 'species');
  assert.equal(data.seed, 7);
  const again = lab.createRun(JSON.parse(JSON.stringify(run.config)));
  assert.deepEqual(again.dataset().xTest, run.dataset().xTest);
  again.dispose();
  run.dispose();
});

test('a refused csv leaves nothing behind: the next run builds', () => {
  assert.throws(() => lab.createRun({ data: { name: 'custom', csv: 'a,b,c\n1,2,x\n1,zwei,y\n' } }),
    (err) => err instanceof InitscopeError && err.field === 'data.csv' && /row 3, column 2 \("b"\): "zwei" is not a number/.test(err.message));
  const run = lab.createRun({ data: { name: 'custom', csv: 'a,b,c\n1,2,x\n1,3,y\n' } });
  assert.equal(run.dataset().train + run.dataset().test, 2);
  run.dispose();
});

test('the schema row of the custom set gives its limits once', () => {
  const row = lab.schema().datasets.datasets.find((d) => d.name === 'custom');
  const limits = Object.fromEntries(row.limits.map((l) => [l.name, [l.min, l.max]]));
  assert.deepEqual(limits, { rows: [2, 20000], features: [1, 64], classes: [2, 10] });
  assert.deepEqual(row.params.map((p) => p.name), ['testFraction', 'seed', 'normalize', 'header', 'separator', 'extent']);
});

test('describeData gives the shape and names of a CSV before any network, and its refusals', () => {
  const { csv } = irisCsv();
  assert.deepEqual(lab.describeData({ name: 'custom', csv, label: 'species' }), {
    name: 'custom', inputDim: 4, numClasses: 3, is2d: false, extent: 0, train: 120, test: 30,
    featureNames: ['petal width', 'petal length', 'sepal width', 'sepal length'],
    classNames: SPECIES,
  });
  assert.equal(lab.describeData('moons').is2d, true);
  assert.deepEqual(lab.describeData({ name: 'iris' }).classNames, []);
  assert.throws(() => lab.describeData({ name: 'custom', csv: 'x;y;k\n1;2;a\n1;2;b\n3;;a\n' }),
    (err) => err instanceof InitscopeError && err.field === 'data.csv' && /row 4, column 2 \("y"\): the value is missing/.test(err.message));
  assert.throws(() => lab.describeData(7), (err) => err instanceof InitscopeError && err.field === 'data');
});

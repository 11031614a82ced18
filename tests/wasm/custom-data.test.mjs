// Custom data through the JS API: CSVs from outside the engine's own tables (tests/data:
// scikit-learn's iris and digits files, which the engine's sets are generated from,
// rewritten by tests/data/rewrite.mjs with another separator, another column order and
// class names; and the same iris with mistakes in it) load as the same numbers, train, and
// come back in the run's config; the refusals name the row, the column and the value.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { InitscopeError } from '../../wasm/initscope.mjs';
import { lab } from './helpers.mjs';

const fixture = (name) => {
  const bytes = readFileSync(new URL(`../data/${name}`, import.meta.url));
  return (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
};

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

/** A loaded set's rows as sorted texts `class:x1,x2,…` (each set shuffles its rows its own way). */
function rowKeys(x, y, names = null) {
  return x.map((row, i) => `${names ? names[y[i]] : y[i]}:${row.join(',')}`).sort();
}
const loadedRows = (d) => [...Array(d.train)].map((_, i) => Array.from(d.xTrain.subarray(i * d.inputDim, (i + 1) * d.inputDim)));

const SPECIES = ['setosa', 'versicolor', 'virginica'];

/** tests/data/iris-semicolon.csv: semicolons, decimal commas, CRLF, the species first, the measurements reversed. */
function irisCsv() {
  const { x, y } = shippedRows('iris', 4, 3);
  return { csv: fixture('iris-semicolon.csv'), x, y };
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
  // The same rows as the shipped set (the custom set shuffles them again), in the file's column order.
  assert.deepEqual(rowKeys(loadedRows(d), Array.from(d.yTrain)), rowKeys(x.map((row) => [...row].reverse()), y));
});

test('the shipped digits written with semicolons and the digit first load as the same 1797 rows of 64 pixels', () => {
  const { x, y } = shippedRows('digits', 64, 10);
  const run = lab.createRun({
    data: { name: 'custom', csv: fixture('digits-semicolon.csv.gz'), label: 'digit', testFraction: 0 },
    layers: softmax(10), loss: 'cross_entropy',
  });
  const d = run.dataset();
  run.dispose();
  assert.deepEqual([d.inputDim, d.numClasses, d.train, d.test], [64, 10, 1797, 0]);
  assert.deepEqual(lab.describeData({ name: 'custom', csv: fixture('digits-semicolon.csv.gz'), label: 'digit' }).classNames,
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(rowKeys(loadedRows(d), Array.from(d.yTrain)), rowKeys(x, y));
});

test('the iris file with mistakes is refused at each, naming its row, column and value, until it is mended', () => {
  const good = fixture('iris-semicolon.csv').split('\r\n');
  const lines = fixture('iris-errors.csv').split('\r\n');
  const expected = [
    [5, /^data\.csv: row 5, column 5 \("sepal length \(cm\)"\): "5,x1" is not a number; expected a number \(decimal point or comma\)$/],
    [9, /^data\.csv: row 9, column 3 \("petal length \(cm\)"\): the value is missing; expected a number in every feature cell$/],
    [20, /^data\.csv: row 20 has 6 columns \(semicolon-separated\) and row 1 has 5; expected 5 in every row$/],
    [40, /^data\.csv: row 40, column 1 \("species"\): "NA" is a missing class; expected a class in every row$/],
  ];
  for (const [row, message] of expected) {
    assert.throws(() => lab.describeData({ name: 'custom', csv: lines.join('\r\n'), label: 'species' }),
      (err) => err instanceof InitscopeError && err.field === 'data.csv' && message.test(err.message), `row ${row}`);
    lines[row - 1] = good[row - 1];  // mended: the next mistake is the one named
  }
  assert.equal(lab.describeData({ name: 'custom', csv: lines.join('\r\n'), label: 'species' }).train, 120);
});

test('a CSV of the most rows and features, each number as numpy writes it by default, fits the input limit and loads', () => {
  const limits = Object.fromEntries(lab.schema().datasets.datasets.find((d) => d.name === 'custom').limits.map((l) => [l.name, l.max]));
  let seed = 1;
  const next = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  const header = [...Array(limits.features)].map((_, k) => `x${k + 1}`).join(',');
  // Negative numbers in numpy.savetxt's default '%.18e': the longest cells it writes.
  const lines = [...Array(limits.rows)].map((_, i) => `${[...Array(limits.features)].map(() => (-0.1 - next()).toExponential(18)).join(',')},${i % limits.classes}`);
  const csv = `${header},class\n${lines.join('\n')}\n`;
  assert.ok(csv.length > 30e6, `${csv.length} bytes`);
  const d = lab.describeData({ name: 'custom', csv });
  assert.deepEqual([d.inputDim, d.numClasses, d.train + d.test], [limits.features, limits.classes, limits.rows]);
  // One row more is refused by the row limit, naming the row.
  assert.throws(() => lab.describeData({ name: 'custom', csv: `${csv}${lines[0]}\n` }),
    (err) => err instanceof InitscopeError && err.message === `data.csv: row ${limits.rows + 2}: more than ${limits.rows} data rows; expected at most ${limits.rows}`);
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
    featureNames: ['petal width (cm)', 'petal length (cm)', 'sepal width (cm)', 'sepal length (cm)'],
    classNames: SPECIES,
  });
  assert.equal(lab.describeData('moons').is2d, true);
  assert.deepEqual(lab.describeData({ name: 'iris' }).classNames, []);
  assert.throws(() => lab.describeData({ name: 'custom', csv: 'x;y;k\n1;2;a\n1;2;b\n3;;a\n' }),
    (err) => err instanceof InitscopeError && err.field === 'data.csv' && /row 4, column 2 \("y"\): the value is missing/.test(err.message));
  assert.throws(() => lab.describeData(7), (err) => err instanceof InitscopeError && err.field === 'data');
});

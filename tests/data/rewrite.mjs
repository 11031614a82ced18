#!/usr/bin/env node
// Writes the CSV fixtures of the custom-data tests from scikit-learn's iris.csv and
// digits.csv.gz (the files core/src/data_iris.cpp and data_digits.cpp are generated from):
// the same rows with another separator, another column order and a header, as a CSV from
// outside the project would come. Usage: node tests/data/rewrite.mjs DATA_DIR
// (DATA_DIR holds iris.csv and digits.csv.gz; README.md in this folder says where from).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const from = process.argv[2];
if (!from) {
  console.error('usage: node tests/data/rewrite.mjs DATA_DIR');
  process.exit(2);
}
const here = new URL('.', import.meta.url).pathname;
const rows = (text) => text.trim().split('\n').map((line) => line.trim().split(','));

// Iris as a European spreadsheet saves it: semicolons, decimal commas, CRLF, the species
// by name in the first column and the four measurements in reverse order.
const [irisHead, ...iris] = rows(readFileSync(join(from, 'iris.csv'), 'utf8'));
const species = irisHead.slice(2);
const irisLines = iris.map((r) => [species[Number(r[4])], ...r.slice(0, 4).reverse().map((v) => v.replace('.', ','))].join(';'));
writeFileSync(join(here, 'iris-semicolon.csv'),
  `species;petal width (cm);petal length (cm);sepal width (cm);sepal length (cm)\r\n${irisLines.join('\r\n')}\r\n`);

// The same iris with mistakes in it, one of each kind a refusal names (row numbers as a
// spreadsheet shows them, the header being row 1): a non-number, a missing value, a
// ragged row, a missing class.
const broken = irisLines.slice();
broken[3] = broken[3].replace(/;[^;]+$/, ';5,x1');                 // row 5, column 5
broken[7] = broken[7].replace(/^([^;]+;[^;]+;)[^;]+/, '$1');        // row 9, column 3 empty
broken[18] = `${broken[18]};0,4`;                                  // row 20: 6 columns
broken[38] = broken[38].replace(/^[^;]+/, 'NA');                   // row 40: class NA
writeFileSync(join(here, 'iris-errors.csv'),
  `species;petal width (cm);petal length (cm);sepal width (cm);sepal length (cm)\r\n${broken.join('\r\n')}\r\n`);

// Digits with semicolons, the digit first and named, the 64 pixels after it as p1..p64.
const digits = rows(gunzipSync(readFileSync(join(from, 'digits.csv.gz'))).toString('utf8'));
const header = ['digit', ...digits[0].slice(0, 64).map((_, k) => `p${k + 1}`)].join(';');
const digitLines = digits.map((r) => [r[64].replace(/\.0+$/, ''), ...r.slice(0, 64).map((v) => v.replace(/\.0+$/, ''))].join(';'));
writeFileSync(join(here, 'digits-semicolon.csv.gz'), gzipSync(`${header}\n${digitLines.join('\n')}\n`, { level: 9 }));

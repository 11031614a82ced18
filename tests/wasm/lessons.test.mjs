// The lessons' maths against the engine: every number a lesson shows is its table's row,
// each row is the engine's number (correctly rounded, or within the row's stated
// tolerance), no numeral is written outside the table, every lab's URL keys are read
// without a notice, every check holds on the lab's own run trained as far as the lesson
// asks, and every glossary term the page or the lessons mark exists.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { recordCheckpoint, checkExpectation } from '../../wasm/presets.mjs';
import { deserialize, KEYS } from '../../web/src/state.js';
import { LESSONS } from '../../web/src/lessons/content.js';
import { strayNumbers, numberNames } from '../../web/src/lessons/text.js';
import { GLOSSARY, termsIn } from '../../web/src/glossary.js';

const ORDER = ['symmetry', 'vanishing-exploding', 'variance', 'activation', 'beyond-variance', 'normalization', 'clipping', 'residual', 'mup'];
const CLAIM_OWN = new Set(['ref', 'times']);  // a claim may show its check's own numbers

let lab;
let schema;
before(async () => {
  lab = await loadInitscope();
  schema = lab.schema();
});

/** The lab's configs: run A's keys, and run B's (`b.` keys over A) when it has two runs. */
function labConfigs(entry) {
  const params = new URLSearchParams(entry.keys);
  const a = deserialize(params, schema.config.default, schema);
  const runs = [{ label: 'A', ...a }];
  if (params.get('runs') === '2') runs.push({ label: 'B', ...deserialize(params, a.config, schema, { prefix: 'b.' }) });
  return runs;
}

// The runs of each lab trained to its steps, once.
const cache = new Map();
function trained(entry, label) {
  const key = `${entry.id}/${label}`;
  if (!cache.has(key)) {
    const { config } = labConfigs(entry).find((r) => r.label === label);
    const run = lab.createRun(config);
    try {
      const snapshot = run.snapshot();
      const init = recordCheckpoint(run);
      const result = run.step(entry.steps);
      const final = recordCheckpoint(run);
      cache.set(key, { config: run.config, snapshot, init, final, diverged: result.diverged ?? null, dataset: run.dataset() });
    } finally {
      run.dispose();
    }
  }
  return cache.get(key);
}

/** The ctx of content.js's number rows, for one lesson. */
function contextOf(lesson) {
  const labOf = (id) => {
    const entry = lesson.labs.find((l) => l.id === id);
    assert.ok(entry, `${lesson.id}: a number reads lab "${id}", which the lesson does not have`);
    return entry;
  };
  const firstLayer = (config) => {
    const run = lab.createRun(config);
    try { return { snapshot: run.snapshot(), dataset: run.dataset() }; } finally { run.dispose(); }
  };
  return {
    run: (id, label = 'A') => trained(labOf(id), label),
    dataset: (id, label = 'A') => trained(labOf(id), label).dataset,
    law(init, fanIn, fanOut) {
      const spec = KEYS.find((k) => k.key === 'init').codec.read(init, schema);
      const { snapshot } = firstLayer({
        data: { name: 'gaussian', dim: fanIn, train: 16, test: 0 },
        layers: [{ units: fanOut, activation: 'linear' }, { units: 1, activation: 'sigmoid' }],
        init: spec, loss: 'bce',
      });
      return snapshot.layers[0];
    },
    data: (data) => firstLayer({ ...schema.config.default, data, layers: [{ units: 4, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'cross_entropy' }).dataset,
  };
}

/** Whether `text` shows `value`: correctly rounded to its last digit, or within the row's tolerance. */
function shows(row, value) {
  const plain = row.text.replace(/,/g, '');
  const shown = Number(plain);
  if (!Number.isFinite(shown) || !Number.isFinite(value)) return false;
  if (row.abs !== undefined) return Math.abs(value - shown) <= row.abs;
  if (row.tol !== undefined) return Math.abs(value - shown) <= row.tol * Math.abs(shown);
  const m = plain.match(/^-?\d+(?:\.(\d+))?(?:e([+-]?\d+))?$/);
  assert.ok(m, `"${row.text}" is not a number the test can read`);
  const unit = 10 ** (Number(m[2] ?? 0) - (m[1]?.length ?? 0));
  return Math.abs(value - shown) <= (unit / 2) * (1 + 1e-9);
}

/** Every piece of a lesson's text: [where, text, extra names allowed]. */
function proseOf(lesson) {
  const out = [[`${lesson.id}.title`, lesson.title], [`${lesson.id}.summary`, lesson.summary]];
  lesson.body.forEach((p, i) => { if (typeof p === 'string') out.push([`${lesson.id}.body[${i}]`, p]); });
  for (const l of lesson.labs) {
    const at = `${lesson.id}/${l.id}`;
    out.push([`${at}.title`, l.title], [`${at}.question`, l.predict.question], [`${at}.why`, l.predict.why]);
    l.predict.choices.forEach((c, i) => out.push([`${at}.choices[${i}]`, c]));
    l.checks.forEach((c, i) => out.push([`${at}.checks[${i}]`, c.claim, CLAIM_OWN]));
  }
  return out;
}

test('the lessons are the seven of the story, in order, with unique lab ids', () => {
  assert.deepEqual(LESSONS.map((l) => l.id), ORDER);
  for (const lesson of LESSONS) {
    const ids = lesson.labs.map((l) => l.id);
    assert.equal(new Set(ids).size, ids.length, lesson.id);
    const placed = lesson.body.filter((p) => typeof p !== 'string').map((p) => p.lab);
    assert.deepEqual(placed.sort(), [...ids].sort(), `${lesson.id}: every lab placed once in the body`);
    assert.ok(lesson.labs.length >= 1 && lesson.labs.length <= 2, `${lesson.id}: one or two labs`);
  }
});

test('every lab\'s URL keys are read without a notice and its runs are built by the engine', () => {
  for (const lesson of LESSONS) {
    for (const entry of lesson.labs) {
      for (const run of labConfigs(entry)) {
        assert.deepEqual(run.notices, [], `${lesson.id}/${entry.id} run ${run.label}`);
        assert.ok(trained(entry, run.label).init, `${lesson.id}/${entry.id} run ${run.label}`);
      }
      assert.ok(entry.steps >= 1, `${entry.id}: the learner trains it`);
      assert.ok(Number.isInteger(entry.predict.answer) && entry.predict.answer >= 0 && entry.predict.answer < entry.predict.choices.length, entry.id);
    }
  }
});

test('no numeral in a lesson\'s text is written outside its number table', () => {
  for (const lesson of LESSONS) {
    for (const [where, text, own] of proseOf(lesson)) {
      assert.deepEqual(strayNumbers(text), [], `${where}: ${text}`);
      for (const name of numberNames(text)) {
        assert.ok(Object.hasOwn(lesson.numbers, name) || own?.has(name), `${where}: {${name}} is not a row of ${lesson.id}'s numbers`);
      }
    }
    const used = new Set(proseOf(lesson).flatMap(([, text]) => numberNames(text)));
    for (const name of Object.keys(lesson.numbers)) assert.ok(used.has(name), `${lesson.id}: number row ${name} is shown nowhere`);
  }
});

test('the scan catches a stray number, and the old 100 × 0.01² = 0.1 slip is caught by the rows', () => {
  assert.deepEqual(strayNumbers('fan_in · Var[w] = 100 × 0.01² = 0.1'), ['100', '0.01', '0.1']);
  assert.deepEqual(strayNumbers('{fanIn} × {smallStd}² = {linearVarFactor}, χ₁ and σ²'), []);
  assert.deepEqual(strayNumbers('ten layers, twice as wide'), ['ten', 'twice']);
  // The variance lesson's factor is the engine's: 0.01, not 0.1.
  const variance = LESSONS.find((l) => l.id === 'variance');
  const factor = variance.numbers.linearVarFactor.value(contextOf(variance));
  assert.ok(shows({ text: '0.01' }, factor) && !shows({ text: '0.1' }, factor), String(factor));
});

test('every number a lesson shows is the engine\'s', () => {
  for (const lesson of LESSONS) {
    const ctx = contextOf(lesson);
    for (const [name, row] of Object.entries(lesson.numbers)) {
      const value = row.value(ctx);
      assert.ok(shows(row, value), `${lesson.id}: {${name}} shows "${row.text}" but the engine has ${value}`);
    }
  }
});

test('every check holds on the lab\'s own run trained to the lesson\'s steps', () => {
  for (const lesson of LESSONS) {
    for (const entry of lesson.labs) {
      const results = Object.fromEntries(labConfigs(entry).map((r) => {
        const t = trained(entry, r.label);
        return [r.label, { init: t.init, final: t.final, diverged: t.diverged }];
      }));
      assert.ok(entry.checks.length >= 1, entry.id);
      for (const check of entry.checks) {
        const c = checkExpectation(results, check);
        assert.ok(c.holds, `${lesson.id}/${entry.id}: ${c.claim}: ${c.detail}`);
      }
    }
  }
});

test('every glossary term the page and the lessons mark is in the glossary', () => {
  const keys = [];
  for (const lesson of LESSONS) for (const [, text] of proseOf(lesson)) keys.push(...termsIn(text).map((t) => t.key));
  const src = new URL('../../web/src/', import.meta.url);
  for (const file of readdirSync(src, { recursive: true }).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(new URL(file, src), 'utf8');
    // Marked text: the cards' descriptions and the lessons (other files may hold [[…]] arrays).
    if (file === 'views.js' || (file.startsWith('lessons/') && file !== 'lessons/text.js')) keys.push(...termsIn(text).map((t) => t.key));
    if (file !== 'terms.js') keys.push(...[...text.matchAll(/data-term="([^"]+)"|dataset\.term = '([^']+)'/g)].map((m) => m[1] ?? m[2]));
  }
  assert.ok(keys.length > 20, `marks found: ${keys.length}`);
  for (const key of keys) assert.ok(Object.hasOwn(GLOSSARY, key), `[[${key}]] is not in web/src/glossary.js`);
  for (const [key, entry] of Object.entries(GLOSSARY)) {
    assert.ok(entry.term && entry.text && entry.text.length < 200, `${key}: one line`);
  }
});

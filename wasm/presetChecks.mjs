// A preset's expected outcome and published figures against its records (presetRunner.mjs
// makes them): PATHs into the results, the expectations evaluated, the published numbers
// beside ours. Pure functions over plain data: the page's main script checks the records
// its worker sends without loading the preset table or the engine.

function parsePath(path) {
  const tokens = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  let m;
  while ((m = re.exec(path)) !== null) {
    if (m[1] !== undefined) tokens.push({ key: m[1] });
    else if (m[2] === '*') tokens.push({ slice: [0, Infinity] });
    else if (m[2].includes(':')) {
      const [a, b] = m[2].split(':');
      tokens.push({ slice: [a === '' ? 0 : Number(a), b === '' ? Infinity : Number(b)] });
    } else tokens.push({ index: Number(m[2]) });
  }
  return tokens;
}

/**
 * The value a PATH names in the results: a number, null, an array (slices), or undefined
 * when the path leads nowhere (a run that was not run, a step that was not reached).
 */
export function resolvePath(results, path) {
  let values = [results];
  let sliced = false;
  for (const token of parsePath(path)) {
    const next = [];
    for (const v of values) {
      if (v === null || v === undefined) {
        next.push(undefined);
      } else if (token.key !== undefined) {
        next.push(Object.hasOwn(v, token.key) ? v[token.key] : undefined);
      } else if (!Array.isArray(v)) {
        next.push(undefined);
      } else if (token.index !== undefined) {
        next.push(v.at(token.index));
      } else {
        sliced = true;
        next.push(...v.slice(token.slice[0], token.slice[1] === Infinity ? undefined : token.slice[1]));
      }
    }
    values = next;
  }
  return sliced ? values : values[0];
}

const OPS = ['equals', 'atLeast', 'atMost', 'below', 'above', 'between', 'near', 'isNull'];
const SYMBOL = { equals: '=', atLeast: '≥', atMost: '≤', below: '<', above: '>' };

const fmt = (v) => {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (v === Infinity) return '∞ (never)';
  if (typeof v !== 'number') return JSON.stringify(v);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
};

/** One expectation against the results → { claim, holds, value, reference, detail }. */
export function checkExpectation(results, expectation) {
  const op = OPS.find((o) => o in expectation);
  const raw = resolvePath(results, expectation.value);
  const missing = expectation.missing === 'infinite' ? Infinity : null;
  const numeric = (v) => (v === null && missing !== null ? missing : v);
  let reference = expectation[op];
  if (typeof reference === 'string') reference = numeric(resolvePath(results, reference));
  if (typeof reference === 'number' && expectation.times !== undefined) reference *= expectation.times;
  const values = Array.isArray(raw) ? raw.map(numeric) : [numeric(raw)];
  const test = (v) => {
    if (op === 'isNull') return expectation.isNull ? v === null : v !== null && v !== undefined;
    if (typeof v !== 'number' || Number.isNaN(v)) return false;
    switch (op) {
      case 'equals': return v === reference;
      case 'atLeast': return typeof reference === 'number' && v >= reference;
      case 'atMost': return typeof reference === 'number' && v <= reference;
      case 'below': return typeof reference === 'number' && v < reference;
      case 'above': return typeof reference === 'number' && v > reference;
      case 'between': return v >= reference[0] && v <= reference[1];
      case 'near': return typeof reference === 'number' && Math.abs(v - reference) <= expectation.relTol * Math.abs(reference);
      default: return false;
    }
  };
  const holds = (!Array.isArray(raw) || raw.length > 0) && values.every(test);
  const shown = Array.isArray(raw) ? `[${values.map(fmt).join(', ')}]` : fmt(values[0]);
  let detail;
  if (op === 'isNull') detail = `${shown} ${expectation.isNull ? 'is' : 'is not'} null`;
  else if (op === 'between') detail = `${shown} in [${fmt(reference[0])}, ${fmt(reference[1])}]`;
  else if (op === 'near') detail = `${shown} within ${fmt(expectation.relTol * 100)} % of ${fmt(reference)}`;
  else detail = `${shown} ${SYMBOL[op]} ${fmt(reference)}`;
  return { claim: expectation.claim, holds, value: Array.isArray(raw) ? values : values[0], reference: reference ?? null, detail };
}

/** The run and sweep labels an expectation reads: the first part of its PATHs. */
export function expectationLabels(expectation) {
  const paths = [expectation.value, ...OPS.map((op) => expectation[op]).filter((ref) => typeof ref === 'string')];
  return [...new Set(paths.map((path) => path.split(/[.[]/)[0]))];
}

/**
 * The preset's expected outcome against the results → { holds, checks }. Every check names
 * its claim, our value, what it was compared with, and whether it holds. A check whose run
 * was not run (runPreset's `runs`) is left out.
 */
export function checkOutcome(preset, results) {
  const checks = preset.expect
    .filter((e) => expectationLabels(e).every((label) => Object.hasOwn(results, label)))
    .map((e) => checkExpectation(results, e));
  return { holds: checks.every((c) => c.holds), checks };
}

/** The published figures beside ours: [{ run, quantity, published, shown, ours, note }]. */
export function comparePublished(preset, results) {
  return preset.published.figures
    .filter((f) => Object.hasOwn(results, f.run))
    .map((f) => ({
      run: f.run,
      quantity: f.quantity,
      published: f.value,
      shown: f.shown ?? fmt(f.value),
      ours: resolvePath(results[f.run], f.path) ?? null,
      note: f.note ?? null,
    }));
}

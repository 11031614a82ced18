// The coordinate check (Yang et al., Tensor Programs V, and mup's coord_check): train the
// same network at several widths for a few steps and record, per layer and step, the mean
// |value| of its pre-activations and activations (the "coordinate size") and of their change
// since initialization. Under the standard parameterization the sizes of the last layers
// grow with width once training starts; under muP they stay flat. The numbers come from
// run.coordinates() (the engine); this module only loops over widths, seeds and steps and
// fits the growth.

/** What the CLI and the tests check by default: mup's MLP example in small. */
export const COORD_CHECK_DEFAULTS = Object.freeze({
  widths: Object.freeze([64, 128, 256, 512, 1024]),
  steps: 3,
  seeds: Object.freeze([1, 2, 3]),
});

/** The page's view (web/src/coordCheckView.js): widths that run in a few seconds in a browser. */
export const COORD_CHECK_PAGE = Object.freeze({
  widths: Object.freeze([32, 64, 128, 256, 512]),
  steps: 3,
  seeds: Object.freeze([1, 2, 3]),
});

/**
 * A tanh MLP on the digits set (64 inputs, 10 classes), two hidden layers, LeCun normal,
 * Adam 0.01 on minibatches of 64, the given parameterization (a name or an object).
 */
export function coordCheckConfig(parameterization = 'standard') {
  return {
    data: { name: 'digits' },
    layers: [
      { units: 64, activation: 'tanh' },
      { units: 64, activation: 'tanh' },
      { units: 10, activation: 'softmax' },
    ],
    init: 'lecun_normal',
    biasInit: 'zeros',
    loss: 'cross_entropy',
    optimizer: { name: 'adam', lr: 0.01, batch: 64 },
    stats: { probe: 256 },
    parameterization,
  };
}

/** The config with every hidden layer that has units (all but the output layer) at `width`. */
export function widen(config, width) {
  const layers = config.layers.map((layer, i) =>
    i + 1 < config.layers.length && layer.units !== undefined ? { ...layer, units: width } : layer);
  return { ...config, layers };
}

function checkList(values, name, ok, expected) {
  if (!Array.isArray(values) || values.length === 0 || !values.every(ok)) {
    throw new TypeError(`${name}: ${JSON.stringify(values)} is not allowed; expected ${expected}`);
  }
}

/**
 * Runs the check: for each width and seed, a run of `widen(config, width)` with that seed,
 * its coordinates at step 0 and after each of `steps` steps. Returns one row per width,
 * seed, step and layer: { width, seed, step, layer, z, a, zChange, aChange }. A run that
 * diverges stops there (its later steps have no rows). `onRow` (optional) sees each row as
 * it is made. Widths go through the engine's own checks (units 1 to 1024).
 */
export function coordinateCheck(lab, {
  config = coordCheckConfig(),
  widths = COORD_CHECK_DEFAULTS.widths,
  steps = COORD_CHECK_DEFAULTS.steps,
  seeds = COORD_CHECK_DEFAULTS.seeds,
  onRow,
} = {}) {
  checkList(widths, 'widths', Number.isInteger, 'a non-empty list of integers');
  checkList(seeds, 'seeds', (s) => Number.isInteger(s) && s >= 0, 'a non-empty list of integers >= 0');
  if (!Number.isInteger(steps) || steps < 0 || steps > 1000) {
    throw new TypeError(`steps: ${JSON.stringify(steps)} is not allowed; expected an integer from 0 to 1000`);
  }
  const rows = [];
  const emit = (row) => { rows.push(row); onRow?.(row); };
  for (const width of widths) {
    for (const seed of seeds) {
      const run = lab.createRun({ ...widen(config, width), seed });
      try {
        for (let step = 0; step <= steps; ++step) {
          if (step > 0 && run.step(1).diverged) break;
          run.coordinates().forEach((c, layer) => emit({ width, seed, step, layer, ...c }));
        }
      } finally {
        run.dispose();
      }
    }
  }
  return rows;
}

/**
 * The coordinate size of one quantity ('z', 'a', 'zChange' or 'aChange') of one layer at one
 * step against width: [{ width, mean }], the mean over seeds, in the order the widths came.
 */
export function coordinateSizes(rows, { layer, step, quantity = 'z' }) {
  const byWidth = new Map();
  for (const r of rows) {
    if (r.layer !== layer || r.step !== step) continue;
    const list = byWidth.get(r.width) ?? [];
    list.push(r[quantity]);
    byWidth.set(r.width, list);
  }
  return [...byWidth].map(([width, vs]) => ({ width, mean: vs.reduce((s, v) => s + v, 0) / vs.length }));
}

/**
 * The growth exponent of one quantity ('z', 'a', 'zChange' or 'aChange') of one layer at one
 * step: the least-squares slope of log(mean over seeds) against log(width). 0: flat;
 * 1: proportional to width. NaN when fewer than two widths have a positive mean.
 */
export function growthExponent(rows, { layer, step, quantity = 'z' }) {
  const points = coordinateSizes(rows, { layer, step, quantity }).map(({ width, mean }) => [Math.log(width), Math.log(mean)])
    .filter(([, y]) => Number.isFinite(y));
  if (points.length < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
  const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

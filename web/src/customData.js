// A config on custom data (data: { name: 'custom', csv, … }): the number of classes the
// engine found in a CSV (lab.describeData, asked by the data panel) and the output layer
// and loss that fit it. Pure: state.js and the node tests use it without a DOM.

// csv text → classes, as the engine described it (the last few texts: a learner switches
// between a handful of data sets, and a text can be megabytes).
const described = new Map();
const REMEMBERED = 4;

export function rememberClasses(csv, classes) {
  described.delete(csv);
  described.set(csv, classes);
  while (described.size > REMEMBERED) described.delete(described.keys().next().value);
}

/** The classes of a custom config's CSV, if the engine has described it; else undefined. */
export function customClasses(data) {
  return data?.name === 'custom' ? described.get(data.csv) : undefined;
}

/**
 * `config` on `data` (a custom set of `classes` classes): the loss stays if it takes that
 * many classes (schema losses[].outputUnits), else cross-entropy; the output layer gets the
 * units and the activation the loss needs.
 */
export function withCustomData(config, schema, data, classes) {
  const next = structuredClone(config);
  rememberClasses(data.csv, classes);
  next.data = data;
  const keeps = schema.losses.find((l) => l.name === next.loss)?.outputUnits[classes] !== undefined;
  if (!keeps) next.loss = classes === 2 ? 'bce' : 'cross_entropy';
  const loss = schema.losses.find((l) => l.name === next.loss);
  const out = next.layers[next.layers.length - 1];
  out.units = loss.outputUnits[classes];
  if (!loss.anyOutput && loss.requiredOutput) out.activation = loss.requiredOutput;
  return next;
}

// ---- drawn points (drawData.js): the plane, the CSV, the link's spelling ----

export const PLANE_EXTENT = 1;
export const RESOLUTION = 0.01;  // points are kept to this grid (what the link can carry)

const onGrid = (v) => Math.max(-PLANE_EXTENT, Math.min(PLANE_EXTENT, Math.round(v / RESOLUTION) * RESOLUTION));

/** Points [{x, y, c}] as the CSV the engine reads. */
export function pointsCsv(points) {
  return `x,y,class\n${points.map((p) => `${p.x.toFixed(2)},${p.y.toFixed(2)},${p.c}`).join('\n')}\n`;
}

// The link's spelling: 5 characters a point, the class digit then x and y as two base-36
// digits each of round((v + 1) × 100), 0 to 200 (unreserved characters: no escaping).
export function pointsText(points) {
  const two = (v) => Math.round((v + PLANE_EXTENT) / RESOLUTION).toString(36).padStart(2, '0');
  return points.map((p) => `${p.c}${two(p.x)}${two(p.y)}`).join('');
}

/** pointsText read back → points, or undefined if it is not that spelling. */
export function readPointsText(text) {
  if (!/^([0-9][0-9a-z]{4})+$/.test(text)) return undefined;
  const points = [];
  for (let i = 0; i < text.length; i += 5) {
    const x = parseInt(text.slice(i + 1, i + 3), 36) * RESOLUTION - PLANE_EXTENT;
    const y = parseInt(text.slice(i + 3, i + 5), 36) * RESOLUTION - PLANE_EXTENT;
    if (Math.abs(x) > PLANE_EXTENT + 1e-9 || Math.abs(y) > PLANE_EXTENT + 1e-9) return undefined;
    points.push({ x: onGrid(x), y: onGrid(y), c: Number(text[i]) });
  }
  return points;
}

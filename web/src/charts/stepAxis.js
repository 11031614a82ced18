// The loss charts' step axis, linear or log: one setting for the page (the URL's
// stepaxis=), which every loss chart follows. On the log axis the first steps and the
// last are both readable; it is uPlot's asinh scale, linear below step 1, so step 0 keeps
// its place.

export const STEP_AXES = ['linear', 'log'];

let current = 'linear';
const listeners = new Set();

export const stepAxis = () => current;

/** Sets the axis; every chart that listens redraws with it. */
export function setStepAxis(axis) {
  if (!STEP_AXES.includes(axis) || axis === current) return;
  current = axis;
  for (const fn of [...listeners]) fn(axis);
}

/** Calls `fn(axis)` on each change; returns the function that stops listening. */
export function onStepAxis(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const compact = (v) => (v >= 1e6 ? `${+(v / 1e6).toPrecision(6)}M` : v >= 1e4 ? `${+(v / 1e3).toPrecision(6)}k` : v.toLocaleString('en-US'));
const decade = (v) => v === 0 || (v > 0 && Number.isInteger(Math.log10(v)));

/** The x scale of a step axis. */
export const stepScale = (axis) => (axis === 'log'
  // The data's own range (a log range would round up to the next power of ten).
  ? { time: false, distr: 4, log: 10, asinh: 1, range: (u, min, max) => [Math.max(0, min ?? 0), Math.max(max ?? 1, 1)] }
  : { time: false });

/** Tick labels of the linear step axis, short enough not to run into each other: 2,500, 400k, 1.2M. */
export const linearStepValues = (u, splits) => splits.map((v) => (v === null || v === undefined ? '' : compact(v)));

/** Tick labels of the log step axis: 0 and the powers of ten (1, 10, …, 10k, 1M). */
export function logStepValues(u, splits) {
  return splits.map((v) => (v !== null && v !== undefined && decade(v) ? compact(v) : ''));
}

let ids = 0;

/**
 * The toggle above a chart: "step axis: linear | log", two radio buttons (arrow keys move
 * between them). Returns { element, destroy }.
 */
export function stepAxisToggle() {
  const name = `step-axis-${++ids}`;
  const group = document.createElement('div');
  group.className = 'segmented step-axis';
  group.setAttribute('role', 'radiogroup');
  group.setAttribute('aria-label', 'step axis');
  group.dataset.testid = 'step-axis';
  const title = document.createElement('span');
  title.className = 'step-axis-title';
  title.textContent = 'step axis';
  title.setAttribute('aria-hidden', 'true');
  group.append(title);
  const inputs = STEP_AXES.map((axis) => {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = name;
    input.value = axis;
    input.dataset.testid = `step-axis-${axis}`;
    input.checked = axis === current;
    input.addEventListener('change', () => { if (input.checked) setStepAxis(axis); });
    label.append(input, ` ${axis}`);
    group.append(label);
    return input;
  });
  const stop = onStepAxis((axis) => { for (const input of inputs) input.checked = input.value === axis; });
  return { element: group, destroy: stop };
}

/**
 * A chart's plot that follows the page's step axis: the toggle and a box, appended to
 * `container`; `build(box, axis)` makes the uPlot, now and at each change of the axis
 * (uPlot takes a scale's distribution once, so a new axis is a new plot).
 */
export class StepAxisPlot {
  constructor(container, build) {
    this.toggle = stepAxisToggle();
    this.box = document.createElement('div');
    container.append(this.toggle.element, this.box);
    this.build = build;
    this.#rebuild(stepAxis());
    this.stopListening = onStepAxis((axis) => this.#rebuild(axis));
  }

  #rebuild(axis) {
    this.plot?.destroy();
    this.box.replaceChildren();
    this.plot = this.build(this.box, axis);
  }

  destroy() {
    this.stopListening();
    this.toggle.destroy();
    this.plot.destroy();
  }
}

// The sweep view: a grid over one or two settings of the current run (init scale or gain,
// depth, width, learning rate, seed, or two single initial weights), every cell a fresh
// network trained in Web Workers (wasm/sweep.mjs runSweep, one worker per core), a
// heatmap of the final loss, accuracy or success with the order/chaos boundary where it
// applies, progress, cancel and CSV export. The spec lives in the URL (`sweep=`). A run is
// a long job (job.js): one cell per worker at a time, cancelled by Cancel, by closing the
// view or by opening it again (a new link). A click on a cell (or Enter on the cell chosen
// with the arrow keys) opens that cell's run in the lab in a new tab: its config as a lab
// link, trained to the cell's steps, so the sweep stays where it is. The page loads this
// module (with wasm/sweep.mjs and the heatmap) when a sweep view first opens
// (lazySweeps.js); its URL text is sweepText.js.
import { runSweep, validateSweep, sweepToCsv, axisLabel, cellConfig, initAxisRefusal, SWEEP_PARAMS } from '../../wasm/sweep.mjs';
import { SHOW, initName } from './sweepText.js';
import { writeUrl, pageAddress } from './url.js';
import { createWorker } from './workerFactory.js';
import { button } from './dom.js';
import { Job } from './job.js';
import { ProgressLine } from './progressLine.js';
import { Heatmap } from './charts/heatmap.js';
import { figure } from './charts/base.js';
import { pngTool } from './png.js';
import { download } from './png.js';

const LABEL = {
  'init.scale': 'init scale (× variance)', 'init.gain': 'init gain (× weights)', depth: 'depth (hidden layers)', width: 'width (units)',
  lr: 'learning rate', seed: 'seed', weight: 'one initial weight', bias: 'one initial bias',
  blocks: 'residual blocks', gate: 'blocks\' α (gate)',
};

/** A validated spec with what the heatmap writes on it: axis labels and the success rule. */
export function heatmapSpec(spec) {
  const label = (axis) => (axis ? { ...axis, label: axis.param === 'weight' || axis.param === 'bias' ? `${LABEL[axis.param]} ${axisLabel(axis)}` : LABEL[axis.param] } : null);
  const successText = spec.success.lossBelow !== undefined ? `training loss < ${spec.success.lossBelow}`
    : `${spec.success.metric === 'testAccuracy' ? 'test' : 'train'} accuracy ≥ ${spec.success.atLeast}`;
  return { ...spec, x: label(spec.x), y: label(spec.y), successText };
}

export class SweepView {
  /**
   * @param {HTMLElement} root
   * @param {{ base(): object, schema(): object, onChange(state): void, onClose(): void }} source
   *   base: the config every cell starts from (the run being edited); schema: the engine's
   */
  constructor(root, source) {
    this.root = root;
    this.source = source;
    this.root.hidden = true;
  }

  get isOpen() { return !this.root.hidden; }

  open(state) {
    this.cancel();
    this.state = state;
    this.root.hidden = false;
    this.#render();
  }

  /** Cancels the sweep, if one runs, and lets go of the view's elements and chart. */
  close() {
    this.cancel();
    this.job = null;
    this.line?.release();
    this.heatmap?.destroy();
    this.heatmap = null;
    this.line = null;
    this.runButton = null;
    this.csvButton = null;
    this.drawState = null;
    this.root.hidden = true;
    this.root.replaceChildren();
  }

  /** Stops the sweep that runs, if any (the cells done so far stay drawn). */
  cancel() {
    this.job?.cancel();
  }

  #render() {
    const s = this.state;
    const card = document.createElement('section');
    card.className = 'card wide sweep-card';
    card.dataset.testid = 'view-sweep';
    const { body, fig } = figure(card, {
      title: 'Sweep',
      description: 'Every cell is a fresh network: the run\'s settings with the swept values, trained for the same steps. Cells run in parallel Web Workers; the cells are the same whatever their number.',
    });
    card.prepend(pngTool(fig, 'sweep', () => this.state.steps));
    const form = document.createElement('div');
    form.className = 'sweep-form';
    form.append(this.#axisFields('x', s.x, false), this.#axisFields('y', s.y, true));
    const grid = document.createElement('div');
    grid.className = 'field-grid';
    grid.append(
      this.#number('steps', 'steps per cell', s.steps, 1, (v) => { s.steps = v; }),
      this.#select('metric', 'success when', [['trainAccuracy', 'train accuracy ≥'], ['testAccuracy', 'test accuracy ≥']], s.metric, (v) => { s.metric = v; }),
      this.#number('atLeast', 'of', s.atLeast, 'any', (v) => { s.atLeast = v; }),
      this.#select('show', 'colour', SHOW, s.show, (v) => { s.show = v; this.#draw(); }),
      this.#number('workers', 'workers', navigator.hardwareConcurrency || 2, 1, (v) => { this.workers = v; }),
    );
    this.workers = navigator.hardwareConcurrency || 2;
    form.append(grid);
    const bar = document.createElement('div');
    bar.className = 'sweep-bar';
    this.runButton = button('sweep-run', 'Run the sweep', 'btn btn-play', () => this.run());
    this.csvButton = button('sweep-csv', 'CSV', 'btn btn-quiet', () => this.#csv());
    this.csvButton.disabled = true;
    const close = button('sweep-close', 'Close', 'btn btn-quiet', () => this.source.onClose());
    this.line?.release();
    this.line = new ProgressLine('sweep');
    if (this.job) this.line.show(this.job, (job) => this.#describe(job));
    bar.append(this.runButton, ...this.line.parts, this.csvButton, close);
    const heat = document.createElement('div');
    body.append(form, bar, heat);
    this.root.replaceChildren(card);
    this.heatmap?.destroy();
    this.heatmap = new Heatmap(heat, { onOpen: (cell) => this.openCell(cell), openLabel: 'open its run in the lab (new tab)' });
    this.result = null;
    this.#preview();
  }

  #field(label, control, testid) {
    const wrap = document.createElement('div');
    wrap.className = 'field';
    const id = `sweep-${testid}`;
    control.id = id;
    control.dataset.testid = id;
    const lab = document.createElement('label');
    lab.htmlFor = id;
    lab.textContent = label;
    wrap.append(lab, control);
    return wrap;
  }

  #number(testid, label, value, step, onChange) {
    const input = document.createElement('input');
    input.type = 'number';
    input.step = String(step);
    input.value = String(value);
    input.addEventListener('change', () => {
      const v = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(v)) return;
      onChange(v);
      this.#changed();
    });
    return this.#field(label, input, testid);
  }

  #select(testid, label, options, value, onChange) {
    const select = document.createElement('select');
    for (const [v, text] of options) select.append(new Option(text, v));
    select.value = value;
    select.addEventListener('change', () => { onChange(select.value); this.#changed(); });
    return this.#field(label, select, testid);
  }

  #axisFields(name, axis, optional) {
    const box = document.createElement('fieldset');
    box.className = 'sweep-axis';
    const legend = document.createElement('legend');
    legend.textContent = name === 'x' ? 'Across (x)' : 'Down (y)';
    box.append(legend);
    const options = [...(optional ? [['', 'nothing (one row)']] : []), ...SWEEP_PARAMS.map((p) => [p, LABEL[p]])];
    box.append(this.#select(`${name}-param`, 'setting', options, axis?.param ?? '', (v) => {
      if (!v) this.state[name] = null;
      else this.state[name] = { ...(this.state[name] ?? { from: 1, to: 4, count: 4, scale: 'linear', layer: 0, index: 0 }), param: v };
      this.source.onChange(this.state);
      this.#render();
    }));
    if (!axis) return box;
    const grid = document.createElement('div');
    grid.className = 'field-grid';
    grid.append(
      this.#number(`${name}-from`, 'from', axis.from, 'any', (v) => { axis.from = v; }),
      this.#number(`${name}-to`, 'to', axis.to, 'any', (v) => { axis.to = v; }),
      this.#number(`${name}-count`, 'values', axis.count, 1, (v) => { axis.count = v; }),
      this.#select(`${name}-scale`, 'spacing', [['linear', 'linear'], ['log', 'log']], axis.scale, (v) => { axis.scale = v; }),
    );
    if (axis.param === 'weight' || axis.param === 'bias') {
      grid.append(
        this.#number(`${name}-layer`, 'layer (0 = first)', axis.layer, 1, (v) => { axis.layer = v; }),
        this.#number(`${name}-index`, axis.param === 'weight' ? 'index in W (row-major fan_in × fan_out)' : 'index in b', axis.index, 1, (v) => { axis.index = v; }),
      );
    }
    box.append(grid);
    return box;
  }

  #changed() {
    this.source.onChange(this.state);
    this.#preview();
  }

  /** The wasm/sweep.mjs spec of the form and the run's config. */
  spec() {
    const s = this.state;
    const axis = (a) => {
      if (!a) return undefined;
      const out = { param: a.param, from: a.from, to: a.to, count: a.count, scale: a.scale };
      if (a.param === 'weight' || a.param === 'bias') Object.assign(out, { layer: a.layer, index: a.index });
      return out;
    };
    const spec = { base: this.source.base(), x: axis(s.x), steps: s.steps, success: { metric: s.metric, atLeast: s.atLeast } };
    if (s.y) spec.y = axis(s.y);
    return spec;
  }

  // The grid before it runs: its size, or why the spec is refused (the sweep module's words).
  #preview() {
    try {
      const spec = validateSweep(this.spec());
      // What the engine would refuse at once: an init axis on an initializer it does not fit.
      for (const name of ['x', 'y']) {
        const param = spec[name]?.param;
        const why = param?.startsWith('init.') && initAxisRefusal(param, initName(spec.base), this.source.schema().initializers);
        if (why) throw new Error(`${name}.param: ${why}`);
      }
      const cells = spec.x.values.length * (spec.y ? spec.y.values.length : 1);
      if (!this.job?.running) this.line.text = `${cells} cells of ${spec.steps} steps`;
      this.runButton.disabled = Boolean(this.job?.running);
      this.valid = spec;
    } catch (error) {
      this.line.text = error.message;  // it names the field
      this.runButton.disabled = true;
      this.valid = null;
    }
  }

  /** Runs the sweep on `workers` Web Workers → the result (or null when cancelled). */
  async run({ workers = this.workers } = {}) {
    if (!this.valid) return null;
    this.cancel();
    const spec = this.valid;
    this.checked = null;
    const total = spec.x.values.length * (spec.y ? spec.y.values.length : 1);
    const job = new Job({ total });
    this.job = job;
    job.workers = workers;
    const cells = new Array(total).fill(null);
    const labels = heatmapSpec(spec);
    this.drawState = { spec: labels, cells, meanField: null };
    this.runButton.disabled = true;
    this.csvButton.disabled = true;
    this.root.dataset.state = 'running';
    this.line.show(job, (j) => this.#describe(j));
    let pending = false;
    try {
      const result = await runSweep(spec, {
        workers,
        createWorker,
        signal: job.signal,
        onChecked: (checked) => { if (this.job === job) this.checked = checked; },
        onProgress: ({ done, cell }) => {
          cells[cell.i] = cell;
          job.progress(done);
          if (!pending) {
            pending = true;
            requestAnimationFrame(() => { pending = false; if (this.job === job) this.#draw(); });
          }
        },
      });
      job.result = result;
      job.finish();
      if (this.job !== job) return result;
      this.result = result;
      this.drawState = { spec: labels, cells: result.cells, meanField: result.meanField };
      this.#draw();
      this.root.dataset.state = 'done';
      this.csvButton.disabled = false;
      return result;
    } catch (error) {
      const cancelled = error?.name === 'AbortError';
      job.error = cancelled ? null : error;
      if (cancelled) job.cancel(); else job.finish('failed');
      if (this.job === job) this.root.dataset.state = cancelled ? 'cancelled' : 'error';
      return null;
    } finally {
      if (this.job === job) this.runButton.disabled = !this.valid;
    }
  }

  // The status line of a run: its progress, then how it ended.
  #describe(job) {
    const workers = `${job.workers} workers`;
    if (job.state === 'running') return `${job.done} of ${job.total} cells · ${workers}`;
    if (job.state === 'cancelled') return `Cancelled after ${job.done} of ${job.total} cells`;
    if (job.state === 'failed') return job.error.message;
    const seconds = ((performance.now() - job.startedAt) / 1000).toFixed(1);
    const mf = job.result.meanField;
    const boundary = mf?.applies ? '' : ` · no order/chaos boundary: ${mf?.reason ?? 'not computed'}`;
    return `${job.total} cells in ${seconds} s on ${workers}${boundary}`;
  }

  #draw() {
    if (!this.drawState) return;
    this.heatmap.update({ ...this.drawState, show: this.state.show });
  }

  /**
   * The lab link of a cell's run: its config (the sweep's base with the cell's values) and
   * step = the cell's steps; null when the cell cannot be put in a link (a weight or bias
   * set by hand) or the sweep has not been checked yet.
   */
  cellLink(cell) {
    return cellLink(this.checked, cell, this.source.schema());
  }

  /** Opens a cell's run in the lab, in a new tab (the sweep stays), or says why it cannot. */
  openCell(cell) {
    const why = openCell(this.checked, cell, this.source.schema());
    if (why) this.line.text = why;
  }

  csvText() {
    return this.result ? sweepToCsv(this.result) : '';
  }

  #csv() {
    if (!this.result) return;
    const s = this.result.spec;
    const name = `initscope-sweep-${axisLabel(s.x)}${s.y ? `-${axisLabel(s.y)}` : ''}.csv`.replace(/[^\w.-]+/g, '_');
    download(name, this.csvText(), 'text/csv');
  }
}

/**
 * The lab link of a cell's run: its config (the checked sweep's base with the cell's values)
 * and step = the cell's steps; null when the cell cannot be put in a link (a weight or bias
 * set by hand) or the sweep has not been checked yet.
 */
export function cellLink(checked, cell, schema) {
  if (!checked || [checked.x, checked.y].some((a) => a?.param === 'weight' || a?.param === 'bias')) return null;
  const { config } = cellConfig(checked, cell.x, cell.y);
  const hash = writeUrl({ configs: [config], step: cell.steps }, schema.config.default, schema);
  return `${pageAddress()}#${hash}`;
}

/** Opens a cell's run in the lab in a new tab (the sweep stays); returns why not, or ''. */
export function openCell(checked, cell, schema) {
  const link = cellLink(checked, cell, schema);
  if (!link) {
    return checked
      ? 'A cell with one weight or bias set by hand cannot be opened: lab links do not carry single weights.'
      : 'The cells open once the engine has checked the sweep.';
  }
  window.open(link, '_blank', 'noopener');
  return '';
}

// The coordinate check as a card (issue 17; mup's coord_check): the current network at a few
// widths, trained a few steps under the standard parameterization and under muP (and under the
// network's own, when it is neither), with, per layer, the mean |z| (or |a|, or their change
// since initialization) against width on log axes, one line per step, the parameterizations
// side by side, and the fitted growth exponent in words. The numbers are wasm/coordCheck.mjs's
// (coordinateCheck in a worker of its own, one width and seed at a time, so the card shows
// progress and Cancel stops between two; coordinateSizes and growthExponent here). The page
// loads this module when the card first opens (the parameterization panel's button).
import { COORD_CHECK_PAGE, coordinateSizes, growthExponent, widen } from '../../wasm/coordCheck.mjs';
import { withParameterization, parameterizationOf } from './parameterizationPanel.js';
import { createWorker } from './workerFactory.js';
import { button } from './dom.js';
import { Job } from './job.js';
import { ProgressLine } from './progressLine.js';
import { makePlot, axis, fmt, layerColor, positive, tooltipPlugin, logTickValues, figure } from './charts/base.js';
import { layerName } from './chartText.js';
import './coordCheck.css';

const QUANTITIES = [
  { name: 'z', label: 'mean |z|', words: 'mean |z| (pre-activation)' },
  { name: 'zChange', label: 'mean |z − z₀|', words: 'change of z since initialization, mean |z − z₀|' },
  { name: 'a', label: 'mean |a|', words: 'mean |a| (activation)' },
  { name: 'aChange', label: 'mean |a − a₀|', words: 'change of a since initialization, mean |a − a₀|' },
];
// How close to 0 an exponent is called flat: the tolerance tests/wasm/coord-check.test.mjs gives muP.
const FLAT = 0.2;

/** "grows with width (∝ width^0.76)", "stays about flat (∝ width^−0.12)": an exponent in words. */
export function exponentWords(e) {
  if (!Number.isFinite(e)) return 'has no fitted exponent (fewer than two widths with a positive size)';
  const power = `∝ width^${e.toFixed(2).replace('-', '−')}`;
  if (Math.abs(e) < FLAT) return `stays about flat (${power})`;
  return e > 0 ? `grows with width (${power})` : `shrinks with width (${power})`;
}

/** The parameterizations compared: standard and muP, and the network's own when it is another. */
function comparedConfigs(config, schema) {
  const own = parameterizationOf(config, schema).name;
  const names = ['standard', 'mup', ...(own === 'standard' || own === 'mup' ? [] : [own])];
  return names.map((name) => {
    const c = withParameterization(config, schema, { name });
    const row = schema.parameterizations.find((r) => r.name === name);
    return { name, title: row.title, config: c };
  });
}

export class CoordCheckView {
  /** @param {HTMLElement} root @param {{ config(): object, schema(): object }} source  the run being edited */
  constructor(root, source) {
    this.root = root;
    this.source = source;
    this.root.hidden = true;
    this.worker = null;
    this.answers = new Map();
    this.requests = 0;
    this.plots = [];
  }

  get isOpen() { return !this.root.hidden; }

  /** Opens the card for the run being edited and runs the check. */
  open() {
    this.cancel();
    this.root.hidden = false;
    this.quantity = this.quantity ?? 'z';
    this.#render();
    this.run();
  }

  close() {
    this.cancel();
    this.#destroyPlots();
    this.line?.release();
    this.worker?.terminate();
    this.worker = null;
    for (const resolve of this.answers.values()) resolve(null);
    this.answers.clear();
    this.root.hidden = true;
    this.root.replaceChildren();
  }

  cancel() { this.job?.cancel(); }

  #ask(message) {
    this.worker ??= this.#startWorker();
    const id = ++this.requests;
    return new Promise((resolve) => {
      this.answers.set(id, resolve);
      this.worker.postMessage({ ...message, id });
    });
  }

  #startWorker() {
    const worker = createWorker();
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === 'fatal') {
        for (const resolve of this.answers.values()) resolve({ error: { message: m.message } });
        this.answers.clear();
      }
      if (m.type !== 'coordRows') return;
      this.answers.get(m.id)?.(m);
      this.answers.delete(m.id);
    };
    return worker;
  }

  /** Every parameterization × width × seed, one at a time; the charts follow each answer. */
  async run() {
    const { widths, steps, seeds } = COORD_CHECK_PAGE;
    const schema = this.source.schema();
    this.compared = comparedConfigs(this.source.config(), schema);
    this.rows = this.compared.map(() => []);
    this.steps = steps;
    this.error.textContent = '';
    const job = new Job({ total: this.compared.length * widths.length * seeds.length });
    this.job = job;
    job.started = true;
    this.line.show(job, (j) => `${j.done} of ${j.total} runs (${this.compared.length} parameterizations × ${widths.length} widths × ${seeds.length} seeds)${j.state === 'cancelled' ? ' · cancelled' : ''}`);
    this.runButton.disabled = true;
    let done = 0;
    outer: for (const [k, { config }] of this.compared.entries()) {
      for (const width of widths) {
        for (const seed of seeds) {
          if (!job.running) break outer;
          const answer = await this.#ask({ type: 'coord', config: widen(config, width), width, seed, steps });
          if (!answer || !job.running) break outer;
          if (answer.error) {
            this.error.textContent = `${this.compared[k].title}, width ${width}: ${answer.error.message}`;
            job.finish('failed');
            break outer;
          }
          this.rows[k].push(...answer.rows);
          job.progress(++done);
          this.#draw();
        }
      }
    }
    job.finish();
    if (this.runButton) this.runButton.disabled = false;
    this.#draw();
  }

  #render() {
    this.#destroyPlots();
    const { widths, steps, seeds } = COORD_CHECK_PAGE;
    const { fig, body } = figure(this.root, {
      title: 'Coordinate check',
      description: `The current network with every hidden layer ${widths.length} widths wide (${widths.join(', ')} units), trained ${steps} steps from seeds ${seeds.join(', ')}, under the standard parameterization and under muP: per layer, the typical size of a coordinate against width (log axes), one line per step, averaged over the seeds. Under the standard parameterization the last layers grow with width once training starts; under muP they stay flat (Yang et al., Tensor Programs V; mup's coord_check).`,
    });
    fig.dataset.testid = 'coord-check-figure';
    const bar = document.createElement('div');
    bar.className = 'sweep-bar';
    this.line = new ProgressLine('coord');
    this.runButton = button('coord-run', 'Run again', 'btn', () => this.run());
    const closeButton = button('coord-close', 'Close', 'btn', () => this.close());
    const label = document.createElement('label');
    label.className = 'coord-quantity';
    label.textContent = 'Show ';
    const select = document.createElement('select');
    select.dataset.testid = 'coord-quantity';
    for (const q of QUANTITIES) select.append(new Option(q.label, q.name, false, q.name === this.quantity));
    select.addEventListener('change', () => { this.quantity = select.value; this.#draw(); });
    label.append(select);
    bar.append(this.runButton, ...this.line.parts, label, closeButton);
    this.error = document.createElement('p');
    this.error.setAttribute('role', 'alert');
    this.error.dataset.testid = 'coord-error';
    this.summary = document.createElement('p');
    this.summary.className = 'chart-text';
    this.summary.dataset.testid = 'coord-summary';
    this.grid = document.createElement('div');
    this.grid.className = 'coord-grid';
    body.append(bar, this.error, this.summary, this.grid);
  }

  #destroyPlots() {
    for (const p of this.plots) p.plot.destroy();
    this.plots = [];
  }

  // One row per layer, one chart per parameterization; rebuilt when the layers or the
  // quantity change, else only fed new data.
  #draw() {
    if (!this.grid || !this.compared) return;
    const quantity = QUANTITIES.find((q) => q.name === this.quantity);
    const layers = Math.max(0, ...this.rows.map((rows) => 1 + Math.max(-1, ...rows.map((r) => r.layer))));
    const shape = `${layers}:${quantity.name}:${this.compared.map((c) => c.name).join(',')}`;
    if (shape !== this.shape) this.#build(layers, quantity);
    this.shape = shape;
    const last = this.steps;
    const sentences = [];
    for (const p of this.plots) {
      const rows = this.rows[p.column];
      const sizes = Array.from({ length: last + 1 }, (_, step) => coordinateSizes(rows, { layer: p.layer, step, quantity: quantity.name }));
      const widths = sizes[0].map((s) => s.width);
      p.plot.setData([widths, ...sizes.map((list) => widths.map((w) => positive(list.find((s) => s.width === w)?.mean)))]);
      const exponent = growthExponent(rows, { layer: p.layer, step: last, quantity: quantity.name });
      const at = sizes[last];
      const range = at.length ? ` (${fmt(at[0].mean)} at width ${at[0].width}, ${fmt(at[at.length - 1].mean)} at width ${at[at.length - 1].width})` : '';
      const text = `${this.compared[p.column].title}: at step ${last}, ${quantity.label} of ${layerName(p.layer, layers)} ${exponentWords(exponent)}${range}.`;
      p.text.textContent = text;
      p.text.dataset.exponent = String(exponent);
      if (p.layer === layers - 1) sentences.push(`${this.compared[p.column].title} ${exponentWords(exponent)}`);
    }
    const finished = this.job && !this.job.running;
    this.summary.textContent = layers === 0 ? '' : `${finished ? 'The' : 'So far, the'} output layer's ${quantity.label} after ${last} steps: ${sentences.join('; ')}.`;
  }

  #build(layers, quantity) {
    this.#destroyPlots();
    this.grid.replaceChildren();
    const steps = this.steps;
    for (let layer = 0; layer < layers; ++layer) {
      const row = document.createElement('div');
      row.className = 'coord-row';
      const heading = document.createElement('h4');
      heading.textContent = `${layerName(layer, layers)[0].toUpperCase()}${layerName(layer, layers).slice(1)}`;
      const charts = document.createElement('div');
      charts.className = 'coord-charts';
      row.append(heading, charts);
      this.compared.forEach(({ title }, column) => {
        const cell = document.createElement('figure');
        cell.className = 'chart coord-chart';
        cell.dataset.testid = `coord-chart-${layer}-${this.compared[column].name}`;
        const caption = document.createElement('figcaption');
        caption.textContent = `${title}: ${quantity.words} against width`;
        const box = document.createElement('div');
        const text = document.createElement('p');
        text.className = 'chart-text';
        text.dataset.testid = `coord-text-${layer}-${this.compared[column].name}`;
        cell.append(caption, box, text);
        charts.append(cell);
        const series = [{ label: 'width' }];
        for (let s = 0; s <= steps; ++s) series.push({ label: `step ${s}`, stroke: layerColor(s, steps + 1), width: 1.5, spanGaps: true, points: { show: true, size: 5 } });
        const plot = makePlot(box, {
          // The widths run, a little room either side, each ticked (uPlot's log axis would label decades only).
          scales: { x: { time: false, distr: 3, range: (u, min, max) => [min / 1.25, max * 1.25] }, y: { distr: 3 } },
          axes: [axis('width (units, log)', { splits: (u) => u.data[0], filter: (u, splits) => splits, values: (u, splits) => splits.map(String) }), axis(`${quantity.label} (log)`, { values: logTickValues, size: 54 })],
          series,
          plugins: [tooltipPlugin({ xLabel: (v) => `width ${v}` })],
        }, [[], ...series.slice(1).map(() => [])], { height: 180 });
        this.plots.push({ plot, layer, column, text });
      });
      this.grid.append(row);
    }
  }
}

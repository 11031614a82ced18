// View 5: the std of each layer's activations over training steps (log scale), one line per
// layer, recorded from the snapshots the worker posts. The same chart draws another of the
// snapshot's per-layer numbers over training when given one (the weights-moved card's
// weightChange).
import { makePlot, axis, fmt, layerColor, positive, tooltipPlugin, logTickValues } from './base.js';
import { layerName, emptyLogNote } from '../chartText.js';
import { chartNote, setNote } from './chartNote.js';

const MAX_POINTS = 1200;

export class StdTraceChart {
  /**
   * @param {HTMLElement} container
   * @param {{ card?: string, value?: (layer: object) => number | null, axisLabel?: string }} [options]
   *   the card's name (its note's), the snapshot's per-layer number it draws and the y axis's label
   */
  constructor(container, { card = 'trace', value = (l) => l.a.std, axisLabel = 'activation std (log)' } = {}) {
    this.card = card;
    this.value = value;
    this.axisLabel = axisLabel;
    this.box = document.createElement('div');
    this.note = chartNote(card);
    container.append(this.box, this.note);
    this.plot = null;
    this.layerCount = -1;
  }

  /** New run: one line per layer, starting at the initial snapshot. */
  setInitial(initial) {
    if (this.destroyed) return;
    const n = initial.layers.length;
    if (n !== this.layerCount) this.#build(n);
    this.steps = [];
    this.rows = Array.from({ length: n }, () => []);
    this.update(initial);
  }

  /** A snapshot of the run; ignored before the run's first (setInitial) and after destroy. */
  update(snapshot) {
    if (!this.steps || this.destroyed) return;
    const last = this.steps[this.steps.length - 1];
    if (last === snapshot.step) {
      snapshot.layers.forEach((l, i) => { this.rows[i][this.rows[i].length - 1] = positive(this.value(l)); });
    } else {
      this.steps.push(snapshot.step);
      snapshot.layers.forEach((l, i) => this.rows[i].push(positive(this.value(l))));
    }
    if (this.steps.length > MAX_POINTS) {
      const keep = (_, i) => i % 2 === 0 || i === this.steps.length - 1;
      this.steps = this.steps.filter(keep);
      this.rows = this.rows.map((r) => r.filter(keep));
    }
    this.plot.setData([this.steps, ...this.rows]);
    setNote(this.note, emptyLogNote(this.card, snapshot));
  }

  /** Releases the chart (its uPlot, observer and window listeners); later updates are ignored. */
  destroy() {
    this.destroyed = true;
    this.plot?.destroy();
  }

  #build(n) {
    if (this.plot) this.plot.destroy();
    this.layerCount = n;
    const series = [{ label: 'step' }];
    for (let i = 0; i < n; i++) {
      series.push({
        label: layerName(i, n),
        stroke: layerColor(i, n),
        width: 1.5,
        spanGaps: true,
      });
    }
    this.plot = makePlot(this.box, {
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [axis('step'), axis(this.axisLabel, { values: logTickValues, size: 54 })],
      series,
      legend: { show: n <= 12 },
      plugins: [tooltipPlugin({
        xLabel: (v) => `step ${v}`,
        lines: (u, idx) => u.series.slice(1).map((s, i) => `${s.label}: ${fmt(u.data[i + 1][idx])}`).slice(0, 16),
      })],
    }, [[], ...Array.from({ length: n }, () => [])], { height: 220 });
  }
}

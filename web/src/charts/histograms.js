// Views 2 and 3: one histogram per layer as small multiples, live, with the histogram at
// initialization kept as a faint outline. The engine fixes each layer's bin range at
// initialization, so the outline and the live histogram share their bins.
import { uPlot, makePlot, axis, colors, fmt, pct, tooltipPlugin } from './base.js';

const AXIS_FONT = '10px system-ui, sans-serif';
let measurer = null;

// An axis as wide as its widest tick label (counts reach five digits on a wide layer with
// a large probe batch) plus the tick and its gap: no label is cut at the chart's edge.
function fitLabels(u, values) {
  measurer ??= document.createElement('canvas').getContext('2d');
  measurer.font = AXIS_FONT;
  const widest = Math.max(0, ...(values ?? []).map((v) => measurer.measureText(v).width));
  return Math.max(34, Math.ceil(widest) + 4 + 5 + 3);
}

// Each grid's own radio group: runs compared side by side each have one.
let groups = 0;

const QUANTITY_LABEL = {
  z: 'pre-activation z',
  a: 'activation a',
  dz: 'gradient ∂L/∂z',
};

export class HistogramGrid {
  /**
   * @param {HTMLElement} container
   * @param {{ quantities: string[], testid: string }} options  quantities: switchable ones,
   *   e.g. ['z', 'a']; the first is shown first.
   */
  constructor(container, { quantities, testid }) {
    this.quantities = quantities;
    this.quantity = quantities[0];
    this.cells = [];
    this.visible = new Set();
    this.dirty = new Set();
    this.group = `${testid}-quantity-${++groups}`;
    if (quantities.length > 1) container.append(this.#switcher(testid));
    this.grid = document.createElement('div');
    this.grid.className = 'multiples';
    this.grid.dataset.testid = testid;
    container.append(this.grid);
    this.observer = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const i = Number(e.target.dataset.layer);
        if (e.isIntersecting) {
          this.visible.add(i);
          if (this.dirty.has(i)) this.#draw(i);
        } else {
          this.visible.delete(i);
        }
      }
    }, { rootMargin: '200px' });
  }

  #switcher(testid) {
    const group = document.createElement('div');
    group.className = 'segmented';
    group.setAttribute('role', 'radiogroup');
    group.setAttribute('aria-label', 'Quantity shown');
    for (const q of this.quantities) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = this.group;
      input.value = q;
      input.checked = q === this.quantity;
      input.dataset.testid = `${testid}-${q}`;
      input.addEventListener('change', () => {
        if (!input.checked) return;
        this.quantity = q;
        this.cells.forEach((_, i) => this.dirty.add(i));
        this.cells.forEach((_, i) => this.#draw(i));
      });
      label.append(input, ` ${QUANTITY_LABEL[q]}`);
      group.append(label);
    }
    return group;
  }

  /** New run: `initial` is the snapshot at initialization (the outlines). */
  setInitial(initial) {
    if (this.destroyed) return;
    this.initial = initial;
    this.current = initial;
    const n = initial.layers.length;
    if (n !== this.cells.length) this.#build(n);
    this.cells.forEach((_, i) => this.#draw(i));
  }

  /** `settled`: training is not running, so draw every layer, seen or not. */
  update(snapshot, settled = false) {
    this.current = snapshot;
    this.cells.forEach((_, i) => this.dirty.add(i));
    if (settled) this.cells.forEach((_, i) => this.#draw(i));
    else this.#drawVisible();
  }

  #build(n) {
    for (const cell of this.cells) { cell.plot.destroy(); }
    this.cells = [];
    this.grid.replaceChildren();
    this.visible.clear();
    for (let i = 0; i < n; i++) {
      const box = document.createElement('div');
      box.className = 'multiple';
      box.dataset.layer = String(i);
      const title = document.createElement('div');
      title.className = 'multiple-title';
      const note = document.createElement('div');
      note.className = 'multiple-note';
      const plotBox = document.createElement('div');
      box.append(title, plotBox, note);
      this.grid.append(box);
      const plot = makePlot(plotBox, {
        scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.05] } },
        axes: [
          axis('', { size: 26, font: AXIS_FONT, space: 40, values: (u, s) => s.map((v) => fmt(v, 2)) }),
          axis('', { size: fitLabels, font: AXIS_FONT, space: 24, values: (u, s) => s.map((v) => fmt(v, 2)) }),
        ],
        series: [
          { label: 'value' },
          { label: 'now', stroke: colors.z, fill: 'rgba(0, 114, 178, 0.25)', width: 1, paths: uPlot.paths.stepped({ align: 1 }) },
          { label: 'at init', stroke: colors.init, width: 1, dash: [3, 2], paths: uPlot.paths.stepped({ align: 1 }) },
        ],
        cursor: { y: false, points: { show: false } },
        legend: { show: false },
        plugins: [tooltipPlugin({
          xLabel: (v, idx) => this.#binLabel(i, idx),
          lines: (u, idx) => [`now: ${u.data[1][idx] ?? '–'}`, `at init: ${u.data[2][idx] ?? '–'}`],
        })],
      }, [[], [], []], { height: 112 });
      this.cells.push({ box, title, note, plot });
      this.observer.observe(box);
    }
  }

  #binLabel(layer, idx) {
    const h = this.current?.layers[layer]?.[this.quantity]?.histogram;
    if (!h) return '';
    const width = (h.hi - h.lo) / h.counts.length;
    return `${QUANTITY_LABEL[this.quantity]} in [${fmt(h.lo + idx * width)}, ${fmt(h.lo + (idx + 1) * width)})`;
  }

  #drawVisible() {
    for (const i of this.visible) this.#draw(i);
  }

  #draw(i) {
    const cell = this.cells[i];
    const layer = this.current?.layers[i];
    const init = this.initial?.layers[i];
    if (!cell || !layer || !init) return;
    this.dirty.delete(i);
    const q = this.quantity;
    const s = layer[q];
    const h = s.histogram;
    const bins = h.counts.length;
    const width = (h.hi - h.lo) / bins;
    // Bin edges, the last count repeated so the step closes the last bin.
    const x = Array.from({ length: bins + 1 }, (_, k) => h.lo + k * width);
    const now = Array.from(h.counts, Number);
    now.push(now[bins - 1] ?? 0);
    const then = Array.from(init[q].histogram.counts, Number);
    then.push(then[bins - 1] ?? 0);
    const color = colors[q] ?? colors.z;
    cell.plot.series[1].stroke = () => color;
    cell.plot.series[1].fill = () => `${color}40`;
    cell.plot.setData([x, now, then]);
    const last = i === this.cells.length - 1;
    cell.title.textContent = `${last ? 'output' : `layer ${i + 1}`} · ${layer.kind ?? layer.activation} · std ${fmt(s.std)}`;
    cell.box.dataset.std = String(s.std);
    const outside = s.count > 0 ? (h.underflow + h.overflow) / s.count : 0;
    const parts = [];
    if (s.nonfinite > 0) parts.push(`${s.nonfinite} NaN/Inf`);
    if (outside > 0) parts.push(`${pct(outside)} outside [${fmt(h.lo)}, ${fmt(h.hi)}]`);
    cell.note.textContent = parts.join(' · ');
  }

  /** Releases the charts and the observer; later updates are ignored. */
  destroy() {
    this.destroyed = true;
    this.observer.disconnect();
    for (const cell of this.cells) cell.plot.destroy();
  }
}

// A sweep's grid as a heatmap: one cell per (x, y) value pair, coloured by the shown
// quantity (final loss or how far the weights moved on a log scale, an accuracy, or
// success), with the mean-field
// order/chaos boundary (the engine's, wasm/sweep.mjs sweepMeanField) drawn over it where
// it applies. Axes are in grid steps, labelled with the swept values; no grid lines, so
// every cell is whole; a colour bar under the chart gives the colours' scale. With
// `onOpen`, a click on a cell, or Enter on the cell chosen with the arrow keys, hands
// that cell over (the sweep view opens its run in the lab).
import { makePlot, axis, fmt, pct, tooltipPlugin } from './base.js';
import { termNodes } from '../terms.js';

// Viridis, 9 stops: dark (low) to yellow (high).
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
const SUCCESS = { true: '#1a9850', false: '#d73027' };
const DIVERGED = '#9aa3ad';
const NAMES = { loss: 'final training loss', trainAccuracy: 'final train accuracy', testAccuracy: 'final test accuracy', weightChange: 'weights moved ‖W − W₀‖/‖W₀‖' };
// The metrics coloured on a log scale between the grid's smallest and largest value.
const LOG_SCALED = new Set(['loss', 'weightChange']);

function ramp(t) {
  const x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const mix = (a, b) => Math.round(a + (b - a) * (x - i));
  const c = (h, k) => parseInt(h.slice(1 + 2 * k, 3 + 2 * k), 16);
  return `rgb(${[0, 1, 2].map((k) => mix(c(VIRIDIS[i], k), c(VIRIDIS[i + 1], k))).join(', ')})`;
}

/**
 * Where `value` sits among the grid's values, in grid steps (log or linear between
 * neighbours; up to half a step beyond either end), or null outside.
 */
function position(values, value, log) {
  if (value === null || value === undefined || !Number.isFinite(value) || (log && value <= 0)) return null;
  const f = (v) => (log ? Math.log(v) : v);
  const n = values.length;
  if (n === 1) return f(value) === f(values[0]) ? 0 : null;
  for (let i = 0; i < n - 1; i++) {
    const [a, b] = [f(values[i]), f(values[i + 1])];
    const t = (f(value) - a) / (b - a || 1);
    if ((t >= 0 && t <= 1) || (i === 0 && t >= -0.5 && t < 0) || (i === n - 2 && t > 1 && t <= 1.5)) return i + t;
  }
  return null;
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function swatch(color, text) {
  const item = element('span', 'heatmap-swatch');
  const box = element('span', 'heatmap-swatch-box');
  box.style.background = color;
  item.append(box, text);
  return item;
}

export class Heatmap {
  /** @param {{ onOpen?(cell): void, openLabel?: string }} [options] */
  constructor(container, { onOpen, openLabel = 'open the cell\'s run' } = {}) {
    this.onOpen = onOpen;
    this.openLabel = openLabel;
    this.box = document.createElement('div');
    this.box.className = 'heatmap';
    this.colorBar = element('div', 'heatmap-scale');
    this.colorBar.dataset.testid = 'heatmap-colorbar';
    this.legend = document.createElement('p');
    this.legend.className = 'chart-facts';
    container.append(this.box, this.colorBar, this.legend);
    this.state = null;
    this.focus = null;  // the cell the arrow keys chose: { xi, yi }
    this.plot = makePlot(this.box, {
      scales: { x: { time: false, range: () => [-0.5, (this.state?.nx ?? 1) - 0.5] }, y: { range: () => [-0.5, (this.state?.ny ?? 1) - 0.5] } },
      // No grid: its lines would fall on the cells' centres (the ticks) and cut them in two.
      axes: [
        axis('x', { grid: { show: false }, values: (u, splits) => splits.map((v) => this.#tick('x', v)), incrs: [1, 2, 5, 10, 20, 50] }),
        axis('y', { grid: { show: false }, size: 56, values: (u, splits) => splits.map((v) => this.#tick('y', v)), incrs: [1, 2, 5, 10, 20, 50] }),
      ],
      series: [{}, { stroke: 'transparent', points: { show: false } }],
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      hooks: { drawClear: [(u) => this.#drawCells(u)], draw: [(u) => this.#drawBoundary(u)] },
      plugins: [tooltipPlugin({ free: true, xLabel: (u) => this.#cellLabel(u), lines: (u) => this.#cellLines(u) })],
    }, [[0, 1], [null, null]], { aspect: 0.75, minHeight: 220 });
    if (onOpen) this.#listen();
  }

  // Click a cell, or choose one with the arrow keys and press Enter: onOpen(cell).
  #listen() {
    const over = this.plot.over;
    over.tabIndex = 0;
    over.setAttribute('role', 'application');
    over.setAttribute('aria-roledescription', 'heatmap');
    over.setAttribute('aria-label', `Sweep cells: arrow keys choose a cell, Enter to ${this.openLabel}`);
    over.dataset.testid = 'heatmap-cells';
    this.status = element('p', 'visually-hidden');
    this.status.setAttribute('aria-live', 'polite');
    this.box.append(this.status);
    over.style.cursor = 'pointer';
    over.addEventListener('click', () => {
      const cell = this.#at(this.plot);
      if (cell) this.onOpen(cell);
    });
    over.addEventListener('keydown', (event) => {
      const s = this.state;
      if (!s) return;
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1], Home: [-Infinity, 0], End: [Infinity, 0] };
      if (event.key === 'Enter' || event.key === ' ') {
        const cell = this.#cellAt(this.focus?.xi ?? 0, this.focus?.yi ?? 0);
        if (cell) this.onOpen(cell);
        event.preventDefault();
        return;
      }
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      const clamp = (v, n) => Math.max(0, Math.min(n - 1, v));
      const at = this.focus ?? { xi: 0, yi: 0 };
      this.focus = this.focus ? { xi: clamp(at.xi + move[0], s.nx), yi: clamp(at.yi + move[1], s.ny) } : at;
      this.#announce();
      this.plot.redraw(false, false);
    });
    over.addEventListener('focus', () => { if (!this.focus) { this.focus = { xi: 0, yi: 0 }; this.#announce(); this.plot.redraw(false, false); } });
    over.addEventListener('blur', () => this.plot.redraw(false, false));
  }

  #cellAt(xi, yi) {
    return this.state?.cells.find((c) => c && c.xi === xi && (c.yi ?? 0) === yi) ?? null;
  }

  // What the chosen cell holds, for a screen reader.
  #announce() {
    const s = this.state;
    const { xi, yi } = this.focus;
    const cell = this.#cellAt(xi, yi);
    const where = `${s.spec.x.label} ${fmt(s.spec.x.values[xi])}${s.spec.y ? `, ${s.spec.y.label} ${fmt(s.spec.y.values[yi])}` : ''}`;
    this.status.textContent = cell ? `${where}: ${this.#describe(cell).join(', ')}` : `${where}: not trained yet`;
  }

  #tick(which, v) {
    const s = this.state;
    if (!s || !Number.isInteger(v)) return '';
    const values = which === 'x' ? s.spec.x.values : s.spec.y?.values ?? [];
    return v >= 0 && v < values.length ? fmt(values[v], 3) : '';
  }

  /** `spec` (validated), `cells` (in any order, some missing), `show`, `meanField`. */
  update({ spec, cells, show, meanField }) {
    const nx = spec.x.values.length;
    const ny = spec.y ? spec.y.values.length : 1;
    this.state = { spec, cells, show, meanField, nx, ny };
    this.plot.axes[0].label = spec.x.label;
    this.plot.axes[1].label = spec.y ? spec.y.label : '';
    this.boundaryPoints = this.#boundary();
    const logged = LOG_SCALED.has(show) ? show : 'loss';
    const values = cells.filter(Boolean).map((c) => c[logged]).filter((v) => v > 0 && Number.isFinite(v));
    this.range = values.length ? [Math.min(...values), Math.max(...values)] : [1, 1];
    this.#drawColorBar(show, spec);
    this.legend.replaceChildren(...termNodes({
      loss: `Colour: final training loss, log scale from ${fmt(this.range[0])} (dark) to ${fmt(this.range[1])} (yellow); grey: diverged.`,
      trainAccuracy: 'Colour: final training accuracy, 0% (dark) to 100% (yellow); grey: diverged.',
      testAccuracy: 'Colour: final test accuracy, 0% (dark) to 100% (yellow); grey: diverged.',
      weightChange: `Colour: how far training moved the weights from their start, [[weight-change|‖W − W₀‖/‖W₀‖]] over all layers, log scale from ${fmt(this.range[0])} (dark: [[lazy-training|lazy]]) to ${fmt(this.range[1])} (yellow: [[rich-training|rich]]); grey: diverged, or weights that started at 0.`,
      success: `Colour: green where the cell succeeded (${spec.successText}), red where it did not.`,
    }[show] + (this.boundaryPoints ? ' White dashes: the mean-field [[order-chaos-boundary|order/chaos boundary]] ([[chi1|χ₁]] = 1); [[ordered|ordered]] on the small side, [[chaotic|chaotic]] on the large.'
      : meanField?.applies ? ' The mean-field [[order-chaos-boundary|order/chaos boundary]] lies outside this grid.' : '') +
      (this.onOpen ? ` Click a cell (or choose it with the arrow keys and press Enter) to ${this.openLabel}.` : '')));
    this.plot.setData([[-0.5, nx - 0.5], [null, null]]);
    this.plot.redraw(false, false);
  }

  // The colours' scale: a gradient with the metric's values at its ends and middle (the
  // loss on its log scale), or the success colours; grey marks a diverged cell.
  #drawColorBar(show, spec) {
    const bar = this.colorBar;
    bar.dataset.show = show;
    if (show === 'success') {
      bar.replaceChildren(swatch(SUCCESS.true, `succeeded (${spec.successText})`), swatch(SUCCESS.false, 'did not'));
      return;
    }
    const [lo, hi] = this.range;
    const ticks = LOG_SCALED.has(show)
      ? [lo, Math.sqrt(lo * hi), hi].map((v) => fmt(v))
      : ['0%', '50%', '100%'];
    const title = element('span', 'heatmap-scale-title', LOG_SCALED.has(show) ? `${NAMES[show]} (log scale)` : NAMES[show]);
    const gradient = element('div', 'heatmap-scale-bar');
    gradient.style.background = `linear-gradient(to right, ${VIRIDIS.join(', ')})`;
    gradient.setAttribute('role', 'img');
    gradient.setAttribute('aria-label', `colour scale: ${ticks[0]} dark to ${ticks[2]} yellow`);
    const labels = element('div', 'heatmap-scale-ticks');
    labels.append(...ticks.map((t) => element('span', '', t)));
    const scale = element('div', 'heatmap-scale-range');
    scale.append(gradient, labels);
    bar.replaceChildren(title, scale, swatch(DIVERGED, 'diverged'));
  }

  /** Releases the chart (its uPlot, observer and window listeners); later updates are ignored. */
  destroy() {
    this.plot.destroy();
  }

  #color(cell) {
    const { show } = this.state;
    if (!cell) return null;
    if (cell.diverged && show !== 'success') return DIVERGED;
    if (show === 'success') return SUCCESS[Boolean(cell.success)];
    if (LOG_SCALED.has(show)) {
      if (!(cell[show] > 0)) return DIVERGED;
      const [lo, hi] = this.range.map(Math.log);
      return ramp(hi > lo ? (Math.log(cell[show]) - lo) / (hi - lo) : 0.5);
    }
    const v = cell[show];
    return Number.isFinite(v) ? ramp(v) : DIVERGED;
  }

  #drawCells(u) {
    if (!this.state) return;
    const { cells, nx } = this.state;
    const ctx = u.ctx;
    ctx.save();
    for (const cell of cells) {
      if (!cell) continue;
      const x0 = u.valToPos(cell.xi - 0.5, 'x', true);
      const x1 = u.valToPos(cell.xi + 0.5, 'x', true);
      const y0 = u.valToPos((cell.yi ?? 0) - 0.5, 'y', true);
      const y1 = u.valToPos((cell.yi ?? 0) + 0.5, 'y', true);
      ctx.fillStyle = this.#color(cell);
      ctx.fillRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0) + 0.5, Math.abs(y1 - y0) + 0.5);
    }
    // The cell the arrow keys chose, while the chart has the focus.
    if (this.focus && document.activeElement === u.over) {
      const { xi, yi } = this.focus;
      const x0 = u.valToPos(xi - 0.5, 'x', true);
      const x1 = u.valToPos(xi + 0.5, 'x', true);
      const y0 = u.valToPos(yi - 0.5, 'y', true);
      const y1 = u.valToPos(yi + 0.5, 'y', true);
      const w = 3 * devicePixelRatio;
      ctx.lineWidth = w;
      ctx.strokeStyle = '#f0a202';
      ctx.strokeRect(Math.min(x0, x1) + w / 2, Math.min(y0, y1) + w / 2, Math.abs(x1 - x0) - w, Math.abs(y1 - y0) - w);
    }
    ctx.restore();
    this.drawn = cells.filter(Boolean).length;
    this.box.dataset.cells = String(this.drawn);
    this.box.dataset.nx = String(nx);
  }

  // The boundary value per row (or one value for the whole grid) → points in grid steps.
  #boundary() {
    const s = this.state;
    const mf = s?.meanField;
    if (!mf?.applies) return null;
    const axisSpec = s.spec[mf.axis];
    const other = mf.axis === 'x' ? s.spec.y : s.spec.x;
    const log = axisSpec.scale === 'log';
    const pts = [];
    if (mf.boundary.length === 1 || !other) {
      const p = position(axisSpec.values, mf.boundary[0].value, log);
      if (p === null) return null;
      const span = mf.axis === 'x' ? [-0.5, s.ny - 0.5] : [-0.5, s.nx - 0.5];
      for (const o of span) pts.push(mf.axis === 'x' ? [p, o] : [o, p]);
    } else {
      mf.boundary.forEach((b, k) => {
        const p = position(axisSpec.values, b.value, log);
        // A step line: the row's (or column's) boundary across the whole row.
        if (p !== null) for (const o of [k - 0.5, k + 0.5]) pts.push(mf.axis === 'x' ? [p, o] : [o, p]);
      });
    }
    return pts.length >= 2 ? pts : null;
  }

  #drawBoundary(u) {
    this.box.dataset.boundary = 'none';
    const pts = this.boundaryPoints;
    if (!pts) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.lineWidth = 3 * devicePixelRatio;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.95)';
    ctx.setLineDash([8 * devicePixelRatio, 5 * devicePixelRatio]);
    ctx.beginPath();
    pts.forEach(([x, y], i) => {
      const px = u.valToPos(x, 'x', true);
      const py = u.valToPos(y, 'y', true);
      if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    });
    ctx.stroke();
    ctx.restore();
    this.box.dataset.boundary = 'drawn';
  }

  #at(u) {
    if (!this.state || !(u.cursor.left >= 0)) return null;
    return this.#cellAt(Math.round(u.posToVal(u.cursor.left, 'x')), Math.round(u.posToVal(u.cursor.top, 'y')));
  }

  #cellLabel(u) {
    const c = this.#at(u);
    if (!c) return '';
    const s = this.state;
    return `${s.spec.x.label} ${fmt(c.x)}${s.spec.y ? `, ${s.spec.y.label} ${fmt(c.y)}` : ''}`;
  }

  #cellLines(u) {
    const c = this.#at(u);
    return c ? [...this.#describe(c), ...(this.onOpen ? [`click: ${this.openLabel}`] : [])] : null;
  }

  #describe(c) {
    return [
      `loss ${fmt(c.loss)}`, `train accuracy ${pct(c.trainAccuracy)}`,
      ...(Number.isFinite(c.testAccuracy) ? [`test accuracy ${pct(c.testAccuracy)}`] : []),
      ...(Number.isFinite(c.weightChange) ? [`weights moved ${fmt(c.weightChange)}`] : []),
      c.diverged ? `diverged at step ${c.diverged.step}` : c.success ? `succeeded${c.stepsToSuccess !== null ? ` at step ${c.stepsToSuccess}` : ''}` : 'did not succeed',

    ];
  }
}

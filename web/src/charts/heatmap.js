// A sweep's grid as a heatmap: one cell per (x, y) value pair, coloured by the shown
// quantity (final loss on a log scale, an accuracy, or success), with the mean-field
// order/chaos boundary (the engine's, wasm/sweep.mjs sweepMeanField) drawn over it where
// it applies. Axes are in grid steps, labelled with the swept values.
import { makePlot, axis, fmt, pct, tooltipPlugin } from './base.js';

// Viridis, 9 stops: dark (low) to yellow (high).
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
const SUCCESS = { true: '#1a9850', false: '#d73027' };

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

export class Heatmap {
  constructor(container) {
    this.box = document.createElement('div');
    this.box.className = 'heatmap';
    this.legend = document.createElement('p');
    this.legend.className = 'chart-facts';
    container.append(this.box, this.legend);
    this.state = null;
    this.plot = makePlot(this.box, {
      scales: { x: { time: false, range: () => [-0.5, (this.state?.nx ?? 1) - 0.5] }, y: { range: () => [-0.5, (this.state?.ny ?? 1) - 0.5] } },
      axes: [
        axis('x', { values: (u, splits) => splits.map((v) => this.#tick('x', v)), incrs: [1, 2, 5, 10, 20, 50] }),
        axis('y', { size: 56, values: (u, splits) => splits.map((v) => this.#tick('y', v)), incrs: [1, 2, 5, 10, 20, 50] }),
      ],
      series: [{}, { stroke: 'transparent', points: { show: false } }],
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      hooks: { drawClear: [(u) => this.#drawCells(u)], draw: [(u) => this.#drawBoundary(u)] },
      plugins: [tooltipPlugin({ free: true, xLabel: (u) => this.#cellLabel(u), lines: (u) => this.#cellLines(u) })],
    }, [[0, 1], [null, null]], { aspect: 0.75, minHeight: 220 });
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
    const losses = cells.filter(Boolean).map((c) => c.loss).filter((v) => v > 0 && Number.isFinite(v));
    this.range = losses.length ? [Math.min(...losses), Math.max(...losses)] : [1, 1];
    this.legend.textContent = {
      loss: `Colour: final training loss, log scale from ${fmt(this.range[0])} (dark) to ${fmt(this.range[1])} (yellow); grey: diverged.`,
      trainAccuracy: 'Colour: final training accuracy, 0% (dark) to 100% (yellow); grey: diverged.',
      testAccuracy: 'Colour: final test accuracy, 0% (dark) to 100% (yellow); grey: diverged.',
      success: `Colour: green where the cell succeeded (${spec.successText}), red where it did not.`,
    }[show] + (this.boundaryPoints ? ' White dashes: the mean-field order/chaos boundary (χ₁ = 1); ordered on the small side, chaotic on the large.'
      : meanField?.applies ? ' The mean-field order/chaos boundary lies outside this grid.' : '');
    this.plot.setData([[-0.5, nx - 0.5], [null, null]]);
    this.plot.redraw(false, false);
  }

  /** Releases the chart (its uPlot, observer and window listeners); later updates are ignored. */
  destroy() {
    this.plot.destroy();
  }

  #color(cell) {
    const { show } = this.state;
    if (!cell) return null;
    if (cell.diverged && show !== 'success') return '#9aa3ad';
    if (show === 'success') return SUCCESS[Boolean(cell.success)];
    if (show === 'loss') {
      if (!(cell.loss > 0)) return '#9aa3ad';
      const [lo, hi] = this.range.map(Math.log);
      return ramp(hi > lo ? (Math.log(cell.loss) - lo) / (hi - lo) : 0.5);
    }
    const v = cell[show];
    return Number.isFinite(v) ? ramp(v) : '#9aa3ad';
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
    const s = this.state;
    if (!s) return null;
    const xi = Math.round(u.posToVal(u.cursor.left, 'x'));
    const yi = Math.round(u.posToVal(u.cursor.top, 'y'));
    return s.cells.find((c) => c && c.xi === xi && (c.yi ?? 0) === yi) ?? null;
  }

  #cellLabel(u) {
    const c = this.#at(u);
    if (!c) return '';
    const s = this.state;
    return `${s.spec.x.label} ${fmt(c.x)}${s.spec.y ? `, ${s.spec.y.label} ${fmt(c.y)}` : ''}`;
  }

  #cellLines(u) {
    const c = this.#at(u);
    if (!c) return null;
    return [
      `loss ${fmt(c.loss)}`, `train accuracy ${pct(c.trainAccuracy)}`,
      ...(Number.isFinite(c.testAccuracy) ? [`test accuracy ${pct(c.testAccuracy)}`] : []),
      c.diverged ? `diverged at step ${c.diverged.step}` : c.success ? `succeeded${c.stepsToSuccess !== null ? ` at step ${c.stepsToSuccess}` : ''}` : 'did not succeed',
    ];
  }
}

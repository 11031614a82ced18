// View 7 (data sets that are not 2-D): the confusion matrix of the test set, and for the
// 8×8 digits a grid of test images with the model's prediction under each. Predictions
// and counts come from the engine's predict().
import { makePlot, axis, fmt } from './base.js';

const SAMPLES = 24;

export class ClassesChart {
  constructor(container) {
    this.samples = document.createElement('div');
    this.samples.className = 'samples';
    this.samples.dataset.testid = 'digit-samples';
    const matrixBox = document.createElement('div');
    matrixBox.className = 'confusion';
    matrixBox.dataset.testid = 'confusion-matrix';
    this.caption = document.createElement('p');
    this.caption.className = 'chart-facts';
    container.append(this.samples, matrixBox, this.caption);
    this.classes = 2;
    this.confusion = null;
    this.plot = makePlot(matrixBox, {
      scales: {
        x: { time: false, range: () => [-0.5, this.classes - 0.5] },
        y: { range: () => [this.classes - 0.5, -0.5], dir: 1 },
      },
      axes: [
        axis('predicted class', { values: (u, s) => s.map((v) => (Number.isInteger(v) ? String(v) : '')), space: 18 }),
        axis('true class', { size: 36, values: (u, s) => s.map((v) => (Number.isInteger(v) ? String(v) : '')), space: 14 }),
      ],
      series: [{ label: 'predicted' }, { label: 'true', stroke: 'transparent', points: { show: false } }],
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      hooks: { draw: [(u) => this.#drawMatrix(u)] },
      plugins: [this.#tooltip()],
    }, [[0, 1], [null, null]], { aspect: 0.9, minHeight: 200 });
  }

  /** New run: the data set (dataset() of the JS API). */
  setData(dataset) {
    this.dataset = dataset;
    this.classes = dataset.numClasses;
    this.isDigits = dataset.inputDim === 64 && dataset.numClasses === 10;
    this.samples.hidden = !this.isDigits;
    this.confusion = null;
    this.predicted = null;
    if (this.isDigits) this.#buildSamples();
    this.plot.setData([[0, this.classes - 1], [null, null]]);
  }

  /** `predictions`: { predicted: Int32Array, confusion: number[][] } or null. */
  update(predictions) {
    if (!predictions) return;
    this.confusion = predictions.confusion;
    this.predicted = predictions.predicted;
    this.plot.redraw(false, false);
    const total = this.confusion.flat().reduce((a, b) => a + b, 0);
    const correct = this.confusion.reduce((a, row, i) => a + row[i], 0);
    this.caption.textContent = `${correct} of ${total} test examples on the diagonal (predicted = true).`;
    if (this.isDigits) this.#labelSamples();
  }

  /** Releases the chart (its uPlot, observer and window listeners); later updates are ignored. */
  destroy() {
    this.plot.destroy();
  }

  #buildSamples() {
    const d = this.dataset;
    const n = Math.min(SAMPLES, d.yTest.length);
    this.cells = [];
    const cells = [];
    for (let k = 0; k < n; k++) {
      const cell = document.createElement('figure');
      cell.className = 'sample';
      const canvas = document.createElement('canvas');
      canvas.width = 8;
      canvas.height = 8;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `test image ${k + 1}, a ${d.yTest[k]}`);
      const ctx = canvas.getContext('2d');
      const img = ctx.createImageData(8, 8);
      // Pixels back in raw units 0..16 (the engine's normalization undone), dark ink.
      for (let p = 0; p < 64; p++) {
        const raw = d.xTest[k * 64 + p] * d.scale[p] + d.offset[p];
        const v = 255 - Math.round(Math.max(0, Math.min(16, raw)) / 16 * 255);
        img.data.set([v, v, v, 255], p * 4);
      }
      ctx.putImageData(img, 0, 0);
      const label = document.createElement('figcaption');
      label.textContent = `${d.yTest[k]} → ?`;
      cell.append(canvas, label);
      cells.push(cell);
      this.cells.push({ cell, label });
    }
    this.samples.replaceChildren(...cells);
  }

  #labelSamples() {
    const y = this.dataset.yTest;
    this.cells.forEach(({ cell, label }, k) => {
      const p = this.predicted[k];
      label.textContent = `${y[k]} → ${p}`;
      cell.classList.toggle('wrong', p !== y[k]);
      cell.title = `true ${y[k]}, predicted ${p}`;
    });
  }

  #drawMatrix(u) {
    if (!this.confusion) return;
    const ctx = u.ctx;
    const k = this.classes;
    let max = 1;
    for (const row of this.confusion) for (const v of row) max = Math.max(max, v);
    ctx.save();
    const x0 = u.valToPos(-0.5, 'x', true);
    const x1 = u.valToPos(k - 0.5, 'x', true);
    const y0 = u.valToPos(-0.5, 'y', true);
    const y1 = u.valToPos(k - 0.5, 'y', true);
    const w = (x1 - x0) / k;
    const h = (y1 - y0) / k;
    const dpr = devicePixelRatio || 1;
    ctx.font = `${Math.round(Math.max(9, Math.min(14, Math.abs(w) / dpr / 2.5)) * dpr)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let t = 0; t < k; t++) {
      for (let p = 0; p < k; p++) {
        const v = this.confusion[t][p];
        const s = v / max;
        ctx.fillStyle = t === p ? `rgba(0, 114, 178, ${0.08 + 0.92 * s})` : `rgba(213, 94, 0, ${v ? 0.12 + 0.88 * s : 0.03})`;
        ctx.fillRect(x0 + p * w + 1, y0 + t * h + 1, w - 2, h - 2);
        if (v) {
          ctx.fillStyle = s > 0.55 ? '#fff' : '#222';
          ctx.fillText(String(v), x0 + (p + 0.5) * w, y0 + (t + 0.5) * h);
        }
      }
    }
    ctx.restore();
  }

  #tooltip() {
    let tip;
    return {
      hooks: {
        init: (u) => {
          tip = document.createElement('div');
          tip.className = 'chart-tip';
          tip.hidden = true;
          u.over.append(tip);
          u.over.addEventListener('mouseleave', () => { tip.hidden = true; });
        },
        setCursor: (u) => {
          const { left, top } = u.cursor;
          if (!this.confusion || !(left >= 0)) { tip.hidden = true; return; }
          const p = Math.round(u.posToVal(left, 'x'));
          const t = Math.round(u.posToVal(top, 'y'));
          if (p < 0 || p >= this.classes || t < 0 || t >= this.classes) { tip.hidden = true; return; }
          tip.textContent = `true ${t}, predicted ${p}: ${fmt(this.confusion[t][p])} examples`;
          tip.hidden = false;
          tip.style.left = `${Math.min(left + 10, u.over.clientWidth - tip.offsetWidth)}px`;
          tip.style.top = `${top + 10}px`;
        },
      },
    };
  }
}

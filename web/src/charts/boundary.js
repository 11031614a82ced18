// View 7 (2-D data sets): the model's output over the plane as an image, the training
// points (filled) and test points (ringed) on top. uPlot draws the axes and runs the
// cursor; the grid values come from the engine's decisionGrid.
import { makePlot, axis, fmt, pct, tooltipPlugin } from './base.js';

// Class 0 orange, class 1 blue (TensorFlow Playground's convention).
export const CLASS_RGB = [[230, 120, 20], [20, 110, 200], [0, 158, 115], [204, 121, 167], [86, 180, 233],
  [213, 94, 0], [240, 228, 66], [100, 100, 100], [150, 75, 0], [0, 0, 0]];

// Pastel ends, so that the points (full colour) stay visible on their own side.
const tint = (rgb) => rgb.map((c) => Math.round(c * 0.45 + 250 * 0.55));

function mix(t) {
  // t = P(class 1): orange → white → blue.
  const [a, b] = t < 0.5 ? [tint(CLASS_RGB[0]), [250, 250, 250]] : [[250, 250, 250], tint(CLASS_RGB[1])];
  const s = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5;
  return a.map((c, i) => Math.round(c + (b[i] - c) * s));
}

export class BoundaryChart {
  constructor(container) {
    this.box = document.createElement('div');
    this.box.className = 'boundary';
    this.key = document.createElement('p');
    this.key.className = 'chart-facts';
    this.key.textContent = 'Colour: the model\'s P(class 1), orange 0 to blue 1. Dots: training points; rings: test points.';
    container.append(this.box, this.key);
    this.image = document.createElement('canvas');
    this.extent = 1;
    this.points = null;
    this.grid = null;
    this.plot = makePlot(this.box, {
      scales: {
        x: { time: false, range: () => [-this.extent, this.extent] },
        y: { range: () => [-this.extent, this.extent] },
      },
      axes: [axis('x₁'), axis('x₂', { size: 40 })],
      series: [{ label: 'x₁' }, { label: 'x₂', show: true, stroke: 'transparent', points: { show: false } }],
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      hooks: {
        drawClear: [(u) => this.#drawImage(u)],
        draw: [(u) => this.#drawPoints(u)],
      },
      plugins: [tooltipPlugin({
        free: true,
        xLabel: (u) => `x₁ ${fmt(u.posToVal(u.cursor.left, 'x'))}, x₂ ${fmt(u.posToVal(u.cursor.top, 'y'))}`,
        lines: (u) => this.#valueAt(u),
      })],
    }, [[-1, 1], [null, null]], { aspect: 1, minHeight: 220 });
  }

  /** New run: the data set (dataset() of the JS API) and the output shape. */
  setData(dataset, multiClass) {
    this.extent = dataset.extent;
    this.multiClass = multiClass;
    const raw = (x) => {
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i += 2) {
        out[i] = x[i] * dataset.scale[0] + dataset.offset[0];
        out[i + 1] = x[i + 1] * dataset.scale[1] + dataset.offset[1];
      }
      return out;
    };
    this.points = {
      train: { x: raw(dataset.xTrain), y: dataset.yTrain },
      test: { x: raw(dataset.xTest), y: dataset.yTest },
    };
    this.grid = null;
    this.plot.setData([[-this.extent, this.extent], [null, null]]);
  }

  /** `grid`: { values: Float32Array (resolution², rows from the top), resolution, extent }. */
  update(grid) {
    if (!grid) return;
    this.grid = grid;
    const n = grid.resolution;
    this.image.width = n;
    this.image.height = n;
    const ctx = this.image.getContext('2d');
    const img = ctx.createImageData(n, n);
    for (let k = 0; k < n * n; k++) {
      const v = grid.values[k];
      const rgb = this.multiClass ? tint(CLASS_RGB[Math.round(v) % CLASS_RGB.length])
        : Number.isFinite(v) ? mix(Math.min(1, Math.max(0, v))) : [200, 200, 200];
      img.data.set([rgb[0], rgb[1], rgb[2], 255], k * 4);
    }
    ctx.putImageData(img, 0, 0);
    this.plot.redraw(false, false);
  }

  /** Releases the chart (its uPlot, observer and window listeners); later updates are ignored. */
  destroy() {
    this.plot.destroy();
  }

  #drawImage(u) {
    if (!this.grid) return;
    const { left, top, width, height } = u.bbox;
    // The grid's corner points sit on ±extent: each cell is centred on its point.
    const n = this.grid.resolution;
    const cell = width / (n - 1);
    const cellY = height / (n - 1);
    u.ctx.save();
    u.ctx.beginPath();
    u.ctx.rect(left, top, width, height);
    u.ctx.clip();
    u.ctx.imageSmoothingEnabled = true;
    u.ctx.drawImage(this.image, left - cell / 2, top - cellY / 2, width + cell, height + cellY);
    u.ctx.restore();
  }

  #drawPoints(u) {
    if (!this.points) return;
    const ctx = u.ctx;
    const r = Math.max(2, 2.6 * devicePixelRatio);
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    for (const [set, ring] of [['train', false], ['test', true]]) {
      const { x, y } = this.points[set];
      for (let i = 0; i < y.length; i++) {
        const px = u.valToPos(x[2 * i], 'x', true);
        const py = u.valToPos(x[2 * i + 1], 'y', true);
        const [cr, cg, cb] = CLASS_RGB[y[i] % CLASS_RGB.length];
        ctx.beginPath();
        ctx.arc(px, py, r, 0, 2 * Math.PI);
        if (ring) {
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.strokeStyle = `rgb(${cr}, ${cg}, ${cb})`;
          ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
          ctx.fill();
          ctx.stroke();
        } else {
          ctx.fillStyle = `rgb(${cr}, ${cg}, ${cb})`;
          ctx.lineWidth = 1 * devicePixelRatio;
          ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
          ctx.fill();
          ctx.stroke();
        }
      }
    }
    ctx.restore();
  }

  // The model's output at the cursor, from the nearest grid point.
  #valueAt(u) {
    if (!this.grid) return null;
    const x = u.posToVal(u.cursor.left, 'x');
    const y = u.posToVal(u.cursor.top, 'y');
    const n = this.grid.resolution;
    const e = this.grid.extent;
    const col = Math.round(((x + e) / (2 * e)) * (n - 1));
    const row = Math.round(((e - y) / (2 * e)) * (n - 1));
    if (col < 0 || col >= n || row < 0 || row >= n) return null;
    const v = this.grid.values[row * n + col];
    return [this.multiClass ? `predicted class ${v}` : `P(class 1) = ${pct(v)}`];
  }
}

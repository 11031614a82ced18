// The input-output Jacobian's spectrum (Pennington, Schoenholz & Ganguli 2017): the
// histogram of log10 of the singular values of J = ∂a/∂x through the hidden stack, on the
// first training rows, now and at initialization (dashed); χ and the spread are in the card's
// words (chartText.js). A chunk of its own: the page imports it when the card is made.
import { uPlot, makePlot, axis, colors, fmt, tooltipPlugin } from './base.js';

// The count of the bin of histogram h holding log10 σ = x, for a stepped line whose value at
// x holds until the next point (0 outside the histogram's range).
function countAt(h, x) {
  const bins = h.counts.length;
  const width = (h.logHi - h.logLo) / bins;
  const k = Math.floor((x - h.logLo) / width + 1e-9);
  if (k < 0 || x >= h.logHi) return 0;
  return h.counts[Math.min(k, bins - 1)];
}

function edges(h) {
  const bins = h.counts.length;
  return Array.from({ length: bins + 1 }, (_, k) => h.logLo + (k * (h.logHi - h.logLo)) / bins);
}

/** σ = 10^x as a short label: 0.01, 1, 100, 1e-5. */
const sigmaLabel = (x) => (Math.abs(x) <= 3 ? fmt(10 ** x, 2) : `1e${Math.round(x)}`);

// Ticks at powers of ten, every one when they fit (about 48 px a label), else every k-th.
const decades = (u, i, min, max) => {
  const room = Math.max(2, Math.floor(u.bbox.width / (globalThis.devicePixelRatio || 1) / 48));
  const every = Math.max(1, Math.ceil((max - min) / room));
  const out = [];
  for (let k = Math.ceil(min - 1e-9); k <= max + 1e-9; k++) if (k % every === 0) out.push(k);
  return out;
};

export class JacobianChart {
  constructor(container) {
    const plotBox = document.createElement('div');
    this.facts = document.createElement('p');
    this.facts.className = 'chart-facts';
    this.facts.dataset.testid = 'jacobian-empty';
    this.facts.hidden = true;
    container.append(plotBox, this.facts);
    this.plot = makePlot(plotBox, {
      scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.05] } },
      axes: [
        // A tick at every power of ten.
        axis('singular value σ (log scale)', { splits: decades, values: (u, s) => s.map(sigmaLabel) }),
        axis('count', { size: 46 }),
      ],
      series: [
        { label: 'log10 σ' },
        { label: 'now', stroke: colors.dz, fill: 'rgba(213, 94, 0, 0.25)', width: 1, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) },
        { label: 'at init', stroke: colors.init, width: 1, dash: [4, 4], points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) },
      ],
      cursor: { y: false, points: { show: false } },
      plugins: [tooltipPlugin({
        xLabel: (v) => `σ ≈ ${fmt(10 ** v, 3)}`,
        lines: (u, idx) => [`now: ${u.data[1][idx] ?? '–'}`, `at init: ${u.data[2][idx] ?? '–'}`],
      })],
    }, [[], [], []], { height: 170 });
  }

  /** A new run: its spectrum at initialization, the dashed reference. */
  setInitial(spectrum) {
    this.initial = spectrum?.histogram ? spectrum : null;
    this.update(spectrum);
  }

  /** A frame's spectrum ({ refused } or { tooLarge }: none to draw, and why). */
  update(spectrum) {
    if (this.destroyed || !spectrum) return;
    if (!spectrum.histogram) {
      this.plot.setData([[], [], []]);
      this.facts.hidden = false;
      this.facts.textContent = spectrum.refused ?? 'This network is too large for its Jacobian to be computed here.';
      return;
    }
    const now = spectrum.histogram;
    const then = this.initial?.histogram ?? null;
    // One x for both: every bin edge of either histogram, in order.
    const xs = [...new Set([...edges(now), ...(then ? edges(then) : [])])].sort((a, b) => a - b);
    this.plot.setData([xs, xs.map((x) => countAt(now, x)), xs.map((x) => (then ? countAt(then, x) : null))]);
    this.facts.hidden = true;
  }

  /** Releases the chart; later updates are ignored. */
  destroy() {
    this.destroyed = true;
    this.plot.destroy();
  }
}

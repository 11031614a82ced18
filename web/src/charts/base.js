// What every chart widget shares: uPlot with the page's look, a tooltip, sizing that
// follows the container, and number formats. Widgets are fed plain numbers and arrays,
// never the engine.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmt, pct } from '../format.js';

export { uPlot };

/** Series colours (colour-blind-safe: Okabe–Ito), and the faint ones for "at init". */
export const colors = {
  train: '#0072b2',
  test: '#d55e00',
  accuracy: '#009e73',
  testAccuracy: '#cc79a7',
  theory: '#555555',
  band: 'rgba(85, 85, 85, 0.12)',
  z: '#0072b2',
  a: '#009e73',
  dz: '#d55e00',
  init: 'rgba(40, 40, 40, 0.55)',
  saturated: '#e69f00',
  dead: '#56b4e9',
  update: '#cc79a7',
  grid: 'rgba(0, 0, 0, 0.07)',
  axis: '#444',
};

/** One colour per layer, for lines over many layers (viridis-like, readable on white). */
export function layerColor(index, count) {
  const t = count <= 1 ? 0 : index / (count - 1);
  const hue = 260 - 200 * t;
  return `hsl(${hue.toFixed(0)}, 70%, ${(38 + 8 * t).toFixed(0)}%)`;
}

// Number formats live in ../format.js (no DOM there, so that node tests use them too).
export { fmt, pct };

/** Log-axis ticks as 10^k labels. */
export function logTickValues(u, splits) {
  const decade = (v) => v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
  // Label the powers of ten, or every tick when the axis spans less than two of them.
  const all = splits.filter(decade).length < 2;
  return splits.map((v) => (v === null || v === undefined || !(all || decade(v)) ? '' : fmt(v, 2)));
}

/** A value for a log scale: positive finite, else null (a gap). */
export const positive = (v) => (Number.isFinite(v) && v > 0 ? v : null);

const axisStyle = {
  stroke: colors.axis,
  grid: { stroke: colors.grid, width: 1 },
  ticks: { stroke: colors.grid, width: 1, size: 4 },
  font: '11px system-ui, sans-serif',
  labelFont: '12px system-ui, sans-serif',
};

/** An axis with the page's style: `label` names the quantity and its unit. */
export function axis(label, extra = {}) {
  return { ...axisStyle, label, labelSize: label ? 18 : 0, ...extra };
}

/**
 * A floating tooltip: the x value and every shown series at the cursor.
 * @param {(u, idx) => string[] | null} [lines] custom lines; default: "series: value".
 */
export function tooltipPlugin({ xLabel = (v) => fmt(v), lines, free = false } = {}) {
  let tip;
  return {
    hooks: {
      init(u) {
        tip = document.createElement('div');
        tip.className = 'chart-tip';
        tip.setAttribute('role', 'tooltip');
        tip.hidden = true;
        u.over.appendChild(tip);
        u.over.addEventListener('mouseleave', () => { tip.hidden = true; });
      },
      setCursor(u) {
        const idx = u.cursor.idx;
        // free: the tooltip follows the cursor position, not a data index (images).
        if ((!free && (idx === null || idx === undefined)) || !(u.cursor.left >= 0)) { tip.hidden = true; return; }
        const text = lines ? lines(u, idx)
          : u.series.slice(1).map((s, i) => {
            if (!s.show || s.label === undefined || s.noTip) return null;
            const v = u.data[i + 1][idx];
            return v === null || v === undefined ? null : `${s.label}: ${fmt(v)}`;
          }).filter(Boolean);
        if (!text || text.length === 0) { tip.hidden = true; return; }
        tip.replaceChildren(...[free ? xLabel(u) : xLabel(u.data[0][idx], idx), ...text].map((t, i) => {
          const line = document.createElement('div');
          if (i === 0) line.className = 'chart-tip-x';
          line.textContent = t;
          return line;
        }));
        tip.hidden = false;
        // Inside the plotting area, so that it never covers the axes' values.
        const { left, top } = u.cursor;
        const w = u.over.clientWidth;
        const h = u.over.clientHeight;
        const x = left + 12 + tip.offsetWidth > w ? left - tip.offsetWidth - 8 : left + 12;
        tip.style.left = `${Math.max(0, Math.min(x, w - tip.offsetWidth))}px`;
        tip.style.top = `${Math.max(0, Math.min(top - 10, h - tip.offsetHeight))}px`;
      },
    },
  };
}

/**
 * A uPlot that fills its container's width (height fixed, or `aspect` of the width) and
 * follows resizes. Returns the uPlot; `chart.destroy()` also stops the observer, and a
 * destroyed chart ignores later updates (a frame still on its way when the page rebuilt).
 */
export function makePlot(container, options, data, { height = 220, aspect = 0, minHeight = 120 } = {}) {
  const size = () => {
    const width = Math.max(160, Math.floor(container.clientWidth || 300));
    const h = aspect ? Math.max(minHeight, Math.round(width * aspect)) : height;
    return { width, height: h };
  };
  const plot = new uPlot({ ...size(), ...options, legend: { show: options.legend?.show ?? true, live: false, ...options.legend } }, data, container);
  const observer = new ResizeObserver(() => {
    const next = size();
    if (next.width !== plot.width || next.height !== plot.height) plot.setSize(next);
  });
  observer.observe(container);
  const destroy = plot.destroy.bind(plot);
  let destroyed = false;
  plot.destroy = () => {
    if (destroyed) return;
    destroyed = true;
    observer.disconnect();
    destroy();
  };
  for (const name of ['setData', 'redraw', 'setSeries', 'setSize']) {
    const method = plot[name].bind(plot);
    plot[name] = (...args) => (destroyed ? undefined : method(...args));
  }
  return plot;
}

/** Reduced motion: the page redraws live charts less often. */
export const reducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** A labelled figure for a chart: heading, description and the element the chart fills. */
export function figure(container, { title, description, testid }) {
  const fig = document.createElement('figure');
  fig.className = 'chart';
  if (testid) fig.dataset.testid = testid;
  const caption = document.createElement('figcaption');
  const heading = document.createElement('h3');
  heading.textContent = title;
  caption.append(heading);
  if (description) {
    const p = document.createElement('p');
    p.className = 'chart-desc';
    p.textContent = description;
    caption.append(p);
  }
  const body = document.createElement('div');
  body.className = 'chart-body';
  fig.append(caption, body);
  container.append(fig);
  return { fig, body, caption };
}

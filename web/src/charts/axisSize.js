// Axes whose labels fit, whatever the numbers: after a divergence a loss axis spans fifty
// powers of ten and carries labels like "1.0e+30". uPlot labels no axis that reaches past
// 17 digits (it shows none at all then), thins log ticks by its own rule, and a fixed width
// lets the labels run into the title.
import uPlot from 'uplot';

// The top of a log axis: a loss above it (a run diverging) goes off the top of the chart.
const LOG_AXIS_TOP = 1e15;

/** uPlot's scale `range` option for a log scale: the data's decades, at most up to LOG_AXIS_TOP. */
export function logRangeUpToTop(self, min, max) {
  if (min === null || max === null || !(min > 0)) return [null, null];
  return uPlot.rangeLog(Math.min(min, LOG_AXIS_TOP / 10), Math.min(max, LOG_AXIS_TOP), 10, false);
}

/**
 * uPlot's axis `size` option: the tick, the gap and the widest label at the axis font,
 * never less than `min` px.
 */
export function fitTickLabels(min) {
  return (self, values, axisIdx, cycleNum) => {
    const axis = self.axes[axisIdx];
    // Later layout passes keep the width found in the first (uPlot's own advice).
    if (cycleNum > 1 && axis._size) return axis._size;
    const widest = (values ?? []).reduce((acc, v) => (v && String(v).length > acc.length ? String(v) : acc), '');
    let width = 0;
    if (widest) {
      self.ctx.font = axis.font[0];
      width = self.ctx.measureText(widest).width / (globalThis.devicePixelRatio || 1);
    }
    return Math.ceil(Math.max(min, axis.ticks.size + axis.gap + width + 2));
  };
}

// Decades a vertical log axis labels at most: one every this many px of its height.
const PX_PER_DECADE_LABEL = 24;
// Up to this many decades, ticks at 1-9 × 10^k (grid lines between the labels).
const MINOR_TICK_DECADES = 2;

/**
 * uPlot's axis `splits` and `filter` options for a vertical log scale: 1-9 × 10^k over a
 * couple of decades; over more, every n-th power of ten, so that the labels never overlap.
 */
export const logSplits = {
  splits(self, axisIdx, min, max) {
    if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) return [];
    const lo = Math.floor(Math.log10(min));
    const hi = Math.ceil(Math.log10(max));
    const inRange = (v) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
    const out = [];
    if (hi - lo <= MINOR_TICK_DECADES) {
      for (let e = lo; e <= hi; e++) for (let m = 1; m <= 9; m++) if (inRange(m * 10 ** e)) out.push(m * 10 ** e);
      return out;
    }
    const heightPx = (self.bbox?.height ?? 0) / (globalThis.devicePixelRatio || 1) || 140;
    const stride = Math.ceil((hi - lo + 1) / Math.max(2, Math.floor(heightPx / PX_PER_DECADE_LABEL)));
    for (let e = Math.ceil(lo / stride) * stride; e <= hi; e += stride) if (inRange(10 ** e)) out.push(10 ** e);
    return out;
  },
  // The splits are already as many as fit: uPlot's own thinning would drop most of them.
  filter: (self, splits) => splits,
};

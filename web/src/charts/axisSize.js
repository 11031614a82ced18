// An axis as wide as its widest tick label: after a divergence a loss axis can carry
// labels like "1.0e+12", which a fixed width lets run into the axis title.

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

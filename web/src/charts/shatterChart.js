// The shattered-gradients card (Balduzzi et al. 2017): per layer, the correlation of the
// input gradients of neighbouring points on a line of inputs (run.gradientLine), now and at
// initialization (faint); below, the output layer's gradient along that line: smooth (brown
// noise) in shallow or residual networks, white noise where the gradients shatter.
import { makePlot, axis, colors, fmt, tooltipPlugin } from './base.js';
import { layerName } from '../chartText.js';

export class ShatterChart {
  constructor(container) {
    const corrBox = document.createElement('div');
    const lineBox = document.createElement('div');
    this.empty = document.createElement('p');
    this.empty.className = 'chart-facts';
    this.empty.dataset.testid = 'shatter-empty';
    this.empty.hidden = true;
    container.append(corrBox, lineBox, this.empty);
    this.layerCount = 0;
    this.corr = makePlot(corrBox, {
      scales: { x: { time: false, range: (u, min, max) => [min - 0.5, max + 0.5] }, y: { range: [-1, 1] } },
      axes: [
        axis('layer', { values: (u, s) => s.map((v) => (Number.isInteger(v) ? String(v) : '')) }),
        axis('correlation', { size: 46 }),
      ],
      series: [
        { label: 'layer' },
        { label: 'now', stroke: colors.dz, width: 2, points: { size: 6 } },
        { label: 'at init', stroke: colors.init, width: 1, dash: [4, 4], points: { size: 4 } },
      ],
      plugins: [tooltipPlugin({
        xLabel: (v) => layerName(v - 1, this.layerCount),
        lines: (u, idx) => [`now: ${fmt(u.data[1][idx])}`, `at init: ${fmt(u.data[2][idx])}`],
      })],
    }, [[], [], []], { height: 150 });
    this.line = makePlot(lineBox, {
      scales: { x: { time: false } },
      axes: [axis('position along the line'), axis('gradient', { size: 56 })],
      series: [{ label: 'position' }, { label: 'output layer', stroke: colors.train, width: 1, points: { show: false } }],
      legend: { show: false },
      plugins: [tooltipPlugin()],
    }, [[], []], { height: 120 });
  }

  /** A new run: its line at initialization, the faint reference. */
  setInitial(line) {
    this.initial = line;
    this.update(line);
  }

  /** The line of a frame ({ tooLarge }: the network is too large for one). */
  update(line) {
    if (this.destroyed || !line) return;
    this.empty.hidden = !line.tooLarge;
    if (line.tooLarge) {
      this.empty.textContent = 'This network is too large for the gradient line to be computed while it trains.';
      this.corr.setData([[], [], []]);
      this.line.setData([[], []]);
      return;
    }
    const n = line.correlation.length;
    this.layerCount = n;
    const init = this.initial?.correlation?.length === n ? this.initial.correlation : line.correlation.map(() => null);
    this.corr.setData([line.correlation.map((_, i) => i + 1), line.correlation, init]);
    this.line.setData([line.positions, line.output]);
  }

  /** Releases the charts; later updates are ignored. */
  destroy() {
    this.destroyed = true;
    this.corr.destroy();
    this.line.destroy();
  }
}

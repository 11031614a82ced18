// View 6: per hidden layer, the fraction of saturated (sigmoid/tanh) and dead (relu)
// units as bars; per layer, the update-to-weight ratio ‖ΔW‖/‖W‖ of the last step on a log axis, and
// the number of distinct units (units with identical incoming weights count once).
import { uPlot, makePlot, axis, colors, fmt, pct, positive, tooltipPlugin, logTickValues } from './base.js';
import { layerName, emptyLogNote } from '../chartText.js';
import { chartNote, setNote } from './chartNote.js';

export class HealthChart {
  constructor(container) {
    const plotBox = document.createElement('div');
    this.distinct = document.createElement('p');
    this.distinct.className = 'chart-facts distinct';
    this.distinct.dataset.testid = 'distinct-units';
    this.note = chartNote('health');
    container.append(plotBox, this.note, this.distinct);
    this.layerCount = 0;
    this.plot = makePlot(plotBox, {
      scales: { x: { time: false, range: (u, min, max) => [min - 0.6, max + 0.6] }, frac: { range: [0, 1] }, ratio: { distr: 3 } },
      axes: [
        axis('layer', { values: (u, s) => s.map((v) => (Number.isInteger(v) ? String(v) : '')) }),
        axis('fraction of units', { scale: 'frac', values: (u, s) => s.map((v) => pct(v)), size: 46 }),
        axis('update / weight (log)', { scale: 'ratio', side: 1, grid: { show: false }, values: logTickValues, size: 56 }),
      ],
      series: [
        { label: 'layer' },
        { label: 'saturated', scale: 'frac', stroke: colors.saturated, fill: 'rgba(230, 159, 0, 0.6)', paths: uPlot.paths.bars({ size: [0.35, 40], align: -1 }), points: { show: false } },
        { label: 'dead', scale: 'frac', stroke: colors.dead, fill: 'rgba(86, 180, 233, 0.6)', paths: uPlot.paths.bars({ size: [0.35, 40], align: 1 }), points: { show: false } },
        { label: '‖ΔW‖/‖W‖', scale: 'ratio', stroke: colors.update, width: 2, points: { size: 6 } },
      ],
      plugins: [tooltipPlugin({
        xLabel: (v) => layerName(v - 1, this.layerCount),
        lines: (u, idx) => [
          `saturated: ${pct(u.data[1][idx])}`,
          `dead: ${pct(u.data[2][idx])}`,
          `‖ΔW‖/‖W‖: ${fmt(u.data[3][idx])}`,
          `distinct units: ${this.distinctText?.[idx] ?? '–'}`,
        ],
      })],
    }, [[], [], [], []], { height: 200 });
  }

  /** Releases the chart (its uPlot, observer and window listeners); later updates are ignored. */
  destroy() {
    this.plot.destroy();
  }

  update(snapshot) {
    const layers = snapshot.layers;
    const n = layers.length;
    this.layerCount = n;
    // Saturated and dead are about hidden units; the output layer has only its update ratio.
    const hiddenOnly = (value) => layers.map((l, i) => (i < n - 1 ? value(l) : null));
    this.plot.setData([
      layers.map((_, i) => i + 1),
      hiddenOnly((l) => l.saturated),
      hiddenOnly((l) => l.dead),
      layers.map((l) => positive(l.updateRatio)),
    ]);
    setNote(this.note, emptyLogNote('health', snapshot));
    this.distinctText = layers.map((l) => `${l.distinctUnits} of ${l.fanOut}`);
    const signature = this.distinctText.join();
    if (signature === this.signature) return;
    this.signature = signature;
    const chips = layers.map((l, i) => {
      const chip = document.createElement('span');
      chip.className = `chip${l.distinctUnits === 1 && l.fanOut > 1 ? ' warn' : ''}`;
      chip.dataset.testid = `distinct-units-${i}`;
      chip.dataset.value = String(l.distinctUnits);
      chip.textContent = `${i === layers.length - 1 ? 'out' : `L${i + 1}`}: ${l.distinctUnits}/${l.fanOut}`;
      return chip;
    });
    const label = document.createElement('span');
    label.textContent = 'distinct units ';
    this.distinct.replaceChildren(label, ...chips);
  }
}

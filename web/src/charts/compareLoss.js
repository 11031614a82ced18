// Runs side by side: every run's whole-set train loss (solid, log scale) and test accuracy
// (dashed, right axis) against steps on one chart, in the run's colour, with each run's
// current numbers above. The numbers are the engine's evaluate() at the frames where the
// worker refreshed them.
import { uPlot, makePlot, axis, fmt, pct, tooltipPlugin, logTickValues } from './base.js';
import { StepAxisPlot, stepScale, logStepValues, linearStepValues } from './stepAxis.js';
import { fitTickLabels, logSplits, logRangeUpToTop } from './axisSize.js';

/** One colour per run (Okabe–Ito), the same in every view of the comparison. */
export const RUN_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7'];

const MAX_POINTS = 1500;

export class CompareLossChart {
  /** @param {HTMLElement} container  @param {{ label: string, title?: string }[]} runs */
  constructor(container, runs) {
    this.runs = runs;
    this.readouts = document.createElement('dl');
    this.readouts.className = 'readouts compare-readouts';
    this.values = runs.map((run, k) => {
      const dt = document.createElement('dt');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = RUN_COLORS[k];
      dt.append(swatch, ` ${run.label}`);
      const dd = document.createElement('dd');
      dd.dataset.testid = `compare-metric-${run.label}`;
      dd.textContent = '–';
      this.readouts.append(dt, dd);
      return dd;
    });
    container.append(this.readouts);
    this.reset();
    this.stepPlot = new StepAxisPlot(container, (box, stepAxisKind) => this.#build(box, stepAxisKind));
  }

  get plot() { return this.stepPlot.plot; }

  // The uPlot for a step axis.
  #build(box, stepAxisKind) {
    const log = stepAxisKind === 'log';
    const series = [{ label: 'step' }];
    this.runs.forEach((run, k) => {
      series.push({ label: `${run.label} train loss`, scale: 'loss', stroke: RUN_COLORS[k], width: 2, spanGaps: true });
      series.push({ label: `${run.label} test accuracy`, scale: 'acc', stroke: RUN_COLORS[k], width: 1.5, dash: [5, 3], spanGaps: true });
    });
    return makePlot(box, {
      scales: { x: stepScale(stepAxisKind), loss: { distr: 3, range: logRangeUpToTop }, acc: { range: [0, 1] } },
      axes: [
        axis(log ? 'step (log)' : 'step', { values: log ? logStepValues : linearStepValues }),
        axis('train loss (log)', { scale: 'loss', ...logSplits, values: logTickValues, size: fitTickLabels(52) }),
        axis('test accuracy', { scale: 'acc', side: 1, grid: { show: false }, values: (u, s) => s.map((v) => pct(v)), size: fitTickLabels(46) }),
      ],
      series,
      plugins: [tooltipPlugin({ xLabel: (v) => `step ${v}` })],
    }, this.#data(), { height: 250 });
  }

  reset() {
    this.points = this.runs.map(() => ({ step: [], loss: [], acc: [] }));
  }

  /** Run k starts over (a new run, or back to its initial weights). */
  clear(k) {
    this.points[k] = { step: [], loss: [], acc: [] };
  }

  /** A frame of run k (evaluated: its evaluation is fresh). */
  update(k, { step, evaluation, evaluated }) {
    const p = this.points[k];
    if (!evaluation || !p) return;
    if (evaluated) {
      const loss = evaluation.trainLoss > 0 && Number.isFinite(evaluation.trainLoss) ? evaluation.trainLoss : null;
      const acc = Number.isFinite(evaluation.testAccuracy) ? evaluation.testAccuracy : evaluation.trainAccuracy;
      if (p.step[p.step.length - 1] === step) {
        p.loss[p.loss.length - 1] = loss;
        p.acc[p.acc.length - 1] = acc;
      } else {
        p.step.push(step);
        p.loss.push(loss);
        p.acc.push(acc);
      }
      if (p.step.length > MAX_POINTS) {
        const keep = (_, i) => i % 2 === 0 || i === p.step.length - 1;
        for (const key of ['step', 'loss', 'acc']) p[key] = p[key].filter(keep);
      }
    }
    const dd = this.values[k];
    dd.textContent = `loss ${fmt(evaluation.trainLoss)} · test acc ${pct(evaluation.testAccuracy)}`;
    dd.dataset.trainLoss = String(evaluation.trainLoss);
    dd.dataset.testAccuracy = String(evaluation.testAccuracy);
    dd.dataset.step = String(step);
  }

  redraw() {
    this.plot.setData(this.#data());
  }

  /** Releases the chart (its uPlot, observer and window listeners); later updates are ignored. */
  destroy() {
    this.stepPlot.destroy();
  }

  #data() {
    const tables = this.points.filter((p) => p.step.length).map((p) => [p.step, p.loss, p.acc]);
    if (!tables.length) return [[], ...this.runs.flatMap(() => [[], []])];
    if (tables.length < this.points.length) {
      // A run without points yet: empty columns in its place.
      const joined = uPlot.join(tables);
      const out = [joined[0]];
      let j = 1;
      for (const p of this.points) {
        if (p.step.length) { out.push(joined[j], joined[j + 1]); j += 2; } else out.push(joined[0].map(() => null), joined[0].map(() => null));
      }
      return out;
    }
    return uPlot.join(tables);
  }
}

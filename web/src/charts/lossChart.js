// View 1: loss (train and test) and accuracy against steps. The minibatch loss comes from
// the engine's own history (every step, thinned by the engine); the whole-set losses and
// accuracies are the engine's evaluate() at the frames where the worker refreshed them.
// The step axis is linear or log (stepAxis.js); the y axes are as wide as their labels.
import { uPlot, makePlot, axis, colors, fmt, pct, tooltipPlugin, logTickValues } from './base.js';
import { StepAxisPlot, stepScale, logStepValues, linearStepValues } from './stepAxis.js';
import { fitTickLabels, logSplits, logRangeUpToTop } from './axisSize.js';

const MAX_POINTS = 1500;

export class LossChart {
  constructor(container) {
    this.readouts = document.createElement('dl');
    this.readouts.className = 'readouts';
    this.values = {};
    for (const [key, label] of [['step', 'step'], ['train-loss', 'train loss'], ['test-loss', 'test loss'],
      ['train-acc', 'train accuracy'], ['test-acc', 'test accuracy']]) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.dataset.testid = `metric-${key}`;
      dd.textContent = '–';
      this.readouts.append(dt, dd);
      this.values[key] = dd;
    }
    container.append(this.readouts);
    this.reset();
    this.stepPlot = new StepAxisPlot(container, (box, stepAxisKind) => this.#build(box, stepAxisKind));
  }

  get plot() { return this.stepPlot.plot; }

  // The uPlot for a step axis.
  #build(box, stepAxisKind) {
    const log = stepAxisKind === 'log';
    const plot = makePlot(box, {
      scales: { x: stepScale(stepAxisKind), loss: { distr: 3, range: logRangeUpToTop }, acc: { range: [0, 1] } },
      axes: [
        axis(log ? 'step (log)' : 'step', { values: log ? logStepValues : linearStepValues }),
        axis('loss (log)', { scale: 'loss', ...logSplits, values: logTickValues, size: fitTickLabels(52) }),
        axis('accuracy', { scale: 'acc', side: 1, grid: { show: false }, values: (u, s) => s.map((v) => pct(v)), size: fitTickLabels(46) }),
      ],
      series: [
        { label: 'step' },
        { label: 'minibatch loss', scale: 'loss', stroke: 'rgba(0, 114, 178, 0.35)', width: 1, spanGaps: true },
        { label: 'train loss', scale: 'loss', stroke: colors.train, width: 2, spanGaps: true },
        { label: 'test loss', scale: 'loss', stroke: colors.test, width: 2, spanGaps: true },
        { label: 'train accuracy', scale: 'acc', stroke: colors.accuracy, width: 1.5, dash: [6, 3], spanGaps: true },
        { label: 'test accuracy', scale: 'acc', stroke: colors.testAccuracy, width: 1.5, dash: [2, 2], spanGaps: true },
      ],
      plugins: [tooltipPlugin({ xLabel: (v) => `step ${v}` })],
    }, this.#data(), { height: 230 });
    if (this.testRows !== undefined) showTestSeries(plot, this.testRows);
    return plot;
  }

  /** A new run: forget the curves. */
  reset() {
    this.evalSteps = [];
    this.evalRows = [[], [], [], []];  // train loss, test loss, train acc, test acc
    this.history = { step: [], loss: [] };
  }

  /** @param {{ step, snapshot, evaluation, evaluated }} frame  evaluated: evaluation is fresh */
  update({ step, snapshot, evaluation, evaluated }) {
    this.history = snapshot.history;
    if (evaluation && evaluated) {
      const last = this.evalSteps[this.evalSteps.length - 1];
      const row = [evaluation.trainLoss, evaluation.testLoss, evaluation.trainAccuracy, evaluation.testAccuracy];
      if (last === step) {
        row.forEach((v, i) => { this.evalRows[i][this.evalRows[i].length - 1] = v; });
      } else {
        this.evalSteps.push(step);
        row.forEach((v, i) => this.evalRows[i].push(v));
      }
      if (this.evalSteps.length > MAX_POINTS) this.#thin();
    }
    const hasTest = evaluation && Number.isFinite(evaluation.testLoss) && snapshot && this.testRows !== 0;
    this.#readout('step', step, String(step));
    if (evaluation) {
      this.#readout('train-loss', evaluation.trainLoss, fmt(evaluation.trainLoss));
      this.#readout('test-loss', evaluation.testLoss, hasTest ? fmt(evaluation.testLoss) : '–');
      this.#readout('train-acc', evaluation.trainAccuracy, pct(evaluation.trainAccuracy));
      this.#readout('test-acc', evaluation.testAccuracy, hasTest ? pct(evaluation.testAccuracy) : '–');
    }
    this.plot.setData(this.#data());
  }

  /** The data set has no test rows: say so instead of plotting zeros. */
  setTestRows(n) {
    this.testRows = n;
    showTestSeries(this.plot, n);
  }

  /** Releases the chart (its uPlot, observer and window listeners); later updates are ignored. */
  destroy() {
    this.stepPlot.destroy();
  }

  #readout(key, raw, text) {
    const dd = this.values[key];
    dd.textContent = text;
    dd.dataset.value = String(raw);
  }

  #thin() {
    const keep = (_, i) => i % 2 === 0 || i === this.evalSteps.length - 1;
    this.evalSteps = this.evalSteps.filter(keep);
    this.evalRows = this.evalRows.map((row) => row.filter(keep));
  }

  #data() {
    const history = [this.history.step, this.history.loss.map((v) => (v > 0 && Number.isFinite(v) ? v : null))];
    const evals = [this.evalSteps, ...this.evalRows.map((row, i) =>
      (i < 2 ? row.map((v) => (v > 0 && Number.isFinite(v) ? v : null)) : row))];
    if (history[0].length === 0 && evals[0].length === 0) return [[], [], [], [], [], []];
    return uPlot.join([history, evals]);
  }
}

// The test loss and accuracy series, shown only where the data set has test rows.
function showTestSeries(plot, testRows) {
  plot.setSeries(3, { show: testRows > 0 });
  plot.setSeries(5, { show: testRows > 0 });
}

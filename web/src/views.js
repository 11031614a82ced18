// The cards of the page and what each frame from the worker does to them. Each card is one
// widget from charts/ (or the summary); this file only places them and routes data. The
// predictions of a data set that is not 2-D (charts/classes.js: the confusion matrix, the
// digits) are a chunk of their own, made with the first such data set: the lab opens on a
// 2-D one, whose card is the decision boundary.
import { figure, reducedMotion } from './charts/base.js';
import { LossChart } from './charts/lossChart.js';
import { HistogramGrid } from './charts/histograms.js';
import { SignalChart } from './charts/signalChart.js';
import { StdTraceChart } from './charts/stdTraceChart.js';
import { HealthChart } from './charts/healthChart.js';
import { ShatterChart } from './charts/shatterChart.js';
import { BoundaryChart } from './charts/boundary.js';
import { ModelSummary } from './summary.js';
import { chartText } from './chartText.js';
import { pngTool } from './png.js';

const SLOW_REDRAW_MS = 500;  // reduced motion: live pictures at most twice a second
/** While playing, the words on the page (the sentences under the charts, the verdict) follow the step this often. */
export const TEXT_EVERY_MS = 500;

/** The cards, by the names embed's hide= and presets' views use. */
export const CARDS = ['loss', 'data', 'signal', 'jacobian', 'health', 'activations', 'gradients', 'trace', 'moved', 'summary', 'shatter'];

export class Views {
  /**
   * @param {HTMLElement} root  the cards container
   * @param {{ cards?: string[], run?: string, layerKinds?: object[] }} [options]  which cards (default: all); a
   *   comparison column leaves the loss out (one overlaid chart shows every run's) and names
   *   its run, which its PNGs carry in their file names
   */
  constructor(root, { cards = CARDS, run = null, layerKinds = [] } = {}) {
    this.step = 0;
    this.texts = {};  // card name → the <p> with its numbers in words (chartText.js)
    this.textAt = -Infinity;  // when they were last written
    const want = new Set(cards);
    const card = (testid, title, description, wide = false) => {
      if (!want.has(testid.replace(/^view-/, ''))) return null;
      const section = document.createElement('section');
      section.className = `card${wide ? ' wide' : ''}`;
      section.dataset.testid = testid;
      root.append(section);
      const { body, fig } = figure(section, { title, description });
      const name = testid.replace(/^view-/, '');
      if (name !== 'summary') {
        const text = document.createElement('p');
        text.className = 'chart-text';
        text.dataset.testid = `chart-text-${name}`;
        fig.append(text);
        this.texts[name] = text;
      }
      // Every chart saves itself as a PNG (what is on screen, at the screen's resolution).
      section.prepend(pngTool(fig, name, () => this.step, { run, title: `"${title}"` }));
      return body;
    };
    const make = (Widget, body, ...rest) => (body ? new Widget(body, ...rest) : null);
    this.loss = make(LossChart, card('view-loss', 'Loss and accuracy',
      'Training minibatch loss every step (thin), whole-set train and test loss (log scale) and accuracy (dashed, right axis).'));
    const dataBody = card('view-data', 'What the model predicts', '');
    if (dataBody) {
      this.dataCaption = dataBody.closest('figure').querySelector('h3');
      this.boundaryBox = document.createElement('div');
      this.classesBox = document.createElement('div');
      dataBody.append(this.boundaryBox, this.classesBox);
      this.boundary = new BoundaryChart(this.boundaryBox);
      this.classes = null;       // made on first use (#withClasses)
      this.classesMade = null;
    }
    this.signal = make(SignalChart, card('view-signal', 'Signal propagation',
      '[[rms|RMS]] of [[pre-activation|z]], [[activation|a]] and [[grad-z|∂L/∂z]] against depth (log scale): now, at initialization (faint) and the [[variance-propagation|variance-propagation]] theory (dashed) with its [[finite-width-band|finite-width band]] (grey); [[chi1|χ₁]] below.'));
    // Its chart is a chunk of its own, made when it arrives; until then spectra wait in
    // this.spectrum (the latest) and this.initialSpectrum.
    const jacobianBody = card('view-jacobian', 'Jacobian spectrum',
      'Histogram of the singular values σ of the input-output [[jacobian|Jacobian]] through the hidden layers on the first training rows (log scale), now and at initialization (dashed); [[dynamical-isometry|dynamical isometry]]: every σ near 1; [[chi|χ]] = mean σ². Computed when the run is at rest.');
    if (jacobianBody) {
      import('./charts/jacobianChart.js').then(({ JacobianChart }) => {
        if (this.destroyed) return;
        this.jacobian = new JacobianChart(jacobianBody);
        this.jacobian.setInitial(this.initialSpectrum);
        if (this.spectrum !== this.initialSpectrum) this.jacobian.update(this.spectrum);
      });
    }
    this.health = make(HealthChart, card('view-health', 'Unit health',
      '[[saturated|Saturated]] (sigmoid/tanh) and [[dead-unit|dead]] (ReLU family) fractions per layer, the [[update-ratio|update-to-weight ratio ‖ΔW‖/‖W‖]] of the last step, and [[distinct-units|distinct units]].'));
    this.activations = make(HistogramGrid, card('view-activations', 'Activations per layer',
      'Histogram of each layer on the [[probe-batch|probe batch]] (x: value, y: entries = examples × units). Dashed outline: at initialization.', true),
    { quantities: ['a', 'z'], testid: 'hist-activations' });
    this.gradients = make(HistogramGrid, card('view-gradients', 'Back-propagated gradients per layer',
      'Histogram of [[grad-z|∂L/∂z]] per layer (x: value, y: entries). Dashed outline: at initialization.', true),
    { quantities: ['dz'], testid: 'hist-gradients' });
    this.trace = make(StdTraceChart, card('view-trace', 'Activation std over training',
      'Std of each layer\'s [[activation|activations]] on the [[probe-batch|probe batch]] at every drawn step (log scale).'));
    this.moved = make(StdTraceChart, card('view-moved', 'Weights moved since initialization',
      'How far training has carried each layer\'s weights from their start, [[weight-change|‖W − W₀‖/‖W₀‖]], at every drawn step (log scale): small values are [[lazy-training|lazy training]], large ones [[rich-training|rich training]].'),
    { card: 'moved', value: (l) => l.weightChange, axisLabel: '‖W − W₀‖/‖W₀‖ (log)' });
    this.summary = make(ModelSummary, card('view-summary', 'Model summary',
      'As Keras\'s model.summary(): output shape and parameters per layer, with the initializers and the std of W they draw.'), run, layerKinds);
    this.shatter = make(ShatterChart, card('view-shatter', 'Gradients: shattering',
      'Per layer, the [[shattered-gradients|correlation of neighbouring inputs\' gradients]] along a line through the data (1: smooth, 0: white noise); below, the output\'s gradient along it.'));
    this.lastSlowDraw = 0;
  }

  /** A new run (frame.reason 'init', with config and dataset): everything starts over. */
  newRun(frame) {
    if (this.destroyed) return;
    const { snapshot, dataset, config } = frame;
    this.dataset = dataset;
    this.config = config;
    this.initial = snapshot;
    this.evaluation = null;
    const outputs = config.layers[config.layers.length - 1].units;
    if (this.boundary) {
      this.boundaryBox.hidden = !dataset.is2d;
      this.classesBox.hidden = dataset.is2d;
      this.dataCaption.textContent = dataset.is2d ? 'Decision boundary' : dataset.inputDim === 64 ? 'Test images and confusion matrix' : 'Confusion matrix (test set)';
      if (dataset.is2d) this.boundary.setData(dataset, outputs > 1);
      else this.#withClasses((chart) => chart.setData(dataset));
    }
    this.loss?.reset();
    this.loss?.setTestRows(dataset.test);
    this.activations?.setInitial(snapshot);
    this.gradients?.setInitial(snapshot);
    this.signal?.setInitial(snapshot);
    this.trace?.setInitial(snapshot);
    this.moved?.setInitial(snapshot);
    this.line = frame.line ?? null;
    this.shatter?.setInitial(this.line);
    this.initialSpectrum = frame.jacobian ?? null;
    this.spectrum = this.initialSpectrum;
    this.jacobian?.setInitial(this.spectrum);
    this.summary?.update(snapshot, dataset.inputDim);
    this.draw(frame, true);
  }

  /** Back to step 0 with the same weights: the curves restart, the outlines stay. */
  restart(frame) {
    if (!this.initial || this.destroyed) return;
    this.loss?.reset();
    this.trace?.setInitial(frame.snapshot);
    this.moved?.setInitial(frame.snapshot);
    this.draw(frame, true);
  }

  /**
   * One frame: `settled` when training is not running (draw everything now). Frames before
   * the run's first (newRun) or after destroy are not this run's: ignored.
   */
  draw(frame, settled = false) {
    if (!this.initial || this.destroyed) return;
    const { snapshot } = frame;
    this.step = frame.step;
    if (frame.evaluation) this.evaluation = frame.evaluation;
    if (frame.line) {
      this.line = frame.line;
      this.shatter?.update(frame.line);
    }
    if (frame.jacobian) {
      this.spectrum = frame.jacobian;
      this.jacobian?.update(frame.jacobian);
    }
    // The numbers in words: when the picture settles, and every TEXT_EVERY_MS while it
    // plays (none is a live region: a screen reader reads them when asked).
    const textNow = performance.now();
    if (settled || !(textNow - this.textAt < TEXT_EVERY_MS)) {
      this.textAt = textNow;
      for (const [name, el] of Object.entries(this.texts)) {
        el.textContent = chartText(name, { snapshot, evaluation: this.evaluation, initial: this.initial, testRows: this.dataset?.test, line: this.line, spectrum: this.spectrum });
      }
    }
    this.loss?.update(frame);
    this.signal?.update(snapshot);
    if (frame.reason !== 'init') {
      this.trace?.update(snapshot);
      this.moved?.update(snapshot);
    }
    this.health?.update(snapshot);
    const now = performance.now();
    const slow = reducedMotion() && !settled && now - this.lastSlowDraw < SLOW_REDRAW_MS;
    if (!slow) {
      this.lastSlowDraw = now;
      this.activations?.update(snapshot, settled);
      this.gradients?.update(snapshot, settled);
      if (frame.grid) this.boundary?.update(frame.grid);
      if (frame.predictions) this.#withClasses((chart) => chart.update(frame.predictions));
    } else {
      if (frame.grid) this.pendingGrid = frame.grid;
      if (frame.predictions) this.pendingPredictions = frame.predictions;
    }
    if (settled) {
      if (slow) {
        this.activations?.update(snapshot, true);
        this.gradients?.update(snapshot, true);
      }
      if (this.pendingGrid && !frame.grid) this.boundary?.update(this.pendingGrid);
      const pending = this.pendingPredictions;
      if (pending && !frame.predictions) this.#withClasses((chart) => chart.update(pending));
      this.pendingGrid = null;
      this.pendingPredictions = null;
    }
    if (frame.reason !== 'init' && this.summaryStep !== snapshot.step) {
      this.summaryStep = snapshot.step;
      this.summary?.update(snapshot, this.dataset.inputDim);
    }
  }

  /**
   * Calls `use` with the classes chart, in the order asked, once it is made (the first call
   * loads it); nothing without the data card.
   */
  #withClasses(use) {
    if (!this.classesBox) return;
    this.classesMade ??= import('./charts/classes.js').then(({ ClassesChart }) => {
      if (!this.destroyed) this.classes = new ClassesChart(this.classesBox);
      return this.classes;
    });
    this.classesMade.then((chart) => { if (chart && !this.destroyed) use(chart); });
  }

  /** Releases every chart (uPlots, observers, window listeners); the page calls it before it rebuilds the cards. */
  destroy() {
    this.destroyed = true;
    for (const widget of [this.loss, this.boundary, this.classes, this.signal, this.health, this.activations, this.gradients, this.shatter, this.trace, this.moved, this.jacobian]) {
      widget?.destroy();
    }
  }
}

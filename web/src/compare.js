// Runs side by side (A/B comparison, or a preset's variants): one chart with every run's
// loss and accuracy overlaid, then one column per run with that run's verdict and views, so
// that layer k of run A sits beside layer k of run B. With more than two runs the columns
// are small multiples (fewer cards each). Each column is a Views (views.js) of its own.
import { figure } from './charts/base.js';
import { CompareLossChart, RUN_COLORS } from './charts/compareLoss.js';
import { Views } from './views.js';
import { pngTool } from './png.js';

export class CompareLayout {
  /**
   * @param {HTMLElement} root  the cards container (emptied)
   * @param {{ label: string, title?: string }[]} runs
   * @param {{ cards?: string[], layerKinds?: object[] }} [options]  the cards of each column; schema.layerKinds (the summary's Keras names)
   */
  constructor(root, runs, { cards, layerKinds } = {}) {
    root.replaceChildren();
    root.classList.add('compare');
    this.root = root;
    const lossCard = document.createElement('section');
    lossCard.className = 'card wide';
    lossCard.dataset.testid = 'view-compare-loss';
    root.append(lossCard);
    const { body, fig } = figure(lossCard, {
      title: 'Loss and accuracy, runs compared',
      description: 'Whole-set train loss (solid, log scale) and test accuracy (dashed, right axis) of every run, on the same data, seed and schedule.',
    });
    lossCard.prepend(pngTool(fig, 'compare-loss', () => this.step));
    this.loss = new CompareLossChart(body, runs);
    const grid = document.createElement('div');
    grid.className = `compare-grid runs-${runs.length}`;
    root.append(grid);
    const chosen = cards ?? (runs.length === 2
      ? ['data', 'signal', 'activations', 'gradients', 'health', 'trace', 'summary']
      : ['data', 'signal']);
    this.columns = runs.map((run, k) => {
      const column = document.createElement('div');
      column.className = 'compare-column';
      column.dataset.run = run.label;
      column.dataset.testid = `run-${run.label}`;
      column.style.setProperty('--run', RUN_COLORS[k]);
      const head = document.createElement('div');
      head.className = 'run-head';
      const name = document.createElement('h3');
      name.textContent = run.title ? `${run.label}: ${run.title}` : `Run ${run.label}`;
      const verdict = document.createElement('p');
      verdict.className = 'run-verdict';
      verdict.dataset.testid = 'run-verdict';
      head.append(name, verdict);
      const cardsBox = document.createElement('div');
      cardsBox.className = 'cards';
      column.append(head, cardsBox);
      grid.append(column);
      return { column, verdict, views: new Views(cardsBox, { cards: chosen.filter((c) => c !== 'loss'), run: run.label, layerKinds }) };
    });
    this.step = 0;
  }

  /** Run k's views (a Views). */
  views(k) { return this.columns[k].views; }

  setVerdict(k, { severity, kind, text }) {
    const el = this.columns[k].verdict;
    el.textContent = text;
    el.dataset.severity = severity;
    el.dataset.kind = kind;
  }

  /** Releases the overlaid chart and every column's views, then empties the container. */
  destroy() {
    this.loss.destroy();
    for (const c of this.columns) c.views.destroy();
    this.root.classList.remove('compare');
    this.root.replaceChildren();
  }
}

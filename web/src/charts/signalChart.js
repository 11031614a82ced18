// View 4: signal propagation. RMS of pre-activations, activations and back-propagated
// gradients against depth on a log scale, now and at initialization, with the engine's
// variance-propagation prediction and its finite-width band; the first-to-last gradient
// ratio and χ₁ below. A table gives the same numbers as text.
import { makePlot, axis, colors, fmt, positive, tooltipPlugin, logTickValues } from './base.js';
import { layerName, emptyLogNote } from '../chartText.js';
import { chartNote, setNote } from './chartNote.js';
import { termElement } from '../terms.js';

export class SignalChart {
  constructor(container) {
    const plotBox = document.createElement('div');
    this.facts = document.createElement('p');
    this.facts.className = 'chart-facts';
    this.ratio = document.createElement('span');
    this.ratio.dataset.testid = 'gradient-ratio';
    this.chi = document.createElement('span');
    this.chi.dataset.testid = 'chi1';
    // χ₁ and its phase are glossary terms; the phase's term is replaced only when the phase changes.
    this.chiValue = document.createElement('span');
    this.chiPhase = document.createElement('span');
    this.chi.append(termElement('chi1'), ' ', this.chiValue, ' (', this.chiPhase, ')');
    this.facts.append(this.ratio, ' · ', this.chi);
    this.note = chartNote('signal');
    this.details = document.createElement('details');
    this.details.className = 'numbers';
    const summary = document.createElement('summary');
    summary.textContent = 'Numbers per layer';
    this.table = document.createElement('table');
    this.table.dataset.testid = 'signal-table';
    this.details.append(summary, this.table);
    container.append(plotBox, this.note, this.facts, this.details);
    this.layerCount = 0;
    this.plot = makePlot(plotBox, {
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [
        axis('layer', { values: (u, s) => s.map((v) => (Number.isInteger(v) ? String(v) : '')) }),
        axis('RMS (log)', { values: logTickValues, size: 54 }),
      ],
      series: [
        { label: 'layer' },
        { label: 'theory band low', stroke: 'transparent', noTip: true },
        { label: 'theory band', stroke: 'transparent', noTip: true },
        { label: 'z theory', stroke: colors.theory, width: 1.5, dash: [5, 4], points: { show: false } },
        { label: 'z now', stroke: colors.z, width: 2, points: { size: 5 } },
        { label: 'z at init', stroke: 'rgba(0, 114, 178, 0.35)', width: 1, points: { size: 3 } },
        { label: 'a theory', stroke: colors.a, width: 1, dash: [2, 3], points: { show: false } },
        { label: 'a now', stroke: colors.a, width: 2, points: { size: 5 } },
        { label: '∂L/∂z theory', stroke: colors.dz, width: 1, dash: [5, 4], points: { show: false } },
        { label: '∂L/∂z now', stroke: colors.dz, width: 2, points: { size: 5 } },
        { label: '∂L/∂z at init', stroke: 'rgba(213, 94, 0, 0.35)', width: 1, points: { size: 3 } },
      ],
      bands: [{ series: [2, 1], fill: colors.band }],
      plugins: [tooltipPlugin({ xLabel: (v) => layerName(v - 1, this.layerCount) })],
    }, [[], [], [], [], [], [], [], [], [], [], []], { height: 240 });
  }

  setInitial(initial) {
    this.initial = initial;
    this.layerCount = initial.layers.length;
    this.update(initial);
  }

  update(snapshot) {
    const layers = snapshot.layers;
    const init = this.initial?.layers ?? layers;
    const theory = snapshot.theory.layers;
    const x = layers.map((_, i) => i + 1);
    this.plot.setData([
      x,
      theory.map((t) => positive(t.bandLo)),
      theory.map((t) => positive(t.bandHi)),
      theory.map((t) => positive(t.zStd)),
      layers.map((l) => positive(l.z.rms)),
      init.map((l) => positive(l.z.rms)),
      theory.map((t) => positive(t.aRms)),
      layers.map((l) => positive(l.a.rms)),
      theory.map((t) => positive(t.gradRms)),
      layers.map((l) => positive(l.dz.rms)),
      init.map((l) => positive(l.dz.rms)),
    ]);
    const ratio = snapshot.gradientRatio;
    this.ratio.textContent = `first-to-last gradient ratio ${fmt(ratio)}`;
    this.ratio.dataset.value = String(ratio);
    this.ratio.title = 'RMS of ∂L/∂z at layer 1 over the output layer: below 1 gradients shrink backward, above 1 they grow';
    const chi = snapshot.theory.chi1;
    this.chiValue.textContent = fmt(chi);
    const phase = !Number.isFinite(chi) ? null : chi > 1.05 ? 'chaotic' : chi < 0.95 ? 'ordered' : 'critical';
    if (this.chiPhase.dataset.phase !== String(phase)) {
      this.chiPhase.dataset.phase = String(phase);
      const what = { chaotic: ': gradients grow backward', ordered: ': gradients shrink backward', critical: '' }[phase];
      this.chiPhase.replaceChildren(...(phase ? [termElement(phase, phase), what] : ['n/a']));
    }
    this.chi.dataset.value = String(chi);
    setNote(this.note, emptyLogNote('signal', snapshot));
    this.#table(snapshot);
  }

  /** Releases the chart (its uPlot, observer and window listeners); later updates are ignored. */
  destroy() {
    this.plot.destroy();
  }

  #table(snapshot) {
    const head = ['layer', 'activation', 'z RMS', 'z theory', 'a std', 'a RMS', '∂L/∂z RMS', '∂L/∂z theory'];
    const rows = snapshot.layers.map((l, i) => {
      const t = snapshot.theory.layers[i];
      return [layerName(i, snapshot.layers.length), l.activation, l.z.rms, t.zStd, l.a.std, l.a.rms, l.dz.rms, t.gradRms];
    });
    if (!this.table.tHead) {
      const thead = this.table.createTHead().insertRow();
      for (const h of head) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = h;
        thead.append(th);
      }
      this.table.createTBody();
    }
    const body = this.table.tBodies[0];
    while (body.rows.length > rows.length) body.deleteRow(-1);
    rows.forEach((cells, i) => {
      const row = body.rows[i] ?? body.insertRow();
      row.dataset.layer = String(i);
      while (row.cells.length < cells.length) row.insertCell();
      cells.forEach((v, k) => {
        const cell = row.cells[k];
        cell.textContent = typeof v === 'number' ? fmt(v) : v;
        if (typeof v === 'number') cell.dataset.value = String(v);
      });
      row.cells[4].dataset.testid = `a-std-${i}`;
    });
  }
}

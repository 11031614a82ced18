// The run bar above the cards: which run the settings edit (runs compared), the sweep
// button, and comparing (add a run, stop comparing; not while a preset is shown). Built
// again from the page's state after every change of it.
import { button } from './dom.js';
import { runLabel, MAX_RUNS } from './url.js';

export class RunsBar {
  /**
   * @param {HTMLElement} el
   * @param {{ onEdit(k), onSweep(), onAddRun(), onStopComparing() }} handlers
   */
  constructor(el, handlers) {
    this.el = el;
    this.handlers = handlers;
  }

  /**
   * @param {{ runs: { label: string, title?: string }[], editing: number, sweepOpen: boolean, preset: boolean }} state
   */
  render({ runs, editing, sweepOpen, preset }) {
    const { onEdit, onSweep, onAddRun, onStopComparing } = this.handlers;
    const parts = [];
    if (runs.length > 1) {
      const label = document.createElement('span');
      label.className = 'runs-label';
      label.textContent = 'Settings of run';
      const group = document.createElement('div');
      group.className = 'segmented runs-switch';
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', 'Settings of run');
      runs.forEach((run, k) => {
        const b = button(`edit-run-${run.label}`, run.label, 'btn btn-small', () => onEdit(k));
        b.title = run.title ?? `run ${run.label}`;
        b.setAttribute('aria-pressed', String(k === editing));
        group.append(b);
      });
      parts.push(label, group);
    }
    const sweep = button('btn-sweep', sweepOpen ? 'Close the sweep' : 'Sweep', 'btn btn-small', onSweep);
    sweep.title = 'A grid over one or two settings of this run, each cell trained in parallel workers';
    sweep.setAttribute('aria-pressed', String(sweepOpen));
    parts.push(sweep);
    if (!preset) {
      if (runs.length === 1) {
        const add = button('btn-compare', 'Compare: add run B', 'btn btn-small', onAddRun);
        add.title = 'Run B starts as a copy of this run (same data, seed and schedule); change what you want to compare';
        parts.push(add);
      } else {
        const add = button('btn-compare', runs.length < MAX_RUNS ? `Add run ${runLabel(runs.length)}` : '', 'btn btn-small', onAddRun);
        add.hidden = runs.length >= MAX_RUNS;
        parts.push(button('btn-compare-stop', 'Stop comparing', 'btn btn-small btn-quiet', onStopComparing), add);
      }
    }
    this.el.replaceChildren(...parts);
    this.el.hidden = parts.length === 0;
  }
}

// A preset's sweeps in the page (saxe-orthogonal: learning time against depth;
// keras-xor: success over seeds and a slice of weight space): each runs in the lab's Web
// Workers through wasm/sweep.mjs runSweep, one sweep after the other, as one long job
// (job.js: a cell per worker at a time, with progress and cancel), and becomes the same
// record as runPreset makes in Node (wasm/presetRunner.mjs sweepRecord). Shown as a heatmap of
// success and, for a depth or rate grid, the best steps per x value; the checks read the
// records (presetPanel.js).
import { runSweep, validateSweep, summarizeSweep, axisLabel } from '../../wasm/sweep.mjs';
import { sweepRecord } from '../../wasm/presetRunner.mjs';
import { createWorker } from './workerFactory.js';
import { button } from './dom.js';
import { Job } from './job.js';
import { ProgressLine } from './progressLine.js';
import { Heatmap } from './charts/heatmap.js';
import { fmt, pct } from './charts/base.js';
import { heatmapSpec, openCell } from './sweepView.js';

const MAX_BY_X_ROWS = 12;  // a longer x axis (100 seeds) is shown by its totals and the heatmap

export class PresetSweeps {
  /**
   * @param {object} preset  a preset with `sweeps`
   * @param {{ onRecord(label, record): void, schema(): object }} actions  schema: the engine's, for a cell's lab link
   */
  constructor(preset, actions) {
    this.preset = preset;
    this.actions = actions;
    this.records = {};
    this.job = null;
    this.element = document.createElement('div');
    this.element.className = 'preset-sweeps';
    this.element.dataset.testid = 'preset-sweeps';
    const title = document.createElement('h3');
    title.textContent = 'Sweeps';
    const intro = document.createElement('p');
    intro.className = 'popover-note';
    const cells = preset.sweeps.map((s) => validateSweep(s.spec)).reduce((n, s) => n + s.x.values.length * (s.y ? s.y.values.length : 1), 0);
    intro.textContent = `What the published outcome is about: ${preset.sweeps.length} grid${preset.sweeps.length > 1 ? 's' : ''} of fresh networks, ${cells} cells in all, ` +
      'each trained in parallel Web Workers (the same cells as initscope preset on the command line).';
    const bar = document.createElement('div');
    bar.className = 'preset-bar';
    this.runButton = button('preset-sweeps-run', `Run the sweeps (${cells} cells)`, 'btn btn-play', () => this.run());
    this.line = new ProgressLine('preset-sweeps');
    this.line.progress.max = cells;
    this.line.text = 'Not run yet.';
    bar.append(this.runButton, ...this.line.parts);
    this.blocks = preset.sweeps.map((entry) => this.#block(entry));
    const list = document.createElement('div');
    list.className = 'preset-sweep-list';
    list.append(...this.blocks.map((b) => b.root));
    this.element.append(title, intro, bar, list);
  }

  get running() { return Boolean(this.job?.running); }

  #block(entry) {
    const root = document.createElement('div');
    root.className = 'preset-sweep';
    root.dataset.testid = 'preset-sweep';
    root.dataset.label = entry.label;
    root.dataset.state = 'pending';
    const head = document.createElement('h4');
    head.textContent = `${entry.label}: ${entry.title}`;
    const summary = document.createElement('p');
    summary.className = 'preset-sweep-summary';
    summary.dataset.testid = 'preset-sweep-summary';
    summary.textContent = 'Not run yet.';
    const table = document.createElement('table');
    table.className = 'preset-figures';
    table.hidden = true;
    const heat = document.createElement('div');
    root.append(head, summary, table, heat);
    const spec = validateSweep(entry.spec);
    return { entry, spec, root, summary, table, heat, heatmap: null };
  }

  /** Runs every sweep of the preset, in order, on `workers` workers; resolves when done or cancelled. */
  async run({ workers = navigator.hardwareConcurrency || 2 } = {}) {
    if (this.running || this.destroyed) return;
    const sizes = this.blocks.map((b) => b.spec.x.values.length * (b.spec.y ? b.spec.y.values.length : 1));
    const job = new Job({ total: sizes.reduce((a, b) => a + b, 0) });
    this.job = job;
    job.workers = workers;
    job.sweep = '';
    this.runButton.disabled = true;
    this.element.dataset.state = 'running';
    this.line.show(job, (j) => this.#describe(j));
    let before = 0;
    try {
      for (const [k, block] of this.blocks.entries()) {
        const total = sizes[k];
        const cells = new Array(total).fill(null);
        block.root.dataset.state = 'running';
        block.summary.textContent = 'Running…';
        job.sweep = `sweep ${k + 1} of ${this.blocks.length} (${block.entry.label})`;
        job.sweepCells = { done: 0, total };
        job.progress(before);
        let drawing = false;
        const result = await runSweep(block.entry.spec, {
          workers,
          createWorker,
          signal: job.signal,
          onChecked: (checked) => { block.checked = checked; },
          onProgress: ({ done, cell }) => {
            cells[cell.i] = cell;
            job.sweepCells.done = done;
            job.progress(before + done);
            if (!drawing) {
              drawing = true;
              requestAnimationFrame(() => { drawing = false; this.#draw(block, cells, null); });
            }
          },
        });
        before += total;
        const record = sweepRecord(block.entry, result);
        this.records[block.entry.label] = record;
        this.#show(block, record);
        this.actions.onRecord(block.entry.label, record);
      }
      job.finish();
      this.element.dataset.state = 'done';
    } catch (error) {
      const cancelled = error?.name === 'AbortError';
      job.error = cancelled ? null : error;
      if (cancelled) job.cancel(); else job.finish('failed');
      this.element.dataset.state = cancelled ? 'cancelled' : 'error';
      for (const block of this.blocks) {
        if (block.root.dataset.state === 'running') {
          block.root.dataset.state = cancelled ? 'cancelled' : 'error';
          block.summary.textContent = cancelled ? 'Cancelled.' : error.message;
        }
      }
    } finally {
      this.runButton.disabled = false;
      this.runButton.textContent = 'Run the sweeps again';
    }
  }

  // The status line: which sweep runs and its cells, then how the job ended.
  #describe(job) {
    const workers = `${job.workers} workers`;
    if (job.state === 'running') return `${job.sweep}: ${job.sweepCells?.done ?? 0} of ${job.sweepCells?.total ?? 0} cells · ${workers}`;
    if (job.state === 'cancelled') return `Cancelled after ${job.done} of ${job.total} cells; the sweeps that finished are kept.`;
    if (job.state === 'failed') return job.error.message;
    return `Done: ${job.total} cells on ${workers}.`;
  }

  cancel() {
    this.job?.cancel();
  }

  /** Cancels the sweeps and releases their heatmaps (the preset is left). */
  destroy() {
    this.cancel();
    this.destroyed = true;
    this.line.release();
    for (const block of this.blocks) {
      block.heatmap?.destroy();
      block.heatmap = null;
    }
  }

  #draw(block, cells, meanField) {
    if (this.destroyed) return;
    // A cell opens as a run in the lab, as in the sweep view.
    if (!block.heatmap) {
      block.heatmap = new Heatmap(block.heat, {
        onOpen: (cell) => { const why = openCell(block.checked, cell, this.actions.schema()); if (why) this.line.text = why; },
        openLabel: 'open its run in the lab (new tab)',
      });
    }
    block.heatmap.update({ spec: heatmapSpec(block.spec), cells, meanField, show: block.entry.show ?? 'success' });
  }

  // The record: totals, the best steps and the lowest final loss per x value (where there
  // is a y axis to choose from), and the heatmap of every cell.
  #show(block, record) {
    const summary = summarizeSweep({ spec: block.spec, cells: record.cells });
    block.root.dataset.state = 'done';
    block.root.dataset.summary = JSON.stringify(summary);
    block.summary.textContent = `${record.successes} of ${record.count} cells succeed (${pct(record.successRate)}); ` +
      `success: ${heatmapSpec(block.spec).successText}.`;
    const rows = record.byX;
    if (block.spec.y && rows.length <= MAX_BY_X_ROWS) {
      const x = axisLabel(block.spec.x);
      const y = axisLabel(block.spec.y);
      const thead = document.createElement('thead');
      const hr = thead.insertRow();
      for (const h of [x, 'cells that succeed', 'fewest steps to success', `at ${y}`, 'lowest final loss', `at ${y}`]) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = h;
        hr.append(th);
      }
      const tbody = document.createElement('tbody');
      for (const r of rows) {
        const tr = tbody.insertRow();
        tr.dataset.x = String(r.x);
        for (const v of [fmt(r.x), `${r.successes} of ${r.count}`, r.bestStepsToSuccess === null ? `not within ${block.spec.steps}` : String(r.bestStepsToSuccess), r.bestY === null ? '' : fmt(r.bestY),
          r.lowestLoss === null ? 'every cell diverged' : fmt(r.lowestLoss), r.lowestLossY === null ? '' : fmt(r.lowestLossY)]) {
          const td = tr.insertCell();
          td.textContent = v;
          td.className = 'num';
        }
      }
      block.table.replaceChildren(thead, tbody);
      block.table.hidden = false;
    }
    this.#draw(block, record.cells, record.meanField);
  }
}


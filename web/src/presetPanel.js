// The preset panel: beside the live runs the preset's text (a row of
// wasm/presetTable.mjs's table, which the worker sends), its source, what was scaled
// down, the published figures with ours next to them, its sweeps (presetSweeps.js, loaded
// when shown: lazySweeps.js), and
// the published outcome checked against ours. "Ours" are the runs' records, kept by the
// worker on its run (wasm/presetRunner.mjs startRecord, addCheckpoint, finishRecord), and
// the sweeps' records, read with wasm/presetChecks.mjs's comparePublished and
// checkExpectation: the page computes none of them. A preset shown a
// group at a time keeps each group's finished runs while it stays open, so the checks
// that need several groups (and the sweeps) are evaluated once all they need has run.
// A chunk of its own, loaded when the first preset opens (main.js); the menu and the
// runs a preset shows are presetMenu.js.
import { comparePublished, checkExpectation, expectationLabels } from '../../wasm/presetChecks.mjs';
import { fmt } from './charts/base.js';
import { LazyPresetSweeps } from './lazySweeps.js';

export class PresetPanel {
  /**
   * @param {HTMLElement} root
   * @param {{ onRun(): void, onGroup(group): void, onLeave(): void, schema(): object }} actions
   */
  constructor(root, actions) {
    this.root = root;
    this.actions = actions;
    this.root.hidden = true;
  }

  /** Shows `preset` with the runs on screen (a group of them, if it has groups). */
  show(preset, { runs, groups, group }) {
    if (this.preset?.name !== preset.name) this.#forget();
    this.preset = preset;
    this.runs = runs;
    this.sweeps ??= preset.sweeps?.length ? new LazyPresetSweeps(preset, { onRecord: () => this.#renderOutcome(), schema: this.actions.schema }) : null;
    this.root.hidden = false;
    this.root.dataset.preset = preset.name;
    const head = document.createElement('div');
    head.className = 'preset-head';
    const title = document.createElement('h2');
    title.textContent = preset.title;
    const leave = document.createElement('button');
    leave.type = 'button';
    leave.className = 'btn btn-small btn-quiet';
    leave.textContent = 'Leave the preset';
    leave.addEventListener('click', () => this.actions.onLeave());
    head.append(title, leave);
    const text = document.createElement('p');
    text.className = 'preset-text';
    text.textContent = preset.text;
    const source = document.createElement('p');
    source.className = 'preset-source';
    source.textContent = `Source: ${preset.source}`;
    const parts = [head, text, source];
    if (preset.scaledDown?.length) {
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = 'What differs from the original';
      const list = document.createElement('ul');
      for (const t of preset.scaledDown) {
        const li = document.createElement('li');
        li.textContent = t;
        list.append(li);
      }
      details.append(summary, list);
      parts.push(details);
    }
    const bar = document.createElement('div');
    bar.className = 'preset-bar';
    if (groups.length) {
      const label = document.createElement('label');
      label.textContent = 'Runs of ';
      const select = document.createElement('select');
      select.dataset.testid = 'preset-group';
      for (const g of groups) select.append(new Option(g, g));
      select.value = group;
      select.addEventListener('change', () => this.actions.onGroup(select.value));
      label.append(select);
      const note = document.createElement('span');
      note.className = 'popover-note';
      note.textContent = ` (${runs.length} of ${preset.runs.length} runs at a time)`;
      bar.append(label, note);
    }
    this.runButton = document.createElement('button');
    this.runButton.type = 'button';
    this.runButton.className = 'btn btn-play';
    this.runButton.dataset.testid = 'preset-run';
    this.runButton.textContent = preset.steps > 0 ? `Run the preset (${preset.steps.toLocaleString('en-US')} steps)` : 'At initialization: nothing to train';
    this.runButton.disabled = preset.steps === 0;
    this.runButton.addEventListener('click', () => this.actions.onRun());
    this.progress = document.createElement('span');
    this.progress.className = 'preset-progress';
    this.progress.dataset.testid = 'preset-progress';
    bar.prepend(this.runButton, this.progress);
    parts.push(bar);
    const published = document.createElement('div');
    published.className = 'preset-published';
    const ptitle = document.createElement('h3');
    ptitle.textContent = 'Published';
    const psummary = document.createElement('p');
    psummary.textContent = preset.published.summary;
    this.table = document.createElement('table');
    this.table.className = 'preset-figures';
    this.table.dataset.testid = 'preset-figures';
    this.checks = document.createElement('ul');
    this.checks.className = 'preset-checks';
    this.checks.dataset.testid = 'preset-checks';
    const ctitle = document.createElement('h3');
    ctitle.textContent = 'The published outcome, checked on these runs';
    this.missing = document.createElement('p');
    this.missing.className = 'preset-missing';
    this.missing.dataset.testid = 'preset-missing';
    published.append(ptitle, psummary, this.table, ...(this.sweeps ? [this.sweeps.element] : []), ctitle, this.missing, this.checks);
    parts.push(published);
    this.root.replaceChildren(...parts);
    this.update({}, 0);
  }

  hide() {
    this.root.hidden = true;
    this.root.replaceChildren();
    this.#forget();
    this.preset = null;
  }

  // A new preset (or none): the runs kept from other groups and the sweeps go.
  #forget() {
    this.sweeps?.destroy();
    this.sweeps = null;
    this.kept = {};
    this.results = {};
    this.changed = new Set();
  }

  /**
   * `results`: { label: record } of the runs on screen (records as wasm/presetRunner.mjs's
   * runPresetRun makes them); `step`: where the runs are; `changed`: the labels of runs
   * whose settings differ from the preset's (they are checked here, but not kept for the
   * checks of other groups).
   */
  update(results, step, { changed = [] } = {}) {
    const preset = this.preset;
    if (!preset) return;
    this.results = results;
    this.changed = new Set(changed);
    // A run restarted with the preset's settings gives the same numbers again (the engine
    // is deterministic): its earlier finished record stays until the new one finishes.
    for (const [label, record] of Object.entries(results)) {
      if (this.changed.has(label)) delete this.kept[label];
      else if (record.final) this.kept[label] = record;
    }
    const done = this.runs.every((r) => results[r.label]?.final);
    this.progress.textContent = preset.steps > 0 ? `step ${step.toLocaleString('en-US')} of ${preset.steps.toLocaleString('en-US')}` : '';
    this.root.dataset.done = String(done);
    const rows = comparePublished(preset, results);
    const shown = new Set(this.runs.map((r) => r.label));
    const head = ['Run', 'Quantity', 'Published', 'Ours'];
    const thead = document.createElement('thead');
    const hr = thead.insertRow();
    for (const h of head) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      hr.append(th);
    }
    const tbody = document.createElement('tbody');
    const all = preset.published.figures.filter((f) => shown.has(f.run));
    for (const f of all) {
      const row = rows.find((r) => r.run === f.run && r.quantity === f.quantity);
      const tr = tbody.insertRow();
      tr.dataset.run = f.run;
      const ours = row?.ours;
      for (const [k, v] of [[0, f.run], [1, f.quantity], [2, f.shown ?? fmt(f.value, 4)],
        [3, typeof ours === 'number' ? fmt(ours, 4) : ours === null || ours === undefined ? 'not yet' : String(ours)]]) {
        const td = tr.insertCell();
        td.textContent = v;
        if (k >= 2) td.className = 'num';
        if (k === 3) {
          td.dataset.testid = 'preset-ours';
          if (typeof ours === 'number') td.dataset.value = String(ours);
        }
      }
      if (f.note) tr.title = f.note;
    }
    if (!all.length) {
      const tr = tbody.insertRow();
      const td = tr.insertCell();
      td.colSpan = 4;
      td.textContent = preset.sweeps?.length
        ? 'The source gives no numbers for these runs: its outcome is about the sweeps below, checked further down.'
        : 'The source gives no numbers for these runs: the outcome below is what it describes.';
    }
    this.table.replaceChildren(thead, tbody);
    this.#renderOutcome();
  }

  // Every check of the preset: evaluated where every run and sweep it reads has finished
  // (on screen, kept from another group, or swept), else pending with what it still needs.
  #renderOutcome() {
    const preset = this.preset;
    if (!preset) return;
    const finished = Object.fromEntries(Object.entries(this.results).filter(([, r]) => r.final));
    const available = { ...this.kept, ...(this.sweeps?.records ?? {}), ...finished };
    const onScreen = new Set(this.runs.map((r) => r.label));
    const groupOf = new Map(preset.runs.map((r) => [r.label, r.group ?? null]));
    const missingGroups = new Set();
    const missingSweeps = new Set();
    const items = preset.expect.map((e) => {
      const li = document.createElement('li');
      li.dataset.testid = 'preset-check';
      const mark = document.createElement('span');
      mark.className = 'mark';
      const missing = expectationLabels(e).filter((label) => !Object.hasOwn(available, label));
      if (!missing.length) {
        const c = checkExpectation(available, e);
        li.dataset.holds = String(c.holds);
        mark.textContent = c.holds ? '✓' : '✗';
        li.append(mark, ` ${c.claim}: ${c.detail}`);
        return li;
      }
      const needs = [];
      const groups = [...new Set(missing.filter((l) => groupOf.has(l) && !onScreen.has(l)).map((l) => groupOf.get(l)))];
      const sweeps = missing.filter((l) => !groupOf.has(l));
      if (missing.some((l) => onScreen.has(l))) needs.push('after the run');
      if (groups.length) needs.push(`needs the runs of ${groups.join(', ')} (not run yet while this preset is open)`);
      if (sweeps.length) needs.push(`needs the sweep${sweeps.length > 1 ? 's' : ''} ${sweeps.join(', ')}`);
      groups.forEach((g) => missingGroups.add(g));
      sweeps.forEach((l) => missingSweeps.add(l));
      li.dataset.holds = 'pending';
      li.dataset.needs = [...groups, ...sweeps].join(',');
      mark.textContent = '…';
      li.append(mark, ` ${e.claim}: ${needs.join('; ')}`);
      return li;
    });
    if (!items.length) {
      const li = document.createElement('li');
      li.textContent = 'This preset states no outcome to check.';
      items.push(li);
    }
    this.checks.replaceChildren(...items);
    // In the preset's own order.
    const groupsNeeded = [...new Set(preset.runs.map((r) => r.group))].filter((g) => missingGroups.has(g));
    const sweepsNeeded = (preset.sweeps ?? []).map((sw) => sw.label).filter((l) => missingSweeps.has(l));
    const parts = [];
    if (groupsNeeded.length) parts.push(`the runs of ${groupsNeeded.join(', ')} (choose each group above and run it; finished groups are kept while this preset is open)`);
    if (sweepsNeeded.length) parts.push(`the sweep${sweepsNeeded.length > 1 ? 's' : ''} ${sweepsNeeded.join(', ')} (Run the sweeps)`);
    this.missing.textContent = parts.length ? `Some checks need ${parts.join(' and ')}.` : '';
    this.missing.hidden = !parts.length;
    this.missing.dataset.groups = groupsNeeded.join(',');
    this.missing.dataset.sweeps = sweepsNeeded.join(',');
  }
}

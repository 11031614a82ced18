// The Export menu: the run's history as CSV and JSON, the data set as CSV, and the network
// with its initializers as Keras or PyTorch code (in a dialog: read, copy, download).
// Runs compared side by side export together: one CSV with a run column, one JSON with
// every run and its config; the data set and the code are those of the run the settings
// edit, and say which. Every chart has its own PNG button (views.js).
import { download } from './png.js';
import { copyText } from './share.js';
import { runsToCsv, runsToJson } from './record.js';
import { LightDismiss, lightDismissDialog } from './popover.js';
import { button, popoverPanel } from './dom.js';

// 2 → "2nd", 8 → "8th", 1024 → "1,024th".
function ordinal(n) {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : { 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th';
  return `${n.toLocaleString('en-US')}${suffix}`;
}

export class ExportMenu {
  /**
   * @param {HTMLElement} root  where the popover opens
   * @param {{ runs(): { label: string, title?: string, record: RunRecord, edited: boolean }[], schema,
   *   version: string, link(): string, step(): number }} source  runs: every run shown (one, or
   *   those compared); `edited` marks the one the settings edit
   */
  constructor(root, source) {
    this.source = source;
    this.panel = popoverPanel('export', 'Export');
    this.title = document.createElement('p');
    this.title.className = 'popover-title';
    this.title.dataset.testid = 'export-title';
    const list = document.createElement('div');
    list.className = 'export-list';
    const item = (testid, label, note, action) => {
      const b = button(testid, label, 'btn btn-small', () => { action(); });
      const p = document.createElement('span');
      p.textContent = note;
      list.append(b, p);
      return p;
    };
    this.notes = {
      csv: item('export-csv', 'History CSV', '', () => this.#save('csv')),
      json: item('export-json', 'Run JSON', '', () => this.#save('json')),
      data: item('export-data', 'Data set CSV', '', () => this.#save('data')),
      keras: item('export-keras', 'Keras code', '', () => this.showCode('keras')),
      pytorch: item('export-pytorch', 'PyTorch code', 'the same in PyTorch', () => this.showCode('pytorch')),
    };
    const note = document.createElement('p');
    note.className = 'popover-note';
    note.textContent = 'Each chart has its own PNG button.';
    const row = document.createElement('div');
    row.className = 'popover-row';
    row.append(button('export-close', 'Close', 'btn btn-small', () => this.close()));
    this.panel.append(this.title, list, note, row);
    root.append(this.panel);
    this.dismiss = new LightDismiss(this.panel, () => this.close());
    this.dialog = this.#codeDialog();
    this.dialogDismiss = lightDismissDialog(this.dialog);
  }

  open() {
    this.#describe();
    this.panel.hidden = false;
    this.dismiss.opened();
    this.panel.querySelector('button')?.focus();
  }

  close() {
    this.panel.hidden = true;
    this.dismiss.closed();
  }
  get isOpen() { return !this.panel.hidden; }

  /** The run the settings edit (the one whose data set and code are exported). */
  #edited() {
    const runs = this.source.runs();
    return runs.find((r) => r.edited) ?? runs[0];
  }

  // What each item saves, for one run or runs compared.
  #describe() {
    const runs = this.source.runs();
    const many = runs.length > 1;
    const edited = this.#edited();
    this.title.textContent = many ? `Export runs ${runs.map((r) => r.label).join(', ')}` : 'Export this run';
    const every = Math.max(...runs.map((r) => r.record.historyEvery()));
    const kept = every === 1 ? 'every step' : `every ${ordinal(every)} step (the engine thins its loss history as a run grows)`;
    this.notes.csv.textContent = many
      ? `every run's minibatch loss at ${kept} and whole-set loss and accuracy where evaluated, one row per run and step (column run)`
      : `minibatch loss at ${kept}, whole-set loss and accuracy where evaluated`;
    this.notes.json.textContent = many
      ? 'every run with its config, history, evaluations, per-layer statistics and histograms (runs: [...])'
      : 'config, history, evaluations, per-layer statistics and histograms';
    this.notes.data.textContent = many
      ? `run ${edited.label}'s rows as its network sees them (the code below reads this file)`
      : 'the rows as the network sees them (the code below reads this file)';
    this.notes.keras.textContent = many
      ? `run ${edited.label}'s network (the run the settings edit), its initializers, loss and optimizer`
      : 'the network, its initializers, loss and optimizer';
  }

  #name(ext) {
    const runs = this.source.runs();
    const what = runs.length > 1 ? `runs-${runs.map((r) => r.label).join('-')}` : runs[0].record.config?.data?.name ?? 'run';
    return `initscope-${what.replace(/[^\w.-]+/g, '_')}-step${this.source.step()}.${ext}`;
  }

  #save(kind) {
    const runs = this.source.runs();
    const meta = () => ({ initscope: this.source.version, link: this.source.link() });
    if (kind === 'csv') download(this.#name('csv'), runs.length > 1 ? runsToCsv(runs) : runs[0].record.toCsv(), 'text/csv');
    if (kind === 'json') {
      const text = runs.length > 1 ? runsToJson(runs, meta()) : runs[0].record.toJson(meta());
      download(this.#name('json'), text, 'application/json');
    }
    if (kind === 'data') download(this.dataFile(), this.#edited().record.datasetCsv(), 'text/csv');
  }

  dataFile() {
    return `initscope-${this.#edited().record.config?.data?.name ?? 'data'}.csv`;
  }

  /** The code of the run in `framework` ('keras' or 'pytorch'); the code writer loads on first use. */
  async code(framework) {
    const { kerasCode, pytorchCode } = await import('./codegen.js');
    const runs = this.source.runs();
    const edited = this.#edited();
    const r = edited.record;
    const title = runs.length > 1 ? `initscope run ${edited.label} (of runs ${runs.map((x) => x.label).join(', ')} compared)` : 'initscope run';
    const input = {
      config: r.config, snapshot: r.snapshot, schema: this.source.schema, dataset: r.dataset,
      context: { title, version: this.source.version, link: this.source.link(), dataFile: this.dataFile(), step: this.source.step() },
    };
    return framework === 'keras' ? kerasCode(input) : pytorchCode(input);
  }

  // One run: initscope-circles-step0-pytorch.py; compared: the edited run's label in it.
  #codeName() {
    const runs = this.source.runs();
    const label = runs.length > 1 ? `-run${this.#edited().label}` : '';
    const data = (this.#edited().record.config?.data?.name ?? 'run').replace(/[^\w.-]+/g, '_');
    return `initscope-${data}${label.replace(/[^\w.-]+/g, '_')}-step${this.source.step()}-${this.framework}.py`;
  }

  showCode(framework) {
    // The code dialog gives the focus back to what opened the menu (Export).
    const opener = this.isOpen ? this.dismiss.opener : document.activeElement;
    this.close();
    this.framework = framework;
    this.#renderCode();
    if (!this.dialog.open) {
      this.dialog.showModal();
      this.dialogDismiss.opened(opener);
    }
  }

  async #renderCode() {
    for (const b of this.tabs) b.setAttribute('aria-pressed', String(b.dataset.framework === this.framework));
    const framework = this.framework;
    delete this.pre.dataset.framework;
    const code = await this.code(framework);
    if (framework !== this.framework) return;  // another tab was chosen meanwhile
    this.pre.textContent = code;
    this.pre.dataset.framework = framework;  // the code shown is this framework's (tests wait for it)
    const runs = this.source.runs();
    this.which.textContent = runs.length > 1 ? `Run ${this.#edited().label}, the run the settings edit` : '';
    this.state.textContent = '';
  }

  #codeDialog() {
    const dialog = document.createElement('dialog');
    dialog.className = 'code-dialog';
    dialog.dataset.testid = 'code-dialog';
    dialog.setAttribute('aria-label', 'Code');
    const bar = document.createElement('div');
    bar.className = 'code-bar';
    this.tabs = ['keras', 'pytorch'].map((f) => {
      const b = button(`code-tab-${f}`, f === 'keras' ? 'Keras 3' : 'PyTorch', 'btn btn-small tab',
        () => { this.framework = f; this.#renderCode(); });
      b.dataset.framework = f;
      return b;
    });
    const copy = button('code-copy', 'Copy', 'btn btn-small', async () => {
      this.state.textContent = (await copyText(this.pre.textContent)) ? 'Copied.' : 'Select the code and copy it.';
    });
    const save = button('code-download', 'Download .py', 'btn btn-small',
      () => download(this.#codeName(), this.pre.textContent, 'text/x-python'));
    const close = button('code-close', 'Close', 'btn btn-small', () => dialog.close());
    this.state = document.createElement('span');
    this.state.className = 'popover-note';
    this.state.setAttribute('role', 'status');
    this.which = document.createElement('span');
    this.which.className = 'popover-note';
    this.which.dataset.testid = 'code-run';
    bar.append(...this.tabs, copy, save, close, this.which, this.state);
    this.pre = document.createElement('pre');
    this.pre.className = 'code';
    this.pre.dataset.testid = 'code';
    this.pre.tabIndex = 0;
    dialog.append(bar, this.pre);
    document.body.append(dialog);
    return dialog;
  }
}

// The Export menu: the run's history as CSV and JSON, the data set as CSV, and the network
// with its initializers as Keras or PyTorch code (in a dialog: read, copy, download).
// Every chart has its own PNG button (views.js).
import { download } from './png.js';
import { kerasCode, pytorchCode } from './codegen.js';
import { copyText } from './share.js';

export class ExportMenu {
  /**
   * @param {HTMLElement} root  where the popover opens
   * @param {{ record(): RunRecord, schema, version: string, link(): string, step(): number }} source
   */
  constructor(root, source) {
    this.source = source;
    this.panel = document.createElement('div');
    this.panel.className = 'popover export-panel';
    this.panel.dataset.testid = 'export-panel';
    this.panel.setAttribute('role', 'dialog');
    this.panel.setAttribute('aria-label', 'Export');
    this.panel.hidden = true;
    const title = document.createElement('p');
    title.className = 'popover-title';
    title.textContent = 'Export this run';
    const list = document.createElement('div');
    list.className = 'export-list';
    const item = (testid, label, note, action) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn btn-small';
      b.dataset.testid = testid;
      b.textContent = label;
      b.addEventListener('click', () => { action(); });
      const p = document.createElement('span');
      p.textContent = note;
      list.append(b, p);
    };
    item('export-csv', 'History CSV', 'minibatch loss per step, whole-set loss and accuracy where evaluated', () => this.#save('csv'));
    item('export-json', 'Run JSON', 'config, history, evaluations, per-layer statistics and histograms', () => this.#save('json'));
    item('export-data', 'Data set CSV', 'the rows as the network sees them (the code below reads this file)', () => this.#save('data'));
    item('export-keras', 'Keras code', 'the network, its initializers, loss and optimizer', () => this.showCode('keras'));
    item('export-pytorch', 'PyTorch code', 'the same in PyTorch', () => this.showCode('pytorch'));
    const note = document.createElement('p');
    note.className = 'popover-note';
    note.textContent = 'Each chart has its own PNG button.';
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'btn btn-small';
    close.textContent = 'Close';
    close.addEventListener('click', () => this.close());
    const row = document.createElement('div');
    row.className = 'popover-row';
    row.append(close);
    this.panel.append(title, list, note, row);
    this.panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.close(); });
    root.append(this.panel);
    this.dialog = this.#codeDialog();
  }

  open() { this.panel.hidden = false; this.panel.querySelector('button')?.focus(); }
  close() { this.panel.hidden = true; }
  get isOpen() { return !this.panel.hidden; }

  #name(ext) {
    const r = this.source.record();
    return `initscope-${r.config?.data?.name ?? 'run'}-step${this.source.step()}.${ext}`;
  }

  #save(kind) {
    const r = this.source.record();
    if (kind === 'csv') download(this.#name('csv'), r.toCsv(), 'text/csv');
    if (kind === 'json') {
      download(this.#name('json'), r.toJson({ initscope: this.source.version, link: this.source.link() }), 'application/json');
    }
    if (kind === 'data') download(this.dataFile(), r.datasetCsv(), 'text/csv');
  }

  dataFile() {
    return `initscope-${this.source.record().config?.data?.name ?? 'data'}.csv`;
  }

  /** The code of the run in `framework` ('keras' or 'pytorch'). */
  code(framework) {
    const r = this.source.record();
    const input = {
      config: r.config, snapshot: r.snapshot, schema: this.source.schema, dataset: r.dataset,
      context: { title: 'initscope run', version: this.source.version, link: this.source.link(), dataFile: this.dataFile(), step: this.source.step() },
    };
    return framework === 'keras' ? kerasCode(input) : pytorchCode(input);
  }

  showCode(framework) {
    this.close();
    this.framework = framework;
    this.#renderCode();
    if (!this.dialog.open) this.dialog.showModal();
  }

  #renderCode() {
    for (const b of this.tabs) b.setAttribute('aria-pressed', String(b.dataset.framework === this.framework));
    this.pre.textContent = this.code(this.framework);
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
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn btn-small tab';
      b.dataset.framework = f;
      b.dataset.testid = `code-tab-${f}`;
      b.textContent = f === 'keras' ? 'Keras 3' : 'PyTorch';
      b.addEventListener('click', () => { this.framework = f; this.#renderCode(); });
      return b;
    });
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'btn btn-small';
    copy.textContent = 'Copy';
    copy.dataset.testid = 'code-copy';
    copy.addEventListener('click', async () => {
      this.state.textContent = (await copyText(this.pre.textContent)) ? 'Copied.' : 'Select the code and copy it.';
    });
    const save = document.createElement('button');
    save.type = 'button';
    save.className = 'btn btn-small';
    save.textContent = 'Download .py';
    save.dataset.testid = 'code-download';
    save.addEventListener('click', () => download(this.#name('py').replace('.py', `-${this.framework}.py`), this.pre.textContent, 'text/x-python'));
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'btn btn-small';
    close.textContent = 'Close';
    close.addEventListener('click', () => dialog.close());
    this.state = document.createElement('span');
    this.state.className = 'popover-note';
    this.state.setAttribute('role', 'status');
    bar.append(...this.tabs, copy, save, close, this.state);
    this.pre = document.createElement('pre');
    this.pre.className = 'code';
    this.pre.dataset.testid = 'code';
    this.pre.tabIndex = 0;
    dialog.append(bar, this.pre);
    document.body.append(dialog);
    return dialog;
  }
}

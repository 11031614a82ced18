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

// What a History CSV holds of the minibatch losses, from each run's RunRecord.lossCoverage().
function lossesKept(coverages) {
  const least = coverages.reduce((a, b) => (b.every < a.every ? b : a));
  if (least.later === 0) return 'every step';
  const n = (x) => x.toLocaleString('en-US');
  const thinned = '(the engine keeps every step\'s loss for its first 2,048 entries, then thins its history as a run grows)';
  if (least.every < 0) return `${n(least.later)} of the ${n(least.last + 1)} steps ${thinned}`;
  return `every step to step ${n(least.every)} and ${n(least.later)} of the ${n(least.last - least.every)} later steps ${thinned}`;
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
      exactPytorch: item('export-exact-pytorch', 'Exact PyTorch script', '', () => this.#saveExact('pytorch')),
      exactKeras: item('export-exact-keras', 'Exact Keras script', '', () => this.#saveExact('keras')),
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
    const kept = lossesKept(runs.map((r) => r.record.lossCoverage()));
    this.notes.csv.textContent = many
      ? `every run's minibatch loss at ${kept} and whole-set loss and accuracy where evaluated, one row per run and step (column run)`
      : `minibatch loss at ${kept}, whole-set loss and accuracy where evaluated`;
    this.notes.json.textContent = many
      ? 'every run with its config, history, evaluations, per-layer statistics and histograms (runs: [...])'
      : 'config, history, evaluations, per-layer statistics and histograms';
    this.notes.data.textContent = many
      ? `run ${edited.label}'s rows as its network sees them (the code below reads this file)`
      : 'the rows as the network sees them (the code below reads this file)';
    const exactSteps = this.#exactSteps();
    const replay = `replays ${many ? `run ${edited.label}'s` : 'this run\'s'} first ${exactSteps.toLocaleString('en-US')} steps from its initial weights, rows and minibatches, and prints each step's loss beside the lab's`;
    this.notes.exactPytorch.textContent = replay;
    this.notes.exactKeras.textContent = 'the same with Keras 3 (train_on_batch on the same rows)';
    this.notes.keras.textContent = many
      ? `run ${edited.label}'s network (the run the settings edit), its initializers, loss and optimizer`
      : 'the network, its initializers, loss and optimizer';
  }

  #name(ext) {
    const runs = this.source.runs();
    const what = runs.length > 1 ? `runs-${runs.map((r) => r.label).join('-')}` : runs[0].record.config?.data?.name ?? 'run';
    return `initscope-${what.replace(/[^\w.-]+/g, '_')}-step${this.source.step()}.${ext}`;
  }

  async #save(kind) {
    const runs = this.source.runs();
    const meta = () => ({ initscope: this.source.version, link: this.source.link() });
    if (kind === 'csv') download(this.#name('csv'), runs.length > 1 ? runsToCsv(runs) : runs[0].record.toCsv(), 'text/csv');
    if (kind === 'json') {
      // Every run carries its state, so that Import continues it bit for bit (when it fits the
      // engine's input limit); a comparison's Import takes the run being edited now.
      const exacts = await Promise.all(runs.map((r) => r.exact?.(0) ?? null));
      const states = exacts.map((exact, k) => ({
        ...(runs.length > 1 && runs[k].edited ? { edited: true } : {}),
        ...(exact?.state ? { state: exact.state } : exact ? { stateLeftOut: `the run's state is ${exact.stateBytes.toLocaleString('en-US')} bytes, over what an import reads` } : {}),
      }));
      const text = runs.length > 1 ? runsToJson(runs, meta(), states) : runs[0].record.toJson({ ...meta(), ...states[0] });
      download(this.#name('json'), text, 'application/json');
    }
    if (kind === 'data') download(this.dataFile(), this.#edited().record.datasetCsv(), 'text/csv');
  }

  // Steps an exact script replays: the run's own (at least 200), at most 2^20 minibatch rows.
  #exactSteps() {
    const r = this.#edited().record;
    const batch = Math.max(1, Math.min(r.config?.optimizer?.batch ?? 1, r.dataset?.train ?? 1));
    return Math.max(1, Math.min(Math.max(this.source.step(), 200), Math.floor(2 ** 20 / batch)));
  }

  async #saveExact(framework) {
    const edited = this.#edited();
    const exact = await edited.exact?.(this.#exactSteps());
    if (!exact?.input) return;
    const { pytorchScript, kerasScript } = await import('../../wasm/exactScript.mjs');
    const text = framework === 'keras' ? kerasScript(exact.input) : pytorchScript(exact.input);
    const data = (edited.record.config?.data?.name ?? 'run').replace(/[^\w.-]+/g, '_');
    download(`initscope-${data}-exact-${framework}.py`, text, 'text/x-python');
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

// The sweep view and a preset's sweeps, loaded the first time one is shown: their code
// (sweepView.js, presetSweeps.js, wasm/sweep.mjs, the heatmap) is a chunk of its own, which
// most visits never fetch. Each stands in for the class it loads, with the members the
// page uses while the chunk is on its way (a few milliseconds from the page's own origin;
// in the single-file build the chunk is inlined and nothing is fetched).

/** SweepView (sweepView.js), loaded by the first open(). */
export class LazySweepView {
  /** @param {HTMLElement} root @param {object} source  as SweepView's */
  constructor(root, source) {
    this.root = root;
    this.source = source;
    this.root.hidden = true;
    this.view = null;
    this.pending = null;  // the state asked for while the code loads
    this.loading = null;
  }

  get isOpen() { return this.view ? this.view.isOpen : this.pending !== null; }

  get state() { return this.view ? this.view.state : this.pending ?? undefined; }

  /** Opens the view with `state`; resolves once it is drawn. */
  open(state) {
    if (this.view) return Promise.resolve(this.view.open(state));
    this.pending = state;
    this.loading ??= import('./sweepView.js').then(({ SweepView }) => {
      this.view = new SweepView(this.root, this.source);
      const asked = this.pending;
      this.pending = null;
      if (asked !== null) this.view.open(asked);
    });
    return this.loading;
  }

  close() {
    this.pending = null;
    this.view?.close();
  }

  cancel() { this.view?.cancel(); }
}

/** PresetSweeps (presetSweeps.js): `element` is a placeholder until the code has loaded. */
export class LazyPresetSweeps {
  /** @param {object} preset @param {object} actions  as PresetSweeps' */
  constructor(preset, actions) {
    this.real = null;
    this.destroyed = false;
    this.placeholder = document.createElement('div');
    this.placeholder.className = 'preset-sweeps';
    this.placeholder.setAttribute('aria-busy', 'true');
    this.loaded = import('./presetSweeps.js').then(({ PresetSweeps }) => {
      if (this.destroyed) return;
      this.real = new PresetSweeps(preset, actions);
      this.placeholder.replaceWith(this.real.element);
    });
  }

  get element() { return this.real?.element ?? this.placeholder; }

  get records() { return this.real?.records ?? {}; }

  cancel() { this.real?.cancel(); }

  destroy() {
    this.destroyed = true;
    this.real?.destroy();
  }
}

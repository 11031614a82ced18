// A popover, dialog or panel whose code loads the first time it opens (Export, Import, a
// preset's panel): most visits never open them, so their modules are chunks of their own,
// fetched from the page's own origin in a few milliseconds (inlined in the single-file
// build). `load` makes the panel (a dynamic import, then its constructor); until it has,
// the panel is closed.

export class LazyPanel {
  /** @param {() => Promise<{ open(...args): void, close(): void, isOpen: boolean }>} load */
  constructor(load) {
    this.load = load;
    this.panel = null;
    this.loading = null;
  }

  get isOpen() { return this.panel?.isOpen ?? false; }

  /** The panel, made on the first call. */
  ready() {
    this.loading ??= this.load().then((panel) => { this.panel = panel; return panel; });
    return this.loading;
  }

  /** Opens the panel once it is made; resolves then. */
  open(...args) { return this.ready().then((panel) => panel.open(...args)); }

  close() { this.panel?.close(); }

  /** Calls the panel's method `name` once it is made. */
  call(name, ...args) { return this.ready().then((panel) => panel[name](...args)); }

  /** Calls `name` as call() does if the panel is made or being made; else nothing (nothing to hide or update). */
  callIfMade(name, ...args) { return this.loading?.then((panel) => panel[name](...args)); }
}

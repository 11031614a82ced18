// The page's side of the training worker: sends commands, numbers each run (generation)
// so that frames of a run the page has left are dropped, and resolves one pending
// 'advance' at a time.
import { createWorker } from './workerFactory.js';

// Generations count across every session of the page: a session started again for a run
// that was closed and reopened never reuses the number of a run whose frames may still be
// waiting to be drawn.
let lastGen = 0;

export class Session {
  /**
   * @param {{ onSchema(schema, version), onFrame(frame), onError(message, field), onFatal(message) }} handlers
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.gen = 0;
    this.pending = null;  // { id, resolve } of the advance in flight
    this.requests = 0;
    this.described = new Map();  // describeData's answers, by id
    this.exacts = new Map();  // request → resolve, of exact() calls in flight
    this.worker = createWorker();
    this.worker.onmessage = (event) => this.#receive(event.data);
    this.worker.onerror = (event) => handlers.onFatal(event.message || 'the worker failed to start');
  }

  /** Ends the worker (a comparison's run that is no longer shown); its frames are dropped from now on. */
  terminate() {
    this.gen = -1;
    this.#settle(null);
    this.worker.terminate();
  }

  /** Whether `frame` belongs to this session's current run (not a run it has left). */
  isCurrent(frame) {
    return frame.gen === this.gen;
  }

  #receive(message) {
    switch (message.type) {
      case 'schema':
        this.handlers.onSchema(message.schema, message.version);
        return;
      case 'fatal':
        this.#settle(null);
        this.handlers.onFatal(message.message);
        return;
      case 'error':
        if (message.gen !== this.gen) return;
        this.#settle(null);
        this.handlers.onError(message.message, message.field);
        return;
      case 'described':
        this.described.get(message.id)?.(message);
        this.described.delete(message.id);
      case 'exact':
        this.exacts.get(message.request)?.(message.gen === this.gen ? message : null);
        this.exacts.delete(message.request);
        return;
      case 'frame':
        if (message.gen !== this.gen) return;
        this.handlers.onFrame(message);
        // Only the frame of the advance in flight answers it (not one of an advance it replaced).
        if (message.request !== undefined && message.request === this.pending?.id) this.#settle(message);
        return;
      default:
        throw new Error(`session: unknown message ${message.type}`);
    }
  }

  #settle(frame) {
    const pending = this.pending;
    this.pending = null;
    if (pending) pending.resolve(frame);
  }

  /**
   * A new run from `config` (a preset's run: { row, label, title }, row its preset; state: a Run JSON's
   * run state to continue from); older frames are dropped from now on.
   */
  create(config, preset = null, state = null) {
    this.gen = ++lastGen;
    this.#settle(null);
    this.worker.postMessage({ type: 'create', gen: this.gen, config, preset, state });
  }

  /**
   * What the exact scripts and a Run JSON need of the run (wasm/exactScript.mjs): resolves
   * with { input: exactInput(run, { steps }), state: run.exportState() or null when it is
   * too big for an import, stateBytes }, or null when the run was replaced meanwhile.
   */
  exact(steps) {
    const request = ++this.requests;
    return new Promise((resolve) => {
      this.exacts.set(request, resolve);
      this.worker.postMessage({ type: 'exact', gen: this.gen, request, steps });
    });
  }

  /** What `data` builds (lab.describeData), without a run: → { data } or { error: { message, field } }. */
  describeData(data) {
    const id = ++this.requests;
    return new Promise((resolve) => {
      this.described.set(id, resolve);
      this.worker.postMessage({ type: 'describeData', id, data });
    });
  }

  /** Back to the same initial weights. */
  reset() {
    this.#settle(null);
    this.worker.postMessage({ type: 'reset', gen: this.gen });
  }

  /**
   * Trains up to `steps` steps within about `budgetMs` (exactly `steps` when exact);
   * resolves with the frame, or null when the run was replaced meanwhile.
   */
  advance(steps, { budgetMs = 12, exact = false, quick = false } = {}) {
    this.#settle(null);
    const id = ++this.requests;
    return new Promise((resolve) => {
      this.pending = { id, resolve };
      this.worker.postMessage({ type: 'advance', gen: this.gen, request: id, steps, budgetMs, exact, quick });
    });
  }
}

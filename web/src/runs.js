// The runs the page shows: one RunSlot (runSlot.js) and one worker session each, their
// views (one run: the lab's cards; more: the comparison layout, runs side by side with an
// overlaid loss), stepping them (lockstep.js), and their frames drawn once per animation
// frame. A frame of a run the page has left (an older generation, or a session since
// closed) is dropped before any chart sees it. The comparison layout (compare.js, with its
// overlaid loss chart) is a chunk of its own, loaded the first time runs are compared;
// until it is made, the frames wait in the queue.
import { Session } from './session.js';
import { RunSlot } from './runSlot.js';
import { advanceRuns } from './lockstep.js';
import { Views } from './views.js';

let compareModule = null;
const loadCompare = () => import('./compare.js').then((module) => (compareModule = module));

export class Runs {
  /**
   * @param {HTMLElement} cards  where the views go
   * @param {{ onSchema(schema, version), onError(k, message, field), onFatal(message),
   *   drawn(k, frame, slot), afterFrames(frames: [k, frame][]), still(): boolean }} handlers
   *   drawn: after run k's frame is in its slot and its views; afterFrames: after the frames
   *   of one animation frame; still: whether the charts draw frames as settled (not playing)
   */
  constructor(cards, handlers) {
    this.cards = cards;
    this.handlers = handlers;
    this.sessions = [];      // one worker per run shown; the first also brings the schema
    this.slots = [];
    this.views = null;       // one run: its cards
    this.layout = null;      // runs compared
    this.shown = null;       // the list show() was last given (a comparison layout still loading is made for it only)
    this.queue = [];         // frames waiting for the next animation frame: [k, frame, the session it came from]
    this.drawScheduled = false;
    this.whenLaidOut = [];   // calls waiting for the comparison layout (whenCompared)
    this.speed = { steps: 0, ms: 0 };  // what run A's engine trained since it was built
  }

  get single() { return this.slots.length === 1; }

  /** Whether the engine has built every run. */
  get built() { return this.slots.every((s) => s.hasRun); }

  /** Run k's worker, started the first time. */
  session(k) {
    if (!this.sessions[k]) {
      const { onSchema, onError, onFatal } = this.handlers;
      this.sessions[k] = new Session({
        // The views name each layer's kind as Keras does (schema.layerKinds).
        onSchema: k === 0 ? (schema, ...rest) => { this.layerKinds = schema.layerKinds; onSchema(schema, ...rest); } : () => {},
        onFrame: (frame) => {
          this.queue.push([k, frame, this.sessions[k]]);
          this.#scheduleDraw();
        },
        onError: (message, field) => onError(k, message, field),
        onFatal,
      });
    }
    return this.sessions[k];
  }

  /**
   * The runs to show: [{ label, title?, config, base?, preset? }], each with a worker of its
   * own; `cards`: the cards of each column when runs are compared.
   */
  show(list, { cards } = {}) {
    for (let k = list.length; k < this.sessions.length; k++) {
      this.sessions[k]?.terminate();
    }
    this.sessions.length = Math.max(1, list.length);
    this.slots = list.map((run, k) => new RunSlot(run, this.session(k)));
    this.views?.destroy();
    this.layout?.destroy();
    this.layout = null;
    this.views = null;
    this.cards.replaceChildren();
    this.shown = list;
    this.whenLaidOut = [];
    if (list.length === 1) {
      this.views = new Views(this.cards, { layerKinds: this.layerKinds });
      return;
    }
    const compare = () => { this.layout = new compareModule.CompareLayout(this.cards, list, { cards, layerKinds: this.layerKinds }); };
    if (compareModule) {
      compare();
      return;
    }
    loadCompare().then(() => {
      if (this.shown !== list) return;
      compare();
      this.#scheduleDraw();
      for (const call of this.whenLaidOut.splice(0)) call(this.layout);
    });
  }

  /** Calls `call(layout)` with the comparison layout now, or once it is made. */
  whenCompared(call) {
    if (this.layout) call(this.layout);
    else this.whenLaidOut.push(call);
  }

  /** Builds every run again from its config. */
  create() {
    this.speed = { steps: 0, ms: 0 };
    for (const slot of this.slots) slot.create();
  }

  /** Views of run k. */
  viewsOf(k) {
    return this.single ? this.views : this.layout.views(k);
  }

  /** Whether run k has a place for its verdict (its column, when runs are compared). */
  hasVerdict(k) {
    return this.single || Boolean(this.layout?.columns[k]);
  }

  /** One frame of training (lockstep.js), never past `stopAt` (0: none). */
  advance(steps, options, stopAt) {
    return advanceRuns(this.slots, steps, { ...options, stopAt });
  }

  #scheduleDraw() {
    if (this.drawScheduled) return;
    this.drawScheduled = true;
    requestAnimationFrame(() => this.#drawQueued());
  }

  #drawQueued() {
    this.drawScheduled = false;
    if (!this.views && !this.layout) return;  // the comparison layout is loading: the frames wait for it
    const frames = this.queue.splice(0).filter(([k, frame, session]) =>
      this.slots[k]?.session === session && session.isCurrent(frame));
    for (const [k, frame] of frames) this.#draw(k, frame);
    this.layout?.loss.redraw();
    if (frames.length) this.handlers.afterFrames(frames);
  }

  #draw(k, frame) {
    const slot = this.slots[k];
    if (!slot) return;
    const views = this.viewsOf(k);
    slot.take(frame);
    if (frame.reason === 'init') {
      if (frame.config) views.newRun(frame); else views.restart(frame);
      if (k === 0) this.speed = { steps: 0, ms: 0 };
    } else {
      views.draw(frame, this.handlers.still());
      if (k === 0) {
        this.speed.steps += frame.stepsTaken ?? 0;
        this.speed.ms += frame.stepMs ?? 0;
      }
    }
    if (this.layout) {
      if (frame.reason === 'init') this.layout.loss.clear(k);
      this.layout.loss.update(k, frame);
    }
    this.handlers.drawn(k, frame, slot);
  }
}

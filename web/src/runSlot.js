// One run the page shows: its config, its worker session, its record of frames and where
// it stands. Every field is declared here; main.js keeps one RunSlot per run shown.
import { RunRecord } from './record.js';

export class RunSlot {
  /**
   * @param {{ label: string, title?: string, config: object, base?: object, preset?: object }} run
   *   base: the config a preset's run starts from (the URL writes the changes from it);
   *   preset: { row, label, title } of a preset's run (row: its preset, for the worker)
   * @param {import('./session.js').Session} session  the run's worker
   */
  constructor({ label, title, config, base, preset }, session) {
    this.label = label;
    this.title = title;
    this.config = config;
    this.base = base;
    this.preset = preset;
    this.session = session;
    this.record = new RunRecord();
    this.hasRun = false;      // the engine built the run (its first frame came)
    this.diverged = false;
    this.step = 0;
    this.msPerStep = null;    // the run's pace in lockstep (lockstep.js); null: not timed yet
    this.snapshotMs = 0;      // what its last frame's snapshot cost (lockstep.js sizes frames by it)
    this.settled = false;     // its last frame is a run at rest (frame.settled)
    this.presetRecord = null; // a preset's run: its record in the preset's format
    this.importState = null;  // an imported Run JSON's run state: the next create continues it, once
    this.initFrame = null;    // the frame of its initial snapshot (the verdict judges against it)
    this.lastFrame = null;
    this.verdictAt = -Infinity; // when its verdict was last shown (performance.now())
  }

  /** Builds the run again from its config: nothing of the run before counts. */
  create() {
    Object.assign(this, { hasRun: false, diverged: false, step: 0, msPerStep: null, snapshotMs: 0, settled: false, presetRecord: null });
    this.session.create(this.config, this.preset ?? null, this.importState);
    this.importState = null;
  }

  /** Takes a frame of this run into its record and its state. */
  take(frame) {
    if (frame.reason === 'init') {
      if (frame.config) {
        this.initFrame = frame;
        this.record.reset(frame.config, frame.dataset);
      } else {
        this.record.restart();
      }
      this.hasRun = true;
    }
    this.record.add(frame);
    this.diverged = Boolean(frame.diverged);
    this.step = frame.step;
    this.settled = frame.settled;
    this.lastFrame = frame;
  }
}

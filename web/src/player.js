// Play / pause / step, after TensorFlow Playground's Player: every play() takes a new
// token and pause() retires it, so a loop still waiting on the worker sees a stale token
// and stops. No timer or pending frame can outlive a pause or a new run.
//
// Playing goes at a pace (pace.js): each animation frame asks for the steps due since the
// last one (none on most frames at a few steps a second), or at 'max' for as many as fit
// in the time budget. How the steps are cut into calls never changes the numbers: the
// engine's run.step(n) is n single steps.
import { Pacer, DEFAULT_PACE } from './pace.js';

const MAX_STEPS_PER_FRAME = 5000;

export class Player {
  /**
   * @param {{ advance(steps, options): Promise<object|null>, onState(playing: boolean) }} options
   *   advance: asks the worker for steps and resolves with the frame (null if superseded);
   *   the frame says { taken, diverged, stop }.
   */
  constructor({ advance, onState }) {
    this.advanceRun = advance;
    this.onState = onState;
    this.token = 0;
    this.playing = false;
    this.stopped = false;  // true after a divergence: play() does nothing until a new run
    this.pace = DEFAULT_PACE;
    this.pacer = null;     // while playing at a pace
  }

  get isPlaying() { return this.playing; }

  /**
   * Plays at the player's pace, or at `pace` ('max' for a long job); `budgetMs`: training
   * time per frame at most (longer: fewer, bigger frames).
   */
  play({ budgetMs = 12, pace } = {}) {
    if (this.playing || this.stopped) return;
    this.budgetMs = budgetMs;
    this.playing = true;
    this.jobPace = pace !== undefined;
    this.#usePace(pace ?? this.pace);
    const token = ++this.token;
    this.onState(true);
    this.#loop(token);
  }

  /** The pace from now on (a playing loop takes it at its next frame, unless it runs a job at 'max'). */
  setPace(pace) {
    this.pace = pace;
    if (this.playing && !this.jobPace) this.#usePace(pace);
  }

  #usePace(pace) {
    this.pacer = pace === 'max' ? null : new Pacer(pace);
    this.pacer?.restart(performance.now());
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.pacer = null;
    this.token += 1;
    this.onState(false);
    // One settled frame: whole-set evaluation and every picture at the step we stopped on.
    if (!this.stopped) this.advanceRun(0, { exact: true });
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  /** `n` optimizer steps (default one) in one go, then a settled frame; pauses first. */
  async step(n = 1) {
    this.pause();
    if (this.stopped) return null;
    const frame = await this.advanceRun(n, { exact: true });
    this.#check(frame);
    return frame;
  }

  /** A new run started: whatever was playing stops, and play() works again. */
  newRun() {
    this.pause();
    this.stopped = false;
  }

  async #loop(token) {
    while (token === this.token) {
      const pacer = this.pacer;
      const due = pacer ? Math.min(pacer.due(performance.now()), MAX_STEPS_PER_FRAME) : MAX_STEPS_PER_FRAME;
      if (due > 0) {
        const frame = await this.advanceRun(due, { budgetMs: this.budgetMs });
        if (token !== this.token) return;
        if (!frame) { this.pause(); return; }
        if (pacer) pacer.paid(frame.taken ?? due);
        if (this.#check(frame)) return;
      }
      // Wait for the display: the page draws this frame in the same animation frame.
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  // A diverged run stops for good; a frame that says stop (a target step reached) pauses.
  // Returns true then.
  #check(frame) {
    if (frame && frame.stop) {
      this.pause();
      return true;
    }
    if (frame && frame.diverged) {
      this.stopped = true;
      this.pause();
      this.onState(false);
      return true;
    }
    return false;
  }
}

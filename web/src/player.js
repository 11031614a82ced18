// Play / pause / step, after TensorFlow Playground's Player: every play() takes a new
// token and pause() retires it, so a loop still waiting on the worker sees a stale token
// and stops. No timer or pending frame can outlive a pause or a new run.

const MAX_STEPS_PER_FRAME = 5000;

export class Player {
  /**
   * @param {{ advance(steps, options): Promise<object|null>, onState(playing: boolean) }} options
   *   advance: asks the worker for steps and resolves with the frame (null if superseded).
   */
  constructor({ advance, onState }) {
    this.advanceRun = advance;
    this.onState = onState;
    this.token = 0;
    this.playing = false;
    this.stopped = false;  // true after a divergence: play() does nothing until a new run
  }

  get isPlaying() { return this.playing; }

  /** Plays; `budgetMs`: training time per frame (longer: fewer, bigger frames). */
  play({ budgetMs = 12 } = {}) {
    if (this.playing || this.stopped) return;
    this.budgetMs = budgetMs;
    this.playing = true;
    const token = ++this.token;
    this.onState(true);
    this.#loop(token);
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
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
      const frame = await this.advanceRun(MAX_STEPS_PER_FRAME, { budgetMs: this.budgetMs });
      if (token !== this.token) return;
      if (!frame) { this.pause(); return; }
      if (this.#check(frame)) return;
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

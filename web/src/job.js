// A long operation the page starts: a link's step= jump, a preset's run (training to a
// step), a sweep. Each works in slices (training: a time budget per call to the training
// worker, which reads its messages between calls; a sweep: a cell per sweep worker),
// reports what it has done after each slice, and stops at the next one once cancelled
// (its AbortSignal aborts). Whoever starts a job owns it; a ProgressLine
// (progressLine.js) shows it with a Cancel button.

export class Job {
  /**
   * @param {{ total: number, done?: number }} work  what the job must reach (steps, cells)
   *   and where it starts (a jump from step 0, cells from 0)
   */
  constructor({ total, done = 0 }) {
    this.total = total;
    this.first = done;
    this.done = done;
    this.state = 'running';  // then 'done', 'cancelled' or 'failed'
    this.controller = new AbortController();
    this.startedAt = performance.now();
    this.watchers = new Set();
  }

  get signal() { return this.controller.signal; }

  get running() { return this.state === 'running'; }

  /** Work done so far, after a slice. */
  progress(done) {
    if (!this.running) return;
    this.done = done;
    this.#notify();
  }

  /** Work per second since the job started (0 until a slice has done some). */
  rate() {
    const seconds = (performance.now() - this.startedAt) / 1000;
    return seconds > 0 ? (this.done - this.first) / seconds : 0;
  }

  /** Seconds left at the rate so far, or null before there is a rate. */
  secondsLeft() {
    const rate = this.rate();
    return rate > 0 ? (this.total - this.done) / rate : null;
  }

  /** Stops the job at its next slice; a job that has ended stays as it ended. */
  cancel() {
    if (!this.running) return;
    this.state = 'cancelled';
    this.controller.abort();
    this.#notify();
  }

  /** The job ended by itself: 'done' (it reached its total or its own end) or 'failed'. */
  finish(state = 'done') {
    if (!this.running) return;
    this.state = state;
    this.#notify();
  }

  /** Calls `fn(job)` after every change; returns the function that stops watching. */
  watch(fn) {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  #notify() {
    for (const fn of [...this.watchers]) fn(this);
  }
}

/** "about 2 h 5 min", "about 40 s": a duration as a person reads it. */
export function aboutDuration(seconds) {
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

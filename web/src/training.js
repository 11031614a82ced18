// The lab's training job: every run trained to a step (a link's step=, a preset's Run) in
// slices, on the job line (jobLine.js), until it ends: at the target, at a divergence, or
// cancelled. A link's job shows from the first moment and waits while the engine loads and
// builds the runs; a preset's starts at once. main.js says when a job begins, starts and
// ends; the player (player.js) does the training, stopping at stopAt.
import { Job } from './job.js';
import { JobLine } from './jobLine.js';

export class Training {
  /**
   * @param {HTMLElement} parent  where the job line goes
   * @param {{ onCancel(), waitingFor(): string }} handlers  onCancel: the job's Cancel was
   *   pressed; waitingFor: what a job that has not started waits for
   */
  constructor(parent, { onCancel, waitingFor }) {
    this.line = new JobLine(parent);
    this.onCancel = onCancel;
    this.waitingFor = waitingFor;
    this.job = null;       // a Job, with started (training) and reached (got where it goes)
  }

  /** The step the runs train to while a job trains (0: none). */
  get stopAt() {
    return this.job?.started ? this.job.total : 0;
  }

  /** The job, while it waits for its runs. */
  get waiting() {
    return this.job && !this.job.started ? this.job : null;
  }

  /** A job to `target` under `label`, from step `done`; the job before must have ended. */
  begin(target, label, done) {
    const job = new Job({ total: target, done });
    job.started = false;
    job.reached = false;
    this.job = job;
    job.signal.addEventListener('abort', () => {
      if (this.job === job) this.onCancel();
    });
    this.line.show(job, label, this.waitingFor);
    return job;
  }

  /** The runs exist (at `step`): the job trains from now on. */
  start(step) {
    this.job.started = true;
    this.job.startedAt = performance.now();
    this.job.progress(step);
  }

  /** The runs are at `step`, as far as the job goes. */
  progress(step) {
    if (this.job?.started) this.job.progress(step);
  }

  /** The runs got where the job goes (its step, or every run diverged). */
  reached() {
    if (this.job) this.job.reached = true;
  }

  /** Ends the job, if any: done if it got where it was going, else cancelled. Whether one ended. */
  end() {
    const job = this.job;
    if (!job) return false;
    this.job = null;
    if (job.reached) job.finish(); else job.cancel();
    this.line.hide();
    return true;
  }

  /** Takes the waiting job aside while the runs are built again (see keep). */
  setAside() {
    const job = this.waiting;
    if (job) this.job = null;
    return job;
  }

  /** The job set aside goes on if it still goes to `target`; else it is cancelled. Whether it goes on. */
  keep(job, target) {
    if (job?.running && job.total === target) {
      this.job = job;
      job.progress(job.done);  // its line says what it waits for now
      return true;
    }
    if (job) {
      job.cancel();
      this.line.hide();
    }
    return false;
  }
}

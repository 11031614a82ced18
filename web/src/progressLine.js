// A long job on screen (job.js): a Cancel button, a progress bar and a status line that
// follow the job after every slice, until it ends. The sweep view, the preset's sweeps and
// the lab's training to a step (a link's step=, a preset's run) each show theirs with one.
import { button } from './dom.js';

export class ProgressLine {
  /** @param {string} name  the parts' testids: `${name}-cancel`, `${name}-progress`, `${name}-status` */
  constructor(name) {
    this.job = null;
    this.unwatch = null;
    this.cancelButton = button(`${name}-cancel`, 'Cancel', 'btn', () => this.job?.cancel());
    this.cancelButton.disabled = true;
    this.progress = document.createElement('progress');
    this.progress.dataset.testid = `${name}-progress`;
    this.progress.max = 1;
    this.progress.value = 0;
    this.status = document.createElement('span');
    this.status.className = 'sweep-status';
    this.status.dataset.testid = `${name}-status`;
    this.status.setAttribute('role', 'status');
    /** The elements, for the owner to place: Cancel, the bar, the status. */
    this.parts = [this.cancelButton, this.progress, this.status];
  }

  /** Follows `job` until it ends; `describe(job)` is the status text after each change. */
  show(job, describe) {
    this.release();
    this.job = job;
    this.describe = describe;
    this.unwatch = job.watch(() => this.#render());
    this.#render();
  }

  /** The status line's text while no job runs (what a run would do, why it cannot). */
  set text(text) {
    this.status.textContent = text;
  }

  /** Stops following the job (it goes on; its owner cancels it). */
  release() {
    this.unwatch?.();
    this.unwatch = null;
  }

  #render() {
    const job = this.job;
    this.progress.max = Math.max(1, job.total - job.first);
    this.progress.value = Math.max(0, job.done - job.first);
    this.status.textContent = this.describe(job);
    this.cancelButton.disabled = !job.running;
    if (!job.running) this.release();
  }
}

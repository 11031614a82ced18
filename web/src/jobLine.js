// The training job's line, a row of the status bar (which stays in view): what the job
// trains to, its progress bar, the steps done, the pace, the time left, Cancel. The job
// (job.js) is a link's step= or a preset's Run; main.js owns it.
import { ProgressLine } from './progressLine.js';
import { aboutDuration } from './job.js';

const count = (n) => n.toLocaleString('en-US');

/** The label of a link's job. */
export const linkJobLabel = (step) => `Opening the link at step ${count(step)}`;

/** The label of a preset's Run. */
export const presetJobLabel = (steps) => `Running the preset to step ${count(steps)}`;

export class JobLine {
  /** @param {HTMLElement} parent  where the line goes (hidden until a job shows) */
  constructor(parent) {
    this.box = document.createElement('div');
    this.box.className = 'job-line';
    this.box.dataset.testid = 'job';
    this.box.hidden = true;
    this.label = document.createElement('strong');
    this.label.className = 'job-label';
    this.label.dataset.testid = 'job-label';
    this.line = new ProgressLine('job');
    const { progress, status, cancelButton } = this.line;
    this.box.append(this.label, progress, status, cancelButton);
    parent.append(this.box);
  }

  /**
   * Follows `job` under `label`; `waitingFor()` says what a job that has not started waits
   * for ('loading the engine', 'building the runs').
   */
  show(job, label, waitingFor) {
    this.label.textContent = label;
    this.box.hidden = false;
    this.line.show(job, (j) => describe(j, waitingFor));
  }

  hide() {
    this.line.release();
    this.box.hidden = true;
  }
}

function describe(job, waitingFor) {
  const at = `step ${count(job.done)} of ${count(job.total)}`;
  if (!job.started) return `${at} · ${waitingFor()}…`;
  const rate = job.rate();
  const left = aboutDuration(job.secondsLeft());
  return at + (rate > 0 ? ` · ${count(Math.round(rate))} steps/s` : '') + (left ? ` · ${left} left` : '');
}

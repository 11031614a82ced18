// The page's words about its runs: the status (the step; the engine's speed in its
// tooltip), the verdict and the error line. Live regions speak when the run settles, not
// at every frame while it plays: the verdict and the status are quiet while playing.

export class StatusBar {
  /** @param {{ status: HTMLElement, verdict: HTMLElement, error: HTMLElement }} els */
  constructor({ status, verdict, error }) {
    this.statusEl = status;
    this.verdictEl = verdict;
    this.errorEl = error;
  }

  set status(text) {
    this.statusEl.textContent = text;
  }

  /**
   * The step alone (its width reserved, so that the run bar never moves); the engine's
   * speed, what pace max reaches, in its tooltip. speed: { steps, ms } trained so far.
   */
  showStep(step, speed) {
    this.status = `Step ${step.toLocaleString('en-US')}`;
    this.statusEl.title = speed.ms > 0 ? `the engine trains ${Math.round((1000 * speed.steps) / speed.ms).toLocaleString('en-US')} steps/s here` : '';
  }

  /** The verdict of one run (verdict.js), or what the runs compared are. */
  setVerdict({ severity, kind, text }) {
    this.verdictEl.textContent = text;
    this.verdictEl.dataset.severity = severity;
    this.verdictEl.dataset.kind = kind;
  }

  /** The error line; '' hides it. */
  showError(text) {
    this.errorEl.textContent = text;
    this.errorEl.hidden = !text;
  }

  quietWhilePlaying(playing) {
    for (const el of [this.verdictEl, this.statusEl]) el.setAttribute('aria-live', playing ? 'off' : 'polite');
  }
}

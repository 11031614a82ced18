// "Copy link": the page's URL with every setting (seed included) and, if the run has
// trained, the step it is at, so the link opens on the same numbers. The link is shown in
// a field as well as copied, for browsers that refuse the clipboard. A click outside or
// Escape closes it (popover.js).
import { LightDismiss } from './popover.js';
import { button, popoverPanel } from './dom.js';

/** Copies text to the clipboard; false when the browser refuses. */
export async function copyText(text, fallbackInput) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!fallbackInput) return false;
    fallbackInput.select();
    try { return document.execCommand('copy'); } catch { return false; }
  }
}

export class SharePanel {
  /**
   * @param {HTMLElement} root     where the panel opens
   * @param {{ link({ atStep: boolean }): string, step(): number }} source
   */
  constructor(root, source) {
    this.source = source;
    this.panel = popoverPanel('share', 'Link to this run');

    const title = document.createElement('p');
    title.className = 'popover-title';
    title.textContent = 'Link to this run';
    this.atStep = document.createElement('input');
    this.atStep.type = 'checkbox';
    this.atStep.checked = true;
    this.atStep.dataset.testid = 'share-at-step';
    this.atStepLabel = document.createElement('label');
    this.atStepLabel.className = 'toggle';
    this.atStepText = document.createElement('span');
    this.atStepLabel.append(this.atStep, this.atStepText);
    this.atStep.addEventListener('change', () => this.#refresh(true));
    this.field = document.createElement('input');
    this.field.type = 'text';
    this.field.readOnly = true;
    this.field.className = 'share-link';
    this.field.dataset.testid = 'share-link';
    this.field.setAttribute('aria-label', 'Link');
    this.field.addEventListener('focus', () => this.field.select());
    this.state = document.createElement('p');
    this.state.className = 'popover-note';
    this.state.setAttribute('role', 'status');
    this.state.dataset.testid = 'share-state';
    const row = document.createElement('div');
    row.className = 'popover-row';
    row.append(button('share-again', 'Copy again', 'btn btn-small', () => this.#refresh(true)),
      button('share-close', 'Close', 'btn btn-small', () => this.close()));
    this.panel.append(title, this.atStepLabel, this.field, this.state, row);
    root.append(this.panel);
    this.dismiss = new LightDismiss(this.panel, () => this.close());
  }

  /** Opens the panel and copies the link. */
  open() {
    this.panel.hidden = false;
    this.dismiss.opened();
    this.#refresh(true);
  }

  close() {
    this.panel.hidden = true;
    this.dismiss.closed();
  }

  get isOpen() { return !this.panel.hidden; }

  async #refresh(copy) {
    const step = this.source.step();
    this.atStepLabel.hidden = !(step > 0);
    this.atStepText.textContent = ` open at step ${step.toLocaleString('en-US')} (trains there on opening)`;
    const link = this.source.link({ atStep: step > 0 && this.atStep.checked });
    this.field.value = link;
    if (!copy) return;
    const ok = await copyText(link, this.field);
    this.state.textContent = ok ? 'Copied to the clipboard.' : 'Select the link and copy it (the browser did not allow copying).';
    this.panel.dataset.copied = String(ok);
  }
}

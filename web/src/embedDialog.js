// The "Embed" dialog: the snippet a course author pastes (embedSnippet.js: the iframe and
// the few lines that size it), for the parts shown and the step, with a live preview of it. The
// page loads it on its first open (lazyPanel.js).
import { copyText } from './share.js';
import { lightDismissDialog } from './popover.js';
import { button, dialogFrame } from './dom.js';
import { PARTS, HEIGHT_MESSAGE } from './embed.js';
import { snippet } from './embedSnippet.js';

// The preview reloads this long after the last change of the options (a new lab each time).
const PREVIEW_DELAY_MS = 300;

export class EmbedDialog {
  /**
   * @param {{ src({ hide: string[], atStep: boolean, maxHeight: number }): string, step(): number,
   *   maxHeightKey: { read(text: string): number | undefined, allowed: string } }} source
   *   src: the embed URL of the current state (embed=1, hide=… and maxHeight=… included);
   *   maxHeightKey: the URL key's row (url.js PAGE_KEYS), which says what a maximum height may be
   */
  constructor(source) {
    this.source = source;
    const { dialog, title, intro } = dialogFrame('embed', 'Embed this run in a course page',
      'Paste the snippet into the page\'s HTML. The iframe opens these settings in a compact layout and grows to fit its content.');
    const fieldset = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = 'Show';
    fieldset.append(legend);
    this.boxes = PARTS.map((part) => {
      const label = document.createElement('label');
      label.className = 'toggle';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = true;
      box.value = part.name;
      box.dataset.testid = `embed-show-${part.name}`;
      box.addEventListener('change', () => this.#refresh());
      label.append(box, ` ${part.label}`);
      fieldset.append(label);
      return box;
    });
    this.atStepLabel = document.createElement('label');
    this.atStepLabel.className = 'toggle';
    this.atStep = document.createElement('input');
    this.atStep.type = 'checkbox';
    this.atStep.dataset.testid = 'embed-at-step';
    this.atStep.addEventListener('change', () => this.#refresh());
    this.atStepText = document.createElement('span');
    this.atStepLabel.append(this.atStep, this.atStepText);
    const most = this.#maxHeightField();
    this.code = document.createElement('textarea');
    this.code.readOnly = true;
    this.code.rows = 9;
    this.code.className = 'embed-code';
    this.code.dataset.testid = 'embed-code';
    this.code.setAttribute('aria-label', 'Snippet');
    this.code.addEventListener('focus', () => this.code.select());
    this.state = document.createElement('p');
    this.state.className = 'popover-note';
    this.state.setAttribute('role', 'status');
    const row = document.createElement('div');
    row.className = 'popover-row';
    const copy = button('embed-copy', 'Copy snippet', 'btn btn-small', async () => {
      this.state.textContent = (await copyText(this.code.value, this.code)) ? 'Copied.' : 'Select the snippet and copy it.';
    });
    row.append(copy, button('embed-close', 'Close', 'btn btn-small', () => dialog.close()));
    // The live preview: the snippet's iframe, in a box as wide as the dialog; made on
    // opening and dropped on closing (each is a lab with its own worker).
    const previewTitle = document.createElement('h3');
    previewTitle.className = 'embed-preview-title';
    previewTitle.textContent = 'Preview';
    this.previewBox = document.createElement('div');
    this.previewBox.className = 'embed-preview';
    this.previewBox.dataset.testid = 'embed-preview';
    dialog.append(title, intro, fieldset, this.atStepLabel, most, this.code, this.state, row, previewTitle, this.previewBox);
    dialog.addEventListener('close', () => this.#dropPreview());
    document.body.append(dialog);
    this.dialog = dialog;
    this.dismiss = lightDismissDialog(dialog);
  }

  // "Maximum height": empty for an iframe as tall as its content.
  #maxHeightField() {
    const wrap = document.createElement('div');
    wrap.className = 'field embed-max-height';
    this.maxHeight = document.createElement('input');
    this.maxHeight.type = 'number';
    this.maxHeight.id = 'embed-max-height';
    this.maxHeight.dataset.testid = 'embed-max-height';
    this.maxHeight.inputMode = 'numeric';
    this.maxHeight.placeholder = 'as tall as its content';
    const label = document.createElement('label');
    label.htmlFor = this.maxHeight.id;
    label.textContent = 'Maximum height in pixels (the lab scrolls inside beyond it)';
    this.maxHeightError = document.createElement('small');
    this.maxHeightError.className = 'field-error';
    this.maxHeightError.id = 'embed-max-height-error';
    this.maxHeightError.dataset.testid = 'embed-max-height-error';
    this.maxHeight.addEventListener('input', () => this.#refresh());
    wrap.append(label, this.maxHeight, this.maxHeightError);
    return wrap;
  }

  /** The maximum height asked for (0: none), or null when the field's text is not one. */
  #chosenMaxHeight() {
    const text = this.maxHeight.value.trim();
    if (!text) return 0;
    return this.source.maxHeightKey.read(text) ?? null;
  }

  /** Opens the dialog with `hide` (the parts hidden now) unchecked and `maxHeight` (0: none). */
  open(hide = [], maxHeight = 0) {
    for (const box of this.boxes) box.checked = !hide.includes(box.value);
    this.maxHeight.value = maxHeight ? String(maxHeight) : '';
    const opener = document.activeElement;
    this.#refresh({ now: true });
    this.dialog.showModal();
    this.dismiss.opened(opener);
  }

  #refresh({ now = false } = {}) {
    const step = this.source.step();
    this.atStepLabel.hidden = !(step > 0);
    this.atStepText.textContent = ` open at step ${step.toLocaleString('en-US')}`;
    const hide = this.boxes.filter((b) => !b.checked).map((b) => b.value);
    const most = this.#chosenMaxHeight();
    const bad = most === null;
    this.maxHeight.setAttribute('aria-invalid', String(bad));
    if (bad) this.maxHeight.setAttribute('aria-describedby', this.maxHeightError.id);
    else this.maxHeight.removeAttribute('aria-describedby');
    this.maxHeightError.textContent = bad ? `"${this.maxHeight.value}" is not a height: allowed is ${this.source.maxHeightKey.allowed}, or empty.` : '';
    const src = this.source.src({ hide, atStep: step > 0 && this.atStep.checked, maxHeight: bad ? 0 : most });
    this.code.value = snippet(src, bad ? 0 : most);
    this.state.textContent = '';
    clearTimeout(this.previewTimer);
    if (now) this.#preview(src);
    else this.previewTimer = setTimeout(() => this.#preview(src), PREVIEW_DELAY_MS);
  }

  // The snippet's iframe, sized as the snippet's script sizes it (its height messages).
  #preview(src) {
    if (!this.frame) {
      this.frame = document.createElement('iframe');
      this.frame.title = 'Preview of the embedded lab';
      this.frame.dataset.testid = 'embed-preview-frame';
      this.onHeight = (e) => {
        if (e.source === this.frame?.contentWindow && e.data?.type === HEIGHT_MESSAGE) {
          this.frame.style.height = `${e.data.height}px`;
        }
      };
      window.addEventListener('message', this.onHeight);
      this.previewBox.replaceChildren(this.frame);
    }
    if (this.frame.dataset.src !== src) {
      this.frame.dataset.src = src;
      this.frame.src = src;
    }
  }

  #dropPreview() {
    clearTimeout(this.previewTimer);
    if (!this.frame) return;
    window.removeEventListener('message', this.onHeight);
    this.frame.remove();
    this.frame = null;
  }
}

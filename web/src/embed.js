// Embed mode (?embed=1): the compact layout for an iframe in a course page (two charts a
// row from 700 px, Import left out), without the parts named in hide=…, telling the parent
// page its height so that the iframe fits (message { type: 'initscope:height', height }),
// at most maxHeight=… pixels (beyond it the lab scrolls inside its iframe). And the "Embed"
// dialog that writes the snippet a course author pastes (the iframe and the few lines that
// size it) with a live preview of it.
import { copyText } from './share.js';
import { lightDismissDialog } from './popover.js';
import { button, dialogFrame } from './dom.js';

/** The parts `hide` can name, and what they are. */
export const PARTS = [
  { name: 'controls', label: 'Settings', selector: '#settings' },
  { name: 'toolbar', label: 'Run buttons', selector: '#toolbar' },
  { name: 'status', label: 'Step counter', selector: '#status' },
  { name: 'verdict', label: 'Verdict line', selector: '#verdict' },
  { name: 'preset', label: 'Experiments menu and preset card', selector: '#preset, #preset-menu' },
  { name: 'share', label: 'Copy link and Export', selector: '#share' },
  { name: 'loss', label: 'Loss and accuracy', selector: '[data-testid="view-loss"]' },
  { name: 'data', label: 'Decision boundary / predictions', selector: '[data-testid="view-data"]' },
  { name: 'signal', label: 'Signal propagation', selector: '[data-testid="view-signal"]' },
  { name: 'health', label: 'Unit health', selector: '[data-testid="view-health"]' },
  { name: 'activations', label: 'Activations per layer', selector: '[data-testid="view-activations"]' },
  { name: 'gradients', label: 'Gradients per layer', selector: '[data-testid="view-gradients"]' },
  { name: 'trace', label: 'Activation std over training', selector: '[data-testid="view-trace"]' },
  { name: 'summary', label: 'Model summary', selector: '[data-testid="view-summary"]' },
];

export const HEIGHT_MESSAGE = 'initscope:height';

/**
 * When the browser refused to start the lab's worker because the page has no origin of
 * its own (an iframe sandboxed without allow-same-origin: a worker's file can then never
 * be of the page's origin), shows the page's message that says what the embedding page
 * must allow (#blocked in index.html) instead of the lab.
 * @returns {boolean} whether that was why `error` happened
 */
export function explainBlockedFrame(error) {
  if (self.origin !== 'null' || error?.name !== 'SecurityError') return false;
  document.body.dataset.ready = 'blocked';
  for (const id of ['status', 'verdict']) document.getElementById(id).textContent = 'initscope cannot start in this frame.';
  if (window.parent !== window) postHeight();
  return true;
}

let hideSheet = null;
let maxHeight = 0;       // the tallest height posted (0: no limit)
let sendHeight = null;   // posts the height again (once postHeight has started)

/**
 * Applies the layout: embed mode on <body>, the hidden parts hidden (a style rule, so
 * that parts made later, such as the cards, are hidden too), the tallest height the
 * iframe is asked for (`maxHeight` px; 0 or absent: as tall as the content).
 * @returns {string[]} the names in `hide` that are not parts (for a notice)
 */
export function applyLayout({ embed = false, hide = [], maxHeight: most = 0 }) {
  document.body.dataset.embed = String(Boolean(embed));
  const unknown = hide.filter((h) => !PARTS.some((p) => p.name === h));
  // A constructed stylesheet, not a <style> element: the page's CSP (style-src 'self')
  // refuses inline style elements but not the CSSOM.
  hideSheet ??= new CSSStyleSheet();
  hideSheet.replaceSync(PARTS.filter((p) => hide.includes(p.name)).map((p) => `${p.selector} { display: none !important; }`).join('\n'));
  if (!document.adoptedStyleSheets.includes(hideSheet)) document.adoptedStyleSheets = [...document.adoptedStyleSheets, hideSheet];
  document.body.dataset.hide = hide.filter((h) => !unknown.includes(h)).join(',');
  maxHeight = embed && most > 0 ? most : 0;
  if (maxHeight) document.body.dataset.maxHeight = String(maxHeight);
  else delete document.body.dataset.maxHeight;
  sendHeight?.();
  return unknown;
}

/** In an iframe: posts the page's height (at most the layout's maxHeight) to the parent whenever it changes. */
export function postHeight() {
  if (window.parent === window) return;
  let last = -1;
  sendHeight = () => {
    const content = Math.ceil(document.body.getBoundingClientRect().height);
    const height = maxHeight ? Math.min(content, maxHeight) : content;
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, '*');
  };
  new ResizeObserver(sendHeight).observe(document.body);
  sendHeight();
}

/** The query of an embed URL: embed=1, the parts hidden, the tallest height (if any). */
export function embedQuery({ hide = [], maxHeight: most = 0 }) {
  return ['embed=1', ...(hide.length ? [`hide=${hide.join(',')}`] : []), ...(most ? [`maxHeight=${most}`] : [])].join('&');
}

/** The few lines a parent page needs so that every initscope iframe fits its content. */
export const RESIZE_SCRIPT = `<script>
  // initscope posts its height; size the iframe it came from.
  addEventListener("message", function (e) {
    if (!e.data || e.data.type !== "${HEIGHT_MESSAGE}") return;
    document.querySelectorAll("iframe").forEach(function (f) {
      if (f.contentWindow === e.source) f.style.height = e.data.height + "px";
    });
  });
</script>`;

// The iframe's height until the lab says how tall it is.
const FIRST_HEIGHT = 640;

/** The snippet: an iframe on `src` (at most `maxHeight` px tall, if given) and the resize script. */
export function snippet(src, maxHeight = 0) {
  const safe = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const height = maxHeight ? Math.min(FIRST_HEIGHT, maxHeight) : FIRST_HEIGHT;
  return `<iframe src="${safe}" title="initscope: a weight-initialization lab" loading="lazy"
  style="width: 100%; height: ${height}px; border: 0;"></iframe>
${RESIZE_SCRIPT}`;
}

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

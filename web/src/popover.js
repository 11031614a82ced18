// Popovers and dialogs close the way people expect: a click outside them or Escape closes
// them, and the focus goes back to the button that opened them (unless the click outside
// gave it to another control: that one keeps it).

const focusable = (el) => el && el !== document.body && el.isConnected;
const TAKES_FOCUS = 'a[href], button, input, select, textarea, summary, label, [tabindex], [contenteditable=""], [contenteditable="true"]';

/** A panel (a positioned element shown with `hidden`) that a click outside or Escape closes. */
export class LightDismiss {
  /**
   * @param {HTMLElement} panel
   * @param {() => void} close  the owner's close, which calls closed()
   */
  constructor(panel, close) {
    this.panel = panel;
    this.close = close;
    this.opener = null;
    this.listening = false;
    this.onPointer = (event) => {
      if (this.panel.contains(event.target) || this.opener?.contains(event.target)) return;
      // A click on something that takes no focus would leave it on the page itself: the
      // mouse press that follows is told not to move it, so it stays on the opener.
      if (event.pointerType === 'mouse' && !event.target.closest?.(TAKES_FOCUS)) {
        document.addEventListener('mousedown', (e) => e.preventDefault(), { capture: true, once: true });
      }
      this.close();
    };
    this.onKey = (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      this.close();
    };
  }

  /** The panel opened from `opener` (default: what has the focus now). */
  opened(opener = document.activeElement) {
    this.opener = focusable(opener) && !this.panel.contains(opener) ? opener : this.opener;
    if (this.listening) return;
    this.listening = true;
    document.addEventListener('pointerdown', this.onPointer, true);
    document.addEventListener('keydown', this.onKey, true);
  }

  /** The panel closed (by any means): the focus goes back to the opener. */
  closed() {
    if (!this.listening) return;
    this.listening = false;
    document.removeEventListener('pointerdown', this.onPointer, true);
    document.removeEventListener('keydown', this.onKey, true);
    giveBack(this.opener, this.panel);
  }
}

/**
 * A modal <dialog> (showModal) that a click on its backdrop closes too (Escape closes it
 * natively); on closing, the focus goes back to the opener. Call opened(opener) after
 * showModal.
 */
export function lightDismissDialog(dialog) {
  let opener = null;
  dialog.addEventListener('click', (event) => {
    if (event.target !== dialog) return;  // a click inside lands on the dialog's content
    const r = dialog.getBoundingClientRect();
    const inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
    if (inside) return;
    dialog.close();
    giveBack(opener, dialog);
  });
  dialog.addEventListener('close', () => giveBack(opener, dialog));
  return {
    opened(from = document.activeElement) {
      if (focusable(from) && !dialog.contains(from)) opener = from;
    },
  };
}

// Unless another control has taken the focus meanwhile.
function giveBack(opener, container) {
  if (!focusable(opener)) return;
  const now = document.activeElement;
  if (!now || now === document.body || container.contains(now)) opener.focus({ preventScroll: true });
}

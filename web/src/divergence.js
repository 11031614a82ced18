// What the page offers once a run diverged (the verdict names the step, the layer and the
// quantity, from the engine): "Reset" (back to the same initial weights, step 0) and
// "Lower the learning rate" (the run's rate ÷ 10, then a new run from the same seed). In a
// comparison there is one "lower" button per diverged run.
import { button } from './dom.js';

export const LR_FACTOR = 10;

/** The learning rate one "lower" click gives (÷ 10, written with the digits it needs). */
export const lowerLr = (lr) => Number((lr / LR_FACTOR).toPrecision(6));

export class DivergenceActions {
  /**
   * @param {HTMLElement} root  a group shown under the verdict
   * @param {{ onReset: () => void, onLower: (k: number) => void }} actions
   */
  constructor(root, { onReset, onLower }) {
    this.root = root;
    this.onReset = onReset;
    this.onLower = onLower;
    this.shownKey = '';
    this.root.hidden = true;
  }

  /** @param {{ label: string, lr: number, diverged: boolean }[]} runs  one per run shown */
  update(runs) {
    const diverged = runs.map((r, k) => ({ ...r, k })).filter((r) => r.diverged);
    const key = diverged.map((r) => `${r.label}:${r.lr}`).join(',');
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.root.hidden = diverged.length === 0;
    if (!diverged.length) { this.root.replaceChildren(); return; }
    const reset = button('diverged-reset', 'Reset', 'btn btn-small', () => this.onReset());
    reset.title = 'Back to the same initial weights, step 0';
    const lower = diverged.map((r) => {
      const which = runs.length > 1 ? ` of run ${r.label}` : '';
      const b = button(runs.length > 1 ? `diverged-lower-lr-${r.label}` : 'diverged-lower-lr',
        `Lower the learning rate${which} (${r.lr} → ${lowerLr(r.lr)})`, 'btn btn-small', () => this.onLower(r.k));
      b.title = `Divide the learning rate by ${LR_FACTOR} and start again from the same initial weights`;
      return b;
    });
    this.root.replaceChildren(reset, ...lower);
  }
}

// What the page offers once a run diverged (the verdict names the step, the layer and the
// quantity, from the engine): "Reset" (back to the same initial weights, step 0) and
// "Lower the learning rate" (the run's rate ÷ 10, then a new run from the same seed). In a
// comparison there is one "lower" button per diverged run.

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
    const reset = document.createElement('button');
    reset.type = 'button';
    reset.className = 'btn btn-small';
    reset.dataset.testid = 'diverged-reset';
    reset.textContent = 'Reset';
    reset.title = 'Back to the same initial weights, step 0';
    reset.addEventListener('click', () => this.onReset());
    const lower = diverged.map((r) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn btn-small';
      b.dataset.testid = runs.length > 1 ? `diverged-lower-lr-${r.label}` : 'diverged-lower-lr';
      const which = runs.length > 1 ? ` of run ${r.label}` : '';
      b.textContent = `Lower the learning rate${which} (${r.lr} → ${lowerLr(r.lr)})`;
      b.title = `Divide the learning rate by ${LR_FACTOR} and start again from the same initial weights`;
      b.addEventListener('click', () => this.onLower(r.k));
      return b;
    });
    this.root.replaceChildren(reset, ...lower);
  }
}

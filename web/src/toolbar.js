// The run buttons and their keyboard shortcuts:
//   Initialize (new draw: next weight seed), Step, Play/Pause, Reset (same initial
//   weights), Reseed (random seeds for the weights and the data).
//   Space or k: play/pause · s or →: step · r: reset · i: initialize.
// Shortcuts are ignored while typing in a field.

const BUTTONS = [
  { action: 'initialize', label: 'Initialize', key: 'i', title: 'Draw new initial weights (next seed) and start over' },
  { action: 'step', label: 'Step', key: 's', title: 'One optimizer step' },
  { action: 'play', label: 'Play', key: 'Space', title: 'Train continuously; press again to pause' },
  { action: 'reset', label: 'Reset', key: 'r', title: 'Back to the same initial weights, step 0' },
  { action: 'reseed', label: 'Reseed', key: '', title: 'New random seeds for the weights and the data' },
];

export class Toolbar {
  /** @param {HTMLElement} root  @param {(action: string) => void} onAction */
  constructor(root, onAction) {
    this.buttons = {};
    for (const b of BUTTONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `btn btn-${b.action}`;
      button.dataset.testid = `btn-${b.action}`;
      button.dataset.action = b.action;
      button.title = b.key ? `${b.title} (${b.key === 'Space' ? 'Space' : b.key.toUpperCase()})` : b.title;
      if (b.key) button.setAttribute('aria-keyshortcuts', b.key === 'Space' ? 'Space K' : b.key.toUpperCase());
      const text = document.createElement('span');
      text.textContent = b.label;
      button.append(text);
      button.addEventListener('click', () => onAction(b.action));
      root.append(button);
      this.buttons[b.action] = button;
    }
    this.buttons.play.setAttribute('aria-pressed', 'false');
    document.addEventListener('keydown', (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      const typing = target instanceof HTMLElement &&
        (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
      if (typing) return;
      const isButton = target instanceof HTMLElement && target.tagName === 'BUTTON';
      const action = {
        ' ': 'play', k: 'play', K: 'play', s: 'step', S: 'step', ArrowRight: 'step',
        r: 'reset', R: 'reset', i: 'initialize', I: 'initialize',
      }[event.key];
      if (!action) return;
      // Space on a focused button presses that button; leave it to the browser.
      if (event.key === ' ' && isButton) return;
      event.preventDefault();
      onAction(action);
    });
  }

  setPlaying(playing) {
    const b = this.buttons.play;
    b.firstChild.textContent = playing ? 'Pause' : 'Play';
    b.setAttribute('aria-pressed', String(playing));
    b.classList.toggle('playing', playing);
  }

  /** Disables what cannot run (no run yet, or a diverged one). */
  setEnabled({ canTrain, hasRun }) {
    this.buttons.play.disabled = !canTrain;
    this.buttons.step.disabled = !canTrain;
    this.buttons.reset.disabled = !hasRun;
  }
}

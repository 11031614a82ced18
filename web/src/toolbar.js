// The run buttons and their keyboard shortcuts:
//   Initialize (new draw: next weight seed), Step, Play/Pause, Reset (same initial
//   weights), Reseed (random seeds for the weights and the data).
//   Space or k: play/pause · s or →: step · r: reset · i: initialize.
// Shortcuts are ignored while typing in a field (the pace slider is no field: only its
// arrow keys are its own).
// Then the pace of Play (a slider on a log scale of steps per second, 'max' at the top;
// arrow keys move it a stop) and "until": the step where Play pauses (empty: none).
import { PACE_LADDER, paceIndex, paceAt, paceText } from './pace.js';

const BUTTONS = [
  { action: 'initialize', label: 'Initialize', key: 'i', title: 'Draw new initial weights (next seed) and start over' },
  { action: 'step', label: 'Step', key: 's', title: 'One optimizer step' },
  { action: 'play', label: 'Play', key: 'Space', title: 'Train continuously; press again to pause' },
  { action: 'reset', label: 'Reset', key: 'r', title: 'Back to the same initial weights, step 0' },
  { action: 'reseed', label: 'Reseed', key: '', title: 'New random seeds for the weights and the data' },
];

let ids = 0;

export class Toolbar {
  /**
   * @param {HTMLElement} root  @param {(action: string) => void} onAction
   * @param {{ onPace(pace), onUntil(step|null), maxStep: number }} pacing
   */
  constructor(root, onAction, { onPace, onUntil, maxStep }) {
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
    this.#buildPace(root, onPace);
    this.#buildUntil(root, onUntil, maxStep);
    document.addEventListener('keydown', (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      // The pace slider takes the arrow keys; the other shortcuts work on it (set the pace, then Space).
      const slider = target instanceof HTMLInputElement && target.type === 'range';
      if (slider && event.key.startsWith('Arrow')) return;
      const typing = !slider && target instanceof HTMLElement &&
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

  /** Shows `pace` (a number of steps per second, or 'max'). */
  setPace(pace) {
    this.pace.value = String(paceIndex(pace));
    this.paceShown = pace;
    this.#showPace();
  }

  /** Shows the step where Play pauses (null: none). */
  setUntil(step) {
    this.until.value = step ? String(step) : '';
    this.#markUntil(true);
  }

  #buildPace(root, onPace) {
    const input = labelledInput(root, { kind: 'pace', label: 'Pace', type: 'range', min: 0, max: PACE_LADDER.length });
    input.title = 'Steps per second while playing (a log scale; max: as fast as the engine goes)';
    const output = document.createElement('output');
    output.htmlFor = input.id;
    output.className = 'pace-value';
    output.dataset.testid = 'pace-value';
    output.setAttribute('aria-hidden', 'true');  // the slider's aria-valuetext says it
    input.addEventListener('input', () => {
      this.paceShown = paceAt(Number(input.value));
      this.#showPace();
      onPace(this.paceShown);
    });
    input.parentElement.append(output);
    this.pace = input;
    this.paceOutput = output;
  }

  #showPace() {
    const text = paceText(this.paceShown);
    this.pace.setAttribute('aria-valuetext', text);
    this.paceOutput.textContent = this.paceShown === 'max' ? 'max' : `${this.paceShown.toLocaleString('en-US')}/s`;
    this.paceOutput.title = text;
  }

  #buildUntil(root, onUntil, maxStep) {
    const input = labelledInput(root, { kind: 'until', label: 'until', type: 'number', min: 1, max: maxStep });
    input.inputMode = 'numeric';
    input.placeholder = 'step';
    input.title = `Play pauses at this step (empty: it plays on); an integer from 1 to ${maxStep.toLocaleString('en-US')}`;
    input.setAttribute('aria-label', 'Play until step');
    input.addEventListener('change', () => {
      const text = input.value.trim();
      const step = Number(text);
      const ok = !input.validity.badInput && (text === '' || (/^\d+$/.test(text) && step >= 1 && step <= maxStep));
      this.#markUntil(ok);
      if (ok) onUntil(text === '' ? null : step);
    });
    this.until = input;
  }

  #markUntil(ok) {
    this.until.setAttribute('aria-invalid', String(!ok));
  }

  /** Disables what cannot run (no run yet, or a diverged one). */
  setEnabled({ canTrain, hasRun }) {
    this.buttons.play.disabled = !canTrain;
    this.buttons.step.disabled = !canTrain;
    this.buttons.reset.disabled = !hasRun;
  }
}

// A labelled input of the toolbar in its own box (class and test id `kind`), appended to `root`.
function labelledInput(root, { kind, label, type, min, max }) {
  const id = `${kind}-${++ids}`;
  const box = document.createElement('div');
  box.className = kind;
  const text = document.createElement('label');
  text.htmlFor = id;
  text.textContent = label;
  const input = document.createElement('input');
  input.type = type;
  input.id = id;
  input.min = String(min);
  input.max = String(max);
  input.step = '1';
  input.dataset.testid = kind;
  box.append(text, input);
  root.append(box);
  return input;
}

// The lab's side of a lesson: a lab in an iframe tells the page around it what its runs
// are and where they stand, so that the lesson can check its claims on the learner's own
// run (lessons/page.js). One message per drawn batch of frames once a run has settled
// (created, paused, stepped, diverged), and at most a few a second while it plays:
//
//   { type: 'initscope:runs', step, link, runs: [{ label, step, settled, diverged,
//     layers: [{ fanIn, fanOut, activation, init, initStd }], init, final }] }
//
// init and final are checkpoints as wasm/presetRunner.mjs's recordCheckpoint makes them (the
// preset checks' format: whole-set loss and accuracy, per-layer moments of z, a, ∂L/∂z,
// saturated, dead, distinct units), of step 0 and of the last settled frame; `link` is
// the full lab with the run's current settings. Nothing is computed here that the frame
// does not carry.
import { recordCheckpoint } from '../../../wasm/presetRunner.mjs';

export const RUNS_MESSAGE = 'initscope:runs';
const PLAYING_EVERY_MS = 250;

const records = new Map();  // run index → its record, for the run of that generation
let lastPost = 0;

/** A checkpoint of the frame's snapshot and evaluation (the run's config tells whether it has a test set). */
function checkpointOf(frame, config) {
  return recordCheckpoint({ evaluate: () => frame.evaluation, snapshot: () => frame.snapshot, config });
}

/**
 * After the page has drawn `frames` ([k, frame]) of `slots` (main.js's runs): posts the
 * runs to the parent page, if there is one. `link()`: the full lab's URL of these runs.
 */
export function reportRuns(frames, slots, link) {
  if (window.parent === window) return;
  let settledNow = false;
  for (const [k, frame] of frames) {
    const slot = slots[k];
    if (!slot) continue;
    const { settled } = frame;
    let record = records.get(k);
    if (frame.reason === 'init' && frame.evaluation) {
      const cp = checkpointOf(frame, slot.config);
      record = {
        label: slot.label,
        layers: frame.snapshot.layers.map((l) => ({ fanIn: l.fanIn, fanOut: l.fanOut, activation: l.activation, init: l.init, initStd: l.initStd })),
        init: cp, final: cp,
      };
      records.set(k, record);
    } else if (!record) {
      continue;
    } else if (settled && frame.evaluation) {
      record.final = checkpointOf(frame, slot.config);
    }
    Object.assign(record, { step: frame.step, settled, diverged: frame.diverged ?? null });
    settledNow ||= settled;
  }
  for (const k of records.keys()) if (k >= slots.length) records.delete(k);
  const now = performance.now();
  if (!settledNow && now - lastPost < PLAYING_EVERY_MS) return;
  lastPost = now;
  const runs = slots.map((_, k) => records.get(k)).filter(Boolean);
  window.parent.postMessage({ type: RUNS_MESSAGE, step: Math.max(0, ...runs.map((r) => r.step)), link: link(), runs }, '*');
}

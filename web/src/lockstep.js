// One frame of training for the runs shown, never past a stop step. One run: its worker
// takes as many steps as fit in the time budget. Runs side by side go in lockstep: every
// live run takes the same number of steps (as many as the slowest fits in the budget; one
// while a run's pace is not known yet) and their frames come back together. Where a frame's
// snapshot costs more than the budget (a deep network), the frame trains for twice that, so
// that training keeps about two thirds of the time instead of stalling behind the pictures.

/**
 * @param {import('./runSlot.js').RunSlot[]} slots
 * @param {number} steps  the steps the player asks for (0: a settled frame where the runs are)
 * @param {{ budgetMs?: number, exact?: boolean, stopAt?: number }} options  stopAt: 0 for none
 * @returns {Promise<null | { stop: boolean, diverged?: boolean, taken?: number, reached: boolean }>}
 *   null when the runs were replaced meanwhile; reached: the stop step is reached or every
 *   run diverged (a training job has got where it goes)
 */
export async function advanceRuns(slots, steps, { budgetMs = 12, exact = false, stopAt = 0 } = {}) {
  const live = slots.filter((s) => s.hasRun && !s.diverged);
  if (!live.length) return null;
  const at = Math.max(...live.map((s) => s.step));
  if (stopAt && at >= stopAt && steps > 0) return { stop: true, reached: true };
  let n = stopAt && steps > 0 ? Math.min(steps, stopAt - at) : steps;
  const budget = Math.max(budgetMs, 2 * Math.max(...live.map((s) => s.snapshotMs)));
  let frames;
  if (slots.length === 1) {
    frames = [await live[0].session.advance(n, { budgetMs: budget, exact })];
  } else {
    if (!exact && n > 0) {
      const paces = live.map((s) => s.msPerStep);
      n = paces.includes(null) ? 1 : Math.max(1, Math.min(n, Math.floor(budget / Math.max(...paces))));
    }
    frames = await Promise.all(live.map((s) => s.session.advance(n, { exact: true, quick: !exact })));
    if (frames.some((f) => !f)) return null;
    live.forEach((s, i) => {
      const f = frames[i];
      if (f.stepsTaken > 0) s.msPerStep = s.msPerStep === null ? f.stepMs / f.stepsTaken : 0.7 * s.msPerStep + 0.3 * (f.stepMs / f.stepsTaken);
    });
  }
  if (!frames[0]) return null;
  live.forEach((s, i) => { s.snapshotMs = frames[i].snapshotMs ?? 0; });
  const diverged = frames.every((f) => f.diverged);
  const stop = Boolean(stopAt) && frames.every((f) => f.diverged || f.step >= stopAt);
  return { diverged, stop, taken: frames[0].stepsTaken ?? n, reached: stop || diverged };
}

// Play's pace and where it pauses: the pace (steps per second, or 'max': pace.js), the
// until step (a Play from below it pauses there; from at or past it, plays on) and the step
// the Play under way pauses at. The toolbar shows them; the player plays at the pace.
import { DEFAULT_PACE } from './pace.js';

export class PlayLimits {
  /**
   * @param {import('./player.js').Player} player
   * @param {import('./toolbar.js').Toolbar} toolbar
   */
  constructor(player, toolbar) {
    this.player = player;
    this.toolbar = toolbar;
    this.pace = DEFAULT_PACE;
    this.until = 0;  // 0: Play plays on
    this.stop = 0;   // the step this Play pauses at; 0: none
  }

  /** Shows and uses a pace and an until step (a link's, a preset's defaults). */
  apply(pace, until) {
    this.setPace(pace);
    this.until = until;
    this.toolbar.setUntil(until);
  }

  setPace(pace) {
    this.pace = pace;
    this.player.setPace(pace);
    this.toolbar.setPace(pace);
  }

  /** A new until step; `playingAt`: the step a Play under way is at (it pauses there now), else null. */
  setUntil(step, playingAt) {
    this.until = step ?? 0;
    this.toolbar.setUntil(this.until);
    if (playingAt !== null) this.played(playingAt);
  }

  /** A Play starts (or goes on) at `step`. */
  played(step) {
    this.stop = this.until > step ? this.until : 0;
  }

  paused() {
    this.stop = 0;
  }
}

// The pace of training: optimizer steps per second while playing, from 1 to the engine's
// full speed ('max'). The speed control moves along a ladder of 1-2-5 steps (a log scale);
// a link may give any whole number in range. No DOM here (the preset table's tests read it).

/** The control's stops; 'max' (as fast as the engine goes) comes after the last. */
export const PACE_LADDER = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];
export const PACE_MIN = PACE_LADDER[0];
export const PACE_TOP = PACE_LADDER[PACE_LADDER.length - 1];
/** The pace of the lab's own network (no preset): slow enough to watch its loss fall and flatten. */
export const DEFAULT_PACE = 1000;
export const PACE_ALLOWED = `max, or an integer from ${PACE_MIN} to ${PACE_TOP} (steps per second)`;

/** A pace from its text (a link's pace=): 'max' or an integer in range; undefined if neither. */
export function readPace(text) {
  if (text === 'max') return 'max';
  if (!/^\d{1,6}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= PACE_MIN && n <= PACE_TOP ? n : undefined;
}

/** Whether `pace` is one a preset or the page may use. */
export const isPace = (pace) => pace === 'max' || (Number.isInteger(pace) && pace >= PACE_MIN && pace <= PACE_TOP);

/** The control's position of a pace: its stop on the ladder (the nearest on a log scale), 'max' last. */
export function paceIndex(pace) {
  if (pace === 'max') return PACE_LADDER.length;
  let best = 0;
  PACE_LADDER.forEach((p, i) => {
    if (Math.abs(Math.log(p / pace)) < Math.abs(Math.log(PACE_LADDER[best] / pace))) best = i;
  });
  return best;
}

export const paceAt = (index) => (index >= PACE_LADDER.length ? 'max' : PACE_LADDER[index]);

/** "1,000 steps/s", "max". */
export const paceText = (pace) => (pace === 'max' ? 'max' : `${pace.toLocaleString('en-US')} steps/s`);

// Up to this pace every step shows: a frame takes one step at most, and a late frame (a
// slow draw, a busy worker) slows the pace for a moment instead of jumping. Faster paces
// keep their rate, several steps a frame.
const SINGLE_STEP_PACE = 30;

/**
 * The steps that are due at a pace, frame after frame: time since the last call times the
 * pace, fractions carried over (at 2 steps/s one step comes every 30 frames or so). A debt
 * the engine could not pay (a pace above its speed, a hidden tab) is not carried: at most
 * a quarter second of steps is ever owed, or two steps at slow paces (one would cut off the
 * fraction carried toward the next step, and pace 2 would make 1.8 steps a second).
 */
export class Pacer {
  constructor(pace) {
    this.pace = pace;
    this.owed = 0;
    this.last = null;
  }

  /** Starts counting from now (play pressed, the pace changed). */
  restart(now) {
    this.owed = 0;
    this.last = now;
  }

  /** Whole steps due at `now`; the caller pays them with paid(). */
  due(now) {
    if (this.last === null) this.last = now;
    this.owed = Math.min(this.owed + (this.pace * (now - this.last)) / 1000, Math.max(2, this.pace / 4));
    this.last = now;
    return this.pace <= SINGLE_STEP_PACE ? Math.min(1, Math.floor(this.owed)) : Math.floor(this.owed);
  }

  /** `steps` were taken. */
  paid(steps) {
    this.owed = Math.max(0, this.owed - steps);
  }
}

// The lab page's mode: what the page is waiting for. One field, and every move between
// modes is a row of TRANSITIONS below; a move the table does not allow is a bug in the
// page, reported loudly (thrown in development, a console error in a build).
//
// Playing is not a mode: the player (player.js) plays, pauses and steps the runs in
// `idle`, and a training job (a link's step=, a preset's Run) plays them at full pace.

/** Each mode, what it means, and the modes it may move to. */
export const MODES = {
  loading: 'the engine loads (a link\'s step= job is shown already)',
  fromUrl: 'the URL\'s runs are built: a refused setting falls back to its default, with a notice, and the runs are built again',
  importing: 'an imported config\'s runs are built: if the engine refuses it, the runs go back to what they were',
  creating: 'runs are built after any other change (the controls, a preset, compare, initialize, reseed)',
  jumping: 'a link\'s step= job trains the runs to its step; the page is ready once it has ended and its last frames are in',
  training: 'a preset\'s Run trains the runs to the preset\'s steps',
  idle: 'the runs are built and nothing is pending: the learner plays, steps, changes settings',
  refused: 'the engine refused a run\'s config: the error is shown until the next change',
  failed: 'the engine could not run (its worker failed)',
};

// Every change that builds runs (creating, importing, fromUrl) may come from any mode the
// learner can act in; the rows differ in how a mode ends.
const BUILD = ['creating', 'importing', 'fromUrl', 'failed'];

export const TRANSITIONS = {
  loading: ['fromUrl', 'failed'],
  fromUrl: [...BUILD, 'jumping', 'idle', 'refused'],
  importing: [...BUILD, 'idle'],            // refused: back to the runs before, built again (creating)
  creating: [...BUILD, 'idle', 'refused'],
  jumping: [...BUILD, 'idle', 'training', 'refused'],
  training: [...BUILD, 'idle', 'refused'],
  idle: [...BUILD, 'training', 'refused'],
  refused: [...BUILD, 'refused'],
  failed: [...BUILD, 'training', 'refused'],  // a worker may fail with the runs built
};

export class PageMode {
  /**
   * @param {{ strict?: boolean, onChange?(mode: string, from: string) }} [options]
   *   strict: an illegal move throws (development); else it is logged and made anyway, so
   *   that the page stays usable
   */
  constructor({ strict = true, onChange = () => {} } = {}) {
    this.strict = strict;
    this.onChange = onChange;
    this.name = 'loading';
    this.data = null;   // what the mode carries: fromUrl { params, given, drop }, importing { configs }
  }

  /** Whether the page is in one of `names`. */
  is(...names) {
    return names.includes(this.name);
  }

  /** Moves to `name` carrying `data`; a move TRANSITIONS does not list is refused loudly. */
  to(name, data = null) {
    const from = this.name;
    if (!TRANSITIONS[name]) throw new Error(`page mode: unknown mode '${name}'`);
    if (!TRANSITIONS[from].includes(name)) {
      const message = `page mode: ${from} → ${name} is not allowed (from ${from}: ${TRANSITIONS[from].join(', ')})`;
      if (this.strict) throw new Error(message);
      console.error(message);
    }
    this.name = name;
    this.data = data;
    this.onChange(name, from);
  }
}

// The learner's own data: a CSV pasted, uploaded or (for course pages) named by the link
// (csv=/data/my.csv, same origin), or points drawn onto the plane (drawData.js). The engine
// checks every text (lab.describeData, in the worker) before a run sees it: a refused CSV
// shows the engine's message, naming the row and the column, and changes nothing else.
// Drawn points of up to MAX_POINTS_IN_LINK go into the link (pts=); more, or a CSV, do not
// (a CSV from csv= stays named by its URL): the exports keep them all. The panel starts
// closed and most visits never open it: its form and drawing plane (dataForm.js) are a
// chunk of their own, made when it first opens or a link's csv= or pts= needs them.
import './dataPanel.css';
import { withDataset } from './state.js';
import { customClasses, rememberClasses, PLANE_EXTENT, pointsCsv, pointsText } from './customData.js';

// "Small enough" for a link: 300 points are 1,500 characters of pts=.
export const MAX_POINTS_IN_LINK = 300;

const text = (tag, className, content) => {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (content) el.textContent = content;
  return el;
};

export class DataPanel {
  /**
   * @param {HTMLElement} slot  where the panel goes (the Data section's slot)
   * @param {{ schema: object, describe(data): Promise<{ data?, error? }>, apply(config): void, config(): object }} handlers
   *   describe: lab.describeData in the worker; apply: a new config for the run being edited
   */
  constructor(slot, { schema, describe, apply, config }) {
    this.schema = schema;
    this.describe = describe;
    this.apply = apply;
    this.config = config;
    this.source = null;   // where the custom data in use came from: { kind: 'csv'|'file'|'url'|'drawn', url? }
    const row = schema.datasets.datasets.find((d) => d.name === 'custom');
    this.limits = Object.fromEntries(row.limits.map((l) => [l.name, l.max]));
    this.maxBytes = schema.config.inputBytes.max;

    this.details = text('details', 'data-own');
    this.details.dataset.testid = 'data-own';
    const summary = text('summary', '', 'Your own data: a CSV or points you draw');
    // The line saying what is in use (the form goes around it: dataForm.js).
    this.summary = text('p', 'hint data-summary');
    this.summary.dataset.testid = 'data-summary';
    this.summary.setAttribute('aria-live', 'polite');
    this.details.append(summary, this.summary);
    slot.append(this.details);
    this.form = null;        // the DataForm, once made (#formReady)
    this.formLoad = null;
    this.details.addEventListener('toggle', () => { if (this.details.open) this.#formReady().then((form) => form.drawing.draw()); });
  }

  /** The form, made on the first call (its module loads then). */
  #formReady() {
    this.formLoad ??= import('./dataForm.js').then(({ DataForm }) => (this.form = new DataForm(this)));
    return this.formLoad;
  }

  /** Shows what data the run being edited uses. */
  render(config) {
    const data = config.data;
    if (data?.name !== 'custom') {
      this.summary.textContent = '';
      return;
    }
    if (typeof data.csv !== 'string') {
      this.details.open = true;
      this.summary.textContent = 'Paste, upload or draw data to use the custom set.';
      return;
    }
    const classes = customClasses(data);
    // A custom config that did not come through this panel (an import, a link's drawing):
    // the engine's class count, so that a new loss gets the output units it needs.
    if (classes === undefined) {
      this.describe(data).then((answer) => {
        if (answer.data) rememberClasses(data.csv, answer.data.numClasses);
      });
    }
    const rows = data.csv.split('\n').filter((l) => l.trim()).length;
    const from = { drawn: 'drawn points', url: `the CSV at ${this.source?.url}`, file: 'the file uploaded', csv: 'the CSV pasted' }[this.source?.kind] ?? 'a CSV';
    this.summary.textContent = `In use: ${from} (${rows.toLocaleString('en-US')} lines${classes ? `, ${classes} classes` : ''}).`;
  }

  /**
   * The link's data keys for run A's config: pts= (drawn points) rebuilds the drawn set,
   * csv= fetches a same-origin CSV (then applied as if pasted). A custom set with neither
   * (a CSV pasted into the lab that made the link) goes back to the default data, with a
   * notice. → { config, notices }
   */
  fromUrl(keys, config, defaults) {
    const notices = [];
    if (keys.csv) {
      this.#formReady().then((form) => form.fromLink(keys.csv, keys.csvlabel));
      // Until the CSV has come (and the engine has read it), the default data.
      if (config.data?.name === 'custom') config = withDataset(config, this.schema, defaults.data.name);
    } else if (keys.pts && new Set(keys.pts.map((p) => p.c)).size < 2) {
      // As the panel refuses such a drawing, so does the link: it never reaches a run.
      notices.push({ key: 'pts', value: `${keys.pts.length} point${keys.pts.length === 1 ? '' : 's'}`, reason: 'the drawing holds one class; a data set needs points of at least two', fallback: config.data?.name === 'custom' ? defaults.data.name : config.data?.name });
      if (config.data?.name === 'custom') config = withDataset(config, this.schema, defaults.data.name);
    } else if (keys.pts) {
      this.#formReady().then((form) => form.setPoints(keys.pts));
      this.source = { kind: 'drawn' };
      // The drawing's data, over the link's own custom keys (seed, normalize) if it has any.
      const kept = config.data?.name === 'custom' ? config.data : {};
      config = { ...config, data: { ...kept, ...this.drawnData(keys.pts) } };
    } else if (config.data?.name === 'custom' && typeof config.data.csv !== 'string') {
      notices.push({ key: 'data', value: 'custom', reason: 'a pasted or uploaded CSV is not kept in a link (only drawn points, or a course page\'s csv=); import the config or Run JSON that holds it', fallback: defaults.data.name });
      config = withDataset(config, this.schema, defaults.data.name);
    }
    return { config, notices };
  }

  /** The link's data keys for run A's config: { pts?, csv? } (see fromUrl). */
  urlKeys(config) {
    if (config.data?.name !== 'custom') return {};
    if (this.source?.kind === 'url') return { csv: this.source.url, ...(config.data.label !== undefined ? { csvlabel: String(config.data.label) } : {}) };
    if (this.source?.kind === 'drawn' && this.drawn?.csv === config.data.csv && this.drawn.points.length <= MAX_POINTS_IN_LINK) {
      return { pts: pointsText(this.drawn.points) };
    }
    return {};
  }

  /** The data of drawn points (kept for the link's pts=). */
  drawnData(points) {
    const csv = pointsCsv(points);
    this.drawn = { csv, points: points.slice() };
    rememberClasses(csv, new Set(points.map((p) => p.c)).size);
    return { name: 'custom', csv, testFraction: 0, extent: PLANE_EXTENT };
  }
}

// The learner's own data: a CSV pasted, uploaded or (for course pages) named by the link
// (csv=/data/my.csv, same origin), or points drawn onto the plane (drawData.js). The engine
// checks every text (lab.describeData, in the worker) before a run sees it: a refused CSV
// shows the engine's message, naming the row and the column, and changes nothing else.
// Drawn points of up to MAX_POINTS_IN_LINK go into the link (pts=); more, or a CSV, do not
// (a CSV from csv= stays named by its URL): the exports keep them all. The drawing plane
// (drawData.js) is a chunk of its own, made the first time the panel opens or a link's
// pts= gives it points: the panel starts closed, and most visits never open it.
import './dataPanel.css';
import { withDataset } from './state.js';
import { customClasses, rememberClasses, withCustomData, PLANE_EXTENT, pointsCsv, pointsText } from './customData.js';

// "Small enough" for a link: 300 points are 1,500 characters of pts=.
export const MAX_POINTS_IN_LINK = 300;
// What a drawing may hold: a link's worth and more, still a quick set to train on.
const MAX_POINTS = 2000;
const SAME_ORIGIN = 'a path on this site, e.g. /data/my.csv';

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
    const intro = text('p', 'hint',
      `Numeric feature columns and a class column (the last unless you name it), comma- or semicolon-separated, ` +
      `a header row or not; up to ${this.limits.rows.toLocaleString('en-US')} rows, ${this.limits.features} features, ` +
      `2 to ${this.limits.classes} classes. Errors name the row and the column as a spreadsheet counts them (the header is row 1).`);

    this.csv = text('textarea', 'data-csv');
    this.csv.id = 'data-csv';
    this.csv.rows = 5;
    this.csv.spellcheck = false;
    this.csv.dataset.testid = 'data-csv';
    this.csv.placeholder = 'sepal length;sepal width;species\n5,1;3,5;setosa\n…';
    const csvLabel = text('label', '', 'CSV text');
    csvLabel.htmlFor = 'data-csv';

    this.label = text('input', 'data-label');
    this.label.id = 'data-label';
    this.label.dataset.testid = 'data-label';
    this.label.placeholder = 'last column';
    const labelLabel = text('label', '', 'class column (header name or number)');
    labelLabel.htmlFor = 'data-label';

    this.file = text('input');
    this.file.type = 'file';
    this.file.id = 'data-file';
    this.file.accept = '.csv,.txt,text/csv,text/plain';
    this.file.dataset.testid = 'data-file';
    this.file.addEventListener('change', () => this.#upload());
    const fileLabel = text('label', '', 'or upload a file');
    fileLabel.htmlFor = 'data-file';

    const use = text('button', 'btn', 'Use this CSV');
    use.type = 'button';
    use.dataset.testid = 'data-use';
    use.addEventListener('click', () => this.#useCsv('csv'));

    this.error = text('p', 'field-error data-error');
    this.error.dataset.testid = 'data-error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.summary = text('p', 'hint data-summary');
    this.summary.dataset.testid = 'data-summary';
    this.summary.setAttribute('aria-live', 'polite');

    const grid = text('div', 'field-grid');
    const labelBox = text('div', 'field');
    labelBox.append(labelLabel, this.label);
    const fileBox = text('div', 'field');
    fileBox.append(fileLabel, this.file);
    grid.append(labelBox, fileBox);

    const drawTitle = text('h4', 'data-draw-title', 'Draw a 2-D set');
    const drawHelp = text('p', 'hint',
      'Click or tap the plane to place a point of the chosen class; click a point to remove it. ' +
      'Keyboard: focus the plane, move the cursor with the arrow keys (Shift: faster), Space or Enter places a point, ' +
      'C switches the class (or type its number), Delete removes the point under the cursor or the last one.');
    drawHelp.id = 'draw-help';
    this.drawBox = text('div', 'draw-box');
    this.drawing = null;         // the DrawData, once made (#drawingReady)
    this.drawingLoad = null;
    const drawUse = text('button', 'btn', 'Train on these points');
    drawUse.type = 'button';
    drawUse.dataset.testid = 'draw-use';
    drawUse.addEventListener('click', () => this.#useDrawing());
    const drawClear = text('button', 'btn btn-quiet', 'Clear');
    drawClear.type = 'button';
    drawClear.dataset.testid = 'draw-clear';
    drawClear.addEventListener('click', () => this.drawing?.clear());
    const drawButtons = text('div', 'data-buttons');
    drawButtons.append(drawUse, drawClear);
    this.linkNote = text('p', 'hint');
    this.linkNote.dataset.testid = 'draw-link-note';
    this.linkNote.textContent = `Up to ${MAX_POINTS_IN_LINK} drawn points are kept in the link; more (and a pasted or uploaded CSV) only in the exports (Run JSON, config JSON).`;

    const csvButtons = text('div', 'data-buttons');
    csvButtons.append(use);
    this.details.append(summary, intro, csvLabel, this.csv, grid, csvButtons, this.error, this.summary,
      drawTitle, drawHelp, this.drawBox, drawButtons, this.linkNote);
    slot.append(this.details);
    this.details.addEventListener('toggle', () => { if (this.details.open) this.#drawingReady().then((d) => d.draw()); });
  }

  /** The drawing plane, made on the first call (its module loads then). */
  #drawingReady() {
    this.drawingLoad ??= import('./drawData.js').then(({ DrawData }) => {
      this.drawing = new DrawData(this.drawBox, {
        maxClasses: this.limits.classes, maxPoints: MAX_POINTS, onChange: () => {},
      });
      return this.drawing;
    });
    return this.drawingLoad;
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
      if (keys.csvlabel !== undefined) this.label.value = keys.csvlabel;
      this.#fetchCsv(keys.csv);
      // Until the CSV has come (and the engine has read it), the default data.
      if (config.data?.name === 'custom') config = withDataset(config, this.schema, defaults.data.name);
    } else if (keys.pts && new Set(keys.pts.map((p) => p.c)).size < 2) {
      // As the panel refuses such a drawing, so does the link: it never reaches a run.
      notices.push({ key: 'pts', value: `${keys.pts.length} point${keys.pts.length === 1 ? '' : 's'}`, reason: 'the drawing holds one class; a data set needs points of at least two', fallback: config.data?.name === 'custom' ? defaults.data.name : config.data?.name });
      if (config.data?.name === 'custom') config = withDataset(config, this.schema, defaults.data.name);
    } else if (keys.pts) {
      this.#drawingReady().then((d) => d.setPoints(keys.pts));
      this.source = { kind: 'drawn' };
      // The drawing's data, over the link's own custom keys (seed, normalize) if it has any.
      const kept = config.data?.name === 'custom' ? config.data : {};
      config = { ...config, data: { ...kept, ...this.#drawnData(keys.pts) } };
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

  #drawnData(points) {
    const csv = pointsCsv(points);
    this.drawn = { csv, points: points.slice() };
    rememberClasses(csv, new Set(points.map((p) => p.c)).size);
    return { name: 'custom', csv, testFraction: 0, extent: PLANE_EXTENT };
  }

  #showError(message) {
    this.details.open = true;
    this.error.hidden = false;
    this.error.textContent = message.replace(/^data\.csv: /, 'CSV: ');
  }

  // The custom data of the current config kept (its options), with a new text.
  #dataWith(csv, label) {
    const now = this.config().data;
    const kept = now?.name === 'custom' ? { ...now } : {};
    delete kept.csv;
    delete kept.extent;
    const data = { ...kept, name: 'custom', csv };
    if (label === '') delete data.label;
    else if (label !== undefined) data.label = /^\d+$/.test(label) ? Number(label) : label;
    return data;
  }

  async #check(data, source) {
    this.error.hidden = true;
    this.error.textContent = '';
    const answer = await this.describe(data);
    if (answer.error) {
      this.#showError(answer.error.message);
      return false;
    }
    this.source = source;
    this.apply(withCustomData(this.config(), this.schema, data, answer.data.numClasses));
    const d = answer.data;
    this.summary.textContent = `In use: ${d.train + d.test} rows (${d.train} train, ${d.test} test), ${d.inputDim} features, ` +
      `${d.numClasses} classes (${d.classNames.join(', ')}).`;
    return true;
  }

  #useCsv(kind, url) {
    const csv = this.csv.value;
    if (new TextEncoder().encode(csv).length > this.maxBytes) {
      this.#showError(`the text is larger than ${this.maxBytes.toLocaleString('en-US')} bytes, the most a config may hold`);
      return Promise.resolve(false);
    }
    return this.#check(this.#dataWith(csv, this.label.value.trim()), { kind, url });
  }

  async #upload() {
    const file = this.file.files?.[0];
    if (!file) return;
    if (file.size > this.maxBytes) {
      this.#showError(`${file.name} is ${file.size.toLocaleString('en-US')} bytes; at most ${this.maxBytes.toLocaleString('en-US')} (the most a config may hold)`);
      return;
    }
    this.csv.value = await file.text();
    await this.#useCsv('file');
  }

  async #fetchCsv(path) {
    let url;
    try {
      url = new URL(path, location.href);
    } catch {
      this.#showError(`csv=${path} is not allowed; expected ${SAME_ORIGIN}`);
      return;
    }
    if (url.origin !== location.origin || url.origin === 'null') {
      this.#showError(`csv=${path} is not allowed; expected ${SAME_ORIGIN}`);
      return;
    }
    try {
      const response = await fetch(url, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.csv.value = await response.text();
    } catch (err) {
      this.#showError(`csv=${path}: the file could not be read (${err.message})`);
      return;
    }
    await this.#useCsv('url', path);
  }

  async #useDrawing() {
    const points = (await this.#drawingReady()).points;
    const classes = new Set(points.map((p) => p.c));
    if (classes.size < 2) {
      this.#showError(`the drawing holds ${points.length ? 'one class' : 'no points'}; place points of at least two classes`);
      return;
    }
    const data = { ...this.#dataWith(''), ...this.#drawnData(points) };
    await this.#check(data, { kind: 'drawn' });
  }
}

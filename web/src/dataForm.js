// The data panel's form (dataPanel.js makes it when the panel first opens or a link's
// csv= or pts= needs it): the CSV pasted, uploaded or fetched, the drawing plane
// (drawData.js), and the engine's check of each before a run sees it.
import { DrawData } from './drawData.js';
import { withCustomData } from './customData.js';
import { MAX_POINTS_IN_LINK } from './dataPanel.js';

// What a drawing may hold: a link's worth and more, still a quick set to train on.
const MAX_POINTS = 2000;
const SAME_ORIGIN = 'a path on this site, e.g. /data/my.csv';

const text = (tag, className, content) => {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (content) el.textContent = content;
  return el;
};

export class DataForm {
  /** @param {import('./dataPanel.js').DataPanel} panel  the panel it fills (its limits, handlers, summary line) */
  constructor(panel) {
    this.panel = panel;
    const intro = text('p', 'hint',
      `Numeric feature columns and a class column (the last unless you name it), comma- or semicolon-separated, ` +
      `a header row or not; up to ${panel.limits.rows.toLocaleString('en-US')} rows, ${panel.limits.features} features, ` +
      `2 to ${panel.limits.classes} classes. Errors name the row and the column as a spreadsheet counts them (the header is row 1).`);

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
    const drawBox = text('div', 'draw-box');
    this.drawing = new DrawData(drawBox, {
      maxClasses: panel.limits.classes, maxPoints: MAX_POINTS, onChange: () => {},
    });
    const drawUse = text('button', 'btn', 'Train on these points');
    drawUse.type = 'button';
    drawUse.dataset.testid = 'draw-use';
    drawUse.addEventListener('click', () => this.#useDrawing());
    const drawClear = text('button', 'btn btn-quiet', 'Clear');
    drawClear.type = 'button';
    drawClear.dataset.testid = 'draw-clear';
    drawClear.addEventListener('click', () => this.drawing.clear());
    const drawButtons = text('div', 'data-buttons');
    drawButtons.append(drawUse, drawClear);
    const linkNote = text('p', 'hint');
    linkNote.dataset.testid = 'draw-link-note';
    linkNote.textContent = `Up to ${MAX_POINTS_IN_LINK} drawn points are kept in the link; more (and a pasted or uploaded CSV) only in the exports (Run JSON, config JSON).`;

    const csvButtons = text('div', 'data-buttons');
    csvButtons.append(use);
    panel.summary.before(intro, csvLabel, this.csv, grid, csvButtons, this.error);
    panel.summary.after(drawTitle, drawHelp, drawBox, drawButtons, linkNote);
  }

  /** A link's pts=: the drawing shows them. */
  setPoints(points) {
    this.drawing.setPoints(points);
  }

  /** A link's csv= (and csvlabel=): fetched, then used as if pasted. */
  fromLink(path, label) {
    if (label !== undefined) this.label.value = label;
    return this.#fetchCsv(path);
  }

  #showError(message) {
    this.panel.details.open = true;
    this.error.hidden = false;
    this.error.textContent = message.replace(/^data\.csv: /, 'CSV: ');
  }

  // The custom data of the current config kept (its options), with a new text.
  #dataWith(csv, label) {
    const now = this.panel.config().data;
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
    const answer = await this.panel.describe(data);
    if (answer.error) {
      this.#showError(answer.error.message);
      return false;
    }
    this.panel.source = source;
    this.panel.apply(withCustomData(this.panel.config(), this.panel.schema, data, answer.data.numClasses));
    const d = answer.data;
    this.panel.summary.textContent = `In use: ${d.train + d.test} rows (${d.train} train, ${d.test} test), ${d.inputDim} features, ` +
      `${d.numClasses} classes (${d.classNames.join(', ')}).`;
    return true;
  }

  #useCsv(kind, url) {
    const csv = this.csv.value;
    if (new TextEncoder().encode(csv).length > this.panel.maxBytes) {
      this.#showError(`the text is larger than ${this.panel.maxBytes.toLocaleString('en-US')} bytes, the most a config may hold`);
      return Promise.resolve(false);
    }
    return this.#check(this.#dataWith(csv, this.label.value.trim()), { kind, url });
  }

  async #upload() {
    const file = this.file.files?.[0];
    if (!file) return;
    if (file.size > this.panel.maxBytes) {
      this.#showError(`${file.name} is ${file.size.toLocaleString('en-US')} bytes; at most ${this.panel.maxBytes.toLocaleString('en-US')} (the most a config may hold)`);
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
    const points = this.drawing.points;
    const classes = new Set(points.map((p) => p.c));
    if (classes.size < 2) {
      this.#showError(`the drawing holds ${points.length ? 'one class' : 'no points'}; place points of at least two classes`);
      return;
    }
    const data = { ...this.#dataWith(''), ...this.panel.drawnData(points) };
    await this.#check(data, { kind: 'drawn' });
  }
}

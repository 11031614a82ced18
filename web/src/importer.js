// "Import": a config pasted or opened from a file (the engine's config JSON, or the Run
// JSON that Export saves, whose `config` is used). The text is parsed here as data only;
// what it holds reaches the page as text (textContent), never as markup. The shape is
// checked here (an object with the config's keys and their types); the values are judged
// by the engine when the run is created, and main.js keeps the previous run if it refuses.
import { button, dialogFrame } from './dom.js';

export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

const typeOf = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
const shown = (text) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

/**
 * The JSON types each top-level key may have, read off the engine's default config
 * (lab.schema().config.default): the key's own type, and a name alone ("adam") wherever
 * the default is an object with a name, as the engine accepts.
 */
function fieldTypes(defaults) {
  const types = {};
  for (const [key, value] of Object.entries(defaults)) {
    types[key] = [typeOf(value)];
    if (typeOf(value) === 'object' && typeof value.name === 'string') types[key].push('string');
  }
  return types;
}

const article = (type) => (type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`);

/**
 * Reads imported text → { config } (a partial config, completed by the page's defaults) or
 * { error } that names what is wrong, the value and what is allowed. The shape is checked
 * here because the page fills in defaults and builds its controls from the config before
 * the engine judges the values.
 */
export function readImport(text, defaults) {
  const fields = fieldTypes(defaults);
  const keys = Object.keys(fields).join(', ');
  if (text.length > MAX_IMPORT_BYTES) return { error: `The text is ${text.length} characters; at most ${MAX_IMPORT_BYTES} are read.` };
  if (!text.trim()) return { error: 'Nothing to import: paste a config (JSON) or open a file.' };
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `This is not JSON (${err.message}). Expected a config such as {"init": "he_normal", "optimizer": {"lr": 0.1}} or a Run JSON from Export.` };
  }
  if (typeOf(value) === 'object' && typeOf(value.config) === 'object') value = value.config;
  if (typeOf(value) !== 'object') return { error: `The JSON is ${typeOf(value)}; expected an object with the config's keys (${keys}).` };
  const config = {};
  for (const [key, v] of Object.entries(value)) {
    const want = fields[key];
    if (!want) return { error: `Unknown key "${shown(key)}"; allowed: ${keys}.` };
    const got = typeOf(v);
    if (!want.includes(got)) return { error: `${key}: ${shown(JSON.stringify(v) ?? String(v))} is ${article(got)}; expected ${want.map(article).join(' or ')}.` };
    // A name alone becomes {name}, the form the page merges with the defaults field by field.
    config[key] = got === 'string' && want[0] === 'object' ? { name: v } : v;
  }
  if (!Object.keys(config).length) return { error: 'The object is empty: nothing to import.' };
  return { config };
}

export class ImportDialog {
  /**
   * @param {{ onConfig: (config: object) => void, defaults: () => object }} handlers
   *   defaults: the engine's default config, whose keys and types an import may have
   */
  constructor({ onConfig, defaults }) {
    this.onConfig = onConfig;
    this.defaults = defaults;
    const { dialog, title, intro } = dialogFrame('import', 'Import a config',
      'Paste the engine\'s config (JSON) or a Run JSON saved by Export, or open such a file. Keys left out keep the lab\'s defaults.');
    this.text = document.createElement('textarea');
    this.text.rows = 8;
    this.text.className = 'embed-code';
    this.text.id = 'import-text';
    this.text.dataset.testid = 'import-text';
    const textLabel = document.createElement('label');
    textLabel.htmlFor = 'import-text';
    textLabel.textContent = 'Config (JSON)';
    this.file = document.createElement('input');
    this.file.type = 'file';
    this.file.accept = '.json,application/json';
    this.file.id = 'import-file';
    this.file.dataset.testid = 'import-file';
    this.file.addEventListener('change', () => this.#readFile());
    const fileLabel = document.createElement('label');
    fileLabel.htmlFor = 'import-file';
    fileLabel.textContent = 'Or open a file: ';
    fileLabel.append(this.file);
    this.state = document.createElement('p');
    this.state.className = 'popover-note import-state';
    this.state.dataset.testid = 'import-state';
    this.state.setAttribute('role', 'status');
    const row = document.createElement('div');
    row.className = 'popover-row';
    row.append(button('import-apply', 'Import', 'btn btn-small', () => this.#apply(this.text.value)),
      button('import-close', 'Close', 'btn btn-small', () => dialog.close()));
    dialog.append(title, intro, textLabel, this.text, fileLabel, this.state, row);
    document.body.append(dialog);
    this.dialog = dialog;
  }

  open() {
    this.state.textContent = '';
    this.dialog.showModal();
  }

  /** The engine refused the imported config (main.js kept the run as it was). */
  refused(message) {
    if (!this.dialog.open) this.dialog.showModal();
    this.state.textContent = `The engine refused this config, the lab keeps its run: ${message}`;
  }

  async #readFile() {
    const file = this.file.files?.[0];
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      this.state.textContent = `${file.name} is ${file.size} bytes; at most ${MAX_IMPORT_BYTES} are read.`;
      return;
    }
    this.text.value = await file.text();
    this.#apply(this.text.value);
  }

  #apply(text) {
    const got = readImport(text, this.defaults());
    if (got.error) {
      this.state.textContent = got.error;
      return;
    }
    this.state.textContent = 'Imported.';
    this.dialog.close();
    this.onConfig(got.config);
  }
}

// "Import": a config pasted or opened from a file (the engine's config JSON, or the Run
// JSON that Export saves, whose `config` is used). The text is parsed here as data only;
// what it holds reaches the page as text (textContent), never as markup. Nothing is built
// from it until it has passed every check, each bounded before the work it guards: its
// size before it is read, its nesting before it is parsed (jsonNesting.js), and then its
// whole shape against the engine's schema (configShape.js: every key, type, name, range
// and the number of layers), before the page builds a control or creates a run. What
// only the engine can judge (output units for the loss, an initializer's own rules) it
// judges when the run is created, and main.js keeps the previous run if it refuses.
import { button, dialogFrame } from './dom.js';
import { excerpt, preview } from './excerpt.js';
import { checkConfig, configDepth, typeOf, TYPE_WORDS } from './configShape.js';
import { jsonNesting, pointAt } from './jsonNesting.js';

/** The most text an import reads: the engine's own input limit (schema config.inputBytes). */
const importBytes = (schema) => schema.config.inputBytes.max;

const EXAMPLE = '{"init": "he_normal", "optimizer": {"lr": 0.1}}';
// The deepest a config nests (configShape.js counts the levels), for the message about nesting.
const DEEPEST = '{"layers": [{"init": {"name": …}}]}';

/**
 * The engine's nesting limit for JSON (schema config.nesting): it bounds the parts of a
 * Run JSON that the import does not use. The config itself is bounded by its own shape,
 * which is stricter.
 */
const engineDepth = (schema) => schema.config.nesting.max;

/**
 * Whether the text nests deeper than an import can: a config no deeper than its shape
 * (configShape.js), a Run JSON's `config` the same, the rest of a Run JSON (and a
 * comparison's `runs`) no deeper than the engine allows. → { error, field } naming the first object or array too deep, or null.
 */
function nestingError(text, schema) {
  const most = configDepth(schema);
  const engine = engineDepth(schema);
  const nesting = jsonNesting(text, Number.isFinite(engine) ? Math.max(most + 2, engine + 1) : most + 2);
  // `what` nests `depth` levels where `limit` are allowed; `level` of the text is the first too deep.
  const tooDeep = (record, what, depth, limit, level, why) => {
    const point = pointAt(record, level) ?? { path: what, at: text.search(/[[{]/) };
    return {
      error: `${point.path || 'The JSON'}: ${excerpt(text.slice(point.at, point.at + 40), 24)} is nested too deep ` +
        `(${what}: ${depth.toLocaleString('en-US')} levels of arrays and objects; expected at most ${limit}, ${why}).`,
      field: point.path,
    };
  };
  const shape = `as in ${DEEPEST}`;
  if (nesting.members.size === 0) return nesting.depth > most ? tooDeep(nesting, 'the JSON', nesting.depth, most, most + 1, shape) : null;
  // A Run JSON, or a comparison's ({ runs: [...] }, whose chosen config checkConfig bounds).
  const runJson = nesting.members.has('config') || nesting.members.has('runs');
  for (const [key, member] of nesting.members) {
    // A member's depth counts from its value; the text's levels from the top object (1).
    const limit = !runJson ? most - 1 : key === 'config' ? most : engine - 1;
    if (member.depth > limit) return tooDeep(member, key, member.depth, limit, limit + 2, !runJson || key === 'config' ? shape : 'the engine\'s limit');
  }
  return null;
}

/**
 * Reads imported text → { config, state?, run? } (a partial config, completed by the page's
 * defaults; state: a Run JSON's run state; run: the label of the run taken from a
 * comparison's Run JSON, the one being edited when it was saved) or { error, field } that names the field, the value and what is allowed.
 * @param {string} text
 * @param {object} schema  lab.schema()
 */
export function readImport(text, schema) {
  const keys = Object.keys(schema.config.default).join(', ');
  const most = importBytes(schema);
  if (text.length > most) return { error: `The text is ${text.length.toLocaleString('en-US')} characters; at most ${most.toLocaleString('en-US')} are read.` };
  if (!text.trim()) return { error: 'Nothing to import: paste a config (JSON) or open a file.' };
  const deep = nestingError(text, schema);
  if (deep) return deep;
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `This is not JSON (${excerpt(err.message, 120)}). Expected a config such as ${EXAMPLE} or a Run JSON from Export.` };
  }
  let state = null;
  let run = null;
  // A comparison's Run JSON ({ runs: [{ label, config, state, edited?, … }] }): the run that
  // was being edited when it was saved (else its first).
  if (typeOf(value) === 'object' && !Object.hasOwn(value, 'config') && Array.isArray(value.runs) && value.runs.length) {
    const chosen = value.runs.find((r) => r?.edited === true) ?? value.runs[0];
    if (typeOf(chosen) !== 'object') return { error: `runs: ${preview(chosen)} is ${TYPE_WORDS[typeOf(chosen)]}; expected a run of a Run JSON (an object with its config).`, field: 'runs' };
    run = typeof chosen.label === 'string' ? excerpt(chosen.label, 40) : null;
    value = chosen;
  }
  if (typeOf(value) === 'object' && Object.hasOwn(value, 'config')) {
    if (typeOf(value.config) !== 'object') return { error: `config: ${preview(value.config)} is ${TYPE_WORDS[typeOf(value.config)]}; expected an object (the config of a Run JSON).`, field: 'config' };
    // A Run JSON's run state (Export saves one for a run shown alone): the engine judges it
    // when the run is created, and the run continues from it.
    if (Object.hasOwn(value, 'state')) {
      if (typeOf(value.state) !== 'object') return { error: `state: ${preview(value.state)} is ${TYPE_WORDS[typeOf(value.state)]}; expected an object (the run state of a Run JSON).`, field: 'state' };
      state = value.state;
    }
    value = value.config;
  }
  if (typeOf(value) !== 'object') return { error: `The JSON is ${TYPE_WORDS[typeOf(value)]}; expected an object with the config's keys (${keys}), such as ${EXAMPLE}.` };
  const fault = checkConfig(value, schema);
  if (fault) return { error: fault.text, field: fault.path };
  const config = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    const def = schema.config.default[key];
    // A name alone becomes {name}, the form the page merges with the defaults field by field.
    config[key] = typeof v === 'string' && typeOf(def) === 'object' ? { name: v } : structuredClone(v);
  }
  if (!Object.keys(config).length) return { error: `The object is empty: nothing to import. Expected the config's keys (${keys}).` };
  return { config, ...(state ? { state } : {}), ...(run !== null ? { run } : {}) };
}

export class ImportDialog {
  /**
   * @param {{ onConfig: (config: object, state: object | null) => void, schema: () => object }} handlers
   *   state: a Run JSON's run state, to continue the run from
   *   schema: lab.schema(), the shape an import must have
   */
  constructor({ onConfig, schema }) {
    this.onConfig = onConfig;
    this.schema = schema;
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
    if (file.size > importBytes(this.schema())) {
      this.state.textContent = `${excerpt(file.name)} is ${file.size.toLocaleString('en-US')} bytes; at most ${importBytes(this.schema()).toLocaleString('en-US')} are read.`;
      return;
    }
    this.text.value = await file.text();
    this.#apply(this.text.value);
  }

  #apply(text) {
    const got = readImport(text, this.schema());
    if (got.error) {
      this.state.textContent = got.error;
      return;
    }
    this.state.textContent = got.run !== undefined ? `Imported run ${got.run}.` : 'Imported.';
    this.dialog.close();
    this.onConfig(got.config, got.state ?? null);
  }
}

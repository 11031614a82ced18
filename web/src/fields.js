// Labelled form fields built from the schema's param specs ({name, type, default, min, max,
// minExclusive, maxExclusive, choices, nullable, doc, allowed}). Every field carries
// data-field = its config path, which is also the `field` of the engine's errors.

let nextId = 0;
const uid = (path) => `f${++nextId}-${path.replace(/[^A-Za-z0-9]/g, '-')}`;

/** Human label for a param name: "weightDecay" → "weight decay", "max_iterations" → "max iterations". */
export function labelFor(name) {
  return name.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * A field for one param spec.
 * @param {{ spec, path, value, onChange(value), label?, hint? }} options
 *   onChange gets the parsed value (number, string, or null for a nullable one turned off).
 */
export function paramField({ spec, path, value, onChange, label, hint }) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  wrap.dataset.fieldWrap = path;
  const id = uid(path);
  const lab = document.createElement('label');
  lab.htmlFor = id;
  lab.textContent = label ?? labelFor(spec.name);
  let control;
  if (spec.type === 'choice') {
    control = document.createElement('select');
    for (const choice of spec.choices) control.append(new Option(labelFor(choice) === choice ? choice : choice, choice));
    control.value = value ?? spec.default;
    control.addEventListener('change', () => onChange(control.value));
  } else {
    control = document.createElement('input');
    control.type = 'number';
    control.inputMode = spec.type === 'integer' ? 'numeric' : 'decimal';
    if (spec.min !== undefined && spec.min !== null) control.min = String(spec.min);
    if (spec.max !== undefined && spec.max !== null) control.max = String(spec.max);
    control.step = spec.type === 'integer' ? '1' : 'any';
    control.value = value === null || value === undefined ? '' : String(value);
    control.addEventListener('change', () => {
      const text = control.value.trim();
      if (text === '' && spec.nullable) { onChange(null); return; }
      const v = Number(text);
      if (text === '' || !Number.isFinite(v)) {
        markInvalid(wrap, `${labelFor(spec.name)}: expected ${spec.allowed ?? 'a number'}`);
        return;
      }
      onChange(v);
    });
  }
  control.id = id;
  control.dataset.field = path;
  control.dataset.testid = `field-${path}`;
  if (spec.doc) control.title = `${spec.doc}${spec.allowed ? ` (${spec.allowed})` : ''}`;
  wrap.append(lab, control);
  if (spec.nullable) wrap.append(nullableToggle(control, value, spec, onChange, path, lab.textContent));
  appendHelp(wrap, control, id, hint ?? spec.doc);
  return wrap;
}

// A field's help line under it, read out with the control (aria-describedby).
function appendHelp(wrap, control, id, text) {
  if (!text) return;
  const small = document.createElement('small');
  small.id = `${id}-help`;
  small.textContent = text;
  control.setAttribute('aria-describedby', small.id);
  wrap.append(small);
}

// A nullable number (clipNorm, clipValue): a checkbox turns it on (the number) or off (null).
// The checkbox is named for what it turns on ("clip by global norm"), not by its "on".
function nullableToggle(control, value, spec, onChange, path, name) {
  const box = document.createElement('label');
  box.className = 'toggle';
  const check = document.createElement('input');
  check.type = 'checkbox';
  check.checked = value !== null && value !== undefined;
  check.dataset.testid = `toggle-${path}`;
  check.setAttribute('aria-label', name);
  control.disabled = !check.checked;
  check.addEventListener('change', () => {
    control.disabled = !check.checked;
    if (check.checked) {
      if (control.value === '') control.value = '1';
      onChange(Number(control.value));
    } else {
      onChange(null);
    }
  });
  box.append(check, ' on');
  return box;
}

/** A labelled select of named rows, grouped into optgroups by `group(row)` when given. */
export function selectField({ path, label, rows, value, onChange, group, optionLabel, hint, testid }) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  wrap.dataset.fieldWrap = path;
  const id = uid(path);
  const lab = document.createElement('label');
  lab.htmlFor = id;
  lab.textContent = label;
  const select = document.createElement('select');
  select.id = id;
  select.dataset.field = path;
  select.dataset.testid = testid ?? `field-${path}`;
  const groups = new Map();
  for (const row of rows) {
    const option = new Option(optionLabel ? optionLabel(row) : row.name, row.name);
    if (row.doc) option.title = row.doc;
    const key = group ? group(row) : '';
    if (!key) { select.append(option); continue; }
    if (!groups.has(key)) {
      const og = document.createElement('optgroup');
      og.label = key;
      groups.set(key, og);
      select.append(og);
    }
    groups.get(key).append(option);
  }
  select.value = value;
  select.addEventListener('change', () => onChange(select.value));
  wrap.append(lab, select);
  appendHelp(wrap, select, id, hint);
  return wrap;
}

/** Marks a field invalid with a message (aria-invalid + text), until the next render. */
export function markInvalid(wrap, message) {
  const control = wrap.querySelector('[data-field]');
  if (control) control.setAttribute('aria-invalid', 'true');
  let note = wrap.querySelector('.field-error');
  if (!note) {
    note = document.createElement('span');
    note.className = 'field-error';
    note.setAttribute('role', 'alert');
    wrap.append(note);
  }
  note.textContent = message;
}

/** A titled group of fields; collapsible on small screens (a <details> open by default). */
export function section(title, { open = true, testid } = {}) {
  const details = document.createElement('details');
  details.className = 'panel';
  details.open = open;
  if (testid) details.dataset.testid = testid;
  const summary = document.createElement('summary');
  summary.textContent = title;
  const body = document.createElement('div');
  body.className = 'panel-body';
  details.append(summary, body);
  return { details, body };
}

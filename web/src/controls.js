// Every setting, built from lab.schema(): data sets and their params, layers and
// activations, initializers (grouped by framework) and their params, PyTorch's gain table,
// losses, optimizers and their params, config limits. No list of names is written here.
//
// The controls own a copy of the config. Each edit makes a new config and hands it to
// onChange; the whole form is then rebuilt from it (focus is restored to the same field).
import { scrollRegion } from './dom.js';
import { paramField, selectField, section, labelFor, markInvalid } from './fields.js';
import {
  clone, setPath, datasetRow, withDataset, withDataParam, withLoss,
  withOptimizer, initWithDefaults, activationName, scheduleOf, withSchedule,
} from './state.js';
import {
  hiddenWithUnits, maxHiddenWithUnits, withHiddenCount, withHiddenActivation,
  normalizationKinds, normalizationOf, withNormalization, keptWidthRow,
} from './layerList.js';
import { layerKindOf } from './configShape.js';

// The value of a select whose layers differ (never a name of the schema: names have no parentheses).
const MIXED = '(mixed)';
const FRAMEWORK = { keras: 'Keras', pytorch: 'PyTorch', teaching: 'Teaching', paper: 'Paper' };

/** How a framework's user writes this initializer (the schema row's kerasClass, pytorchFunction). */
export function frameworkUsage(row) {
  if (row.framework === 'keras') return `Keras: keras.initializers.${row.kerasClass}() or "${row.name}"`;
  if (row.framework === 'pytorch') {
    return row.pytorchFunction ? `PyTorch: torch.${row.pytorchFunction}(w)` : 'PyTorch: what nn.Linear does by itself';
  }
  return `${FRAMEWORK[row.framework] ?? row.framework}: not in Keras or PyTorch under this name`;
}

/** An optimizer's update rule and doc under the config's convention (the schema's row holds both). */
export function optimizerHint(row, optimizer) {
  return optimizer?.convention === 'pytorch' ? `${row.pytorchFormula}. ${row.pytorchDoc}` : `${row.formula}. ${row.doc}`;
}

export class Controls {
  /**
   * @param {HTMLElement} root  the form; the Initialization section goes into its
   *   [data-part="first"], the others into its [data-part="rest"] (what the page puts
   *   between them, the presets menu, stays where it is across rebuilds)
   * @param {object} schema  lab.schema()
   * @param {{ onChange(config): void, onCoordCheck?(): void }} handlers  onCoordCheck: the parameterization's
   *   "Coordinate check" button
   */
  constructor(root, schema, { onChange, onCoordCheck }) {
    this.root = root;
    this.first = root.querySelector('[data-part="first"]') ?? root;
    this.rest = root.querySelector('[data-part="rest"]') ?? root;
    this.schema = schema;
    this.onChange = onChange;
    this.onCoordCheck = onCoordCheck;
    this.open = new Map();  // section open/closed state across rebuilds
    this.slots = {};        // elements other widgets fill (the formula panel)
    this.formulaSlot = document.createElement('div');
    this.formulaSlot.className = 'formula';
    this.dataSlot = document.createElement('div');  // the data panel (dataPanel.js)
  }

  /** Rebuilds the form for `config`. */
  render(config) {
    this.config = clone(config);
    const focused = document.activeElement?.dataset?.field;
    for (const d of this.root.querySelectorAll('details.panel')) this.open.set(d.dataset.testid, d.open);
    // The initializer first: it is what the lab is about.
    const sections = [this.#initSection(), this.#dataSection(), this.#networkSection(), this.#trainingSection(), this.#statsSection()];
    if (this.first === this.rest) this.root.replaceChildren(...sections);
    else {
      this.first.replaceChildren(sections[0]);
      this.rest.replaceChildren(...sections.slice(1));
    }
    if (focused) this.root.querySelector(`[data-field="${CSS.escape(focused)}"]`)?.focus();
  }

  /** Shows the engine's error on the field it names (or the nearest enclosing one). */
  showError(field, message) {
    let path = field;
    while (path) {
      const wrap = this.root.querySelector(`[data-field-wrap="${CSS.escape(path)}"]`);
      if (wrap) {
        markInvalid(wrap, message);
        wrap.closest('details')?.setAttribute('open', '');
        return true;
      }
      const parent = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      if (parent === path) break;  // a top-level key with no field of its own ("data")
      path = parent;
    }
    return false;
  }

  #emit(config) {
    // A residual initialization needs a block: removing the last one drops it.
    if (config.residualInit && !config.layers.some((l) => l.kind === 'residual')) delete config.residualInit;
    this.onChange(config);
  }

  /** The snapshot's residualInit (L, m, the factor): the numbers of the scheme's formula. */
  setResidualNumbers(numbers) {
    this.residualNumbers = numbers;
    this.#renderResidualInit();
  }

  // The residual initialization's select, params and formula (a lazy chunk: only a network
  // with blocks needs it), into the slot the Network panel made.
  #renderResidualInit() {
    const slot = this.residualSlot;
    if (!slot) return;
    import('./residualInitPanel.js').then((m) => {
      if (this.residualSlot !== slot) return;  // the form was rebuilt meanwhile
      m.renderResidualInit(slot, { config: this.config, schema: this.schema, numbers: this.residualNumbers, emit: (c) => this.#emit(c) });
    });
  }

  // The parameterization's select, params and per-layer table (a lazy chunk), into the
  // slot the Network panel made.
  #renderParameterization() {
    const slot = this.parameterizationSlot;
    import('./parameterizationPanel.js').then((m) => {
      if (this.parameterizationSlot !== slot) return;  // the form was rebuilt meanwhile
      m.renderParameterization(slot, { config: this.config, schema: this.schema, emit: (c) => this.#emit(c), onCoordCheck: this.onCoordCheck });
    });
  }

  #set(path, value) {
    const next = clone(this.config);
    setPath(next, path, value);
    this.#emit(next);
  }

  // Panels start open on wide screens and closed on phones, where the charts come first;
  // Initialization starts open on phones too (it is the lab's subject).
  #section(title, testid, { always = false } = {}) {
    // Embed mode (compact): closed, the charts come first.
    const wide = !this.compact && (always || typeof matchMedia !== 'function' || matchMedia('(min-width: 901px)').matches);
    return section(title, { open: this.open.get(testid) ?? wide, testid });
  }

  // ---- data ----------------------------------------------------------------------------

  #dataSection() {
    const { details, body } = this.#section('Data', 'panel-data');
    const sets = this.schema.datasets.datasets;
    const row = datasetRow(this.schema, this.config.data.name);
    body.append(selectField({
      path: 'data.name', label: 'Data set', rows: sets, value: row.name,
      optionLabel: (d) => `${d.name}${d.is2d ? ' (2-D)' : d.inputDim === 'csv' ? ' (your CSV or drawing, below)' : d.inputDim === 'dim' ? ' (any dim)' : ` (${d.inputDim} features, ${d.numClasses} classes)`}`,
      onChange: (name) => this.#emit(withDataset(this.config, this.schema, name)),
      hint: row.doc,
    }));
    const grid = document.createElement('div');
    grid.className = 'field-grid';
    for (const spec of row.params) {
      grid.append(paramField({
        spec, path: `data.${spec.name}`, value: this.config.data[spec.name] ?? spec.default,
        label: spec.name === 'normalize' ? 'input normalization' : spec.name === 'seed' ? 'data seed' : undefined,
        hint: '',
        onChange: (v) => this.#emit(withDataParam(this.config, this.schema, spec.name, v)),
      }));
    }
    body.append(grid, this.dataSlot);
    return details;
  }

  // ---- network ------------------------------------------------------------------------

  #networkSection() {
    const { details, body } = this.#section('Network', 'panel-network');
    const limits = this.schema.config.hiddenLayers;
    const layers = this.config.layers;
    const dense = hiddenWithUnits(this.schema, this.config);
    const most = maxHiddenWithUnits(this.schema, this.config);
    const top = document.createElement('div');
    top.className = 'field-grid';
    top.append(paramField({
      spec: { name: 'hiddenLayers', type: 'integer', min: limits.min, max: most, allowed: `an integer from ${limits.min} to ${most}` },
      path: 'hiddenLayers', value: dense.length, label: 'hidden layers', hint: '',
      onChange: (n) => this.#emit(withHiddenCount(this.schema, this.config, Math.max(limits.min, Math.min(most, Math.round(n))))),
    }));
    const names = new Set(dense.map((l) => activationName(l.activation)));
    const hiddenActs = this.schema.activations.filter((a) => !a.outputOnly);
    const all = selectField({
      path: 'allActivations', label: 'activation of all hidden layers',
      rows: [...(names.size > 1 ? [{ name: '', doc: 'the layers differ' }] : []), ...hiddenActs],
      optionLabel: (a) => a.name || '(mixed)',
      value: names.size === 1 ? [...names][0] : '',
      onChange: (name) => name && this.#emit(withHiddenActivation(this.schema, this.config, name)),
    });
    top.append(all);
    const norm = normalizationOf(this.schema, this.config);
    top.append(selectField({
      path: 'normalization', label: 'normalization after each hidden layer',
      rows: [...(norm === null ? [{ name: MIXED, doc: 'the layers differ' }] : []), { name: '', doc: 'no normalization layers' }, ...normalizationKinds(this.schema)],
      optionLabel: (k) => k.name || 'none',
      value: norm ?? MIXED,
      onChange: (name) => name !== MIXED && this.#emit(withNormalization(this.schema, this.config, name)),
    }));
    body.append(top);
    this.residualSlot = null;
    if (layers.some((l) => l.kind === 'residual')) {
      this.residualSlot = document.createElement('div');
      this.residualSlot.className = 'residual-init';
      this.residualSlot.dataset.testid = 'residual-init';
      body.append(this.residualSlot);
      this.#renderResidualInit();
    }

    this.parameterizationSlot = document.createElement('div');
    this.parameterizationSlot.className = 'parameterization';
    this.parameterizationSlot.dataset.testid = 'parameterization';
    body.append(this.parameterizationSlot);
    this.#renderParameterization();

    const table = document.createElement('table');
    table.className = 'layers';
    table.dataset.testid = 'layers-table';
    const head = table.createTHead().insertRow();
    for (const h of ['layer', 'units', 'activation', 'init override']) {
      const th = document.createElement('th');
      th.scope = 'col';
      // The first column's rows say which layer; its header is for screen readers only.
      if (h === 'layer') {
        const text = document.createElement('span');
        text.className = 'visually-hidden';
        text.textContent = h;
        th.append(text);
      } else {
        th.textContent = h;
      }
      head.append(th);
    }
    const tbody = table.createTBody();
    layers.forEach((layer, i) => tbody.append(...this.#layerRows(layer, i, i === layers.length - 1)));
    const scroll = scrollRegion('Layers', 'table-scroll layers-scroll');
    scroll.append(table);
    const add = document.createElement('button');
    add.type = 'button';
    add.textContent = 'add a residual block';
    add.dataset.testid = 'add-block';
    add.disabled = layers.length - 1 >= limits.max;
    add.addEventListener('click', () => this.#blocks().then((m) => this.#emit(m.withBlock(this.schema, this.config))));
    body.append(scroll, add);

    const lossRow = this.schema.losses.find((l) => l.name === this.config.loss);
    body.append(selectField({
      path: 'loss', label: 'Loss', rows: this.schema.losses, value: this.config.loss,
      optionLabel: (l) => `${l.name}${l.requiredOutput ? ` (needs ${l.requiredOutput} output)` : ''}`,
      hint: lossRow ? `${lossRow.formula}` : '',
      onChange: (name) => this.#emit(withLoss(this.config, this.schema, name)),
    }));
    return details;
  }

  // The block editor (blockEditor.js), a chunk loaded with the first block; the form is
  // rebuilt once it is here.
  #blocks() {
    this.blocksLoading ??= import('./blockEditor.js').then((m) => { this.blockEditor = m; this.render(this.config); return m; });
    return this.blocksLoading;
  }

  #layerRows(layer, i, isOutput) {
    const kind = layerKindOf(this.schema, layer);
    if (kind.activation && !kind.units) {
      if (this.blockEditor) {
        return this.blockEditor.blockRows({ schema: this.schema, config: this.config, layer, i, set: (p, v) => this.#set(p, v), emit: (c) => this.#emit(c) });
      }
      this.#blocks();  // its rows come with the rebuild once it is here
      return [];
    }
    if (!kind.units) return [this.#keepsWidthRow(layer, i, kind)];
    const rows = [];
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = isOutput ? 'output' : `${i + 1}`;
    tr.append(th);
    const base = `layers[${i}]`;
    // units
    const unitsCell = tr.insertCell();
    if (isOutput) {
      unitsCell.textContent = String(layer.units);
      unitsCell.title = 'set by the data set and the loss';
      unitsCell.dataset.testid = 'output-units';
    } else {
      const f = paramField({ spec: this.schema.config.units, path: `${base}.units`, value: layer.units, label: `units of layer ${i + 1}`, hint: '', onChange: (v) => this.#set(`${base}.units`, v) });
      f.classList.add('compact');
      unitsCell.append(f);
    }
    // activation
    const acts = this.schema.activations.filter((a) => isOutput || !a.outputOnly);
    const name = activationName(layer.activation);
    const actCell = tr.insertCell();
    const act = selectField({
      path: `${base}.activation`, label: isOutput ? 'output activation' : `activation of layer ${i + 1}`,
      rows: acts, value: name,
      onChange: (n) => this.#set(`${base}.activation`, n),
    });
    act.classList.add('compact');
    actCell.append(act);
    const actRow = this.schema.activations.find((a) => a.name === name);
    for (const spec of actRow?.params ?? []) {
      const value = typeof layer.activation === 'object' ? layer.activation[spec.name] : undefined;
      const f = paramField({
        spec, path: `${base}.activation.${spec.name}`, value: value ?? spec.default, hint: '',
        label: `${spec.name} of ${name}`,
        onChange: (v) => this.#set(`${base}.activation`, { name, ...(typeof layer.activation === 'object' ? layer.activation : {}), [spec.name]: v }),
      });
      f.classList.add('compact');
      actCell.append(f);
    }
    // per-layer init override
    const initCell = tr.insertCell();
    const override = layer.init ? (typeof layer.init === 'string' ? { name: layer.init } : layer.init) : null;
    const sel = selectField({
      path: `${base}.init`, label: `initializer of layer ${isOutput ? 'output' : i + 1}`,
      rows: [{ name: '', doc: 'the network initializer' }, ...this.schema.initializers],
      group: (r) => (r.name ? FRAMEWORK[r.framework] : ''),
      optionLabel: (r) => r.name || '(network init)',
      value: override?.name ?? '',
      onChange: (n) => this.#set(`${base}.init`, n ? initWithDefaults(this.schema, n) : undefined),
    });
    sel.classList.add('compact');
    initCell.append(sel);
    rows.push(tr);
    if (override) {
      const row = this.schema.initializers.find((r) => r.name === override.name);
      if (row?.params.length) {
        const extra = document.createElement('tr');
        extra.className = 'override-params';
        const cell = extra.insertCell();
        cell.colSpan = 4;
        cell.append(...row.params.map((spec) => paramField({
          spec, path: `${base}.init.${spec.name}`, value: override[spec.name] ?? spec.default, hint: '',
          label: `${labelFor(spec.name)} (layer ${isOutput ? 'output' : i + 1})`,
          onChange: (v) => this.#set(`${base}.init`, { ...initWithDefaults(this.schema, override.name), ...override, [spec.name]: v }),
        })));
        rows.push(extra);
      }
    }
    return rows;
  }

  // A layer of a kind that keeps its input's width (layernorm): the width it keeps, the
  // kind and its own params, and what its tensors start at (the kind's initializers).
  // A residual block's rows are blockEditor.js's.
  #keepsWidthRow(layer, i, kind) {
    const { tr, kindCell } = keptWidthRow(this.schema, this.config, i, 'keeps the width of the layer before');
    const base = `layers[${i}]`;
    const name = document.createElement('span');
    name.className = 'kind-name';
    name.textContent = kind.keras || kind.name;
    name.title = kind.doc;
    kindCell.append(name);
    for (const spec of kind.params) {
      const f = paramField({
        spec, path: `${base}.${spec.name}`, value: layer[spec.name] ?? spec.default, hint: '',
        label: spec.name, onChange: (v) => this.#set(`${base}.${spec.name}`, v),
      });
      // Its label stays visible (a kind's param has no column header to name it).
      f.classList.add('compact', 'labelled');
      f.querySelector('[data-field]')?.setAttribute('aria-label', `${spec.name} of layer ${i + 1}`);
      kindCell.append(f);
    }
    const initCell = tr.insertCell();
    initCell.className = 'kind-init';
    // The layer's init / biasInit keys where given (an imported config), else the kind's own.
    const initOf = (t) => {
      const key = t.takesInitKey ? layer.init : layer.biasInit;
      return (typeof key === 'string' ? key : key?.name) ?? (t.defaultInit || (t.takesInitKey ? 'the network init' : 'the bias init'));
    };
    initCell.textContent = kind.tensors.map((t) => `${t.name}: ${initOf(t)}`).join(', ');
    return tr;
  }

  // ---- initialization -------------------------------------------------------------------

  #initSection() {
    const { details, body } = this.#section('Initialization', 'panel-init', { always: true });
    body.append(...this.#initPicker('init', 'Weights (kernel) initializer', 2));
    body.append(this.formulaSlot);
    body.append(...this.#initPicker('biasInit', 'Bias initializer', 1));
    return details;
  }

  // An initializer select (grouped by framework) with its params, its usage in Keras or
  // PyTorch, and for params named gain, PyTorch's calculate_gain table.
  #initPicker(path, label, rank) {
    const spec = this.config[path] ?? { name: 'zeros' };
    const current = typeof spec === 'string' ? { name: spec } : spec;
    const rows = this.schema.initializers.filter((r) => r.minRank <= rank && r.maxRank >= rank);
    const row = this.schema.initializers.find((r) => r.name === current.name);
    const out = [selectField({
      path, label, rows, value: current.name,
      group: (r) => FRAMEWORK[r.framework] ?? r.framework,
      onChange: (n) => this.#set(path, initWithDefaults(this.schema, n)),
      hint: row ? `${row.doc} ${frameworkUsage(row)}.` : '',
      testid: `field-${path}`,
    })];
    const params = document.createElement('div');
    params.className = 'field-grid';
    for (const p of row?.params ?? []) {
      params.append(paramField({
        spec: p, path: `${path}.${p.name}`, value: current[p.name] ?? p.default, hint: '',
        onChange: (v) => this.#set(path, { ...initWithDefaults(this.schema, current.name), ...current, [p.name]: v }),
      }));
    }
    if (row?.params.some((p) => p.name === 'gain')) params.append(this.#gainHelper(path, current));
    if (params.childElementCount) out.push(params);
    return out;
  }

  #gainHelper(path, current) {
    const wrap = document.createElement('div');
    wrap.className = 'field gain';
    const select = document.createElement('select');
    select.id = `gain-${path}`;
    select.dataset.testid = `gain-${path}`;
    for (const g of this.schema.gains) select.append(new Option(`${g.nonlinearity}: ${Number(g.gain.toPrecision(6))}`, String(g.gain)));
    const lab = document.createElement('label');
    lab.htmlFor = select.id;
    lab.textContent = 'PyTorch calculate_gain';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Use as gain';
    button.addEventListener('click', () => this.#set(path, { ...current, gain: Number(select.value) }));
    wrap.append(lab, select, button);
    return wrap;
  }

  // ---- training -------------------------------------------------------------------------

  #trainingSection() {
    const { details, body } = this.#section('Training', 'panel-training');
    const opts = this.schema.optimizers;
    const row = opts.optimizers.find((o) => o.name === this.config.optimizer.name) ?? opts.optimizers[0];
    body.append(selectField({
      path: 'optimizer.name', label: 'Optimizer', rows: opts.optimizers, value: row.name,
      hint: optimizerHint(row, this.config.optimizer),
      onChange: (n) => this.#emit(withOptimizer(this.config, this.schema, n)),
    }));
    const grid = document.createElement('div');
    grid.className = 'field-grid';
    for (const name of row.params) {
      const spec = opts.params.find((p) => p.name === name);
      if (!spec) continue;
      grid.append(paramField({
        spec, path: `optimizer.${name}`, value: this.config.optimizer[name] ?? spec.default, hint: '',
        label: { lr: 'learning rate', clipNorm: 'clip by global norm', clipValue: 'clip by value' }[name],
        onChange: (v) => this.#set(`optimizer.${name}`, v),
      }));
    }
    grid.append(paramField({
      spec: this.schema.config.batch, path: 'optimizer.batch', value: this.config.optimizer.batch, label: 'batch size', hint: '',
      onChange: (v) => this.#set('optimizer.batch', v),
    }));
    grid.append(paramField({
      spec: this.schema.config.seed, path: 'seed', value: this.config.seed, label: 'seed (weights, batches)', hint: '',
      onChange: (v) => this.#set('seed', v),
    }));
    body.append(grid, ...this.#scheduleFields());
    return details;
  }

  // The learning-rate schedule: its select (with the factor's formula) and its params.
  #scheduleFields() {
    const rows = this.schema.optimizers.schedules;
    const now = scheduleOf(this.config, this.schema);
    const row = rows.find((r) => r.name === now.name);
    const select = selectField({
      path: 'optimizer.schedule', label: 'Learning-rate schedule', rows, value: now.name,
      hint: `${row.formula}. ${row.doc}`,
      onChange: (name) => this.#emit(withSchedule(this.config, this.schema, { name })),
    });
    const grid = document.createElement('div');
    grid.className = 'field-grid';
    for (const spec of row.params) {
      grid.append(paramField({
        spec, path: `optimizer.schedule.${spec.name}`, value: now[spec.name], hint: '',
        label: { warmup: 'warm-up updates', every: 'decay every', gamma: 'decay factor γ', steps: 'decay updates', final: 'final factor' }[spec.name],
        onChange: (v) => this.#emit(withSchedule(this.config, this.schema, { [spec.name]: v })),
      }));
    }
    return [select, grid];
  }

  #statsSection() {
    const { details, body } = this.#section('Statistics', 'panel-stats');
    if (!this.open.has('panel-stats')) details.open = false;
    const grid = document.createElement('div');
    grid.className = 'field-grid';
    for (const spec of this.schema.config.stats) {
      grid.append(paramField({
        spec, path: `stats.${spec.name}`, value: this.config.stats?.[spec.name] ?? spec.default,
        label: spec.name === 'bins' ? 'histogram bins' : 'probe batch', hint: spec.doc,
        onChange: (v) => this.#set(`stats.${spec.name}`, v),
      }));
    }
    body.append(grid);
    return details;
  }
}

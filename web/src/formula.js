// The initializer's formula in TeX, typeset as MathML (mathml.js: the browser draws it, no
// fonts or library to ship), with one layer's numbers filled in: "σ = √(2/fan_in) = √(2/10) = 0.447".
// The lines are the engine's (the schema's initializer rows, `tex`); this file only puts
// the numbers in. Every resulting number (σ, the uniform bound L, the truncated normal's
// parent s) is the engine's exact value from the snapshot (initStd, initLaw), never
// recomputed here. A row without lines shows the engine's formula text and its σ.
import { fmt } from './format.js';
import { texToMathML } from './mathml.js';

/** A number for TeX: 3 significant digits, a × 10^k for tiny or huge ones. */
function tex(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '\\text{–}';
  const s = fmt(x);
  const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(s);
  if (m) return `${m[1]} \\times 10^{${Number(m[2])}}`;
  return s.replace(/^-/, '-');
}

const FAN = { fan_in: '\\text{fan\\_in}', fan_out: '\\text{fan\\_out}' };
const fanValue = (mode, c) => (mode === 'fan_out' ? c.nOut : mode === 'fan_avg' ? `(${c.nIn}+${c.nOut})/2` : c.nIn);
const fanSym = (mode) => (mode === 'fan_avg' ? '(\\text{fan\\_in}+\\text{fan\\_out})/2' : FAN[mode] ?? FAN.fan_in);
const sigma = (c) => `\\sigma = ${tex(c.std)}`;

function gainTex(c) {
  const nl = c.p.nonlinearity ?? 'leaky_relu';
  const a = nl === 'leaky_relu' ? `, a=${c.p.a ?? 0}` : '';
  return `\\text{gain} = \\text{calculate\\_gain}(\\text{${nl.replace(/_/g, '\\_')}}${a})`;
}

// The values of the placeholders the engine's TeX lines hold (InitializerInfo::tex in
// core/include/initscope/init.hpp).
function placeholder(name, c) {
  if (name.startsWith('p.')) return tex(c.p[name.slice(2)]);
  switch (name) {
    case 'nIn': return String(c.nIn);
    case 'nOut': return String(c.nOut);
    case 'std': return tex(c.std);
    case 'law.hi': return tex(c.law?.hi);
    case 'law.stddev': return tex(c.law?.stddev);
    case 'fan': return fanSym(c.p.mode);
    case 'fanValue': return String(fanValue(c.p.mode, c));
    case 'gainCall': return gainTex(c);
    default: return `$${name}`;
  }
}

/** The row's TeX lines (by the choice param they depend on, if any) with this layer's numbers. */
export function texLines(row, c) {
  const by = row.texByParam;
  const lines = (by && by.cases[c.p[by.param] ?? row.params.find((q) => q.name === by.param)?.default]) ?? row.tex;
  return lines.map((line) => line.replace(/\$([A-Za-z]+(?:\.[A-Za-z_]+)?)/g, (_, name) => placeholder(name, c)));
}

export class FormulaPanel {
  /**
   * @param {HTMLElement} container
   * @param {object} schema  lab.schema(): the initializers' formula text and docs
   */
  constructor(container, schema) {
    this.schema = schema;
    this.layerIndex = 1;
    const bar = document.createElement('div');
    bar.className = 'formula-bar';
    const label = document.createElement('label');
    label.textContent = 'Numbers of ';
    this.select = document.createElement('select');
    this.select.dataset.testid = 'formula-layer';
    this.select.addEventListener('change', () => {
      this.layerIndex = Number(this.select.value);
      this.#render();
    });
    label.append(this.select);
    this.title = document.createElement('span');
    this.title.className = 'formula-title';
    bar.append(this.title, label);
    this.math = document.createElement('div');
    this.math.className = 'formula-math';
    this.math.dataset.testid = 'formula';
    // A wide formula scrolls sideways: focusable, so the keyboard can scroll it too.
    this.math.tabIndex = 0;
    this.math.setAttribute('role', 'group');
    this.math.setAttribute('aria-label', 'Formula');
    this.doc = document.createElement('p');
    this.doc.className = 'formula-doc';
    container.append(bar, this.math, this.doc);
  }

  /** `snapshot`: a snapshot (layers with fans, init, initStd, initLaw); `config`: the run's config. */
  update(snapshot, config) {
    this.snapshot = snapshot;
    this.config = config;
    const n = snapshot.layers.length;
    // The layers whose weights the network's initializer draws: the dense ones (a layer of
    // another kind, a layernorm, has a kind in its snapshot and starts from its own values).
    const dense = snapshot.layers.map((l, i) => (l.kind ? -1 : i)).filter((i) => i >= 0);
    const signature = dense.join(',');
    if (this.layers !== signature) {
      this.layers = signature;
      this.select.replaceChildren(...dense.map((i) => new Option(i === n - 1 ? 'the output layer' : `layer ${i + 1}`, String(i))));
      this.layerIndex = dense[Math.min(dense.length - 1, 1)];
    }
    this.select.value = String(this.layerIndex);
    this.#render();
  }

  #render() {
    const layer = this.snapshot?.layers[this.layerIndex];
    if (!layer) return;
    const spec = this.config.layers[this.layerIndex]?.init ?? this.config.init;
    const p = typeof spec === 'string' ? { name: spec } : spec;
    const row = this.schema.initializers.find((i) => i.name === layer.init);
    const c = { nIn: layer.fanIn, nOut: layer.fanOut, p, std: layer.initStd, law: layer.initLaw };
    const lines = row?.tex.length ? texLines(row, c) : [`\\text{${(row?.formula ?? layer.init).replace(/[\\{}_%$#&^~]/g, (ch) => `\\${ch}`)}}`, sigma(c)];
    this.title.textContent = `${layer.init} (${row?.framework ?? ''}) on ${layer.fanIn} → ${layer.fanOut}`;
    this.doc.textContent = row ? `${row.doc} Engine formula: ${row.formula}` : '';
    this.math.dataset.std = String(layer.initStd);
    this.math.replaceChildren(...lines.map((line) => texToMathML(line)));
  }
}

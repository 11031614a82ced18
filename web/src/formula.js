// The initializer's formula written in TeX and typeset as MathML (mathml.js: the browser
// draws it, no fonts or library to ship), with one layer's numbers filled in: "σ = √(2/fan_in) = √(2/10) = 0.447".
// The symbolic form and the substitution are written here per initializer family; every
// resulting number (σ, the uniform bound L, the truncated normal's parent s) is the
// engine's exact value from the snapshot (initStd, initLaw), never recomputed here.
// An initializer without a template still shows the engine's formula text and its σ.
import { fmt } from './charts/base.js';
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

// The last line of most templates: the std (and the law's own parameter) from the engine.
const sigma = (c) => `\\sigma = ${tex(c.std)}`;
const uniformTail = (c) => `L = ${tex(c.law?.hi)},\\quad \\sigma = L/\\sqrt{3} = ${tex(c.std)}`;
const tnTail = (c) => `s = \\sigma/0.8796 = ${tex(c.law?.stddev)}`;
const tnCut = (c) => `\\text{cut at } \\pm 2s = \\pm ${tex(c.law?.hi)}`;

// Variance-scaling family: scale, fan, distribution.
function varianceScaling(scaleTex, scaleNum, mode, dist) {
  return (c) => {
    const n = fanValue(mode, c);
    if (dist === 'uniform') {
      return [
        `W \\sim U(-L, L),\\quad L = \\sqrt{\\frac{3\\cdot ${scaleTex}}{${fanSym(mode)}}} = \\sqrt{\\frac{3\\cdot ${scaleNum}}{${n}}} = ${tex(c.law?.hi)}`,
        `\\sigma = L/\\sqrt{3} = ${tex(c.std)}`,
      ];
    }
    const lines = [`\\sigma = \\sqrt{\\frac{${scaleTex}}{${fanSym(mode)}}} = \\sqrt{\\frac{${scaleNum}}{${n}}} = ${tex(c.std)}`];
    if (dist === 'untruncated_normal') lines.unshift('W \\sim \\mathcal{N}(0, \\sigma^2)');
    else {
      lines.unshift('W \\sim \\mathcal{N}(0, s^2) \\text{ truncated at } \\pm 2s');
      lines.push(tnTail(c), tnCut(c));
    }
    return lines;
  };
}

function gainTex(c) {
  const nl = c.p.nonlinearity ?? 'leaky_relu';
  const a = nl === 'leaky_relu' ? `, a=${c.p.a ?? 0}` : '';
  return `\\text{gain} = \\text{calculate\\_gain}(\\text{${nl.replace(/_/g, '\\_')}}${a})`;
}

const TEMPLATES = {
  zeros: () => ['W = 0', '\\sigma = 0'],
  zeros_: () => ['W = 0', '\\sigma = 0'],
  ones: () => ['W = 1', '\\sigma = 0'],
  ones_: () => ['W = 1', '\\sigma = 0'],
  constant: (c) => [`W = \\text{value} = ${tex(c.p.value)}`, '\\sigma = 0'],
  constant_: (c) => [`W = \\text{val} = ${tex(c.p.val)}`, '\\sigma = 0'],
  random_normal: (c) => [`W \\sim \\mathcal{N}(\\mu, \\sigma^2),\\quad \\mu = ${tex(c.p.mean)}`, `${sigma(c)} \\text{ whatever the fans}`],
  normal_: (c) => [`W \\sim \\mathcal{N}(\\mu, \\sigma^2),\\quad \\mu = ${tex(c.p.mean)}`, `${sigma(c)} \\text{ whatever the fans}`],
  random_uniform: (c) => [`W \\sim U[${tex(c.p.minval)}, ${tex(c.p.maxval)})`, `\\sigma = (b-a)/\\sqrt{12} = ${tex(c.std)}`],
  uniform_: (c) => [`W \\sim U[${tex(c.p.a)}, ${tex(c.p.b)})`, `\\sigma = (b-a)/\\sqrt{12} = ${tex(c.std)}`],
  truncated_normal: (c) => [`W \\sim \\mathcal{N}(\\mu, s^2) \\text{ cut at } \\mu \\pm 2s,\\quad s = ${tex(c.p.stddev)}`, `\\sigma = 0.8796\\, s = ${tex(c.std)}`],
  trunc_normal_: (c) => [`W \\sim \\mathcal{N}(\\mu, s^2) \\text{ restricted to } [${tex(c.p.a)}, ${tex(c.p.b)}],\\quad s = ${tex(c.p.std)}`, sigma(c)],
  variance_scaling: (c) => varianceScaling('\\text{scale}', tex(c.p.scale), c.p.mode ?? 'fan_in',
    c.p.distribution === 'normal' ? 'truncated_normal' : c.p.distribution ?? 'truncated_normal')(c),
  glorot_uniform: (c) => [
    `W \\sim U(-L, L),\\quad L = \\sqrt{\\frac{6}{\\text{fan\\_in}+\\text{fan\\_out}}} = \\sqrt{\\frac{6}{${c.nIn}+${c.nOut}}} = ${tex(c.law?.hi)}`,
    `\\sigma = L/\\sqrt{3} = ${tex(c.std)}`],
  glorot_normal: (c) => [
    'W \\sim \\mathcal{N}(0, s^2) \\text{ truncated at } \\pm 2s',
    `\\sigma = \\sqrt{\\frac{2}{\\text{fan\\_in}+\\text{fan\\_out}}} = \\sqrt{\\frac{2}{${c.nIn}+${c.nOut}}} = ${tex(c.std)}`, tnTail(c), tnCut(c)],
  he_uniform: varianceScaling('2', '2', 'fan_in', 'uniform'),
  he_normal: varianceScaling('2', '2', 'fan_in', 'truncated_normal'),
  lecun_uniform: varianceScaling('1', '1', 'fan_in', 'uniform'),
  lecun_normal: varianceScaling('1', '1', 'fan_in', 'truncated_normal'),
  orthogonal: (c) => [`W = g\\,Q,\\quad Q^\\top Q = I,\\quad g = ${tex(c.p.gain)}`, `\\sigma = ${tex(c.std)} \\;(\\text{every singular value } = g)`],
  orthogonal_: (c) => [`W = g\\,Q,\\quad Q^\\top Q = I,\\quad g = ${tex(c.p.gain)}`, `\\sigma = ${tex(c.std)}`],
  identity: (c) => [`W = g\\, I_{${c.nIn}\\times ${c.nOut}},\\quad g = ${tex(c.p.gain)}`, `\\sigma = ${tex(c.std)}`],
  eye_: (c) => [`W = I_{${c.nIn}\\times ${c.nOut}}`, `\\sigma = ${tex(c.std)}`],
  xavier_uniform_: (c) => [
    `W \\sim U(-L, L),\\quad L = g\\sqrt{\\frac{6}{\\text{fan\\_in}+\\text{fan\\_out}}} = ${tex(c.p.gain)}\\sqrt{\\frac{6}{${c.nIn}+${c.nOut}}} = ${tex(c.law?.hi)}`,
    `\\sigma = L/\\sqrt{3} = ${tex(c.std)}`],
  xavier_normal_: (c) => [
    `W \\sim \\mathcal{N}(0, \\sigma^2),\\quad \\sigma = g\\sqrt{\\frac{2}{\\text{fan\\_in}+\\text{fan\\_out}}} = ${tex(c.p.gain)}\\sqrt{\\frac{2}{${c.nIn}+${c.nOut}}} = ${tex(c.std)}`],
  kaiming_uniform_: (c) => [gainTex(c),
    `W \\sim U(-L, L),\\quad L = \\frac{\\sqrt{3}\\,\\text{gain}}{\\sqrt{${fanSym(c.p.mode)}}} = \\frac{\\sqrt{3}\\,\\text{gain}}{\\sqrt{${fanValue(c.p.mode, c)}}} = ${tex(c.law?.hi)}`,
    `\\sigma = L/\\sqrt{3} = ${tex(c.std)}`],
  kaiming_normal_: (c) => [gainTex(c),
    `W \\sim \\mathcal{N}(0, \\sigma^2),\\quad \\sigma = \\frac{\\text{gain}}{\\sqrt{${fanSym(c.p.mode)}}} = \\frac{\\text{gain}}{\\sqrt{${fanValue(c.p.mode, c)}}} = ${tex(c.std)}`],
  sparse_: (c) => [`W \\sim \\mathcal{N}(0, ${tex(c.p.std)}^2), \\text{ then } \\lceil ${tex(c.p.sparsity)}\\cdot ${c.nOut} \\rceil \\text{ entries per row set to 0}`, sigma(c)],
  nn_linear_default: (c) => [
    `W \\sim U(-L, L),\\quad L = \\frac{1}{\\sqrt{\\text{fan\\_in}}} = \\frac{1}{\\sqrt{${c.nIn}}} = ${tex(c.law?.hi)}`,
    `\\sigma = L/\\sqrt{3} = ${tex(c.std)}`],
  standard_uniform: (c) => [
    `W \\sim U(-L, L),\\quad L = \\frac{1}{\\sqrt{\\text{fan\\_in}}} = \\frac{1}{\\sqrt{${c.nIn}}} = ${tex(c.law?.hi)}`,
    `\\sigma = L/\\sqrt{3} = ${tex(c.std)}`],
  scaled_normal: (c) => [
    `W \\sim \\mathcal{N}(0, \\sigma^2),\\quad \\sigma = \\sqrt{\\frac{v}{\\text{fan\\_in}}} = \\sqrt{\\frac{${tex(c.p.v)}}{${c.nIn}}} = ${tex(c.std)}`],
  lsuv: (c) => ['W = \\text{orthogonal, then } W \\leftarrow W/\\sqrt{\\mathrm{Var}(z)} \\text{ until } |\\mathrm{Var}(z) - 1| < \\text{tol}',
    `\\sigma = ${tex(c.std)} \\text{ after the rescaling}`],
};

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
    if (this.select.options.length !== n) {
      this.select.replaceChildren(...snapshot.layers.map((_, i) => new Option(i === n - 1 ? 'the output layer' : `layer ${i + 1}`, String(i))));
      this.layerIndex = Math.min(n - 1, n > 1 ? 1 : 0);
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
    const template = TEMPLATES[layer.init];
    const lines = template ? template(c) : [`\\text{${(row?.formula ?? layer.init).replace(/[\\{}_%$#&^~]/g, (ch) => `\\${ch}`)}}`, sigma(c)];
    this.title.textContent = `${layer.init} (${row?.framework ?? ''}) on ${layer.fanIn} → ${layer.fanOut}`;
    this.doc.textContent = row ? `${row.doc} Engine formula: ${row.formula}` : '';
    this.math.dataset.std = String(layer.initStd);
    this.math.replaceChildren(...lines.map((line) => texToMathML(line)));
  }
}

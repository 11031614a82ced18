// The current network and its initializers as Keras 3 and PyTorch code. Names and
// parameters come from the schema's initializer table (a Keras row's kerasClass,
// keras.initializers.HeNormal; a PyTorch row's pytorchFunction, nn.init.kaiming_normal_) with
// the run's own parameter values; per-layer numbers (a truncated normal's s and cut, a
// uniform's bound) are the engine's, from the snapshot's initLaw. Where one framework has
// no initializer of the other's name, the row's equivalents (the schema's) say which one
// draws the same law, and a note says where the two disagree (Keras truncates its
// normals, PyTorch does not).

import { layerKindOf } from './configShape.js';
import { scheduleLines } from '../../wasm/schedulePython.mjs';
import { RESIDUAL_INIT_TEXT } from '../../wasm/residualInitText.mjs';

const INDENT = '    ';

// How each framework writes a layer of a kind without units (schema.layerKinds: its keras
// class and pytorch module): the arguments of its own params and of its two tensors'
// initializers. Keras's default epsilon (1e-3) differs from PyTorch's (1e-5): always written.
// kerasValue: a param Keras writes otherwise (its BatchNormalization momentum is what the
// running averages keep, 1 − m, for the engine's m in PyTorch's sense).
const KIND_ARGS = {
  layernorm: {
    keras: { epsilon: 'epsilon', init: 'gamma_initializer', biasInit: 'beta_initializer' },
    pytorch: { epsilon: 'eps' },
  },
  batchnorm: {
    keras: { momentum: 'momentum', epsilon: 'epsilon', init: 'gamma_initializer', biasInit: 'beta_initializer' },
    kerasValue: { momentum: (m) => `1 - ${py(m)}` },
    pytorch: { epsilon: 'eps', momentum: 'momentum' },
    keepsRunning: true,
  },
};
// Whether the network holds a layer that normalizes with running averages in evaluation.
const keepsRunning = (config) => config.layers.some((l) => KIND_ARGS[l.kind ?? 'dense']?.keepsRunning || (l.kind === 'residual' && l.norm === 'batchnorm'));
const hasBlocks = (rows) => rows.some((r) => r.kind.name === 'residual');

// The batchnorm kind's momentum default: a block's norm takes it (a block has no key for it).
const batchnormMomentum = (schema) => schema.layerKinds.find((k) => k.name === 'batchnorm')?.params.find((p) => p.name === 'momentum')?.default;

// A residual block (core/src/residual_layer.cpp) as a module / layer class, written once:
// out = x + α·f(x) ("before": f starts with φ) or φ(x + α·f(x)) ("after"), f one or two dense
// layers; a norm at the branch's start (pre) or after the addition (post).
const BLOCK_DOC = [
  `${INDENT}"""initscope's residual block: out = x + alpha * f(x) (activation "before": f starts with phi)`,
  `${INDENT}or phi(x + alpha * f(x)) ("after"); f = W2 phi(W1 h + b1) + b2 (branch 2) or W1 h + b1 (branch 1),`,
  `${INDENT}h = x or norm(x) (pre-norm); a post-norm normalizes x + alpha * f(x), before the "after" phi."""`,
];
const I2 = INDENT.repeat(2);
const I3 = INDENT.repeat(3);
const TORCH_BLOCK = [
  'class Residual(nn.Module):',
  ...BLOCK_DOC,
  '',
  `${INDENT}def __init__(self, width, hidden, branch, phi, after, alpha, trainable, norm=None, norm_at="pre"):`,
  `${I2}super().__init__()`,
  `${I2}self.lin1 = nn.Linear(width, hidden if branch == 2 else width)`,
  `${I2}self.lin2 = nn.Linear(hidden, width) if branch == 2 else None`,
  `${I2}self.phi = phi if phi is not None else nn.Identity()`,
  `${I2}self.after, self.norm, self.norm_at = after, norm, norm_at`,
  `${I2}self.alpha = nn.Parameter(torch.tensor([alpha])) if trainable else alpha  # a trainable gate (ReZero, SkipInit) or a constant`,
  '',
  `${INDENT}def forward(self, x):`,
  `${I2}h = self.norm(x) if self.norm is not None and self.norm_at == "pre" else x`,
  `${I2}f = self.lin1(h if self.after else self.phi(h))`,
  `${I2}if self.lin2 is not None:`,
  `${I3}f = self.lin2(self.phi(f))`,
  `${I2}s = x + self.alpha * f`,
  `${I2}if self.norm is not None and self.norm_at == "post":`,
  `${I3}s = self.norm(s)`,
  `${I2}return self.phi(s) if self.after else s`,
  '',
  '',
];
const KERAS_BLOCK = [
  'class Residual(keras.layers.Layer):',
  ...BLOCK_DOC,
  '',
  `${INDENT}def __init__(self, width, hidden, branch, activation, after, alpha, trainable_gate, norm=None, norm_at="pre",`,
  `${INDENT}             kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None, **kwargs):`,
  `${I2}super().__init__(**kwargs)`,
  `${I2}def copy(init):  # each dense layer gets its own initializer`,
  `${I3}return keras.initializers.deserialize(keras.initializers.serialize(keras.initializers.get(init)))`,
  '',
  `${I2}def dense(units):`,
  `${I3}return keras.layers.Dense(units, kernel_initializer=copy(kernel_initializer), bias_initializer=copy(bias_initializer),`,
  `${I3}                          kernel_regularizer=kernel_regularizer)`,
  '',
  `${I2}self.dense1 = dense(hidden if branch == 2 else width)`,
  `${I2}self.dense2 = dense(width) if branch == 2 else None`,
  `${I2}self.phi = keras.activations.get(activation) if isinstance(activation, str) else activation`,
  `${I2}self.after, self.norm, self.norm_at, self.gate = after, norm, norm_at, (alpha, trainable_gate)`,
  '',
  `${INDENT}def build(self, input_shape):`,
  `${I2}alpha, trainable = self.gate  # a trainable gate (ReZero, SkipInit) or a constant`,
  `${I2}self.alpha = self.add_weight(shape=(), initializer=keras.initializers.Constant(alpha), trainable=trainable, name="alpha")`,
  '',
  `${INDENT}def call(self, x, training=None):`,
  `${I2}h = self.norm(x, training=training) if self.norm is not None and self.norm_at == "pre" else x`,
  `${I2}f = self.dense1(h if self.after else self.phi(h))`,
  `${I2}if self.dense2 is not None:`,
  `${I3}f = self.dense2(self.phi(f))`,
  `${I2}s = x + self.alpha * f`,
  `${I2}if self.norm is not None and self.norm_at == "post":`,
  `${I3}s = self.norm(s, training=training)`,
  `${I2}return self.phi(s) if self.after else s`,
  '',
  '',
];

/** What the code says of a layer kind it cannot write yet (a residual block). */
const unwritten = (kind) => `a ${kind.name} layer is not written out yet: this code leaves it out`;

/** A Python literal: floats keep a decimal point, strings are double-quoted. */
function py(value, type = typeof value === 'number' ? 'number' : 'choice') {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (type === 'integer') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return value > 0 ? 'float("inf")' : 'float("-inf")';
    const s = Number.isInteger(value) ? `${value}.0` : String(Number(value.toPrecision(10)));
    return s.replace('e+', 'e');
  }
  return JSON.stringify(String(value));
}

const args = (pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(', ');

/** calculate_gain(nonlinearity, a)² as a Python expression (PyTorch's table, from the schema). */
function gainSquared(schema, nonlinearity, a) {
  if (nonlinearity === 'leaky_relu') return `2 / (1 + ${py(a ?? 0)}**2)`;
  const g = schema.gains.find((x) => x.nonlinearity === nonlinearity)?.gain ?? 1;
  const exact = { 1: '1.0', 2: '2.0' }[Math.round(g * g * 1e9) / 1e9];
  if (exact) return exact;
  if (nonlinearity === 'tanh') return '(5 / 3)**2';
  if (nonlinearity === 'selu') return '(3 / 4)**2';
  return `${py(g)}**2`;
}

/** The row's params as the spec gives them, its defaults for the others. */
const withDefaults = (row, p) => ({ ...Object.fromEntries((row?.params ?? []).map((q) => [q.name, q.default])), ...p });

/** A text of the schema's equivalents with these params: $p.NAME as Python, $v.NAME as typed, $gainSquared. */
function fill(text, p, schema) {
  return text.replace(/\$(gainSquared|[pv]\.[A-Za-z_]+)/g, (_, key) => {
    if (key === 'gainSquared') return gainSquared(schema, p.nonlinearity, p.a);
    const value = p[key.slice(2)];
    return key[0] === 'p' ? py(value) : String(value);
  });
}

function holds(when, p) {
  if (!when) return true;
  if (when.cutAtTwoStd) return p.a === p.mean - 2 * p.std && p.b === p.mean + 2 * p.std;
  return p[when.param] === when.is;
}

/**
 * The other framework's initializer that draws the same law (the row's equivalents in the
 * schema) → { row, args, note, then, string, exact }, or { law: true } when there is none.
 */
function equivalentOf(framework, row, p, schema) {
  const filled = withDefaults(row, p);
  const spelling = row?.equivalents?.[framework]?.find((s) => holds(s.when, filled));
  if (!spelling) return { law: true };
  return {
    row: schema.initializers.find((r) => r.name === spelling.name),
    args: spelling.args.map(([k, v]) => [k, fill(v, filled, schema)]),
    note: spelling.note ? fill(spelling.note, filled, schema) : null,
    then: spelling.then ? fill(spelling.then, filled, schema) : null,
    string: spelling.string ?? false,
    exact: spelling.exact ?? false,
  };
}

/** The engine's per-layer law (initLaw) as explicit code: exact whatever the name. */
function lawCode(framework, law) {
  if (!law) return null;
  const n = (v) => py(v);
  if (framework === 'keras') {
    if (law.kind === 'keras_truncated_normal') return { name: 'TruncatedNormal', args: [['mean', n(law.mean)], ['stddev', n(law.stddev)]] };
    if (law.kind === 'normal') return { name: 'RandomNormal', args: [['mean', n(law.mean)], ['stddev', n(law.stddev)]] };
    if (law.kind === 'uniform') return { name: 'RandomUniform', args: [['minval', n(law.lo)], ['maxval', n(law.hi)]] };
    return null;
  }
  if (law.kind === 'keras_truncated_normal' || law.kind === 'truncated_normal') {
    return { name: 'trunc_normal_', args: [['mean', n(law.mean)], ['std', n(law.stddev)], ['a', n(law.lo)], ['b', n(law.hi)]] };
  }
  if (law.kind === 'normal') return { name: 'normal_', args: [['mean', n(law.mean)], ['std', n(law.stddev)]] };
  if (law.kind === 'uniform') return { name: 'uniform_', args: [['a', n(law.lo)], ['b', n(law.hi)]] };
  return null;
}

/** Notes per layer as comment lines: a note every layer shares is written once. */
function noteLines(notes, layerCount) {
  const byText = new Map();
  // A layer may say the same twice (a block's two dense layers): its number is written once.
  for (const { layer, text } of notes) byText.set(text, [...new Set([...(byText.get(text) ?? []), layer])]);
  return [...byText].flatMap(([text, layers]) => wrapComment(layers.length === layerCount ? text
    : `layer${layers.length > 1 ? 's' : ''} ${layers.join(', ')}: ${text}`));
}

/** A comment wrapped at about 96 columns (code stays on one line: it is meant to be copied). */
function wrapComment(text, width = 96) {
  if (text.includes('nn.init.') || text.length <= width) return [`# ${text}`];
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) { lines.push(`# ${line}`); line = `  ${word}`; } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(`# ${line}`);
  return lines;
}

const specOf = (spec) => (typeof spec === 'string' ? { name: spec } : spec ?? { name: 'zeros' });

/**
 * One initializer in one framework → { code (Keras: the initializer expression; PyTorch:
 * the nn.init call's name and arguments after the tensor), notes: string[] }.
 * `law`: the engine's initLaw of this layer's weights (null for biases).
 */
function initializerCode(framework, spec, row, schema, law, tensor) {
  const p = specOf(spec);
  const notes = [];
  let eq = null;
  if (row?.framework === framework) {
    const params = (row.params ?? []).map((q) => [q.name, p[q.name] ?? q.default, q]);
    if (framework === 'keras') {
      if (!params.length && tensor === 'bias') return { code: JSON.stringify(row.name), notes };
      return { code: `keras.initializers.${row.kerasClass}(${args(params.map(([k, v, q]) => [k, py(v, q.type)]))})`, notes };
    }
    if (!row.pytorchFunction) return { code: null, notes: ['nn.Linear initializes itself this way: nothing to call'] };
    // PyTorch: choices always (mode="fan_in", nonlinearity="relu"), numbers when not the default.
    const kept = params.filter(([, v, q]) => q.type === 'choice' || v !== q.default || q.required);
    return { code: `${row.pytorchFunction}(layer.${tensor}${kept.length ? `, ${args(kept.map(([k, v, q]) => [k, py(v, q.type)]))}` : ''})`, notes };
  }
  eq = equivalentOf(framework, row, p, schema);
  if (eq.law) {
    const exact = lawCode(framework, law);
    if (exact) {
      notes.push(`${p.name} has no ${framework === 'keras' ? 'Keras' : 'PyTorch'} name: the engine's law for this layer, written out`);
      eq = exact;
    } else {
      const fallback = framework === 'keras' ? 'keras.initializers.Orthogonal()' : `nn.init.orthogonal_(layer.${tensor})`;
      const why = row?.equivalents?.standIn ? ` (${row.equivalents.standIn})` : '';
      return { code: fallback, notes: [`${p.name} has no ${framework === 'keras' ? 'Keras' : 'PyTorch'} equivalent${why}; orthogonal stands in`] };
    }
  }
  if (eq.note) notes.push(eq.note);
  if (framework === 'keras') {
    if (eq.string) return { code: JSON.stringify(eq.row.name), notes };
    return { code: `keras.initializers.${eq.row?.kerasClass ?? eq.name}(${args(eq.args)})`, notes };
  }
  if (eq.exact && law) {
    const exact = lawCode('pytorch', law);
    if (exact) notes.push(`Keras's exact law here: nn.init.${exact.name}(layer.${tensor}, ${args(exact.args)})`);
  }
  const call = `${eq.row?.pytorchFunction ?? `nn.init.${eq.name}`}(layer.${tensor}${eq.args.length ? `, ${args(eq.args)}` : ''})`;
  return { code: eq.then ? `${call}.${eq.then}` : call, notes };
}

// ---- activations, losses, optimizers ------------------------------------------------

function activationOf(activation) {
  return typeof activation === 'string' ? { name: activation } : activation ?? { name: 'linear' };
}

/** Keras: the Dense activation string and, for a parameter other than Keras's default, a layer after it. */
function kerasActivation(act) {
  if (act.name === 'leaky_relu') return { layer: `keras.layers.LeakyReLU(negative_slope=${py(act.alpha ?? 0.01)})` };
  if (act.name === 'elu' && (act.alpha ?? 1) !== 1) return { layer: `keras.layers.ELU(alpha=${py(act.alpha)})` };
  return { string: act.name };
}

const TORCH_ACTIVATION = {
  linear: null, sigmoid: 'nn.Sigmoid()', tanh: 'nn.Tanh()', relu: 'nn.ReLU()', selu: 'nn.SELU()', gelu: 'nn.GELU()',
  softplus: 'nn.Softplus()', swish: 'nn.SiLU()', softmax: 'nn.Softmax(dim=1)',
  leaky_relu: (a) => `nn.LeakyReLU(negative_slope=${py(a.alpha ?? 0.01)})`,
  elu: (a) => `nn.ELU(alpha=${py(a.alpha ?? 1)})`,
};

function torchActivation(act) {
  const entry = TORCH_ACTIVATION[act.name];
  return typeof entry === 'function' ? entry(act) : entry;
}

const isSet = (v) => v !== null && v !== undefined;

// Keras 3 takes one of clipnorm, clipvalue and global_clipnorm: with both clips set the
// constructor gets clipvalue (the engine clips values first) and a comment says the rest.
function kerasOptimizer(o) {
  const lr = ['learning_rate', o.schedule ? 'Schedule()' : py(o.lr)];
  const clip = [];
  if (isSet(o.clipValue)) clip.push(['clipvalue', py(o.clipValue)]);
  else if (isSet(o.clipNorm)) clip.push(['global_clipnorm', py(o.clipNorm)]);
  const table = {
    sgd: ['SGD', [lr]],
    momentum: ['SGD', [lr, ['momentum', py(o.momentum)]]],
    nesterov: ['SGD', [lr, ['momentum', py(o.momentum)], ['nesterov', 'True']]],
    rmsprop: ['RMSprop', [lr, ['rho', py(o.rho)], ['epsilon', py(o.epsilon)]]],
    adam: ['Adam', [lr, ['beta_1', py(o.beta1)], ['beta_2', py(o.beta2)], ['epsilon', py(o.epsilon)]]],
  };
  const [name, list] = table[o.name] ?? table.sgd;
  return `keras.optimizers.${name}(${args([...list, ...clip])})`;
}

function torchOptimizer(o, params) {
  const lr = ['lr', py(o.lr)];
  const table = {
    sgd: ['SGD', [lr]],
    momentum: ['SGD', [lr, ['momentum', py(o.momentum)]]],
    nesterov: ['SGD', [lr, ['momentum', py(o.momentum)], ['nesterov', 'True']]],
    rmsprop: ['RMSprop', [lr, ['alpha', py(o.rho)], ['eps', py(o.epsilon)]]],
    adam: ['Adam', [lr, ['betas', `(${py(o.beta1)}, ${py(o.beta2)})`], ['eps', py(o.epsilon)]]],
  };
  const [name, list] = table[o.name] ?? table.sgd;
  return `torch.optim.${name}(${params}, ${args(list)})`;
}

/** The run's learning-rate schedule as Python (wasm/schedulePython.mjs), or null. */
const scheduleFunction = (framework, o, schema) => scheduleLines(framework, o, schema.optimizers.schedules, py);

const OPTIMIZER_NOTE = {
  rmsprop: 'PyTorch adds eps outside the square root, Keras (and initscope) inside: results differ slightly',
  adam: 'PyTorch adds eps to the bias-corrected √v̂, Keras (and initscope) to √v: results differ slightly',
};

// ---- residual initializations ---------------------------------------------------------

// Each residual initialization's multipliers as Python, by what they multiply (the engine's
// ResidualScaling, core/include/initscope/residual_init.hpp: a block's weights before its
// last dense layer, its last dense layer's weights, its biases, the output layer's
// weights), applied after the initializers as the engine applies them after sampling. The
// schema's row gives the paper, the formula, the params and whether it sets the gates (the
// config echo then holds each block's gate and alpha); the snapshot gives the engine's
// factor for this network. The schema holds no code, so the Python is spelled here, with
// L, m and the row's params (snake_case) as Python names; tests/parity/export.test.mjs runs
// it and compares the tensors with the engine's, and the codegen tests ask a spelling of
// every row the schema lists.
const RESIDUAL_INIT_PYTHON = {
  none: {},
  'zero-last': { last: '0.0' },
  fixup: { first: 'L ** (-1 / (2 * m - 2))', last: '0.0', biases: '0.0', output: '0.0' },
  skipinit: {},
  rezero: {},
  gpt2: { last: '1 / math.sqrt(branches_per_layer * L)' },
};

/** The names of the residual initializations the code export writes (for its tests). */
export const writtenResidualInits = Object.keys(RESIDUAL_INIT_PYTHON);

const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The lines that apply the config's residual initialization to the model the code built
 * (none: no lines). `framework` 'pytorch' (blocks lin1/lin2, nn.Linear weight/bias) or
 * 'keras' (dense1/dense2, kernel/bias).
 */
/** A parameterization other than standard is not written out: a comment says so. */
function parameterizationLines(config) {
  const p = config.parameterization;
  if (!p || p.name === 'standard') return [];
  return ['', `# parameterization ${JSON.stringify(p.name)} (baseWidth ${p.baseWidth}) is not written out: this code is the`,
    '# standard network (no forward multipliers, one learning rate); at baseWidth the two are the same'];
}

function residualInitLines(framework, config, snapshot, schema) {
  const given = config.residualInit;
  const spec = typeof given === 'string' ? { name: given } : given;
  if (!spec || spec.name === schema.residualInits[0].name) return [];
  const row = schema.residualInits.find((r) => r.name === spec.name);
  const python = RESIDUAL_INIT_PYTHON[spec.name];
  if (!row || !python) return ['', `# residualInit ${JSON.stringify(spec.name)} is not written out yet: this code starts the blocks as sampled`];
  const torch = framework === 'pytorch';
  const [first, second, w, dense] = torch ? ['lin1', 'lin2', 'weight', 'nn.Linear'] : ['dense1', 'dense2', 'kernel', 'keras.layers.Dense'];
  const numbers = snapshot?.residualInit;
  const engine = (role) => (row.factor === role && numbers && Number.isFinite(numbers.factor)
    ? `  # ${py(numbers.factor)} for L = ${numbers.blocks}${role === 'first' ? `, m = ${numbers.m}` : ''}, as initscope computed it` : '');
  // PyTorch multiplies in place under no_grad; Keras assigns the product to the variable.
  const times = (target, expr) => (expr === '0.0'
    ? (torch ? `${target}.zero_()` : `${target}.assign(keras.ops.zeros_like(${target}))`)
    : (torch ? `${target}.mul_(${expr})` : `${target}.assign(${target} * (${expr}))`));
  const body = torch ? I2 : INDENT;
  const loop = [];
  if (python.first) loop.push(`${body}if m >= 2:`, `${body}${INDENT}${times(`block.${first}.${w}`, python.first)}${engine('first')}`);
  if (python.last) loop.push(`${body}${times(`last.${w}`, python.last)}${engine('last')}`);
  if (python.biases) loop.push(`${body}for layer in (block.${first}, block.${second}):`, `${body}${INDENT}if layer is not None:`, `${body}${INDENT}${INDENT}${times('layer.bias', python.biases)}`);
  const used = Object.values(python).join(' ');
  const params = row.params.filter((p) => used.includes(snake(p.name)))
    .map((p) => `${snake(p.name)} = ${py(spec[p.name] ?? p.default, p.type)}  # residualInit.${p.name}`);
  const gated = row.setsGate ? (() => {
    const block = config.layers.find((l) => l.kind === 'residual');
    return [`# Every block's gate starts trainable at ${py(block?.alpha)}: the Residual(...) calls above say so.`];
  })() : [];
  const lines = [
    '',
    ...wrapComment(`Residual initialization "${row.name}": ${RESIDUAL_INIT_TEXT[row.name].paper}.`),
    ...wrapComment(RESIDUAL_INIT_TEXT[row.name].formula),
    ...gated,
  ];
  if (!loop.length && !python.output) return lines;
  lines.push(
    `blocks = [layer for layer in ${torch ? 'model' : 'model.layers'} if isinstance(layer, Residual)]`,
    ...(/\bL\b/.test(used) ? ['L = len(blocks)  # residual blocks'] : []),
    ...params,
  );
  if (torch) lines.push('with torch.no_grad():');
  const outer = torch ? INDENT : '';
  if (loop.length) {
    lines.push(
      `${outer}for block in blocks:`,
      ...(python.first ? [`${body}m = 1 if block.${second} is None else 2  # dense layers in the branch`] : []),
      `${body}last = block.${first} if block.${second} is None else block.${second}`,
      ...loop,
    );
  }
  if (python.output) {
    lines.push(`${outer}output = [layer for layer in ${torch ? 'model' : 'model.layers'} if isinstance(layer, ${dense})][-1]`,
      `${outer}${times(`output.${w}`, python.output)}  # the output layer`);
  }
  return lines;
}

// ---- whole programs --------------------------------------------------------------------

function header(lines, context) {
  return [
    `# ${context.title}`,
    `# Generated by initscope ${context.version} from ${context.link}`,
    '# The same network, initializers, loss and optimizer; the random draws differ',
    "# (initscope uses its own PCG32 generator), so expect the same laws, not the same numbers.",
    ...lines,
  ];
}

function layerRows(config, snapshot, schema) {
  return config.layers.map((layer, i) => {
    const s = snapshot.layers[i];
    const kind = layerKindOf(schema, layer);
    // A kind with tensors of its own (a gain of ones) uses the layer's keys, else its
    // defaults; a block's dense tensors take its keys, else the config's.
    const dense = kind.units || kind.name === 'residual';
    const init = layer.init ?? (dense ? config.init : kind.tensors[0].defaultInit);
    const bias = layer.biasInit ?? (dense ? config.biasInit : kind.tensors[1].defaultInit);
    return {
      kind, params: Object.fromEntries(kind.params.map((p) => [p.name, layer[p.name] ?? p.default])),
      ownInits: !kind.units && Boolean(KIND_ARGS[kind.name]) && (layer.init !== undefined || layer.biasInit !== undefined),
      units: layer.units ?? s?.fanOut, fanIn: s?.fanIn, activation: activationOf(layer.activation), law: s?.initLaw ?? null,
      init, bias,
      initRow: schema.initializers.find((r) => r.name === specOf(init).name),
      biasRow: schema.initializers.find((r) => r.name === specOf(bias).name),
    };
  });
}

/**
 * Keras 3 code for the run.
 * @param {{ config, snapshot, schema, dataset: { inputDim, name, train }, context: { title, version, link, dataFile } }} input
 */
export function kerasCode({ config, snapshot, schema, dataset, context }) {
  const rows = layerRows(config, snapshot, schema);
  const notes = [];
  const lines = ['model = keras.Sequential(['];
  lines.push(`${INDENT}keras.Input(shape=(${dataset.inputDim},)),`);
  const l2 = config.optimizer.weightDecay > 0 ? `, kernel_regularizer=keras.regularizers.L2(${py(config.optimizer.weightDecay)} / 2)` : '';
  rows.forEach((r, i) => {
    if (r.kind.name === 'residual') {
      const kernel = initializerCode('keras', r.init, r.initRow, schema, r.law, 'weight');
      const bias = initializerCode('keras', r.bias, r.biasRow, schema, null, 'bias');
      for (const n of [...kernel.notes, ...bias.notes]) notes.push({ layer: i + 1, text: n });
      const act = kerasActivation(r.activation);
      const p = r.params;
      const norm = p.norm === 'layernorm' ? `keras.layers.LayerNormalization(epsilon=${py(p.normEpsilon)})`
        : p.norm === 'batchnorm' ? `keras.layers.BatchNormalization(momentum=1 - ${py(batchnormMomentum(schema))}, epsilon=${py(p.normEpsilon)})` : null;
      const biasCode = specOf(r.bias).name === 'nn_linear_default'
        ? `keras.initializers.RandomUniform(minval=-1 / math.sqrt(${r.fanIn}), maxval=1 / math.sqrt(${r.fanIn}))` : bias.code;
      lines.push(`${INDENT}Residual(${r.fanIn}, ${p.hidden || r.fanIn}, branch=${p.branch}, activation=${act.string ? JSON.stringify(act.string) : act.layer}, ` +
        `after=${p.activationAt === 'after' ? 'True' : 'False'}, alpha=${py(p.alpha)}, trainable_gate=${p.gate === 'trainable' ? 'True' : 'False'}, ` +
        `${norm ? `norm=${norm}, norm_at=${JSON.stringify(p.normAt)}, ` : ''}kernel_initializer=${kernel.code}, bias_initializer=${biasCode}${l2}),`);
      return;
    }
    if (!r.kind.units && !KIND_ARGS[r.kind.name]) {
      lines.push(`${INDENT}# layer ${i + 1}: ${unwritten(r.kind)}`);
      notes.push({ layer: i + 1, text: unwritten(r.kind) });
      return;
    }
    if (!r.kind.units) {
      const { keras: names, kerasValue = {} } = KIND_ARGS[r.kind.name];
      const pairs = Object.entries(r.params).map(([k, v]) => [names[k], kerasValue[k] ? kerasValue[k](v) : py(v)]);
      if (r.kind.name === 'batchnorm') {
        notes.push({ layer: i + 1, text: 'BatchNormalization\'s momentum is 1 - initscope\'s (PyTorch\'s); Keras updates its moving variance with the biased batch variance, initscope and PyTorch with the unbiased one' });
      }
      if (r.ownInits) {
        const gamma = initializerCode('keras', r.init, r.initRow, schema, r.law, 'weight');
        const beta = initializerCode('keras', r.bias, r.biasRow, schema, null, 'bias');
        pairs.push([names.init, gamma.code], [names.biasInit, beta.code]);
        for (const n of [...gamma.notes, ...beta.notes]) notes.push({ layer: i + 1, text: n });
      }
      lines.push(`${INDENT}keras.layers.${r.kind.keras}(${args(pairs)}),`);
      return;
    }
    const kernel = initializerCode('keras', r.init, r.initRow, schema, r.law, 'weight');
    const bias = initializerCode('keras', r.bias, r.biasRow, schema, null, 'bias');
    const biasCode = specOf(r.bias).name === 'nn_linear_default'
      ? `keras.initializers.RandomUniform(minval=-1 / math.sqrt(${r.fanIn}), maxval=1 / math.sqrt(${r.fanIn}))` : bias.code;
    const act = kerasActivation(r.activation);
    const actArg = act.string ? `activation=${JSON.stringify(act.string)}, ` : '';
    lines.push(`${INDENT}keras.layers.Dense(${r.units}, ${actArg}kernel_initializer=${kernel.code}, bias_initializer=${biasCode}${l2}),`);
    if (act.layer) lines.push(`${INDENT}${act.layer},`);
    for (const n of [...kernel.notes, ...bias.notes]) notes.push({ layer: i + 1, text: n });
  });
  lines.push('])');
  const loss = { bce: 'keras.losses.BinaryCrossentropy()', cross_entropy: 'keras.losses.CategoricalCrossentropy()', mse: 'keras.losses.MeanSquaredError()' }[config.loss];
  const oneHot = config.loss === 'cross_entropy' || (config.loss === 'mse' && config.layers[config.layers.length - 1].units > 1);
  const out = [
    ...header([
      `# Data: ${context.dataFile} (Export > Data set CSV): the rows as the network sees them`,
      `# (${dataset.name}, normalization ${config.data.normalize ?? 'none'} already applied).`,
    ], context),
    'import math',
    '',
    'import keras',
    'import numpy as np',
    ...(config.optimizer.schedule ? ['from keras import ops'] : []),
    '',
    `keras.utils.set_random_seed(${config.seed})`,
    '',
    `data = np.loadtxt(${JSON.stringify(context.dataFile)}, delimiter=",", skiprows=1)`,
    `train = data[data[:, -1] == 0]  # last column: 0 train, 1 test`,
    `x_train, y_train = train[:, :${dataset.inputDim}], train[:, ${dataset.inputDim}]`,
    oneHot ? `y_train = keras.utils.to_categorical(y_train, ${config.layers[config.layers.length - 1].units})` : '',
    '',
    ...(hasBlocks(rows) ? ['', ...KERAS_BLOCK] : []),
    ...lines,
    ...residualInitLines('keras', config, snapshot, schema),
    ...parameterizationLines(config),
    ...(notes.length ? ['', ...noteLines(notes, rows.length)] : []),
    '',
    ...(config.optimizer.convention === 'pytorch' && OPTIMIZER_NOTE[config.optimizer.name]
      ? [`# This run uses PyTorch's rule (optimizer.convention pytorch): ${OPTIMIZER_NOTE[config.optimizer.name]}; Export > Exact Keras script writes that rule as a Keras optimizer`] : []),
    ...(isSet(config.optimizer.clipValue) && isSet(config.optimizer.clipNorm)
      ? [`# Keras takes one clipping argument: this run also clips the global norm to ${py(config.optimizer.clipNorm)} after clipping values (Export > Exact Keras script does both)`] : []),
    ...(scheduleFunction('keras', config.optimizer, schema) ?? []),
    `model.compile(optimizer=${kerasOptimizer(config.optimizer)}, loss=${loss}, metrics=["accuracy"])`,
    'model.summary()',
    `steps = ${context.step || 1000}  # optimizer steps, as initscope counts them`,
    `batch = min(${config.optimizer.batch}, len(x_train))`,
    'epochs = math.ceil(steps / math.ceil(len(x_train) / batch))',
    'model.fit(x_train, y_train, batch_size=batch, epochs=epochs, shuffle=True)',
    '',
  ];
  return out.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n');
}

/** PyTorch code for the run (same input as kerasCode). */
export function pytorchCode({ config, snapshot, schema, dataset, context }) {
  const rows = layerRows(config, snapshot, schema);
  const notes = [];
  const model = ['model = nn.Sequential('];
  let fanIn = dataset.inputDim;
  const last = rows.length - 1;
  // The engine computes bce and cross-entropy from the output layer's logits; so do
  // BCEWithLogitsLoss and CrossEntropyLoss, so the output activation stays out of the model.
  const logits = config.loss === 'bce' || config.loss === 'cross_entropy';
  rows.forEach((r, i) => {
    if (r.kind.name === 'residual') {
      const p = r.params;
      const norm = p.norm === 'layernorm' ? `nn.LayerNorm(${fanIn}, eps=${py(p.normEpsilon)})`
        : p.norm === 'batchnorm' ? `nn.BatchNorm1d(${fanIn}, eps=${py(p.normEpsilon)}, momentum=${py(batchnormMomentum(schema))})` : null;
      model.push(`${INDENT}Residual(${fanIn}, ${p.hidden || fanIn}, branch=${p.branch}, phi=${torchActivation(r.activation) ?? 'None'}, ` +
        `after=${p.activationAt === 'after' ? 'True' : 'False'}, alpha=${py(p.alpha)}, trainable=${p.gate === 'trainable' ? 'True' : 'False'}` +
        `${norm ? `, norm=${norm}, norm_at=${JSON.stringify(p.normAt)}` : ''}),`);
      return;
    }
    if (!r.kind.units && !KIND_ARGS[r.kind.name]) {
      model.push(`${INDENT}# layer ${i + 1}: ${unwritten(r.kind)}`);
      notes.push({ layer: i + 1, text: unwritten(r.kind) });
      return;
    }
    if (!r.kind.units) {
      const names = KIND_ARGS[r.kind.name].pytorch;
      model.push(`${INDENT}${r.kind.pytorch}(${[fanIn, ...Object.entries(r.params).map(([k, v]) => `${names[k]}=${py(v)}`)].join(', ')}),`);
      return;
    }
    model.push(`${INDENT}nn.Linear(${fanIn}, ${r.units}),`);
    const act = i === last && logits ? null : torchActivation(r.activation);
    if (act) model.push(`${INDENT}${act},`);
    else if (i === last && logits) model[model.length - 1] += `  # logits: the loss applies the ${r.activation.name}`;
    fanIn = r.units;
  });
  model.push(')');
  const initLinesOf = (r, i, law = r.law) => {
    const w = initializerCode('pytorch', r.init, r.initRow, schema, law, 'weight');
    const b = initializerCode('pytorch', r.bias, r.biasRow, schema, null, 'bias');
    for (const n of [...w.notes, ...b.notes]) notes.push({ layer: i + 1, text: n });
    return [w.code, b.code].filter(Boolean);
  };
  // The dense layers' initializers, then those of other kinds that the config sets
  // (a LayerNorm starts at weight 1, bias 0 by itself, as the engine's does).
  // A block's nn.Linear layers take the block's initializers (W2: W1's law where its fans are W1's).
  const blocks = hasBlocks(rows);
  const inits = rows.flatMap((r, i) => (r.kind.units ? [initLinesOf(r, i)]
    : r.kind.name === 'residual' ? [initLinesOf(r, i), ...(r.params.branch === 2 ? [initLinesOf(r, i, r.params.hidden && r.params.hidden !== r.fanIn ? null : r.law)] : [])] : []));
  const same = inits.every((lines) => lines.join('\n') === inits[0].join('\n'));
  const initLines = [blocks ? 'linears = [m for m in model.modules() if isinstance(m, nn.Linear)]  # a block\'s too'
    : 'linears = [m for m in model if isinstance(m, nn.Linear)]'];
  if (same) {
    if (inits[0].length) initLines.push('for layer in linears:', ...inits[0].map((l) => `${INDENT}${l}`));
  } else {
    inits.forEach((lines, k) => {
      if (!lines.length) return;
      initLines.push(`layer = linears[${k}]`, ...lines);
    });
  }
  for (const kind of new Set(rows.filter((r) => r.ownInits).map((r) => r.kind))) {
    const own = rows.map((r, i) => [r, i]).filter(([r]) => r.kind === kind);
    const list = `${kind.name}_layers`;
    initLines.push(`${list} = [m for m in model if isinstance(m, ${kind.pytorch})]`);
    own.forEach(([r, i], k) => { if (r.ownInits) initLines.push(`layer = ${list}[${k}]`, ...initLinesOf(r, i)); });
  }
  const wd = config.optimizer.weightDecay;
  const params = wd > 0 && blocks
    ? `[{"params": [l.weight for l in linears], "weight_decay": ${py(wd)}}, {"params": [p for p in model.parameters() if all(p is not l.weight for l in linears)], "weight_decay": 0.0}]`
    : wd > 0
    ? `[{"params": [l.weight for l in linears], "weight_decay": ${py(wd)}}, {"params": [l.bias for l in linears]${
      rows.some((r) => !r.kind.units) ? ' + [p for m in model if not isinstance(m, nn.Linear) for p in m.parameters()]' : ''}, "weight_decay": 0.0}]`
    : 'model.parameters()';
  const loss = { bce: 'nn.BCEWithLogitsLoss()', cross_entropy: 'nn.CrossEntropyLoss()', mse: 'nn.MSELoss()' }[config.loss];
  const target = config.loss === 'bce' ? 'y_train[:, None]'
    : config.loss === 'cross_entropy' ? 'y_train.long()'
      : config.layers[last].units > 1 ? `nn.functional.one_hot(y_train.long(), ${config.layers[last].units}).float()` : 'y_train[:, None]';
  const clip = [];
  if (config.optimizer.clipValue !== null && config.optimizer.clipValue !== undefined) clip.push(`${INDENT}${INDENT}nn.utils.clip_grad_value_(model.parameters(), ${py(config.optimizer.clipValue)})`);
  if (config.optimizer.clipNorm !== null && config.optimizer.clipNorm !== undefined) clip.push(`${INDENT}${INDENT}nn.utils.clip_grad_norm_(model.parameters(), ${py(config.optimizer.clipNorm)})`);
  // convention pytorch: the engine follows torch.optim's rule, so the note has nothing to add.
  const optNote = config.optimizer.convention === 'pytorch' ? null : OPTIMIZER_NOTE[config.optimizer.name];
  const schedule = scheduleFunction('pytorch', config.optimizer, schema);
  const residualInit = residualInitLines('pytorch', config, snapshot, schema);
  const out = [
    ...header([
      `# Data: ${context.dataFile} (Export > Data set CSV): the rows as the network sees them`,
      `# (${dataset.name}, normalization ${config.data.normalize ?? 'none'} already applied).`,
      '# PyTorch keeps a weight as (out, in), Keras and initscope as (in, out): the fans are the same.',
    ], context),
    ...(schedule || residualInit.some((l) => l.includes('math.')) ? ['import math', ''] : []),
    'import numpy as np',
    'import torch',
    'from torch import nn',
    '',
    `torch.manual_seed(${config.seed})`,
    '',
    `data = torch.tensor(np.loadtxt(${JSON.stringify(context.dataFile)}, delimiter=",", skiprows=1), dtype=torch.float32)`,
    'train = data[data[:, -1] == 0]  # last column: 0 train, 1 test',
    `x_train, y_train = train[:, :${dataset.inputDim}], train[:, ${dataset.inputDim}]`,
    '',
    ...(blocks ? ['', ...TORCH_BLOCK] : []),
    ...model,
    '',
    ...initLines,
    ...residualInit,
    ...parameterizationLines(config),
    ...(notes.length ? ['', ...noteLines(notes, rows.length)] : []),
    '',
    `loss_fn = ${loss}`,
    `optimizer = ${torchOptimizer(config.optimizer, params)}`,
    ...(schedule ? [...schedule, 'scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)'] : []),
    ...(optNote ? [`# ${optNote}`] : []),
    `steps = ${context.step || 1000}  # optimizer steps, as initscope counts them`,
    `batch = min(${config.optimizer.batch}, len(x_train))`,
    'step = 0',
    ...(keepsRunning(config) ? ['model.train()  # batchnorm: the batch\'s statistics, running averages updated'] : []),
    'while step < steps:',
    `${INDENT}order = torch.randperm(len(x_train))`,
    `${INDENT}for start in range(0, len(x_train), batch):`,
    `${INDENT}${INDENT}rows = order[start:start + batch]`,
    `${INDENT}${INDENT}optimizer.zero_grad()`,
    `${INDENT}${INDENT}loss = loss_fn(model(x_train[rows]), ${target.replace(/y_train/g, 'y_train[rows]')})`,
    `${INDENT}${INDENT}loss.backward()`,
    ...clip,
    `${INDENT}${INDENT}optimizer.step()`,
    ...(schedule ? [`${INDENT}${INDENT}scheduler.step()`] : []),
    `${INDENT}${INDENT}step += 1`,
    `${INDENT}${INDENT}if step == steps:`,
    `${INDENT}${INDENT}${INDENT}break`,
    'print(f"step {step}: loss {loss.item():.4f}")',
    ...(keepsRunning(config) ? [
      'model.eval()  # batchnorm: its running averages, as initscope evaluates',
      'with torch.no_grad():',
      `${INDENT}print(f"train loss {loss_fn(model(x_train), ${target}).item():.4f}")`,
    ] : []),
    '',
  ];
  return out.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n');
}

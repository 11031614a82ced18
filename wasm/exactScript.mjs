// The exact run out: a PyTorch (or Keras 3) script that replays a run of the engine step for
// step. It carries the run's initial weights, its training rows as the network sees them
// (normalized) and the rows of every step's minibatch, applies L2 and clipping in the
// engine's order, and updates with the optimizer rule of the run's convention, so that the
// loss it prints at each step is the engine's (to float32 rounding: see the parity tier,
// tests/parity/). Arrays travel as base64 of their little-endian bytes: exact and compact.
//
//   import { exactInput, pytorchScript } from './exactScript.mjs';
//   const script = pytorchScript(exactInput(run, { steps: 200, schema: lab.schema() }));
//
// exactInput reads a live run (the JS API's Run); the script writers take only its plain
// result, so the page can gather it in its worker and write the script in the page.
import { InitscopeError } from './errors.mjs';
import { scheduleLines } from './schedulePython.mjs';

const INDENT = '    ';

/** A Python float literal (exact: JS's shortest round-trip text). */
function pyFloat(value) {
  if (!Number.isFinite(value)) return value > 0 ? 'float("inf")' : value < 0 ? 'float("-inf")' : 'float("nan")';
  const s = String(value);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 of a typed array's bytes (little-endian on every platform that runs wasm). */
export function base64Of(typed) {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  const parts = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const word = (b0 << 16) | (b1 << 8) | b2;
    chunk += B64[(word >> 18) & 63] + B64[(word >> 12) & 63] +
      (i + 1 < bytes.length ? B64[(word >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[word & 63] : '=');
    if (chunk.length >= 8192) { parts.push(chunk); chunk = ''; }
  }
  parts.push(chunk);
  return parts.join('');
}

/**
 * What a script needs from a live run (the JS API's Run), as plain data: its config, the
 * layer shapes, the initial weights (base64 float32, as exportState() has them), the
 * training rows as the network sees them, the rows of steps 1 to `steps` from the start,
 * and the engine's own minibatch loss of each of those steps the run has taken and still
 * keeps (null where it has not: the script then prints its losses alone).
 */
export function exactInput(run, { steps = 200, version = '', schema = null } = {}) {
  // The scripts write standard layers and one learning rate: a parameterization's forward
  // multipliers and per-tensor rates are not written out, so its run is refused.
  const parameterization = run.config.parameterization;
  if (parameterization && parameterization.name !== 'standard') {
    throw new InitscopeError(`parameterization: "${parameterization.name}" is not written out by the exact scripts yet; ` +
      'expected "standard" (the scripts write plain layers and one learning rate)', 'parameterization');
  }
  // A learning-rate schedule is written from the schema's row of it (its Python expression).
  if (run.config.optimizer.schedule && !schema) {
    throw new InitscopeError('exactInput: options.schema (lab.schema()) is needed for a run with a learning-rate schedule', 'schema');
  }
  const blockNorms = run.config.layers.filter((l) => kindOf(l) === 'residual' && l.norm && l.norm !== 'none');
  if (blockNorms.some((l) => l.norm === 'batchnorm') && !schema) {
    throw new InitscopeError('exactInput: options.schema (lab.schema()) is needed for a residual block with a batchnorm (its momentum)', 'schema');
  }
  const state = run.exportState();
  const weights = run.weights();
  // (fan_in, fan_out) per layer: a dense W's shape; a layer that keeps its width (layernorm,
  // whose first tensor is a vector of gains; a residual block, whose W1 is (width, hidden))
  // reads and writes that width.
  const shapes = weights.map(({ shape }, l) => (shape.length === 2 && kindOf(run.config.layers[l]) !== 'residual' ? shape : [shape[0], shape[0]]));
  const d = run.dataset();
  const order = run.minibatchOrder(steps, { fromStart: true });
  const history = run.snapshot().history;
  const losses = new Array(steps).fill(null);
  history.step.forEach((s, i) => { if (s < steps) losses[s] = history.loss[i]; });
  return {
    version,
    config: run.config,
    shapes,
    initialParams: state.initialParams,
    // BatchNorm layers' running averages at the start (mean, then variance, layer after
    // layer); null for a network without them.
    initialRunning: state.initialRunning ?? null,
    dataset: { name: d.name, inputDim: d.inputDim, numClasses: d.numClasses, train: d.yTrain.length, xTrain: base64Of(d.xTrain), yTrain: base64Of(d.yTrain) },
    steps,
    batch: order.batch,
    rows: base64Of(order.rows),
    losses,
    schedules: run.config.optimizer.schedule ? schema.optimizers.schedules : [],
    // A network with residual blocks: each layer's tensors' shapes in the engine's order (a
    // block's W1, b1, [W2, b2], [alpha], [norm.gain, norm.shift]), and a block's norm's
    // momentum (the batchnorm kind's default: a block has no key for it); else null.
    tensors: run.config.layers.some((l) => kindOf(l) === 'residual') ? weights.map(tensorShapes) : null,
    blockMomentum: schema?.layerKinds.find((k) => k.name === 'batchnorm')?.params.find((p) => p.name === 'momentum')?.default ?? null,
  };
}

// A layer's tensors' shapes in the engine's order, from weights() (a block's W2 is (hidden, width)).
function tensorShapes(l) {
  const list = [l.shape, [l.b.length]];
  if (l.W2) list.push([l.b.length, l.shape[0]]);
  for (const key of ['b2', 'alpha', 'normGain', 'normShift']) if (l[key]) list.push([l[key].length]);
  return list;
}

// ---- pieces both scripts share --------------------------------------------------------

// The output units' targets: one 0/1 column for one unit, else one-hot (the engine's encoding).
const outputUnits = (input) => input.shapes[input.shapes.length - 1][1];
// The kind of each layer of the config (no kind: dense).
const kindOf = (layer) => layer.kind ?? 'dense';

function wrapBase64(name, text) {
  // One line per 96 characters, inside parentheses: Python joins adjacent string literals.
  const lines = [];
  for (let i = 0; i < text.length; i += 96) lines.push(`${INDENT}"${text.slice(i, i + 96)}"`);
  return [`${name} = (`, ...(lines.length ? lines : [`${INDENT}""`]), ')'];
}

function header(input, framework) {
  const c = input.config;
  const o = c.optimizer;
  return [
    `# initscope run replayed exactly in ${framework}${input.version ? ` (initscope ${input.version})` : ''}.`,
    '# It carries the run\'s initial weights, its training rows as the network sees them',
    `# (${input.dataset.name}, normalization ${c.data.normalize ?? 'none'} applied) and the rows of each step's`,
    `# minibatch (${input.batch} per step), so the loss it prints at each step is initscope's, to float32`,
    '# rounding (the engine keeps its optimizer state in float64 and sums in its own order).',
    `# Optimizer: ${o.name}, convention ${o.convention ?? 'keras'}; weights are (fan_in, fan_out) as in Keras.`,
  ];
}

function data(input) {
  return [
    ...wrapBase64('X_TRAIN', input.dataset.xTrain),
    ...wrapBase64('Y_TRAIN', input.dataset.yTrain),
    ...wrapBase64('INITIAL', input.initialParams),
    ...(input.initialRunning ? wrapBase64('INITIAL_RUNNING', input.initialRunning) : []),
    ...wrapBase64('ROWS', input.rows),
    `LAYERS = [${input.shapes.map(([i, o], l) => `(${JSON.stringify(kindOf(input.config.layers[l]))}, ${i}, ${o})`).join(', ')}]  # (kind, fan_in, fan_out)`,
    ...(input.tensors ? [`TENSORS = [${input.tensors.map((list) => `[${list.map((shape) => `(${shape.join(', ')},)`).join(', ')}]`).join(', ')}]  # each layer's tensors, the engine's order`] : []),
    `STEPS, BATCH = ${input.steps}, ${input.batch}`,
    `ENGINE = [${input.losses.map((l) => (l === null || l === undefined ? 'None' : pyFloat(l))).join(', ')}]`,
  ];
}

function decoders(input) {
  return [
    'def array(text, dtype):',
    `${INDENT}return np.frombuffer(base64.b64decode(text), dtype=dtype)`,
    '',
    `x_train = array(X_TRAIN, "<f4").reshape(-1, LAYERS[0][1])`,
    'y_train = array(Y_TRAIN, "<i4")',
    'rows = array(ROWS, "<u4").astype(np.int64).reshape(STEPS, -1) if STEPS else np.zeros((0, BATCH), np.int64)',
    'flat = array(INITIAL, "<f4")',
    'initial, at = [], 0',
    ...(input.tensors ? [
      'for shapes in TENSORS:  # dense: W (fan_in, fan_out) and b; layernorm: gain and shift; a block: its tensors',
      `${INDENT}arrays = []`,
      `${INDENT}for shape in shapes:`,
      `${INDENT}${INDENT}arrays.append(flat[at:at + math.prod(shape)].reshape(shape))`,
      `${INDENT}${INDENT}at += math.prod(shape)`,
      `${INDENT}initial.append(tuple(arrays))`,
    ] : [
      'for kind, fan_in, fan_out in LAYERS:  # dense: W (fan_in, fan_out) and b; layernorm: gain and shift',
      `${INDENT}shape = (fan_in, fan_out) if kind == "dense" else (fan_out,)`,
      `${INDENT}w = flat[at:at + math.prod(shape)].reshape(shape)`,
      `${INDENT}at += math.prod(shape)`,
      `${INDENT}initial.append((w, flat[at:at + fan_out]))`,
      `${INDENT}at += fan_out`,
    ]),
    ...(input.initialRunning ? [
      '# batchnorm: its running mean and running variance, the engine\'s (they normalize in evaluation only)',
      'flat_running, at = array(INITIAL_RUNNING, "<f4"), 0',
      'running = []',
      ...(input.tensors ? [`BATCHNORMS = [${input.config.layers.map((l) => (kindOf(l) === 'batchnorm' || (kindOf(l) === 'residual' && l.norm === 'batchnorm') ? 'True' : 'False')).join(', ')}]  # a batchnorm, or a block's`] : []),
      input.tensors ? 'for (kind, fan_in, fan_out), keeps in zip(LAYERS, BATCHNORMS):' : 'for kind, fan_in, fan_out in LAYERS:',
      `${INDENT}if ${input.tensors ? 'keeps' : 'kind == "batchnorm"'}:`,
      `${INDENT}${INDENT}running.append((flat_running[at:at + fan_out], flat_running[at + fan_out:at + 2 * fan_out]))`,
      `${INDENT}${INDENT}at += 2 * fan_out`,
    ] : []),
  ];
}

function report() {
  return [
    'def report(step, loss, worst):',
    `${INDENT}engine = ENGINE[step]`,
    `${INDENT}if engine is None:`,
    `${INDENT}${INDENT}print(f"{step:6d} {loss:.9e}")`,
    `${INDENT}${INDENT}return worst`,
    `${INDENT}rel = abs(loss - engine) / max(abs(engine), 1e-30)`,
    `${INDENT}print(f"{step:6d} {loss:.9e} {engine:.9e} {rel:.2e}")`,
    `${INDENT}return max(worst, rel)`,
  ];
}

// ---- PyTorch ---------------------------------------------------------------------------

const TORCH_ACTIVATION = {
  linear: () => null, sigmoid: () => 'nn.Sigmoid()', tanh: () => 'nn.Tanh()', relu: () => 'nn.ReLU()', selu: () => 'nn.SELU()',
  gelu: () => 'nn.GELU()', softplus: () => 'nn.Softplus()', swish: () => 'nn.SiLU()', softmax: () => 'nn.Softmax(dim=1)',
  leaky_relu: (a) => `nn.LeakyReLU(negative_slope=${pyFloat(a.alpha ?? 0.01)})`,
  elu: (a) => `nn.ELU(alpha=${pyFloat(a.alpha ?? 1)})`,
};

const activationOf = (a) => (typeof a === 'string' ? { name: a } : a ?? { name: 'linear' });

// initscope's residual block (core/src/residual_layer.cpp) as a module, written once per
// script: the same operations in the same order, its tensors listed in the engine's order.
const RESIDUAL_CLASS = [
  'class Residual(nn.Module):',
  `${INDENT}"""initscope's residual block: out = x + α·f(x) (activationAt "before": f starts with φ)`,
  `${INDENT}or φ(x + α·f(x)) ("after"); f = W2·φ(W1·h + b1) + b2 (branch 2) or W1·h + b1 (branch 1),`,
  `${INDENT}h = x or norm(x) (pre-norm); a post-norm normalizes x + α·f(x), before the "after" φ."""`,
  '',
  `${INDENT}def __init__(self, width, hidden, branch, phi, after, alpha, trainable, norm=None, norm_at="pre"):`,
  `${INDENT}${INDENT}super().__init__()`,
  `${INDENT}${INDENT}self.lin1 = nn.Linear(width, hidden if branch == 2 else width)`,
  `${INDENT}${INDENT}self.lin2 = nn.Linear(hidden, width) if branch == 2 else None`,
  `${INDENT}${INDENT}self.phi = phi if phi is not None else nn.Identity()`,
  `${INDENT}${INDENT}self.after, self.norm, self.norm_at = after, norm, norm_at`,
  `${INDENT}${INDENT}self.alpha = nn.Parameter(torch.tensor([alpha])) if trainable else alpha  # a trainable gate, or a constant`,
  '',
  `${INDENT}def forward(self, x):`,
  `${INDENT}${INDENT}h = self.norm(x) if self.norm is not None and self.norm_at == "pre" else x`,
  `${INDENT}${INDENT}f = self.lin1(h if self.after else self.phi(h))`,
  `${INDENT}${INDENT}if self.lin2 is not None:`,
  `${INDENT}${INDENT}${INDENT}f = self.lin2(self.phi(f))`,
  `${INDENT}${INDENT}s = x + self.alpha * f`,
  `${INDENT}${INDENT}if self.norm is not None and self.norm_at == "post":`,
  `${INDENT}${INDENT}${INDENT}s = self.norm(s)`,
  `${INDENT}${INDENT}return self.phi(s) if self.after else s`,
  '',
  `${INDENT}def engine_tensors(self):`,
  `${INDENT}${INDENT}"""W1, b1, [W2, b2], [alpha], [norm gain, norm shift]: the engine's order."""`,
  `${INDENT}${INDENT}out = [self.lin1.weight, self.lin1.bias]`,
  `${INDENT}${INDENT}if self.lin2 is not None:`,
  `${INDENT}${INDENT}${INDENT}out += [self.lin2.weight, self.lin2.bias]`,
  `${INDENT}${INDENT}if isinstance(self.alpha, nn.Parameter):`,
  `${INDENT}${INDENT}${INDENT}out.append(self.alpha)`,
  `${INDENT}${INDENT}if self.norm is not None:`,
  `${INDENT}${INDENT}${INDENT}out += [self.norm.weight, self.norm.bias]`,
  `${INDENT}${INDENT}return out`,
  '',
];

/** One block of the config as a Residual(...) call (its hidden width from its W1's shape). */
function residualCall(layer, width, hidden, momentum) {
  const act = activationOf(layer.activation);
  const phi = TORCH_ACTIVATION[act.name]?.(act) ?? 'None';
  const norm = layer.norm === 'layernorm' ? `nn.LayerNorm(${width}, eps=${pyFloat(layer.normEpsilon)})`
    : layer.norm === 'batchnorm' ? `nn.BatchNorm1d(${width}, eps=${pyFloat(layer.normEpsilon)}, momentum=${pyFloat(momentum)})` : null;
  return `Residual(${width}, ${hidden}, branch=${layer.branch}, phi=${phi}, after=${layer.activationAt === 'after' ? 'True' : 'False'}, ` +
    `alpha=${pyFloat(layer.alpha)}, trainable=${layer.gate === 'trainable' ? 'True' : 'False'}${norm ? `, norm=${norm}, norm_at=${JSON.stringify(layer.normAt)}` : ''})`;
}

/** The optimizer lines: torch.optim's class for PyTorch's rule, a small class for Keras's. */
function torchOptimizer(o, schedules) {
  const kind = o.name;
  const keras = (o.convention ?? 'keras') === 'keras' && kind !== 'sgd';
  const schedule = scheduleLines('pytorch', o, schedules, pyFloat);
  if (!keras) {
    const call = {
      sgd: `torch.optim.SGD(params, lr=${pyFloat(o.lr)})`,
      momentum: `torch.optim.SGD(params, lr=${pyFloat(o.lr)}, momentum=${pyFloat(o.momentum)})`,
      nesterov: `torch.optim.SGD(params, lr=${pyFloat(o.lr)}, momentum=${pyFloat(o.momentum)}, nesterov=True)`,
      rmsprop: `torch.optim.RMSprop(params, lr=${pyFloat(o.lr)}, alpha=${pyFloat(o.rho)}, eps=${pyFloat(o.epsilon)})`,
      adam: `torch.optim.Adam(params, lr=${pyFloat(o.lr)}, betas=(${pyFloat(o.beta1)}, ${pyFloat(o.beta2)}), eps=${pyFloat(o.epsilon)})`,
    }[kind];
    return [`optimizer = ${call}  # PyTorch's own rule (convention "${o.convention ?? 'keras'}")`,
      ...(schedule ? [...schedule, 'scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)'] : [])];
  }
  const I2 = INDENT.repeat(2);
  const I3 = INDENT.repeat(3);
  const rule = {
    momentum: [`${I3}v = s.setdefault("v", torch.zeros_like(p))`, `${I3}v.mul_(${pyFloat(o.momentum)}).sub_(g, alpha=lr)`, `${I3}p.add_(v)`],
    nesterov: [`${I3}v = s.setdefault("v", torch.zeros_like(p))`, `${I3}v.mul_(${pyFloat(o.momentum)}).sub_(g, alpha=lr)`,
      `${I3}p.add_(v * ${pyFloat(o.momentum)} - g * lr)`],
    rmsprop: [`${I3}v = s.setdefault("v", torch.zeros_like(p))`, `${I3}v.mul_(${pyFloat(o.rho)}).addcmul_(g, g, value=1 - ${pyFloat(o.rho)})`,
      `${I3}p.sub_(g * lr / torch.sqrt(v + ${pyFloat(o.epsilon)}))`],
    adam: [`${I3}m = s.setdefault("m", torch.zeros_like(p))`, `${I3}v = s.setdefault("v", torch.zeros_like(p))`,
      `${I3}m.add_((g - m) * (1 - ${pyFloat(o.beta1)}))`, `${I3}v.add_((g * g - v) * (1 - ${pyFloat(o.beta2)}))`,
      `${I3}p.sub_(m * alpha / (torch.sqrt(v) + ${pyFloat(o.epsilon)}))`],
  }[kind];
  return [
    'class KerasRule:',
    `${INDENT}"""keras.optimizers.${kind === 'rmsprop' ? 'RMSprop' : kind === 'adam' ? 'Adam' : 'SGD'}'s update rule (initscope's convention "keras"), in float32."""`,
    '',
    `${INDENT}def __init__(self, params):`,
    `${I2}self.params, self.state, self.t = list(params), {}, 0`,
    '',
    `${INDENT}def zero_grad(self):`,
    `${I2}for p in self.params:`,
    `${I3}p.grad = None`,
    '',
    `${INDENT}@torch.no_grad()`,
    `${INDENT}def step(self):`,
    `${I2}self.t += 1`,
    `${I2}lr = ${pyFloat(o.lr)}${schedule ? ' * lr_factor(self.t - 1)  # update t - 1 of the schedule' : ''}`,
    ...(kind === 'adam' ? [`${I2}alpha = lr * math.sqrt(1 - ${pyFloat(o.beta2)} ** self.t) / (1 - ${pyFloat(o.beta1)} ** self.t)`] : []),
    `${I2}for p in self.params:`,
    `${I3}g, s = p.grad, self.state.setdefault(p, {})`,
    ...rule,
    '',
    '',
    ...(schedule ? [...schedule, ''] : []),
    'optimizer = KerasRule(params)',
  ];
}

/**
 * A PyTorch script that replays the run: `python3 script.py` prints, per step, its loss,
 * initscope's and their relative difference, then the largest difference.
 * @param {ReturnType<typeof exactInput>} input
 */
export function pytorchScript(input) {
  const c = input.config;
  const o = c.optimizer;
  const units = outputUnits(input);
  const logits = c.loss === 'bce' || c.loss === 'cross_entropy';
  const blocks = Boolean(input.tensors);
  const model = ['model = nn.Sequential('];
  c.layers.forEach((layer, i) => {
    const [fanIn, fanOut] = input.shapes[i];
    if (kindOf(layer) === 'residual') {
      model.push(`${INDENT}${residualCall(layer, fanOut, input.tensors[i][0][1], input.blockMomentum)},`);
      return;
    }
    if (kindOf(layer) === 'layernorm') {
      model.push(`${INDENT}nn.LayerNorm(${fanOut}, eps=${pyFloat(layer.epsilon)}),`);
      return;
    }
    if (kindOf(layer) === 'batchnorm') {
      model.push(`${INDENT}nn.BatchNorm1d(${fanOut}, eps=${pyFloat(layer.epsilon)}, momentum=${pyFloat(layer.momentum)}),`);
      return;
    }
    model.push(`${INDENT}nn.Linear(${fanIn}, ${fanOut}),`);
    const last = i === c.layers.length - 1;
    const act = last && logits ? null : TORCH_ACTIVATION[activationOf(layer.activation).name]?.(activationOf(layer.activation));
    if (act) model.push(`${INDENT}${act},`);
    if (last && logits) model[model.length - 1] += `  # logits: the loss applies the ${activationOf(layer.activation).name}`;
  });
  model.push(')');
  const loss = { bce: 'nn.BCEWithLogitsLoss()', cross_entropy: 'nn.CrossEntropyLoss()', mse: 'nn.MSELoss()' }[c.loss];
  const target = c.loss === 'cross_entropy' ? 'torch.from_numpy(y_train.astype(np.int64))'
    : c.loss === 'mse' && units > 1 ? `nn.functional.one_hot(torch.from_numpy(y_train.astype(np.int64)), ${units}).float()`
      : 'torch.from_numpy(y_train.astype(np.float32))[:, None]';
  const gradient = [];
  if (o.weightDecay > 0) {
    gradient.push(`${INDENT}for layer in linears:  # L2 on the weights (not biases), before clipping, as initscope and Keras`,
      `${INDENT}${INDENT}layer.weight.grad.add_(layer.weight.detach(), alpha=${pyFloat(o.weightDecay)})`);
  }
  if (o.clipValue !== null && o.clipValue !== undefined) {
    gradient.push(`${INDENT}for p in params:`, `${INDENT}${INDENT}p.grad.clamp_(-${pyFloat(o.clipValue)}, ${pyFloat(o.clipValue)})`);
  }
  if (o.clipNorm !== null && o.clipNorm !== undefined) {
    gradient.push(
      `${INDENT}norm = math.sqrt(sum(float((p.grad.double() ** 2).sum()) for p in params))  # in float64, as initscope`,
      `${INDENT}if norm > ${pyFloat(o.clipNorm)}:  # g·c/‖g‖, as Keras's clip_by_global_norm (clip_grad_norm_ adds 1e-6 to ‖g‖)`,
      `${INDENT}${INDENT}for p in params:`,
      `${INDENT}${INDENT}${INDENT}p.grad.copy_(p.grad.double() * (${pyFloat(o.clipNorm)} / norm))`,
    );
  }
  const lines = [
    ...header(input, 'PyTorch'),
    '# Run: python3 this_file.py  (prints step, loss, initscope\'s loss, relative difference)',
    'import base64',
    'import math',
    '',
    'import numpy as np',
    'import torch',
    'from torch import nn',
    '',
    'torch.set_num_threads(1)',
    '',
    ...data(input),
    '',
    ...decoders(input),
    '',
    ...(blocks ? [...RESIDUAL_CLASS, ''] : []),
    ...model,
    ...(blocks ? [
      'linears = [m for m in model.modules() if isinstance(m, nn.Linear)]  # a block\'s too',
      'layers = [m for m in model if isinstance(m, (nn.Linear, nn.LayerNorm, nn.BatchNorm1d, Residual))]  # as LAYERS',
      '',
      '',
      'def engine_tensors(layer):',
      `${INDENT}return layer.engine_tensors() if isinstance(layer, Residual) else [layer.weight, layer.bias]`,
      '',
      '',
      'with torch.no_grad():',
      `${INDENT}for layer, arrays in zip(layers, initial):`,
      `${INDENT}${INDENT}for p, a in zip(engine_tensors(layer), arrays):  # PyTorch keeps a weight as (fan_out, fan_in)`,
      `${INDENT}${INDENT}${INDENT}p.copy_(torch.from_numpy((a.T if a.ndim == 2 else a).copy()))`,
    ] : [
      'linears = [m for m in model if isinstance(m, nn.Linear)]',
      'layers = [m for m in model if isinstance(m, (nn.Linear, nn.LayerNorm, nn.BatchNorm1d))]  # as LAYERS',
      'with torch.no_grad():',
      `${INDENT}for layer, (w, b) in zip(layers, initial):`,
      `${INDENT}${INDENT}layer.weight.copy_(torch.from_numpy(w.T.copy()))  # PyTorch keeps (fan_out, fan_in)`,
      `${INDENT}${INDENT}layer.bias.copy_(torch.from_numpy(b.copy()))`,
    ]),
    ...(input.initialRunning ? [
      // model.modules() lists a block's norm where the block is: the order of LAYERS.
      `${INDENT}for layer, (mean, var) in zip([m for m in model.modules() if isinstance(m, nn.BatchNorm1d)], running):`,
      `${INDENT}${INDENT}layer.running_mean.copy_(torch.from_numpy(mean.copy()))`,
      `${INDENT}${INDENT}layer.running_var.copy_(torch.from_numpy(var.copy()))`,
    ] : []),
    blocks ? 'params = [p for layer in layers for p in engine_tensors(layer)]'
      : 'params = [p for layer in layers for p in (layer.weight, layer.bias)]',
    '',
    `loss_fn = ${loss}`,
    ...torchOptimizer(o, input.schedules),
    '',
    'x_all = torch.from_numpy(x_train.copy())',
    `t_all = ${target}`,
    '',
    ...report(),
    '',
    'worst = 0.0',
    ...(input.initialRunning ? ['model.train()  # batchnorm: the batch\'s statistics, the running averages updated'] : []),
    'for step in range(STEPS):',
    `${INDENT}batch = torch.from_numpy(rows[step])`,
    `${INDENT}optimizer.zero_grad()`,
    `${INDENT}loss = loss_fn(model(x_all[batch]), t_all[batch])`,
    `${INDENT}loss.backward()`,
    ...gradient,
    `${INDENT}optimizer.step()`,
    ...(o.schedule && !((o.convention ?? 'keras') === 'keras' && o.name !== 'sgd') ? [`${INDENT}scheduler.step()`] : []),
    `${INDENT}worst = report(step, loss.item(), worst)`,
    'if any(e is not None for e in ENGINE):',
    `${INDENT}print(f"largest relative difference from initscope: {worst:.3e}")`,
    '',
  ];
  return lines.join('\n');
}

// ---- Keras 3 ---------------------------------------------------------------------------

const hasClip = (v) => v !== null && v !== undefined;
// Keras 3 takes one of clipnorm, clipvalue and global_clipnorm; with both of the engine's, the
// script clips itself (kerasClipBoth).
const clipBoth = (o) => hasClip(o.clipValue) && hasClip(o.clipNorm);

function kerasClipArgs(o) {
  if (clipBoth(o)) return [];
  const clip = [];
  if (hasClip(o.clipValue)) clip.push(`clipvalue=${pyFloat(o.clipValue)}`);
  if (hasClip(o.clipNorm)) clip.push(`global_clipnorm=${pyFloat(o.clipNorm)}`);
  return clip;
}

// The engine's clipping, value then global norm, around an optimizer class's apply().
function kerasClipBoth(o, base) {
  return [
    `class Clipped(${base}):`,
    `${INDENT}"""Clips as initscope does: each value to [-c, c], then the global norm (Keras 3 takes only one of clipvalue and global_clipnorm)."""`,
    '',
    `${INDENT}def apply(self, grads, trainable_variables=None):`,
    `${INDENT}${INDENT}grads = [ops.clip(g, -${pyFloat(o.clipValue)}, ${pyFloat(o.clipValue)}) for g in grads]`,
    `${INDENT}${INDENT}norm = ops.sqrt(sum(ops.sum(ops.square(g)) for g in grads))`,
    `${INDENT}${INDENT}scale = ${pyFloat(o.clipNorm)} / ops.maximum(norm, ${pyFloat(o.clipNorm)})`,
    `${INDENT}${INDENT}return super().apply([g * scale for g in grads], trainable_variables)`,
    '',
    '',
  ];
}

/** keras.optimizers' class and arguments for the run's optimizer (the schema's names). */
export function kerasOptimizerCall(o) {
  const lr = `learning_rate=${o.schedule ? 'Schedule()' : pyFloat(o.lr)}`;
  const clip = kerasClipArgs(o);
  const body = {
    sgd: ['SGD', [lr]],
    momentum: ['SGD', [lr, `momentum=${pyFloat(o.momentum)}`]],
    nesterov: ['SGD', [lr, `momentum=${pyFloat(o.momentum)}`, 'nesterov=True']],
    rmsprop: ['RMSprop', [lr, `rho=${pyFloat(o.rho)}`, `epsilon=${pyFloat(o.epsilon)}`]],
    adam: ['Adam', [lr, `beta_1=${pyFloat(o.beta1)}`, `beta_2=${pyFloat(o.beta2)}`, `epsilon=${pyFloat(o.epsilon)}`]],
  }[o.name];
  return `keras.optimizers.${body[0]}(${[...body[1], ...clip].join(', ')})`;
}

// PyTorch's rules as Keras optimizers (Keras has no such setting): RMSprop and Adam differ.
function kerasPytorchRule(o) {
  const I2 = INDENT.repeat(2);
  const clip = kerasClipArgs(o);
  const init = `super().__init__(learning_rate=${o.schedule ? 'Schedule()' : pyFloat(o.lr)}${clip.length ? `, ${clip.join(', ')}` : ''}, name="pytorch_${o.name}")`;
  const update = o.name === 'adam' ? [
    `${I2}m, v = self.m[self._get_variable_index(variable)], self.v[self._get_variable_index(variable)]`,
    `${I2}t = ops.cast(self.iterations + 1, variable.dtype)`,
    `${I2}self.assign(m, m * ${pyFloat(o.beta1)} + gradient * (1 - ${pyFloat(o.beta1)}))`,
    `${I2}self.assign(v, v * ${pyFloat(o.beta2)} + gradient * gradient * (1 - ${pyFloat(o.beta2)}))`,
    `${I2}denom = ops.sqrt(v) / ops.sqrt(1 - ops.power(${pyFloat(o.beta2)}, t)) + ${pyFloat(o.epsilon)}  # ε after the bias correction`,
    `${I2}self.assign_sub(variable, learning_rate / (1 - ops.power(${pyFloat(o.beta1)}, t)) * m / denom)`,
  ] : [
    `${I2}v = self.v[self._get_variable_index(variable)]`,
    `${I2}self.assign(v, v * ${pyFloat(o.rho)} + gradient * gradient * (1 - ${pyFloat(o.rho)}))`,
    `${I2}self.assign_sub(variable, learning_rate * gradient / (ops.sqrt(v) + ${pyFloat(o.epsilon)}))  # ε outside the root`,
  ];
  return [
    'class PytorchRule(keras.optimizers.Optimizer):',
    `${INDENT}"""torch.optim.${o.name === 'adam' ? 'Adam' : 'RMSprop'}'s update rule (initscope's convention "pytorch") as a Keras optimizer."""`,
    '',
    `${INDENT}def __init__(self):`,
    `${I2}${init}`,
    '',
    `${INDENT}def build(self, variables):`,
    `${I2}super().build(variables)`,
    ...(o.name === 'adam' ? [`${I2}self.m = [self.add_variable_from_reference(w, "m") for w in variables]`] : []),
    `${I2}self.v = [self.add_variable_from_reference(w, "v") for w in variables]`,
    '',
    `${INDENT}def update_step(self, gradient, variable, learning_rate):`,
    ...update,
    '',
    '',
    ...(clipBoth(o) ? [...kerasClipBoth(o, 'PytorchRule'), 'optimizer = Clipped()'] : ['optimizer = PytorchRule()']),
  ];
}

// The same block as a Keras layer (RESIDUAL_CLASS's structure): the same operations in the
// same order, its variables listed in the engine's order. Keras keeps W as (fan_in,
// fan_out), as initscope: the arrays go in as they are.
const KERAS_RESIDUAL_CLASS = [
  'class Residual(keras.layers.Layer):',
  `${INDENT}"""initscope's residual block: out = x + α·f(x) (activationAt "before": f starts with φ)`,
  `${INDENT}or φ(x + α·f(x)) ("after"); f = W2·φ(W1·h + b1) + b2 (branch 2) or W1·h + b1 (branch 1),`,
  `${INDENT}h = x or norm(x) (pre-norm); a post-norm normalizes x + α·f(x), before the "after" φ."""`,
  '',
  `${INDENT}def __init__(self, width, hidden, branch, phi, after, alpha, trainable_gate, norm=None, norm_at="pre", kernel_regularizer=None, **kwargs):`,
  `${INDENT}${INDENT}super().__init__(**kwargs)`,
  `${INDENT}${INDENT}self.dense1 = keras.layers.Dense(hidden if branch == 2 else width, kernel_regularizer=kernel_regularizer)`,
  `${INDENT}${INDENT}self.dense2 = keras.layers.Dense(width, kernel_regularizer=kernel_regularizer) if branch == 2 else None`,
  `${INDENT}${INDENT}self.phi = phi`,
  `${INDENT}${INDENT}self.after, self.norm, self.norm_at, self.gate = after, norm, norm_at, (alpha, trainable_gate)`,
  '',
  `${INDENT}def build(self, input_shape):`,
  `${INDENT}${INDENT}alpha, trainable = self.gate  # a trainable gate, or a constant`,
  `${INDENT}${INDENT}self.alpha = self.add_weight(shape=(1,), initializer=keras.initializers.Constant(alpha), trainable=trainable, name="alpha")`,
  '',
  `${INDENT}def call(self, x, training=None):`,
  `${INDENT}${INDENT}h = self.norm(x, training=training) if self.norm is not None and self.norm_at == "pre" else x`,
  `${INDENT}${INDENT}f = self.dense1(h if self.after else self.phi(h))`,
  `${INDENT}${INDENT}if self.dense2 is not None:`,
  `${INDENT}${INDENT}${INDENT}f = self.dense2(self.phi(f))`,
  `${INDENT}${INDENT}s = x + self.alpha * f`,
  `${INDENT}${INDENT}if self.norm is not None and self.norm_at == "post":`,
  `${INDENT}${INDENT}${INDENT}s = self.norm(s, training=training)`,
  `${INDENT}${INDENT}return self.phi(s) if self.after else s`,
  '',
  `${INDENT}def engine_variables(self):`,
  `${INDENT}${INDENT}"""W1, b1, [W2, b2], [alpha], [norm gain, norm shift]: the engine's order."""`,
  `${INDENT}${INDENT}out = [self.dense1.kernel, self.dense1.bias]`,
  `${INDENT}${INDENT}if self.dense2 is not None:`,
  `${INDENT}${INDENT}${INDENT}out += [self.dense2.kernel, self.dense2.bias]`,
  `${INDENT}${INDENT}if self.alpha.trainable:`,
  `${INDENT}${INDENT}${INDENT}out.append(self.alpha)`,
  `${INDENT}${INDENT}if self.norm is not None:`,
  `${INDENT}${INDENT}${INDENT}out += [self.norm.gamma, self.norm.beta]`,
  `${INDENT}${INDENT}return out`,
  '',
  '',
];

// A block's φ as a Keras callable: the activation by name, or the layer that takes its param.
function kerasPhi(layer) {
  const act = activationOf(layer.activation);
  if (act.name === 'leaky_relu') return `keras.layers.LeakyReLU(negative_slope=${pyFloat(act.alpha ?? 0.01)})`;
  if (act.name === 'elu' && (act.alpha ?? 1) !== 1) return `keras.layers.ELU(alpha=${pyFloat(act.alpha)})`;
  return `keras.activations.get(${JSON.stringify(act.name)})`;
}

/** One block of the config as a Keras Residual(...) call (hidden width from its W1's shape). */
function kerasResidualCall(layer, width, hidden, momentum, l2) {
  // Keras's BatchNormalization momentum is the running averages' keep: 1 − m.
  const norm = layer.norm === 'layernorm' ? `keras.layers.LayerNormalization(epsilon=${pyFloat(layer.normEpsilon)})`
    : layer.norm === 'batchnorm' ? `keras.layers.BatchNormalization(momentum=1 - ${pyFloat(momentum)}, epsilon=${pyFloat(layer.normEpsilon)})` : null;
  return `Residual(${width}, ${hidden}, branch=${layer.branch}, phi=${kerasPhi(layer)}, after=${layer.activationAt === 'after' ? 'True' : 'False'}, ` +
    `alpha=${pyFloat(layer.alpha)}, trainable_gate=${layer.gate === 'trainable' ? 'True' : 'False'}${norm ? `, norm=${norm}, norm_at=${JSON.stringify(layer.normAt)}` : ''}${l2})`;
}

// With blocks: each layer's variables set from the engine's arrays in the engine's order
// (set_weights would take Keras's own order), a batchnorm's (a block's too) moving averages after.
function kerasBlockWeights(input) {
  const I2 = INDENT.repeat(2);
  return [
    'layers = [l for l in model.layers if isinstance(l, (keras.layers.Dense, keras.layers.LayerNormalization, keras.layers.BatchNormalization, Residual))]  # as LAYERS',
    '',
    '',
    'def engine_variables(layer):',
    `${INDENT}if isinstance(layer, Residual):`,
    `${I2}return layer.engine_variables()`,
    `${INDENT}return [layer.gamma, layer.beta] if hasattr(layer, "gamma") else [layer.kernel, layer.bias]`,
    '',
    '',
    '# Keras keeps W as (fan_in, fan_out), as initscope: the arrays go in as they are.',
    'for layer, arrays in zip(layers, initial):',
    `${INDENT}for v, a in zip(engine_variables(layer), arrays):`,
    `${I2}v.assign(a)`,
    ...(input.initialRunning ? [
      'moving = iter(running)',
      'for layer in layers:',
      `${INDENT}norm = layer.norm if isinstance(layer, Residual) else layer`,
      `${INDENT}if isinstance(norm, keras.layers.BatchNormalization):`,
      `${I2}mean, var = next(moving)`,
      `${I2}norm.moving_mean.assign(mean)`,
      `${I2}norm.moving_variance.assign(var)`,
    ] : []),
    'denses = [d for l in layers for d in ((l.dense1, l.dense2) if isinstance(l, Residual) else (l,)) if isinstance(d, keras.layers.Dense)]',
  ];
}

/**
 * A Keras 3 script that replays the run with train_on_batch on the same rows (same input
 * as pytorchScript). Keras is not installed where initscope is tested: this script is
 * checked by reading (tests/parity/keras.test.mjs), the PyTorch one by running it.
 */
export function kerasScript(input) {
  const c = input.config;
  const o = c.optimizer;
  const units = outputUnits(input);
  const logits = c.loss === 'bce' || c.loss === 'cross_entropy';
  const blocks = Boolean(input.tensors);
  const l2 = o.weightDecay > 0 ? `, kernel_regularizer=keras.regularizers.L2(${pyFloat(o.weightDecay)} / 2)` : '';
  const layers = c.layers.map((layer, i) => {
    if (kindOf(layer) === 'residual') return [`${INDENT}${kerasResidualCall(layer, input.shapes[i][1], input.tensors[i][0][1], input.blockMomentum, l2)},`];
    if (kindOf(layer) === 'layernorm') return [`${INDENT}keras.layers.LayerNormalization(epsilon=${pyFloat(layer.epsilon)}),`];
    // Keras's momentum is the running averages' keep: 1 − m for the engine's (PyTorch's) m.
    if (kindOf(layer) === 'batchnorm') {
      return [`${INDENT}keras.layers.BatchNormalization(momentum=1 - ${pyFloat(layer.momentum)}, epsilon=${pyFloat(layer.epsilon)}),`];
    }
    const act = activationOf(layer.activation);
    const last = i === c.layers.length - 1;
    const name = last && logits ? 'linear' : act.name;
    const special = name === 'leaky_relu' ? `keras.layers.LeakyReLU(negative_slope=${pyFloat(act.alpha ?? 0.01)})`
      : name === 'elu' && (act.alpha ?? 1) !== 1 ? `keras.layers.ELU(alpha=${pyFloat(act.alpha)})` : null;
    const dense = `${INDENT}keras.layers.Dense(${input.shapes[i][1]}, activation=${special ? '"linear"' : JSON.stringify(name)}${l2}),`;
    return special ? [dense, `${INDENT}${special},`] : [dense];
  }).flat();
  const loss = { bce: 'keras.losses.BinaryCrossentropy(from_logits=True)', cross_entropy: 'keras.losses.CategoricalCrossentropy(from_logits=True)', mse: 'keras.losses.MeanSquaredError()' }[c.loss];
  const oneHot = c.loss === 'cross_entropy' || (c.loss === 'mse' && units > 1);
  const pytorchRule = (o.convention ?? 'keras') === 'pytorch' && (o.name === 'adam' || o.name === 'rmsprop');
  const wd = o.weightDecay > 0;
  return [
    ...header(input, 'Keras 3'),
    '# Run: python3 this_file.py  (prints step, loss, initscope\'s loss, relative difference)',
    'import base64',
    'import math',
    '',
    'import keras',
    'import numpy as np',
    'from keras import ops',
    '',
    ...data(input),
    '',
    ...decoders(input),
    '',
    ...(blocks ? KERAS_RESIDUAL_CLASS : []),
    'model = keras.Sequential([',
    `${INDENT}keras.Input(shape=(LAYERS[0][1],)),`,
    ...layers,
    '])',
    ...(blocks ? kerasBlockWeights(input) : ['# Keras keeps W as (fan_in, fan_out), as initscope: the weights go in as they are.']),
    ...(blocks ? [] : input.initialRunning ? [
      '# A BatchNormalization layer takes gamma, beta, then its moving mean and moving variance.',
      'moving = iter(running)',
      'model.set_weights([a for (kind, _, _), (w, b) in zip(LAYERS, initial) for a in ((w, b, *next(moving)) if kind == "batchnorm" else (w, b))])',
    ] : ['model.set_weights([a for w, b in initial for a in (w, b)])']),
    '',
    ...(scheduleLines('keras', o, input.schedules, pyFloat) ?? []),
    ...(pytorchRule ? kerasPytorchRule(o)
      : clipBoth(o) ? [...kerasClipBoth(o, kerasOptimizerCall(o).replace(/\(.*$/, '')), `optimizer = Clipped(${kerasOptimizerCall(o).replace(/^[^(]*\(/, '').slice(0, -1)})`]
        : [`optimizer = ${kerasOptimizerCall(o)}`]),
    ...(wd ? [`# L2: the engine adds λ·W to each weight's gradient (λ = ${pyFloat(o.weightDecay)}); the kernel regularizer`,
      '# L2(λ/2) adds (λ/2)·‖W‖² to the loss, whose gradient that is; the printed loss leaves it out.'] : []),
    `model.compile(optimizer=optimizer, loss=${loss})`,
    '',
    `targets = ${oneHot ? `keras.utils.to_categorical(y_train, ${units})` : 'y_train.astype(np.float32)[:, None]'}`,
    '',
    ...report(),
    '',
    'worst = 0.0',
    'for step in range(STEPS):',
    `${INDENT}batch = rows[step]`,
    ...(wd ? [`${INDENT}penalty = ${pyFloat(o.weightDecay)} / 2 * sum(float(np.sum(np.square(${blocks ? 'keras.ops.convert_to_numpy(layer.kernel)' : 'layer.get_weights()[0]'}, dtype=np.float64))) for layer in ${blocks ? 'denses' : 'model.layers if isinstance(layer, keras.layers.Dense)'})`] : []),
    `${INDENT}loss = float(model.train_on_batch(x_train[batch], targets[batch]))${wd ? ' - penalty' : ''}`,
    `${INDENT}worst = report(step, loss, worst)`,
    'if any(e is not None for e in ENGINE):',
    `${INDENT}print(f"largest relative difference from initscope: {worst:.3e}")`,
    '',
  ].join('\n');
}

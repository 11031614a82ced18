#!/usr/bin/env node
// initscope: the command line. Runs the same WebAssembly module as the page, through the
// JS API (wasm/initscope.mjs), and prints JSON: what course authors and scripts use
// without a browser. `initscope --help` lists the commands.
//
// Exit codes: 0 done (a run that diverged, or a preset whose outcome does not hold, is a
// result, not an error), 1 an error (file, JSON, config, sweep spec), 2 a usage error
// (unknown command or option, missing argument), 130 a sweep or preset cancelled with Ctrl-C.

import { access, constants, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { PRESETS, getPreset, runPreset, checkOutcome, comparePublished } from './presets.mjs';
import { runSweep, runSweepInThread, summarizeSweep, sweepToCsv, validateSweep } from './sweep.mjs';
import { InitscopeError } from './errors.mjs';
import { exactInput, kerasScript, pytorchScript } from './exactScript.mjs';
import { COORD_CHECK_DEFAULTS, coordCheckConfig, coordinateCheck, growthExponent } from './coordCheck.mjs';

class UsageError extends Error {}
class CliError extends Error {}

// ---- help texts -------------------------------------------------------------------------

const DATA_FILE_HELP = `a CSV of numeric feature columns and a class
               column (the last one unless the config's data says label), comma- or
               semicolon-separated, with a header row or not. It becomes the config's
               data: {"name": "custom", "csv": …} (its other keys, e.g. label, split,
               testFraction, normalize, stay). A config can also name the file itself:
               "data": {"name": "custom", "file": "DATA.csv"}, relative to the config.`;

const HELP = {
  main: `initscope: a lab for neural-network weight initialization, on the command line.

Usage: initscope COMMAND [ARGS] [OPTIONS]

Commands:
  run CONFIG.json [--steps N] [--every K] [--data-file DATA.csv]
                       train and print one JSON line every K steps, then a final line
  init CONFIG.json [--data-file DATA.csv]
                       print the initial weights as JSON, layout (fan_in, fan_out)
  schema               print every option (types, defaults, ranges, formulas) as JSON
  presets              list the presets (names, titles, runs)
  preset NAME [--every K] [--runs A,B] [--workers N] [--show]
                       run a preset: every variant, JSON lines, then a summary with
                       our numbers beside the published ones and the outcome's checks
  sweep SWEEP.json [--workers N] [--csv FILE]
                       run a sweep on worker threads: one JSON line per cell, a summary
  coord-check [--parameterization P] [--widths LIST] [--steps N] [--seeds LIST]
              [--config CONFIG.json]
                       the coordinate check: each layer's mean |activation| against
                       width over a few steps, and its growth exponent
  help [COMMAND]       this text, or a command's

CONFIG.json is a file holding a config object (see \`initscope schema\` and the README);
"-" reads it from standard input. Missing keys take their defaults, so {} is a config.

Options:
  -h, --help           help (also after a command: initscope run --help)
  --version            the engine's version

Exit codes: 0 done, 1 error (file, JSON, invalid config or sweep spec), 2 usage error,
130 cancelled (Ctrl-C during a sweep or a preset).`,

  run: `Usage: initscope run CONFIG.json [--steps N] [--every K] [--data-file DATA.csv]
                     [--save-run RUN.json] [--exact-pytorch SCRIPT.py] [--exact-keras SCRIPT.py]

Trains the network the config describes and prints JSON lines on standard output:
one at step 0 and every K steps before the end, then a final line:

  {"step": 100, "loss": 0.69, "trainLoss": 0.68, "trainAccuracy": 0.51,
   "testLoss": 0.70, "testAccuracy": 0.49,
   "layers": [{"z": {"mean": …, "std": …}, "a": {…}, "dz": {…}}, …]}
  {"final": true, "steps": 1000, "step": 1000, …same fields…, "diverged": null}

loss is the training loss of the last minibatch (null at step 0); the train and test
numbers are over the whole sets; per layer, mean and std of the pre-activations z,
the activations a and the gradients dL/dz on the run's fixed probe batch. Numbers
that are NaN or infinite print as null (a mean and std too, when any value is).

If the run diverges (NaN or Inf), it stops early: the final line has
"diverged": {"step", "layer", "quantity"} and a note goes to standard error; the exit
code is still 0 (divergence is a result).

Options:
  --steps N    optimizer steps in all (default and range: limits.cliSteps of
               initscope schema)
  --every K    a progress line every K steps (default 100; 0: only the final line)
  --data-file DATA.csv
               train on your own data: ${DATA_FILE_HELP}
  --save-run RUN.json
               after the last step, write the run as a Run JSON: {"config", "step",
               "state"} (the state: weights, optimizer moments, minibatch generator).
               The page's Import, or lab.createRun(config, { state }), continues it
               bit for bit.
  --exact-pytorch SCRIPT.py
               write a PyTorch script that replays the run's N steps from its
               initial weights, data rows and minibatches, and prints each step's
               loss beside the engine's (python3 SCRIPT.py; it carries all it needs)
  --exact-keras SCRIPT.py
               the same for Keras 3 (train_on_batch on the same rows)
  -h, --help   this text`,

  init: `Usage: initscope init CONFIG.json [--data-file DATA.csv]

Prints the initial weights of the network the config describes, as one JSON object:

  {"layout": "(fan_in, fan_out), row-major: W[i][j] is the weight from input i to unit j",
   "layers": [{"shape": [fanIn, fanOut], "W": [[…one row per input…]], "b": […]}, …]}

Numbers are the float32 values, printed so that they read back exactly.

Options:
  --data-file DATA.csv
               your own data: ${DATA_FILE_HELP}
  -h, --help   this text`,

  schema: `Usage: initscope schema

Prints the schema as JSON: every initializer, activation, loss, optimizer and data set
with its parameters, types, defaults and ranges, and the config's own fields and default.

Options:
  -h, --help   this text`,

  presets: `Usage: initscope presets

Lists the presets as JSON: [{"name", "title", "runs": [labels], "sweeps": [labels],
"steps"}, …]. A preset is a published experiment (wasm/presets.mjs): its variants as
configs, the published numbers, what was scaled down, and the expected outcome.

Options:
  -h, --help   this text`,

  preset: `Usage: initscope preset NAME [--every K] [--runs A,B] [--workers N] [--show]

Runs every variant of the preset NAME (see initscope presets) and prints JSON lines on
standard output:

  {"run": "he", "step": 1000, "loss": …, "trainLoss": …, "trainAccuracy": …,
   "testLoss": …, "testAccuracy": …}               at the preset's checkpoints (and every K)
  {"run": "he", "done": true, "steps": 15000, "diverged": null, "final": {…}}
  {"sweep": "seeds", "done": true, "count": 100, "successes": …, "successRate": …}
                                                   (and "byX" for two-axis sweeps)
  {"final": true, "preset": "coursera-circles", "holds": true,
   "published": [{"run", "quantity", "published", "ours", "note"}, …],
   "checks": [{"claim", "holds", "detail"}, …]}

"published" puts the published numbers beside ours (ours are this build's); "checks" is
the preset's qualitative outcome (e.g. zeros exactly 0.5, He at least 0.95), each with our
value. When the outcome does not hold, a note goes to standard error; the exit code is
still 0 (a result, not an error). Sweep progress goes to standard error; Ctrl-C cancels
(exit 130).

Options:
  --every K      also a line every K steps (default 0: only at the checkpoints)
  --runs A,B     only these runs or sweeps (labels, comma-separated); the checks that
                 need the others are left out
  --workers N    worker threads for the preset's sweeps (default: one per core; 0: none)
  --show         print the preset itself (JSON) instead of running it: its configs, text,
                 published figures and checks
  -h, --help     this text`,

  sweep: `Usage: initscope sweep SWEEP.json [--workers N] [--csv FILE]

Runs a sweep: a grid over one or two settings of a base config, every cell a fresh
network trained for N steps (see the README, "Sweeps"). SWEEP.json holds

  {"base": CONFIG, "x": {"param": "init.scale", "values": [0.5, 1, 2]},
   "y": {"param": "depth", "from": 2, "to": 32, "count": 5, "scale": "log"},
   "steps": 500, "success": {"metric": "trainAccuracy", "atLeast": 0.95}}

param: init.scale, init.gain, depth, width, lr, seed, or weight / bias with "layer" and
"index" (one initial weight). "-" reads the spec from standard input.

Prints one JSON line per cell in grid order (y-major), the same with any number of
workers:

  {"i", "xi", "yi", "x", "y", "steps", "loss", "trainAccuracy", "testAccuracy",
   "weightChange", "success", "stepsToSuccess", "diverged"}

then {"final": true, "count", "successes", "successRate", "byX": […], "meanField": {…}}
(meanField: the order/chaos boundary where an axis is init.scale or init.gain). Progress
goes to standard error; Ctrl-C cancels (exit 130).

Options:
  --workers N   worker threads (default: one per core; 0: this thread)
  --csv FILE    also write the cells as CSV to FILE (checked before the sweep starts)
  -h, --help    this text`,

  'coord-check': `Usage: initscope coord-check [--parameterization P] [--widths LIST] [--steps N]
                             [--seeds LIST] [--config CONFIG.json]

The coordinate check (Tensor Programs V; mup's coord_check): the same network at each
width, trained a few steps from each seed; at step 0 and after each step, every layer's
mean |z| and |a| on the probe batch and their mean change since initialization. Under the
standard parameterization the last layers' sizes grow with width once training starts;
under muP they stay flat. Prints one JSON line per width, seed, step and layer:

  {"width", "seed", "step", "layer", "z", "a", "zChange", "aChange"}

then {"final": true, "parameterization", "widths", "steps", "seeds", "exponents": [{"layer",
"z", "a", "zChange", "aChange"}, …]}: per layer, the slope of log(mean over seeds) against
log(width) at the last step (0: flat; 1: proportional to width).

Options:
  --parameterization P  standard (default), ntk or mup (baseWidth 64; a config's own
                        parameterization key says more)
  --widths LIST         hidden widths, comma-separated (default ${COORD_CHECK_DEFAULTS.widths.join(',')})
  --steps N             training steps (default ${COORD_CHECK_DEFAULTS.steps})
  --seeds LIST          seeds, comma-separated (default ${COORD_CHECK_DEFAULTS.seeds.join(',')})
  --config CONFIG.json  the network (default: a tanh MLP of two hidden layers on digits,
                        Adam 0.01, batch 64); its hidden layers take each width
  -h, --help            this text`,

  help: `Usage: initscope help [COMMAND]

Prints the help, or a command's help.`,
};

// ---- arguments --------------------------------------------------------------------------

// Parses args against { options: { name: { min, max } } (integer options), positionals:
// [names] }. Accepts --name N and --name=N; "-" is a positional; "--" ends the options.
function parseArgs(command, args, { options = {}, positionals = [] }) {
  const values = {};
  const given = [];
  let help = false;
  let onlyPositionals = false;
  for (let i = 0; i < args.length; ++i) {
    const arg = args[i];
    if (!onlyPositionals && arg === '--') {
      onlyPositionals = true;
    } else if (!onlyPositionals && (arg === '-h' || arg === '--help')) {
      help = true;
    } else if (!onlyPositionals && arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=');
      const name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
      const spec = arg.startsWith('--') ? options[name] : undefined;
      if (!spec) {
        const known = Object.keys(options).map((o) => `--${o}`).concat('--help');
        throw new UsageError(`unknown option ${eq >= 0 ? arg.slice(0, eq) : arg}; ${command} takes ${known.join(', ')}`);
      }
      if (spec.type === 'flag') {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`);
        values[name] = true;
        continue;
      }
      let text;
      if (eq >= 0) {
        text = arg.slice(eq + 1);
      } else {
        if (i + 1 >= args.length) throw new UsageError(`--${name} needs a value (${describe(spec)})`);
        text = args[++i];
      }
      if (spec.type === 'string') {
        if (text === '') throw new UsageError(`--${name}: "" is not allowed; expected ${describe(spec)}`);
        values[name] = text;
        continue;
      }
      const value = /^[0-9]+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
        throw new UsageError(`--${name}: ${JSON.stringify(text)} is not allowed; expected ${describe(spec)}`);
      }
      values[name] = value;
    } else {
      given.push(arg);
    }
  }
  if (help) return { help };
  if (given.length > positionals.length) {
    const extra = given.slice(positionals.length).map((a) => JSON.stringify(a)).join(', ');
    throw new UsageError(positionals.length
      ? `unexpected argument ${extra}; ${command} takes ${positionals.join(' ')}`
      : `unexpected argument ${extra}; ${command} takes no arguments`);
  }
  if (given.length < positionals.length) {
    throw new UsageError(`missing ${positionals[given.length]}`);
  }
  for (const [name, spec] of Object.entries(options)) values[name] ??= spec.default;
  positionals.forEach((name, i) => { values[name] = given[i]; });
  return values;
}

function describe(spec) {
  if (spec.type === 'string') return spec.expected;
  return `an integer from ${spec.min} to ${spec.max}`;
}

// ---- input ------------------------------------------------------------------------------

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// The config as an object, from a file or "-" (standard input).
function readConfig(source) {
  return readJson(source, 'config');
}

// JSON from a file or "-" (standard input) → { where, config: the parsed value }.
async function readJson(source, what) {
  const where = source === '-' ? 'standard input' : source;
  let text;
  try {
    text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (err) {
    const reason = {
      ENOENT: 'no such file',
      EISDIR: 'it is a directory',
      EACCES: 'permission denied',
    }[err.code] ?? err.message;
    throw new CliError(`cannot read ${where}: ${reason}`);
  }
  // A byte-order mark (editors on Windows write one) is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { where, config: JSON.parse(text) };
  } catch (err) {
    throw new CliError(`${where}: the ${what} is not valid JSON (${err.message})`);
  }
}

// ---- custom data from a file ----------------------------------------------------------------

// The config with a CSV file read into data.csv: the --data-file option's, or the file the
// config's data names ({"name": "custom", "file": …}, relative to the config's folder).
// { where, config, dataFile } — dataFile names the file in the engine's data.csv errors.
async function withDataFile(input, dataFile) {
  const config = input.config;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return input;
  const data = config.data;
  const custom = data !== null && typeof data === 'object' && !Array.isArray(data) && data.name === 'custom';
  if (dataFile === undefined && !(custom && Object.hasOwn(data, 'file'))) return input;
  if (dataFile !== undefined && data !== undefined && !custom) {
    throw new CliError(`${input.where}: data: ${JSON.stringify(data)} and --data-file ${dataFile} both give the data; ` +
      'expected no data in the config, or {"name": "custom", …} whose csv the file gives');
  }
  let path = dataFile;
  if (path === undefined) {
    if (typeof data.file !== 'string' || data.file === '') {
      throw new CliError(`${input.where}: data.file: ${JSON.stringify(data.file)} is not allowed; expected the path of a CSV file`);
    }
    path = input.where === 'standard input' ? data.file : resolve(dirname(input.where), data.file);
  }
  let csv;
  try {
    csv = await readFile(path, 'utf8');
  } catch (err) {
    const reason = err.code === 'ENOENT' ? 'no such file' : FILE_ERRORS[err.code] ?? err.message;
    throw new CliError(`cannot read ${path}: ${reason}`);
  }
  const { file, ...rest } = custom ? data : {};
  return { ...input, config: { ...config, data: { ...rest, name: 'custom', csv } }, dataFile: path };
}

const FILE_ERRORS = {
  ENOENT: 'no such directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
};

// An output file, checked before any work: it can be written (created, or replaced)
// without creating it, so that a sweep that fails or is cancelled leaves nothing behind.
async function checkWritable(path) {
  const fail = (code, fallback) => {
    throw new CliError(`cannot write ${path}: ${FILE_ERRORS[code] ?? fallback}`);
  };
  let existing = null;
  try {
    existing = await stat(path);
  } catch (err) {
    if (err.code !== 'ENOENT') fail(err.code, err.message);
  }
  if (existing?.isDirectory()) fail('EISDIR');
  const target = existing ? path : dirname(resolve(path));
  try {
    if (!existing && !(await stat(target)).isDirectory()) fail('ENOTDIR');
    await access(target, constants.W_OK);
  } catch (err) {
    if (err instanceof CliError) throw err;
    fail(err.code, err.message);
  }
}

// Makes the run; an invalid config becomes the engine's message, which names the field.
function createRun(lab, InitscopeError, { where, config, dataFile }) {
  try {
    return lab.createRun(config);
  } catch (err) {
    // A fault in the CSV is the data file's: its row and column, after the file's name.
    if (err instanceof InitscopeError && dataFile !== undefined && err.field === 'data.csv') {
      throw new CliError(`${dataFile}: ${err.message.replace(/^data\.csv: /, '')}`);
    }
    if (err instanceof InitscopeError) throw new CliError(`${where}: ${err.message}`);
    throw err;
  }
}

// ---- output -----------------------------------------------------------------------------

function print(value, indent) {
  process.stdout.write(`${JSON.stringify(value, null, indent)}\n`);
}

// What one line of `run` holds at the run's current step.
function progress(run, loss) {
  const evaluation = run.evaluate();
  const snapshot = run.snapshot();
  // The moments of a set holding NaN or Inf are not numbers: null, as JSON prints NaN.
  const moments = (s) => (s.nonfinite > 0 ? { mean: null, std: null } : { mean: s.mean, std: s.std });
  return {
    step: snapshot.step,
    loss,
    trainLoss: evaluation.trainLoss,
    trainAccuracy: evaluation.trainAccuracy,
    testLoss: evaluation.testLoss,
    testAccuracy: evaluation.testAccuracy,
    layers: snapshot.layers.map((l) => ({ z: moments(l.z), a: moments(l.a), dz: moments(l.dz) })),
  };
}

// ---- commands ---------------------------------------------------------------------------

const DATA_FILE_OPTION = { type: 'string', expected: 'the path of a CSV file' };
const OUT_FILE_OPTION = { type: 'string', expected: 'the path of a file to write' };

async function writeOut(path, text) {
  try {
    await writeFile(path, text);
  } catch (err) {
    throw new CliError(`cannot write ${path}: ${FILE_ERRORS[err.code] ?? err.message}`);
  }
}

// run's --save-run, --exact-pytorch and --exact-keras: the run after its last step as a
// Run JSON, and the scripts that replay its steps (wasm/exactScript.mjs, as the page's Export).
async function writeRunFiles(run, opts, version, schema) {
  if (opts['save-run'] !== undefined) {
    const state = run.exportState();
    await writeOut(opts['save-run'], `${JSON.stringify({ initscope: version, config: run.config, step: state.step, state }, null, 1)}\n`);
  }
  if (opts['exact-pytorch'] === undefined && opts['exact-keras'] === undefined) return;
  const input = exactInput(run, { steps: opts.steps, version, schema });
  if (opts['exact-pytorch'] !== undefined) await writeOut(opts['exact-pytorch'], pytorchScript(input));
  if (opts['exact-keras'] !== undefined) await writeOut(opts['exact-keras'], kerasScript(input));
}
// The engine's limits (schema().limits): how many steps the CLI trains in all, and the
// most one run.step() call takes.
async function cliLimits(ctx) {
  const { lab } = await ctx.load();
  const { cliSteps, stepsPerCall } = lab.schema().limits;
  return { maxSteps: cliSteps.max, defaultSteps: cliSteps.default, stepChunk: stepsPerCall.max };
}

// A comma-separated list of integers from an option ("64,128") or the default.
function integerList(text, name, fallback) {
  if (text === undefined) return [...fallback];
  const values = text.split(',').map((t) => (/^[0-9]+$/.test(t.trim()) ? Number(t.trim()) : NaN));
  if (!values.every(Number.isSafeInteger)) {
    throw new UsageError(`--${name}: ${JSON.stringify(text)} is not allowed; expected integers separated by commas`);
  }
  return values;
}

const COMMANDS = {
  async run(args, ctx) {
    const { maxSteps, defaultSteps, stepChunk } = await cliLimits(ctx);
    const opts = parseArgs('run', args, {
      options: {
        steps: { min: 0, max: maxSteps, default: defaultSteps },
        every: { min: 0, max: maxSteps, default: 100 },
        'data-file': DATA_FILE_OPTION,
        'save-run': OUT_FILE_OPTION,
        'exact-pytorch': OUT_FILE_OPTION,
        'exact-keras': OUT_FILE_OPTION,
      },
      positionals: ['CONFIG.json'],
    });
    if (opts.help) return help('run');
    const input = await withDataFile(await readConfig(opts['CONFIG.json']), opts['data-file']);
    // The files to write are checked before a long run.
    for (const out of ['save-run', 'exact-pytorch', 'exact-keras']) if (opts[out] !== undefined) await checkWritable(opts[out]);
    const { lab, InitscopeError } = await ctx.load();
    const run = createRun(lab, InitscopeError, input);
    try {
      const { steps, every } = opts;
      let loss = null;
      let diverged = null;
      let done = 0;
      if (every > 0 && steps > 0) print(progress(run, loss));
      while (done < steps && !diverged) {
        const toLine = every > 0 ? every - (done % every) : Infinity;
        const n = Math.min(toLine, steps - done, stepChunk);
        const result = run.step(n);
        loss = result.loss;
        diverged = result.diverged;
        done += n;
        if (!diverged && every > 0 && done % every === 0 && done < steps) print(progress(run, loss));
      }
      print({ final: true, steps, ...progress(run, loss), diverged });
      await writeRunFiles(run, opts, lab.version, lab.schema());
      if (diverged) {
        const where = diverged.layer >= 0 ? `${diverged.quantity} of layer ${diverged.layer}` : 'the loss';
        process.stderr.write(
          `initscope run: diverged: NaN or Inf in ${where} at step ${diverged.step}; stopped early ` +
          `(${diverged.step} of ${steps} steps)\n`);
      }
    } finally {
      run.dispose();
    }
  },

  async init(args, ctx) {
    const opts = parseArgs('init', args, { options: { 'data-file': DATA_FILE_OPTION }, positionals: ['CONFIG.json'] });
    if (opts.help) return help('init');
    const input = await withDataFile(await readConfig(opts['CONFIG.json']), opts['data-file']);
    const { lab, InitscopeError } = await ctx.load();
    const run = createRun(lab, InitscopeError, input);
    try {
      // A matrix row by row; a vector (a normalization layer's gain) as it is; a BatchNorm
      // layer's running averages (mean, then variance) too.
      const layers = run.weights().map(({ W, shape, b, running }) => ({
        shape,
        W: shape.length === 2
          ? Array.from({ length: shape[0] }, (_, i) => Array.from(W.subarray(i * shape[1], (i + 1) * shape[1])))
          : Array.from(W),
        b: Array.from(b),
        ...(running ? { running: Array.from(running) } : {}),
      }));
      print({
        layout: '(fan_in, fan_out), row-major: W[i][j] is the weight from input i to unit j',
        layers,
      });
    } finally {
      run.dispose();
    }
  },

  async schema(args, ctx) {
    const opts = parseArgs('schema', args, {});
    if (opts.help) return help('schema');
    const { lab } = await ctx.load();
    print(lab.schema(), 2);
  },

  async presets(args) {
    const opts = parseArgs('presets', args, {});
    if (opts.help) return help('presets');
    print(PRESETS.map((p) => ({
      name: p.name,
      title: p.title,
      runs: p.runs.map((r) => r.label),
      sweeps: (p.sweeps ?? []).map((w) => w.label),
      steps: p.steps,
    })), 2);
  },

  async preset(args, ctx) {
    const { maxSteps } = await cliLimits(ctx);
    const opts = parseArgs('preset', args, {
      options: {
        every: { min: 0, max: maxSteps, default: 0 },
        runs: { type: 'string', expected: 'labels separated by commas' },
        workers: { min: 0, max: 256 },
        show: { type: 'flag' },
      },
      positionals: ['NAME'],
    });
    if (opts.help) return help('preset');
    const preset = getPreset(opts.NAME);
    if (!preset) {
      throw new CliError(`unknown preset ${JSON.stringify(opts.NAME)}; presets: ${PRESETS.map((p) => p.name).join(', ')}`);
    }
    const labels = [...preset.runs, ...(preset.sweeps ?? [])].map((r) => r.label);
    let runs;
    if (opts.runs !== undefined) {
      runs = opts.runs.split(',').map((r) => r.trim());
      for (const label of runs) {
        if (!labels.includes(label)) {
          throw new UsageError(`--runs: ${JSON.stringify(label)} is not a run of ${preset.name}; its runs: ${labels.join(', ')}`);
        }
      }
    }
    if (opts.show) {
      print(preset, 2);
      return;
    }
    const { lab } = await ctx.load();
    const controller = cancelOnInterrupt();
    const sweep = (spec, { onProgress }) => (opts.workers === 0
      ? runSweepInThread(lab, spec, { onProgress, signal: controller.signal })
      : runSweep(spec, { workers: opts.workers, onProgress, signal: controller.signal }));
    const progress = progressReporter('preset');
    const results = await runPreset(lab, preset, {
      runs,
      every: opts.every,
      sweep,
      signal: controller.signal,
      onLine: ({ label, ...line }) => print({ run: label, ...line }),
      onSweepProgress: (label, p) => progress(`${label}: ${p.done}/${p.total} cells`, p.done, p.total),
      onRecord: (label, record) => {
        if (record.kind === 'sweep') {
          const { count, successes, successRate, byX } = record;
          const twoD = record.cells.some((c) => c.y !== null);
          print({ sweep: label, done: true, count, successes, successRate, ...(twoD ? { byX } : {}) });
        } else {
          const { trainLoss, trainAccuracy, testLoss, testAccuracy } = record.final;
          print({ run: label, done: true, steps: record.steps, diverged: record.diverged, final: { trainLoss, trainAccuracy, testLoss, testAccuracy } });
        }
      },
    });
    const outcome = checkOutcome(preset, results);
    print({
      final: true,
      preset: preset.name,
      holds: outcome.holds,
      published: comparePublished(preset, results),
      checks: outcome.checks.map(({ claim, holds, detail }) => ({ claim, holds, detail })),
    });
    if (!outcome.holds) {
      const failed = outcome.checks.filter((c) => !c.holds).map((c) => `${c.claim} (${c.detail})`);
      process.stderr.write(`initscope preset: the outcome does not hold: ${failed.join('; ')}\n`);
    }
  },

  async sweep(args, ctx) {
    const opts = parseArgs('sweep', args, {
      options: {
        workers: { min: 0, max: 256 },
        csv: { type: 'string', expected: 'a file name' },
      },
      positionals: ['SWEEP.json'],
    });
    if (opts.help) return help('sweep');
    if (opts.csv !== undefined) await checkWritable(opts.csv);
    const { where, config: raw } = await readJson(opts['SWEEP.json'], 'sweep spec');
    let spec;
    try {
      spec = validateSweep(raw);
    } catch (err) {
      if (err instanceof InitscopeError) throw new CliError(`${where}: ${err.message}`);
      throw err;
    }
    const controller = cancelOnInterrupt();
    const progress = progressReporter('sweep');
    // Cells arrive in completion order; print them in grid order, as soon as all the
    // cells before them are in.
    const pending = new Map();
    let nextToPrint = 0;
    const onProgress = ({ done, total, cell }) => {
      pending.set(cell.i, cell);
      while (pending.has(nextToPrint)) {
        print(pending.get(nextToPrint));
        pending.delete(nextToPrint);
        nextToPrint += 1;
      }
      progress(`${done}/${total} cells`, done, total);
    };
    let result;
    try {
      if (opts.workers === 0) {
        const { lab } = await ctx.load();
        result = await runSweepInThread(lab, spec, { onProgress, signal: controller.signal });
      } else {
        result = await runSweep(spec, { workers: opts.workers, onProgress, signal: controller.signal });
      }
    } catch (err) {
      if (err instanceof InitscopeError) throw new CliError(`${where}: ${err.message}`);
      throw err;
    }
    const { count, successes, successRate, byX } = summarizeSweep(result);
    print({ final: true, count, successes, successRate, byX, meanField: result.meanField });
    if (opts.csv !== undefined) {
      try {
        await writeFile(opts.csv, sweepToCsv(result));
      } catch (err) {
        throw new CliError(`cannot write ${opts.csv}: ${FILE_ERRORS[err.code] ?? err.message}`);
      }
    }
  },

  async 'coord-check'(args, ctx) {
    const opts = parseArgs('coord-check', args, {
      options: {
        parameterization: { type: 'string', expected: 'standard, ntk or mup' },
        widths: { type: 'string', expected: 'integers separated by commas' },
        steps: { min: 0, max: 1000, default: COORD_CHECK_DEFAULTS.steps },
        seeds: { type: 'string', expected: 'integers separated by commas' },
        config: { type: 'string', expected: 'the path of a config file' },
      },
    });
    if (opts.help) return help('coord-check');
    const widths = integerList(opts.widths, 'widths', COORD_CHECK_DEFAULTS.widths);
    const seeds = integerList(opts.seeds, 'seeds', COORD_CHECK_DEFAULTS.seeds);
    let config = coordCheckConfig(opts.parameterization);
    if (opts.config !== undefined) {
      config = (await readConfig(opts.config)).config;
      if (opts.parameterization !== undefined) config = { ...config, parameterization: opts.parameterization };
    }
    if (!config || typeof config !== 'object' || !Array.isArray(config.layers)) {
      throw new CliError('the config must be an object with a "layers" array (its hidden layers take each width)');
    }
    const { lab, InitscopeError } = await ctx.load();
    let rows;
    try {
      rows = coordinateCheck(lab, { config, widths, seeds, steps: opts.steps, onRow: (row) => print(row) });
    } catch (err) {
      if (err instanceof InitscopeError || err instanceof TypeError) throw new CliError(err.message);
      throw err;
    }
    const layers = [...new Set(rows.map((r) => r.layer))];
    const step = Math.max(0, ...rows.map((r) => r.step));
    const exponents = layers.map((layer) => {
      const at = (quantity) => growthExponent(rows, { layer, step, quantity });
      return { layer, z: at('z'), a: at('a'), zChange: at('zChange'), aChange: at('aChange') };
    });
    print({ final: true, parameterization: config.parameterization ?? 'standard', widths, steps: step, seeds, exponents });
  },
};

// Ctrl-C cancels a sweep or a preset: the workers stop, or the work in this thread at its
// next slice (runInSlices), and the command exits with 130. A second Ctrl-C ends the
// process at once (the handler is gone).
function cancelOnInterrupt() {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller;
}

// Progress on standard error: a line that rewrites itself on a terminal, else a line at
// every tenth of the way.
function progressReporter(command) {
  let lastTenth = -1;
  return (text, done, total) => {
    if (process.stderr.isTTY) {
      process.stderr.write(`\rinitscope ${command}: ${text}${done === total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor((10 * done) / total);
    if (tenth !== lastTenth || done === total) {
      lastTenth = tenth;
      process.stderr.write(`initscope ${command}: ${text}\n`);
    }
  };
}

const commandNames = () => [...Object.keys(COMMANDS), 'help'].join(', ');

function help(topic) {
  process.stdout.write(`${HELP[topic]}\n`);
}

// ---- main -------------------------------------------------------------------------------

// Loads the module once, when a command needs it.
function loader() {
  let loaded;
  return () => {
    loaded ??= (async () => {
      let api;
      try {
        api = await import('./initscope.mjs');
      } catch (err) {
        throw new CliError(`cannot load the WebAssembly module (${err.message}); build it with npm run build:wasm`);
      }
      return { lab: await api.loadInitscope(), InitscopeError: api.InitscopeError };
    })();
    return loaded;
  };
}

async function main(argv) {
  const [first, ...rest] = argv;
  const ctx = { load: loader() };
  if (first === undefined) {
    process.stderr.write(`${HELP.main}\n`);
    return 2;
  }
  if (first === '-h' || first === '--help') {
    help('main');
    return 0;
  }
  if (first === '--version') {
    const { lab } = await ctx.load();
    process.stdout.write(`${lab.version}\n`);
    return 0;
  }
  if (first === 'help') {
    if (rest.length > 1) throw new UsageError(`help takes one command at most, got ${rest.join(' ')}`);
    const topic = rest[0];
    if (topic === undefined) {
      help('main');
    } else if (topic === '-h' || topic === '--help') {
      help('help');
    } else if (topic === 'main' || !Object.hasOwn(HELP, topic)) {
      throw new UsageError(`unknown command ${JSON.stringify(topic)}; commands: ${commandNames()}`);
    } else {
      help(topic);
    }
    return 0;
  }
  if (first.startsWith('-')) {
    throw new UsageError(`unknown option ${first}; before a command only --help and --version`);
  }
  if (!Object.hasOwn(COMMANDS, first)) {
    throw new UsageError(`unknown command ${JSON.stringify(first)}; commands: ${commandNames()}`);
  }
  await COMMANDS[first](rest, ctx);
  return 0;
}

// A closed pipe (initscope run … | head -1) ends the program quietly.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const argv = process.argv.slice(2);
const command = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? argv[0] : null;
main(argv).then(
  (code) => { process.exitCode = code; },
  (err) => {
    const prefix = command ? `initscope ${command}` : 'initscope';
    if (err instanceof UsageError) {
      process.stderr.write(`${prefix}: ${err.message} (see ${prefix} --help)\n`);
      process.exitCode = 2;
    } else if (err instanceof CliError) {
      process.stderr.write(`${prefix}: ${err.message}\n`);
      process.exitCode = 1;
    } else if (err?.name === 'AbortError') {
      process.stderr.write(`${prefix}: cancelled (Ctrl-C)\n`);
      process.exitCode = 130;
    } else {
      process.stderr.write(`${prefix}: internal error: ${err?.stack ?? err}\n`);
      process.exitCode = 1;
    }
  });

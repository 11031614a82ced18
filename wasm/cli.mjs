#!/usr/bin/env node
// initscope: the command line. Runs the same WebAssembly module as the page, through the
// JS API (wasm/initscope.mjs), and prints JSON: what course authors and scripts use
// without a browser. `initscope --help` lists the commands.
//
// Exit codes: 0 done (a run that diverged is a result, not an error), 1 an error (file,
// JSON, config), 2 a usage error (unknown command or option, missing argument).

import { readFile } from 'node:fs/promises';

// Presets are named configs (a later issue brings them). Each entry will be
// { name, doc, config }; `presets` lists them, `preset NAME` prints one's config. Until
// there is one, both commands say so and fail.
const PRESETS = [];

class UsageError extends Error {}
class CliError extends Error {}

// ---- help texts -------------------------------------------------------------------------

const HELP = {
  main: `initscope: a lab for neural-network weight initialization, on the command line.

Usage: initscope COMMAND [ARGS] [OPTIONS]

Commands:
  run CONFIG.json [--steps N] [--every K]
                       train and print one JSON line every K steps, then a final line
  init CONFIG.json     print the initial weights as JSON, layout (fan_in, fan_out)
  schema               print every option (types, defaults, ranges, formulas) as JSON
  presets              list the presets
  preset NAME          print a preset's config
  help [COMMAND]       this text, or a command's

CONFIG.json is a file holding a config object (see \`initscope schema\` and the README);
"-" reads it from standard input. Missing keys take their defaults, so {} is a config.

Options:
  -h, --help           help (also after a command: initscope run --help)
  --version            the engine's version

Exit codes: 0 done, 1 error (file, JSON, invalid config), 2 usage error.`,

  run: `Usage: initscope run CONFIG.json [--steps N] [--every K]

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
  --steps N    optimizer steps in all (default 1000; 0 to 100000000)
  --every K    a progress line every K steps (default 100; 0: only the final line)
  -h, --help   this text`,

  init: `Usage: initscope init CONFIG.json

Prints the initial weights of the network the config describes, as one JSON object:

  {"layout": "(fan_in, fan_out), row-major: W[i][j] is the weight from input i to unit j",
   "layers": [{"shape": [fanIn, fanOut], "W": [[…one row per input…]], "b": […]}, …]}

Numbers are the float32 values, printed so that they read back exactly.

Options:
  -h, --help   this text`,

  schema: `Usage: initscope schema

Prints the schema as JSON: every initializer, activation, loss, optimizer and data set
with its parameters, types, defaults and ranges, and the config's own fields and default.

Options:
  -h, --help   this text`,

  presets: `Usage: initscope presets

Lists the presets (named configs) as JSON: [{"name", "doc"}, …]. There are no presets
yet; until there are, this says so and exits with code 1.

Options:
  -h, --help   this text`,

  preset: `Usage: initscope preset NAME

Prints the config of the preset NAME as JSON (run it with
\`initscope preset NAME | initscope run -\`). There are no presets yet; until there are,
this says so and exits with code 1.

Options:
  -h, --help   this text`,

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
      let text;
      if (eq >= 0) {
        text = arg.slice(eq + 1);
      } else {
        if (i + 1 >= args.length) throw new UsageError(`--${name} needs a value (${describe(spec)})`);
        text = args[++i];
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
  return `an integer from ${spec.min} to ${spec.max}`;
}

// ---- input ------------------------------------------------------------------------------

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// The config as an object, from a file or "-" (standard input).
async function readConfig(source) {
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
  try {
    return { where, config: JSON.parse(text) };
  } catch (err) {
    throw new CliError(`${where}: the config is not valid JSON (${err.message})`);
  }
}

// Makes the run; an invalid config becomes the engine's message, which names the field.
function createRun(lab, InitscopeError, { where, config }) {
  try {
    return lab.createRun(config);
  } catch (err) {
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

const MAX_STEPS = 100000000;
const STEP_CHUNK = 1000000;  // the most one run.step() call takes

const COMMANDS = {
  async run(args, ctx) {
    const opts = parseArgs('run', args, {
      options: {
        steps: { min: 0, max: MAX_STEPS, default: 1000 },
        every: { min: 0, max: MAX_STEPS, default: 100 },
      },
      positionals: ['CONFIG.json'],
    });
    if (opts.help) return help('run');
    const input = await readConfig(opts['CONFIG.json']);
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
        const n = Math.min(toLine, steps - done, STEP_CHUNK);
        const result = run.step(n);
        loss = result.loss;
        diverged = result.diverged;
        done += n;
        if (!diverged && every > 0 && done % every === 0 && done < steps) print(progress(run, loss));
      }
      print({ final: true, steps, ...progress(run, loss), diverged });
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
    const opts = parseArgs('init', args, { positionals: ['CONFIG.json'] });
    if (opts.help) return help('init');
    const input = await readConfig(opts['CONFIG.json']);
    const { lab, InitscopeError } = await ctx.load();
    const run = createRun(lab, InitscopeError, input);
    try {
      const layers = run.weights().map(({ W, shape: [fanIn, fanOut], b }) => ({
        shape: [fanIn, fanOut],
        W: Array.from({ length: fanIn }, (_, i) => Array.from(W.subarray(i * fanOut, (i + 1) * fanOut))),
        b: Array.from(b),
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
    requirePresets();
    print(PRESETS.map(({ name, doc }) => ({ name, doc })));
  },

  async preset(args) {
    const opts = parseArgs('preset', args, { positionals: ['NAME'] });
    if (opts.help) return help('preset');
    requirePresets();
    const preset = PRESETS.find((p) => p.name === opts.NAME);
    if (!preset) {
      throw new CliError(`unknown preset ${JSON.stringify(opts.NAME)}; presets: ${PRESETS.map((p) => p.name).join(', ')}`);
    }
    print(preset.config, 2);
  },
};

const commandNames = () => [...Object.keys(COMMANDS), 'help'].join(', ');

function requirePresets() {
  if (PRESETS.length === 0) {
    throw new CliError('no presets yet: presets come in a later version. Run a config file instead: ' +
      'initscope run CONFIG.json (see initscope run --help)');
  }
}

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
    } else {
      process.stderr.write(`${prefix}: internal error: ${err?.stack ?? err}\n`);
      process.exitCode = 1;
    }
  });

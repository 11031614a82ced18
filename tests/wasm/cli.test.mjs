// The command line (wasm/cli.mjs, `initscope` in package.json bin): each command's output
// parses and gives the numbers the JS API gives for the same config; "-" reads standard
// input; every error exits non-zero with its message on standard error.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { BAD_CONFIGS, configText } from './bad-configs.mjs';
import { circles, digits, lab } from './helpers.mjs';
import { PRESETS } from '../../wasm/presets.mjs';
import { coordCheckConfig, coordinateCheck, growthExponent } from '../../wasm/coordCheck.mjs';

const cli = fileURLToPath(new URL('../../wasm/cli.mjs', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'initscope-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name, text) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs the CLI → { code, stdout, stderr }; `input` goes to standard input. */
function initscope(args, input = '') {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { maxBuffer: 1 << 26 },
      (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
    child.stdin.end(input);
  });
}

const lines = (stdout) => stdout.trim().split('\n').map((l) => JSON.parse(l));

/** What `run --steps N --every K` prints, computed with the API. */
function expectedRun(config, steps, every) {
  const run = lab.createRun(config);
  const line = (loss) => {
    const e = run.evaluate();
    const s = run.snapshot();
    const m = (q) => ({ mean: q.mean, std: q.std });
    return { step: s.step, loss, ...e, layers: s.layers.map((l) => ({ z: m(l.z), a: m(l.a), dz: m(l.dz) })) };
  };
  const out = [];
  let loss = null;
  if (every > 0) out.push(line(null));
  for (let done = every; done < steps; done += every) {
    loss = run.step(every).loss;
    out.push(line(loss));
  }
  const rest = steps - run.snapshot().step;
  if (rest > 0) loss = run.step(rest).loss;
  out.push({ final: true, steps, ...line(loss), diverged: null });
  run.dispose();
  return out;
}

const configFile = file('circles.json', JSON.stringify(circles()));

test('package.json names the CLI and the types', () => {
  assert.equal(pkg.bin.initscope, './wasm/cli.mjs');
  assert.equal(pkg.types, './wasm/initscope.d.ts');
  assert.match(readFileSync(cli, 'utf8'), /^#!\/usr\/bin\/env node\n/);
});

test('run prints a line every K steps and a final line, with the numbers of the API', async () => {
  const { code, stdout, stderr } = await initscope(['run', configFile, '--steps', '250', '--every', '100']);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const got = lines(stdout);
  assert.deepEqual(got.map((l) => l.step), [0, 100, 200, 250]);
  assert.equal(got[0].loss, null, 'no step taken yet');
  assert.equal(got.at(-1).final, true);
  assert.ok(got.slice(0, -1).every((l) => !('final' in l)));
  assert.equal(got.at(-1).layers.length, 3);
  for (const key of ['z', 'a', 'dz']) assert.deepEqual(Object.keys(got[1].layers[0][key]), ['mean', 'std']);
  assert.deepEqual(got, expectedRun(circles(), 250, 100));
});

test('run on digits with --steps=N --every=K, and --every 0 for the final line only', async () => {
  const path = file('digits.json', JSON.stringify(digits()));
  const every = await initscope(['run', path, '--steps=60', '--every=20']);
  assert.equal(every.code, 0, every.stderr);
  assert.deepEqual(lines(every.stdout), expectedRun(digits(), 60, 20));
  const only = await initscope(['run', '--every', '0', path, '--steps', '60']);
  assert.equal(only.code, 0, only.stderr);
  assert.deepEqual(lines(only.stdout), [lines(every.stdout).at(-1)]);
});

test('run and init take a network with a LayerNorm layer: its loss falls, its gain prints as a vector', async () => {
  const config = circles({
    layers: [{ units: 16, activation: 'relu' }, { kind: 'layernorm' }, { units: 1, activation: 'sigmoid' }],
    optimizer: { name: 'adam', lr: 0.01, batch: 64 },
  });
  const path = file('layernorm.json', JSON.stringify(config));
  const run = await initscope(['run', path, '--steps', '200', '--every', '100']);
  assert.equal(run.code, 0, run.stderr);
  const got = lines(run.stdout);
  assert.deepEqual(got, expectedRun(config, 200, 100));
  assert.ok(got.at(-1).trainLoss < 0.6 * got[0].trainLoss, `${got[0].trainLoss} → ${got.at(-1).trainLoss}`);
  const init = await initscope(['init', path]);
  assert.equal(init.code, 0, init.stderr);
  const layers = JSON.parse(init.stdout).layers;
  assert.deepEqual(layers[1], { shape: [16], W: Array(16).fill(1), b: Array(16).fill(0) });
  assert.equal(layers[0].W.length, 2, 'a dense layer still prints one row per input');
});

test('run reads the config from standard input with -', async () => {
  const fromFile = await initscope(['run', configFile, '--steps', '30', '--every', '10']);
  const fromStdin = await initscope(['run', '-', '--steps', '30', '--every', '10'], JSON.stringify(circles()));
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal(fromStdin.stdout, fromFile.stdout);
});

test('run defaults: 1000 steps, a line every 100', async () => {
  const { code, stdout } = await initscope(['run', '-'], '{}');
  assert.equal(code, 0);
  assert.deepEqual(lines(stdout).map((l) => l.step), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
});

test('run stops early on divergence and says so (exit 0: a result, not an error)', async () => {
  const config = {
    layers: [{ units: 10, activation: 'linear' }, { units: 1, activation: 'linear' }],
    loss: 'mse',
    optimizer: { name: 'sgd', lr: 10 },
  };
  const { code, stdout, stderr } = await initscope(['run', '-', '--steps', '100', '--every', '1'], JSON.stringify(config));
  assert.equal(code, 0);
  const got = lines(stdout);
  const final = got.at(-1);
  const api = lab.createRun(config);
  const r = api.step(100);
  const evaluation = api.evaluate();
  api.dispose();
  assert.equal(final.final, true);
  assert.equal(final.steps, 100);
  assert.equal(final.step, r.step);
  assert.ok(final.step < 100);
  assert.deepEqual(final.diverged, r.diverged);
  // The diverging step is not kept: the final line shows the run before it.
  assert.equal(final.trainLoss, evaluation.trainLoss);
  assert.deepEqual(got.slice(0, -1).map((l) => l.step), [...Array(r.step + 1).keys()],
    'a line at every step completed, then the final one');
  assert.match(stderr, /diverged: NaN or Inf in .* at step \d+; stopped early \(\d+ of 100 steps\)/);
});

test('init prints the initial weights, one row per input, as weights() gives them', async () => {
  const { code, stdout, stderr } = await initscope(['init', configFile]);
  assert.equal(code, 0, stderr);
  const got = JSON.parse(stdout);
  assert.match(got.layout, /^\(fan_in, fan_out\), row-major/);
  const run = lab.createRun(circles());
  const weights = run.weights();
  run.dispose();
  assert.equal(got.layers.length, weights.length);
  got.layers.forEach((layer, l) => {
    const [fanIn, fanOut] = weights[l].shape;
    assert.deepEqual(layer.shape, [fanIn, fanOut]);
    assert.equal(layer.W.length, fanIn, 'one row per input');
    layer.W.forEach((row) => assert.equal(row.length, fanOut));
    // Exactly the float32 values: W[i][j] = W[i * fanOut + j].
    assert.deepEqual(layer.W.flat(), Array.from(weights[l].W));
    assert.deepEqual(layer.b, Array.from(weights[l].b));
  });
  const fromStdin = await initscope(['init', '-'], JSON.stringify(circles()));
  assert.equal(fromStdin.stdout, stdout);
});

test('schema prints the schema of the API', async () => {
  const { code, stdout } = await initscope(['schema']);
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(stdout), lab.schema());
});

test('--version and --help', async () => {
  const version = await initscope(['--version']);
  assert.deepEqual([version.code, version.stdout], [0, `${pkg.version}\n`]);
  const top = await initscope(['--help']);
  assert.equal(top.code, 0);
  for (const command of ['run', 'init', 'schema', 'presets', 'preset', 'sweep', 'coord-check', 'help']) {
    assert.match(top.stdout, new RegExp(`^  ${command}\\b`, 'm'), `top-level help lists ${command}`);
  }
  assert.deepEqual((await initscope(['-h'])).stdout, top.stdout);
  assert.deepEqual((await initscope(['help'])).stdout, top.stdout);
});

test('--help on every command', async () => {
  for (const command of ['run', 'init', 'schema', 'presets', 'preset', 'sweep', 'coord-check']) {
    const long = await initscope([command, '--help']);
    assert.equal(long.code, 0, `${command} --help: ${long.stderr}`);
    assert.match(long.stdout, new RegExp(`^Usage: initscope ${command}\\b`));
    assert.equal((await initscope([command, '-h'])).stdout, long.stdout);
    assert.equal((await initscope(['help', command])).stdout, long.stdout);
  }
  // --help wins over missing or bad arguments.
  assert.equal((await initscope(['run', '--steps', '5', '--help'])).code, 0);
});

test('coord-check prints the API\'s rows, one per width, seed, step and layer, then the exponents', async () => {
  const args = ['coord-check', '--parameterization', 'mup', '--widths', '32,64', '--steps', '1', '--seeds', '2'];
  const { code, stdout, stderr } = await initscope(args);
  assert.equal(code, 0, stderr);
  const out = lines(stdout);
  const final = out.pop();
  const expected = coordinateCheck(lab, { config: coordCheckConfig('mup'), widths: [32, 64], steps: 1, seeds: [2] });
  assert.deepEqual(out, expected);
  assert.equal(out.length, 2 * 2 * 3);  // widths × steps 0 and 1 × layers
  assert.deepEqual({ ...final, exponents: final.exponents.map((e) => e.layer) },
    { final: true, parameterization: 'mup', widths: [32, 64], steps: 1, seeds: [2], exponents: [0, 1, 2] });
  assert.equal(final.exponents[2].z, growthExponent(expected, { layer: 2, step: 1, quantity: 'z' }));
  // Errors: a bad list is a usage error, a bad parameterization the engine's message.
  const badList = await initscope(['coord-check', '--widths', '32,x']);
  assert.equal(badList.code, 2);
  assert.match(badList.stderr, /--widths: "32,x" is not allowed; expected integers separated by commas/);
  const badName = await initscope(['coord-check', '--parameterization', 'mu', '--widths', '32', '--steps', '0', '--seeds', '1']);
  assert.equal(badName.code, 1);
  assert.match(badName.stderr, /parameterization: "mu" is not allowed; expected one of standard, ntk, mup/);
  const tooWide = await initscope(['coord-check', '--widths', '2048', '--steps', '0', '--seeds', '1']);
  assert.equal(tooWide.code, 1);
  assert.match(tooWide.stderr, /layers\[0\]\.units: 2048 is not allowed/);
});

test('presets lists every preset with its title and runs; preset --show prints one', async () => {
  const { code, stdout, stderr } = await initscope(['presets']);
  assert.equal(code, 0, stderr);
  const listed = JSON.parse(stdout);
  const table = PRESETS;
  assert.deepEqual(listed.map((p) => p.name), table.map((p) => p.name));
  listed.forEach((p, i) => {
    assert.equal(p.title, table[i].title);
    assert.deepEqual(p.runs, table[i].runs.map((r) => r.label));
    assert.deepEqual(p.sweeps, (table[i].sweeps ?? []).map((r) => r.label));
  });
  const show = await initscope(['preset', 'coursera-circles', '--show']);
  assert.equal(show.code, 0, show.stderr);
  assert.deepEqual(JSON.parse(show.stdout), table[0]);
  // A run's config from --show runs as it is: `initscope run -` takes it.
  const he = JSON.parse(show.stdout).runs.find((r) => r.label === 'he').config;
  const run = await initscope(['run', '-', '--steps', '10', '--every', '0'], JSON.stringify(he));
  assert.equal(run.code, 0, run.stderr);
});

test('preset runs every variant: lines at the checkpoints, a done line per run, the outcome beside the published numbers', async () => {
  const { code, stdout, stderr } = await initscope(['preset', 'uniform-n10']);
  assert.equal(code, 0, stderr);
  const got = lines(stdout);
  assert.deepEqual(got.filter((l) => l.done).map((l) => l.run), ['standard', 'glorot']);
  assert.deepEqual(got.filter((l) => 'step' in l && !l.done).map((l) => [l.run, l.step]), [['standard', 0], ['glorot', 0]]);
  const final = got.at(-1);
  assert.equal(final.final, true);
  assert.equal(final.preset, 'uniform-n10');
  assert.equal(final.holds, true);
  assert.ok(final.checks.length >= 8 && final.checks.every((c) => c.holds && c.claim && c.detail));
  const bound = final.published.find((p) => p.run === 'standard' && p.quantity === 'bound');
  assert.equal(bound.published, 0.316);
  assert.ok(Math.abs(bound.ours - 1 / Math.sqrt(10)) < 1e-7, `ours ${bound.ours}`);
});

test('preset --runs runs only those, --every adds lines, sweeps report progress on standard error', async () => {
  const { code, stdout, stderr } = await initscope(['preset', 'keras-xor', '--runs', 'seed1,seeds', '--every', '2500', '--workers', '2']);
  assert.equal(code, 0, stderr);
  const got = lines(stdout);
  assert.deepEqual(got.filter((l) => l.run === 'seed1' && !l.done).map((l) => l.step), [0, 500, 1000, 2000, 2500, 5000]);
  assert.ok(!got.some((l) => l.run === 'seed0'), 'seed0 was not asked for');
  const seeds = got.find((l) => l.sweep === 'seeds');
  assert.equal(seeds.count, 100);
  assert.ok(seeds.successRate > 0 && seeds.successRate < 1, `success rate ${seeds.successRate}`);
  assert.equal(seeds.successes, Math.round(seeds.successRate * 100));
  const final = got.at(-1);
  assert.deepEqual(final.checks.map((c) => c.claim).sort(),
    ['and some stick (the success rate is below 1)', 'seed 1 gets stuck (not every point right)', 'some seeds solve XOR']);
  assert.match(stderr, /^initscope preset: seeds: 100\/100 cells$/m);
});

test('preset errors: an unknown preset exits 1, an unknown run label 2', async () => {
  await expectFailure(['preset', 'mnist-lenet'], '', 1, /^initscope preset: unknown preset "mnist-lenet"; presets: coursera-circles, /);
  await expectFailure(['preset', 'keras-xor', '--runs', 'seed7'], '', 2,
    /^initscope preset: --runs: "seed7" is not a run of keras-xor; its runs: seed0, seed1, seeds, slice/);
  await expectFailure(['preset', 'keras-xor', '--show=1'], '', 2, /--show takes no value/);
  await expectFailure(['preset', 'keras-xor', '--workers', 'all'], '', 2, /--workers: "all" is not allowed; expected an integer from 0 to 256/);
});

test('sweep prints the cells in grid order and a summary; --csv writes them; the same with 1 and 2 workers', async () => {
  const spec = {
    base: { seed: 1, data: 'xor', layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse',
      init: 'glorot_uniform', optimizer: { name: 'sgd', lr: 1, batch: 4 } },
    x: { param: 'seed', from: 0, to: 5, count: 6 },
    y: { param: 'lr', values: [0.5, 2] },
    steps: 1000,
    success: { metric: 'trainAccuracy', atLeast: 1 },
  };
  const path = file('sweep.json', JSON.stringify(spec));
  const csv = join(dir, 'cells.csv');
  const two = await initscope(['sweep', path, '--workers', '2', '--csv', csv]);
  assert.equal(two.code, 0, two.stderr);
  const got = lines(two.stdout);
  const cells = got.slice(0, -1);
  assert.deepEqual(cells.map((c) => c.i), [...Array(12).keys()], 'grid order');
  assert.deepEqual(cells.map((c) => [c.x, c.y]).slice(0, 7), [[0, 0.5], [1, 0.5], [2, 0.5], [3, 0.5], [4, 0.5], [5, 0.5], [0, 2]]);
  const final = got.at(-1);
  assert.equal(final.final, true);
  assert.equal(final.count, 12);
  assert.equal(final.successes, cells.filter((c) => c.success).length);
  assert.equal(final.meanField.applies, false);
  const text = readFileSync(csv, 'utf8');
  assert.equal(text.split('\r\n')[0], 'i,xi,yi,seed,lr,steps,loss,trainAccuracy,testAccuracy,weightChange,success,stepsToSuccess,diverged');
  assert.equal(text.split('\r\n').length, 14, 'header, 12 cells, and the final line break');
  assert.match(two.stderr, /^initscope sweep: 12\/12 cells$/m);
  const one = await initscope(['sweep', '-', '--workers', '1'], JSON.stringify(spec));
  assert.equal(one.code, 0, one.stderr);
  assert.equal(one.stdout, two.stdout);
});

test('sweep: Ctrl-C cancels, the workers stop, exit 130', async () => {
  const spec = {
    base: { data: 'xor', layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse', optimizer: { name: 'sgd', lr: 1, batch: 4 } },
    x: { param: 'seed', from: 0, to: 199, count: 200 },
    steps: 20000,
  };
  const child = spawn(process.execPath, [cli, 'sweep', '-', '--workers', '2'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(JSON.stringify(spec));
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => {
    stderr += d;
    if (/cells/.test(stderr) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /^initscope sweep: cancelled \(Ctrl-C\)$/m);
  assert.ok(stdout.split('\n').filter(Boolean).length < 200, 'stopped before the end');
  assert.ok(!stdout.includes('"final"'));
});

/**
 * Spawns the CLI, sends SIGINT once it has printed its first line on standard output (the
 * work has started), and → { code, stdout, stderr, ms }: ms from the signal to the exit.
 */
function interruptAfterFirstLine(args, input = '') {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    let signalled = null;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (signalled === null && stdout.includes('\n')) {
        signalled = Date.now();
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: signalled === null ? null : Date.now() - signalled }));
  });
}

// Generous: the work stops at its next slice of about 50 ms; the bound only has to tell
// "stopped" from "ran to the end" (the sweep below takes minutes, the preset seconds).
const STOP_WITHIN_MS = 10000;

test('sweep --workers 0: Ctrl-C stops the work in this thread at its next slice, exit 130', async () => {
  const spec = {
    base: { data: 'xor', layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse', optimizer: { name: 'sgd', lr: 1, batch: 4 } },
    x: { param: 'seed', from: 0, to: 199, count: 200 },
    steps: 200000,
  };
  const r = await interruptAfterFirstLine(['sweep', '-', '--workers', '0'], JSON.stringify(spec));
  assert.equal(r.code, 130, r.stderr);
  assert.ok(r.ms !== null && r.ms < STOP_WITHIN_MS, `exited ${r.ms} ms after SIGINT`);
  assert.match(r.stderr, /^initscope sweep: cancelled \(Ctrl-C\)$/m);
  assert.ok(r.stdout.split('\n').filter(Boolean).length < 200, 'stopped before the end');
  assert.ok(!r.stdout.includes('"final"'));
});

test('preset --workers 0: Ctrl-C stops its runs and sweeps in this thread, exit 130', async () => {
  const r = await interruptAfterFirstLine(['preset', 'saxe-orthogonal', '--workers', '0']);
  assert.equal(r.code, 130, r.stderr);
  assert.ok(r.ms !== null && r.ms < STOP_WITHIN_MS, `exited ${r.ms} ms after SIGINT`);
  assert.match(r.stderr, /^initscope preset: cancelled \(Ctrl-C\)$/m);
  assert.ok(!r.stdout.includes('"final"'));
});

test('sweep --csv: an unwritable path fails before any work and a failed sweep leaves no file', async () => {
  const spec = JSON.stringify({ base: {}, x: { param: 'seed', values: [0, 1] }, steps: 10 });
  const cases = [
    [join(dir, 'no-such-dir', 'cells.csv'), /cannot write .*cells\.csv: no such directory/],
    [dir, /cannot write .*: it is a directory/],
    [join(configFile, 'cells.csv'), /cannot write .*cells\.csv: a part of the path is not a directory/],
  ];
  for (const [path, message] of cases) {
    // The spec is valid and the sweep would run: nothing is printed, nothing is trained.
    const started = Date.now();
    await expectFailure(['sweep', '-', '--workers', '0', '--csv', path], spec, 1, message);
    assert.ok(Date.now() - started < STOP_WITHIN_MS);
  }
  const csv = join(dir, 'never.csv');
  await expectFailure(['sweep', '-', '--csv', csv], JSON.stringify({ base: {}, x: { param: 'lr', values: [-1] }, steps: 1 }), 1, /x\.values\[0\]/);
  assert.ok(!existsSync(csv), 'no file for a sweep that did not run');
});

test('a JSON file that starts with a UTF-8 byte-order mark reads as without it', async () => {
  const bom = '\ufeff';
  const plain = await initscope(['run', configFile, '--steps', '20', '--every', '10']);
  assert.equal(plain.code, 0, plain.stderr);
  const withBom = file('bom.json', bom + JSON.stringify(circles()));
  const fromFile = await initscope(['run', withBom, '--steps', '20', '--every', '10']);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(fromFile.stdout, plain.stdout);
  const fromStdin = await initscope(['run', '-', '--steps', '20', '--every', '10'], bom + JSON.stringify(circles()));
  assert.equal(fromStdin.stdout, plain.stdout);
  const init = await initscope(['init', withBom]);
  assert.equal(init.code, 0, init.stderr);
  const spec = { base: circles(), x: { param: 'seed', values: [0, 1] }, steps: 5 };
  const sweep = await initscope(['sweep', file('bom-sweep.json', bom + JSON.stringify(spec)), '--workers', '0']);
  assert.equal(sweep.code, 0, sweep.stderr);
  assert.equal(lines(sweep.stdout).at(-1).count, 2);
  // Only a leading mark: one anywhere else is a character like any other.
  await expectFailure(['run', '-'], `{}${bom}`, 1, /the config is not valid JSON/);
});

test('multibyte text and deep nesting in a config: a named error, never an internal one', async () => {
  // Multibyte characters at every position around the 56-byte cut where messages were cut
  // mid-character, in several string fields; nesting at several depths in several places.
  const strings = [];
  for (const char of ['é', '€', '𝔼']) {
    for (const before of [50, 54, 55, 56, 60, 200]) strings.push('a'.repeat(before) + char + 'aaaa');
    strings.push(char.repeat(40));
  }
  // Written as text: JSON.stringify itself overflows the stack on the deepest.
  const nest = (depth, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);
  const texts = [
    ...strings.flatMap((text) => [
      { data: text },
      { init: { name: text } },
      { layers: [{ units: 4, activation: text }, { units: 1, activation: 'sigmoid' }] },
      { optimizer: { name: 'sgd', [text]: 1 } },
    ].map((c) => JSON.stringify(c))),
    ...[10, 100, 3000, 100000].flatMap((depth) => [
      `{"seed": ${nest(depth)}}`,
      `{"layers": [{"units": 4, "activation": ${nest(depth, '"relu"')}}, {"units": 1, "activation": "sigmoid"}]}`,
      `{"optimizer": ${nest(depth, '{}')}}`,
    ]),
  ];
  const results = [];
  for (let i = 0; i < texts.length; i += 4) {
    results.push(...await Promise.all(texts.slice(i, i + 4).map((text) => initscope(['run', '-', '--steps', '1'], text))));
  }
  results.forEach((r, i) => {
    const what = texts[i].length > 120 ? `${texts[i].slice(0, 120)}…` : texts[i];
    assert.equal(r.code, 1, `${what}: exit ${r.code}, stderr ${r.stderr.slice(0, 300)}`);
    assert.equal(r.stdout, '', what);
    assert.doesNotMatch(r.stderr, /internal error/, what);
    assert.match(r.stderr, /^initscope run: standard input: \S/, what);
    assert.doesNotMatch(r.stderr, /\ufffd/, `${what}: a character cut in two`);
  });
});

test('sweep errors name the field: exit 1; usage errors exit 2', async () => {
  const bad = { base: {}, x: { param: 'lr', values: [0.1, -1] }, steps: 10 };
  await expectFailure(['sweep', '-'], JSON.stringify(bad), 1,
    /^initscope sweep: standard input: x\.values\[1\]: -1 is not allowed; expected a number > 0\n$/);
  await expectFailure(['sweep', '-'], JSON.stringify({ base: {}, x: { param: 'speed', values: [1] }, steps: 10 }), 1,
    /x\.param: "speed" is not allowed; expected one of init\.scale, init\.gain, depth, width, lr, seed, weight, bias/);
  // The engine's own check, reached through the workers: the field of the value and the engine's message.
  await expectFailure(['sweep', '-', '--workers', '1'], JSON.stringify({ base: {}, x: { param: 'lr', values: [0.1, 2e6] }, steps: 1 }), 1,
    /^initscope sweep: standard input: x\.values\[1\]: optimizer\.lr: 2000000 is not allowed; expected a number > 0 and <= 1000000\n$/);
  await expectFailure(['sweep', '-'], JSON.stringify({ base: {}, x: { param: 'width', values: [4] }, steps: 1 }), 1,
    /x\.param: "width" needs a base config with layers/);
  await expectFailure(['sweep', '-'], '{"x":', 1, /standard input: the sweep spec is not valid JSON/);
  await expectFailure(['sweep', join(dir, 'nope.json')], '', 1, /cannot read .*nope\.json: no such file/);
  await expectFailure(['sweep'], '', 2, /^initscope sweep: missing SWEEP\.json/);
  await expectFailure(['sweep', 'a.json', '--csv'], '', 2, /--csv needs a value/);
  await expectFailure(['sweep', 'a.json', '--workers', '-1'], '', 2, /--workers: "-1" is not allowed/);
});

// ---- errors: non-zero exit, message on standard error, nothing on standard output ----

async function expectFailure(args, input, code, ...patterns) {
  const r = await initscope(args, input);
  assert.equal(r.code, code, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
  assert.equal(r.stdout, '', `${args.join(' ')} printed on stdout`);
  for (const pattern of patterns) assert.match(r.stderr, pattern);
  return r;
}

test('bad JSON, an unreadable file, an invalid config: exit 1 with the message', async () => {
  const bad = file('bad.json', '{"seed": 3,');
  await expectFailure(['run', bad], '', 1, /^initscope run: .*bad\.json: the config is not valid JSON \(.+\)\n$/);
  await expectFailure(['init', '-'], 'not json', 1, /^initscope init: standard input: the config is not valid JSON/);
  await expectFailure(['run', join(dir, 'missing.json')], '', 1, /^initscope run: cannot read .*missing\.json: no such file/);
  await expectFailure(['init', dir], '', 1, /cannot read .*: it is a directory/);
  const invalid = file('invalid.json', JSON.stringify(circles({ layers: [{ units: 0, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] })));
  await expectFailure(['run', invalid], '', 1,
    /^initscope run: .*invalid\.json: layers\[0\]\.units: 0 is not allowed; expected an integer from 1 to 1024\n$/);
  await expectFailure(['init', '-'], '{"optimizer": {"name": "sgd", "lr": 0}}', 1,
    /^initscope init: standard input: optimizer\.lr: 0 is not allowed/);
  await expectFailure(['run', '-'], '[1, 2]', 1, /must be an object/);
  await expectFailure(['run', '-'], '{"loss": "hinge"}', 1, /loss: "hinge" is not allowed; expected one of mse, bce, cross_entropy/);
});

test('every bad config of the shared table: exit 1, the message the JS API gives for the same text', async () => {
  // The CLI parses the text and hands the value to the API: the API's message for that
  // value, or for text that is not JSON the CLI's own parse message.
  const parsed = BAD_CONFIGS.map(([, config]) => {
    try {
      return { value: JSON.parse(configText(config)) };
    } catch {
      return null;
    }
  });
  const expected = parsed.map((p, i) => {
    if (!p) return null;
    try {
      lab.createRun(p.value).dispose();
    } catch (err) {
      return err.message;
    }
    return assert.fail(`no error for ${BAD_CONFIGS[i][0]}`);
  });
  const results = [];
  for (let i = 0; i < BAD_CONFIGS.length; i += 4) {  // four processes at a time
    const batch = BAD_CONFIGS.slice(i, i + 4).map(([, config]) => initscope(['run', '-', '--steps', '1'], configText(config)));
    results.push(...await Promise.all(batch));
  }
  results.forEach((r, i) => {
    const [what] = BAD_CONFIGS[i];
    assert.equal(r.code, 1, `${what}: exit ${r.code}, stderr ${r.stderr}`);
    assert.equal(r.stdout, '', `${what} printed on stdout`);
    if (expected[i] !== null) assert.equal(r.stderr, `initscope run: standard input: ${expected[i]}\n`, what);
    else assert.match(r.stderr, /^initscope run: standard input: the config is not valid JSON \(.+\)\n$/, what);
  });
});

test('usage errors: unknown command or option, missing or extra argument, bad value: exit 2', async () => {
  await expectFailure([], '', 2, /^initscope: a lab/, /Usage: initscope COMMAND/);
  await expectFailure(['train', 'x.json'], '', 2, /^initscope: unknown command "train"; commands: run, init, schema, presets, preset, sweep, coord-check, help/);
  await expectFailure(['--frob'], '', 2, /^initscope: unknown option --frob/);
  await expectFailure(['help', 'train'], '', 2, /unknown command "train"/);
  await expectFailure(['run', configFile, '--stepz', '3'], '', 2, /^initscope run: unknown option --stepz; run takes --steps, --every, --data-file, --save-run, --exact-pytorch, --exact-keras, --help/);
  await expectFailure(['init', configFile, '--steps', '3'], '', 2, /^initscope init: unknown option --steps/);
  await expectFailure(['schema', '--all'], '', 2, /^initscope schema: unknown option --all/);
  await expectFailure(['run'], '', 2, /^initscope run: missing CONFIG\.json/);
  await expectFailure(['preset'], '', 2, /^initscope preset: missing NAME/);
  await expectFailure(['run', 'a.json', 'b.json'], '', 2, /unexpected argument "b\.json"/);
  await expectFailure(['schema', 'extra'], '', 2, /schema takes no arguments/);
  for (const value of ['-1', '1.5', 'ten', '', '100000001']) {
    await expectFailure(['run', configFile, '--steps', value], '', 2, /--steps: .* is not allowed; expected an integer from 0 to 100000000/);
  }
  await expectFailure(['run', configFile, '--every'], '', 2, /--every needs a value/);
});

// ---- custom data from a CSV file ----

/** A CSV of tests/data (README.md there), copied beside the configs as `name`. */
const fixtureFile = (fixture, name = fixture) => file(name, readFileSync(new URL(`../data/${fixture}`, import.meta.url)));

const irisConfig = (data = {}) => ({
  seed: 1,
  data: { name: 'custom', label: 'species', normalize: 'standardize', ...data },
  layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }],
  loss: 'cross_entropy', optimizer: { name: 'adam', lr: 0.01, batch: 30 },
});

test('run --data-file trains on the CSV as the API does with the same text in data.csv', async () => {
  const csvPath = fixtureFile('iris-semicolon.csv');
  const configPath = file('iris-config.json', JSON.stringify(irisConfig()));
  const r = await initscope(['run', configPath, '--data-file', csvPath, '--steps', '20', '--every', '10']);
  assert.equal(r.code, 0, r.stderr);
  const expected = expectedRun(irisConfig({ csv: readFileSync(csvPath, 'utf8') }), 20, 10);
  assert.deepEqual(lines(r.stdout), expected);
  // The config can name the file itself, relative to the config's folder.
  const named = file('iris-named.json', JSON.stringify(irisConfig({ file: 'iris-semicolon.csv' })));
  const again = await initscope(['run', named, '--steps', '20', '--every', '10']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(lines(again.stdout), expected);
  // init takes the option too.
  const init = await initscope(['init', configPath, '--data-file', csvPath]);
  assert.equal(init.code, 0, init.stderr);
  assert.deepEqual(JSON.parse(init.stdout).layers.map((l) => l.shape), [[4, 8], [8, 3]]);
});

test('a CSV with an error is refused naming the file, the row, the column and the value', async () => {
  const configPath = file('custom.json', JSON.stringify({ data: { name: 'custom', label: 'species' } }));
  const broken = fixtureFile('iris-errors.csv');
  await expectFailure(['run', configPath, '--data-file', broken], '', 1,
    /^initscope run: .*iris-errors\.csv: row 5, column 5 \("sepal length \(cm\)"\): "5,x1" is not a number; expected a number \(decimal point or comma\)\n$/);
  const oneClass = file('one-class.csv', '1;2;a\n3;4;a\n');
  await expectFailure(['run', '-', '--data-file', oneClass], '{}', 1, /one-class\.csv: column 3 holds one class \("a"/);
  // Errors of the config's own keys still name the config.
  await expectFailure(['run', '-', '--data-file', oneClass], '{"data": {"name": "custom", "label": "k"}}', 1,
    /^initscope run: standard input: data\.label: "k" names no column/);
  await expectFailure(['run', '-', '--data-file', join(dir, 'nope.csv')], '{}', 1, /cannot read .*nope\.csv: no such file/);
  await expectFailure(['run', '-', '--data-file', oneClass], '{"data": "moons"}', 1,
    /standard input: data: "moons" and --data-file .* both give the data/);
  await expectFailure(['run', '-'], '{"data": {"name": "custom", "file": 3}}', 1, /data\.file: 3 is not allowed; expected the path of a CSV file/);
  await expectFailure(['run', '-', '--data-file'], '{}', 2, /--data-file needs a value \(the path of a CSV file\)/);
});

// ---- the run out: its state and the exact scripts ----

test('run --save-run writes a Run JSON whose state continues bit for bit; --exact-pytorch and --exact-keras write the scripts', async () => {
  const config = circles({ seed: 3, optimizer: { name: 'adam', lr: 0.01, batch: 16, convention: 'pytorch' } });
  const configPath = file('exact-config.json', JSON.stringify(config));
  const [saved, torchPath, kerasPath] = [join(dir, 'run.json'), join(dir, 'exact.py'), join(dir, 'exact-keras.py')];
  const r = await initscope(['run', configPath, '--steps', '30', '--every', '0',
    '--save-run', saved, '--exact-pytorch', torchPath, '--exact-keras', kerasPath]);
  assert.equal(r.code, 0, r.stderr);
  const record = JSON.parse(readFileSync(saved, 'utf8'));
  assert.equal(record.step, 30);
  assert.equal(record.state.step, 30);
  // The same config in the API, straight to 40 steps, and the saved run continued to 40.
  const straight = lab.createRun(config);
  const losses = [...Array(40)].map(() => straight.step(1).loss);
  const continued = lab.createRun(record.config, { state: record.state });
  for (let s = 30; s < 40; s++) assert.equal(continued.step(1).loss, losses[s], `step ${s + 1}`);
  assert.equal(continued.exportState().params, straight.exportState().params);
  continued.dispose();
  straight.dispose();
  // The scripts replay the 30 steps and carry the engine's losses of each.
  const script = readFileSync(torchPath, 'utf8');
  assert.match(script, /^STEPS, BATCH = 30, 16$/m);
  assert.match(script, /torch\.optim\.Adam\(params, lr=0\.01/);
  const engine = /^ENGINE = \[(.*)\]$/m.exec(script)[1].split(', ').map(Number);
  assert.deepEqual(engine, losses.slice(0, 30));
  assert.match(readFileSync(kerasPath, 'utf8'), /import keras/);
  // An unwritable path is an error that names it; the help says what the options do.
  await expectFailure(['run', configPath, '--steps', '1', '--save-run', join(dir, 'no-such-dir', 'x.json')], '', 1,
    /^initscope run: cannot write .*no-such-dir.*x\.json: no such directory\n$/);
  const help = await initscope(['run', '--help']);
  assert.match(help.stdout, /--save-run RUN\.json\s+after the last step, write the run as a Run JSON/);
  assert.match(help.stdout, /--exact-pytorch SCRIPT\.py\s+write a PyTorch script that replays the run's N steps/);
});

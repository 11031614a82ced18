#!/usr/bin/env node
// initscope's benchmark (`npm run bench`; not part of `npm test`). Measures, in one run,
// side by side:
//   - training steps per second (forward + backward + update on one batch, data in
//     memory, one thread, float32) of the configs in bench/configs.mjs for the wasm engine
//     through the JS API in Node, the same engine native (-O3 -march=native, and -O3
//     -march=x86-64-v2: 128-bit vectors only, the width of wasm SIMD), and TensorFlow.js
//     4.x with its cpu and wasm backends;
//   - GFLOP/s on C4 (the products' multiply-adds, bench/configs.mjs stepFlops), against a
//     measured 128-bit mul+add ceiling (bench/native/peak.cpp);
//   - the cost of snapshot() for each config; wasm and JS sizes, raw and gzip;
//   - in Chromium: time until the page is interactive from a cold load, frames per second
//     while it trains the default network;
//   - sweeps: one worker against two.
// Every engine runs in its own process, one at a time; rounds interleave the engines
// (rotating their order) so that load from elsewhere spreads over all of them, and each
// number is the median of the rounds, after a warm-up of 1.5 s of short calls per config.
// Prints a Markdown table with the ratios and writes it to bench/RESULTS.md.
//
//   node bench/run.mjs [--rounds N] [--ms M] [--quick] [--no-build] [--no-browser]
//                      [--no-tfjs] [--no-sweep] [--out FILE] [--json FILE]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import { CONFIGS, byId, paramCount, stepFlops } from './configs.mjs';
import { EngineProcess } from './lib/engine.mjs';
import { machine, currentLoad } from './lib/machine.mjs';
import { sizes } from './lib/sizes.mjs';
import { writeBenchPart } from './lib/resultsFile.mjs';
import { render } from './lib/report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(root, 'bench');
const buildDir = join(root, process.env.BUILD_DIR ?? 'build');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const quick = flag('--quick');
const ROUNDS = Number(option('--rounds', quick ? 2 : 7));
const WINDOW_MS = Number(option('--ms', quick ? 300 : 700));
const log = (...args) => console.error(...args);
const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

// ---- build and install ------------------------------------------------------------------

function sh(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: root, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

function build() {
  sh('bash', ['scripts/build', 'native', 'wasm', 'web']);
  sh('cmake', ['--build', buildDir, '--target', 'bench_native', 'bench_native_v2', '-j', process.env.JOBS ?? '2']);
  // The ceiling (bench/native/peak.cpp) and C4's products alone (products.cpp), natively
  // at 128 bits and for wasm.
  const out = join(buildDir, 'bench');
  mkdirSync(out, { recursive: true });
  for (const name of ['peak', 'products']) {
    sh('g++', ['-O3', '-std=c++17', '-march=x86-64-v2', '-ffp-contract=off', `bench/native/${name}.cpp`, '-o', join(out, `${name}_v2`)]);
    // The fused multiply-add ceiling: the same loop, each multiply-add contracted to one FMA.
    if (name === 'peak') sh('g++', ['-O3', '-std=c++17', '-march=x86-64-v3', '-ffp-contract=fast', 'bench/native/peak.cpp', '-o', join(out, 'peak_fma')]);
    sh('em++', ['-O3', '-msimd128', '-std=c++17', `bench/native/${name}.cpp`, '-o', join(out, `${name}.cjs`),
      '-sENVIRONMENT=node', '-sSINGLE_FILE=1', '-sALLOW_MEMORY_GROWTH=1'], { env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
  }
}

// TF.js lives in bench/'s own package.json: installed here, not by the project's npm ci.
function installBenchDeps() {
  const lock = join(benchDir, 'package-lock.json');
  const modules = join(benchDir, 'node_modules');
  const stamp = join(modules, '.package-lock.json');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs) return;
  sh('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: benchDir });
}

// ---- engines ----------------------------------------------------------------------------

const ENGINES = [
  { id: 'wasm', label: 'wasm (JS API, Node)', kind: 'node', path: join(benchDir, 'engines/initscope.mjs'), args: [] },
  { id: 'native', label: 'native -O3 -march=native', kind: 'native', path: join(buildDir, 'bench/bench_native'), args: [] },
  { id: 'native128', label: 'native -O3 x86-64-v2 (128-bit)', kind: 'native', path: join(buildDir, 'bench/bench_native_v2'), args: [] },
  { id: 'tfjsCpu', label: 'TF.js cpu', kind: 'node', path: join(benchDir, 'engines/tfjs.mjs'), args: ['cpu'], tfjs: true },
  { id: 'tfjsWasm', label: 'TF.js wasm', kind: 'node', path: join(benchDir, 'engines/tfjs.mjs'), args: ['wasm'], tfjs: true },
];

async function measureEngines(engines) {
  const procs = new Map();
  const info = {};
  for (const e of engines) {
    const p = new EngineProcess(e.kind, e.path, e.args, { cwd: benchDir });
    const ready = await p.ready;
    procs.set(e.id, p);
    info[e.id] = { ready };
    for (const c of CONFIGS) {
      const t0 = performance.now();
      info[e.id][c.id] = await p.call('prepare', { config: c.id, json: c.engine });
      log(`  prepared ${e.id} ${c.id} (${Math.round(performance.now() - t0)} ms, ${info[e.id][c.id].stepsPerCall} steps per call)`);
    }
  }
  // The same config, 200 steps from scratch, in every build of the engine: the losses
  // should agree to the last bit (our own exp/tanh, products summed in one order, no FMA).
  const agreement = {};
  for (const c of CONFIGS) {
    agreement[c.id] = {};
    for (const id of ['wasm', 'native', 'native128']) {
      if (procs.has(id)) agreement[c.id][id] = (await procs.get(id).call('check', { json: c.engine, steps: 200 })).loss;
    }
    const values = Object.values(agreement[c.id]);
    agreement[c.id].identical = values.every((v) => Object.is(v, values[0]));
  }
  const runs = Object.fromEntries(engines.map((e) => [e.id, Object.fromEntries(CONFIGS.map((c) => [c.id, []]))]));
  const loads = [];
  for (let r = 0; r < ROUNDS; ++r) {
    for (const c of CONFIGS) {
      // Rotate who goes first, so no engine always follows the same neighbour.
      const order = engines.map((_, i) => engines[(i + r) % engines.length]);
      for (const e of order) {
        const { stepsPerSec } = await procs.get(e.id).call('measure', { config: c.id, ms: WINDOW_MS });
        runs[e.id][c.id].push(stepsPerSec);
      }
    }
    loads.push(currentLoad()[0]);
    log(`  round ${r + 1}/${ROUNDS} done (load ${loads[loads.length - 1]})`);
  }
  // snapshot(): the wasm engine through the JS API (what the page pays), the core natively.
  const snapshots = {};
  for (const id of ['wasm', 'native128']) {
    if (!procs.has(id)) continue;
    snapshots[id] = {};
    for (const c of CONFIGS) snapshots[id][c.id] = (await procs.get(id).call('snapshot', { config: c.id, reps: 200 })).medianMs;
  }
  for (const p of procs.values()) p.close();
  const steps = {};
  for (const e of engines) {
    steps[e.id] = {};
    for (const c of CONFIGS) {
      const v = runs[e.id][c.id];
      steps[e.id][c.id] = { median: median(v), min: Math.min(...v), max: Math.max(...v), runs: v };
    }
  }
  return { steps, snapshots, info, loads, agreement };
}

function kernels() {
  const parse = (text) => JSON.parse(text.trim().split('\n').pop()).gflops;
  const native = (name, build = 'v2') => {
    try { return parse(execFileSync(join(buildDir, `bench/${name}_${build}`), { encoding: 'utf8' })); } catch { return null; }
  };
  // --no-liftoff: one long call would otherwise stay on V8's baseline compiler.
  const wasm = (name) => {
    try {
      return parse(execFileSync(process.execPath, ['--no-liftoff', join(buildDir, `bench/${name}.cjs`)], { encoding: 'utf8' }));
    } catch { return null; }
  };
  // Each program three times, interleaved, and the best of each: a ceiling is a maximum,
  // and on a shared host one slow run would otherwise put the ceiling below the products.
  const runs = {
    ceiling: { native128: () => native('peak'), wasm: () => wasm('peak'), fma128: () => native('peak', 'fma') },
    products: { native128: () => native('products'), wasm: () => wasm('products') },
  };
  const best = { ceiling: {}, products: {} };
  for (let round = 0; round < 3; ++round)
    for (const [group, programs] of Object.entries(runs))
      for (const [key, run] of Object.entries(programs)) {
        const x = run();
        if (x !== null && !(best[group][key] >= x)) best[group][key] = x;
        else best[group][key] ??= null;
      }
  return best;
}

// ---- main -------------------------------------------------------------------------------

async function main() {
  const started = new Date();
  if (!flag('--no-build')) build();
  const useTfjs = !flag('--no-tfjs');
  if (useTfjs) installBenchDeps();
  const m = machine();
  log(`machine: ${m.cpu}, ${m.cores} cores, load ${m.load.join(' ')}`);

  log('\n== training steps per second');
  const engines = ENGINES.filter((e) => useTfjs || !e.tfjs);
  const measured = await measureEngines(engines);

  log('\n== 128-bit mul+add ceiling, and C4\'s products alone');
  const { ceiling, products } = kernels();
  log(`  ceiling: native ${ceiling.native128} GFLOP/s, wasm ${ceiling.wasm} GFLOP/s (native with FMA: ${ceiling.fma128})`);
  log(`  products: native ${products.native128} GFLOP/s, wasm ${products.wasm} GFLOP/s`);

  log('\n== sizes');
  const bytes = sizes(root);

  let browser = null;
  if (!flag('--no-browser')) {
    log('\n== Chromium');
    const { browserMetrics } = await import('./lib/browser.mjs');
    try {
      browser = await browserMetrics(join(root, 'dist'), { loads: quick ? 3 : 5, seconds: quick ? 3 : 5, log });
    } catch (err) {
      browser = { error: String(err.message ?? err) };
      log(`  failed: ${browser.error}`);
    }
  }

  let workers = null;
  if (!flag('--no-sweep')) {
    log('\n== one worker against two');
    const { rawScaling, sweepScaling } = await import('./lib/workers.mjs');
    const api = new URL('../wasm/initscope.mjs', import.meta.url).href;
    const sweepModule = new URL('../wasm/sweep.mjs', import.meta.url).href;
    // A sweep of the default network over 8 seeds × 2 learning rates, 3000 steps a cell.
    const spec = {
      base: byId.C2.engine,
      x: { param: 'seed', values: [1, 2, 3, 4, 5, 6, 7, 8] },
      y: { param: 'lr', values: [0.01, 0.1] },
      steps: quick ? 1000 : 6000,
      success: { metric: 'trainAccuracy', atLeast: 0.95 },
    };
    // Many short cells: the throughput of a sweep whose cells cost little to train, where
    // making each run and measuring it (evaluate, snapshot) weigh most.
    const shortSpec = { ...spec, x: { param: 'seed', from: 1, to: 32, count: 32 }, y: { param: 'lr', values: [0.01, 0.1] }, steps: 100 };
    workers = {
      spec: { cells: 16, steps: spec.steps, config: 'C2' },
      sweep: await sweepScaling(sweepModule, spec, { reps: quick ? 1 : 3 }),
      short: { cells: 64, steps: shortSpec.steps, ...(await sweepScaling(sweepModule, shortSpec, { reps: quick ? 1 : 3 })) },
      raw: await rawScaling(api, byId.C3.engine, { reps: quick ? 1 : 3, ms: quick ? 1000 : 2000 }),
    };
    log(`  sweep: ${workers.sweep.speedup.toFixed(2)}x, two raw runs: ${workers.raw.ratio.toFixed(2)}x, ` +
      `short cells: ${workers.short.oneCellsPerSecond.toFixed(1)} → ${workers.short.twoCellsPerSecond.toFixed(1)} cells/s`);
  }

  const results = {
    date: started.toISOString(),
    seconds: Math.round((Date.now() - started.getTime()) / 1000),
    rounds: ROUNDS,
    windowMs: WINDOW_MS,
    machine: { ...m, loadAfter: currentLoad() },
    engines: engines.map(({ id, label }) => ({ id, label })),
    configs: CONFIGS.map((c) => ({ id: c.id, label: c.label, flops: stepFlops(c), params: paramCount(c) })),
    ...measured,
    ceiling,
    products,
    sizes: bytes,
    browser,
    workers,
  };
  const text = render(results);
  console.log(text);
  const out = option('--out', join(benchDir, 'RESULTS.md'));
  writeBenchPart(text, out);
  log(`\nwrote ${out}`);
  const json = option('--json', null);
  if (json) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
}

await main();

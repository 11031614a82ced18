// The wasm engine through the JS API (wasm/initscope.mjs), as the page and the CLI use it.
import { performance } from 'node:perf_hooks';
import { loadInitscope } from '../../wasm/initscope.mjs';
import { byId } from '../configs.mjs';
import { calibrate, serve, timeWindow } from './common.mjs';

const lab = await loadInitscope();
const prepared = new Map(); // id -> { run, k }

function prepare(id) {
  if (!prepared.has(id)) {
    const run = lab.createRun(byId[id].engine);
    const chunk = (k) => run.step(k);
    // Warm-up: many short calls, so V8 tiers the module up from its baseline compiler.
    const until = performance.now() + 1500;
    while (performance.now() < until) chunk(1);
    prepared.set(id, { run, chunk, k: calibrate(chunk) });
  }
  return prepared.get(id);
}

serve({
  // A fresh run of the config, `steps` steps: the loss, to compare builds bit for bit.
  check: ({ json, steps = 200 }) => {
    const run = lab.createRun(json);
    const { loss, step } = run.step(steps);
    run.dispose();
    return { loss, step };
  },
  prepare: ({ config }) => {
    const p = prepare(config);
    return { stepsPerCall: p.k };
  },
  measure: ({ config, ms }) => {
    const p = prepare(config);
    const stepsPerSec = timeWindow(p.chunk, p.k, ms);
    const { loss, diverged } = p.run.step(1);
    if (diverged || !Number.isFinite(loss)) throw new Error(`${config} diverged: ${JSON.stringify(diverged)}`);
    return { stepsPerSec, stepsPerCall: p.k };
  },
  // Median cost of run.snapshot() in ms over `reps` calls, after a second of calls: the
  // page calls it every frame, so what counts is the cost once V8 has optimized the JS
  // half (JSON, typed-array copies); 20 warm-up calls left it on the baseline tier some
  // runs and not others (0.69 ms one run, 1.10 the next, for the same build).
  snapshot: ({ config, reps = 200 }) => {
    const p = prepare(config);
    for (const end = performance.now() + 1000; performance.now() < end;) p.run.snapshot();
    const times = [];
    for (let i = 0; i < reps; ++i) {
      const t0 = performance.now();
      p.run.snapshot();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { medianMs: times[times.length >> 1] };
  },
});

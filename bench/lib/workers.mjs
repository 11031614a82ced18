// Scaling from one worker to two:
//   - sweep: a real sweep (wasm/sweep.mjs runSweep, worker_threads in Node) run with
//     workers: 1 and workers: 2, wall time including the workers' start, and its cells
//     per second;
//   - raw: two independent runs of a config in two worker_threads against one, steps per
//     second summed (the mechanism sweeps use, without the sweep's bookkeeping).
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

const RAW_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { loadInitscope } = await import(workerData.api);
  const lab = await loadInitscope();
  const run = lab.createRun(workerData.config);
  const until = performance.now() + workerData.warmupMs;
  while (performance.now() < until) run.step(workerData.k);
  parentPort.postMessage('ready');
  parentPort.once('message', () => {
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < workerData.ms) { run.step(workerData.k); steps += workerData.k; }
    parentPort.postMessage((steps * 1000) / (performance.now() - t0));
  });
})();
`;

async function rawOnce(api, config, n, { ms, k, warmupMs }) {
  const workers = Array.from({ length: n }, () =>
    new Worker(RAW_WORKER, { eval: true, workerData: { api, config, ms, k, warmupMs } }));
  try {
    await Promise.all(workers.map((w) => new Promise((res, rej) => { w.once('message', res); w.once('error', rej); })));
    const results = workers.map((w) => new Promise((res, rej) => { w.once('message', res); w.once('error', rej); }));
    for (const w of workers) w.postMessage('go');
    const rates = await Promise.all(results);
    return rates.reduce((a, b) => a + b, 0);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Steps per second of 1 and 2 workers (medians of `reps`), and their ratio. */
export async function rawScaling(api, config, { reps = 3, ms = 2000, k = 20, warmupMs = 1500 } = {}) {
  const one = [], two = [];
  for (let r = 0; r < reps; ++r) {
    one.push(await rawOnce(api, config, 1, { ms, k, warmupMs }));
    two.push(await rawOnce(api, config, 2, { ms, k, warmupMs }));
  }
  return { one: median(one), two: median(two), ratio: median(two) / median(one), oneRuns: one, twoRuns: two };
}

/** Wall time of one sweep with 1 and with 2 workers (medians of `reps`), and the speed-up. */
export async function sweepScaling(sweepModule, spec, { reps = 3 } = {}) {
  const { runSweep } = await import(sweepModule);
  const time = async (workers) => {
    const t0 = performance.now();
    const result = await runSweep(spec, { workers });
    const ms = performance.now() - t0;
    return { ms, cells: result.cells?.length ?? null };
  };
  const one = [], two = [];
  let cells = null;
  for (let r = 0; r < reps; ++r) {
    const a = await time(1);
    const b = await time(2);
    one.push(a.ms);
    two.push(b.ms);
    cells = a.cells;
  }
  // Throughput: cells per second of wall time, each cell a fresh network trained and
  // measured (evaluate, and the snapshot that gives its weightChange).
  const perSecond = (ms) => (cells * 1000) / ms;
  return {
    oneMs: median(one), twoMs: median(two), speedup: median(one) / median(two), cells,
    oneCellsPerSecond: perSecond(median(one)), twoCellsPerSecond: perSecond(median(two)),
    oneRuns: one, twoRuns: two,
  };
}

// The results as Markdown: what bench/RESULTS.md holds and `npm run bench` prints.

const fmt = (x, digits = 0) => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1e5) return Math.round(x).toLocaleString('en-US');
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};
const sig = (x) => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x >= 100) return fmt(x, 0);
  if (x >= 10) return fmt(x, 1);
  return fmt(x, 2);
};
const kb = (bytes) => (bytes === null || bytes === undefined ? '—' : `${(bytes / 1024).toFixed(1)} KB`);
const ratio = (a, b) => (a && b ? a / b : null);
const mark = (ok) => (ok === null ? '—' : ok ? '✅ met' : '❌ not met');
const line = (cells) => `| ${cells.join(' | ')} |`;
const table = (header, rows, align) => [
  line(header),
  line(header.map((_, i) => (align?.[i] === 'l' ? '---' : '---:'))),
  ...rows.map(line),
].join('\n');

export function render(r) {
  const s = r.steps;
  const med = (engine, config) => s[engine]?.[config]?.median ?? null;
  const out = [];
  out.push('# initscope benchmark results');
  out.push('');
  out.push(`Measured ${r.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} by \`npm run bench\` (bench/run.mjs) in ${r.seconds} s: ` +
    `${r.rounds} rounds of ${r.windowMs} ms per engine and config, engines interleaved round by round, ` +
    `medians; each engine warmed up for 1.5 s of short calls per config first. One thread, float32, data in memory.`);
  out.push('');
  const m = r.machine;
  out.push('## Machine');
  out.push('');
  out.push(`- ${m.cpu}, ${m.cores} cores${m.hypervisor ? ` (a ${m.hypervisor} virtual machine)` : ''}, ${m.memoryGiB} GiB; vector extensions: ${m.flags.join(', ')}`);
  out.push(`- ${m.os}; Node ${m.node} (V8 ${m.v8}); g++ ${m.gxx ?? '?'}; Emscripten ${m.emcc ?? '?'}; ${m.chromium ?? 'no Chromium'}`);
  out.push(`- load average (1 min) at the start ${m.load[0]}, after each round ${r.loads.join(', ')}, at the end ${m.loadAfter[0]}: ` +
    'other work shared the machine, so single numbers carry noise of the order of the spread shown below.');
  out.push('');

  out.push('## Training steps per second');
  out.push('');
  out.push('Forward + backward + update on one batch (plain SGD, lr 0.01), measured through each engine\'s own API: ' +
    'the wasm engine through `wasm/initscope.mjs` (`run.step(k)`, k steps per call, about 2 ms a call), the same C++ natively ' +
    '(`Run::step`), TF.js 4.22 (`optimizer.minimize` on tf.variables, batches as tensors made in advance; ' +
    'the wasm backend single-threaded with SIMD).');
  out.push('');
  const engines = r.engines.map((e) => e.id);
  const has = (id) => engines.includes(id);
  const head = ['config', ...r.engines.map((e) => e.label)];
  const ratioCols = [];
  if (has('tfjsWasm')) ratioCols.push(['wasm ÷ TF.js wasm', 'wasm', 'tfjsWasm']);
  if (has('tfjsCpu')) ratioCols.push(['wasm ÷ TF.js cpu', 'wasm', 'tfjsCpu']);
  ratioCols.push(['wasm ÷ native 128-bit', 'wasm', 'native128'], ['wasm ÷ native', 'wasm', 'native']);
  out.push(table(
    [...head, ...ratioCols.map((c) => c[0])],
    r.configs.map((c) => [
      `**${c.id}** ${c.label}`,
      ...engines.map((e) => sig(med(e, c.id))),
      ...ratioCols.map(([, a, b]) => `${sig(ratio(med(a, c.id), med(b, c.id)))}×`),
    ]),
    ['l'],
  ));
  out.push('');
  out.push('Spread of the rounds (slowest – fastest, steps/s):');
  out.push('');
  out.push(table(head, r.configs.map((c) => [c.id, ...engines.map((e) => {
    const x = s[e]?.[c.id];
    return x ? `${sig(x.min)} – ${sig(x.max)}` : '—';
  })]), ['l']));
  out.push('');

  if (r.agreement) {
    const all = r.configs.every((c) => r.agreement[c.id]?.identical);
    out.push(`Same engine, three builds: each config trained 200 steps from scratch gives the loss ${all ? '**bit for bit the same**' : '**not** the same'} ` +
      'in wasm, native and native 128-bit (' + r.configs.map((c) => `${c.id} ${r.agreement[c.id]?.wasm}${r.agreement[c.id]?.identical ? '' : ' ≠'}`).join(', ') + ').');
    out.push('');
  }

  const c4 = r.configs.find((c) => c.id === 'C4');
  out.push('## GFLOP/s on C4');
  out.push('');
  out.push(`The matrix products of one step: x·W of every layer, dW = xᵀ·dz of every layer, dz·Wᵀ of every layer but the first ` +
    `= ${(c4.flops / 1e6).toFixed(1)} MFLOP per step (a multiply-add counts 2), times steps per second. Element-wise work is not counted. ` +
    'The ceiling is bench/native/peak.cpp: the product\'s inner loop (acc += x·y on 128-bit vectors, a multiply and an add: no fused multiply-add, as in wasm SIMD) with its data in L1, ' +
    'each accumulator with its own x so that no product is computed once for several. ' +
    'It and products.cpp (below) each run three times, interleaved; the best run counts.');
  out.push('');
  out.push(table(['engine', 'GFLOP/s'], r.engines.map((e) => [e.label, sig((med(e.id, 'C4') ?? NaN) * c4.flops / 1e9)]), ['l']));
  out.push('');
  out.push(`128-bit mul+add ceiling measured on this machine: ${sig(r.ceiling.native128)} GFLOP/s natively (g++ -O3 -march=x86-64-v2), ` +
    `${sig(r.ceiling.wasm)} GFLOP/s in wasm (V8's optimizing tier). With fused multiply-adds (the same loop, g++ -march=x86-64-v3 -ffp-contract=fast), ` +
    `${sig(r.ceiling.fma128)} GFLOP/s: an arithmetic wasm SIMD128 does not have in Node 20, and one the engine does not use, so that every build gives the same bits.`);
  if (r.products) {
    out.push('');
    out.push(`C4's eight products alone (bench/native/products.cpp: core/src/gemm.hpp on fixed data, nothing else of the step): ` +
      `**${sig(r.products.wasm)} GFLOP/s in wasm**, ${sig(r.products.native128)} GFLOP/s native 128-bit. The difference to the whole step is ` +
      'the rest of it: the update of 270k parameters (in double), the checks for NaN, copies, activations and loss.');
  }
  out.push('');

  out.push('## snapshot()');
  out.push('');
  out.push('Median of 200 calls after a second of warm-up calls, ms: through the JS API (statistics of the probe batch, JSON, typed-array copies: what the page pays per frame), and the C++ `Run::snapshot()` alone (native, 128-bit).');
  out.push('');
  out.push(table(['config', 'wasm, JS API', 'native core'], r.configs.map((c) => [
    `${c.id}`, sig(r.snapshots.wasm?.[c.id]), sig(r.snapshots.native128?.[c.id]),
  ]), ['l']));
  out.push('');

  out.push('## Sizes');
  out.push('');
  out.push('gzip at level 9.');
  out.push('');
  const rows = [];
  const mod = r.sizes.module;
  rows.push(['engine module: JS (wasm/initscope.mjs, its imports, the Emscripten loader)', kb(mod.js.raw), kb(mod.js.gzip)]);
  rows.push(['engine module: wasm', kb(mod.wasm.raw), kb(mod.wasm.gzip)]);
  rows.push(['engine module: JS + wasm', kb(mod.js.raw + mod.wasm.raw), kb(mod.js.gzip + mod.wasm.gzip)]);
  if (r.sizes.page) {
    const p = r.sizes.page;
    rows.push(['page (dist/): JS', kb(p.js.raw), kb(p.js.gzip)]);
    rows.push(['page (dist/): wasm', kb(p.wasm.raw), kb(p.wasm.gzip)]);
    rows.push(['**page (dist/): JS + wasm**', kb(p.js.raw + p.wasm.raw), kb(p.js.gzip + p.wasm.gzip)]);
    rows.push(['page (dist/): everything loaded up front (+ HTML, CSS)', kb(p.total.raw), kb(p.total.gzip)]);
  }
  if (r.sizes.lazy) rows.push(['page (dist/): loaded on demand (the lessons, the code writer, the sweep view, Export, Import, Embed)', kb(r.sizes.lazy.total.raw), kb(r.sizes.lazy.total.gzip)]);
  out.push(table(['what', 'raw', 'gzip'], rows, ['l']));
  if (r.sizes.page) {
    out.push('');
    out.push(`Page files: ${r.sizes.page.files.map((f) => `${f.file} ${kb(f.gzip)}`).join(', ')} (gzip).`);
  }
  out.push('');

  out.push('## The page in Chromium');
  out.push('');
  const b = r.browser;
  if (!b) {
    out.push('Not measured in this run (--no-browser).');
  } else if (b.error) {
    out.push(`Not measured: ${b.error}`);
  } else {
    out.push(`Debian's Chromium, headless (--headless --no-sandbox --disable-gpu …), a fresh profile for every load, dist/ served on 127.0.0.1 with no-store.`);
    out.push('');
    out.push(`- Interactive (body[data-ready="true"]: the first run drawn, controls live) after a cold load: **${fmt(b.interactiveMs)} ms** ` +
      `(median of ${b.interactiveRuns.length}: ${b.interactiveRuns.map((x) => fmt(x)).join(', ')} ms); first contentful paint ${fmt(b.fcpMs)} ms, load event ${fmt(b.loadMs)} ms.`);
    if (!b.marker) out.push('- The page has no data-ready marker: the time is to its load event.');
    if (b.training) {
      const t = b.training;
      out.push(`- Training the default network at pace max (the K shortcut on \`#pace=max\`): **${sig(t.fps)} frames per second** (median of 3 windows: ${t.fpsRuns.join(', ')}), ` +
        `median frame ${sig(t.medianFrameMs)} ms, longest ${sig(t.longestFrameMs)} ms, ${t.framesOver50ms} frames over 50 ms; ` +
        `the page trained ${fmt(t.stepsPerSec)} steps/s meanwhile${t.stillPlaying ? '' : ' (it stopped playing during the window)'}.`);
    }
  }
  out.push('');

  out.push('## One worker against two');
  out.push('');
  const w = r.workers;
  if (!w) {
    out.push('Not measured in this run.');
  } else {
    out.push(`- A sweep (wasm/sweep.mjs \`runSweep\`, worker_threads): the default network (C2) over ${w.spec.cells} cells (8 seeds × 2 learning rates), ${w.spec.steps} steps each, ` +
      `wall time including the workers' start: 1 worker ${fmt(w.sweep.oneMs)} ms, 2 workers ${fmt(w.sweep.twoMs)} ms: **${sig(w.sweep.speedup)}×**` +
      (w.sweep.oneCellsPerSecond ? `; throughput ${sig(w.sweep.oneCellsPerSecond)} cells/s on 1 worker, ${sig(w.sweep.twoCellsPerSecond)} cells/s on 2.` : '.'));
    if (w.short) {
      out.push(`- Sweep throughput with short cells (C2, ${w.short.cells} cells of ${w.short.steps} steps: 32 seeds × 2 learning rates; each cell makes its run, trains, evaluates and takes the snapshot that gives its weightChange): ` +
        `**${sig(w.short.oneCellsPerSecond)} cells/s** on 1 worker, **${sig(w.short.twoCellsPerSecond)} cells/s** on 2 (${sig(w.short.speedup)}×).`);
    }
    out.push(`- Two independent runs of C3 in two worker_threads against one (steps/s summed): ${fmt(w.raw.one)} → ${fmt(w.raw.two)}: **${sig(w.raw.ratio)}×**.`);
  }
  out.push('');

  out.push('## Residual blocks: speed per parameter');
  out.push('');
  const c5 = r.configs.find((c) => c.id === 'C5');
  const c5p = r.configs.find((c) => c.id === 'C5p');
  const perParam = (engine, c) => (med(engine, c.id) ?? NaN) * c.params;
  if (c5 && c5p) {
    out.push(`C5 (${fmt(c5.params)} parameters: 32 blocks of two dense layers with LayerNorm) against C5p (${fmt(c5p.params)}: the same width, 64 plain dense layers), ` +
      'in parameter-steps per second (steps/s × trainable parameters): what one step costs per parameter, blocks against plain layers.');
    out.push('');
    out.push(table(['engine', 'C5', 'C5p', 'C5 ÷ C5p'], r.engines.map((e) => [e.label, fmt(perParam(e.id, c5)), fmt(perParam(e.id, c5p)),
      `${sig(perParam(e.id, c5) / perParam(e.id, c5p))}×`]), ['l']));
  } else {
    out.push('Not measured in this run.');
  }
  out.push('');

  out.push('## Targets');
  out.push('');
  const t = [];
  const tf = (id, k) => {
    const x = ratio(med('wasm', id), med('tfjsWasm', id));
    return [`wasm ≥ ${k}× TF.js-wasm on ${id}`, x === null ? '—' : `${sig(x)}×`, mark(x === null ? null : x >= k)];
  };
  if (has('tfjsWasm')) t.push(tf('C1', 100), tf('C2', 10), tf('C3', 5), tf('C4', 5), tf('C5', 5));
  else t.push(['wasm ≥ 100×, 10×, 5×, 5×, 5× TF.js-wasm on C1-C5', 'TF.js not measured in this run (--no-tfjs)', '—']);
  if (c5 && c5p) {
    const x = perParam('wasm', c5) / perParam('wasm', c5p);
    t.push(['wasm: blocks (C5) within 15 % of plain layers (C5p) per parameter', `${sig(x)}×`, mark(Number.isFinite(x) ? x >= 0.85 : null)]);
  }
  for (const c of r.configs) {
    const x = ratio(med('wasm', c.id), med('native128', c.id));
    t.push([`wasm ≥ 0.75× native at equal width on ${c.id}`, `${sig(x)}×`, mark(x === null ? null : x >= 0.75)]);
  }
  const g = (med('wasm', 'C4') ?? NaN) * c4.flops / 1e9;
  t.push(['C4 ≥ 35 GFLOP/s in wasm', `${sig(g)} GFLOP/s for the whole step; the products alone ${sig(r.products?.wasm)} (mul+add ceiling here ${sig(r.ceiling.wasm)} wasm, ${sig(r.ceiling.native128)} native; with FMA ${sig(r.ceiling.fma128)} native)`, mark(Number.isFinite(g) ? g >= 35 : null)]);
  t.push(['tanh, sigmoid, gelu, exp vectorized, within 1e-6 relative', 'tests/core/test_simd_math.cpp (ctest)', 'tested by `npm test`']);
  const snap = r.snapshots.wasm?.C2 ?? null;
  t.push(['snapshot() < 1 ms, default network', `${sig(snap)} ms`, mark(snap === null ? null : snap < 1)]);
  if (b && !b.error) {
    t.push(['page ≥ 55 fps while training', b.training ? `${sig(b.training.fps)} fps` : '—', mark(b.training ? b.training.fps >= 55 : null)]);
    t.push(['interactive < 1 s from a cold load', `${fmt(b.interactiveMs)} ms`, mark(b.interactiveMs === null ? null : b.interactiveMs < 1000)]);
  }
  if (r.sizes.page) {
    const p = r.sizes.page;
    const gzip = p.js.gzip + p.wasm.gzip;
    t.push(['JS + wasm ≤ 350 KB gzip (the page)', kb(gzip), mark(gzip <= 350 * 1024)]);
  }
  if (w) t.push(['sweeps ≥ 1.7× from one worker to two', `${sig(w.sweep.speedup)}× (raw runs ${sig(w.raw.ratio)}×)`, mark(w.sweep.speedup >= 1.7)]);
  out.push(table(['target', 'measured', 'status'], t, ['l', 'l', 'l']));
  out.push('');
  return out.join('\n');
}
